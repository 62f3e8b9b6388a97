//! The window: winit events, egui on the window's wgpu surface, the engine's frames.
//!
//! Colours: the engine's frame (RGBA8, the bytes `isf render` writes) becomes an egui
//! texture (`Rgba8Unorm`, no sRGB decoding), drawn at a whole-number scale with nearest
//! sampling onto a non-sRGB surface (egui-wgpu picks `Bgra8Unorm`/`Rgba8Unorm`) with egui's
//! dithering off: egui's shader then passes the bytes through, so a pixel on screen is the
//! headless pixel. Alpha is not shown (the picture is opaque), as in a GL window.

use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use egui::{Color32, Key, Rect};
use isfkit_output::{write_image, ImageFormat, PngCompression};
use isfkit_render::{
    wgpu_leaks, CleanupReport, Engine, EngineConfig, ErrorKind, Frame, Phase, Program, Released,
    RenderOptions, Scene, Value,
};
use winit::application::ApplicationHandler;
use winit::event::WindowEvent;
use winit::event_loop::{ActiveEventLoop, ControlFlow, EventLoop, EventLoopProxy};
use winit::window::{Window, WindowId};

use crate::controls::{carry_values, Controls};
use crate::diag::{engine_error_text, load_error_text};
use crate::parts::{one, Part, Slot};
use crate::record::{free_name, have_ffmpeg, Recorder, Target};
use crate::watch::{files_of, Changes, FileWatcher};
use crate::{Failure, PreviewArgs};

/// Quiet time after the last file event before reloading: editors write a file in several
/// steps, and a reload in between would show a half-written file's error.
const SETTLE: Duration = Duration::from_millis(15);

/// Wakes the event loop from the watcher's thread.
#[derive(Debug, Clone, Copy)]
struct Wake;

/// egui's state: what phase 4 releases.
struct UiState {
    ctx: egui::Context,
    input: egui_winit::State,
    picture: Option<egui::TextureHandle>,
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
    participants_registered: bool,
    /// How long the last reload took to parse, translate and compile the shader.
    reload_compile_ms: f64,
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

pub(crate) fn run(args: PreviewArgs) -> Result<CleanupReport, Failure> {
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
    // The display next: without one nothing else is worth starting.
    let event_loop = EventLoop::<Wake>::with_user_event()
        .build()
        .map_err(no_display)?;
    let engine = Engine::new(isfkit_batch::media::with_media_files(EngineConfig {
        backend: args.backend,
        ..Default::default()
    }))
    .map_err(|e| Failure::engine(&e, shader))?;
    let result = run_with(&engine, args.clone(), event_loop);
    // The window closed (its handler ran the shutdown); run it here if it did not.
    let (report, failure) = match result {
        Ok((report, failure)) => (report.unwrap_or_else(|| engine.shutdown()), failure),
        Err(f) => (engine.shutdown(), Some(f)),
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
        None => Ok(report),
    }
}

type RunResult = Result<(Option<CleanupReport>, Option<Failure>), Failure>;

fn run_with(engine: &Engine, args: PreviewArgs, event_loop: EventLoop<Wake>) -> RunResult {
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
        stats: Stats::default(),
        status: String::new(),
        quit: false,
        report: None,
        failure: None,
        last_playing_tick: None,
        egui_repaint_at: None,
        pending_controls: None,
        participants_registered: false,
        reload_compile_ms: 0.0,
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
    Ok((app.report.take(), app.failure.take()))
}

impl App<'_> {
    /// Loads the shader and applies --set/--image/--audio. Bad values are usage errors
    /// (exit 2) as in `isf render`; an invalid shader opens the window with its error.
    fn first_load(&mut self) -> Result<(), Failure> {
        let shader = self.args.shader.clone();
        let program = match Program::load(&shader) {
            Ok(p) => p,
            Err(e) => {
                let text = load_error_text(&shader, &e);
                if matches!(&e, isfkit_render::LoadError::Format(f) if f.kind == isfkit_render::format::FormatErrorKind::Unreadable)
                    || matches!(e, isfkit_render::LoadError::ReadVertex { .. })
                {
                    return Err(Failure::new(ErrorKind::File, text));
                }
                eprintln!("{text}");
                self.error = Some(text);
                return Ok(());
            }
        };
        for w in &program.doc.warnings {
            eprintln!("{}", w.render(&shader.display().to_string()));
        }
        let scene = match self.engine.create_scene(program.clone()) {
            Ok(s) => s,
            Err(e) => {
                let text = engine_error_text(&shader, &e);
                eprintln!("{text}");
                self.error = Some(text);
                return Ok(());
            }
        };
        let fail = |e: isfkit_render::Error| Failure::engine(&e, &shader);
        for s in &self.args.sets {
            let (name, value) = split(s, "--set")?;
            scene.set_text(name, value).map_err(fail)?;
        }
        let mut controls = Controls::default();
        for s in &self.args.images {
            let (name, path) = split(s, "--image")?;
            scene.input(name).map_err(fail)?;
            controls
                .load_image(&scene, name, Path::new(path))
                .map_err(|e| Failure::new(e.kind(), format!("error: --image {name}: {e}")))?;
        }
        for s in &self.args.audio {
            let (name, path) = split(s, "--audio")?;
            scene.input(name).map_err(fail)?;
            controls
                .load_audio(&scene, name, Path::new(path))
                .map_err(|e| Failure::new(e.kind(), format!("error: --audio {name}: {e}")))?;
        }
        self.pending_controls = Some(controls);
        self.scene = Some(scene);
        self.program = Some(program);
        Ok(())
    }
}

