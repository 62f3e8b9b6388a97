//! `isf`: render, validate and inspect ISF shaders.
//!
//! Exit codes: 0 success; 1 the shader is invalid or the render failed; 2 usage or I/O
//! error (bad arguments, missing files, bad input values); 3 the cleanup report found a leak.

// Proving a runner `Sync` for the batch lanes walks wgpu's and naga's types deeper than the
// default limit.
#![recursion_limit = "256"]

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};
use isfkit_batch::frame_pattern::FramePattern;
use isfkit_batch::media::Footage;
use isfkit_batch::{parse_size, FrameAt, Output, RunOptions, Runner, RunnerConfig, Task};
use isfkit_media::{ClipSource, PastEnd};
use isfkit_output::ImageFormat;
use isfkit_render::format::{FormatError, FormatErrorKind, IsfDocument};
use isfkit_render::glsl::{Finding, Validation};
use isfkit_render::{Backend, Error, ErrorKind, Program};
use serde_json::json;

mod batch;
mod bench;
mod bench_compile;
mod bench_video;
mod bench_window;
mod convert;
mod doctor;
mod limits;
mod preview;
mod serve;

#[derive(Parser)]
#[command(
    name = "isf",
    version,
    about = "Render, validate and inspect ISF shaders (headless, on wgpu)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Log what isfkit does, and the warnings of the libraries under it (naga, wgpu). Without
    /// it only isfkit's own warnings print; RUST_LOG overrides both.
    #[arg(short = 'v', long, global = true)]
    verbose: bool,
}

/// `isf render`'s and `isf batch`'s frame deadline, in seconds (see `--deadline`). The
/// service keeps its own, shorter one (`isf serve --deadline`, 10 s).
pub(crate) const DEFAULT_DEADLINE_S: f64 = 120.0;

/// The log filter when RUST_LOG is not set. naga and wgpu log through `log` what isfkit
/// reports itself as an error at the user's line (naga's `ERROR naga::valid::compose ...`):
/// their lines print only with --verbose. winit and egui-wgpu (isf preview) warn about what is
/// normal under Xvfb and lavapipe (no XSETTINGS, a 0 mm screen, a software rasteriser).
fn default_log_filter(verbose: bool) -> &'static str {
    if verbose {
        "info,naga=warn,wgpu_core=warn,wgpu_hal=warn,wgpu=warn,winit=error,egui_wgpu=error"
    } else {
        "warn,naga=off,wgpu_core=off,wgpu_hal=off,wgpu=off,winit=error,egui_wgpu=error"
    }
}

