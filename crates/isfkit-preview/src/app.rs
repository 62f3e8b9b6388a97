//! The preview: its state, its entry point, and the engine's frames on the window's wgpu
//! surface.
//!
//! Colours: the engine's frame (RGBA8, the bytes `isf render` writes) is written into the
//! picture's texture and drawn at a whole-number scale, texel for pixel (or scaled down to
//! fit, nearest texel), by the preview's own pipeline inside egui's render pass (`picture`):
//! a pixel on screen is the headless pixel.
//! Alpha is not shown (the picture is opaque), as in a GL window.
//!
//! This module holds the preview's state ([`App`]), its entry point and the frame render;
//! the window and its event loop live in `window`, the egui panels in `ui`, what the
//! panels' actions do in `actions`, loading and reloading the shader in `load`, and the
//! participants in the engine's cleanup coordinator in `participants`.

mod actions;
mod bench;
mod load;
mod participants;
mod picture;
mod render_thread;
mod ui;
mod window;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use isfkit_render::{
    CleanupReport, Engine, EngineConfig, ErrorKind, Frame, Program, RenderOptions, Scene,
};
use winit::event_loop::{ActiveEventLoop, EventLoop, EventLoopProxy};
use winit::window::Window;

use crate::controls::Controls;
use crate::diag::engine_error_text;
use crate::parts::Slot;
use crate::record::Recorder;
use crate::watch::{Changes, FileWatcher};
use crate::{Failure, PreviewArgs};

pub use bench::WindowBench;

/// Wakes the event loop from the watcher's thread.
#[derive(Debug, Clone, Copy)]
struct Wake;

/// egui's state: what phase 4 releases.
struct UiState {
    ctx: egui::Context,
    input: egui_winit::State,
    /// The size of the frame in the picture's texture, once one is there.
    picture: Option<(u32, u32)>,
    /// The surface's format (the clear colour's encoding follows it).
    surface_format: Option<wgpu::TextureFormat>,
    controls: Controls,
}

/// Playback: shader time, speed, and whether it advances.
struct Clock {
    playing: bool,
    speed: f64,
    time: f64,
    last_tick: Instant,
}

/// Frame rate over the last second, and the last frame's render time.
#[derive(Default)]
struct Stats {
    recent: std::collections::VecDeque<Instant>,
    frame_ms: f64,
    frames: u64,
    playing_frames: u64,
    playing_time: Duration,
}

impl Stats {
    fn fps(&self) -> f64 {
        match (self.recent.front(), self.recent.back()) {
            (Some(a), Some(b)) if self.recent.len() > 1 => {
                (self.recent.len() - 1) as f64 / b.duration_since(*a).as_secs_f64().max(1e-9)
            }
            _ => 0.0,
        }
    }
}

struct App<'a> {
    args: PreviewArgs,
    engine: &'a Engine,
    proxy: EventLoopProxy<Wake>,
    scene: Option<Scene>,
    /// The scene that last rendered well, kept while a reloaded scene has not rendered yet:
    /// if the new one fails, the old one keeps playing under the error.
    fallback: Option<Scene>,
    program: Option<Program>,
    error: Option<String>,
    window: Slot<Arc<Window>>,
    painter: Slot<egui_wgpu::winit::Painter>,
    ui: Slot<UiState>,
    watcher: Slot<FileWatcher>,
    recorder: Slot<Recorder>,
    changes: Arc<Mutex<Changes>>,
    clock: Clock,
    /// The picture area in physical pixels, from the last UI pass.
    canvas_px: Option<(u32, u32)>,
    last_frame: Option<Frame>,
    need_render: bool,
    /// A reload waiting for its first frame on screen: when the file was saved.
    reload_pending: Option<SystemTime>,
    /// A reload whose first frame goes on screen in this window pass.
    reload_on_screen: Option<SystemTime>,
    stats: Stats,
    status: String,
    snapshot_size: (u32, u32),
    quit: bool,
    report: Option<CleanupReport>,
    failure: Option<Failure>,
    last_playing_tick: Option<Instant>,
    egui_repaint_at: Option<Instant>,
    /// Controls made before the window (from --image/--audio), handed to the UI state.
    pending_controls: Option<Controls>,
    /// Videos and image sequences given on the command line, and keyed values: set for the
    /// preview clock's time before each frame.
    moving: isfkit_batch::media::Moving,
    /// Keyed inputs a control took over, with their keys, to give back.
    held_keys: Vec<(String, isfkit_batch::keys::Keyframes)>,
    participants_registered: bool,
    /// How long the last reload took to parse, translate and compile the shader.
    reload_compile_ms: f64,
    /// The window's keys, for a shader that reads Shadertoy's keyboard.
    keyboard: crate::keyboard::Keyboard,
    /// Renders the next frame while the window presents the one before.
    render_thread: render_thread::RenderThread,
    /// `isf bench window`'s run, when this window is one.
    bench: Option<bench::BenchRun>,
}