fn split<'s>(s: &'s str, what: &str) -> Result<(&'s str, &'s str), Failure> {
    s.split_once('=')
        .ok_or_else(|| Failure::usage(format!("error: {what} \"{s}\" is not NAME=VALUE")))
}

impl App<'_> {
    /// Joins the engine's cleanup coordinator: phase 1 stops the watcher and the recorder,
    /// phase 2 closes the surface and then the window, phase 3 releases egui's renderer and
    /// the window's device (and checks wgpu's report of that device's instance), phase 4
    /// releases egui's state and the controls.
    fn register_participants(&mut self) -> Result<(), Failure> {
        let reg = |p| {
            self.engine
                .register_participant(p)
                .map_err(|e| Failure::engine(&e, &self.args.shader))
        };
        let watcher = self.watcher.clone();
        reg(Part::boxed("file watcher", Phase::StopWorkers, move || {
            // Dropping the watcher stops and joins its thread.
            Ok(Released {
                count: u64::from(watcher.take().is_some()),
                bytes: 0,
            })
        }))?;
        let recorder = self.recorder.clone();
        reg(Part::boxed(
            "recorder",
            Phase::StopWorkers,
            move || match recorder.take() {
                None => Ok(Released::default()),
                Some(mut r) => {
                    let path = r.target.path().display().to_string();
                    r.stop()
                        .map(|_| one())
                        .map_err(|e| format!("finishing the recording {path}: {e}"))
                }
            },
        ))?;
        let painter = self.painter.clone();
        reg(Part::boxed(
            "window surface",
            Phase::CloseSurfaces,
            move || {
                let mut p = painter.lock();
                match p.as_mut() {
                    None => Ok(Released::default()),
                    Some(p) => pollster::block_on(p.set_window(egui::ViewportId::ROOT, None))
                        .map(|()| one())
                        .map_err(|e| e.to_string()),
                }
            },
        ))?;
        let window = self.window.clone();
        reg(Part::boxed(
            "window",
            Phase::CloseSurfaces,
            move || match window.take() {
                None => Ok(Released::default()),
                Some(w) => {
                    let others = Arc::strong_count(&w) - 1;
                    drop(w);
                    if others > 0 {
                        Err(format!(
                            "{others} other reference(s) to the window remain; it closes when they go"
                        ))
                    } else {
                        Ok(one())
                    }
                }
            },
        ))?;
        let painter = self.painter.clone();
        reg(Part::boxed(
            "window GPU (egui renderer, device)",
            Phase::ReleaseGpu,
            move || {
                let Some(p) = painter.take() else {
                    return Ok(Released::default());
                };
                let state = p.render_state();
                drop(p);
                let Some(state) = state else {
                    return Ok(one());
                };
                let instance = state.instance.clone();
                let device = state.device.clone();
                let waited = device.poll(wgpu::PollType::wait_indefinitely());
                drop(state);
                drop(device);
                let live: Vec<String> = wgpu_leaks(&instance)
                    .iter()
                    .map(|l| format!("{} {}(s)", l.count, l.kind))
                    .collect();
                let mut problems = Vec::new();
                if let Err(e) = waited {
                    problems.push(format!("waiting for the window's device failed: {e}"));
                }
                if !live.is_empty() {
                    problems.push(format!(
                        "wgpu still holds objects of the window's device: {}",
                        live.join(", ")
                    ));
                }
                if problems.is_empty() {
                    Ok(one())
                } else {
                    Err(problems.join("; "))
                }
            },
        ))?;
        let ui = self.ui.clone();
        reg(Part::boxed(
            "UI state (egui context, input, controls)",
            Phase::ReleaseUi,
            move || {
                Ok(Released {
                    count: u64::from(ui.take().is_some()),
                    bytes: 0,
                })
            },
        ))?;
        self.participants_registered = true;
        Ok(())
    }

    /// (Re)starts the watcher on the shader's current files.
    fn watch(&mut self) {
        let files = files_of(
            &self.args.shader,
            self.scene.as_ref().map(|s| s.document()).as_ref(),
        );
        let wanted: std::collections::BTreeSet<PathBuf> = files
            .iter()
            .map(|f| std::path::absolute(f).unwrap_or_else(|_| f.clone()))
            .collect();
        if self
            .watcher
            .lock()
            .as_ref()
            .is_some_and(|w| w.files == wanted)
        {
            return;
        }
        let proxy = self.proxy.clone();
        match FileWatcher::new(&files, self.changes.clone(), move || {
            let _ = proxy.send_event(Wake);
        }) {
            Ok(w) => self.watcher.put(w),
            Err(e) => {
                self.status = format!("hot reload is off: cannot watch the shader's folder: {e}");
                eprintln!("warning: {}", self.status);
            }
        }
    }

    /// Reloads the shader after a file changed. A shader that does not load shows its
    /// error; the current scene keeps playing.
    fn reload(&mut self) {
        let saved = latest_mtime(&self.watcher);
        let shader = self.args.shader.clone();
        let t0 = Instant::now();
        let program = match Program::load(&shader) {
            Ok(p) => p,
            Err(e) => {
                let text = load_error_text(&shader, &e);
                if self.error.as_deref() != Some(text.as_str()) {
                    eprintln!("{text}");
                }
                self.error = Some(text);
                self.need_render = true;
                return;
            }
        };
        let scene = match self.engine.create_scene(program.clone()) {
            Ok(s) => s,
            Err(e) => {
                let text = engine_error_text(&shader, &e);
                eprintln!("{text}");
                self.error = Some(text);
                return;
            }
        };
        if let Some(old) = &self.scene {
            carry_values(old, &scene);
            match self.engine.carry_state(old, &scene) {
                Ok(true) => {}
                Ok(false) => self.status = "passes changed: persistent buffers start empty".into(),
                Err(e) => self.status = format!("state not carried over: {e}"),
            }
        } else {
            // The first good load after a broken start: apply the command line's values. A
            // value the fixed shader does not take is said in the status line and on stderr.
            let mut refused = Vec::new();
            for s in &self.args.sets {
                if let Some((n, v)) = s.split_once('=') {
                    if let Err(e) = scene.set_text(n, v) {
                        refused.push(format!("--set {s}: {e}"));
                    }
                }
            }
            if !refused.is_empty() {
                let text = refused.join("; ");
                eprintln!("warning: {text}");
                self.status = text;
            }
        }
        if let Some(ui) = self.ui.lock().as_mut() {
            let dropped = ui.controls.apply_files(&scene);
            if !dropped.is_empty() {
                self.status = format!("inputs gone after the reload: {}", dropped.join(", "));
            }
        }
        self.fallback = self.scene.replace(scene);
        self.program = Some(program);
        self.error = None;
        self.need_render = true;
        self.reload_pending = Some(saved.unwrap_or_else(SystemTime::now));
        self.reload_compile_ms = t0.elapsed().as_secs_f64() * 1000.0;
        self.watch();
    }

    /// Starts over: time back to the start, FRAMEINDEX 0, persistent buffers empty; input
    /// values are kept.
    fn restart(&mut self) {
        let (Some(program), Some(old)) = (&self.program, &self.scene) else {
            return;
        };
        match self.engine.create_scene(program.clone()) {
            Ok(scene) => {
                carry_values(old, &scene);
                if let Some(ui) = self.ui.lock().as_mut() {
                    ui.controls.apply_files(&scene);
                }
                self.scene = Some(scene);
                self.fallback = None;
                self.clock.time = self.args.time;
                self.need_render = true;
                self.status = "restarted".into();
            }
            Err(e) => self.error = Some(engine_error_text(&self.args.shader, &e)),
        }
    }

    /// The render size: --size, else the picture area.
    fn render_size(&self) -> Option<(u32, u32)> {
        self.args.size.or(self.canvas_px)
    }

    /// Renders a frame at the current time and hands it to the picture texture (and the
    /// recorder). An error shows over the last good frame; a reloaded scene that fails
    /// gives way to the one before it.
    fn render_frame(&mut self, ui: &mut UiState) {
        let (Some((w, h)), Some(scene)) = (self.render_size(), self.scene.clone()) else {
            return;
        };
        let t0 = Instant::now();
        let opts = RenderOptions::new(w, h, self.clock.time);
        match scene.render(&opts) {
            Ok(frame) => {
                self.fallback = None;
                self.stats.frame_ms = t0.elapsed().as_secs_f64() * 1000.0;
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
                let pixels: Vec<Color32> = frame
                    .rgba8()
                    .chunks_exact(4)
                    .map(|p| Color32::from_rgba_premultiplied(p[0], p[1], p[2], 255))
                    .collect();
                let image = egui::ColorImage::new([w as usize, h as usize], pixels);
                match &mut ui.picture {
                    Some(t) => t.set(image, egui::TextureOptions::NEAREST),
                    None => {
                        ui.picture = Some(ui.ctx.load_texture(
                            "picture",
                            image,
                            egui::TextureOptions::NEAREST,
                        ))
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
            }
            Err(e) => {
                self.error = Some(engine_error_text(&self.args.shader, &e));
                if let Some(old) = self.fallback.take() {
                    self.scene = Some(old);
                }
            }
        }
    }

    fn toggle_recording(&mut self, sequence: bool) {
        if self.recorder.is_some() {
            self.stop_recording();
            return;
        }
        let Some((w, h)) = self.render_size() else {
            return;
        };
        let stem = stem(&self.args.shader);
        let dir = &self.args.output_dir;
        let target = if sequence || !have_ffmpeg() {
            Target::Sequence(free_name(dir, &format!("{stem}_recording"), ""))
        } else {
            Target::Video(free_name(dir, &format!("{stem}_recording"), "mp4"))
        };
        // H.264 in yuv420p needs even sizes.
        if matches!(target, Target::Video(_)) && (w % 2 == 1 || h % 2 == 1) {
            self.status =
                format!("cannot record {w}x{h} to mp4: the size must be even (set --size)");
            return;
        }
        match Recorder::start(target, w, h, self.args.fps) {
            Ok(r) => {
                self.status = format!("recording to {}", r.target.path().display());
                self.recorder.put(r);
            }
            Err(e) => self.status = e,
        }
    }

    fn stop_recording(&mut self) {
        if let Some(mut r) = self.recorder.take() {
            self.status = match r.stop() {
                Ok(n) => format!("recorded {n} frame(s) to {}", r.target.path().display()),
                Err(e) => format!("recording failed: {e}"),
            };
        }
    }

    /// Writes the frame on screen (same pixels) as a PNG; with another size, renders a
    /// fresh copy of the scene at the current time and inputs, which is what
    /// `isf render --time T --size WxH` writes.
    fn snapshot(&mut self, size: Option<(u32, u32)>) {
        let stem = stem(&self.args.shader);
        let frame = match size {
            None => self.last_frame.clone(),
            Some((w, h)) => self.fresh_frame(w, h),
        };
        let Some(frame) = frame else {
            if self.status.is_empty() {
                self.status = "no frame to save yet".into();
            }
            return;
        };
        let path = free_name(
            &self.args.output_dir,
            &format!(
                "{stem}_{:.3}s_{}x{}",
                self.clock.time, frame.width, frame.height
            ),
            "png",
        );
        let format = ImageFormat::Png {
            bits: 8,
            compression: PngCompression::Fast,
        };
        self.status = match write_image(&frame, &path, format) {
            Ok(()) => format!("saved {}", path.display()),
            Err(e) => format!("snapshot failed: {e}"),
        };
        eprintln!("{}", self.status);
    }

    fn fresh_frame(&mut self, w: u32, h: u32) -> Option<Frame> {
        let (program, old) = (self.program.clone()?, self.scene.clone()?);
        let result = self.engine.create_scene(program).and_then(|s| {
            carry_values(&old, &s);
            if let Some(ui) = self.ui.lock().as_mut() {
                ui.controls.apply_files(&s);
            }
            s.render(&RenderOptions::new(w, h, self.clock.time))
        });
        match result {
            Ok(f) => Some(f),
            Err(e) => {
                self.status = format!(
                    "snapshot failed: {}",
                    engine_error_text(&self.args.shader, &e)
                );
                None
            }
        }
    }

    fn reinitialize(&mut self) {
        self.status = match self.engine.reinitialize() {
            Ok(r) => format!(
                "engine device re-initialised: generation {}, {:.1} ms, {} persistent buffer(s) kept",
                r.generation, r.duration_ms, r.persistent_saved
            ),
            Err(e) => format!("re-initialisation failed: {e}"),
        };
        eprintln!("{}", self.status);
        self.need_render = true;
    }

    /// Closes the window: runs the engine's cleanup coordinator once (the participants
    /// close the surface and the window) and leaves the event loop.
    fn close(&mut self, event_loop: &ActiveEventLoop) {
        if self.report.is_none() {
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
}

/// The newest modification time of the watched files (when the user saved).
fn latest_mtime(watcher: &Slot<FileWatcher>) -> Option<SystemTime> {
    let w = watcher.lock();
    w.as_ref()?
        .files
        .iter()
        .filter_map(|f| std::fs::metadata(f).and_then(|m| m.modified()).ok())
        .max()
}

fn stem(p: &Path) -> String {
    p.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "shader".into())
}

/// What the UI asked for in a pass, done after it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Action {
    PlayPause,
    Step,
    Restart,
    Snapshot,
    SnapshotAt,
    Record { sequence: bool },
    Reinit,
    Reload,
    Quit,
    SetTime(f64),
    SetSpeed(f64),
    Point([f32; 2]),
    Dropped(usize),
}

/// What the UI shows (read-only for the pass).
struct View<'v> {
    title: &'v str,
    playing: bool,
    recording: Option<String>,
    time: f64,
    speed: f64,
    fps: f64,
    frame_ms: f64,
    size: Option<(u32, u32)>,
    frame_index: u64,
    status: &'v str,
    error: Option<&'v str>,
}