#[derive(Subcommand)]
enum Command {
    /// Render a shader to PNG (one frame, or a numbered sequence with --frames).
    Render(RenderArgs),
    /// Parse, translate and compile a shader without rendering; exit 0 if valid, 1 if not.
    Validate(ValidateArgs),
    /// Print the shader's document (inputs, passes, kind) as JSON.
    Info(InfoArgs),
    /// Convert Shadertoy, GLSL Sandbox or gl-transitions shaders to ISF files (every command
    /// also reads them directly).
    Convert(convert::ConvertArgs),
    /// Render a job file: many shaders and frames, resumable, surviving bad shaders.
    Batch(batch::BatchArgs),
    /// Measure the engine: `isf bench` (pipeline), `lifecycle`, `bindgroups`, `concurrency`,
    /// `engines`.
    Bench(bench::BenchArgs),
    /// Check what isfkit finds here: adapters, a test render, ffmpeg, display, Python.
    Doctor(doctor::DoctorArgs),
    /// Open a live preview window: generated controls, hot reload on save, snapshot (S),
    /// record (R); Esc closes it.
    Preview(preview::PreviewArgs),
    /// Serve validate, render and info as JSON over HTTP (POST /validate, /render, /info;
    /// GET /healthz, /metrics), renders in worker processes with deadlines.
    Serve(serve::ServeArgs),
    /// Serve the Model Context Protocol on stdio (or --http ADDR): tools render_shader,
    /// validate_shader, get_shader_info; example and reference resources.
    Mcp(serve::McpArgs),
    /// A render worker of `serve`/`mcp` (JSON lines on stdin/stdout); not for direct use.
    #[command(name = "__serve-worker", hide = true)]
    ServeWorker(serve::WorkerArgs),
    /// Print a shell completion script: `isf completions bash > /etc/bash_completion.d/isf`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Args)]
struct RenderArgs {
    /// The ISF fragment shader (.fs); a .vs/.vert next to it is used as the vertex shader.
    /// `-` reads the shader from standard input.
    shader: PathBuf,
    /// Output PNG (or JPEG, WebP, EXR); with --frames, a pattern holding the frame number,
    /// e.g. out_%04d.png. Or a video (.mp4, .webm, .mkv: lossless) or GIF of all the frames; a video carries
    /// the first --audio's sound (or the first video input's, or a Shadertoy Sound pass's) from
    /// --time for its length. Or a .wav: a Shadertoy Sound pass's sound alone.
    #[arg(short, long)]
    output: PathBuf,
    /// Render size. Default: the first video or image-sequence input's size, else 640x360.
    #[arg(long, value_parser = parse_size)]
    size: Option<(u32, u32)>,
    /// Time of the (first) frame, in seconds. Given several times, one frame per time is
    /// written, numbered in the order given (the output's %04d pattern, or `_0000`, `_0001`,
    /// ... before its extension).
    #[arg(long = "time", value_name = "SECONDS", allow_negative_numbers = true)]
    times: Vec<f64>,
    /// The (first) time: the only --time, or 0 (set from `times` before rendering).
    #[arg(skip)]
    time: f64,
    /// JPEG quality, 1 to 100 (default 90), for a .jpg/.jpeg output.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=100))]
    quality: Option<u8>,
    /// The shader's text when SHADER is `-` (read from standard input before rendering).
    #[arg(skip)]
    stdin_source: Option<String>,
    /// DATE of the (first) frame: YYYY-MM-DDTHH:MM:SS (later frames add their time since the
    /// first). Default: the wall clock as each frame renders.
    #[arg(long, value_name = "YYYY-MM-DDTHH:MM:SS")]
    date: Option<String>,
    /// Number of frames to render. Default: the whole first video or image-sequence input,
    /// else 1.
    #[arg(long)]
    frames: Option<u64>,
    /// Frames per second of a sequence (time advances 1/fps per frame). Default: the first
    /// video input's rate, else 30.
    #[arg(long)]
    fps: Option<f64>,
    /// Set an input: NAME=VALUE (0.5, true, 3, a long's label, 0.2,0.8, 1,0,0,1). A key of a
    /// moving value: NAME@SECONDS=VALUE, given again for each key (linear between keys for
    /// numbers, points and colours, steps for bools and longs, held outside the keys).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    sets: Vec<String>,
    /// How a keyed input moves between its keys: NAME=CURVE, CURVE one of linear (the
    /// default), ease-in, ease-out, ease-in-out.
    #[arg(long = "ease", value_name = "NAME=CURVE")]
    eases: Vec<String>,
    /// No sound in a video output (none from --audio, none from a video input).
    #[arg(long)]
    no_audio: bool,
    /// Set an image input: NAME=FILE. FILE is an image (PNG, JPEG, WebP, EXR), a video
    /// (anything ffmpeg decodes) or an image sequence (shots/f_%04d.png), with playing options
    /// after a # (clip.mp4#start=2.5,speed=2,loop|hold|black; a sequence's rate=FPS). NAME `*`
    /// feeds every image input not named otherwise.
    #[arg(long = "image", value_name = "NAME=PATH")]
    images: Vec<String>,
    /// Set an audio/audioFFT input from a sound file: NAME=FILE (WAV; mp3, flac, aac, ogg
    /// and anything else ffmpeg decodes). Each frame sees the window that ends at its time.
    #[arg(long = "audio", value_name = "NAME=FILE")]
    audio: Vec<String>,
    /// Graphics backend.
    #[arg(long, default_value = "auto", value_parser = parse_backend)]
    backend: Backend,
    /// Render the output as 32-bit float and write a 16-bit PNG.
    #[arg(long)]
    float: bool,
    /// PNG bits per channel (8 or 16).
    #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(["8", "16"]))]
    bits: Option<String>,
    /// No progress bar.
    #[arg(short, long)]
    quiet: bool,
    /// Print the cleanup report at exit; exit 3 if it shows a leak.
    #[arg(long)]
    cleanup_report: bool,
    /// Print the cleanup report as JSON (implies --cleanup-report).
    #[arg(long)]
    json_report: bool,
    /// Re-initialise the GPU device every N frames (soak testing).
    #[arg(long, value_name = "N")]
    reinit_every: Option<u64>,
    /// Seconds a frame may take on the GPU before it is abandoned. The default, 120, is for
    /// a person rendering on a CPU (Mesa's lavapipe): heavy real shaders take 10-30 s a frame
    /// there, and a shader that never ends still stops within two minutes.
    #[arg(long, default_value_t = DEFAULT_DEADLINE_S, value_parser = parse_seconds)]
    deadline: f64,
    /// Test hook: leak a GPU texture with this label before shutdown, so the cleanup report
    /// and exit code 3 can be tested. Never useful otherwise.
    #[arg(long, hide = true, value_name = "LABEL")]
    debug_leak_texture: Option<String>,
}

#[derive(Args)]
struct ValidateArgs {
    shader: PathBuf,
    /// Print {"valid", "errors": [{line, column, message, stage}], "warnings"} as JSON.
    #[arg(long)]
    json: bool,
    /// Also check the adapter's limits (opens the GPU adapter; without it validate needs no
    /// GPU): textures bound per pass, fixed pass sizes, IMPORTED image sizes, uniform size.
    #[arg(long)]
    limits: bool,
    /// With --limits: the render size to check (pass sizes that depend on it, too).
    #[arg(long, value_parser = parse_size, requires = "limits")]
    size: Option<(u32, u32)>,
    /// With --limits: the graphics backend whose adapter is checked.
    #[arg(long, default_value = "auto", value_parser = parse_backend)]
    backend: Backend,
}

#[derive(Args)]
struct InfoArgs {
    shader: PathBuf,
}

/// A positive, finite number of seconds (Duration would panic on inf, NaN or negatives).
fn parse_seconds(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("\"{s}\" is not a number of seconds"))?;
    if v.is_finite() && v > 0.0 && v <= 1e9 {
        Ok(v)
    } else {
        Err(format!("{s} seconds: give a positive number up to 1e9"))
    }
}

