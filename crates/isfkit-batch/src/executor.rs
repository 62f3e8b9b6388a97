//! Running one [`Task`] in this process on a given engine, resuming what an earlier run
//! left, and the summary of a whole run.
//!
//! Frames stay in flight on the GPU while earlier ones are read back and encoded on an
//! [`EncoderPool`] (`Engine::render_pipelined`). Files are written under a temporary name
//! and renamed, so a killed run leaves no half frame; `resume` skips complete files and
//! removes stale temporaries.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use isfkit_output::{remove_stale_temporaries, EncoderPool, GifWriter, PipelineError, VideoWriter};
use isfkit_render::format::FormatErrorKind;
use isfkit_render::{Engine, Error, RenderOptions};
use serde::{Deserialize, Serialize};

use crate::plan::{output_folder, Output, Task};

/// How to run a task (the same for every task of a run).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunOptions {
    /// Skip frames whose files exist and are complete (a video or GIF that exists counts as
    /// complete), and remove temporaries a killed run left.
    pub resume: bool,
    /// Frames kept in flight on the GPU (at least 1 is used).
    pub in_flight: usize,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            resume: false,
            in_flight: 3,
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
    /// Wall-clock seconds the task took.
    pub seconds: f64,
}

impl TaskResult {
    /// A result for `task` that failed with `error` before or without rendering (a broken
    /// shader, a worker that could not start or was killed).
    pub fn failed(task: &Task, error: impl Into<String>, seconds: f64) -> TaskResult {
        TaskResult {
            shader: task.shader.display().to_string(),
            error: Some(error.into()),
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

/// The message for an engine error: compiler-style (`file:line:col: error: ...`) for a
/// shader's own errors, `error: ...` otherwise. The CLI's `render` prints the same texts.
pub fn engine_error_message(e: &Error, shader: &Path) -> String {
    let fs = shader.display().to_string();
    match e {
        // An unreadable file's message already names the path.
        Error::Format(f) if f.kind == FormatErrorKind::Unreadable => {
            format!("error: {}", f.diagnostic.message)
        }
        Error::Format(f) => f.diagnostic.render(&fs),
        Error::Compile(c) => {
            let vs = isfkit_render::vertex_shader_path(shader)
                .unwrap_or_else(|| shader.with_extension("vs"));
            c.render(&fs, &vs.display().to_string())
        }
        e => format!("error: {e}"),
    }
}

/// Runs `task` on `engine`, encoding stills on `encoders`, and says what became of it.
///
/// `on_frame` is called once per frame handed over for writing (for progress). Setting
/// `interrupted` finishes the frames in flight and stops: the stills written so far stay
/// (not a failure), a partial video or GIF is removed (a failure). Every still of this task
/// is written (or failed) before it returns, so a write error is blamed on this task; the
/// pool itself stays open for the next task. A [`Task::broken`] task fails at once.
pub fn run_task(
    engine: &Engine,
    task: &Task,
    options: &RunOptions,
    encoders: &EncoderPool,
    interrupted: &AtomicBool,
    on_frame: &mut dyn FnMut(),
) -> TaskResult {
    let started = std::time::Instant::now();
    let mut stills = Vec::new();
    let outcome = render_task(
        engine,
        task,
        options,
        encoders,
        interrupted,
        on_frame,
        &mut stills,
    );
    if outcome.is_err() && !stills.is_empty() {
        // A failed task writes no frames: wait for the stills it queued, then remove them
        // (their write errors, if any, belong to this failure).
        encoders.flush();
        let _ = encoders.take_errors();
        for path in &stills {
            if let Err(e) = std::fs::remove_file(path) {
                if e.kind() != std::io::ErrorKind::NotFound {
                    tracing::warn!("cannot remove {} of a failed task: {e}", path.display());
                }
            }
        }
    }
    let mut r = TaskResult {
        shader: task.shader.display().to_string(),
        seconds: started.elapsed().as_secs_f64(),
        ..Default::default()
    };
    match outcome {
        Ok((written, skipped)) => {
            r.frames_written = written;
            r.frames_skipped = skipped;
        }
        Err(e) => r.error = Some(e),
    }
    r
}

fn render_task(
    engine: &Engine,
    task: &Task,
    options: &RunOptions,
    encoders: &EncoderPool,
    interrupted: &AtomicBool,
    on_frame: &mut dyn FnMut(),
    stills: &mut Vec<std::path::PathBuf>,
) -> Result<(u64, u64), String> {
    if let Some(why) = &task.broken {
        return Err(why.clone());
    }
    let resume = options.resume;
    let scene = engine
        .load(&task.shader)
        .map_err(|e| engine_error_message(&e, &task.shader))?;
    for (k, v) in &task.inputs {
        scene.set_text(k, v).map_err(|e| e.to_string())?;
    }
    for (k, p) in &task.images {
        crate::media::set_image_file(&scene, k, p).map_err(|e| e.to_string())?;
    }
    // The first sound (by input name) is a video's sound track.
    let mut sound = None;
    for (k, p) in &task.audio {
        let loaded = crate::media::set_sound_file(&scene, k, p).map_err(|e| e.to_string())?;
        sound.get_or_insert(loaded);
    }
    // Which frames must be written: (number, time, write).
    let wanted: Vec<(u64, f64, bool)> = match &task.output {
        Output::Stills { template, .. } => task
            .frames
            .iter()
            .map(|f| {
                let skip = resume
                    && complete(
                        &Task::frame_path(template, f.number),
                        task.width,
                        task.height,
                    );
                (f.number, f.time, !skip)
            })
            .collect(),
        Output::Video { path, .. } | Output::Gif { path } => {
            let done = resume && path.is_file();
            task.frames
                .iter()
                .map(|f| (f.number, f.time, !done))
                .collect()
        }
    };
    if resume {
        // A killed run may have left temporary files; they are never complete frames.
        task.remove_temporaries();
    }
    let skipped = wanted.iter().filter(|w| !w.2).count() as u64;
    if skipped as usize == wanted.len() {
        return Ok((0, skipped));
    }
    // The plan may have been made on another machine: the folder may not exist here.
    if let Some(dir) = output_folder(&task.output) {
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("error: cannot create output folder {}: {e}", dir.display()))?;
    }
    // Persistent buffers, FRAMEINDEX and TIMEDELTA depend on the frames before: a stateful
    // shader also renders (without writing) every frame before the first requested one, so
    // a range or a resumed run gives the pixels of a full run.
    let mut plan: Vec<(u64, f64, bool)> = Vec::new();
    if task.stateful {
        let lead_in = wanted.first().map_or(0, |w| w.0);
        plan.extend((0..lead_in).map(|n| (n, task.start + n as f64 / task.fps, false)));
        plan.extend(wanted.iter().copied());
    } else {
        plan.extend(wanted.iter().copied().filter(|w| w.2));
    }
    let mut video = match &task.output {
        Output::Video { path, codec } => {
            // The sound from the first written frame's time, as long as the video.
            let written: Vec<f64> = wanted.iter().filter(|w| w.2).map(|w| w.1).collect();
            let track = sound.map(|sound| isfkit_output::AudioTrack {
                sound,
                start: written.first().copied().unwrap_or(task.start),
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
                .map_err(|e| e.to_string())?,
            )
        }
        _ => None,
    };
    let mut gif = match &task.output {
        Output::Gif { path } => Some(GifWriter::new(path, task.fps).map_err(|e| e.to_string())?),
        _ => None,
    };
    let date = task
        .date
        .as_deref()
        .map(isfkit_render::parse_date)
        .transpose()?;
    let opts: Vec<RenderOptions> = plan
        .iter()
        .map(|&(_, t, _)| {
            let mut o = RenderOptions::new(task.width, task.height, t);
            o.float_output = task.float;
            o.date = date.map(|d| isfkit_render::date_uniform(d, t - task.start));
            o
        })
        .collect();
    let mut written = 0u64;
    let result = engine.render_pipelined(
        &scene,
        opts.into_iter()
            .take_while(|_| !interrupted.load(Ordering::Relaxed)),
        options.in_flight,
        |i, frame| {
            let (n, _, write) = plan[i as usize];
            if write {
                match &task.output {
                    Output::Stills { template, format } => {
                        let path = Task::frame_path(template, n);
                        stills.push(path.clone());
                        encoders.submit(frame, path, format.image_format())?
                    }
                    Output::Video { .. } => video.as_mut().expect("video writer").write(&frame)?,
                    Output::Gif { .. } => gif.as_mut().expect("gif writer").write(&frame)?,
                }
                written += 1;
                on_frame();
            }
            Ok(())
        },
    );
    result.map_err(|e: PipelineError| match e {
        PipelineError::Engine(e) => engine_error_message(&e, &task.shader),
        PipelineError::Output(e) => format!("error: {e}"),
    })?;
    // This task's frames are all written (or failed) before its result is reported, so a
    // write error is blamed on the task it belongs to.
    encoders.flush();
    if interrupted.load(Ordering::Relaxed) {
        if video.is_some() || gif.is_some() {
            // Dropping the writer removes the partial file.
            return Err("interrupted; the partial video was removed".into());
        }
        return Ok((written, skipped));
    }
    if let Some(v) = video {
        v.finish().map_err(|e| e.to_string())?;
    }
    if let Some(g) = gif {
        g.finish().map_err(|e| e.to_string())?;
    }
    let errors = encoders.take_errors();
    if !errors.is_empty() {
        return Err(errors.join("; "));
    }
    Ok((written, skipped))
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
            seconds: 0.5,
        }
    }

    /// Issue 12: a task run in chunks gives one result.
    #[test]
    fn issue12_chunk_results_combine() {
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
        let task = Task {
            origin: "jobs[0] (x.fs)".into(),
            shader: "x.fs".into(),
            width: 4,
            height: 4,
            fps: 30.0,
            start: 0.0,
            date: None,
            frames: vec![
                crate::FrameAt {
                    number: 0,
                    time: 0.0,
                },
                crate::FrameAt {
                    number: 1,
                    time: 1.0 / 30.0,
                },
            ],
            inputs: Default::default(),
            images: Default::default(),
            audio: Default::default(),
            float: false,
            output: Output::Stills {
                template: dir.join("f_%04d.png").to_string_lossy().into_owned(),
                format: crate::StillFormat::Png { bits: 8 },
            },
            stateful: false,
            broken: None,
        };
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
