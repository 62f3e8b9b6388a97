//! `isf`: render, validate and inspect ISF shaders.
//!
//! Exit codes: 0 success; 1 the shader is invalid or the render failed; 2 usage or I/O
//! error (bad arguments, missing files, bad input values); 3 the cleanup report found a leak.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};
use isfkit_batch::parse_size;
use isfkit_output::{EncoderPool, ImageFormat, OutputError, PipelineError, PngCompression};
use isfkit_render::format::{Diagnostic, FormatError, FormatErrorKind, IsfDocument};
use isfkit_render::{
    AudioData, Backend, Engine, EngineConfig, Error, LoadError, Program, RenderOptions,
};
use serde_json::json;

mod batch;
mod bench;
mod doctor;

#[derive(Parser)]
#[command(
    name = "isf",
    version,
    about = "Render, validate and inspect ISF shaders (headless, on wgpu)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Render a shader to PNG (one frame, or a numbered sequence with --frames).
    Render(RenderArgs),
    /// Parse, translate and compile a shader without rendering; exit 0 if valid, 1 if not.
    Validate(ValidateArgs),
    /// Print the shader's document (inputs, passes, kind) as JSON.
    Info(InfoArgs),
    /// Render a job file: many shaders and frames, resumable, surviving bad shaders.
    Batch(batch::BatchArgs),
    /// Measure the engine: `isf bench` (pipeline), `lifecycle`, `bindgroups`, `concurrency`,
    /// `engines`.
    Bench(bench::BenchArgs),
    /// Check what isfkit finds here: adapters, a test render, ffmpeg, display, Python.
    Doctor(doctor::DoctorArgs),
    /// Print a shell completion script: `isf completions bash > /etc/bash_completion.d/isf`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Args)]