fn parse_backend(s: &str) -> Result<Backend, String> {
    Backend::parse(s)
        .ok_or_else(|| format!("unknown backend \"{s}\" (auto, vulkan, gl, metal, dx12)"))
}

/// An error with the exit code it maps to.
pub(crate) struct Failure {
    pub(crate) code: u8,
    pub(crate) message: String,
}

impl Failure {
    fn usage(message: impl Into<String>) -> Failure {
        Failure {
            code: 2,
            message: message.into(),
        }
    }
}

/// The usage failure for a shader file that could not be read (an I/O error, not an
/// invalid shader), or `None` when `e` is about the shader's content. The message already
/// names the path, so it is not rendered compiler-style (`path: error: cannot read path`).
fn unreadable(e: &FormatError) -> Option<Failure> {
    (e.kind == FormatErrorKind::Unreadable)
        .then(|| Failure::usage(format!("error: {}", e.diagnostic.message)))
}

/// The failure for an engine error: its compiler-style text and the exit code of its kind.
fn engine_failure(e: &Error, shader: &Path) -> Failure {
    Failure {
        code: e.kind().exit_code(),
        message: e.render(shader),
    }
}

pub(crate) fn split_assignment<'a>(s: &'a str, what: &str) -> Result<(&'a str, &'a str), Failure> {
    s.split_once('=')
        .ok_or_else(|| Failure::usage(format!("error: {what} \"{s}\" is not NAME=VALUE")))
}

