//! `isf batch JOB.yaml`: many shaders, many frames, one run that survives bad shaders.
//!
//! A job file (YAML or JSON) lists shaders (paths or globs) with outputs, frames or times,
//! sizes and inputs, with job-level defaults. Two layouts are read: isfkit's own
//! (`defaults` + `jobs`) and the one existing ISF batch tools use (`defaults: {width, height,
//! quality, output_format}` + `shaders: [{input, output, times, ...}]`). Relative paths are
//! relative to the job file's folder. The whole job is validated (parsed, translated and
//! compiled without a GPU, inputs type-checked, images found) before anything renders, and
//! every problem is reported at once.
//!
//! Rendering keeps frames in flight on the GPU while earlier ones are read back and encoded
//! on a worker pool (`Engine::render_pipelined` + `EncoderPool`). A shader that fails is
//! reported and the batch goes on; `--isolate` runs each task in a child process killed at a
//! wall-clock deadline; `--resume` skips outputs that already exist; Ctrl-C finishes the frames
//! in flight, writes the summary and exits 130.

use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Args;
use isfkit_output::{
    remove_stale_temporaries, EncoderPool, GifWriter, ImageFormat, PngCompression, VideoFormat,
    VideoWriter,
};
use isfkit_render::{Engine, EngineConfig, LoadError, Program, RenderOptions, Value};
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Args)]
pub struct BatchArgs {
    /// The job file (YAML or JSON).
    job: PathBuf,
    /// Skip outputs that already exist and are complete.
    #[arg(long)]
    resume: bool,
    /// Render each shader in a child process, killed after --task-timeout.
    #[arg(long)]
    isolate: bool,
    /// Wall-clock limit per shader under --isolate, in seconds.
    #[arg(long, default_value_t = 600.0, value_parser = crate::parse_seconds)]
    task_timeout: f64,
    /// Seconds one frame may take on the GPU.
    #[arg(long, default_value_t = 10.0, value_parser = crate::parse_seconds)]
    deadline: f64,
    /// Frames kept in flight on the GPU.
    #[arg(long, default_value_t = 3)]
    in_flight: usize,
    /// Encoder threads (0 = one per core).
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Validate the job file and exit.
    #[arg(long)]
    check: bool,
    /// Print the summary as JSON on stdout.
    #[arg(long)]
    json: bool,
    /// No progress bars.
    #[arg(short, long)]
    quiet: bool,
    /// Internal: run only task N and report progress on stdout (used by --isolate).
    #[arg(long, hide = true)]
    worker: Option<usize>,
}

/// Frames to render: a count (`30`) or a half-open range of frame numbers (`"10..40"`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum FramesSpec {
    Count(u64),
    Range(String),
}

/// One entry of `jobs`/`shaders`, or the `defaults`. Every field is optional so defaults
/// and entries merge; unknown keys are errors (a typo should not be silently ignored).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    shader: Option<String>,
    /// The other batch tools' name for `shader`.
    input: Option<String>,
    output: Option<String>,
    frames: Option<FramesSpec>,
    fps: Option<f64>,
    times: Option<Vec<f64>>,
    time: Option<f64>,
    size: Option<String>,
    width: Option<u32>,
    height: Option<u32>,
    quality: Option<u8>,
    #[serde(alias = "output_format")]
    format: Option<String>,
    inputs: Option<BTreeMap<String, serde_json::Value>>,
    images: Option<BTreeMap<String, String>>,
    float: Option<bool>,
    bits: Option<u8>,
}

