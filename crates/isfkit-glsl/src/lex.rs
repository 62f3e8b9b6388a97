//! A small GLSL tokenizer: enough structure for the rewriter, with every token's byte range
//! in the user's text so the output can be mapped back.

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
    /// True for tokens on a preprocessor line (`#...` up to the end of the line, with
    /// backslash continuations).
    pub directive: bool,
}

/// Splits comment-free GLSL into tokens. Whitespace is not a token: the text between two
/// tokens is copied through by the rewriter as it is.
pub fn tokenize(src: &str) -> Vec<Token> {
    let b = src.as_bytes();
    let mut toks = Vec::new();
    let mut i = 0;
    let mut in_directive = false;
    let mut line_has_token = false;
    while i < b.len() {
        let c = b[i];
        if c == b'\n' {
            in_directive = false;
            line_has_token = false;
            i += 1;
            continue;
        }
        if c == b'\\' && i + 1 < b.len() && (b[i + 1] == b'\n' || b[i + 1] == b'\r') {
            // Line continuation keeps a directive going.
            i += if b[i + 1] == b'\r' && i + 2 < b.len() && b[i + 2] == b'\n' {
                3
            } else {
                2
            };
            continue;
        }
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c == b'#' && !line_has_token {
            in_directive = true;
        }
        line_has_token = true;
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
        toks.push(Token {
            kind,
            start,
            end: i,
            directive: in_directive,
        });
    }
    toks
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
}