fn no_display(e: impl std::fmt::Display) -> Failure {
    let display = std::env::var("DISPLAY").unwrap_or_default();
    if display.is_empty() {
        Failure::new(
            ErrorKind::Environment,
            "error: no display: isf preview opens a window and DISPLAY is not set (run it in a desktop session, or under Xvfb: xvfb-run isf preview SHADER.fs)",
        )
    } else {
        Failure::new(
            ErrorKind::Environment,
            format!("error: no display: cannot open the X display \"{display}\" ({e})"),
        )
    }
}

/// Checks the command line's values and that the shader is a readable file, before any
/// window opens.
fn check_args(args: &PreviewArgs) -> Result<(), Failure> {
    if !(args.fps > 0.0 && args.fps.is_finite()) {
        return Err(Failure::usage("error: --fps must be a positive number"));
    }
    if !args.time.is_finite() {
        return Err(Failure::usage("error: --time must be a number of seconds"));
    }
    if let Some((w, h)) = args.size {
        if w == 0 || h == 0 {
            return Err(Failure::usage("error: --size must be at least 1x1"));
        }
    }
    if !args.output_dir.is_dir() {
        return Err(Failure::usage(format!(
            "error: output folder {} does not exist",
            args.output_dir.display()
        )));
    }
    let shader = &args.shader;
    // A missing or unreadable file is a usage error; an invalid one opens the window with
    // the error shown, waiting for a fix.
    if let Err(e) = std::fs::metadata(shader).and_then(|m| {
        if m.is_file() {
            Ok(())
        } else {
            Err(std::io::Error::other("not a file"))
        }
    }) {
        return Err(Failure::new(
            ErrorKind::File,
            format!("error: cannot read {}: {e}", shader.display()),
        ));
    }
    Ok(())
}

pub(crate) fn run(args: PreviewArgs) -> Result<CleanupReport, Failure> {
    run_measured(args, None).map(|(report, _)| report)
}

/// [`run`], with `isf bench window`'s run of `bench` frames a phase when given: the
/// window's figures come back with the report (none when the window closed early).
pub(crate) fn run_measured(
    args: PreviewArgs,
    bench: Option<u64>,
) -> Result<(CleanupReport, Option<WindowBench>), Failure> {
    check_args(&args)?;
    let shader = &args.shader;
    // The display next: without one nothing else is worth starting.
    let event_loop = EventLoop::<Wake>::with_user_event()
        .build()
        .map_err(no_display)?;
    let engine = Engine::new(isfkit_batch::media::with_media_files(EngineConfig {
        backend: args.backend,
        ..Default::default()
    }))
    .map_err(|e| Failure::engine(&e, shader))?;
    let result = run_with(&engine, args.clone(), event_loop, bench);
    // The window closed (its handler ran the shutdown); run it here if it did not.
    let (report, failure, figures) = match result {
        Ok((report, failure, figures)) => (
            report.unwrap_or_else(|| engine.shutdown()),
            failure,
            figures,
        ),
        Err(f) => (engine.shutdown(), Some(f), None),
    };
    let wanted = args.cleanup_report || args.json_report;
    if wanted {
        if args.json_report {
            println!("{}", report.to_json());
        } else {
            eprintln!("{report}");
        }
    }
    match failure {
        Some(f) => Err(f),
        None => Ok((report, figures)),
    }
}

type RunResult = Result<(Option<CleanupReport>, Option<Failure>, Option<WindowBench>), Failure>;

fn run_with(
    engine: &Engine,
    args: PreviewArgs,
    event_loop: EventLoop<Wake>,
    bench: Option<u64>,
) -> RunResult {
    let mut app = App {
        snapshot_size: args.size.unwrap_or((1920, 1080)),
        clock: Clock {
            playing: !args.paused,
            speed: 1.0,
            time: args.time,
            last_tick: Instant::now(),
        },
        args,
        engine,
        proxy: event_loop.create_proxy(),
        scene: None,
        fallback: None,
        program: None,
        error: None,
        window: Slot::new(None),
        painter: Slot::new(None),
        ui: Slot::new(None),
        watcher: Slot::new(None),
        recorder: Slot::new(None),
        changes: Arc::default(),
        canvas_px: None,
        last_frame: None,
        need_render: true,
        reload_pending: None,
        reload_on_screen: None,
        stats: Stats::default(),
        status: String::new(),
        quit: false,
        report: None,
        failure: None,
        last_playing_tick: None,
        egui_repaint_at: None,
        pending_controls: None,
        moving: Default::default(),
        held_keys: Vec::new(),
        participants_registered: false,
        reload_compile_ms: 0.0,
        keyboard: Default::default(),
        render_thread: render_thread::RenderThread::start().map_err(|e| {
            Failure::new(
                ErrorKind::Internal,
                format!("error: cannot start the preview's render thread: {e}"),
            )
        })?,
        bench: bench.map(bench::BenchRun::new),
    };
    app.first_load()?;
    app.register_participants()?;
    app.watch();
    event_loop.run_app(&mut app).map_err(|e| {
        Failure::new(
            ErrorKind::Internal,
            format!("error: the window's event loop failed: {e}"),
        )
    })?;
    if app.stats.playing_time > Duration::ZERO {
        tracing::info!(
            frames = app.stats.playing_frames,
            seconds = app.stats.playing_time.as_secs_f64(),
            fps = app.stats.playing_frames as f64 / app.stats.playing_time.as_secs_f64(),
            "playback"
        );
    }
    let figures = app.bench.take().and_then(|b| b.result);
    Ok((app.report.take(), app.failure.take(), figures))
}