/// The picture's place in `canvas`: centred, at the largest whole-number scale that fits
/// (1:1 pixels stay exact), or scaled down to fit when larger than the canvas.
fn picture_rect(canvas: Rect, size: (u32, u32), ppp: f32) -> (Rect, f32) {
    let (w, h) = (size.0 as f32, size.1 as f32);
    let (cw, ch) = (canvas.width() * ppp, canvas.height() * ppp);
    let fit = (cw / w).min(ch / h);
    let scale = if fit >= 1.0 { fit.floor() } else { fit };
    let (pw, ph) = (w * scale, h * scale);
    let x0 = (canvas.min.x * ppp + (cw - pw) / 2.0).round();
    let y0 = (canvas.min.y * ppp + (ch - ph) / 2.0).round();
    (
        Rect::from_min_size(
            egui::pos2(x0 / ppp, y0 / ppp),
            egui::vec2(pw / ppp, ph / ppp),
        ),
        scale,
    )
}

#[allow(clippy::too_many_arguments)]
fn build_ui(
    root: &mut egui::Ui,
    v: &View,
    controls: &mut Controls,
    scene: Option<&Scene>,
    picture: Option<&egui::TextureHandle>,
    snapshot_size: &mut (u32, u32),
    actions: &mut Vec<Action>,
    canvas_out: &mut Option<Rect>,
    changed: &mut bool,
) {
    let ctx = root.ctx().clone();
    if !ctx.egui_wants_keyboard_input() {
        ctx.input(|i| {
            let cmd = i.modifiers.command;
            if i.key_pressed(Key::Escape) || (cmd && i.key_pressed(Key::Q)) {
                actions.push(Action::Quit);
            }
            if i.key_pressed(Key::Space) {
                actions.push(Action::PlayPause);
            }
            if i.key_pressed(Key::Period) || i.key_pressed(Key::ArrowRight) {
                actions.push(Action::Step);
            }
            if i.key_pressed(Key::Home) || i.key_pressed(Key::Backspace) {
                actions.push(Action::Restart);
            }
            if i.key_pressed(Key::S) && !cmd {
                actions.push(Action::Snapshot);
            }
            if i.key_pressed(Key::R) && !cmd {
                actions.push(Action::Record {
                    sequence: i.modifiers.shift,
                });
            }
            if i.key_pressed(Key::F5) {
                actions.push(Action::Reload);
            }
            if i.key_pressed(Key::F9) {
                actions.push(Action::Reinit);
            }
        });
    }
    let dropped = ctx.input(|i| i.raw.dropped_files.len());
    if dropped > 0 {
        actions.push(Action::Dropped(dropped));
    }
    egui::Panel::top("menu").show(root, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui.button("Snapshot PNG (S)").clicked() {
                    actions.push(Action::Snapshot);
                }
                ui.horizontal(|ui| {
                    ui.add(egui::DragValue::new(&mut snapshot_size.0).range(1..=16384));
                    ui.label("x");
                    ui.add(egui::DragValue::new(&mut snapshot_size.1).range(1..=16384));
                    if ui.button("Snapshot at this size").clicked() {
                        actions.push(Action::SnapshotAt);
                    }
                });
                ui.separator();
                let rec = if v.recording.is_some() {
                    "Stop recording (R)"
                } else {
                    "Record mp4 (R)"
                };
                if ui.button(rec).clicked() {
                    actions.push(Action::Record { sequence: false });
                }
                if v.recording.is_none() && ui.button("Record PNG sequence (Shift+R)").clicked() {
                    actions.push(Action::Record { sequence: true });
                }
                ui.separator();
                if ui.button("Reload now (F5)").clicked() {
                    actions.push(Action::Reload);
                }
                if ui.button("Quit (Esc, Ctrl+Q)").clicked() {
                    actions.push(Action::Quit);
                }
            });
            ui.menu_button("Device", |ui| {
                if ui
                    .button("Re-initialise the engine's device (F9)")
                    .clicked()
                {
                    actions.push(Action::Reinit);
                }
            });
            ui.separator();
            let play = if v.playing { "Pause" } else { "Play" };
            if ui.button(play).on_hover_text("Space").clicked() {
                actions.push(Action::PlayPause);
            }
            if ui
                .button("Step")
                .on_hover_text("one frame (. or →)")
                .clicked()
            {
                actions.push(Action::Step);
            }
            if ui
                .button("Restart")
                .on_hover_text("time, FRAMEINDEX and persistent buffers (Home)")
                .clicked()
            {
                actions.push(Action::Restart);
            }
            let mut speed = v.speed;
            ui.label("speed");
            if ui
                .add(
                    egui::DragValue::new(&mut speed)
                        .speed(0.01)
                        .range(0.0..=16.0),
                )
                .changed()
            {
                actions.push(Action::SetSpeed(speed));
            }
            let mut t = v.time;
            let end = (v.time * 1.25).max(60.0);
            ui.label("time");
            if ui
                .add(egui::Slider::new(&mut t, 0.0..=end).suffix(" s"))
                .changed()
            {
                actions.push(Action::SetTime(t));
            }
            if let Some(r) = &v.recording {
                ui.colored_label(Color32::from_rgb(255, 80, 80), format!("● REC {r}"));
            }
        });
    });
    egui::Panel::bottom("hud").show(root, |ui| {
        ui.horizontal(|ui| {
            ui.monospace(format!(
                "{:5.1} fps  {:6.2} ms/frame  {}  t {:.3} s  FRAMEINDEX {}",
                v.fps,
                v.frame_ms,
                v.size
                    .map_or_else(|| "-".into(), |(w, h)| format!("{w}x{h}")),
                v.time,
                v.frame_index
            ));
            ui.label(v.status);
        });
    });
    egui::Panel::left("inputs")
        .default_size(260.0)
        .resizable(true)
        .show(root, |ui| {
            ui.heading(v.title);
            ui.separator();
            egui::ScrollArea::vertical().show(ui, |ui| {
                if let Some(scene) = scene {
                    let doc = scene.document();
                    *changed |= controls.ui(ui, scene, &doc);
                } else {
                    ui.label("The shader has not loaded yet.");
                }
            });
        });
    egui::CentralPanel::default()
        .frame(egui::Frame::NONE.fill(Color32::BLACK))
        .show(root, |ui| {
            let canvas = ui.max_rect();
            *canvas_out = Some(canvas);
            let ppp = ui.ctx().pixels_per_point();
            let response = ui.allocate_rect(canvas, egui::Sense::click_and_drag());
            if let (Some(tex), Some(size)) = (picture, v.size) {
                let tsize = tex.size();
                let shown = (tsize[0] as u32, tsize[1] as u32);
                let (rect, _) = picture_rect(canvas, shown, ppp);
                ui.painter().image(
                    tex.id(),
                    rect,
                    Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0)),
                    Color32::WHITE,
                );
                if response.clicked() || response.dragged() {
                    if let Some(p) = response.interact_pointer_pos() {
                        // ISF points are in pixels with the origin at the bottom left.
                        let x = (p.x - rect.min.x) / rect.width() * size.0 as f32;
                        let y = (rect.max.y - p.y) / rect.height() * size.1 as f32;
                        actions.push(Action::Point([x, y]));
                    }
                }
            }
            if let Some(e) = v.error {
                let area = canvas.shrink(8.0);
                ui.scope_builder(egui::UiBuilder::new().max_rect(area), |ui| {
                    egui::Frame::new()
                        .fill(Color32::from_black_alpha(215))
                        .inner_margin(8.0)
                        .show(ui, |ui| {
                            ui.set_max_width(area.width() - 16.0);
                            ui.label(
                                egui::RichText::new(e)
                                    .monospace()
                                    .color(Color32::from_rgb(255, 110, 90)),
                            );
                        });
                });
            }
        });
}

