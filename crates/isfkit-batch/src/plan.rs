//! The checked plan: a job file expanded (globs, defaults, paths) into [`Task`]s, with every
//! problem of the file found before anything renders.
//!
//! A [`Task`] is self-contained (paths joined to the job file's folder, formats chosen,
//! frames listed, whether the shader is stateful) and serializable, so it can be handed to an
//! isolated worker process or another machine as JSON and run there without the job file.
//! Paths are joined, not made absolute (messages show them as the user wrote them): a job
//! loaded by a relative path gives relative task paths, so a runner elsewhere must start in
//! the same folder, or load the job by an absolute path.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use isfkit_output::{ImageFormat, PngCompression, VideoFormat};
use isfkit_render::format::{InputType, IsfDocument};
use isfkit_render::{Error, LoadError, Program, Value};
use serde::{Deserialize, Serialize};

use crate::frame_pattern::{number_frame, FramePattern};
use crate::keys::KeyTrack;
use crate::media::EVERY_IMAGE;
use crate::schema::{Entry, FramesSpec, JobFile};

/// Every problem of a job file, each a full sentence naming its entry
/// (`jobs[1] (shaders/x.fs): no input named "speed" (inputs: ...)`). Nothing may render
/// while there is one.
/// Its `Display` is the text `isf batch` prints after `error: ` (and Python raises): a count,
/// then one problem a line, continuation lines indented.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct PlanError {
    pub problems: Vec<String>,
}

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the job file has {} problem(s); nothing was rendered:",
            self.problems.len()
        )?;
        for p in &self.problems {
            write!(f, "\n  - {}", p.replace('\n', "\n    "))?;
        }
        Ok(())
    }
}

impl From<Vec<String>> for PlanError {
    fn from(problems: Vec<String>) -> PlanError {
        PlanError { problems }
    }
}

/// A checked job: the tasks in job-file order (a glob's matches in path order).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub tasks: Vec<Task>,
}

impl Plan {
    /// Reads, expands and checks the job file at `path`, listing every problem at once.
    ///
    /// Relative paths are relative to the job file's folder. Checking parses and compiles
    /// each shader without a GPU, type-checks inputs, finds images, and checks that each
    /// output folder exists or can be made (an ancestor that is a file is a problem); it
    /// writes nothing: the executor creates output folders when it renders. A shader that
    /// does not parse or compile is not a problem of the job: its task is planned with
    /// [`Task::broken`] set, and running it reports that as the task's failure.
    ///
    /// Inputs: an entry's own `inputs` are strict (every name must be an input of each of
    /// its shaders, of the right type). `defaults: inputs` apply to the shaders that declare
    /// them (type-checked there) and are left out for the others; a default name that no
    /// shader of the job declares is a problem, so a typo does not pass silently.
    pub fn load(path: &Path) -> Result<Plan, PlanError> {
        let bytes = isfkit_render::format::limits::read_file_capped(
            path,
            crate::limits::MAX_JOB_FILE_BYTES,
            "job file",
        )
        .map_err(|e| vec![format!("cannot read {}: {e}", path.display())])?;
        let text = String::from_utf8(bytes).map_err(|_| {
            vec![format!(
                "cannot read {}: the file is not UTF-8 text",
                path.display()
            )]
        })?;
        let job = JobFile::parse(&text).map_err(|e| vec![format!("{}: {e}", path.display())])?;
        let base = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        Plan::from_job(&job, base, &path.display().to_string())
    }

