//! Running one [`Task`] in this process on a given engine, resuming what an earlier run
//! left, and the summary of a whole run.
//!
//! Frames stay in flight on the GPU while earlier ones are read back and encoded on an
//! [`EncoderPool`] (`Engine::render_pipelined`). Files are written under a temporary name
//! and renamed, so a killed run leaves no half frame; `resume` skips complete files and
//! removes stale temporaries.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use isfkit_output::{
    remove_stale_temporaries, EncoderPool, GifWriter, OutputError, PipelineError, VideoWriter,
};
use isfkit_render::{Engine, Error, ErrorKind, RenderOptions, Scene, Sound};
use serde::{Deserialize, Serialize};

use crate::keys::Keyframes;
use crate::lead_in::plan_frames;
use crate::media::Moving;
use crate::plan::{output_folder, Output, Task};

/// How to run a task (the same for every task of a run).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunOptions {
    /// Skip frames whose files exist and are complete (a video or GIF that exists counts as
    /// complete), and remove temporaries a killed run left.
    pub resume: bool,
    /// Frames kept in flight on the GPU (at least 1 is used).
    pub in_flight: usize,
    /// Re-initialise the GPU device every N frames of a task (soak testing).
    #[serde(default)]
    pub reinit_every: Option<u64>,
    /// A failed task keeps the stills it finished before the failure (`isf render`: the
    /// frames before a hung one); otherwise a failed task writes no frames.
    #[serde(default)]
    pub keep_finished_frames: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            resume: false,
            in_flight: 3,
            reinit_every: None,
            keep_finished_frames: false,
        }
    }
}

/// Why a task failed: the kind of failure (for exit codes, exception classes, statuses) and
/// the message a command-line tool prints (see [`Error::render`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskError {
    pub kind: ErrorKind,
    pub message: String,
}

impl TaskError {
    /// An engine error, with `shader` named as the user gave it.
    pub fn engine(e: &Error, shader: &Path) -> TaskError {
        TaskError {
            kind: e.kind(),
            message: e.render(shader),
        }
    }

    /// An error of writing frames.
    pub fn output(e: &OutputError) -> TaskError {
        TaskError {
            kind: e.kind(),
            message: format!("error: {e}"),
        }
    }

    fn pipeline(e: &PipelineError, shader: &Path) -> TaskError {
        match e {
            PipelineError::Engine(e) => TaskError::engine(e, shader),
            PipelineError::Output(e) => TaskError::output(e),
        }
    }
}

/// What became of one task: one entry of the summary's `results`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskResult {
    /// The shader's path as planned.
    pub shader: String,
    pub frames_written: u64,
    /// Frames not rendered because `resume` found them complete.
    pub frames_skipped: u64,
    /// Why the task failed (compiler-style for shader errors); `None` when it succeeded.
    /// An interrupted task that wrote stills is not a failure; one writing a video is.
    pub error: Option<String>,
    /// The kind of the failure (`invalid_shader`, `input`, `timeout`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ErrorKind>,
    /// The shader's header warnings, compiler-style.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Wall-clock seconds the task took.
    pub seconds: f64,
}

impl TaskResult {
    /// A result for `task` that failed with `error` before or without rendering (a broken
    /// shader, a worker that could not start or was killed).
    pub fn failed(
        task: &Task,
        kind: ErrorKind,
        error: impl Into<String>,
        seconds: f64,
    ) -> TaskResult {
        TaskResult {
            shader: task.shader.display().to_string(),
            error: Some(error.into()),
            kind: Some(kind),
            seconds,
            ..Default::default()
        }
    }
}

impl TaskResult {
    /// One result for a task run in pieces (a distributed runner's chunks): frames and
    /// seconds added up, the pieces' errors joined. `shader` names the task when `parts` is
    /// empty.
    pub fn combine(shader: &str, parts: &[TaskResult]) -> TaskResult {
        let errors: Vec<&str> = parts.iter().filter_map(|p| p.error.as_deref()).collect();
        let mut unique: Vec<&str> = Vec::new();
        for e in errors {
            if !unique.contains(&e) {
                unique.push(e);
            }
        }
        TaskResult {
            shader: parts
                .first()
                .map_or_else(|| shader.to_owned(), |p| p.shader.clone()),
            frames_written: parts.iter().map(|p| p.frames_written).sum(),
            frames_skipped: parts.iter().map(|p| p.frames_skipped).sum(),
            error: (!unique.is_empty()).then(|| unique.join("\n")),
            kind: parts.iter().find_map(|p| p.kind),
            warnings: parts
                .first()
                .map(|p| p.warnings.clone())
                .unwrap_or_default(),
            seconds: parts.iter().map(|p| p.seconds).sum(),
        }
    }
}