impl App<'_> {
    fn view_title(&self) -> String {
        self.args
            .shader
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.args.shader.display().to_string())
    }

    /// One frame: advance the clock, render when needed, run the UI, paint.
    fn redraw(&mut self, event_loop: &ActiveEventLoop) {
        let Some(window) = self.window.lock().clone() else {
            return;
        };
        let Some(mut ui) = self.ui.take() else {
            return;
        };
        let now = Instant::now();
        if self.clock.playing && self.scene.is_some() {
            let dt = if self.recorder.is_some() {
                1.0 / self.args.fps
            } else {
                now.duration_since(self.clock.last_tick).as_secs_f64() * self.clock.speed
            };
            if self.stats.frames > 0 {
                self.clock.time += dt;
                if let Some(prev) = self.last_playing_tick {
                    self.stats.playing_time += now.duration_since(prev);
                    self.stats.playing_frames += 1;
                }
            }
            self.last_playing_tick = Some(now);
            self.need_render = true;
        } else {
            self.last_playing_tick = None;
        }
        self.clock.last_tick = now;
        let t_render = Instant::now();
        if self.need_render && self.render_size().is_some() {
            self.need_render = false;
            self.render_frame(&mut ui);
        }
        let t_ui = Instant::now();
        let title = self.view_title();
        let recording = self
            .recorder
            .lock()
            .as_ref()
            .map(|r| r.target.path().display().to_string());
        let view = View {
            title: &title,
            playing: self.clock.playing,
            recording,
            time: self.clock.time,
            speed: self.clock.speed,
            fps: self.stats.fps(),
            frame_ms: self.stats.frame_ms,
            size: self.render_size(),
            frame_index: self.scene.as_ref().map_or(0, |s| s.frame_index()),
            status: &self.status,
            error: self.error.as_deref(),
        };
        let mut actions = Vec::new();
        let mut canvas = None;
        let mut changed = false;
        let mut snapshot_size = self.snapshot_size;
        let raw = ui.input.take_egui_input(&window);
        let UiState {
            ctx,
            input,
            picture,
            controls,
        } = &mut ui;
        let dropped_files = raw.dropped_files.clone();
        let mut out = ctx.run_ui(raw, |root| {
            build_ui(
                root,
                &view,
                controls,
                self.scene.as_ref(),
                picture.as_ref(),
                &mut snapshot_size,
                &mut actions,
                &mut canvas,
                &mut changed,
            )
        });
        self.snapshot_size = snapshot_size;
        input.handle_platform_output(&window, std::mem::take(&mut out.platform_output));
        let ppp = out.pixels_per_point;
        let prims = ctx.tessellate(std::mem::take(&mut out.shapes), ppp);
        let t_paint = Instant::now();
        let mut acquire_s = 0.0;
        if let Some(p) = self.painter.lock().as_mut() {
            acquire_s = p.paint_and_update_textures(
                egui::ViewportId::ROOT,
                ppp,
                [0.0, 0.0, 0.0, 1.0],
                &prims,
                &mut out.textures_delta,
                Vec::new(),
                &window,
            );
        }
        tracing::debug!(
            render_ms = (t_ui - t_render).as_secs_f64() * 1000.0,
            ui_ms = (t_paint - t_ui).as_secs_f64() * 1000.0,
            paint_ms = t_paint.elapsed().as_secs_f64() * 1000.0,
            acquire_ms = acquire_s * 1000.0,
            "frame"
        );
        if let Some(saved) = self.reload_pending.take() {
            if self.error.is_none() {
                let ms = SystemTime::now()
                    .duration_since(saved)
                    .unwrap_or_default()
                    .as_secs_f64()
                    * 1000.0;
                tracing::info!(
                    ms,
                    load_ms = self.reload_compile_ms,
                    first_frame_ms = self.stats.frame_ms,
                    "reload: saved to new pixels on screen"
                );
            }
        }
        self.egui_repaint_at = out
            .viewport_output
            .get(&egui::ViewportId::ROOT)
            .map(|v| v.repaint_delay)
            .filter(|d| *d < Duration::from_secs(3600))
            .map(|d| now + d);
        if let Some(c) = canvas {
            let px = (
                (c.width() * ppp).round().max(1.0) as u32,
                (c.height() * ppp).round().max(1.0) as u32,
            );
            if self.canvas_px != Some(px) {
                self.canvas_px = Some(px);
                if self.args.size.is_none() {
                    self.need_render = true;
                }
            }
        }
        if changed {
            self.need_render = true;
        }
        self.ui.put(ui);
        // The window is closed by its participant during shutdown: hold no reference to it
        // while actions (Quit among them) run.
        drop(window);
        for a in actions {
            self.act(a, event_loop, &dropped_files);
        }
        if self.need_render && !self.quit {
            if let Some(w) = self.window.lock().as_ref() {
                w.request_redraw();
            }
        }
    }

    fn act(
        &mut self,
        a: Action,
        event_loop: &ActiveEventLoop,
        dropped: &[egui::DroppedFileHandle],
    ) {
        match a {
            Action::Quit => {
                self.quit = true;
                self.close(event_loop);
            }
            Action::PlayPause => {
                self.clock.playing = !self.clock.playing;
                self.status = if self.clock.playing {
                    "playing"
                } else {
                    "paused"
                }
                .into();
            }
            Action::Step => {
                self.clock.playing = false;
                self.clock.time += self.clock.speed.max(0.0) / self.args.fps;
                self.need_render = true;
            }
            Action::Restart => self.restart(),
            Action::Snapshot => self.snapshot(None),
            Action::SnapshotAt => self.snapshot(Some(self.snapshot_size)),
            Action::Record { sequence } => self.toggle_recording(sequence),
            Action::Reinit => self.reinitialize(),
            Action::Reload => self.reload(),
            Action::SetTime(t) => {
                self.clock.time = t;
                self.need_render = true;
            }
            Action::SetSpeed(s) => self.clock.speed = s,
            Action::Point(p) => {
                let target = self.scene.as_ref().and_then(|s| {
                    let doc = s.document();
                    self.ui
                        .lock()
                        .as_ref()
                        .and_then(|u| u.controls.point_input(&doc))
                });
                if let (Some(scene), Some(name)) = (&self.scene, target) {
                    if scene.set(&name, Value::Point2D(p)).is_ok() {
                        self.need_render = true;
                    }
                }
            }
            Action::Dropped(_) => {
                let Some(scene) = self.scene.clone() else {
                    return;
                };
                let doc = scene.document();
                let mut guard = self.ui.lock();
                let Some(ui) = guard.as_mut() else { return };
                let Some(name) = ui.controls.drop_input(&doc) else {
                    self.status = "dropped a file, but the shader has no image input".into();
                    return;
                };
                for f in dropped {
                    let path = f.path().to_owned();
                    match ui.controls.load_image(&scene, &name, &path) {
                        Ok(()) => {
                            self.status = format!("{name}: {}", path.display());
                            self.need_render = true;
                        }
                        Err(e) => self.status = format!("{name}: {e}"),
                    }
                }
            }
        }
    }

    fn open_window(&mut self, event_loop: &ActiveEventLoop) -> Result<(), Failure> {
        let (w, h) = self.args.window_size;
        let attrs = Window::default_attributes()
            .with_title(format!("{} - isf preview", self.view_title()))
            .with_inner_size(winit::dpi::PhysicalSize::new(w, h));
        let window = Arc::new(event_loop.create_window(attrs).map_err(no_display)?);
        let ctx = egui::Context::default();
        let mut setup =
            egui_wgpu::WgpuSetupCreateNew::from_display_handle(event_loop.owned_display_handle());
        setup.instance_descriptor.backends =
            wgpu::Backends::from_env().unwrap_or(wgpu::Backends::PRIMARY | wgpu::Backends::GL);
        setup.instance_descriptor.flags = wgpu::InstanceFlags::empty().with_env();
        let config = egui_wgpu::WgpuConfiguration {
            surface: egui_wgpu::SurfaceConfig {
                // Frames are paced by --fps, not by the display.
                present_mode: wgpu::PresentMode::AutoNoVsync,
                desired_maximum_frame_latency: Some(2),
            },
            wgpu_setup: egui_wgpu::WgpuSetup::CreateNew(setup),
            ..Default::default()
        };
        let options = egui_wgpu::RendererOptions {
            // Dithering adds noise to the picture's values; the picture must be exact.
            dithering: false,
            ..Default::default()
        };
        let mut painter = pollster::block_on(egui_wgpu::winit::Painter::new(
            ctx.clone(),
            config,
            false,
            options,
        ));
        pollster::block_on(painter.set_window(egui::ViewportId::ROOT, Some(window.clone())))
            .map_err(|e| {
                Failure::new(
                    ErrorKind::Gpu,
                    format!("error: cannot draw in the window: {e}"),
                )
            })?;
        if let Some(rs) = painter.render_state() {
            tracing::info!(
                adapter = %rs.adapter.get_info().name,
                format = ?rs.target_format,
                "window surface"
            );
        }
        let input = egui_winit::State::new(
            ctx.clone(),
            egui::ViewportId::ROOT,
            &window,
            Some(window.scale_factor() as f32),
            window.theme(),
            painter.max_texture_side(),
        );
        self.ui.put(UiState {
            ctx,
            input,
            picture: None,
            controls: self.pending_controls.take().unwrap_or_default(),
        });
        self.painter.put(painter);
        window.request_redraw();
        self.window.put(window);
        Ok(())
    }
}

