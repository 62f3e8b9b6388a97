//! The nesting guard: limits checked on the user's tokens, with macros expanded, before the
//! rewriter or naga sees them. naga's GLSL front end, its validator and the rewriter recurse
//! once per level of nesting, so without the guard a shader with thousands of nested `if`s,
//! parentheses or terms would overflow the stack and abort the process (taking a whole batch
//! or a Python interpreter with it). Each limit is far above what real shaders use (a few
//! dozen levels at most) and far below what naga survives (measured with
//! `cargo run --release -p isfkit-glsl --example naga_depth`; see the limits table in the
//! README). naga also runs on a thread of its own with [`NAGA_STACK_BYTES`] of stack, so the
//! margin does not depend on the caller's thread (2 MiB for Rust's spawned threads, 8 MiB
//! for a main thread, whatever Python's threads have).

use std::collections::HashMap;
use std::rc::Rc;

use crate::lex::{self, Kind, Token};

/// The deepest nesting of `(`, `[` and `{` (blocks, `if`/`for` bodies, calls,
/// parentheses): 256.
pub const MAX_NESTING: usize = 256;

/// The most operators (`+`, `*`, `&&`, `?`, `=`, ...) in one statement (between `;`, `{`
/// and `}`): 4,000. naga builds a chain of binary operators as a tree as deep as the chain
/// is long, and lowers and validates it recursively.
pub const MAX_STATEMENT_OPERATORS: usize = 4_000;

/// The most tokens a stage may expand to, macros expanded: 1,000,000 (a 1 MiB shader has
/// at most about half that without macros). Bounds macro bombs (`#define B A A` ...).
pub const MAX_EXPANDED_TOKENS: usize = 1_000_000;

/// The deepest nesting of macro expansions (a macro whose body or arguments use a macro
/// that uses a macro ...): 64.
pub const MAX_MACRO_DEPTH: usize = 64;

/// The stack naga runs on: a thread of its own with 64 MiB (reserved, not used: only the
/// pages touched are memory).
pub const NAGA_STACK_BYTES: usize = 64 << 20;

/// A limit broken at byte `offset` of the checked text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Violation {
    pub offset: usize,
    pub message: String,
}

struct Macro<'a> {
    /// `Some` for a function-like macro: its parameter names and their positions.
    params: Option<HashMap<&'a str, usize>>,
    body: Vec<&'a str>,
}

/// Checks `toks` of `src` (comment-free, as the rewriter gets it) against the limits, with
/// macros expanded the way a C preprocessor does (arguments substituted, then rescanned; a
/// macro is not expanded inside itself). Errors point at the user's token that was being
/// read (for a macro's expansion: its use).
pub(crate) fn check(src: &str, toks: &[Token]) -> Result<(), Violation> {
    let mut c = NestingGuard {
        defs: HashMap::new(),
        active: Vec::new(),
        depth: 0,
        statement_ops: 0,
        work: 0,
        at: 0,
    };
    let mut i = 0;
    let mut code: Vec<(&str, usize)> = Vec::new();
    for directive in lex::directives(src, toks) {
        // Code before the directive, then the directive.
        code.extend(
            toks[i..directive.start]
                .iter()
                .map(|t| (&src[t.start..t.end], t.start)),
        );
        c.walk_top(&code)?;
        code.clear();
        directive_nesting(src, &toks[directive.clone()])?;
        c.directive(src, &toks[directive.clone()]);
        i = directive.end;
    }
    code.extend(toks[i..].iter().map(|t| (&src[t.start..t.end], t.start)));
    c.walk_top(&code)
}

/// The nesting of brackets within one directive line, a `#define` body even if the macro is
/// never used: the rewriter walks it, and pairs brackets by scanning (found by fuzzing: a
/// body of 100,000 nested `(true?` took the rewriter minutes).
fn directive_nesting(src: &str, line: &[Token]) -> Result<(), Violation> {
    let mut depth = 0usize;
    for t in line {
        match &src[t.start..t.end] {
            "(" | "[" | "{" => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(Violation {
                        offset: t.start,
                        message: format!(
                            "brackets, blocks and parentheses nest deeper than the limit of {MAX_NESTING} levels"
                        ),
                    });
                }
            }
            ")" | "]" | "}" => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

struct NestingGuard<'a> {
    defs: HashMap<&'a str, Rc<Macro<'a>>>,
    /// Macros being expanded (not expanded again inside themselves).
    active: Vec<&'a str>,
    /// Open `(`, `[`, `{`.
    depth: usize,
    /// Operators since the statement began.
    statement_ops: usize,
    /// Tokens emitted or copied so far.
    work: usize,
    /// Offset of the user's token being read, for messages.
    at: usize,
}