/// One failed task, as the summary lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    pub shader: String,
    pub error: String,
}

/// What `isf batch --json` prints at the end of a run. Another runner (the Python/Ray one)
/// builds it with [`Summary::new`] from its own results to print the same JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Tasks in the plan.
    pub tasks: usize,
    /// Tasks that ran (fewer than `tasks` after an interruption).
    pub tasks_run: usize,
    pub frames_written: u64,
    pub frames_skipped: u64,
    /// Wall-clock seconds of the whole run.
    pub seconds: f64,
    /// Frames written per second of `seconds`.
    pub fps: f64,
    pub failures: Vec<Failure>,
    /// The run was stopped (Ctrl-C) before every task ran.
    pub interrupted: bool,
    /// The engine's shutdown released everything (true when no engine ran in this process).
    pub cleanup_ok: bool,
    pub results: Vec<TaskResult>,
}

impl Summary {
    /// Totals `results` of a run over a plan of `tasks` tasks.
    pub fn new(
        tasks: usize,
        results: Vec<TaskResult>,
        seconds: f64,
        interrupted: bool,
        cleanup_ok: bool,
    ) -> Summary {
        let frames_written = results.iter().map(|r| r.frames_written).sum();
        Summary {
            tasks,
            tasks_run: results.len(),
            frames_written,
            frames_skipped: results.iter().map(|r| r.frames_skipped).sum(),
            seconds,
            fps: frames_written as f64 / seconds.max(1e-9),
            failures: results
                .iter()
                .filter_map(|r| {
                    r.error.as_ref().map(|e| Failure {
                        shader: r.shader.clone(),
                        error: e.clone(),
                    })
                })
                .collect(),
            interrupted,
            cleanup_ok,
            results,
        }
    }
}

impl Task {
    /// Removes temporary files another (killed) process left for this task's outputs; a
    /// runner calls it after killing a worker, which cannot clean up itself.
    pub fn remove_temporaries(&self) {
        for path in self.output_files() {
            remove_stale_temporaries(&path);
        }
    }
}

/// A file written earlier is complete when it decodes fully, at the right size. Files are
/// written under a temporary name, flushed and renamed, so a killed job leaves none half
/// written; a file damaged otherwise (a disk full, a copy cut short, a crash of a
/// file system without ordered writes) may still have an intact header over truncated data,
/// so the header alone is not trusted: every pixel is decoded.
pub fn complete(path: &Path, width: u32, height: u32) -> bool {
    image::ImageReader::open(path)
        .and_then(|r| r.with_guessed_format())
        .ok()
        .and_then(|r| r.decode().ok())
        .is_some_and(|img| (img.width(), img.height()) == (width, height))
}

/// Runs `task` on `engine`, encoding stills on `encoders`, and says what became of it.
///
/// `on_frame` is called once per frame handed over for writing (for progress). Setting
/// `interrupted` finishes the frames in flight and stops: the stills written so far stay
/// (not a failure), a partial video or GIF is removed (a failure). Every still of this task
/// is written (or failed) before it returns, so a write error is blamed on this task; the
/// pool itself stays open for the next task. A [`Task::broken`] task fails at once. A failed
/// task removes the stills it wrote unless `options.keep_finished_frames`.
pub fn run_task(
    engine: &Engine,
    task: &Task,
    options: &RunOptions,
    encoders: &EncoderPool,
    interrupted: &AtomicBool,
    on_frame: &mut dyn FnMut(),
) -> TaskResult {
    run_prepared(engine, task, None, options, encoders, interrupted, on_frame)
}

