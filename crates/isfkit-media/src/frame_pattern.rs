//! The frame number in a file name, the one parser of it for outputs (`isf render -o`, job
//! files, the Python runner) and image-sequence inputs (`shots/f_%04d.png`).
//!
//! Two spellings, each with the meaning it has in its own language:
//! - printf's: `%d`; `%4d` pads with spaces to 4 characters, `%04d` with zeros; `%%` is a
//!   literal `%`;
//! - a format string's (Python's `str.format`, Rust's `format!`): `{frame}`; `{frame:4}` pads
//!   with spaces, `{frame:04}` with zeros.
//!
//! Every pattern in a name is replaced by the frame number. Anything else is kept as written:
//! a `%` that starts no pattern (`100%.png`), `{name}`, `{frames}`.

/// The widest frame number in a pattern (`%020d`, `{frame:020}`): 20 digits, the most a
/// 64-bit frame number has. (Formatting panics past 65,535.)
pub const MAX_FRAME_DIGITS: usize = 20;

/// An output name split into text and frame-number patterns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FramePattern {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Number(Number),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Number {
    /// Padded with zeros (`%04d`, `{frame:04}`), otherwise with spaces.
    zeros: bool,
    /// The width asked for (digits beyond what a `usize` holds count as `usize::MAX`).
    width: usize,
    /// The pattern as written (very long widths shortened), for messages.
    written: String,
}

impl FramePattern {
    /// Splits `template` into text and frame-number patterns; never fails.
    pub fn parse(template: &str) -> FramePattern {
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut rest = template;
        while let Some(k) = rest.find(['%', '{']) {
            text.push_str(&rest[..k]);
            let at = &rest[k..];
            if let Some((number, len)) = number_at(at) {
                if !text.is_empty() {
                    parts.push(Part::Text(std::mem::take(&mut text)));
                }
                parts.push(Part::Number(number));
                rest = &at[len..];
            } else if let Some(after) = at.strip_prefix("%%") {
                text.push('%');
                rest = after;
            } else {
                text.push_str(&at[..1]);
                rest = &at[1..];
            }
        }
        text.push_str(rest);
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        FramePattern { parts }
    }

    /// Whether the name holds a frame number (so that each frame gets its own file).
    pub fn has_number(&self) -> bool {
        self.numbers().next().is_some()
    }

    /// The name of frame `frame`. A width past [`MAX_FRAME_DIGITS`] is capped, so formatting
    /// never panics, even on a pattern [`FramePattern::check`] refuses.
    pub fn format(&self, frame: u64) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Number(n) => {
                    let width = n.width.min(MAX_FRAME_DIGITS);
                    if n.zeros {
                        out.push_str(&format!("{frame:0width$}"));
                    } else {
                        out.push_str(&format!("{frame:>width$}"));
                    }
                }
            }
        }
        out
    }

    /// Each pattern's width must be at most [`MAX_FRAME_DIGITS`]; `Err` names the first
    /// that is wider, and the limit.
    pub fn check(&self) -> Result<(), String> {
        match self.numbers().find(|n| n.width > MAX_FRAME_DIGITS) {
            Some(n) => Err(format!(
                "the frame number pattern {} is wider than the limit of {MAX_FRAME_DIGITS} digits",
                n.written
            )),
            None => Ok(()),
        }
    }

    /// The frame number of `name` when it is a name of this pattern (every pattern in it
    /// holding the same number), `None` otherwise: `f_0012.png` of `f_%04d.png` is 12.
    pub fn number_of(&self, name: &str) -> Option<u64> {
        let mut rest = name;
        let mut found: Option<u64> = None;
        for part in &self.parts {
            match part {
                Part::Text(t) => rest = rest.strip_prefix(t.as_str())?,
                Part::Number(_) => {
                    let trimmed = rest.trim_start_matches(' ');
                    let digits = trimmed.len()
                        - trimmed
                            .trim_start_matches(|c: char| c.is_ascii_digit())
                            .len();
                    if digits == 0 {
                        return None;
                    }
                    let n: u64 = trimmed[..digits].parse().ok()?;
                    if found.is_some_and(|f| f != n) {
                        return None;
                    }
                    found = Some(n);
                    rest = &trimmed[digits..];
                }
            }
        }
        if !rest.is_empty() {
            return None;
        }
        let n = found?;
        // The name is this frame's exact name (padding as the pattern writes it).
        (self.format(n) == name).then_some(n)
    }

    fn numbers(&self) -> impl Iterator<Item = &Number> {
        self.parts.iter().filter_map(|p| match p {
            Part::Number(n) => Some(n),
            Part::Text(_) => None,
        })
    }
}

