//! Reading a GLSL file's bytes as text the way GL drivers do.

use crate::diag::{Diagnostic, Severity};

/// GLSL source bytes as text, read the way GL drivers read them: bytes that are not UTF-8 are
/// ignored inside `//` and `/* */` comments (each becomes a space, so offsets, lines and
/// columns stay those of the file) and are an error, at their line and column, anywhere else.
pub fn decode_glsl(bytes: &[u8]) -> Result<String, Diagnostic> {
    let mut in_comment = vec![false; bytes.len()];
    for range in crate::comments::find_comments(bytes).ranges {
        in_comment[range].fill(true);
    }
    let mut out = bytes.to_vec();
    let mut pos = 0;
    loop {
        match std::str::from_utf8(&out[pos..]) {
            Ok(_) => break,
            Err(e) => {
                let bad = pos + e.valid_up_to();
                let len = e.error_len().unwrap_or(out.len() - bad);
                if in_comment[bad..bad + len].iter().all(|&c| c) {
                    out[bad..bad + len].fill(b' ');
                    pos = bad + len;
                } else {
                    let before = &bytes[..bad];
                    let line = before.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
                    let line_start = before
                        .iter()
                        .rposition(|&b| b == b'\n')
                        .map_or(0, |p| p + 1);
                    let column = String::from_utf8_lossy(&bytes[line_start..bad])
                        .chars()
                        .count() as u32
                        + 1;
                    let lossy = String::from_utf8_lossy(bytes);
                    return Err(Diagnostic::at(
                        Severity::Error,
                        &lossy,
                        line,
                        column,
                        format!(
                            "byte 0x{:02X} is not UTF-8 text; outside comments GLSL source must be ASCII or UTF-8",
                            bytes[bad]
                        ),
                    ));
                }
            }
        }
    }
    Ok(String::from_utf8(out).expect("invalid bytes were replaced"))
}