/// `NAME=VALUE` assignments as pairs, in the order given.
pub(crate) fn pairs(given: &[String], what: &str) -> Result<Vec<(String, String)>, Failure> {
    given
        .iter()
        .map(|s| split_assignment(s, what).map(|(n, v)| (n.to_owned(), v.to_owned())))
        .collect()
}

/// `NAME=VALUE` assignments as a map (a name given twice: the last value).
fn assignments<T: From<String>>(
    given: &[String],
    what: &str,
) -> Result<BTreeMap<String, T>, Failure> {
    given
        .iter()
        .map(|s| {
            let (name, value) = split_assignment(s, what)?;
            Ok((name.to_owned(), T::from(value.to_owned())))
        })
        .collect()
}

fn has_frame_number(pattern: &Path) -> bool {
    pattern
        .to_str()
        .is_some_and(|p| FramePattern::parse(p).has_number())
}

/// `isf render`: its arguments become one task (the type a job file's entries become),
/// run by the runner `isf batch` uses. Checking the arguments, progress, the summary line
/// and the cleanup report are this command's own business.
fn render(mut args: RenderArgs) -> Result<(), Failure> {
    render_gaps(&mut args)?;
    let task = render_task(&args)?;
    let runner = Runner::new(RunnerConfig {
        deadline: std::time::Duration::from_secs_f64(args.deadline.max(0.001)),
        backend: args.backend,
        ..Default::default()
    })
    .map_err(|e| engine_failure(&e, &args.shader))?;
    let options = RunOptions {
        reinit_every: args.reinit_every,
        keep_finished_frames: true,
        ..Default::default()
    };
    let sequence = task.frames.len() > 1;
    let progress = (sequence && !args.quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(task.frames.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} frames  {per_sec}  eta {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let interrupted = Arc::new(AtomicBool::new(false));
    let flag = interrupted.clone();
    if let Err(e) = ctrlc::set_handler(move || flag.store(true, Ordering::Relaxed)) {
        tracing::warn!("Ctrl-C will stop the render abruptly: {e}");
    }
    let started = Instant::now();
    let result = runner.run(&task, &options, &interrupted, &mut || {
        if let Some(bar) = &progress {
            bar.inc(1);
        }
    });
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    for w in &result.warnings {
        eprintln!("{w}");
    }
    let leak = args
        .debug_leak_texture
        .as_ref()
        .map(|label| runner.engine().debug_leak_texture(label));
    let (written, report) = runner.finish();
    let report_wanted = args.cleanup_report || args.json_report;
    if report_wanted {
        if args.json_report {
            println!("{}", report.to_json());
        } else {
            eprintln!("{report}");
        }
    }
    if interrupted.load(Ordering::Relaxed) {
        return Err(Failure {
            code: 130,
            message: match result.error {
                Some(e) => e,
                None => format!(
                    "interrupted: {} of {} frames written",
                    result.frames_written,
                    task.frames.len()
                ),
            },
        });
    }
    if let (Some(message), Some(kind)) = (result.error, result.kind) {
        return Err(Failure {
            code: kind.exit_code(),
            message,
        });
    }
    if let Some(Err(e)) = leak {
        return Err(engine_failure(&e, &args.shader));
    }
    written.map_err(|e| Failure {
        code: e.kind().exit_code(),
        message: format!("error: {e}"),
    })?;
    if report_wanted && !report.ok() {
        return Err(Failure {
            code: 3,
            message: "error: the cleanup report shows problems (see above)".into(),
        });
    }
    if sequence && !args.quiet {
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "{} frames in {:.2} s ({:.1} fps)",
            result.frames_written,
            secs,
            result.frames_written as f64 / secs
        );
    }
    Ok(())
}

/// The first video or image-sequence input (`--image`, in the order given), probed: where
/// the size, rate, length and sound come from when the arguments do not say.
fn footage(args: &RenderArgs) -> Result<Option<Footage>, Failure> {
    let fail = |e: Error| engine_failure(&e, &args.shader);
    let mut images = args.images.iter().filter_map(|s| s.split_once('='));
    let Some(first) = Footage::first(images.by_ref()).map_err(fail)? else {
        return Ok(None);
    };
    // The first video decides the rate; another at a different rate is said once.
    while let Some(other) = Footage::first(images.by_ref()).map_err(fail)? {
        if let (Some(a), Some(b)) = (first.fps(), other.fps()) {
            if (a - b).abs() > 1e-6 && args.fps.is_none() {
                eprintln!(
                    "warning: {} runs at {b} fps and {} at {a} fps: the render runs at {a} fps (the first decides; --fps sets it)",
                    other.spec.name(),
                    first.spec.name()
                );
            }
        }
    }
    Ok(Some(first))
}

/// The task `isf render`'s (checked) arguments describe.
fn render_task(args: &RenderArgs) -> Result<Task, Failure> {
    let footage = footage(args)?;
    let fps = args
        .fps
        .or_else(|| footage.as_ref().and_then(Footage::fps))
        .unwrap_or(30.0);
    if fps <= 0.0 || !fps.is_finite() {
        return Err(Failure::usage("error: --fps must be a positive number"));
    }
    let frame_count = args
        .frames
        .or_else(|| footage.as_ref().map(|f| f.frames_at(fps)))
        .unwrap_or(1);
    if frame_count == 0 {
        return Err(Failure::usage("error: --frames must be at least 1"));
    }
    let max_frames = isfkit_batch::limits::MAX_FRAMES;
    if frame_count > max_frames {
        return Err(Failure::usage(format!(
            "error: --frames {frame_count} is over the limit of {max_frames}"
        )));
    }
    if let Some(f) = &footage {
        let render_seconds = frame_count as f64 / fps;
        let clip_seconds = f.seconds(fps);
        if args.frames.is_some() && render_seconds > clip_seconds + 1e-6 {
            let rule = match f.spec.options.past_end {
                PastEnd::Hold => "its last frame is held",
                PastEnd::Loop => "it loops",
                PastEnd::Black => "the input is transparent black",
            };
            eprintln!(
                "note: {} lasts {clip_seconds:.3} s of the {render_seconds:.3} s rendered; past its end {rule}",
                f.spec.name()
            );
        }
    }
    if let Err(m) = isfkit_batch::limits::check_frame_pattern(&args.output.to_string_lossy()) {
        return Err(Failure::usage(format!("error: --output: {m}")));
    }
    if let Some(Err(e)) = args.date.as_deref().map(isfkit_render::parse_date) {
        return Err(Failure::usage(format!("error: --date: {e}")));
    }
    let bits: u8 = match args.bits.as_deref() {
        Some("16") => 16,
        Some(_) => 8,
        None if args.float => 16,
        None => 8,
    };
    let output = Output::for_path(&args.output, args.quality, bits).ok_or_else(|| {
        Failure::usage(format!(
            "error: output {} must end in .png, .jpg, .webp, .exr, .gif, .mp4, .webm, .mkv or .wav",
            args.output.display()
        ))
    })?;
    if matches!(output, Output::Wav { .. }) && args.frames.is_none() && footage.is_none() {
        return Err(Failure::usage(format!(
            "error: a .wav output is as long as --frames at --fps: give --frames (for example --frames 300 --fps 30 for 10 s) to {}",
            args.output.display()
        )));
    }
    let sequence = frame_count > 1;
    if sequence && matches!(output, Output::Stills { .. }) && !has_frame_number(&args.output) {
        return Err(Failure::usage(format!(
            "error: with --frames, the output must hold a frame number pattern like out_%04d.png (got {})",
            args.output.display()
        )));
    }
    if let Some(parent) = args.output.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            return Err(Failure::usage(format!(
                "error: output folder {} does not exist",
                parent.display()
            )));
        }
    }
    let frames = (0..frame_count)
        .map(|i| FrameAt {
            number: i,
            time: if args.times.len() > 1 {
                args.times[i as usize]
            } else {
                args.time + i as f64 / fps
            },
        })
        .collect();
    let (width, height) = args
        .size
        .or_else(|| footage.as_ref().map(|f| (f.info.width, f.info.height)))
        .unwrap_or((640, 360));
    let (inputs, keys) = isfkit_batch::keys::split_sets(
        &pairs(&args.sets, "--set")?,
        &pairs(&args.eases, "--ease")?,
    )
    .map_err(|m| Failure::usage(format!("error: {m}")))?;
    // The footage's own sound, for a video output that no --audio gives one.
    let sound = footage.as_ref().and_then(|f| match &f.spec.source {
        ClipSource::Video(path) if f.info.has_audio => Some(path.clone()),
        _ => None,
    });
    Ok(Task {
        start: args.time,
        date: args.date.clone(),
        frames,
        inputs,
        keys,
        images: assignments(&args.images, "--image")?,
        audio: assignments(&args.audio, "--audio")?,
        sound,
        mute: args.no_audio,
        float: args.float,
        // The frames start at 0: no lead-in to render, so no need to know it is stateful.
        source: args.stdin_source.clone(),
        ..Task::new(args.shader.clone(), (width, height), fps, 0, output)
    })
}