/// `template` with every frame-number pattern replaced by `frame` (see [`FramePattern`]).
pub fn number_frame(template: &str, frame: u64) -> String {
    FramePattern::parse(template).format(frame)
}

/// The frame-number pattern at the start of `s` and its length in bytes, if there is one.
fn number_at(s: &str) -> Option<(Number, usize)> {
    if let Some(after) = s.strip_prefix('%') {
        let n = after.bytes().take_while(u8::is_ascii_digit).count();
        if !after[n..].starts_with('d') {
            return None;
        }
        let digits = &after[..n];
        let written = format!("%{}d", shortened(digits));
        return Some((Number::new(digits, written), 1 + n + 1));
    }
    let after = s.strip_prefix("{frame")?;
    let end = after.find('}')?;
    let spec = &after[..end];
    let (digits, written) = if spec.is_empty() {
        ("", "{frame}".to_owned())
    } else {
        let digits = spec.strip_prefix(':')?;
        (digits, format!("{{frame:{}}}", shortened(digits)))
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((Number::new(digits, written), "{frame".len() + end + 1))
}

impl Number {
    /// `digits`: the flag and width as written (`04`, `4`, or empty).
    fn new(digits: &str, written: String) -> Number {
        let width = digits.trim_start_matches('0');
        Number {
            zeros: digits.starts_with('0'),
            width: if width.is_empty() {
                0
            } else {
                width.parse().unwrap_or(usize::MAX)
            },
            written,
        }
    }
}

/// A width as written, its first 8 digits and `...` when it is longer than 12.
fn shortened(digits: &str) -> String {
    if digits.len() > 12 {
        format!("{}...", &digits[..8])
    } else {
        digits.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_give_their_frame_number_back() {
        let p = FramePattern::parse("f_%04d.png");
        assert_eq!(p.number_of("f_0012.png"), Some(12));
        assert_eq!(p.number_of("f_12345.png"), Some(12345));
        assert_eq!(p.number_of("f_012.png"), None, "not the pattern's padding");
        assert_eq!(p.number_of("g_0012.png"), None);
        assert_eq!(p.number_of("f_0012.png.tmp"), None);
        assert_eq!(
            FramePattern::parse("{frame}.jpg").number_of("7.jpg"),
            Some(7)
        );
        assert_eq!(
            FramePattern::parse("f%3d.png").number_of("f  7.png"),
            Some(7)
        );
        let twice = FramePattern::parse("a%d_b%d.png");
        assert_eq!(twice.number_of("a3_b3.png"), Some(3));
        assert_eq!(twice.number_of("a3_b4.png"), None);
    }

    #[test]
    fn printf_patterns() {
        assert_eq!(number_frame("f%d.png", 7), "f7.png");
        assert_eq!(number_frame("f%d.png", 12345), "f12345.png");
        assert_eq!(number_frame("f%04d.png", 7), "f0007.png");
        assert_eq!(number_frame("f%04d.png", 123456), "f123456.png");
        // Width without the 0 flag: spaces, as printf pads.
        assert_eq!(number_frame("f%4d.png", 7), "f   7.png");
        assert_eq!(number_frame("f%5d.png", 42), "f   42.png");
        assert_eq!(number_frame("f%05d.png", 42), "f00042.png");
        assert_eq!(number_frame("f%0d.png", 3), "f3.png");
        assert_eq!(number_frame("f%1d.png", 30), "f30.png");
    }

    #[test]
    fn percent_percent_is_a_literal_percent() {
        assert_eq!(number_frame("a_%%.png", 7), "a_%.png");
        assert_eq!(number_frame("100%%_%03d.png", 7), "100%_007.png");
        assert_eq!(number_frame("a_%%04d.png", 7), "a_%04d.png");
        assert!(!FramePattern::parse("a_%%04d.png").has_number());
        assert_eq!(number_frame("a_%%%d.png", 7), "a_%7.png");
        // A % that starts no pattern is kept.
        assert_eq!(number_frame("100%.png", 7), "100%.png");
        assert_eq!(number_frame("a_%x.png", 7), "a_%x.png");
        assert_eq!(number_frame("a_%-4d.png", 7), "a_%-4d.png");
        assert_eq!(number_frame("a_%", 7), "a_%");
    }

    #[test]
    fn format_string_patterns() {
        assert_eq!(number_frame("a_{frame}.png", 12), "a_12.png");
        assert_eq!(number_frame("a_{frame:04}.png", 7), "a_0007.png");
        assert_eq!(number_frame("a_{frame:03}.png", 7), "a_007.png");
        assert_eq!(number_frame("a_{frame:4}.png", 7), "a_   7.png");
        // Not frame patterns: kept as written.
        assert_eq!(number_frame("a_{frames}.png", 7), "a_{frames}.png");
        assert_eq!(number_frame("a_{frame04}.png", 7), "a_{frame04}.png");
        assert_eq!(number_frame("a_{frame:x}.png", 7), "a_{frame:x}.png");
        assert_eq!(number_frame("{name}_{frame", 7), "{name}_{frame");
    }

    #[test]
    fn every_pattern_is_numbered() {
        assert_eq!(number_frame("%02d/f_{frame:03}.png", 5), "05/f_005.png");
        assert_eq!(number_frame("a.png", 3), "a.png");
        assert!(!FramePattern::parse("x.png").has_number());
        assert!(FramePattern::parse("x_%d.png").has_number());
        assert!(FramePattern::parse("x_{frame}.png").has_number());
    }

    #[test]
    fn widths_past_the_limit_are_refused_and_capped() {
        assert_eq!(FramePattern::parse("out/a_%04d.png").check(), Ok(()));
        assert_eq!(FramePattern::parse("a_{frame:020}.png").check(), Ok(()));
        assert_eq!(FramePattern::parse("a_%20d.png").check(), Ok(()));
        assert_eq!(
            FramePattern::parse("a_%070000d.png").check().unwrap_err(),
            "the frame number pattern %070000d is wider than the limit of 20 digits"
        );
        assert_eq!(
            FramePattern::parse("a_%21d.png").check().unwrap_err(),
            "the frame number pattern %21d is wider than the limit of 20 digits"
        );
        assert_eq!(
            FramePattern::parse("a_{frame:070000}.png")
                .check()
                .unwrap_err(),
            "the frame number pattern {frame:070000} is wider than the limit of 20 digits"
        );
        assert_eq!(
            FramePattern::parse("a_%099999999999999999999999d.png")
                .check()
                .unwrap_err(),
            "the frame number pattern %09999999...d is wider than the limit of 20 digits"
        );
        // `%%` is a literal: what follows is text, not a width.
        assert_eq!(FramePattern::parse("a_%%070000d.png").check(), Ok(()));
        // Formatting an unchecked pattern never panics.
        assert_eq!(
            number_frame("a_%070000d.png", 7),
            format!("a_{:020}.png", 7)
        );
        assert_eq!(
            number_frame("a_{frame:070000}.png", 7),
            format!("a_{:020}.png", 7)
        );
        assert_eq!(
            number_frame("a_%99999999999999999999999d.png", 7),
            format!("a_{:>20}.png", 7)
        );
    }
}
