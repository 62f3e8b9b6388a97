//! Diagnostics with positions in the user's own file, rendered like a compiler's.

use std::fmt;

use serde::Serialize;

/// The most diagnostics of one kind a file reports (a stage's errors, a header's warnings);
/// one more line says how many were left out. A file of one long line can hold tens of
/// thousands of the same mistake.
pub const MAX_DIAGNOSTICS: usize = 100;

/// The most characters of the user's line a diagnostic quotes: a longer line is cut to a
/// window around the column, marked with `…` where it was cut.
pub const MAX_QUOTED: usize = 160;

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
    /// The text of the line the diagnostic points at, without its newline: all of it, or a
    /// window of [`MAX_QUOTED`] characters around the column (see
    /// [`Diagnostic::set_source_line`]).
    #[serde(skip)]
    pub source_line: Option<String>,
    /// The column of the line `source_line` starts at: 1, unless the line was cut.
    #[serde(skip)]
    pub source_from: u32,
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
        let mut d = Diagnostic {
            severity,
            line,
            column,
            message: message.into(),
            place: None,
            source_line: None,
            source_from: 1,
        };
        if line > 0 {
            if let Some(text) = source.lines().nth(line as usize - 1) {
                d.set_source_line(text);
            }
        }
        d
    }

    /// Quotes `text` as the diagnostic's line: whole when it is at most [`MAX_QUOTED`]
    /// characters, else the window of that many around the column, with `…` after it when
    /// the line goes on (and [`Diagnostic::source_from`] saying where it starts).
    pub fn set_source_line(&mut self, text: &str) {
        if text.len() <= MAX_QUOTED {
            self.source_line = Some(text.to_owned());
            self.source_from = 1;
            return;
        }
        let from = (self.column as usize).saturating_sub(MAX_QUOTED / 2).max(1);
        let mut chars = text.chars().skip(from - 1);
        let window: String = chars.by_ref().take(MAX_QUOTED).collect();
        let cut_after = chars.next().is_some();
        self.source_from = from as u32;
        self.source_line = Some(if cut_after {
            format!("{window}…")
        } else {
            window
        });
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

    /// The line after the first [`MAX_DIAGNOSTICS`]: `N more errors are not shown (WHOSE first
    /// 100 are)` (`warnings` for warnings); `whose` names the file part, `the header's`.
    pub fn left_out(severity: Severity, n: usize, whose: &str) -> Self {
        let what = match severity {
            Severity::Error => "errors",
            Severity::Warning => "warnings",
        };
        Self::bare(
            severity,
            format!("{n} more {what} are not shown ({whose} first {MAX_DIAGNOSTICS} are)"),
        )
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
            source_from: 1,
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
            // A line cut before the window starts with `…` (one character, under which the
            // caret's prefix puts a space).
            let cut_before = self.source_from > 1;
            let gutter = format!("{:>5} | ", self.line);
            out.push('\n');
            out.push_str(&gutter);
            if cut_before {
                out.push('…');
            }
            out.push_str(text);
            out.push('\n');
            out.push_str(&" ".repeat(gutter.len() - 2));
            out.push_str("| ");
            if cut_before {
                out.push(' ');
            }
            // Keep tabs so the caret lines up under tab-indented code.
            let prefix: String = text
                .chars()
                .take(self.column.saturating_sub(self.source_from) as usize)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_is_quoted_as_a_window_around_the_column() {
        let line = format!("{}X{}", "a".repeat(1000), "b".repeat(1000));
        let d = Diagnostic::at(Severity::Error, &line, 1, 1001, "here");
        assert_eq!(d.source_from, 921);
        let quoted = d.source_line.as_deref().unwrap();
        assert_eq!(
            quoted.chars().count(),
            MAX_QUOTED + 1,
            "the window and its …"
        );
        assert!(quoted.ends_with('…'));
        let shown = d.render("f.fs");
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines[0], "f.fs:1:1001: error: here");
        assert_eq!(
            lines[1],
            format!("    1 | …{}X{}…", "a".repeat(80), "b".repeat(79))
        );
        // The caret is under the X: the `…` and 80 characters before it.
        let caret = lines[2].find('^').unwrap();
        assert_eq!(caret, lines[1].find('X').unwrap() - '…'.len_utf8() + 1);
        // Near the start the line is cut only after the window.
        let d = Diagnostic::at(Severity::Error, &line, 1, 3, "start");
        assert_eq!(d.source_from, 1);
        assert_eq!(d.render("f.fs").lines().nth(2), Some("      |   ^"));
        // A short line is quoted whole.
        let d = Diagnostic::at(Severity::Error, "short", 1, 2, "x");
        assert_eq!(
            (d.source_line.as_deref(), d.source_from),
            (Some("short"), 1)
        );
    }
}