struct RenderArgs {
    /// The ISF fragment shader (.fs); a .vs/.vert next to it is used as the vertex shader.
    shader: PathBuf,
    /// Output PNG; with --frames, a pattern holding the frame number, e.g. out_%04d.png.
    #[arg(short, long)]
    output: PathBuf,
    /// Render size.
    #[arg(long, default_value = "640x360", value_parser = parse_size)]
    size: (u32, u32),
    /// Time of the (first) frame, in seconds.
    #[arg(long, default_value_t = 0.0)]
    time: f64,
    /// DATE of the (first) frame: YYYY-MM-DDTHH:MM:SS (later frames add their time since the
    /// first). Default: the wall clock as each frame renders.
    #[arg(long, value_name = "YYYY-MM-DDTHH:MM:SS")]
    date: Option<String>,
    /// Number of frames to render.
    #[arg(long, default_value_t = 1)]
    frames: u64,
    /// Frames per second of a sequence (time advances 1/fps per frame).
    #[arg(long, default_value_t = 30.0)]
    fps: f64,
    /// Set an input: NAME=VALUE (0.5, true, 3, a long's label, 0.2,0.8, 1,0,0,1).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    sets: Vec<String>,
    /// Set an image input from a PNG/JPEG file: NAME=PATH.
    #[arg(long = "image", value_name = "NAME=PATH")]
    images: Vec<String>,
    /// Set an audio/audioFFT input from a WAV file: NAME=FILE.wav.
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
    /// Seconds a frame may take on the GPU before it is abandoned.
    #[arg(long, default_value_t = 10.0, value_parser = parse_seconds)]
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
struct Failure {
    code: u8,
    message: String,
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

/// Maps an engine error to a message (compiler-style for shader errors; the text batch
/// reports too) and an exit code: 2 for what the user gave wrong or could not be read, 1 for
/// an invalid shader or a failed render.
fn engine_failure(e: Error, shader: &Path) -> Failure {
    let message = isfkit_batch::engine_error_message(&e, shader);
    let usage = match &e {
        Error::Format(f) => f.kind == FormatErrorKind::Unreadable,
        Error::UnknownInput { .. }
        | Error::InputType { .. }
        | Error::Image { .. }
        | Error::Size { .. }
        | Error::Io { .. } => true,
        _ => false,
    };
    Failure {
        code: if usage { 2 } else { 1 },
        message,
    }
}

/// Maps an error of writing frames to a message and an exit code: a submit to a stopped
/// encoder pool is an internal failure (1); a file that cannot be written is an I/O error (2).
fn output_failure(e: OutputError) -> Failure {
    match e {
        e @ OutputError::Stopped => Failure {
            code: 1,
            message: format!("error: {e}"),
        },
        e => Failure::usage(format!("error: {e}")),
    }
}

/// Maps a pipelined render's error by its type: engine errors as [`engine_failure`], output
/// errors as [`output_failure`].
fn pipeline_failure(e: PipelineError, shader: &Path) -> Failure {
    match e {
        PipelineError::Engine(e) => engine_failure(e, shader),
        PipelineError::Output(e) => output_failure(e),
    }
}

fn split_assignment<'a>(s: &'a str, what: &str) -> Result<(&'a str, &'a str), Failure> {
    s.split_once('=')
        .ok_or_else(|| Failure::usage(format!("error: {what} \"{s}\" is not NAME=VALUE")))
}

/// Replaces a printf-style `%d` / `%0Nd` in `pattern` with `n`.
fn frame_path(pattern: &Path, n: u64) -> Option<PathBuf> {
    let s = pattern.to_str()?;
    let start = s.find('%')?;
    let rest = &s[start + 1..];
    let end = rest.find('d')?;
    let spec = &rest[..end];
    let width: usize = if spec.is_empty() {
        0
    } else {
        spec.trim_start_matches('0').parse().ok()?
    };
    Some(PathBuf::from(format!(
        "{}{:0width$}{}",
        &s[..start],
        n,
        &rest[end + 1..]
    )))
}

fn read_wav(path: &Path) -> Result<AudioData, Failure> {
    let reader = hound::WavReader::open(path)
        .map_err(|e| Failure::usage(format!("error: cannot read WAV {}: {e}", path.display())))?;
    let spec = reader.spec();
    let channels = spec.channels.max(1) as usize;
    let samples: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => reader.into_samples::<f32>().collect::<Result<_, _>>(),
        hound::SampleFormat::Int => {
            let scale = (1i64 << (spec.bits_per_sample - 1)) as f32;
            reader
                .into_samples::<i32>()
                .map(|s| s.map(|v| v as f32 / scale))
                .collect()
        }
    }
    .map_err(|e| Failure::usage(format!("error: cannot read WAV {}: {e}", path.display())))?;
    let mut out = vec![Vec::with_capacity(samples.len() / channels); channels];
    for (i, s) in samples.into_iter().enumerate() {
        out[i % channels].push(s);
    }
    Ok(AudioData { channels: out })
}

fn render(args: RenderArgs) -> Result<(), Failure> {
    let (width, height) = args.size;
    if args.frames == 0 {
        return Err(Failure::usage("error: --frames must be at least 1"));
    }
    if args.fps <= 0.0 || !args.fps.is_finite() {
        return Err(Failure::usage("error: --fps must be a positive number"));
    }
    let sequence = args.frames > 1;
    // Checked before the engine starts: a bad date is a usage error.
    args.date
        .as_deref()
        .map(isfkit_render::parse_date)
        .transpose()
        .map_err(|e| Failure::usage(format!("error: --date: {e}")))?;
    if ImageFormat::from_path(&args.output).is_none() {
        return Err(Failure::usage(format!(
            "error: output {} must end in .png, .jpg, .webp or .exr (use `isf batch` for video and GIF)",
            args.output.display()
        )));
    }
    if sequence && frame_path(&args.output, 0).is_none() {
        return Err(Failure::usage(format!(
            "error: with --frames, the output must hold a frame number pattern like out_%04d.png (got {})",
            args.output.display()
        )));
    }
    let bits: u8 = match args.bits.as_deref() {
        Some("16") => 16,
        Some(_) => 8,
        None if args.float => 16,
        None => 8,
    };
    let engine = Engine::new(EngineConfig {
        backend: args.backend,
        deadline: std::time::Duration::from_secs_f64(args.deadline.max(0.001)),
        ..Default::default()
    })
    .map_err(|e| Failure {
        code: 1,
        message: format!("error: {e}"),
    })?;
    let result = render_with(&engine, &args, width, height, bits, sequence);
    if let Some(label) = &args.debug_leak_texture {
        engine
            .debug_leak_texture(label)
            .map_err(|e| engine_failure(e, &args.shader))?;
    }
    let report = engine.shutdown();
    let report_wanted = args.cleanup_report || args.json_report;
    if report_wanted {
        if args.json_report {
            println!("{}", report.to_json());
        } else {
            eprintln!("{report}");
        }
    }
    result?;
    if report_wanted && !report.ok() {
        return Err(Failure {
            code: 3,
            message: "error: the cleanup report shows problems (see above)".into(),
        });
    }
    Ok(())
}

