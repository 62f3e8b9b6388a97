//! A small GLSL tokenizer: enough structure for the rewriter, with every token's byte range
//! in the user's text so the output can be mapped back, and where each preprocessor
//! directive begins and ends.

use std::ops::Range;

/// The byte offset of a `/*` comment that is never closed, if `src` has one (outside `//`
/// comments). GL compilers refuse such a file; stripped, it would hide the rest of the code.
pub fn unclosed_comment(src: &str) -> Option<usize> {
    isfkit_format::find_comments(src.as_bytes()).unclosed
}

/// Replaces `//` and `/* */` comments with spaces (newlines kept), so byte offsets, lines and
/// columns of everything else stay those of the original text.
pub fn strip_comments(src: &str) -> String {
    isfkit_format::mask_comments(src)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Ident,
    Number,
    Punct,
}

#[derive(Debug, Clone, Copy)]
pub struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    /// True for tokens of a preprocessor directive (inside one of [`directive_spans`]).
    pub directive: bool,
}

/// Splits comment-free GLSL into tokens. Whitespace is not a token: the text between two
/// tokens is copied through by the rewriter as it is. A token inside one of
/// [`directive_spans`] is marked `directive`.
pub fn tokenize(src: &str) -> Vec<Token> {
    let b = src.as_bytes();
    let spans = directive_spans(src);
    let mut spans = spans.iter().peekable();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if let Some(n) = continuation(b, i) {
            i += n;
            continue;
        }
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let kind = if c.is_ascii_alphabetic() || c == b'_' {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            Kind::Ident
        } else if c.is_ascii_digit() || (c == b'.' && i + 1 < b.len() && b[i + 1].is_ascii_digit())
        {
            while i < b.len() {
                let d = b[i];
                let exp_sign = (d == b'+' || d == b'-')
                    && matches!(b[i - 1], b'e' | b'E')
                    && !is_hex(&b[start..i]);
                if d.is_ascii_alphanumeric() || d == b'.' || exp_sign {
                    i += 1;
                } else {
                    break;
                }
            }
            Kind::Number
        } else {
            // Multi-byte operators matter only for `==`-style checks in the rewriter; keep them
            // whole so `=` detection does not see `==`, `<=`, `+=`...
            let two = if i + 1 < b.len() {
                &b[i..i + 2]
            } else {
                &b[i..i + 1]
            };
            let len = match two {
                b"==" | b"!=" | b"<=" | b">=" | b"&&" | b"||" | b"^^" | b"++" | b"--" | b"+="
                | b"-=" | b"*=" | b"/=" | b"%=" | b"&=" | b"|=" | b"^=" | b"<<" | b">>" | b"##" => {
                    2
                }
                _ => {
                    // A multi-byte UTF-8 character stays whole.
                    let mut n = 1;
                    while i + n < b.len() && (b[i + n] & 0xC0) == 0x80 {
                        n += 1;
                    }
                    n
                }
            };
            i += len;
            Kind::Punct
        };
        while spans.next_if(|s| s.end <= start).is_some() {}
        toks.push(Token {
            kind,
            start,
            end: i,
            directive: spans.peek().is_some_and(|s| s.start <= start),
        });
    }
    toks
}

/// The length of the line continuation (`\` and a line break: `\n`, `\r\n` or `\r`) at
/// `i` of `b`, if one starts there.
fn continuation(b: &[u8], i: usize) -> Option<usize> {
    if b[i] != b'\\' || i + 1 >= b.len() || !matches!(b[i + 1], b'\n' | b'\r') {
        return None;
    }
    Some(
        if b[i + 1] == b'\r' && i + 2 < b.len() && b[i + 2] == b'\n' {
            3
        } else {
            2
        },
    )
}

/// The byte spans of the preprocessor directives of comment-free `src`, in order. A directive
/// starts at a `#` that is the first token of its line and ends at the next newline that is
/// not escaped by a line continuation (`\` right before the line break), that newline left
/// out, or at the end of the text. This is the one answer to where a directive ends: the
/// tokenizer's `directive` flags, the nesting guard and the rewriter all take it from here.
pub fn directive_spans(src: &str) -> Vec<Range<usize>> {
    let b = src.as_bytes();
    let mut spans = Vec::new();
    let mut open: Option<usize> = None;
    let mut line_has_token = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'\n' {
            if let Some(start) = open.take() {
                spans.push(start..i);
            }
            line_has_token = false;
            i += 1;
            continue;
        }
        if let Some(n) = continuation(b, i) {
            i += n;
            continue;
        }
        if !c.is_ascii_whitespace() {
            if c == b'#' && !line_has_token {
                open = Some(i);
            }
            line_has_token = true;
        }
        i += 1;
    }
    if let Some(start) = open {
        spans.push(start..b.len());
    }
    spans
}

