//! The token level of the rewriter: tokens rewritten one at a time (or a few together, for a
//! multi-token form), in expressions, declarations and `#define` bodies alike. Calls go to
//! [`Rewriter::rewrite_call`].

use super::*;

impl<'a> Rewriter<'a> {
    /// Token-level rewrite of tokens `[from, to)`.
    pub fn emit_range(&mut self, e: &mut Emitter, from: usize, to: usize) {
        let mut i = from;
        while i < to {
            i = self.emit_token(e, i, to);
        }
    }

    /// Rewrites the token at `i` (with the tokens after it that its form takes, all before
    /// `to`); returns the index after what it wrote.
    fn emit_token(&mut self, e: &mut Emitter, i: usize, to: usize) -> usize {
        let t = self.toks[i];
        let after_dot = i > 0 && self.text(i - 1) == ".";
        if self.text(i) == "[" && i + 1 < to && self.is(i + 1, "]") {
            if let Some(n) = self.unsized_array_size(i) {
                // naga has no unsized arrays: `float a[] = float[](x, y)` gets its size.
                self.tok_replace(e, i, &format!("[{n}"));
                self.tok_verbatim(e, i + 1);
                return i + 2;
            }
        }
        if t.kind == Kind::Number && overflows_float(self.text(i)) {
            // GLSL: a float literal too large for a float is infinity (naga rejects it).
            self.tok_replace(e, i, INFINITY);
            return i + 1;
        }
        if t.kind == Kind::Number && i > 0 {
            let op = match self.text(i - 1) {
                "=" if i > 1 => self.text(i - 2),
                op => op,
            };
            if let Some(amount) = matches!(op, "<<" | ">>")
                .then(|| wrapped_shift_amount(self.text(i)))
                .flatten()
            {
                self.tok_replace(e, i, &amount);
                return i + 1;
            }
        }
        if self.text(i) == "const" && matches!(self.text(i + 1), "in" | "out" | "inout") {
            // `const in` parameters: naga takes `in`, and the `const` changes nothing a
            // caller sees.
            self.tok_replace(e, i, "");
            return i + 1;
        }
        if t.kind != Kind::Ident || after_dot {
            self.tok_verbatim(e, i);
            return i + 1;
        }
        let name = self.text(i);
        let call = self.is(i + 1, "(");
        if call {
            if let Some(close) = self.matching(i + 1, to) {
                if let Some(next) = self.rewrite_call(e, i, name, close) {
                    return next;
                }
            }
        }
        self.rewrite_name(e, i, name, to)
    }

    /// Rewrites the identifier `name` at `i` (not a call the call rewriter took): split
    /// samplers, the fragment colour output, v1 `vv_` names, locals shadowing a texture.
    /// Returns the index after what it wrote.
    fn rewrite_name(&mut self, e: &mut Emitter, i: usize, name: &str, to: usize) -> usize {
        match name {
            "sampler2D" | "sampler2DRect" => {
                // GLSL passes samplers into functions only (naga's error on the split
                // texture names no place in the user's code).
                if i > 0 && matches!(self.text(i - 1), "out" | "inout") {
                    self.errors.push((
                        self.toks[i - 1].start,
                        format!(
                            "a {name} cannot be \"{}\": samplers are only passed in",
                            self.text(i - 1)
                        ),
                    ));
                }
                self.tok_replace(e, i, "texture2D");
                // A parameter (`sampler2D s,` / `sampler2D s)`, or unnamed in a prototype)
                // gets a sampler parameter beside it.
                let named = i + 2 < to
                    && self.toks[i + 1].kind == Kind::Ident
                    && matches!(self.text(i + 2), "," | ")");
                if named {
                    let param = self.text(i + 1);
                    self.tok_verbatim(e, i + 1);
                    e.generated(&format!(", sampler {PARAM_SAMPLER_PREFIX}{param}"));
                    if self.in_signature && !self.sampler_params.contains(&param) {
                        self.sampler_params.push(param);
                    }
                    return i + 2;
                }
                if i + 1 < to && matches!(self.text(i + 1), "," | ")") {
                    e.generated(", sampler");
                }
            }
            "gl_FragColor" if self.stage == Stage::Fragment => {
                self.tok_replace(e, i, "isf_FragColor")
            }
            "gl_FragData"
                if self.stage == Stage::Fragment
                    && i + 3 < to
                    && self.is(i + 1, "[")
                    && self.is(i + 2, "0")
                    && self.is(i + 3, "]") =>
            {
                // The one colour output; other indices stay unknown to naga (an error
                // at the user's line).
                self.tok_replace(e, i, "isf_FragColor");
                self.cursor = self.toks[i + 3].end;
                return i + 4;
            }
            "vv_FragNormCoord" => self.tok_replace(e, i, "isf_FragNormCoord"),
            "vv_vertShaderInit" => self.tok_replace(e, i, "isf_vertShaderInit"),
            _ if self.shadowed.iter().any(|(n, _)| n == name) => {
                self.tok_replace(e, i, &format!("isf_local_{name}"))
            }
            _ => self.tok_verbatim(e, i),
        }
        i + 1
    }
}

/// Whether `name` is a GLSL scalar, vector or matrix type (a constructor when called).
pub(super) fn is_constructor_type(name: &str) -> bool {
    if matches!(name, "float" | "int" | "uint" | "bool" | "double") {
        return true;
    }
    let vector = name
        .strip_prefix(['b', 'i', 'u', 'd'])
        .unwrap_or(name)
        .strip_prefix("vec");
    let matrix = name.strip_prefix('d').unwrap_or(name).strip_prefix("mat");
    let size = |s: &str| matches!(s, "2" | "3" | "4");
    vector.is_some_and(size)
        || matrix
            .is_some_and(|m| size(m) || m.split_once('x').is_some_and(|(a, b)| size(a) && size(b)))
}