fn render_with(
    engine: &Engine,
    args: &RenderArgs,
    width: u32,
    height: u32,
    bits: u8,
    sequence: bool,
) -> Result<(), Failure> {
    let scene = engine
        .load(&args.shader)
        .map_err(|e| engine_failure(e, &args.shader))?;
    for w in &scene.document().warnings {
        eprintln!("{}", w.render(&args.shader.display().to_string()));
    }
    for s in &args.sets {
        let (name, value) = split_assignment(s, "--set")?;
        scene
            .set_text(name, value)
            .map_err(|e| engine_failure(e, &args.shader))?;
    }
    for s in &args.images {
        let (name, path) = split_assignment(s, "--image")?;
        scene
            .set_image_file(name, Path::new(path))
            .map_err(|e| engine_failure(e, &args.shader))?;
    }
    for s in &args.audio {
        let (name, path) = split_assignment(s, "--audio")?;
        let audio = read_wav(Path::new(path))?;
        scene
            .set_audio(name, audio)
            .map_err(|e| engine_failure(e, &args.shader))?;
    }
    if let Some(parent) = args.output.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            return Err(Failure::usage(format!(
                "error: output folder {} does not exist",
                parent.display()
            )));
        }
    }
    let progress = if sequence && !args.quiet && std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(args.frames);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} frames  {per_sec}  eta {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(bar)
    } else {
        None
    };
    let started = Instant::now();
    // Frames are pipelined (the GPU renders ahead while earlier frames are read back and
    // encoded on all cores); a re-initialisation splits the run into segments.
    let encoders = EncoderPool::new(0, 6);
    engine
        .register_participant(encoders.participant(std::time::Duration::from_secs(60)))
        .map_err(|e| Failure {
            code: 1,
            message: format!("error: {e}"),
        })?;
    // The extension picks the format (png, jpg, webp, exr); checked before the engine started.
    let format = match ImageFormat::from_path(&args.output) {
        Some(ImageFormat::Png { .. }) | None => ImageFormat::Png {
            bits,
            compression: PngCompression::Fast,
        },
        Some(other) => other,
    };
    let date = args
        .date
        .as_deref()
        .map(isfkit_render::parse_date)
        .transpose()
        .map_err(|e| Failure::usage(format!("error: --date: {e}")))?;
    let segment = args.reinit_every.filter(|&n| n > 0).unwrap_or(args.frames);
    let mut start = 0;
    while start < args.frames {
        if start > 0 {
            engine.reinitialize().map_err(|e| Failure {
                code: 1,
                message: format!("error: re-initialisation failed: {e}"),
            })?;
        }
        let end = (start + segment).min(args.frames);
        let opts = (start..end).map(|i| {
            let mut o = RenderOptions::new(width, height, args.time + i as f64 / args.fps);
            o.float_output = args.float;
            o.date = date.map(|d| isfkit_render::date_uniform(d, i as f64 / args.fps));
            o
        });
        engine
            .render_pipelined(&scene, opts, 3, |k, frame| {
                let i = start + k;
                // A pattern is numbered even for a single frame.
                let path = frame_path(&args.output, i).unwrap_or_else(|| args.output.clone());
                if let Some(bar) = &progress {
                    bar.inc(1);
                }
                encoders.submit(frame, path, format)?;
                Ok(())
            })
            .map_err(|e: PipelineError| pipeline_failure(e, &args.shader))?;
        start = end;
    }
    encoders.finish().map_err(output_failure)?;
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    if sequence && !args.quiet {
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "{} frames in {:.2} s ({:.1} fps)",
            args.frames,
            secs,
            args.frames as f64 / secs
        );
    }
    Ok(())
}