    /// [`Plan::load`] for a job already parsed; `base` is the folder relative paths start
    /// from, `name` names the job in the "lists no shaders" problem.
    pub fn from_job(job: &JobFile, base: &Path, name: &str) -> Result<Plan, PlanError> {
        let entries = job.entries();
        let mut problems = Vec::new();
        if entries.is_empty() {
            problems.push(format!(
                "{name}: the job lists no shaders (add a `jobs:` or `shaders:` list)"
            ));
        }
        // Which input and image names each entry gives itself (strict), in `entries()`
        // order; the other names of a merged entry came from `defaults`.
        let own: Vec<Own> = job
            .jobs
            .iter()
            .chain(&job.shaders)
            .map(|e| Own {
                inputs: e.inputs.iter().flatten().map(|(k, _)| k.clone()).collect(),
                images: e.images.iter().flatten().map(|(k, _)| k.clone()).collect(),
            })
            .collect();
        // Input names declared by any shader of the job (header only, so a shader that does
        // not compile still counts).
        let mut declared = BTreeSet::new();
        let mut tasks = Vec::new();
        let mut planned_frames = 0u64;
        for ((origin, e), own) in entries.into_iter().zip(own) {
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
                match expand_task(&origin, &shader, &e, &own, base, &mut declared) {
                    Ok(t) => {
                        planned_frames += t.frames.len() as u64;
                        if planned_frames > crate::limits::MAX_PLAN_FRAMES {
                            problems.push(format!(
                                "{origin}: the job lists more than the limit of {} frames in all",
                                crate::limits::MAX_PLAN_FRAMES
                            ));
                            return Err(PlanError { problems });
                        }
                        tasks.push(t)
                    }
                    Err(mut p) => problems.append(&mut p),
                }
            }
        }
        let defaults = job.defaults.inputs.iter().flatten().map(|(k, _)| k);
        let default_images = job.defaults.images.iter().flatten().map(|(k, _)| k);
        let undeclared: Vec<&String> = defaults
            .chain(default_images.filter(|k| *k != EVERY_IMAGE))
            .filter(|k| !declared.contains(*k))
            .collect();
        // Only when every entry found its shaders: otherwise that problem says more.
        if !undeclared.is_empty() && problems.is_empty() {
            for k in undeclared {
                problems.push(format!(
                    "defaults: input \"{k}\" is not an input of any shader of the job (inputs: {})",
                    if declared.is_empty() {
                        "none".to_owned()
                    } else {
                        declared
                            .iter()
                            .map(String::as_str)
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                ));
            }
        }
        problems.extend(collisions(&tasks));
        if problems.is_empty() {
            Ok(Plan { tasks })
        } else {
            Err(PlanError { problems })
        }
    }

    /// Frames the plan writes, over all tasks (lead-in frames of stateful shaders not counted).
    pub fn frames(&self) -> u64 {
        self.tasks.iter().map(|t| t.frames.len() as u64).sum()
    }

    /// The plan cut into pieces a worker can do alone, for a distributed runner: each piece
    /// is `(index of its task in [`Plan::tasks`], a task)`, in plan order.
    ///
    /// The rule: a stateless task writing stills is cut into chunks of at most `max_frames`
    /// frames. A stateless task writing a video file is cut the same way into parts, each a
    /// video of its own without sound ([`Task::part_of`] names the file they make), joined
    /// in order by [`crate::join_parts`] once all are written. A GIF, a video on standard output
    /// and a stateful video (or one that carries a Sound pass) stay whole (one file, written
    /// whole or not at all). A stateful task stays whole unless `split_stateful` is set: every chunk of it must render
    /// (unwritten) all frames before its first to look as in a full run (the executor does
    /// that lead-in), so the chunk holding the last frame renders the whole sequence anyway;
    /// splitting adds GPU work and never shortens the longest piece. With `split_stateful`,
    /// stateful stills are cut like stateless ones, each chunk rendering its own lead-in.
    /// A broken task stays whole (it fails once). `max_frames` 0 means no cutting.
    pub fn chunks(&self, max_frames: usize, split_stateful: bool) -> Vec<(usize, Task)> {
        let mut pieces = Vec::new();
        for (i, task) in self.tasks.iter().enumerate() {
            let cuttable =
                max_frames > 0 && task.broken.is_none() && task.frames.len() > max_frames;
            let stills = matches!(task.output, Output::Stills { .. });
            let video =
                matches!(&task.output, Output::Video { codec, .. } if *codec != VideoCodec::Y4m);
            if cuttable && stills && (!task.stateful || split_stateful) {
                pieces.extend(task.split(max_frames).into_iter().map(|t| (i, t)));
            } else if cuttable && video && !task.stateful && !task.sound_pass {
                pieces.extend(task.video_parts(max_frames).into_iter().map(|t| (i, t)));
            } else {
                pieces.push((i, task.clone()));
            }
        }
        pieces
    }
}

/// One frame to write: its number (for file names and a stateful shader's lead-in) and its
/// time in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FrameAt {
    pub number: u64,
    pub time: f64,
}

/// A still-image format with the settings the job chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum StillFormat {
    Png {
        bits: u8,
    },
    Jpeg {
        quality: u8,
    },
    /// Lossless WebP.
    Webp,
    Exr,
}

impl StillFormat {
    /// The encoder's format (PNG with fast compression).
    pub fn image_format(self) -> ImageFormat {
        match self {
            StillFormat::Png { bits } => ImageFormat::Png {
                bits,
                compression: PngCompression::Fast,
            },
            StillFormat::Jpeg { quality } => ImageFormat::Jpeg { quality },
            StillFormat::Webp => ImageFormat::WebP,
            StillFormat::Exr => ImageFormat::Exr,
        }
    }
}

/// A video container and codec, through ffmpeg.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VideoCodec {
    /// H.264 in MP4.
    Mp4,
    /// VP9 in WebM.
    Webm,
    /// FFV1 in Matroska: lossless.
    Mkv,
    /// YUV4MPEG2 on standard output (the output `-`).
    Y4m,
}