impl App<'_> {
    /// The render size: --size, else the picture area.
    fn render_size(&self) -> Option<(u32, u32)> {
        self.args.size.or(self.canvas_px)
    }

    /// Starts rendering a frame at the current time on the render thread, with the inputs
    /// that move with the clock (footage, keys) and the keyboard set first.
    fn start_render(&mut self) {
        let (Some((w, h)), Some(scene)) = (self.render_size(), self.scene.clone()) else {
            return;
        };
        if let Err(e) = self.moving.apply(&scene, self.clock.time) {
            self.status = format!("footage or keys: {e}");
        }
        let keyboard = isfkit_render::format::dialect::SHADERTOY_KEYBOARD;
        if scene.input(keyboard).is_ok() {
            if let Some(image) = self.keyboard.changed_image() {
                if let Err(e) = scene.set_image(keyboard, image) {
                    self.status = format!("keyboard: {e}");
                }
            }
        }
        let opts = RenderOptions::new(w, h, self.clock.time);
        if !self.render_thread.start_frame(scene, opts) {
            self.error = Some("error: the preview's render thread stopped; frames can no longer be drawn (see the log)".into());
        }
    }

    /// Shows the frame the render thread finished: the picture texture and the recorder
    /// get it. An error shows over the last good frame; a reloaded scene that fails gives
    /// way to the one before it. A frame of a scene replaced meanwhile still shows (it was
    /// current when it started); its error does not. `true` when a frame went on screen.
    fn show_frame(&mut self, done: render_thread::Done, ui: &mut UiState) -> bool {
        let current = self.scene.as_ref().is_some_and(|s| s.same_as(&done.scene));
        match done.result {
            Ok(frame) => {
                // A press shows in one frame: the next one shows it over.
                self.need_render |= self.keyboard.end_frame();
                if current {
                    self.fallback = None;
                    self.reload_on_screen = self.reload_pending.take();
                }
                self.stats.frame_ms = done.ms;
                self.stats.frames += 1;
                let now = Instant::now();
                self.stats.recent.push_back(now);
                while self
                    .stats
                    .recent
                    .front()
                    .is_some_and(|t| now.duration_since(*t) > Duration::from_secs(1))
                {
                    self.stats.recent.pop_front();
                }
                if let Some(rs) = self.painter.lock().as_ref().and_then(|p| p.render_state()) {
                    let size = (frame.width, frame.height);
                    match picture::PictureGpu::upload(&rs, size, &frame.rgba8()) {
                        Ok(()) => ui.picture = Some(size),
                        Err(why) => {
                            ui.picture = None;
                            if self.status != why {
                                tracing::warn!("{why}");
                                self.status = why;
                            }
                        }
                    }
                }
                let record_error = self
                    .recorder
                    .lock()
                    .as_mut()
                    .and_then(|r| r.push(frame.clone()).err());
                if let Some(e) = record_error {
                    self.stop_recording();
                    self.status = format!("recording stopped: {e}");
                }
                self.last_frame = Some(frame);
                return true;
            }
            Err(e) if current => {
                self.error = Some(engine_error_text(&self.args.shader, &e));
                self.reload_pending = None;
                if let Some(old) = self.fallback.take() {
                    self.scene = Some(old);
                    self.keyboard.touch();
                }
            }
            Err(_) => {}
        }
        false
    }

    /// Closes the window: runs the engine's cleanup coordinator once (the participants
    /// close the surface and the window) and leaves the event loop.
    fn close(&mut self, event_loop: &ActiveEventLoop) {
        if self.report.is_none() {
            // No frame renders during the shutdown, and the render thread holds no scene.
            self.render_thread.stop();
            // The recorder's participant finishes a recording; say where it went.
            if let Some(r) = self.recorder.lock().as_ref() {
                eprintln!("finishing the recording {}", r.target.path().display());
            }
            self.scene = None;
            self.fallback = None;
            self.report = Some(self.engine.shutdown());
        }
        event_loop.exit();
    }

    fn view_title(&self) -> String {
        self.args
            .shader
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.args.shader.display().to_string())
    }
}