fn diag_json(d: &Diagnostic, stage: &str) -> serde_json::Value {
    json!({ "line": d.line, "column": d.column, "message": d.message, "stage": stage })
}

fn validate(args: ValidateArgs) -> Result<(), Failure> {
    let fs = args.shader.display().to_string();
    let failed = || Failure {
        code: 1,
        message: String::new(),
    };
    let header_warnings =
        |warnings: &[isfkit_render::format::Diagnostic]| -> Vec<serde_json::Value> {
            warnings.iter().map(|w| diag_json(w, "header")).collect()
        };
    match Program::load(&args.shader) {
        Ok(program) => {
            let warnings = header_warnings(&program.doc.warnings);
            if args.limits {
                let limits =
                    isfkit_render::AdapterLimits::probe(args.backend).map_err(|e| Failure {
                        code: 1,
                        message: format!("error: --limits: {e}"),
                    })?;
                let problems = limits.check(&program, args.size);
                if !problems.is_empty() {
                    if args.json {
                        let errors: Vec<serde_json::Value> = problems
                            .iter()
                            .map(|m| json!({ "line": null, "column": null, "message": m, "stage": "limits" }))
                            .collect();
                        println!(
                            "{}",
                            json!({ "valid": false, "errors": errors, "warnings": warnings, "adapter": limits.adapter })
                        );
                    } else {
                        for m in &problems {
                            eprintln!("{fs}: error: {m} (adapter: {})", limits.adapter);
                        }
                    }
                    return Err(failed());
                }
            }
            if args.json {
                println!(
                    "{}",
                    json!({ "valid": true, "errors": [], "warnings": warnings })
                );
            } else {
                for w in &program.doc.warnings {
                    eprintln!("{}", w.render(&fs));
                }
                println!("{fs}: valid");
            }
            Ok(())
        }
        Err(LoadError::Format(e)) => {
            if let Some(f) = unreadable(&e) {
                return Err(f);
            }
            if args.json {
                println!(
                    "{}",
                    json!({ "valid": false, "errors": [diag_json(&e.diagnostic, "header")], "warnings": [] })
                );
            } else {
                eprintln!("{}", e.diagnostic.render(&fs));
            }
            Err(failed())
        }
        Err(LoadError::ReadVertex { path, source }) => Err(Failure::usage(format!(
            "error: cannot read {}: {source}",
            path.display()
        ))),
        Err(LoadError::Compile {
            error,
            fragment,
            vertex,
            warnings,
        }) => {
            if args.json {
                let errors: Vec<serde_json::Value> = error
                    .diagnostics
                    .iter()
                    .map(|d| diag_json(&d.diagnostic, &d.stage.to_string()))
                    .collect();
                println!(
                    "{}",
                    json!({ "valid": false, "errors": errors, "warnings": header_warnings(&warnings) })
                );
            } else {
                eprintln!("{}", error.render(&fragment, &vertex));
            }
            Err(failed())
        }
        Err(e) => Err(Failure {
            code: 1,
            message: format!("error: {e}"),
        }),
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
    }
    println!(
        "{}",
        serde_json::to_string_pretty(&value).unwrap_or_default()
    );
    Ok(())
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Batch(a) => return batch::run(a),
        Command::Render(a) => render(a),
        Command::Validate(a) => validate(a),
        Command::Info(a) => info(a),
        Command::Bench(a) => bench::run(a).map_err(|e| Failure {
            code: 1,
            message: format!("error: {e}"),
        }),
        Command::Doctor(a) => doctor::run(a),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            clap_complete::generate(shell, &mut Cli::command(), "isf", &mut std::io::stdout());
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            if !f.message.is_empty() {
                eprintln!("{}", f.message);
            }
            ExitCode::from(f.code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_patterns() {
        assert_eq!(
            frame_path(Path::new("out_%04d.png"), 7),
            Some(PathBuf::from("out_0007.png"))
        );
        assert_eq!(
            frame_path(Path::new("f%d.png"), 12),
            Some(PathBuf::from("f12.png"))
        );
        assert_eq!(frame_path(Path::new("plain.png"), 1), None);
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("64x32"), Ok((64, 32)));
        assert!(parse_size("64").is_err());
    }
}