impl VideoCodec {
    pub fn video_format(self) -> VideoFormat {
        match self {
            VideoCodec::Mp4 => VideoFormat::Mp4,
            VideoCodec::Webm => VideoFormat::WebM,
            VideoCodec::Mkv => VideoFormat::Mkv,
            VideoCodec::Y4m => VideoFormat::Y4mStdout,
        }
    }
}

/// Where a task's frames go.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Output {
    /// One file per frame; `template` holds `%04d`-style or `{frame}` numbering when the
    /// task has more than one frame ([`Task::frame_path`] fills it in).
    Stills {
        template: String,
        format: StillFormat,
    },
    /// One video file, written whole or not at all.
    Video { path: PathBuf, codec: VideoCodec },
    /// One animated GIF, written whole or not at all.
    Gif { path: PathBuf },
    /// The sound of a Shadertoy shader's Sound pass for the frames' time span, as a 32-bit
    /// float WAV file, written whole or not at all; no picture is rendered.
    Wav { path: PathBuf },
}

impl Output {
    /// The output a file name asks for, by its extension: a video (`.mp4`, `.webm`, `.mkv`), a GIF,
    /// a Sound pass's WAV (`.wav`), or stills (`.png` with `bits` per channel, `.jpg` with `quality`, default 90, `.webp`,
    /// `.exr`) whose name is the frame-number template. `None` for any other extension.
    pub fn for_path(path: &Path, quality: Option<u8>, bits: u8) -> Option<Output> {
        if let Some(v) = VideoFormat::from_path(path) {
            let codec = match v {
                VideoFormat::Mp4 => VideoCodec::Mp4,
                VideoFormat::WebM => VideoCodec::Webm,
                VideoFormat::Mkv => VideoCodec::Mkv,
                VideoFormat::Y4mStdout => VideoCodec::Y4m,
            };
            return Some(Output::Video {
                path: path.to_owned(),
                codec,
            });
        }
        if path
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("gif"))
        {
            return Some(Output::Gif {
                path: path.to_owned(),
            });
        }
        if path
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("wav"))
        {
            return Some(Output::Wav {
                path: path.to_owned(),
            });
        }
        let format = match ImageFormat::from_path(path)? {
            ImageFormat::Jpeg { .. } => StillFormat::Jpeg {
                quality: quality.unwrap_or(90),
            },
            ImageFormat::Png { .. } => StillFormat::Png { bits },
            ImageFormat::WebP => StillFormat::Webp,
            ImageFormat::Exr => StillFormat::Exr,
        };
        Some(Output::Stills {
            template: path.to_string_lossy().into_owned(),
            format,
        })
    }
}

/// A checked unit of work: one shader, its frames and where they go. Self-contained and
/// serializable: a worker needs nothing else (not the job file) to run it, but it reads the
/// shader, images and output paths as planned (see the module docs on relative paths).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// `jobs[2] (shaders/plasma.fs)`: names the job-file entry in messages.
    pub origin: String,
    pub shader: PathBuf,
    pub width: u32,
    pub height: u32,
    pub fps: f64,
    /// Time of frame 0 (`time:`); frame n is at `start + n / fps`.
    pub start: f64,
    /// `DATE` at `start` (`date:`, checked: `YYYY-MM-DDTHH:MM:SS`); a frame at time `t`
    /// gets this date plus `t - start`. `None`: the wall clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Frames to write, in order.
    pub frames: Vec<FrameAt>,
    /// Input values in their command-line text form (`0.5`, `true`, `1,0,0,1`, a label),
    /// already type-checked against the shader.
    pub inputs: BTreeMap<String, String>,
    /// Keyframed inputs: their keys and easing by input name (see [`crate::keys`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub keys: BTreeMap<String, KeyTrack>,
    /// Image inputs: input name to an image file that existed when the plan was made, or a
    /// video or image sequence with its playing options (`clip.mp4#loop`, see
    /// [`isfkit_media::ClipSpec`]).
    pub images: BTreeMap<String, PathBuf>,
    /// Audio and audioFFT inputs: input name to a sound file that existed when the plan was
    /// made. A video output carries the first one's sound.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub audio: BTreeMap<String, PathBuf>,
    /// A video output's sound when no audio input gives one: a file whose first audio
    /// stream is muxed in (the footage's own sound).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sound: Option<PathBuf>,
    /// For one part of a video cut across workers ([`Plan::chunks`]): the file the parts
    /// are joined into.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part_of: Option<PathBuf>,
    /// A video output without sound, whatever the inputs.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub mute: bool,
    /// Render to float textures.
    pub float: bool,
    pub output: Output,
    /// The shader has persistent buffers or reads FRAMEINDEX or TIMEDELTA: each frame
    /// depends on the ones before, so a range or a resumed run must also render (unwritten)
    /// every frame before its first.
    pub stateful: bool,
    /// The shader is a Shadertoy shader with a Sound pass: a video of it carries that sound,
    /// so it is not cut across workers (each part would carry a piece of its own).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sound_pass: bool,
    /// Why the shader cannot render (its parse or compile error, compiler-style), found
    /// while planning. Running the task fails with this message without touching a GPU.
    pub broken: Option<String>,
    /// The shader's text, when it does not come from the file `shader` (`isf render -`
    /// reads it from standard input; `shader` then names it in messages).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Tasks that would write the same file (a glob matching `a/x.fs` and `b/x.fs` with an