/// What `isf render` takes as isf-shader-renderer's CLI does: the shader from
/// standard input (`-`), several `--time`s (one numbered output each), `--quality`.
/// Checks them and rewrites `args` so the render below needs no special case.
fn render_gaps(args: &mut RenderArgs) -> Result<(), Failure> {
    if let Some(t) = args.times.iter().find(|t| !t.is_finite()) {
        return Err(Failure::usage(format!(
            "error: --time {t} is not a finite number of seconds"
        )));
    }
    args.time = args.times.first().copied().unwrap_or(0.0);
    if args.times.len() > 1 {
        if args.frames.is_some_and(|f| f > 1) {
            return Err(Failure::usage(
                "error: --time given several times renders one frame per time; it cannot be combined with --frames",
            ));
        }
        let sound = args
            .output
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("wav"));
        if isfkit_output::VideoFormat::from_path(&args.output).is_some() || sound {
            return Err(Failure::usage(
                "error: several --time values write numbered images, not a video or a sound",
            ));
        }
        args.frames = Some(args.times.len() as u64);
        if !has_frame_number(&args.output) {
            // out.png -> out_%04d.png, as batch numbers a `times` list.
            let stem = args
                .output
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let ext = args
                .output
                .extension()
                .map(|e| format!(".{}", e.to_string_lossy()))
                .unwrap_or_default();
            args.output = args.output.with_file_name(format!("{stem}_%04d{ext}"));
        }
    }
    if args.quality.is_some()
        && !matches!(
            ImageFormat::from_path(&args.output),
            Some(ImageFormat::Jpeg { .. })
        )
    {
        return Err(Failure::usage(format!(
            "error: --quality applies to JPEG output (.jpg, .jpeg), not {}",
            args.output.display()
        )));
    }
    if args.shader == Path::new("-") {
        args.stdin_source = Some(read_stdin_shader()?);
        args.shader = PathBuf::from("<stdin>");
    }
    Ok(())
}

