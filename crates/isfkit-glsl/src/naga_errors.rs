//! naga's errors, moved to the user's file: parse errors (with the lexer errors naga gives
//! no position, found again here), validation errors at their innermost span, and the
//! duplicate-location error said at the user's declaration. An error that lands in code
//! isfkit generated says so ("please report this").

use isfkit_format::{Diagnostic, Severity};

use crate::{lex, words, StageDiagnostic, StageSource};

/// naga's parse errors of stage `src`, each at its place in the user's file.
pub(crate) fn parse_errors(
    src: &StageSource,
    errors: Vec<naga::front::glsl::Error>,
) -> Vec<StageDiagnostic> {
    let mut out = Vec::new();
    // naga's lexer gives no position for a character GLSL does not have or a
    // malformed number: find them (in order), rather than blame the generated code.
    let mut unplaced = lexer_errors(&src.glsl).into_iter();
    let mut lexer_error = false;
    for err in errors {
        let text = err.kind.to_string();
        let this_lexer = err.meta.to_range().is_none() && LEXER_ERRORS.contains(&text.as_str());
        let (offset, message) = match err.meta.to_range() {
            None if this_lexer => match unplaced.find(|(_, kind, _)| *kind == text) {
                Some((at, _, message)) => (Some(at), message),
                None => (None, text),
            },
            range => (range.map(|r| r.start), words::unrename(&text)),
        };
        // The lexer drops the two characters after an unexpected one (a `}` at the
        // end of the user's code, say): errors in the generated code after it follow
        // from the user's error and say nothing more.
        if !this_lexer && lexer_error && offset.and_then(|o| src.map.lookup(o)).is_none() {
            continue;
        }
        lexer_error |= this_lexer;
        // A token the parser expected and did not find, where generated code resumes right
        // after the user's text (a global's initialiser moved into a function, `float x = !;`):
        // the user's text ends too early, so the error is at its end.
        let offset = offset.map(|o| match src.map.lookup(o) {
            None => after_user_text(src, o).unwrap_or(o),
            Some(_) => o,
        });
        // naga folds a built-in over constants with no position (its built-ins carry none):
        // a math function given a bool is the user's error, found again here.
        if offset.is_none() && message == CONSTANT_MATH_ERROR {
            out.push(constant_math_error(src, message));
            continue;
        }
        out.push(map_diagnostic(src, offset, message));
    }
    out
}

/// A validation error of stage `src` at its place in the user's file.
pub(crate) fn validation_error(
    src: &StageSource,
    err: &naga::WithSpan<naga::valid::ValidationError>,
) -> StageDiagnostic {
    // naga lists the outermost span (the function) first and the innermost (the
    // expression or local at fault) last: point at the innermost one in the user's code.
    let starts: Vec<usize> = err
        .spans()
        .filter_map(|(span, _)| span.to_range())
        .map(|r| r.start)
        .collect();
    let offset = starts
        .iter()
        .rev()
        .find(|&&o| src.map.lookup(o).is_some())
        .or(starts.first())
        .copied();
    let mut message = err.as_inner().to_string();
    let mut source = std::error::Error::source(err.as_inner());
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    // The user's `main` is renamed in the generated code; say so in their terms.
    let message = words::unrename(&message.replace("'isf_user_main'", "'main'"));
    duplicate_location(src, &message).unwrap_or_else(|| map_diagnostic(src, offset, message))
}

/// The generated offset of the last character of the user's text that ends right before
/// generated offset `o` (whitespace between them allowed), when there is such text.
fn after_user_text(src: &StageSource, o: usize) -> Option<usize> {
    let before = src.glsl.get(..o)?.trim_end();
    let (last, _) = before.char_indices().next_back()?;
    src.map.lookup(last).map(|_| last)
}

/// naga's message for a math built-in folded over a constant of a type it does not take.
const CONSTANT_MATH_ERROR: &str = "Cannot apply math function to type";

/// GLSL's math built-ins that take only floating-point or integer values (genType).
const MATH_BUILT_INS: &[&str] = &[
    "radians",
    "degrees",
    "sin",
    "cos",
    "tan",
    "asin",
    "acos",
    "atan",
    "sinh",
    "cosh",
    "tanh",
    "asinh",
    "acosh",
    "atanh",
    "pow",
    "exp",
    "log",
    "exp2",
    "log2",
    "sqrt",
    "inversesqrt",
    "abs",
    "sign",
    "floor",
    "trunc",
    "round",
    "roundEven",
    "ceil",
    "fract",
    "mod",
    "modf",
    "min",
    "max",
    "clamp",
    "mix",
    "step",
    "smoothstep",
    "length",
    "distance",
    "dot",
    "cross",
    "normalize",
    "faceforward",
    "reflect",
    "refract",
];