/// [`run_task`] with the task's shader already loaded (and its pipelines built) into
/// `prepared`, a fresh scene of `engine`; `None` loads it.
pub(crate) fn run_prepared(
    engine: &Engine,
    task: &Task,
    prepared: Option<Scene>,
    options: &RunOptions,
    encoders: &EncoderPool,
    interrupted: &AtomicBool,
    on_frame: &mut dyn FnMut(),
) -> TaskResult {
    let started = std::time::Instant::now();
    let mut run = TaskRun {
        engine,
        task,
        prepared,
        options,
        encoders,
        interrupted,
        stills: Vec::new(),
        warnings: Vec::new(),
    };
    let mut outcome = run.render(on_frame);
    if outcome.is_err() && !run.stills.is_empty() {
        // The stills it queued are written (or fail) before the task's result is given;
        // their write errors belong to this failure.
        encoders.flush();
        let write_errors = encoders.take_errors();
        if let (Err(e), false) = (&mut outcome, write_errors.is_empty()) {
            e.message = format!("{}; {}", e.message, write_errors.join("; "));
        }
        if !options.keep_finished_frames {
            for path in &run.stills {
                if let Err(e) = std::fs::remove_file(path) {
                    if e.kind() != std::io::ErrorKind::NotFound {
                        tracing::warn!("cannot remove {} of a failed task: {e}", path.display());
                    }
                }
            }
        }
    }
    let mut r = TaskResult {
        shader: task.shader.display().to_string(),
        warnings: run.warnings,
        seconds: started.elapsed().as_secs_f64(),
        ..Default::default()
    };
    match outcome {
        Ok((written, skipped)) => {
            r.frames_written = written;
            r.frames_skipped = skipped;
        }
        Err(e) => {
            r.error = Some(e.message);
            r.kind = Some(e.kind);
        }
    }
    r
}

/// One task being run: what [`run_task`] was given, and what it has written.
struct TaskRun<'a> {
    engine: &'a Engine,
    task: &'a Task,
    /// The task's scene, loaded ahead (taken by the run).
    prepared: Option<Scene>,
    options: &'a RunOptions,
    encoders: &'a EncoderPool,
    interrupted: &'a AtomicBool,
    /// Stills handed to the encoders, to remove if the task fails.
    stills: Vec<PathBuf>,
    /// The shader's header warnings, compiler-style.
    warnings: Vec<String>,
}

/// A frame of a task's run: its number (for its file name), its time, and whether it is
/// written (a stateful shader's lead-in and frames a resumed run found complete are rendered
/// or skipped unwritten).
#[derive(Debug, Clone, Copy)]
struct Planned {
    number: u64,
    time: f64,
    write: bool,
}

