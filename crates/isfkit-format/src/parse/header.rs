//! Locating the ISF JSON header in a file: the first `/* */` comment, and the code with the
//! header's lines emptied.

use super::FormatError;
use crate::diag::{Diagnostic, Severity};

pub(super) const NO_HEADER: &str =
    "no ISF JSON header: the file must start with a /* { ... } */ comment";

pub(super) struct Header<'s> {
    /// The text between `/*` and `*/`.
    pub(super) text: &'s str,
    /// Byte offset of `text` in the file.
    pub(super) start: usize,
    /// Byte offset of the closing `*/` in the file.
    pub(super) close: usize,
}

/// `(open, close)`: the byte offsets of the first `/*` and of the first `*/` after it.
pub(super) fn header_comment(source: &str) -> Option<(usize, usize)> {
    let open = source.find("/*")?;
    let close = open + 2 + source[open + 2..].find("*/")?;
    Some((open, close))
}

pub(super) fn extract_header(source: &str) -> Result<Header<'_>, FormatError> {
    let (open, close) = header_comment(source).ok_or_else(|| {
        FormatError::invalid(Diagnostic::at(Severity::Error, source, 1, 1, NO_HEADER))
    })?;
    let start = open + 2;
    let text = &source[start..close];
    if text.trim().is_empty() {
        return Err(FormatError::invalid(Diagnostic::at_offset(
            Severity::Error,
            source,
            open,
            "the ISF JSON header is empty",
        )));
    }
    Ok(Header { text, start, close })
}

/// The file with every line up to and including the one holding `*/` emptied (newlines kept).
pub(super) fn blank_header_lines(source: &str, close: usize) -> String {
    let end = source[close..]
        .find('\n')
        .map_or(source.len(), |i| close + i);
    let mut code: String = source[..end].chars().filter(|&c| c == '\n').collect();
    code.push_str(&source[end..]);
    code
}