/// The error naga gives without a position when it folds a math built-in over a bool: at the
/// first call in the user's code of a math built-in whose arguments hold a comparison, a
/// logical operator or a bool literal; without a position (but as the user's error, not ours)
/// when there is none.
fn constant_math_error(src: &StageSource, message: String) -> StageDiagnostic {
    let message = format!(
        "{message}: a math built-in function (such as fract, clamp or abs) was given a bool"
    );
    let code = lex::strip_comments(&src.user_source);
    let toks = lex::tokenize(&code);
    let text = |i: usize| toks.get(i).map_or("", |t| &code[t.start..t.end]);
    let bool_valued = [
        "<", ">", "<=", ">=", "==", "!=", "&&", "||", "^^", "!", "true", "false",
    ];
    let at = (0..toks.len()).find_map(|i| {
        if !MATH_BUILT_INS.contains(&text(i)) || text(i + 1) != "(" {
            return None;
        }
        let (args, close) = lex::split_args(text, i + 1, None, toks.len())?;
        let in_args = (args.first()?.start..close).any(|j| bool_valued.contains(&text(j)));
        in_args.then_some(toks[i].start)
    });
    let diagnostic = match at {
        Some(at) => Diagnostic::at_offset(Severity::Error, &src.user_source, at, message),
        None => Diagnostic::bare(Severity::Error, message),
    };
    StageDiagnostic {
        stage: src.stage,
        diagnostic,
    }
}

/// The errors naga's GLSL lexer (pp-rs) reports without a position, by their text.
const LEXER_ERRORS: [&str; 5] = [
    "UnexpectedCharacter",
    "FloatParsingError",
    "IntegerOverflow",
    "NotSupported64BitLiteral",
    "NotSupported16BitLiteral",
];

/// The lexer errors of `glsl`, in order: byte offset, the error's name in
/// [`LEXER_ERRORS`], and a message. It follows pp-rs's lexer (characters GLSL does not
/// have: a backquote, `@`, `$`, a quote, a stray backslash; numbers the way `parse_number`
/// reads them) over the code without comments.
fn lexer_errors(glsl: &str) -> Vec<(usize, &'static str, String)> {
    let code = lex::strip_comments(glsl);
    let chars: Vec<(usize, char)> = code.char_indices().collect();
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let mut errors = Vec::new();
    let mut i = 0;
    while let Some(c) = at(i) {
        let start = chars[i].0;
        if c.is_alphabetic() || c == '_' {
            while at(i).is_some_and(|c| c.is_alphanumeric() || c == '_') {
                i += 1;
            }
        } else if c.is_ascii_digit() || (c == '.' && at(i + 1).is_some_and(|d| d.is_ascii_digit()))
        {
            // pp-rs's `parse_number`.
            let digits = |i: &mut usize| {
                while at(*i).is_some_and(|d| d.is_ascii_digit()) {
                    *i += 1;
                }
            };
            let mut radix = 10;
            let mut float = c == '.';
            i += 1;
            if c == '0' && matches!(at(i), Some('x' | 'X')) {
                i += 1;
                while at(i).is_some_and(|d| d.is_ascii_hexdigit()) {
                    i += 1;
                }
                radix = 16;
            } else if c == '0' && at(i).is_some_and(|d| d.is_ascii_digit()) {
                radix = 8;
            }
            if !float {
                digits(&mut i);
                if at(i) == Some('.') {
                    i += 1;
                    float = true;
                }
            }
            if float {
                digits(&mut i);
            }
            let mut exponent_digits = true;
            if (float || radix != 16) && matches!(at(i), Some('e' | 'E')) {
                i += 1;
                float = true;
                if matches!(at(i), Some('+' | '-')) {
                    i += 1;
                }
                let from = i;
                digits(&mut i);
                exponent_digits = i > from;
            }
            let end = chars.get(i).map_or(code.len(), |&(o, _)| o);
            let text = &code[start..end];
            let suffix = at(i);
            let (kind, what) = match suffix {
                Some('l' | 'L') => (
                    "NotSupported64BitLiteral",
                    "64-bit numbers are not supported",
                ),
                Some('h' | 'H') if float => (
                    "NotSupported16BitLiteral",
                    "16-bit numbers are not supported",
                ),
                Some('s' | 'S') if !float => (
                    "NotSupported16BitLiteral",
                    "16-bit numbers are not supported",
                ),
                _ if float && !exponent_digits => ("FloatParsingError", "malformed number"),
                _ if !float => {
                    let body = if radix == 10 { text } else { &text[1..] };
                    let body = body.trim_start_matches(['x', 'X']);
                    if u64::from_str_radix(body, radix).is_ok() {
                        ("", "")
                    } else if radix == 8 {
                        (
                            "IntegerOverflow",
                            "invalid octal number (a leading 0 means octal)",
                        )
                    } else {
                        ("IntegerOverflow", "the number is too large")
                    }
                }
                _ => ("", ""),
            };
            if !kind.is_empty() {
                errors.push((start, kind, format!("{what}: {text}")));
            }
            if matches!(suffix, Some('f' | 'F' | 'u' | 'U')) {
                i += 1;
            }
        } else if c == '\\' && matches!(at(i + 1), Some('\n' | '\r')) {
            i += 2;
        } else if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
            || "+-*/%<>=!&|^(){}[],;:~?#.".contains(c)
        {
            i += 1;
        } else {
            // Invisible characters are shown as `\u{15}`.
            let shown = if c.is_control() || c.is_whitespace() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            };
            errors.push((
                start,
                "UnexpectedCharacter",
                format!("unexpected character '{shown}'"),
            ));
            // pp-rs drops the character and the two after it.
            i += 3;
        }
    }
    errors
}