/// output of `out/{name}_%02d.png`, two entries with one output): one problem per pair of
/// tasks, naming both and the first file they share. Paths are compared after making them
/// absolute, removing `.` and `..` lexically, and resolving symbolic links in the folders
/// that exist already (`out/` and a link to it are one folder); the folder of each file is
/// resolved once.
fn collisions(tasks: &[Task]) -> Vec<String> {
    use std::collections::hash_map::DefaultHasher;
    use std::hash::{Hash, Hasher};
    let cwd = std::env::current_dir().unwrap_or_default();
    let folders: std::cell::RefCell<std::collections::HashMap<PathBuf, PathBuf>> =
        Default::default();
    let normal = |p: &Path| -> PathBuf {
        let mut out = PathBuf::new();
        for c in cwd.join(p).components() {
            match c {
                std::path::Component::CurDir => {}
                std::path::Component::ParentDir => {
                    out.pop();
                }
                other => out.push(other),
            }
        }
        let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
            return out;
        };
        let mut cache = folders.borrow_mut();
        let folder = cache
            .entry(parent.to_path_buf())
            .or_insert_with(|| resolve_existing(parent));
        folder.join(name)
    };
    let hash = |p: &Path| {
        let mut h = DefaultHasher::new();
        p.hash(&mut h);
        h.finish()
    };
    // (hash of the file's path, task): 16 bytes a frame, sorted so equal paths meet.
    let mut all: Vec<(u64, u32)> = tasks
        .iter()
        .enumerate()
        .flat_map(|(i, t)| {
            t.output_files()
                .into_iter()
                .map(move |p| (hash(&normal(&p)), i as u32))
        })
        .collect();
    all.sort_unstable();
    let mut pairs: Vec<(u32, u32)> = all
        .windows(2)
        .filter(|w| w[0].0 == w[1].0 && w[0].1 != w[1].1)
        .map(|w| (w[0].1.min(w[1].1), w[0].1.max(w[1].1)))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut problems = Vec::new();
    for (a, b) in pairs {
        let (ta, tb) = (&tasks[a as usize], &tasks[b as usize]);
        // A hash is not proof: name a file both really write.
        let theirs: std::collections::HashSet<PathBuf> =
            tb.output_files().iter().map(|p| normal(p)).collect();
        let shared: Vec<PathBuf> = ta
            .output_files()
            .into_iter()
            .filter(|p| theirs.contains(&normal(p)))
            .collect();
        let Some(first) = shared.first() else {
            continue;
        };
        problems.push(format!(
            "{} and {} would write the same file {}{}; give each task its own output",
            ta.origin,
            tb.origin,
            first.display(),
            match shared.len() {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            }
        ));
    }
    problems
}

/// `dir` with symbolic links resolved in its longest part that exists (the rest, folders
/// the batch will create, kept as written).
fn resolve_existing(dir: &Path) -> PathBuf {
    let mut rest = Vec::new();
    let mut base = dir;
    loop {
        if let Ok(real) = base.canonicalize() {
            return rest.iter().rev().fold(real, |p, c| p.join(c));
        }
        match (base.parent(), base.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                base = parent;
            }
            _ => return dir.to_path_buf(),
        }
    }
}

impl Task {
    /// A task rendering `shader` at `width`x`height` into `output`, frame `n` of `frames`
    /// (numbered from 0) at `n / fps` seconds: no inputs, images or sounds, the wall clock's
    /// DATE. Fields set after make the rest (`Task { inputs, ..Task::new(...) }`).
    pub fn new(
        shader: PathBuf,
        (width, height): (u32, u32),
        fps: f64,
        frames: u64,
        output: Output,
    ) -> Task {
        Task {
            origin: shader.display().to_string(),
            shader,
            width,
            height,
            fps,
            start: 0.0,
            date: None,
            frames: (0..frames)
                .map(|number| FrameAt {
                    number,
                    time: number as f64 / fps,
                })
                .collect(),
            inputs: BTreeMap::new(),
            keys: BTreeMap::new(),
            images: BTreeMap::new(),
            audio: BTreeMap::new(),
            sound: None,
            part_of: None,
            mute: false,
            float: false,
            output,
            stateful: false,
            sound_pass: false,
            broken: None,
            source: None,
        }
    }

