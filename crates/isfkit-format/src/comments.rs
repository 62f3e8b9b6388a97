//! Comments of GLSL source, found once for every reader of the text: the header decoder (which
//! forgives bytes that are not UTF-8 inside comments), the shader translator (which blanks
//! comments before it tokenizes) and the check for a comment never closed.

use std::ops::Range;

/// The comments of a GLSL text, as byte ranges.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comments {
    /// Every `//` comment (to the end of its line, the newline excluded) and `/* */` comment
    /// (both delimiters included), in order. GLSL has no string literals, so nothing else
    /// can hide a comment's opening.
    pub ranges: Vec<Range<usize>>,
    /// The offset of a `/*` never closed (its range runs to the end of the text).
    pub unclosed: Option<usize>,
}

/// Finds the comments of `bytes`.
pub fn find_comments(bytes: &[u8]) -> Comments {
    let mut found = Comments::default();
    let mut i = 0;
    while i + 1 < bytes.len() {
        match (bytes[i], bytes[i + 1]) {
            (b'/', b'/') => {
                let start = i;
                // A backslash-newline continues a line comment in GLSL; rare, not followed.
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                found.ranges.push(start..i);
            }
            (b'/', b'*') => {
                let start = i;
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                if i + 1 >= bytes.len() {
                    found.unclosed = Some(start);
                    i = bytes.len();
                } else {
                    i += 2;
                }
                found.ranges.push(start..i);
            }
            _ => i += 1,
        }
    }
    found
}

/// `src` with every comment replaced by spaces (newlines kept), so the byte offsets, lines and
/// columns of everything else stay those of the original text.
pub fn mask_comments(src: &str) -> String {
    let mut out = src.as_bytes().to_vec();
    for range in find_comments(src.as_bytes()).ranges {
        for b in &mut out[range] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    }
    // Only bytes inside comments were replaced, each by an ASCII space, and a comment's
    // delimiters are ASCII: the result is valid UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_block_comments_and_an_unclosed_one() {
        let src = "a // b\nc /* d\ne */ f /* g";
        let c = find_comments(src.as_bytes());
        assert_eq!(c.ranges, vec![2..6, 9..18, 21..25]);
        assert_eq!(c.unclosed, Some(21));
        assert_eq!(mask_comments(src), "a     \nc     \n     f     ");
    }

    #[test]
    fn delimiters_do_not_overlap() {
        // `/*/` does not close itself; `//` inside a block comment is part of it.
        let c = find_comments(b"/*/ x // */y");
        assert_eq!(c.ranges, vec![0..11]);
        assert_eq!(c.unclosed, None);
        assert_eq!(mask_comments("x /* é */ y"), "x          y");
    }
}