impl ApplicationHandler<Wake> for App<'_> {
    fn resumed(&mut self, event_loop: &ActiveEventLoop) {
        if self.window.is_some() || self.report.is_some() {
            return;
        }
        if let Err(f) = self.open_window(event_loop) {
            self.failure = Some(f);
            self.close(event_loop);
        }
    }

    fn window_event(&mut self, event_loop: &ActiveEventLoop, _id: WindowId, event: WindowEvent) {
        let Some(window) = self.window.lock().clone() else {
            return;
        };
        if let Some(ui) = self.ui.lock().as_mut() {
            let r = ui.input.on_window_event(&window, &event);
            if r.repaint {
                window.request_redraw();
            }
        }
        match event {
            WindowEvent::CloseRequested => {
                drop(window);
                self.close(event_loop);
            }
            WindowEvent::Resized(size) => {
                if let (Some(w), Some(h)) =
                    (NonZeroU32::new(size.width), NonZeroU32::new(size.height))
                {
                    if let Some(p) = self.painter.lock().as_mut() {
                        p.on_window_resized(egui::ViewportId::ROOT, w, h);
                    }
                }
                window.request_redraw();
            }
            WindowEvent::RedrawRequested => {
                drop(window);
                self.redraw(event_loop);
            }
            _ => {}
        }
    }

    fn user_event(&mut self, _event_loop: &ActiveEventLoop, _event: Wake) {
        // A file changed: about_to_wait reloads once the writes have settled.
    }

    fn about_to_wait(&mut self, event_loop: &ActiveEventLoop) {
        if self.report.is_some() {
            return;
        }
        let now = Instant::now();
        let mut wake_at: Option<Instant> = None;
        let due = {
            let c = self.changes.lock().unwrap_or_else(|p| p.into_inner());
            c.last.map(|l| l + SETTLE)
        };
        if let Some(due) = due {
            if now >= due {
                *self.changes.lock().unwrap_or_else(|p| p.into_inner()) = Changes::default();
                self.reload();
            } else {
                wake_at = Some(due);
            }
        }
        let window = self.window.lock().clone();
        if let Some(window) = window {
            let mut redraw = self.need_render;
            if self.clock.playing && self.scene.is_some() {
                let next = self.clock.last_tick + Duration::from_secs_f64(1.0 / self.args.fps);
                if now >= next {
                    redraw = true;
                } else {
                    wake_at = Some(wake_at.map_or(next, |w| w.min(next)));
                }
            }
            if let Some(at) = self.egui_repaint_at {
                if now >= at {
                    redraw = true;
                } else {
                    wake_at = Some(wake_at.map_or(at, |w| w.min(at)));
                }
            }
            if redraw {
                window.request_redraw();
            }
        }
        event_loop.set_control_flow(match wake_at {
            Some(at) => ControlFlow::WaitUntil(at),
            None => ControlFlow::Wait,
        });
    }
}