impl TaskRun<'_> {
    fn engine_error(&self, e: &Error) -> TaskError {
        TaskError::engine(e, &self.task.shader)
    }

    /// Loads the shader (from its file, or the text the task carries) and applies the
    /// task's inputs, still images and sounds; returns what moves from frame to frame
    /// (videos, sequences, keyframed inputs) and the first sound (by input name), a video's
    /// sound track.
    fn scene(&mut self) -> Result<(Scene, Moving, Option<Arc<Sound>>), TaskError> {
        let task = self.task;
        let scene = match (self.prepared.take(), &task.source) {
            (Some(scene), _) => Ok(scene),
            (None, Some(text)) => self.engine.load_source(text, None),
            (None, None) => self.engine.load(&task.shader),
        }
        .map_err(|e| self.engine_error(&e))?;
        let name = task.shader.display().to_string();
        self.warnings = scene
            .document()
            .warnings
            .iter()
            .map(|w| w.render(&name))
            .collect();
        let doc = scene.document();
        let (stills, clips) = crate::media::open_clips(&doc, &task.images, task.fps)
            .map_err(|e| self.engine_error(&e))?;
        let sound = crate::media::apply_inputs(&scene, &task.inputs, &stills, &task.audio)
            .map_err(|e| self.engine_error(&e))?;
        let mut keys = Vec::new();
        for (name, k) in &task.keys {
            let ty = doc
                .input(name)
                .map(|i| i.ty.clone())
                .ok_or_else(|| self.engine_error(&Error::unknown_input(&doc, name)))?;
            let k = Keyframes::new(name, &ty, k).map_err(|e| self.engine_error(&e))?;
            keys.push((name.clone(), k));
        }
        Ok((scene, Moving::new(clips, keys), sound))
    }

    /// Which frames must be written, and which a resumed run finds complete.
    fn wanted(&self) -> Vec<Planned> {
        let task = self.task;
        let resume = self.options.resume;
        match &task.output {
            Output::Stills { template, .. } => task
                .frames
                .iter()
                .map(|f| Planned {
                    number: f.number,
                    time: f.time,
                    write: !(resume
                        && complete(
                            &Task::frame_path(template, f.number),
                            task.width,
                            task.height,
                        )),
                })
                .collect(),
            Output::Video { path, .. } | Output::Gif { path } | Output::Wav { path } => {
                let done = resume && path.is_file();
                task.frames
                    .iter()
                    .map(|f| Planned {
                        number: f.number,
                        time: f.time,
                        write: !done,
                    })
                    .collect()
            }
        }
    }

    fn render(&mut self, on_frame: &mut dyn FnMut()) -> Result<(u64, u64), TaskError> {
        let task = self.task;
        if let Some(why) = &task.broken {
            return Err(TaskError {
                kind: ErrorKind::InvalidShader,
                message: why.clone(),
            });
        }
        let (scene, moving, sound) = self.scene()?;
        let sound = match (&task.output, sound, &task.sound) {
            _ if task.mute => None,
            (Output::Video { .. }, None, Some(path)) => Some(Arc::new(
                crate::media::load_sound(path).map_err(|e| self.engine_error(&e))?,
            )),
            (_, sound, _) => sound,
        };
        let wanted = self.wanted();
        if self.options.resume {
            // A killed run may have left temporary files; they are never complete frames.
            task.remove_temporaries();
        }
        let skipped = wanted.iter().filter(|w| !w.write).count() as u64;
        if skipped as usize == wanted.len() {
            return Ok((0, skipped));
        }
        // No other sound: a Shadertoy Sound pass is the video's, rendered for the frames
        // written (its time 0 is the first one's; a sound file's is the file's start).
        let written: Vec<f64> = wanted.iter().filter(|w| w.write).map(|w| w.time).collect();
        let first_written = written.first().copied().unwrap_or(task.start);
        let written_seconds = written.len() as f64 / task.fps;
        let (sound, sound_start) = match (&task.output, sound) {
            (Output::Video { codec, .. }, None)
                if !task.mute && *codec != crate::VideoCodec::Y4m =>
            {
                let sound = scene
                    .render_sound(first_written, written_seconds)
                    .map_err(|e| self.engine_error(&e))?;
                (sound.map(Arc::new), first_written)
            }
            (_, sound) => (sound, 0.0),
        };
        // The plan may have been made on another machine: the folder may not exist here.
        if let Some(dir) = output_folder(&task.output) {
            std::fs::create_dir_all(&dir).map_err(|e| TaskError {
                kind: ErrorKind::File,
                message: format!("error: cannot create output folder {}: {e}", dir.display()),
            })?;
        }
        if let Output::Wav { path } = &task.output {
            self.write_sound(&scene, path, first_written, written_seconds)?;
            return Ok((written.len() as u64, skipped));
        }
        // A stateful shader also renders (without writing) every frame before the first
        // requested one, so a range or a resumed run gives the pixels of a full run.
        let plan: Vec<Planned> = if task.stateful {
            let times: Vec<f64> = wanted.iter().map(|w| w.time - task.start).collect();
            plan_frames(&times, true, task.fps)
                .into_iter()
                .map(|f| match f.index {
                    Some(i) => wanted[i],
                    None => Planned {
                        number: 0,
                        time: task.start + f.time,
                        write: false,
                    },
                })
                .collect()
        } else {
            wanted.iter().copied().filter(|w| w.write).collect()
        };
        let output_error = |e: OutputError| TaskError::output(&e);
        let mut video = match &task.output {
            Output::Video { path, codec } => {
                // The sound from the first written frame's time, as long as the video.
                let track = sound.map(|sound| isfkit_output::AudioTrack {
                    sound,
                    start: first_written - sound_start,
                    duration: written.len() as f64 / task.fps,
                });
                Some(
                    VideoWriter::with_audio(
                        path,
                        codec.video_format(),
                        task.width,
                        task.height,
                        task.fps,
                        track.as_ref(),
                    )
                    .map_err(output_error)?,
                )
            }
            _ => None,
        };
        let mut gif = match &task.output {
            Output::Gif { path } => Some(GifWriter::new(path, task.fps).map_err(output_error)?),
            _ => None,
        };
        let date = task
            .date
            .as_deref()
            .map(isfkit_render::parse_date)
            .transpose()
            .map_err(|message| TaskError {
                kind: ErrorKind::Input,
                message: format!("error: date: {message}"),
            })?;
        let options = |p: &Planned| {
            let mut o = RenderOptions::new(task.width, task.height, p.time);
            o.float_output = task.float;
            o.date = date.map(|d| isfkit_render::date_uniform(d, p.time - task.start));
            o
        };
        let moving = std::cell::RefCell::new(moving);
        let moving_error = std::cell::RefCell::new(None);
        // A re-initialisation (soak testing) splits the run into segments.
        let segment = self
            .options
            .reinit_every
            .filter(|&n| n > 0)
            .map_or(plan.len(), |n| usize::try_from(n).unwrap_or(usize::MAX));
        let mut written = 0u64;
        for (k, part) in plan.chunks(segment.max(1)).enumerate() {
            if k > 0 {
                self.engine.reinitialize().map_err(|e| TaskError {
                    kind: e.kind(),
                    message: format!("error: re-initialisation failed: {e}"),
                })?;
            }
            let stills = &mut self.stills;
            let interrupted = self.interrupted;
            // Each frame's videos and keyframed values are set as it is submitted (frames in
            // flight keep what they were submitted with).
            let frames = part.iter().map_while(|p| {
                if interrupted.load(Ordering::Relaxed) {
                    return None;
                }
                match moving.borrow_mut().apply(&scene, p.time) {
                    Ok(true) => Some(options(p)),
                    // A stream on standard input ended: so does the render.
                    Ok(false) => None,
                    Err(e) => {
                        *moving_error.borrow_mut() = Some(e);
                        None
                    }
                }
            });
            self.engine
                .render_pipelined(&scene, frames, self.options.in_flight, |i, frame| {
                    let p = part[i as usize];
                    if p.write {
                        match &task.output {
                            Output::Stills { template, format } => {
                                let path = Task::frame_path(template, p.number);
                                stills.push(path.clone());
                                self.encoders.submit(frame, path, format.image_format())?
                            }
                            Output::Video { .. } => {
                                video.as_mut().expect("video writer").write(&frame)?
                            }
                            Output::Gif { .. } => {
                                gif.as_mut().expect("gif writer").write(&frame)?
                            }
                            Output::Wav { .. } => unreachable!("a WAV output renders no frame"),
                        }
                        written += 1;
                        on_frame();
                    }
                    Ok(())
                })
                .map_err(|e: PipelineError| TaskError::pipeline(&e, &task.shader))?;
            if let Some(e) = moving_error.borrow_mut().take() {
                return Err(self.engine_error(&e));
            }
        }
        // This task's frames are all written (or failed) before its result is reported, so
        // a write error is blamed on the task it belongs to.
        self.encoders.flush();
        if self.interrupted.load(Ordering::Relaxed) {
            if video.is_some() || gif.is_some() {
                // Dropping the writer removes the partial file.
                // Not a failure of the task's own: the runner says it was interrupted.
                return Err(TaskError {
                    kind: ErrorKind::Internal,
                    message: "interrupted; the partial video was removed".into(),
                });
            }
            return Ok((written, skipped));
        }
        if let Some(v) = video {
            v.finish().map_err(output_error)?;
        }
        if let Some(g) = gif {
            g.finish().map_err(output_error)?;
        }
        let errors = self.encoders.take_errors();
        if !errors.is_empty() {
            return Err(TaskError {
                kind: ErrorKind::File,
                message: errors.join("; "),
            });
        }
        Ok((written, skipped))
    }
}

