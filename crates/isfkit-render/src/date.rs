//! `DATE` from a fixed date and time, so renders that read it are reproducible.
//!
//! `--date YYYY-MM-DDTHH:MM:SS` (CLI, job files' `date:`) names the date of the first frame;
//! a later frame's `DATE` is that date plus the frame's time since the first frame, so a
//! clock shader rendered as a sequence ticks as it would live (crossing midnight included).

use chrono::{Datelike, NaiveDateTime, TimeDelta, Timelike};

/// The form `--date` and `date:` take, for messages.
pub const DATE_FORMAT_HINT: &str = "YYYY-MM-DDTHH:MM:SS, e.g. 2024-12-31T23:59:30";

/// Parses `YYYY-MM-DDTHH:MM:SS` (fractional seconds allowed, a space instead of `T` too).
/// The error is a complete sentence naming the text and the expected form.
pub fn parse_date(text: &str) -> Result<NaiveDateTime, String> {
    let t = text.trim();
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
        .filter(|d| (1..=9999).contains(&d.year()))
        .ok_or_else(|| format!("date \"{text}\" is not a date and time like {DATE_FORMAT_HINT}"))
}

/// `DATE` (year, month, day, seconds since midnight) for `date` plus `offset` seconds
/// (the frame's time since the first frame; 0 for one frame).
pub fn date_uniform(date: NaiveDateTime, offset: f64) -> [f32; 4] {
    let offset = if offset.is_finite() { offset } else { 0.0 };
    let d = TimeDelta::try_milliseconds((offset * 1000.0).round() as i64)
        .and_then(|delta| date.checked_add_signed(delta))
        .unwrap_or(date);
    [
        d.year() as f32,
        d.month() as f32,
        d.day() as f32,
        d.num_seconds_from_midnight() as f32 + d.nanosecond() as f32 / 1e9,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_advances() {
        let d = parse_date("2024-12-31T23:59:30").unwrap();
        assert_eq!(date_uniform(d, 0.0), [2024.0, 12.0, 31.0, 86370.0]);
        assert_eq!(date_uniform(d, 31.5), [2025.0, 1.0, 1.0, 1.5]);
        assert_eq!(
            date_uniform(parse_date("2026-03-04 05:06:07.5").unwrap(), 0.0),
            [2026.0, 3.0, 4.0, 5.0 * 3600.0 + 6.0 * 60.0 + 7.5]
        );
        for bad in [
            "2024-13-01T00:00:00",
            "2024-02-30T00:00:00",
            "yesterday",
            "2024-01-01",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse_date("noon").unwrap_err(),
            "date \"noon\" is not a date and time like YYYY-MM-DDTHH:MM:SS, e.g. 2024-12-31T23:59:30"
        );
    }
}