/// The shader on standard input (`-`): at most the shader file limit, text.
pub(crate) fn read_stdin_shader() -> Result<String, Failure> {
    use isfkit_format::limits::MAX_SHADER_BYTES;
    use std::io::Read;
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(MAX_SHADER_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            Failure::usage(format!(
                "error: cannot read the shader from standard input: {e}"
            ))
        })?;
    if bytes.len() as u64 > MAX_SHADER_BYTES {
        return Err(Failure::usage(
            "error: the shader on standard input is larger than the shader file limit of 1 MiB"
                .to_owned(),
        ));
    }
    isfkit_render::format::decode_glsl(&bytes).map_err(|d| {
        Failure::usage(format!(
            "error: the shader on standard input is not text: line {}, column {}: {}",
            d.line, d.column, d.message
        ))
    })
}

fn finding_json(f: &Finding) -> serde_json::Value {
    let (line, column, message, stage, _) = f.fields();
    let position = |n: u32| (f.stage != "limits").then_some(n);
    let mut v = json!({ "line": position(line), "column": position(column), "message": message, "stage": stage });
    // The pass of a Shadertoy JSON file the line counts in.
    if let Some(place) = &f.diagnostic.place {
        v["place"] = json!(place);
    }
    v
}

/// `isf validate`: the validation report (parse, translate, compile; with `--limits` the
/// adapter's limits too), as compiler-style lines or JSON. A file that cannot be read is the
/// user's file error (exit 2), not a report.
fn validate(args: ValidateArgs) -> Result<(), Failure> {
    let fs = args.shader.display().to_string();
    let loaded = match Program::load(&args.shader) {
        Err(e) if Validation::unreadable(&e) => {
            return Err(engine_failure(&Error::from(e), &args.shader))
        }
        loaded => loaded,
    };
    let mut report = Validation::of(loaded);
    let mut adapter = None;
    if let (true, Some(program)) = (args.limits, &report.program) {
        let limits = isfkit_render::AdapterLimits::probe(args.backend).map_err(|e| Failure {
            code: e.kind().exit_code(),
            message: format!("error: --limits: {e}"),
        })?;
        let problems = limits.check(program, args.size, &isfkit_media::image_dimensions);
        report.add_limit_problems(problems);
        adapter = Some(limits.adapter);
    }
    if args.json {
        let errors: Vec<_> = report.errors.iter().map(finding_json).collect();
        let warnings: Vec<_> = report.warnings.iter().map(finding_json).collect();
        let mut v = json!({ "valid": report.valid(), "errors": errors, "warnings": warnings });
        if let (false, Some(a)) = (report.valid(), &adapter) {
            v["adapter"] = json!(a);
        }
        println!("{v}");
    } else if let Some(e) = &report.error {
        eprintln!("{}", e.render_at(&args.shader));
    } else {
        for f in &report.errors {
            eprintln!(
                "{fs}: error: {} (adapter: {})",
                f.diagnostic.message,
                adapter.as_deref().unwrap_or("")
            );
        }
        if report.valid() {
            for w in &report.warnings {
                eprintln!("{}", w.diagnostic.render(&fs));
            }
            println!("{fs}: valid");
        }
    }
    if report.valid() {
        Ok(())
    } else {
        Err(Failure {
            code: ErrorKind::InvalidShader.exit_code(),
            message: String::new(),
        })
    }
}