/// naga's "Multiple bindings at location N" (reported on the generated `main`): two of the
/// user's declarations ended up at location N. Either a varying declared twice where both
/// declarations reach the compiler (two in the branches of one `#if` are fine), or the user's
/// own `layout(location = N)` beside a varying isfkit placed there. Said at the user's later
/// declaration; `None` when the message is another or the declarations are not the user's.
fn duplicate_location(src: &StageSource, message: &str) -> Option<StageDiagnostic> {
    let n: u32 = message
        .split("Multiple bindings at location ")
        .nth(1)?
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()?;
    if src.user_source.is_empty() {
        return None;
    }
    let glsl = &src.glsl;
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    // The user's declarations at location N: (offset in the user's file, name).
    let mut found: Vec<(usize, String)> = Vec::new();
    let mut from = 0;
    while let Some(p) = glsl[from..].find("location") {
        let at = from + p;
        from = at + "location".len();
        let Some(rest) = glsl[from..].trim_start().strip_prefix('=') else {
            continue;
        };
        let digits: String = rest
            .trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if digits.parse::<u32>() != Ok(n) {
            continue;
        }
        let Some(len) = glsl[at..].find(';') else {
            continue;
        };
        // The declared name: the last word before `;`, or before an array size.
        let decl = glsl[at..at + len]
            .split('[')
            .next()
            .unwrap_or("")
            .trim_end();
        let name = decl.rsplit(|c: char| !is_word(c)).next().unwrap_or("");
        let name_at = at + decl.len() - name.len();
        if let Some(user) = src.map.lookup(name_at) {
            found.push((user, words::unrename(name)));
        }
    }
    let [(_, first), (user, second), ..] = found.as_slice() else {
        return None;
    };
    let message = if first == second {
        format!("the varying \"{second}\" is declared more than once; GLSL allows one declaration of a name")
    } else {
        format!("the varyings \"{first}\" and \"{second}\" both use location {n}")
    };
    Some(StageDiagnostic {
        stage: src.stage,
        diagnostic: Diagnostic::at_offset(Severity::Error, &src.user_source, *user, message),
    })
}

/// Moves a naga error at `offset` of the generated code to the user's file.
pub(crate) fn map_diagnostic(
    src: &StageSource,
    offset: Option<usize>,
    message: String,
) -> StageDiagnostic {
    let user = offset.and_then(|o| src.map.lookup(o));
    let diagnostic = match user {
        Some(u) if !src.user_source.is_empty() => {
            Diagnostic::at_offset(Severity::Error, &src.user_source, u, message)
        }
        // Nothing of `main` reached the compiler: an `#if` without its `#endif` (or a
        // directive that swallowed the rest) hid it. Desktop drivers refuse such a file too.
        None if message.contains("Missing entry point") => Diagnostic::bare(
            Severity::Error,
            "the compiler found no main() function: check that main is defined and that \
             every #if, #ifdef and #ifndef has its #endif"
                .to_owned(),
        ),
        // The user's text ends inside a block (its last `}` missing): the code isfkit adds
        // after it lands inside that block, where naga trips over it.
        None if let Some(open) = unclosed_brace(&src.user_source) => Diagnostic::at_offset(
            Severity::Error,
            &src.user_source,
            open,
            "this `{` is never closed: the file ends first (a `}` is missing)",
        ),
        _ => {
            let gen_line = offset
                .map(|o| isfkit_format::line_col(&src.glsl, o).0)
                .unwrap_or(0);
            Diagnostic::bare(
                Severity::Error,
                format!(
                    "{message} (in code isfkit generated, line {gen_line}; please report this)"
                ),
            )
        }
    };
    StageDiagnostic {
        stage: src.stage,
        diagnostic,
    }
}

/// The last `{` of `user` (comments and preprocessor lines left out) that no `}` closes.
fn unclosed_brace(user: &str) -> Option<usize> {
    let code = lex::strip_comments(user);
    let mut open = Vec::new();
    for t in lex::tokenize(&code).iter().filter(|t| !t.directive) {
        match &code[t.start..t.end] {
            "{" => open.push(t.start),
            "}" => {
                open.pop();
            }
            _ => {}
        }
    }
    open.pop()
}