/// The directives of `toks` (the tokens of `src`) as token index ranges, in order: the
/// tokens inside each of [`directive_spans`]. Each range starts at the directive's `#`.
pub fn directives(src: &str, toks: &[Token]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut k = 0;
    for span in directive_spans(src) {
        while k < toks.len() && toks[k].start < span.start {
            k += 1;
        }
        let first = k;
        while k < toks.len() && toks[k].start < span.end {
            k += 1;
        }
        if k > first {
            out.push(first..k);
        }
    }
    out
}

/// The arguments of the call whose `(` is at index `open` of a token list (`text(i)` is the
/// text of token `i`), split at the commas outside nested brackets: the index range of each
/// argument (one, empty, for `()`) and the index of the closing `)`.
///
/// With `close` given (the rewriter, which pairs brackets itself), the tokens up to `close`
/// are split and `(`, `[` and `{` all nest. Without it (a macro call, as the C preprocessor
/// reads one), only parentheses nest and the call ends at the first `)` outside them before
/// `end`; `None` when there is none.
pub(crate) fn split_args<'a>(
    text: impl Fn(usize) -> &'a str,
    open: usize,
    close: Option<usize>,
    end: usize,
) -> Option<(Vec<Range<usize>>, usize)> {
    let mut args = Vec::new();
    let mut depth = 0isize;
    let mut start = open + 1;
    let stop = close.unwrap_or(end);
    for i in open + 1..stop {
        match text(i) {
            "(" => depth += 1,
            "[" | "{" if close.is_some() => depth += 1,
            ")" if depth == 0 && close.is_none() => {
                args.push(start..i);
                return Some((args, i));
            }
            ")" => depth -= 1,
            "]" | "}" if close.is_some() => depth -= 1,
            "," if depth == 0 => {
                args.push(start..i);
                start = i + 1;
            }
            _ => {}
        }
    }
    let close = close?;
    args.push(start..close);
    Some((args, close))
}

fn is_hex(s: &[u8]) -> bool {
    s.len() > 1 && s[0] == b'0' && (s[1] == b'x' || s[1] == b'X')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_become_spaces_and_keep_offsets() {
        let src = "a // x\nb /* y\n z */ c";
        let s = strip_comments(src);
        assert_eq!(s.len(), src.len());
        assert_eq!(s.lines().count(), 3);
        assert_eq!(s, "a     \nb     \n      c");
    }

    #[test]
    fn tokens_and_directives() {
        let src = "#define X 1.5e-3\nfloat a=X<=b;";
        let t = tokenize(src);
        let texts: Vec<&str> = t.iter().map(|t| &src[t.start..t.end]).collect();
        assert_eq!(
            texts,
            ["#", "define", "X", "1.5e-3", "float", "a", "=", "X", "<=", "b", ";"]
        );
        assert!(t[3].directive);
        assert!(!t[4].directive);
    }

    #[test]
    fn a_directive_ends_at_the_first_unescaped_newline() {
        let src = "#define A(x) \\\n  x # x\r\n #undef A\na # b\n#e\\\r\nf";
        let spans: Vec<&str> = directive_spans(src).into_iter().map(|r| &src[r]).collect();
        assert_eq!(
            spans,
            ["#define A(x) \\\n  x # x\r", "#undef A", "#e\\\r\nf"]
        );
        let toks = tokenize(src);
        let text = |r: Range<usize>| -> Vec<&str> {
            toks[r].iter().map(|t| &src[t.start..t.end]).collect()
        };
        let lines: Vec<Vec<&str>> = directives(src, &toks).into_iter().map(text).collect();
        assert_eq!(
            lines,
            [
                vec!["#", "define", "A", "(", "x", ")", "x", "#", "x"],
                vec!["#", "undef", "A"],
                vec!["#", "e", "f"],
            ]
        );
    }

    #[test]
    fn call_arguments_split_at_top_level_commas() {
        let list = [
            "f", "(", "a", ",", "g", "(", "b", ",", "c", ")", ",", "[", "d", ",", "e", "]", ")",
            "x",
        ];
        let text = |i: usize| list[i];
        // A macro call: only parentheses nest; the call ends at its `)`.
        let (args, close) = split_args(text, 1, None, list.len()).unwrap();
        assert_eq!(args, [2..3, 4..10, 11..13, 14..16]);
        assert_eq!(close, 16);
        // A GLSL call, closed at 16: brackets nest too.
        let (args, _) = split_args(text, 1, Some(16), list.len()).unwrap();
        assert_eq!(args, [2..3, 4..10, 11..16]);
        assert_eq!(split_args(text, 1, None, 9), None);
        assert_eq!(
            split_args(|i| ["(", ")"][i], 0, None, 2),
            Some((std::iter::once(1..1).collect(), 1))
        );
    }
}