    /// The file frame `number` is written to (for [`Output::Stills`]).
    pub fn frame_path(template: &str, number: u64) -> PathBuf {
        PathBuf::from(number_frame(template, number))
    }

    /// Every file this task writes: each still, or the one video or GIF.
    pub fn output_files(&self) -> Vec<PathBuf> {
        match &self.output {
            Output::Stills { template, .. } => self
                .frames
                .iter()
                .map(|f| Task::frame_path(template, f.number))
                .collect(),
            Output::Video { path, .. } | Output::Gif { path } | Output::Wav { path } => {
                vec![path.clone()]
            }
        }
    }

    /// This task's frames in consecutive chunks of at most `max_frames` (at least 1), each a
    /// task of its own with the same shader, inputs and output. A chunk of a stateful task
    /// stays stateful, so running it renders its lead-in (every frame before its first)
    /// unwritten. Only meaningful for stills: a video or GIF chunk would overwrite the file.
    pub fn split(&self, max_frames: usize) -> Vec<Task> {
        self.frames
            .chunks(max_frames.max(1))
            .map(|frames| Task {
                frames: frames.to_vec(),
                ..self.clone()
            })
            .collect()
    }

    /// A stateless video task's frames in consecutive parts of at most `max_frames`, each
    /// writing a video of its own, without sound, beside the planned file
    /// ([`Task::part_path`]) and naming that file in [`Task::part_of`].
    fn video_parts(&self, max_frames: usize) -> Vec<Task> {
        let Output::Video { path, codec } = &self.output else {
            return vec![self.clone()];
        };
        self.frames
            .chunks(max_frames.max(1))
            .enumerate()
            .map(|(k, frames)| Task {
                frames: frames.to_vec(),
                output: Output::Video {
                    path: Task::part_path(path, k),
                    codec: *codec,
                },
                mute: true,
                part_of: Some(path.clone()),
                ..self.clone()
            })
            .collect()
    }

    /// Where part `k` of the video `path` is written: a hidden file beside it with the same
    /// extension (`clip.mp4` → `.clip.mp4.part0003.mp4`).
    pub fn part_path(path: &Path, k: usize) -> PathBuf {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy())
            .unwrap_or_default();
        path.with_file_name(format!(".{name}.part{k:04}.{ext}"))
    }

    /// The shader's file name, for progress displays.
    pub fn shader_name(&self) -> String {
        self.shader
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// Parses `WIDTHxHEIGHT` (`x` or `X`; spaces around the numbers are allowed).
pub fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let (w, h) = s
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("size \"{s}\" is not WIDTHxHEIGHT"))?;
    let w: u32 = w
        .trim()
        .parse()
        .map_err(|_| format!("width \"{w}\" is not a whole number"))?;
    let h: u32 = h
        .trim()
        .parse()
        .map_err(|_| format!("height \"{h}\" is not a whole number"))?;
    let max = crate::limits::MAX_RENDER_SIDE;
    if w > max || h > max {
        return Err(format!(
            "size {w}x{h} is over the limit of {max} pixels per side"
        ));
    }
    Ok((w, h))
}

fn has_frame_pattern(template: &str) -> bool {
    FramePattern::parse(template).has_number()
}

/// The input and image names an entry gives itself (strict); the others of a merged entry
/// came from `defaults` and apply only to the shaders that declare them.
struct Own {
    inputs: BTreeSet<String>,
    images: BTreeSet<String>,
}