fn is_operator(t: &str) -> bool {
    matches!(
        t,
        "+" | "-"
            | "*"
            | "/"
            | "%"
            | "<"
            | ">"
            | "<="
            | ">="
            | "=="
            | "!="
            | "&&"
            | "||"
            | "^^"
            | "&"
            | "|"
            | "^"
            | "<<"
            | ">>"
            | "?"
            | "="
            | "+="
            | "-="
            | "*="
            | "/="
            | "%="
            | "&="
            | "|="
            | "^="
            | "!"
            | "~"
            | "."
    )
}

impl<'a> NestingGuard<'a> {
    fn fail(&self, message: String) -> Violation {
        Violation {
            offset: self.at,
            message,
        }
    }

    fn directive(&mut self, src: &'a str, line: &[Token]) {
        let text = |t: &Token| &src[t.start..t.end];
        // `#`, then the directive's name.
        match line.get(1).map(text) {
            Some("define") => {
                let Some(name_tok) = line.get(2).filter(|t| t.kind == Kind::Ident) else {
                    return;
                };
                let name = text(name_tok);
                let mut k = 3;
                // Function-like when `(` follows the name with no space.
                let params = match line.get(3) {
                    Some(t) if text(t) == "(" && t.start == name_tok.end => {
                        let mut params = HashMap::new();
                        k = 4;
                        while let Some(t) = line.get(k) {
                            k += 1;
                            match text(t) {
                                ")" => break,
                                "," => {}
                                p => {
                                    let n = params.len();
                                    params.entry(p).or_insert(n);
                                }
                            }
                        }
                        Some(params)
                    }
                    _ => None,
                };
                let body = line.get(k..).unwrap_or(&[]).iter().map(text).collect();
                self.defs.insert(name, Rc::new(Macro { params, body }));
            }
            Some("undef") => {
                if let Some(t) = line.get(2) {
                    self.defs.remove(text(t));
                }
            }
            _ => {}
        }
    }

