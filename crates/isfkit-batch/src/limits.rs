//! The limits of what a job file (and the runner's options) may ask for. Each is checked
//! while planning or parsing arguments and reported as a problem naming the limit, so a
//! hostile or mistyped job is refused before anything allocates, spawns or renders.

/// The most frames one task may list (a count, a range's length, a `times` list):
/// 1,000,000 (9 hours at 30 fps). The plan holds every frame (16 bytes each).
pub const MAX_FRAMES: u64 = 1_000_000;

/// The highest frame number a range may reach (its end, excluded): 100,000,000. A
/// stateful shader renders every frame before its first, and FRAMEINDEX is a 32-bit value
/// in the shader.
pub const MAX_FRAME_NUMBER: u64 = 100_000_000;

/// The most frames a whole plan may list, over all its tasks: 10,000,000 (160 MB of plan).
pub const MAX_PLAN_FRAMES: u64 = 10_000_000;

pub use isfkit_media::frame_pattern::MAX_FRAME_DIGITS;

/// The largest job file read: 16 MiB. A path like `/dev/zero` is an error, not an endless
/// read.
pub const MAX_JOB_FILE_BYTES: u64 = 16 << 20;

/// The largest render size, in pixels per side: 65,536, twice the largest
/// `max_texture_dimension_2d` of today's adapters (32,768). The engine checks the device's
/// own limit when it renders, `batch --check --limits` before; this one stops absurd sizes
/// (`100000x100000`) in plain `--check` and in argument parsing.
pub const MAX_RENDER_SIDE: u32 = 65_536;

/// The most encoder threads (`--threads`): the encoder pool's limit, 256.
pub const MAX_THREADS: usize = isfkit_output::MAX_ENCODER_THREADS;

/// The most frames in flight (`--in-flight`): the engine's limit.
pub const MAX_IN_FLIGHT: usize = isfkit_render::MAX_IN_FLIGHT;

/// The frame-number width of each pattern in `template` (`%Nd`, `%0Nd`, `{frame:N}`,
/// `{frame:0N}`) must be at most [`MAX_FRAME_DIGITS`]; `Err` names the pattern and the limit.
pub fn check_frame_pattern(template: &str) -> Result<(), String> {
    crate::frame_pattern::FramePattern::parse(template).check()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pattern_widths() {
        assert_eq!(check_frame_pattern("out/a_%04d.png"), Ok(()));
        assert_eq!(check_frame_pattern("a_{frame:020}.png"), Ok(()));
        assert_eq!(
            check_frame_pattern("a_%070000d.png").unwrap_err(),
            "the frame number pattern %070000d is wider than the limit of 20 digits"
        );
        assert_eq!(
            check_frame_pattern("a_{frame:070000}.png").unwrap_err(),
            "the frame number pattern {frame:070000} is wider than the limit of 20 digits"
        );
        assert_eq!(
            check_frame_pattern("a_%099999999999999999999999d.png").unwrap_err(),
            "the frame number pattern %09999999...d is wider than the limit of 20 digits"
        );
    }
}