impl RawEntry {
    /// `self` over `defaults`.
    fn over(&self, d: &RawEntry) -> RawEntry {
        let mut inputs = d.inputs.clone().unwrap_or_default();
        inputs.extend(self.inputs.clone().unwrap_or_default());
        let mut images = d.images.clone().unwrap_or_default();
        images.extend(self.images.clone().unwrap_or_default());
        RawEntry {
            shader: self.shader.clone().or_else(|| self.input.clone()),
            input: None,
            output: self.output.clone().or_else(|| d.output.clone()),
            frames: self.frames.clone().or_else(|| {
                if self.times.is_some() {
                    None
                } else {
                    d.frames.clone()
                }
            }),
            fps: self.fps.or(d.fps),
            times: self.times.clone().or_else(|| {
                if self.frames.is_some() {
                    None
                } else {
                    d.times.clone()
                }
            }),
            time: self.time.or(d.time),
            size: self.size.clone().or_else(|| d.size.clone()),
            width: self.width.or(d.width),
            height: self.height.or(d.height),
            quality: self.quality.or(d.quality),
            format: self.format.clone().or_else(|| d.format.clone()),
            inputs: Some(inputs),
            images: Some(images),
            float: self.float.or(d.float),
            bits: self.bits.or(d.bits),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJob {
    #[serde(default)]
    defaults: RawEntry,
    #[serde(default)]
    jobs: Vec<RawEntry>,
    /// The layout of other ISF batch tools.
    #[serde(default)]
    shaders: Vec<RawEntry>,
}

/// Where a task's frames go.
#[derive(Debug, Clone, Serialize)]
enum Output {
    /// One file per frame; the template holds `%04d`-style or `{frame}` numbering.
    Stills {
        template: String,
        #[serde(skip)]
        format: ImageFormat,
    },
    Video {
        path: PathBuf,
        #[serde(skip)]
        format: VideoFormat,
    },
    Gif {
        path: PathBuf,
    },
}

/// A validated unit of work: one shader, its frames and where they go.
#[derive(Debug, Clone, Serialize)]
struct Task {
    /// `jobs[2] (plasma.fs)` — names the entry in messages.
    origin: String,
    shader: PathBuf,
    width: u32,
    height: u32,
    fps: f64,
    /// Time of frame 0 (`time:`); frame n is at `start + n / fps`.
    start: f64,
    /// Frames to write: (frame number, time).
    frames: Vec<(u64, f64)>,
    inputs: Vec<(String, String)>,
    images: Vec<(String, PathBuf)>,
    float: bool,
    output: Output,
    /// Why the shader cannot render (parse or compile error), found while validating.
    broken: Option<String>,
}

impl Task {
    fn stills_path(template: &str, frame: u64) -> PathBuf {
        PathBuf::from(number_frame(template, frame))
    }
}

/// Replaces `{frame}`, `{frame:04}` or a printf-style `%04d` with `frame`.
fn number_frame(template: &str, frame: u64) -> String {
    if let Some(start) = template.find("{frame") {
        if let Some(len) = template[start..].find('}') {
            let spec = &template[start + 6..start + len];
            let width: usize = spec
                .trim_start_matches(':')
                .trim_start_matches('0')
                .parse()
                .unwrap_or(0);
            return format!(
                "{}{frame:0width$}{}",
                &template[..start],
                &template[start + len + 1..]
            );
        }
    }
    if let Some(start) = template.find('%') {
        let rest = &template[start + 1..];
        if let Some(end) = rest.find('d') {
            let spec = &rest[..end];
            if spec.chars().all(|c| c.is_ascii_digit()) {
                let width: usize = spec.trim_start_matches('0').parse().unwrap_or(0);
                return format!("{}{frame:0width$}{}", &template[..start], &rest[end + 1..]);
            }
        }
    }
    template.to_owned()
}

fn has_frame_pattern(template: &str) -> bool {
    number_frame(template, 1) != number_frame(template, 2)
}

/// The command-line text form of a job-file input value (`0.5`, `true`, `1,0,0,1`, a label).
fn value_text(v: &serde_json::Value) -> Option<String> {
    Some(match v {
        serde_json::Value::Bool(b) => b.to_string(),
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(a) => a
            .iter()
            .map(|x| x.as_f64().map(|f| f.to_string()))
            .collect::<Option<Vec<_>>>()?
            .join(","),
        _ => return None,
    })
}

/// Reads, expands and validates the job file. Returns every problem found.
fn load_job(path: &Path) -> Result<Vec<Task>, Vec<String>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| vec![format!("cannot read {}: {e}", path.display())])?;
    let raw: RawJob =
        serde_yaml_ng::from_str(&text).map_err(|e| vec![format!("{}: {e}", path.display())])?;
    let base = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_owned();
    let entries: Vec<(String, RawEntry)> = raw
        .jobs
        .iter()
        .enumerate()
        .map(|(i, e)| (format!("jobs[{i}]"), e.over(&raw.defaults)))
        .chain(
            raw.shaders
                .iter()
                .enumerate()
                .map(|(i, e)| (format!("shaders[{i}]"), e.over(&raw.defaults))),
        )
        .collect();
    let mut problems = Vec::new();
    if entries.is_empty() {
        problems.push(format!(
            "{}: the job lists no shaders (add a `jobs:` or `shaders:` list)",
            path.display()
        ));
    }
    let mut tasks = Vec::new();
    for (origin, e) in entries {
        let Some(pattern) = e.shader.clone() else {
            problems.push(format!("{origin}: no `shader` (or `input`) given"));
            continue;
        };
        let full = base.join(&pattern);
        let shaders: Vec<PathBuf> = if pattern.contains(['*', '?', '[']) {
            match glob::glob(&full.to_string_lossy()) {
                Ok(paths) => paths.filter_map(Result::ok).collect(),
                Err(err) => {
                    problems.push(format!("{origin}: bad glob \"{pattern}\": {err}"));
                    continue;
                }
            }
        } else {
            vec![full]
        };
        if shaders.is_empty() {
            problems.push(format!("{origin}: \"{pattern}\" matches no file"));
        }
        for shader in shaders {
            match expand_task(&origin, &shader, &e, &base) {
                Ok(t) => tasks.push(t),
                Err(mut p) => problems.append(&mut p),
            }
        }
    }
    if problems.is_empty() {
        Ok(tasks)
    } else {
        Err(problems)
    }
}

fn expand_task(
    origin: &str,
    shader: &Path,
    e: &RawEntry,
    base: &Path,
) -> Result<Task, Vec<String>> {
    let name = shader
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let origin = format!("{origin} ({})", shader.display());
    let mut problems = Vec::new();
    if !shader.is_file() {
        problems.push(format!("{origin}: shader file not found"));
        return Err(problems);
    }
    // A shader that does not parse or compile is a bad shader, not a bad job: the batch
    // reports it as that task's failure and goes on with the others.
    let mut broken = None;
    let doc = match Program::load(shader) {
        Ok(program) => Some(program.doc),
        Err(err @ LoadError::ReadVertex { .. }) => {
            problems.push(format!("{origin}: {err}"));
            None
        }
        Err(err) => {
            broken = Some(err.render_at(shader));
            None
        }
    };
    let (width, height) = match (&e.size, e.width, e.height) {
        (Some(s), _, _) => crate::parse_size(s).unwrap_or_else(|m| {
            problems.push(format!("{origin}: {m}"));
            (0, 0)
        }),
        (None, Some(w), Some(h)) => (w, h),
        (None, None, None) => (640, 360),
        _ => {
            problems.push(format!(
                "{origin}: give both width and height (or size: WxH)"
            ));
            (0, 0)
        }
    };
    if (width == 0 || height == 0) && problems.is_empty() {
        problems.push(format!(
            "{origin}: size {width}x{height} must be at least 1x1"
        ));
    }
    let fps = e.fps.unwrap_or(30.0);
    if !(fps > 0.0 && fps.is_finite()) {
        problems.push(format!(
            "{origin}: fps must be a positive number, not {fps}"
        ));
    }
    let start = e.time.unwrap_or(0.0);
    let frames: Vec<(u64, f64)> = match (&e.times, &e.frames) {
        (Some(times), _) => times
            .iter()
            .enumerate()
            .map(|(i, t)| (i as u64, *t))
            .collect(),
        (None, Some(FramesSpec::Count(n))) => {
            (0..*n).map(|i| (i, start + i as f64 / fps)).collect()
        }
        (None, Some(FramesSpec::Range(r))) => match r
            .split_once("..")
            .map(|(a, b)| (a.trim().parse::<u64>(), b.trim().parse::<u64>()))
        {
            Some((Ok(a), Ok(b))) if a < b => (a..b).map(|i| (i, start + i as f64 / fps)).collect(),
            _ => {
                problems.push(format!(
                    "{origin}: frames \"{r}\" is not a count or a range like \"0..30\""
                ));
                Vec::new()
            }
        },
        (None, None) => vec![(0, start)],
    };
    if frames.is_empty() && problems.is_empty() {
        problems.push(format!("{origin}: no frames to render"));
    }
    let many = frames.len() > 1;
    let mut template = e.output.clone().unwrap_or_else(|| {
        if many {
            "{name}_%04d.png".into()
        } else {
            "{name}.png".into()
        }
    });
    template = template.replace("{name}", &name);
    if let Some(fmt) = &e.format {
        if Path::new(&template).extension().is_none() {
            template = format!("{template}.{}", fmt.trim_start_matches('.'));
        }
    }
    let out_path = base.join(&template);
    let float = e.float.unwrap_or(false);
    let output = if let Some(v) = VideoFormat::from_path(&out_path) {
        Output::Video {
            path: out_path,
            format: v,
        }
    } else if out_path
        .extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("gif"))
    {
        Output::Gif { path: out_path }
    } else {
        match ImageFormat::from_path(&out_path) {
            Some(mut format) => {
                match &mut format {
                    ImageFormat::Jpeg { quality } => *quality = e.quality.unwrap_or(90),
                    ImageFormat::Png { bits, compression } => {
                        *bits = e.bits.unwrap_or(if float { 16 } else { 8 });
                        if *bits != 8 && *bits != 16 {
                            problems.push(format!("{origin}: bits must be 8 or 16, not {bits}"));
                        }
                        *compression = PngCompression::Fast;
                    }
                    _ => {}
                }
                let mut template = out_path.to_string_lossy().into_owned();
                if many && !has_frame_pattern(&template) {
                    // One file per frame needs a number: the other tools' layout writes
                    // `times` lists to one output name, so number them before the extension.
                    let ext = out_path
                        .extension()
                        .map(|x| x.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    template = format!(
                        "{}_%04d.{ext}",
                        template.trim_end_matches(&format!(".{ext}"))
                    );
                }
                Output::Stills { template, format }
            }
            None => {
                problems.push(format!(
                    "{origin}: output \"{}\" has an unknown extension (png, jpg, webp, exr, gif, mp4, webm)",
                    out_path.display()
                ));
                Output::Gif { path: out_path }
            }
        }
    };
    let out_dir = match &output {
        Output::Stills { template, .. } => Path::new(template).parent().map(Path::to_owned),
        Output::Video { path, .. } | Output::Gif { path } => path.parent().map(Path::to_owned),
    };
    if let Some(dir) = out_dir.filter(|d| !d.as_os_str().is_empty()) {
        if let Err(err) = std::fs::create_dir_all(&dir) {
            problems.push(format!(
                "{origin}: cannot create output folder {}: {err}",
                dir.display()
            ));
        }
    }
    let mut inputs = Vec::new();
    for (k, v) in e.inputs.clone().unwrap_or_default() {
        let Some(text) = value_text(&v) else {
            problems.push(format!("{origin}: input \"{k}\": value {v} is not a number, bool, string or list of numbers"));
            continue;
        };
        if let Some(doc) = &doc {
            match doc.input(&k) {
                None => problems.push(format!(
                    "{origin}: no input named \"{k}\" (inputs: {})",
                    doc.inputs
                        .iter()
                        .map(|i| i.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
                Some(input) => {
                    if let Err(err) = Value::parse_for(&k, &input.ty, &text) {
                        problems.push(format!("{origin}: {err}"));
                    }
                }
            }
        }
        inputs.push((k, text));
    }
    let mut images = Vec::new();
    for (k, p) in e.images.clone().unwrap_or_default() {
        let path = base.join(&p);
        if !path.is_file() {
            problems.push(format!(
                "{origin}: image \"{k}\": file {} not found",
                path.display()
            ));
        }
        if let Some(doc) = &doc {
            if !doc
                .input(&k)
                .is_some_and(|i| matches!(i.ty, isfkit_render::format::InputType::Image))
            {
                problems.push(format!(
                    "{origin}: \"{k}\" is not an image input of this shader"
                ));
            }
        }
        images.push((k, path));
    }
    if problems.is_empty() {
        Ok(Task {
            origin,
            shader: shader.to_owned(),
            width,
            height,
            fps,
            start,
            frames,
            inputs,
            images,
            float,
            output,
            broken,
        })
    } else {
        Err(problems)
    }
}

/// A file written earlier is complete when its image header reads back with the right size
/// (files are written under a temporary name and renamed, so a killed job leaves none).
fn complete(path: &Path, width: u32, height: u32) -> bool {
    image::ImageReader::open(path)
        .and_then(|r| r.with_guessed_format())
        .ok()
        .and_then(|r| r.into_dimensions().ok())
        .is_some_and(|d| d == (width, height))
}

#[derive(Debug, Default, Serialize)]
struct TaskResult {
    shader: String,
    frames_written: u64,
    frames_skipped: u64,
    error: Option<String>,
    seconds: f64,
}

/// Removes temporary files another (killed) process left for this task's outputs.
fn remove_task_temporaries(task: &Task) {
    match &task.output {
        Output::Stills { template, .. } => {
            for &(n, _) in &task.frames {
                remove_stale_temporaries(&Task::stills_path(template, n));
            }
        }
        Output::Video { path, .. } | Output::Gif { path } => {
            remove_stale_temporaries(path);
        }
    }
}

/// Runs one task on `engine`. `on_frame` is called after each frame is handed over.
fn run_task(
    engine: &Engine,
    task: &Task,
    resume: bool,
    in_flight: usize,
    encoders: &EncoderPool,
    interrupted: &AtomicBool,
    on_frame: &mut dyn FnMut(),
) -> Result<(u64, u64), String> {
    if let Some(why) = &task.broken {
        return Err(why.clone());
    }
    let scene = engine
        .load(&task.shader)
        .map_err(|e| crate::engine_failure(e, &task.shader).message)?;
    for (k, v) in &task.inputs {
        scene.set_text(k, v).map_err(|e| e.to_string())?;
    }
    for (k, p) in &task.images {
        scene.set_image_file(k, p).map_err(|e| e.to_string())?;
    }
    // Persistent buffers, FRAMEINDEX and TIMEDELTA depend on the frames before: such a shader
    // renders every earlier frame too (unwritten), so a range or a resumed run gives the
    // pixels of a full run. Read from the shader's tokens: a mention in a comment does not
    // count.
    let stateful = scene.facts().stateful();
    // Which frames must be written; a stateful shader renders the others too (unwritten) so
    // its persistent buffers hold what they would have.
    let wanted: Vec<(u64, f64, bool)> = match &task.output {
        Output::Stills { template, .. } => task
            .frames
            .iter()
            .map(|&(n, t)| {
                let skip =
                    resume && complete(&Task::stills_path(template, n), task.width, task.height);
                (n, t, !skip)
            })
            .collect(),
        Output::Video { path, .. } | Output::Gif { path } => {
            let done = resume && path.is_file();
            task.frames.iter().map(|&(n, t)| (n, t, !done)).collect()
        }
    };
    if resume {
        // A killed run may have left temporary files; they are never complete frames.
        remove_task_temporaries(task);
    }
    let skipped = wanted.iter().filter(|w| !w.2).count() as u64;
    if skipped as usize == wanted.len() {
        return Ok((0, skipped));
    }
    // A stateful shader also renders (without writing) every frame before the first
    // requested one, so its persistent buffers hold what they would have.
    let mut plan: Vec<(u64, f64, bool)> = Vec::new();
    if stateful {
        let lead_in = wanted.first().map_or(0, |w| w.0);
        plan.extend((0..lead_in).map(|n| (n, task.start + n as f64 / task.fps, false)));
        plan.extend(wanted.iter().copied());
    } else {
        plan.extend(wanted.iter().copied().filter(|w| w.2));
    }
    let mut video = match &task.output {
        Output::Video { path, format } => Some(
            VideoWriter::new(path, *format, task.width, task.height, task.fps)
                .map_err(|e| e.to_string())?,
        ),
        _ => None,
    };
    let mut gif = match &task.output {
        Output::Gif { path } => Some(GifWriter::new(path, task.fps).map_err(|e| e.to_string())?),
        _ => None,
    };
    let opts: Vec<RenderOptions> = plan
        .iter()
        .map(|&(_, t, _)| {
            let mut o = RenderOptions::new(task.width, task.height, t);
            o.float_output = task.float;
            o
        })
        .collect();
    let mut written = 0u64;
    let result = engine.render_pipelined(
        &scene,
        opts.into_iter()
            .take_while(|_| !interrupted.load(Ordering::Relaxed)),
        in_flight,
        |i, frame| {
            let (n, _, write) = plan[i as usize];
            if write {
                match &task.output {
                    Output::Stills { template, format } => {
                        encoders.submit(frame, Task::stills_path(template, n), *format)?
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
    result.map_err(|e: crate::PipelineError| crate::pipeline_failure(e, &task.shader).message)?;
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

/// Runs task `index` in a child `isf` process, killing it past `timeout`.
/// The child gets Ctrl-C too (same process group) and finishes its frames itself.
fn run_isolated(
    args: &BatchArgs,
    index: usize,
    task: &Task,
    timeout: Duration,
    on_frame: &mut dyn FnMut(),
) -> Result<(u64, u64), String> {
    let exe =
        std::env::current_exe().map_err(|e| format!("cannot find the isf executable: {e}"))?;
    let mut cmd = Command::new(exe);
    cmd.arg("batch")
        .arg(&args.job)
        .arg("--worker")
        .arg(index.to_string());
    cmd.args([
        "--deadline",
        &args.deadline.to_string(),
        "--in-flight",
        &args.in_flight.to_string(),
    ]);
    cmd.args(["--threads", &args.threads.to_string()]);
    if args.resume {
        cmd.arg("--resume");
    }
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start a worker process: {e}"))?;
    let stdout = child.stdout.take().expect("piped");
    let stderr = child.stderr.take().expect("piped");
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            if !line.contains("XDG_RUNTIME_DIR") {
                s.push_str(&line);
                s.push('\n');
            }
        }
        s
    });
    let started = Instant::now();
    let mut last: Option<serde_json::Value> = None;
    let mut killed = false;
    loop {
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(line) => {
                if line == "frame" {
                    on_frame();
                } else if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) {
                    last = Some(v);
                }
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
        }
        if started.elapsed() > timeout && !killed {
            // The child may be stuck in a GPU wait that cannot be interrupted: kill it.
            if let Err(e) = child.kill() {
                tracing::debug!("worker already gone: {e}");
            }
            killed = true;
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("waiting for the worker: {e}"))?;
    let _ = reader.join();
    let stderr_text = err_reader.join().unwrap_or_default();
    if killed {
        // The killed worker cannot rename or remove its temporary files: do it for it.
        remove_task_temporaries(task);
        return Err(format!(
            "did not finish within {:.0} s; the worker process was killed",
            timeout.as_secs_f64()
        ));
    }
    match last {
        Some(v) if status.success() => Ok((
            v["written"].as_u64().unwrap_or(0),
            v["skipped"].as_u64().unwrap_or(0),
        )),
        Some(v) if v["error"].is_string() => {
            Err(v["error"].as_str().unwrap_or_default().to_owned())
        }
        _ => Err(format!(
            "the worker process ended with {status}{}",
            if stderr_text.trim().is_empty() {
                String::new()
            } else {
                format!(": {}", stderr_text.trim())
            }
        )),
    }
}

pub fn run(args: BatchArgs) -> ExitCode {
    let tasks = match load_job(&args.job) {
        Ok(t) => t,
        Err(problems) => {
            if args.json {
                println!("{}", json!({ "valid": false, "problems": problems }));
            } else {
                eprintln!(
                    "error: the job file has {} problem(s); nothing was rendered:",
                    problems.len()
                );
                for p in &problems {
                    eprintln!("  - {}", p.replace('\n', "\n    "));
                }
            }
            return ExitCode::from(2);
        }
    };
    if args.check {
        let frames: usize = tasks.iter().map(|t| t.frames.len()).sum();
        if args.json {
            println!(
                "{}",
                json!({ "valid": true, "tasks": tasks.len(), "frames": frames })
            );
        } else {
            println!(
                "{}: valid ({} tasks, {frames} frames)",
                args.job.display(),
                tasks.len()
            );
        }
        return ExitCode::SUCCESS;
    }
    let interrupted = Arc::new(AtomicBool::new(false));
    {
        let flag = interrupted.clone();
        if let Err(e) = ctrlc::set_handler(move || flag.store(true, Ordering::Relaxed)) {
            tracing::warn!("Ctrl-C will stop the batch abruptly: {e}");
        }
    }
    if let Some(index) = args.worker {
        return run_worker(&args, &tasks, index, &interrupted);
    }
    let total_frames: u64 = tasks.iter().map(|t| t.frames.len() as u64).sum();
    let show = !args.quiet && std::io::stderr().is_terminal();
    let bars = indicatif::MultiProgress::new();
    if !show {
        bars.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let overall = bars.add(indicatif::ProgressBar::new(total_frames));
    overall.set_style(
        indicatif::ProgressStyle::with_template(
            "{prefix:>12} {bar:40} {pos}/{len} frames  {per_sec}  eta {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    overall.set_prefix("all");
    let engine = if args.isolate {
        None
    } else {
        match Engine::new(EngineConfig {
            deadline: Duration::from_secs_f64(args.deadline.max(0.001)),
            ..Default::default()
        }) {
            Ok(e) => Some(e),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(1);
            }
        }
    };
    let encoders = EncoderPool::new(args.threads, args.in_flight.max(2) * 2);
    if let Some(engine) = &engine {
        if let Err(e) = engine.register_participant(encoders.participant(Duration::from_secs(30))) {
            tracing::warn!("encoder pool not registered for shutdown: {e}");
        }
    }
    let started = Instant::now();
    let mut results = Vec::new();
    for (i, task) in tasks.iter().enumerate() {
        if interrupted.load(Ordering::Relaxed) {
            break;
        }
        let bar = bars.add(indicatif::ProgressBar::new(task.frames.len() as u64));
        bar.set_style(
            indicatif::ProgressStyle::with_template("{prefix:>12} {bar:40} {pos}/{len}  {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar.set_prefix(
            task.shader
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        );
        let t0 = Instant::now();
        let mut tick = || {
            bar.inc(1);
            overall.inc(1);
        };
        let outcome = match &engine {
            _ if task.broken.is_some() => Err(task.broken.clone().unwrap_or_default()),
            Some(engine) => run_task(
                engine,
                task,
                args.resume,
                args.in_flight,
                &encoders,
                &interrupted,
                &mut tick,
            ),
            None => run_isolated(
                &args,
                i,
                task,
                Duration::from_secs_f64(args.task_timeout),
                &mut tick,
            ),
        };
        let mut r = TaskResult {
            shader: task.shader.display().to_string(),
            seconds: t0.elapsed().as_secs_f64(),
            ..Default::default()
        };
        match outcome {
            Ok((w, s)) => {
                r.frames_written = w;
                r.frames_skipped = s;
                overall.inc(s);
                // Only the overall bar and the running task stay on screen.
                bar.finish_and_clear();
            }
            Err(e) => {
                bar.finish_and_clear();
                if !args.json {
                    bars.suspend(|| eprintln!("error: {}: {}", task.origin, e));
                }
                r.error = Some(e);
            }
        }
        results.push(r);
    }
    // Every queued frame is written before the summary.
    if let Err(e) = encoders.finish() {
        results.push(TaskResult {
            shader: "(encoder pool)".into(),
            error: Some(e.to_string()),
            ..Default::default()
        });
    }
    overall.finish_and_clear();
    let cleanup = engine.as_ref().map(|e| e.shutdown());
    let seconds = started.elapsed().as_secs_f64();
    let written: u64 = results.iter().map(|r| r.frames_written).sum();
    let skipped: u64 = results.iter().map(|r| r.frames_skipped).sum();
    let failures: Vec<&TaskResult> = results.iter().filter(|r| r.error.is_some()).collect();
    let was_interrupted = interrupted.load(Ordering::Relaxed);
    if args.json {
        println!(
            "{}",
            json!({
                "tasks": tasks.len(),
                "tasks_run": results.len(),
                "frames_written": written,
                "frames_skipped": skipped,
                "seconds": seconds,
                "fps": written as f64 / seconds.max(1e-9),
                "failures": failures.iter().map(|f| json!({"shader": f.shader, "error": f.error})).collect::<Vec<_>>(),
                "interrupted": was_interrupted,
                "cleanup_ok": cleanup.as_ref().is_none_or(|c| c.ok()),
                "results": results,
            })
        );
    } else if !args.quiet {
        eprintln!(
            "{} tasks, {written} frames written{} in {seconds:.2} s ({:.1} fps), {} failed{}",
            results.len(),
            if skipped > 0 {
                format!(" ({skipped} skipped)")
            } else {
                String::new()
            },
            written as f64 / seconds.max(1e-9),
            failures.len(),
            if was_interrupted { ", interrupted" } else { "" }
        );
        for f in &failures {
            eprintln!("  failed: {}", f.shader);
        }
    }
    if let Some(c) = cleanup.filter(|c| !c.ok()) {
        eprintln!("{c}");
    }
    if was_interrupted {
        ExitCode::from(130)
    } else if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// The child side of `--isolate`: run one task, print "frame" per frame and a JSON result.
fn run_worker(
    args: &BatchArgs,
    tasks: &[Task],
    index: usize,
    interrupted: &AtomicBool,
) -> ExitCode {
    let Some(task) = tasks.get(index) else {
        println!("{}", json!({ "error": format!("no task {index}") }));
        return ExitCode::from(2);
    };
    let engine = match Engine::new(EngineConfig {
        deadline: Duration::from_secs_f64(args.deadline.max(0.001)),
        ..Default::default()
    }) {
        Ok(e) => e,
        Err(e) => {
            println!("{}", json!({ "error": e.to_string() }));
            return ExitCode::from(1);
        }
    };
    let encoders = EncoderPool::new(args.threads, args.in_flight.max(2) * 2);
    let mut tick = || println!("frame");
    let outcome = run_task(
        &engine,
        task,
        args.resume,
        args.in_flight,
        &encoders,
        interrupted,
        &mut tick,
    );
    let outcome = outcome.and_then(|r| encoders.finish().map(|_| r).map_err(|e| e.to_string()));
    engine.shutdown();
    match outcome {
        Ok((w, s)) => {
            println!("{}", json!({ "written": w, "skipped": s }));
            ExitCode::SUCCESS
        }
        Err(e) => {
            println!("{}", json!({ "error": e }));
            ExitCode::from(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_numbering() {
        assert_eq!(number_frame("a_%04d.png", 7), "a_0007.png");
        assert_eq!(number_frame("a_{frame:03}.png", 7), "a_007.png");
        assert_eq!(number_frame("a_{frame}.png", 12), "a_12.png");
        assert_eq!(number_frame("a.png", 3), "a.png");
        assert!(!has_frame_pattern("x.png"));
        assert!(has_frame_pattern("x_%d.png"));
    }

    #[test]
    fn values_become_text() {
        assert_eq!(value_text(&json!(0.5)).unwrap(), "0.5");
        assert_eq!(value_text(&json!(true)).unwrap(), "true");
        assert_eq!(value_text(&json!([1, 0, 0.5])).unwrap(), "1,0,0.5");
        assert!(value_text(&json!({"a": 1})).is_none());
    }
}