fn info(args: InfoArgs) -> Result<(), Failure> {
    let fs = args.shader.display().to_string();
    let doc = IsfDocument::parse_file(&args.shader).map_err(|e| {
        unreadable(&e).unwrap_or_else(|| Failure {
            code: 1,
            message: e.diagnostic.render(&fs),
        })
    })?;
    let mut value = serde_json::to_value(&doc).map_err(|e| Failure {
        code: 1,
        message: format!("error: {e}"),
    })?;
    if let Some(obj) = value.as_object_mut() {
        obj.insert("path".into(), json!(fs));
        let vs = isfkit_render::vertex_shader_path(&args.shader).map(|p| p.display().to_string());
        obj.insert("vertexShader".into(), json!(vs));
        let warnings: Vec<String> = doc.warnings.iter().map(|w| w.to_string()).collect();
        obj.insert("warnings".into(), json!(warnings));
        // The dialect the file was converted from (null for ISF).
        obj.insert("dialect".into(), json!(doc.origin.dialect));
        // A Shadertoy Sound pass: its sound goes into a video or a .wav.
        obj.insert("soundPass".into(), json!(doc.sound.is_some()));
    }
    println!(
        "{}",
        serde_json::to_string_pretty(&value).unwrap_or_default()
    );
    Ok(())
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
                tracing_subscriber::EnvFilter::new(default_log_filter(cli.verbose))
            }),
        )
        .with_writer(std::io::stderr)
        // Colours only on a terminal: a log read from a file or a pipe stays plain text.
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    quiet_when_stdout_closes();
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| dispatch(cli.command))) {
        Ok(code) => code,
        // The reader of standard output went away (`isf info x.fs | head -1`): stop as a
        // Unix tool does, with the status of a process ended by SIGPIPE, after the unwinding
        // has run every cleanup on the way.
        Err(payload) if stdout_closed(payload.as_ref()) => exit_code(STDOUT_CLOSED),
        Err(payload) => std::panic::resume_unwind(payload),
    }
}

