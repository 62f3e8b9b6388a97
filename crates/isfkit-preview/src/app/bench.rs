//! The window's frame rate against its limit, for `isf bench window`: the window first
//! presents bare frames (a clear and a present through the same painter and surface, no UI
//! and no render: the most frames a second this window can show), then plays the shader, and
//! closes once it has shown the asked number of frames of each.

use std::time::Instant;

/// Frames of each phase left out of its figure (the swapchain and the first pipelines).
const WARM_UP: u64 = 3;

/// The least time the bare phase is measured over: its frames take a few milliseconds, and
/// a fraction of a second of them swings with whatever else the machine does.
const BARE_AT_LEAST: std::time::Duration = std::time::Duration::from_secs(1);

/// What `isf bench window` measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WindowBench {
    /// Frames measured in each phase.
    pub frames: u64,
    /// Bare clear-and-present frames a second: the window's limit.
    pub present_fps: f64,
    /// Frames of the shader shown a second while playing.
    pub window_fps: f64,
    /// The mean time of a frame's render and read-back on the render thread, in ms, over
    /// the measured frames.
    pub render_ms: f64,
}

/// Where a bench run is.
pub(super) struct BenchRun {
    frames: u64,
    bare_painted: u64,
    bare_started: Option<Instant>,
    present_fps: Option<f64>,
    /// Shader frames shown, and when the first measured one was.
    shown: u64,
    shown_started: Option<Instant>,
    render_ms_sum: f64,
    pub(super) result: Option<WindowBench>,
}

impl BenchRun {
    pub(super) fn new(frames: u64) -> BenchRun {
        BenchRun {
            frames: frames.max(1),
            bare_painted: 0,
            bare_started: None,
            present_fps: None,
            shown: 0,
            shown_started: None,
            render_ms_sum: 0.0,
            result: None,
        }
    }

    /// Whether the next window pass is a bare one.
    pub(super) fn bare_phase(&self) -> bool {
        self.present_fps.is_none()
    }

    /// Counts a bare frame just presented; the phase ends after the asked number of frames
    /// and at least [`BARE_AT_LEAST`].
    pub(super) fn bare_presented(&mut self) {
        self.bare_painted += 1;
        if self.bare_painted == WARM_UP {
            self.bare_started = Some(Instant::now());
        } else if self.bare_painted >= WARM_UP + self.frames {
            if let Some(t) = self.bare_started.filter(|t| t.elapsed() >= BARE_AT_LEAST) {
                self.present_fps = Some(rate(self.bare_painted - WARM_UP, t));
            }
        }
    }

    /// Counts a shader frame shown in a pass just presented; `true` once the run is
    /// complete.
    pub(super) fn shown(&mut self, render_ms: f64) -> bool {
        self.shown += 1;
        if self.shown == WARM_UP {
            self.shown_started = Some(Instant::now());
        } else if self.shown > WARM_UP {
            self.render_ms_sum += render_ms;
        }
        if self.shown == WARM_UP + self.frames {
            if let (Some(t), Some(present_fps)) = (self.shown_started, self.present_fps) {
                self.result = Some(WindowBench {
                    frames: self.frames,
                    present_fps,
                    window_fps: rate(self.frames, t),
                    render_ms: self.render_ms_sum / self.frames as f64,
                });
            }
            return true;
        }
        false
    }
}

/// `frames` a second since `start`.
fn rate(frames: u64, start: Instant) -> f64 {
    frames as f64 / start.elapsed().as_secs_f64().max(1e-9)
}