/// Expands one shader of an entry. `own` names the inputs and images the entry gives itself
/// (strict); the entry's other inputs and images came from `defaults` and apply only when
/// the shader declares them. Images named `*` feed every image input not named otherwise.
/// Adds the shader's input names to `declared`.
fn expand_task(
    origin: &str,
    shader: &Path,
    e: &Entry,
    own: &Own,
    base: &Path,
    declared: &mut BTreeSet<String>,
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
    let mut stateful = false;
    let mut sound_pass = false;
    let doc = match Program::load(shader) {
        Ok(program) => {
            stateful = program.facts.stateful();
            sound_pass = program.sound.is_some();
            Some(program.doc)
        }
        Err(err @ LoadError::ReadVertex { .. }) => {
            problems.push(format!("{origin}: {err}"));
            None
        }
        Err(err) => {
            broken = Some(err.render_at(shader));
            None
        }
    };
    match &doc {
        Some(doc) => declared.extend(doc.inputs.iter().map(|i| i.name.clone())),
        None => {
            if let Ok(header) = IsfDocument::parse_file(shader) {
                declared.extend(header.inputs.iter().map(|i| i.name.clone()));
            }
        }
    }
    let (width, height) = task_size(&origin, e, &mut problems);
    let fps = e.fps.unwrap_or(30.0);
    if !(fps > 0.0 && fps.is_finite()) {
        problems.push(format!(
            "{origin}: fps must be a positive number, not {fps}"
        ));
    }
    let start = e.time.unwrap_or(0.0);
    if !start.is_finite() {
        problems.push(format!(
            "{origin}: time must be a finite number, not {start}"
        ));
    }
    if let Some(Err(msg)) = e.date.as_deref().map(isfkit_render::parse_date) {
        problems.push(format!("{origin}: {msg}"));
    }
    let frames = task_frames(&origin, e, start, fps, &mut problems);
    let float = e.float.unwrap_or(false);
    let output = task_output(
        &origin,
        e,
        &name,
        base,
        frames.len() > 1,
        float,
        &mut problems,
    );
    let (inputs, keys) = task_inputs(&origin, e, own, doc.as_ref(), &mut problems);
    let (images, audio, sound) = task_files(&origin, e, own, doc.as_ref(), base, &mut problems);
    if let (Output::Wav { .. }, Some(_), false) = (&output, &doc, sound_pass) {
        problems.push(no_sound_pass(&origin));
    }
    if problems.is_empty() {
        Ok(Task {
            origin,
            shader: shader.to_owned(),
            width,
            height,
            fps,
            start,
            date: e.date.clone(),
            frames,
            inputs,
            keys,
            images,
            audio,
            sound,
            part_of: None,
            mute: false,
            float,
            output,
            stateful,
            sound_pass,
            broken,
            source: None,
        })
    } else {
        Err(problems)
    }
}

/// Why a `.wav` output of shader `what` (a file or a job entry) cannot be written.
pub(crate) fn no_sound_pass(what: &str) -> String {
    format!("{what}: a .wav output is the sound of a Shadertoy shader's Sound pass (mainSound), and this shader has none")
}

