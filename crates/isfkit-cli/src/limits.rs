//! Argument parsers for counts with a limit (`--in-flight`, `--threads`): a value past the
//! limit is a usage error naming it (exit 2), never an overflow or a panic spawning threads.

use isfkit_batch::limits::{MAX_IN_FLIGHT, MAX_THREADS};

fn count(s: &str) -> Result<usize, String> {
    s.trim()
        .parse::<usize>()
        .map_err(|_| format!("\"{s}\" is not a whole number"))
}

/// `--in-flight N`: 1 to [`MAX_IN_FLIGHT`].
pub fn parse_in_flight(s: &str) -> Result<usize, String> {
    match count(s)? {
        0 => Err("give at least 1 frame in flight".into()),
        n if n > MAX_IN_FLIGHT => Err(format!(
            "{n} is over the limit of {MAX_IN_FLIGHT} frames in flight"
        )),
        n => Ok(n),
    }
}

/// `--threads N`: 0 (one per core) to [`MAX_THREADS`].
pub fn parse_threads(s: &str) -> Result<usize, String> {
    match count(s)? {
        n if n > MAX_THREADS => Err(format!(
            "{n} is over the limit of {MAX_THREADS} encoder threads"
        )),
        n => Ok(n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_named() {
        assert_eq!(parse_in_flight("3"), Ok(3));
        assert_eq!(
            parse_in_flight("18446744073709551615").unwrap_err(),
            "18446744073709551615 is over the limit of 16 frames in flight"
        );
        assert_eq!(parse_threads("0"), Ok(0));
        assert_eq!(
            parse_threads("100000").unwrap_err(),
            "100000 is over the limit of 256 encoder threads"
        );
    }
}
