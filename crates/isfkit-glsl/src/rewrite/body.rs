//! The statement level of the rewriter inside functions: a body's `return`s are wrapped in
//! the function's type, a body that does not end in a return gets one, and locals that share
//! a texture's name are tracked so the token level renames them.

use super::*;

impl<'a> Rewriter<'a> {
    /// A function body `[from, close)`: wraps return values in the function's type and adds a
    /// final `return T(0);` when the body does not end in a return.
    pub(super) fn function_body(&mut self, e: &mut Emitter, from: usize, close: usize, ret: &str) {
        let typed = builtin_value_type(ret);
        let mut i = from;
        let mut last_stmt_start = from;
        let mut depth = 0;
        while i < close {
            let s = self.text(i);
            if self.toks[i].directive {
                let end = self.directive_end(i).min(close);
                self.emit_range(e, i, end);
                i = end;
                continue;
            }
            match s {
                "{" => depth += 1,
                "}" => {
                    depth -= 1;
                    self.shadowed.retain(|(_, d)| *d <= depth);
                    if depth == 0 {
                        last_stmt_start = i + 1;
                    }
                }
                ";" if depth == 0 => last_stmt_start = i + 1,
                _ => {}
            }
            if self.declares_texture_name(i, close) {
                self.shadowed.push((self.text(i + 1).to_owned(), depth));
            }
            if typed && s == "return" && !self.is(i + 1, ";") {
                if let Some(semi) = self.return_end(i, close) {
                    if depth == 0 {
                        last_stmt_start = semi + 1;
                    }
                    self.typed_return(e, i, semi, ret);
                    i = semi + 1;
                    continue;
                }
            }
            let next = self.body_piece_end(i, close);
            self.emit_range(e, i, next);
            i = next;
        }
        self.shadowed.clear();
        let ends_with_return = last_stmt_start < close && self.text(last_stmt_start) == "return"
            || (last_stmt_start == close && close > from && self.ends_in_return(from, close));
        if typed && !ends_with_return {
            self.gap(e, self.toks[close].start);
            e.generated(&format!(" return {ret}(0); "));
        }
    }

    /// Whether token `i` starts the declaration of a local (of a built-in value type) that
    /// shares a texture's name.
    fn declares_texture_name(&self, i: usize, close: usize) -> bool {
        builtin_value_type(self.text(i))
            && i + 2 < close
            && self.toks[i + 1].kind == Kind::Ident
            && self.layout.texture_by_glsl(self.text(i + 1)).is_some()
            && matches!(self.text(i + 2), "=" | ";" | "," | "[")
    }

    /// The `;` that ends the `return` at `i`: the first one before `close` at bracket depth 0
    /// relative to the return.
    fn return_end(&self, i: usize, close: usize) -> Option<usize> {
        (i + 1..close).find(|&k| {
            self.text(k) == ";" && {
                // at bracket depth 0 relative to the return
                let mut d = 0;
                for q in i + 1..k {
                    match self.text(q) {
                        "(" | "[" => d += 1,
                        ")" | "]" => d -= 1,
                        _ => {}
                    }
                }
                d == 0
            }
        })
    }

    /// Writes `return VALUE;` (the `return` at `i`, its `;` at `semi`) as
    /// `return RET(VALUE);`.
    fn typed_return(&mut self, e: &mut Emitter, i: usize, semi: usize, ret: &str) {
        self.tok_verbatim(e, i);
        self.gap(e, self.toks[i + 1].start);
        // `return(x);` has no space to keep `return` apart from the type.
        let space = if self.toks[i].end == self.toks[i + 1].start {
            " "
        } else {
            ""
        };
        e.replaced(&format!("{space}{ret}("), self.toks[i + 1].start);
        self.emit_range(e, i + 1, semi);
        e.replaced(")", self.toks[semi].start);
        self.tok_verbatim(e, semi);
    }

    /// The end of the piece of a body that starts at token `i` and is rewritten in one go: a
    /// call is rewritten whole (its arguments hold no statements), and so are the multi-token
    /// forms `emit_range` rewrites (`[]`, `gl_FragData[0]`); anything else is one token.
    fn body_piece_end(&self, i: usize, close: usize) -> usize {
        let s = self.text(i);
        if self.toks[i].kind == Kind::Ident && self.is(i + 1, "(") {
            self.matching(i + 1, close).map_or(i + 1, |m| m + 1)
        } else if s == "[" && self.is(i + 1, "]") {
            i + 2
        } else if s == "gl_FragData" && self.is(i + 1, "[") {
            self.matching(i + 1, close).map_or(i + 1, |m| m + 1)
        } else {
            i + 1
        }
    }

    /// Whether the last statement at depth 0 of `[from, close)` is a return.
    fn ends_in_return(&self, from: usize, close: usize) -> bool {
        let mut depth = 0;
        let mut start = from;
        for i in from..close {
            match self.text(i) {
                "{" => depth += 1,
                "}" => {
                    depth -= 1;
                    if depth == 0 {
                        start = i + 1
                    }
                }
                ";" if depth == 0 && i + 1 < close => start = i + 1,
                _ => {}
            }
        }
        self.text(start) == "return"
    }
}