/// The entry's render size (640x360 when it gives none), checked.
fn task_size(origin: &str, e: &Entry, problems: &mut Vec<String>) -> (u32, u32) {
    let (width, height) = match (&e.size, e.width, e.height) {
        (Some(s), _, _) => parse_size(s).unwrap_or_else(|m| {
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
    let max_side = crate::limits::MAX_RENDER_SIDE;
    if (width > max_side || height > max_side) && problems.is_empty() {
        problems.push(format!(
            "{origin}: size {width}x{height} is over the limit of {max_side} pixels per side"
        ));
    }
    (width, height)
}

/// The frames an entry asks for (`frames`: a count or a range; `times`: a list; neither:
/// one frame at `time`), each at a time that reaches the shader as a finite 32-bit float.
fn task_frames(
    origin: &str,
    e: &Entry,
    start: f64,
    fps: f64,
    problems: &mut Vec<String>,
) -> Vec<FrameAt> {
    let at = |number: u64| FrameAt {
        number,
        time: start + number as f64 / fps,
    };
    let max_frames = crate::limits::MAX_FRAMES;
    let frames: Vec<FrameAt> = match (&e.times, &e.frames) {
        (Some(times), _) if times.len() as u64 > max_frames => {
            problems.push(format!(
                "{origin}: times lists {} times, over the limit of {max_frames} per task",
                times.len()
            ));
            Vec::new()
        }
        (None, Some(FramesSpec::Count(n))) if *n > max_frames => {
            problems.push(format!(
                "{origin}: frames: {n} frames is over the limit of {max_frames} per task"
            ));
            Vec::new()
        }
        (Some(times), _) => {
            if let Some(t) = times.iter().find(|t| !t.is_finite()) {
                problems.push(format!("{origin}: times must be finite numbers, not {t}"));
            }
            times
                .iter()
                .enumerate()
                .map(|(i, &time)| FrameAt {
                    number: i as u64,
                    time,
                })
                .collect()
        }
        (None, Some(FramesSpec::Count(n))) => (0..*n).map(at).collect(),
        (None, Some(FramesSpec::Range(r))) => match r
            .split_once("..")
            .map(|(a, b)| (a.trim().parse::<u64>(), b.trim().parse::<u64>()))
        {
            Some((Ok(a), Ok(b))) if a < b && b - a > max_frames => {
                problems.push(format!(
                    "{origin}: frames \"{r}\" holds {} frames, over the limit of {max_frames} per task",
                    b - a
                ));
                Vec::new()
            }
            Some((Ok(a), Ok(b))) if a < b && b > crate::limits::MAX_FRAME_NUMBER => {
                problems.push(format!(
                    "{origin}: frames \"{r}\" ends past the limit of frame number {}",
                    crate::limits::MAX_FRAME_NUMBER
                ));
                Vec::new()
            }
            Some((Ok(a), Ok(b))) if a < b => (a..b).map(at).collect(),
            _ => {
                problems.push(format!(
                    "{origin}: frames \"{r}\" is not a count or a range like \"0..30\""
                ));
                Vec::new()
            }
        },
        (None, None) => vec![FrameAt {
            number: 0,
            time: start,
        }],
    };
    // Every time reaches the shader as a 32-bit float (a tiny fps can push it to infinity).
    if problems.is_empty() {
        if let Some(Err(err)) = frames
            .iter()
            .map(|f| isfkit_render::finite_f32("time", f.time))
            .find(Result::is_err)
        {
            problems.push(format!("{origin}: {err}"));
        }
    }
    if frames.is_empty() && problems.is_empty() {
        problems.push(format!("{origin}: no frames to render"));
    }
    frames
}

/// Where an entry's frames go (`{name}` is the shader's file stem; several frames need a
/// frame number in a still's name), and that its folder can be made.
fn task_output(
    origin: &str,
    e: &Entry,
    name: &str,
    base: &Path,
    many: bool,
    float: bool,
    problems: &mut Vec<String>,
) -> Output {
    let mut template = e.output.clone().unwrap_or_else(|| {
        if many {
            "{name}_%04d.png".into()
        } else {
            "{name}.png".into()
        }
    });
    template = template.replace("{name}", name);
    if let Err(m) = crate::limits::check_frame_pattern(&template) {
        problems.push(format!("{origin}: output: {m}"));
    }
    if let Some(fmt) = &e.format {
        if Path::new(&template).extension().is_none() {
            template = format!("{template}.{}", fmt.trim_start_matches('.'));
        }
    }
    let out_path = base.join(&template);
    let bits = e.bits.unwrap_or(if float { 16 } else { 8 });
    if bits != 8 && bits != 16 {
        problems.push(format!("{origin}: bits must be 8 or 16, not {bits}"));
    }
    let output = match Output::for_path(&out_path, e.quality, bits) {
        Some(Output::Stills { template, format }) if many && !has_frame_pattern(&template) => {
            // One file per frame needs a number: the other tools' layout writes `times`
            // lists to one output name, so number them before the extension.
            let ext = out_path
                .extension()
                .map(|x| x.to_string_lossy().into_owned())
                .unwrap_or_default();
            Output::Stills {
                template: format!(
                    "{}_%04d.{ext}",
                    template.trim_end_matches(&format!(".{ext}"))
                ),
                format,
            }
        }
        Some(output) => output,
        None => {
            problems.push(format!(
                "{origin}: output \"{}\" has an unknown extension (png, jpg, webp, exr, gif, mp4, webm, mkv, wav)",
                out_path.display()
            ));
            Output::Gif { path: out_path }
        }
    };
    if let Some(dir) = output_folder(&output) {
        if let Some(blocker) = folder_blocker(&dir) {
            problems.push(format!(
                "{origin}: cannot create output folder {}: {} is not a folder",
                dir.display(),
                blocker.display()
            ));
        }
    }
    output
}

/// An entry's input values in their text form and its keyframed inputs, each checked
/// against the shader's input (`doc`: `None` for a shader that does not load); defaults only
/// where the shader declares them.
#[allow(clippy::type_complexity)]
fn task_inputs(
    origin: &str,
    e: &Entry,
    own: &Own,
    doc: Option<&IsfDocument>,
    problems: &mut Vec<String>,
) -> (BTreeMap<String, String>, BTreeMap<String, KeyTrack>) {
    let mut inputs = BTreeMap::new();
    let mut keyed = BTreeMap::new();
    for (k, v) in e.inputs.clone().unwrap_or_default() {
        let strict = own.inputs.contains(&k);
        let from = if strict { "" } else { " (from defaults)" };
        if let Some(keys) = KeyTrack::from_json(&v) {
            let checked =
                keys.map_err(|m| format!("input \"{k}\": {m}"))
                    .and_then(|keys| match doc {
                        None => Ok(keys),
                        Some(d) => match d.input(&k) {
                            None => Err(Error::unknown_input(d, &k).to_string()),
                            Some(input) => crate::keys::Keyframes::new(&k, &input.ty, &keys)
                                .map(|_| keys)
                                .map_err(|e| e.to_string()),
                        },
                    });
            match checked {
                Ok(keys) => {
                    keyed.insert(k, keys);
                }
                Err(_) if !strict && doc.is_some_and(|d| d.input(&k).is_none()) => {}
                Err(m) => problems.push(format!("{origin}: {m}{from}")),
            }
            continue;
        }
        let text = match doc {
            Some(doc) => match doc.input(&k) {
                // A default for an input this shader does not have: not for this shader.
                None if !strict => continue,
                None => {
                    problems.push(format!("{origin}: {}", Error::unknown_input(doc, &k)));
                    continue;
                }
                Some(input) => match Value::from_json(&k, &input.ty, &v) {
                    Ok((_, text)) => text,
                    Err(err) => {
                        problems.push(format!("{origin}: {err}{from}"));
                        continue;
                    }
                },
            },
            // A broken shader (it fails without rendering): keep only what it gives itself.
            None if !strict => continue,
            None => match Value::json_text(&v) {
                Some(text) => text,
                None => {
                    problems.push(format!(
                        "{origin}: input \"{k}\"{from}: value {v} is not a number, bool, string or list of 1 to 4 numbers"
                    ));
                    continue;
                }
            },
        };
        inputs.insert(k, text);
    }
    (inputs, keyed)
}

/// An entry's files: its image files and sound files, found and matched to image and audio
/// inputs of the shader (`*` feeds every image input not named otherwise), and the first
/// video input with a sound track (by input name), whose sound a video output carries when
/// no audio input gives one, as `isf render` does.
#[allow(clippy::type_complexity)]
fn task_files(
    origin: &str,
    e: &Entry,
    own: &Own,
    doc: Option<&IsfDocument>,
    base: &Path,
    problems: &mut Vec<String>,
) -> (
    BTreeMap<String, PathBuf>,
    BTreeMap<String, PathBuf>,
    Option<PathBuf>,
) {
    let mut images = BTreeMap::new();
    let mut with_sound = BTreeSet::new();
    for (k, p) in e.images.clone().unwrap_or_default() {
        let path = base.join(&p);
        // A video or an image sequence is read as far as its first frame's size now, so
        // a missing, corrupt or gapped one is the job's problem before anything renders.
        match isfkit_media::ClipSpec::parse(&path.to_string_lossy()) {
            Err(m) => problems.push(format!("{origin}: image \"{k}\": {m}")),
            Ok(Some(spec)) => {
                match isfkit_media::probe_clip(&spec, isfkit_render::MAX_IMAGE_SIDE) {
                    Err(e) => problems.push(format!("{origin}: image \"{k}\": {e}")),
                    Ok(info) => {
                        if let (true, isfkit_media::ClipSource::Video(file)) =
                            (info.has_audio, &spec.source)
                        {
                            with_sound.insert(file.clone());
                        }
                    }
                }
            }
            Ok(None) if !path.is_file() => problems.push(format!(
                "{origin}: image \"{k}\": file {} not found",
                path.display()
            )),
            Ok(None) => {}
        }
        let strict = own.images.contains(&k);
        if let Some(doc) = doc {
            let is_image = doc
                .input(&k)
                .is_some_and(|i| matches!(i.ty, InputType::Image));
            if !is_image && k != EVERY_IMAGE {
                if !strict {
                    // A default for an image input this shader does not have.
                    continue;
                }
                problems.push(format!(
                    "{origin}: \"{k}\" is not an image input of this shader"
                ));
            }
        } else if !strict {
            continue;
        }
        images.insert(k, path);
    }
    if let Some(doc) = doc {
        images = crate::media::resolve_images(doc, &images);
    }
    let mut audio = BTreeMap::new();
    for (k, p) in e.audio.clone().unwrap_or_default() {
        let path = base.join(&p);
        if !path.is_file() {
            problems.push(format!(
                "{origin}: audio \"{k}\": file {} not found",
                path.display()
            ));
        }
        if let Some(doc) = doc {
            if !doc.input(&k).is_some_and(|i| {
                matches!(i.ty, InputType::Audio { .. } | InputType::AudioFft { .. })
            }) {
                problems.push(format!(
                    "{origin}: \"{k}\" is not an audio or audioFFT input of this shader"
                ));
            }
        }
        audio.insert(k, path);
    }
    let sound =
        images.values().find_map(
            |p| match isfkit_media::ClipSpec::parse(&p.to_string_lossy()) {
                Ok(Some(spec)) => match spec.source {
                    isfkit_media::ClipSource::Video(file) if with_sound.contains(&file) => {
                        Some(file)
                    }
                    _ => None,
                },
                _ => None,
            },
        );
    (images, audio, sound)
}

/// The first ancestor of `dir` (itself included) that exists but is not a folder, which
/// makes `dir` impossible to create; `None` when `dir` exists or could be made. Creates
/// nothing.
fn folder_blocker(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .filter(|a| !a.as_os_str().is_empty())
        .find(|a| a.exists())
        .filter(|a| !a.is_dir())
        .map(Path::to_owned)
}

/// The folder `output` writes into, when it names one.
pub(crate) fn output_folder(output: &Output) -> Option<PathBuf> {
    let dir = match output {
        Output::Stills { template, .. } => Path::new(template).parent(),
        Output::Video { path, .. } | Output::Gif { path } | Output::Wav { path } => path.parent(),
    };
    dir.filter(|d| !d.as_os_str().is_empty())
        .map(Path::to_owned)
}