impl TaskRun<'_> {
    /// A WAV output: `duration` seconds of the Sound pass's samples from `start` (the frames
    /// to be written), written whole or not at all.
    fn write_sound(
        &self,
        scene: &Scene,
        path: &Path,
        start: f64,
        duration: f64,
    ) -> Result<(), TaskError> {
        let sound = scene
            .render_sound(start, duration)
            .map_err(|e| self.engine_error(&e))?
            .ok_or_else(|| TaskError {
                kind: ErrorKind::Input,
                message: format!(
                    "error: {}",
                    crate::plan::no_sound_pass(&self.task.shader.display().to_string())
                ),
            })?;
        isfkit_output::write_wav(&sound, path, 0.0, duration).map_err(|e| TaskError::output(&e))
    }
}

/// The engine settings a batch run uses: `deadline` is how long one frame may take on the
/// GPU before the device is declared hung.
/// IMPORTED images are read with isfkit-media.
pub fn engine_config(deadline: Duration) -> isfkit_render::EngineConfig {
    crate::media::with_media_files(isfkit_render::EngineConfig {
        deadline: deadline.max(Duration::from_millis(1)),
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(shader: &str, written: u64, skipped: u64, error: Option<&str>) -> TaskResult {
        TaskResult {
            shader: shader.into(),
            frames_written: written,
            frames_skipped: skipped,
            error: error.map(Into::into),
            kind: error.map(|_| ErrorKind::Input),
            warnings: Vec::new(),
            seconds: 0.5,
        }
    }

    /// A task run in chunks gives one result.
    #[test]
    fn chunk_results_combine_into_one() {
        let c = TaskResult::combine(
            "a.fs",
            &[
                result("a.fs", 2, 1, None),
                result("a.fs", 1, 0, Some("x")),
                result("a.fs", 0, 0, Some("x")),
            ],
        );
        assert_eq!((c.frames_written, c.frames_skipped), (3, 1));
        assert_eq!(c.error.as_deref(), Some("x"));
        assert_eq!(c.seconds, 1.5);
        assert_eq!(TaskResult::combine("b.fs", &[]).shader, "b.fs");
    }

    #[test]
    fn summary_totals_and_json_keys() {
        let s = Summary::new(
            3,
            vec![
                result("a.fs", 4, 1, None),
                result("b.fs", 0, 0, Some("b.fs:1:1: error: x")),
            ],
            2.0,
            true,
            true,
        );
        assert_eq!((s.tasks, s.tasks_run), (3, 2));
        assert_eq!((s.frames_written, s.frames_skipped), (4, 1));
        assert_eq!(s.fps, 2.0);
        let v = serde_json::to_value(&s).unwrap();
        assert_eq!(
            v["failures"],
            serde_json::json!([{"shader": "b.fs", "error": "b.fs:1:1: error: x"}])
        );
        assert_eq!(v["results"][0]["error"], serde_json::Value::Null);
        let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "cleanup_ok",
                "failures",
                "fps",
                "frames_skipped",
                "frames_written",
                "interrupted",
                "results",
                "seconds",
                "tasks",
                "tasks_run"
            ]
        );
    }

    #[test]
    fn removing_temporaries_of_a_killed_worker() {
        let tmp_dir = tempfile::Builder::new()
            .prefix("isfkit-batch-tmp-")
            .tempdir()
            .unwrap();
        let dir = tmp_dir.path();
        let frame = dir.join("f_0001.png");
        // What a killed process (another id than ours) left, in the names of the releases
        // before and of today.
        let tmp = dir.join(".f_0001.png.4000000000.tmp");
        std::fs::write(&tmp, b"half").unwrap();
        let tmp_new = dir.join(".f_0001.png.4000000000.a1B2c3.tmp");
        std::fs::write(&tmp_new, b"half").unwrap();
        std::fs::write(&frame, b"not a png").unwrap();
        let output = Output::Stills {
            template: dir.join("f_%04d.png").to_string_lossy().into_owned(),
            format: crate::StillFormat::Png { bits: 8 },
        };
        let task = Task::new("x.fs".into(), (4, 4), 30.0, 2, output);
        assert!(
            !complete(&frame, 4, 4),
            "an unreadable file is not complete"
        );
        task.remove_temporaries();
        assert!(!tmp.exists(), "{}", tmp.display());
        assert!(!tmp_new.exists(), "{}", tmp_new.display());
        assert!(frame.exists(), "only temporaries are removed");
        tmp_dir.close().unwrap();
    }
}
