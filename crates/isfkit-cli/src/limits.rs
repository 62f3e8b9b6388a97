//! Argument parsers for counts with a limit (`--in-flight`, `--threads`, `--lanes`): a value past the
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

/// `--lanes N`: 1 to 64 (each lane is a device of its own).
pub fn parse_lanes(s: &str) -> Result<usize, String> {
    const MAX_LANES: usize = 64;
    match count(s)? {
        0 => Err("give at least 1 lane".into()),
        n if n > MAX_LANES => Err(format!("{n} is over the limit of {MAX_LANES} lanes")),
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
        assert_eq!(parse_lanes("2"), Ok(2));
        assert_eq!(parse_lanes("0").unwrap_err(), "give at least 1 lane");
        assert_eq!(
            parse_lanes("65").unwrap_err(),
            "65 is over the limit of 64 lanes"
        );
        assert_eq!(
            parse_threads("100000").unwrap_err(),
            "100000 is over the limit of 256 encoder threads"
        );
    }
}
