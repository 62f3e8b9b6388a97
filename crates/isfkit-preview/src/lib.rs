//! isfkit-preview: the live preview window behind `isf preview`.
//!
//! Every frame comes from the engine and scene code `isf render` uses (`Scene::render`, read
//! back as RGBA8) and is drawn on the window's own wgpu device and surface (egui-wgpu 0.37,
//! built on the workspace's wgpu 30) by the preview's own pipeline inside egui's render
//! pass, texel for pixel at a whole-number scale (the nearest texel when scaled down to fit),
//! so a pixel on screen is the headless pixel: no gamma conversion on the way (see [`app`]).
//!
//! The window, its surface, the file watcher, the recorder and egui's state are participants
//! of the engine's cleanup coordinator: phase 1 stops the watcher and the recorder, phase 2
//! closes the surface and the window while the window's device is valid, phase 3 releases
//! egui's renderer and the window's device (and checks that wgpu holds nothing of it), phase 4
//! releases egui's context, input state and the controls. Closing the window (the window
//! manager's close button, Esc, Ctrl+Q) runs the shutdown once.

mod app;
mod controls;
mod diag;
mod keyboard;
mod parts;
mod record;
mod watch;

use std::path::PathBuf;

use isfkit_render::{Backend, CleanupReport, ErrorKind};

pub use app::WindowBench;
pub use diag::load_error_text;

/// What `isf preview` was asked for.
#[derive(Debug, Clone)]
pub struct PreviewArgs {
    pub shader: PathBuf,
    /// Fixed render size; `None`: the size of the picture area, following the window.
    pub size: Option<(u32, u32)>,
    /// Input values as `isf render --set` takes them: `(NAME, VALUE)`.
    pub sets: Vec<(String, String)>,
    /// Keyed inputs, which move with the preview's clock until a control takes them over.
    pub keys: std::collections::BTreeMap<String, isfkit_batch::keys::KeyTrack>,
    /// Image inputs: `(NAME, FILE)`, a still, a video or an image sequence.
    pub images: Vec<(String, String)>,
    /// Audio inputs: `(NAME, FILE)` (WAV, or anything ffmpeg decodes).
    pub audio: Vec<(String, String)>,
    /// Playback frame rate cap, and the frame rate of recordings.
    pub fps: f64,
    /// Start paused.
    pub paused: bool,
    /// Shader time of the first frame, in seconds.
    pub time: f64,
    pub backend: Backend,
    /// Initial window size in pixels (the whole window, controls included).
    pub window_size: (u32, u32),
    /// Folder for snapshots and recordings.
    pub output_dir: PathBuf,
    pub cleanup_report: bool,
    pub json_report: bool,
}

/// Why the preview stopped: the kind of failure (which a face maps, `isf` to its exit
/// code) and the message, as a command-line tool prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub kind: ErrorKind,
    pub message: String,
}

impl Failure {
    /// A bad argument or value given by the user.
    pub(crate) fn usage(message: impl Into<String>) -> Failure {
        Failure::new(ErrorKind::Input, message)
    }

    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Failure {
        Failure {
            kind,
            message: message.into(),
        }
    }

    /// An engine error, with `shader` named in its text.
    pub(crate) fn engine(e: &isfkit_render::Error, shader: &std::path::Path) -> Failure {
        Failure::new(e.kind(), e.render(shader))
    }
}

/// Opens the preview window and runs it until it is closed, then runs the engine's cleanup
/// coordinator (printing the report when asked) and returns its report. Must be called on
/// the main thread.
pub fn run(args: PreviewArgs) -> Result<CleanupReport, Failure> {
    app::run(args)
}

/// `isf bench window`: opens the preview window on `args` (playing, frames paced by
/// `args.fps`), presents `frames` bare frames (a clear and a present: the window's limit),
/// then shows `frames` frames of the shader, closes, and returns both rates. Must be called on
/// the main thread, once per process (a process has one window event loop).
pub fn bench_window(args: PreviewArgs, frames: u64) -> Result<WindowBench, Failure> {
    match app::run_measured(args, Some(frames))? {
        (_, Some(figures)) => Ok(figures),
        (_, None) => Err(Failure::new(
            ErrorKind::Internal,
            "error: the window closed before the bench finished",
        )),
    }
}