/// The exit status when standard output was closed under the command: 128 + SIGPIPE, what a
/// shell reports for a tool the signal ended. isfkit does not die of the signal itself (Rust
/// ignores it, so a closed ffmpeg pipe is an error to report, not a silent death).
const STDOUT_CLOSED: u8 = 141;

/// Whether a panic is `print!`'s on a closed standard output.
fn stdout_closed(payload: &(dyn std::any::Any + Send)) -> bool {
    let message = payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or_default();
    message.starts_with("failed printing to stdout") && message.contains("Broken pipe")
}

/// Keeps the panic report of a closed standard output off stderr (the reader left on
/// purpose; there is nothing to report). Every other panic is reported as before.
fn quiet_when_stdout_closes() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !stdout_closed(info.payload()) {
            report(info);
        }
    }));
}

fn dispatch(command: Command) -> ExitCode {
    let result = match command {
        Command::Batch(a) => return batch::run(a),
        Command::Preview(a) => return preview::run(a),
        Command::Render(a) => render(a),
        Command::Validate(a) => validate(a),
        Command::Info(a) => info(a),
        Command::Convert(a) => convert::run(a),
        Command::Bench(a) => bench::run(a).map_err(|e| Failure {
            code: 1,
            message: format!("error: {e}"),
        }),
        Command::Doctor(a) => doctor::run(a),
        Command::Serve(a) => serve::serve(a),
        Command::Mcp(a) => serve::mcp(a),
        Command::ServeWorker(a) => serve::worker(a),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            clap_complete::generate(shell, &mut Cli::command(), "isf", &mut std::io::stdout());
            Ok(())
        }
    };
    match result {
        Ok(()) => exit_code(0),
        Err(f) => {
            if !f.message.is_empty() {
                eprintln!("{}", f.message);
            }
            exit_code(f.code)
        }
    }
}

/// The process's exit code. While a device given up on after a deadline still runs its
/// work, the process ends here at once (`_exit`, after flushing stdout and stderr) instead:
/// the C library's exit handlers would tear down Mesa's LLVM under a driver thread still
/// compiling that work, which crashes (see `isfkit_render::abandoned_work_running`).
#[allow(unsafe_code)]
pub(crate) fn exit_code(code: u8) -> ExitCode {
    if isfkit_render::abandoned_work_running() {
        use std::io::Write;
        let _ = std::io::stdout().flush();
        let _ = std::io::stderr().flush();
        // SAFETY: `_exit` ends the process without running exit handlers or destructors;
        // everything this process must write is written (frames are flushed and renamed
        // before the report, stdout and stderr just above).
        unsafe { libc::_exit(i32::from(code)) }
    }
    ExitCode::from(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("64x32"), Ok((64, 32)));
        assert!(parse_size("64").is_err());
    }
}
