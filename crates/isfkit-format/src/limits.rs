//! The limits of what an ISF file may ask of the parser: file size, JSON nesting, size
//! expressions. Every limit is a clear error naming it (never a stack overflow or an
//! unbounded allocation); real shaders stay far below each.

use std::io::Read;
use std::path::Path;

/// The largest shader file (`.fs`, `.vs`) read: 1 MiB. Real ISF shaders are a few KiB; the
/// largest in VIDVOX's collections is under 100 KiB. Files are read through this cap, so a
/// path like `/dev/zero` ends in an error instead of exhausting memory.
pub const MAX_SHADER_BYTES: u64 = 1 << 20;

/// The deepest nesting of arrays and objects in the JSON header: 64 (real headers nest 4
/// deep: root, INPUTS, an input, its VALUES). The JSON readers recurse per level.
pub const MAX_JSON_DEPTH: usize = 64;

/// The longest `WIDTH`/`HEIGHT` expression, in characters: 1,000. A binary chain
/// (`1+1+...`) builds a tree as deep as it is long, and evaluating recurses over it.
pub const MAX_EXPR_CHARS: usize = 1_000;

/// The deepest nesting of parentheses, function calls and unary signs in a size
/// expression: 32 (real ones nest 2 or 3 deep: `floor(max($WIDTH/2.0, 1.0))`).
pub const MAX_EXPR_DEPTH: usize = 32;

/// Reads the file at `path`, at most `limit` bytes: a longer file (or an endless one such as
/// `/dev/zero`) is an `InvalidData` error: "the file is larger than the `what` limit of
/// 1 MiB" (`what`: "shader file", "job file", ...). Other errors are the file system's.
pub fn read_file_capped(path: &Path, limit: u64, what: &str) -> std::io::Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "the file is larger than the {what} limit of {}",
                describe_bytes(limit)
            ),
        ));
    }
    Ok(bytes)
}

/// `1 MiB`, `16 MiB`, `512 KiB`, or a byte count.
pub fn describe_bytes(n: u64) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 10 && n.is_multiple_of(1 << 10) {
        format!("{} KiB", n >> 10)
    } else {
        format!("{n} bytes")
    }
}

/// The byte offset of the first `[`/`{` in JSON-like `text` that opens a level deeper than
/// `limit`, outside strings (both quote kinds, with escapes) and `//` comments (the tolerant
/// reader's; a `/* */` comment cannot occur inside the header's own comment); `None` when
/// none does.
pub(crate) fn json_too_deep(text: &str, limit: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut escaped = false;
    let mut comment = false;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if comment {
            comment = b != b'\n';
            continue;
        }
        if quote.is_none() && b == b'/' && bytes.get(i + 1) == Some(&b'/') {
            comment = true;
            continue;
        }
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == q {
                quote = None;
            }
            continue;
        }
        match b {
            b'"' | b'\'' => quote = Some(b),
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_depth_skips_strings() {
        assert_eq!(json_too_deep(r#"{"a": [1, {"b": "[[[["}]}"#, 3), None);
        assert_eq!(json_too_deep(r#"{"a": [1, {"b": "[[[["}]}"#, 2), Some(10));
        assert_eq!(json_too_deep(r#"{'a': "\"[[" }"#, 1), None);
        assert_eq!(json_too_deep("[[[]]]", 2), Some(2));
        // A quote in a comment does not hide the brackets after it.
        assert_eq!(json_too_deep("{ // don't\n [[[", 3), Some(14));
    }

    #[test]
    fn byte_sizes_read_well() {
        assert_eq!(describe_bytes(1 << 20), "1 MiB");
        assert_eq!(describe_bytes(16 << 20), "16 MiB");
        assert_eq!(describe_bytes(512 << 10), "512 KiB");
        assert_eq!(describe_bytes(1000), "1000 bytes");
    }

    #[test]
    fn capped_reads_stop_at_the_limit() {
        let err = read_file_capped(Path::new("/dev/zero"), 1 << 10, "shader file").unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
        assert_eq!(
            err.to_string(),
            "the file is larger than the shader file limit of 1 KiB"
        );
    }
}