    /// Reads the user's code tokens (text, offset).
    fn walk_top(&mut self, code: &[(&'a str, usize)]) -> Result<(), Violation> {
        let texts: Vec<&'a str> = code.iter().map(|(t, _)| *t).collect();
        let mut i = 0;
        while i < texts.len() {
            self.at = code[i].1;
            i = self.step(&texts, i, 0, &mut None)?;
        }
        Ok(())
    }

    /// Handles the token at `i` of `list` (expanding it if it is a macro) into `out` (the
    /// checked stream when `None`); returns the index of the next token to read.
    fn step(
        &mut self,
        list: &[&'a str],
        i: usize,
        level: usize,
        out: &mut Option<Vec<&'a str>>,
    ) -> Result<usize, Violation> {
        let t = list[i];
        let expandable = self.defs.contains_key(t) && !self.active.contains(&t);
        if !expandable {
            self.put(t, out)?;
            return Ok(i + 1);
        }
        if level >= MAX_MACRO_DEPTH {
            return Err(self.fail(format!(
                "macros expand inside each other deeper than the limit of {MAX_MACRO_DEPTH} levels (at \"{t}\")"
            )));
        }
        let m = self.defs[t].clone();
        let (body, next) = match &m.params {
            None => (m.body.to_vec(), i + 1),
            Some(params) => {
                // Not an invocation without `(` right after the name.
                let Some((args, close)) = lex::split_args(|k| list[k], i + 1, None, list.len())
                    .filter(|_| list.get(i + 1) == Some(&"("))
                else {
                    self.put(t, out)?;
                    return Ok(i + 1);
                };
                // As the preprocessor does: each argument fully expanded, then substituted.
                let mut expanded = Vec::with_capacity(args.len());
                for arg in args {
                    expanded.push(self.expand_list(&list[arg], level + 1)?);
                }
                let mut body = Vec::with_capacity(m.body.len());
                for &b in m.body.iter() {
                    match params.get(b) {
                        Some(&k) => {
                            let arg = expanded.get(k).map_or(&[][..], |a| &a[..]);
                            self.count(arg.len())?;
                            body.extend_from_slice(arg);
                        }
                        None => body.push(b),
                    }
                }
                (body, close + 1)
            }
        };
        self.count(body.len())?;
        self.active.push(t);
        let mut k = 0;
        while k < body.len() {
            k = self.step(&body, k, level + 1, out)?;
        }
        self.active.pop();
        Ok(next)
    }

    /// `list` with its macros expanded.
    fn expand_list(&mut self, list: &[&'a str], level: usize) -> Result<Vec<&'a str>, Violation> {
        let mut out = Some(Vec::new());
        let mut k = 0;
        while k < list.len() {
            k = self.step(list, k, level, &mut out)?;
        }
        Ok(out.unwrap_or_default())
    }

    /// One token into `out`, or into the checked stream.
    fn put(&mut self, t: &'a str, out: &mut Option<Vec<&'a str>>) -> Result<(), Violation> {
        match out {
            Some(v) => {
                self.count(1)?;
                v.push(t);
                Ok(())
            }
            None => self.emit(t),
        }
    }

    /// Counts `n` tokens of work against [`MAX_EXPANDED_TOKENS`].
    fn count(&mut self, n: usize) -> Result<(), Violation> {
        self.work += n;
        if self.work > MAX_EXPANDED_TOKENS {
            return Err(self.fail(format!(
                "the shader expands to more than the limit of {MAX_EXPANDED_TOKENS} tokens (macros expanded)"
            )));
        }
        Ok(())
    }

    /// One token of the expanded code.
    fn emit(&mut self, t: &str) -> Result<(), Violation> {
        self.count(1)?;
        match t {
            "(" | "[" | "{" => {
                self.depth += 1;
                if self.depth > MAX_NESTING {
                    return Err(self.fail(format!(
                        "brackets, blocks and parentheses nest deeper than the limit of {MAX_NESTING} levels"
                    )));
                }
                if t == "{" {
                    self.statement_ops = 0;
                }
            }
            ")" | "]" | "}" => {
                self.depth = self.depth.saturating_sub(1);
                if t == "}" {
                    self.statement_ops = 0;
                }
            }
            ";" => self.statement_ops = 0,
            _ if is_operator(t) => {
                self.statement_ops += 1;
                if self.statement_ops > MAX_STATEMENT_OPERATORS {
                    return Err(self.fail(format!(
                        "a statement has more than the limit of {MAX_STATEMENT_OPERATORS} operators"
                    )));
                }
            }
            _ => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lex::tokenize;

    fn run(src: &str) -> Result<(), Violation> {
        check(src, &tokenize(src))
    }

    #[test]
    fn real_code_passes() {
        let src = "#define SQ(x) ((x)*(x))\n#define TWO 2.0\nvoid main() { float a = SQ(TWO) + 1.0; if (a > 0.0) { a = -a; } }\n";
        assert_eq!(run(src), Ok(()));
    }

    #[test]
    fn nesting_is_counted_through_macros() {
        let deep = format!(
            "void main() {{ float a = {}1.0{}; }}",
            "(".repeat(300),
            ")".repeat(300)
        );
        let err = run(&deep).unwrap_err();
        assert_eq!(
            err.message,
            "brackets, blocks and parentheses nest deeper than the limit of 256 levels"
        );
        assert_eq!(err.offset, deep.find("(((").unwrap() + 255);
        // 20 parentheses per use of O, 20 uses: 400 deep, from a short file.
        let src = format!(
            "#define O ((((((((((((((((((((\n#define C ))))))))))))))))))))\nvoid main() {{ float a = {}1.0{}; }}",
            "O ".repeat(20),
            "C ".repeat(20)
        );
        let err = run(&src).unwrap_err();
        assert!(err.message.starts_with("brackets, blocks"), "{err:?}");
        // At the use of O that crossed the limit (the 13th: 12 * 20 + 17 > 256).
        assert_eq!(err.offset, src.find("O O").unwrap() + 12 * 2);
    }

    #[test]
    fn macro_bombs_stop_at_the_token_limit() {
        let mut src = String::from("#define A0 x x x x x x x x x x\n");
        for k in 1..8 {
            src.push_str(&format!(
                "#define A{k} {}\n",
                format!("A{} ", k - 1).repeat(10)
            ));
        }
        src.push_str("void main() { A7; }\n");
        let err = run(&src).unwrap_err();
        assert_eq!(
            err.message,
            "the shader expands to more than the limit of 1000000 tokens (macros expanded)"
        );
        assert_eq!(err.offset, src.find("A7;").unwrap());
        // Function-like: each level doubles its argument.
        let src = format!(
            "#define D(x) x x\nvoid main() {{ {}1{}; }}",
            "D(".repeat(40),
            ")".repeat(40)
        );
        assert!(run(&src).unwrap_err().message.contains("1000000 tokens"));
    }

    #[test]
    fn self_reference_is_not_expanded_again() {
        assert_eq!(
            run("#define X X + 1\nvoid main() { float X = 0.0; X; }\n"),
            Ok(())
        );
        assert_eq!(
            run("#define A B\n#define B A\nvoid main() { A; }\n"),
            Ok(())
        );
    }

    #[test]
    fn chains_of_macros_stop_at_the_depth_limit() {
        let mut src = String::from("#define M0 1\n");
        for k in 1..100 {
            src.push_str(&format!("#define M{k} M{}\n", k - 1));
        }
        src.push_str("void main() { float a = M99; }\n");
        let err = run(&src).unwrap_err();
        assert_eq!(
            err.message,
            "macros expand inside each other deeper than the limit of 64 levels (at \"M35\")"
        );
    }

    #[test]
    fn long_statements_stop_at_the_operator_limit() {
        let src = format!("void main() {{ float a = 1.0{}; }}", " + a".repeat(5000));
        let err = run(&src).unwrap_err();
        assert_eq!(
            err.message,
            "a statement has more than the limit of 4000 operators"
        );
        // Many short statements are fine.
        let src = format!(
            "void main() {{ float a = 1.0; {} }}",
            "a = a + 1.0;".repeat(5000)
        );
        assert_eq!(run(&src), Ok(()));
    }
}
