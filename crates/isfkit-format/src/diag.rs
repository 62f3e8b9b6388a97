//! Diagnostics with positions in the user's own file, rendered like a compiler's.

use std::fmt;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A message about the user's file. `line` and `column` are 1-based; `column` counts
/// characters. A diagnostic without a position (e.g. "file is empty") has both at 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub line: u32,
    pub column: u32,
    pub message: String,
    /// The part of the file the line counts in, when the file holds several (a converted
    /// Shadertoy JSON file's `Buffer A`); lines count from the file's start otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// The text of the line the diagnostic points at, without its newline.
    #[serde(skip)]
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// A diagnostic at 1-based `line`/`column` of `source`, capturing that line's text.
    pub fn at(
        severity: Severity,
        source: &str,
        line: u32,
        column: u32,
        message: impl Into<String>,
    ) -> Self {
        let source_line = if line > 0 {
            source.lines().nth(line as usize - 1).map(str::to_owned)
        } else {
            None
        };
        Diagnostic {
            severity,
            line,
            column,
            message: message.into(),
            place: None,
            source_line,
        }
    }

    /// A diagnostic at byte `offset` of `source`.
    pub fn at_offset(
        severity: Severity,
        source: &str,
        offset: usize,
        message: impl Into<String>,
    ) -> Self {
        let (line, column) = line_col(source, offset);
        Self::at(severity, source, line, column, message)
    }

    /// A diagnostic with no position.
    pub fn bare(severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            line: 0,
            column: 0,
            message: message.into(),
            place: None,
            source_line: None,
        }
    }

    /// Renders as `path:line:col: error: message` (`path:place:line:col` in a file of several
    /// parts), then the source line and a caret under the column, the way compilers print
    /// errors.
    pub fn render(&self, path: &str) -> String {
        let place;
        let path = match &self.place {
            Some(p) => {
                place = format!("{path}:{p}");
                place.as_str()
            }
            None => path,
        };
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = if self.line > 0 {
            format!(
                "{path}:{}:{}: {sev}: {}",
                self.line, self.column, self.message
            )
        } else {
            format!("{path}: {sev}: {}", self.message)
        };
        if let Some(text) = &self.source_line {
            let gutter = format!("{:>5} | ", self.line);
            out.push('\n');
            out.push_str(&gutter);
            out.push_str(text);
            out.push('\n');
            out.push_str(&" ".repeat(gutter.len() - 2));
            out.push_str("| ");
            // Keep tabs so the caret lines up under tab-indented code.
            let prefix: String = text
                .chars()
                .take(self.column.saturating_sub(1) as usize)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            out.push_str(&prefix);
            out.push('^');
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(place) = &self.place {
            write!(f, "{place}:")?;
        }
        if self.line > 0 {
            write!(f, "{}:{}: {}", self.line, self.column, self.message)
        } else {
            f.write_str(&self.message)
        }
    }
}

/// 1-based line and character column of byte `offset` in `source` (clamped to its end).
pub fn line_col(source: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(source.len());
    let before = &source[..floor_char_boundary(source, offset)];
    let line = before.matches('\n').count() as u32 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() as u32 + 1;
    (line, column)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
