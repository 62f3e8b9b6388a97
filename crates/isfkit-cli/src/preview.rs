//! `isf preview`: the live preview window (the isfkit-preview crate does the work).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use isfkit_batch::parse_size;
use isfkit_render::Backend;

#[derive(Args)]
pub struct PreviewArgs {
    /// The ISF fragment shader (.fs); a .vs/.vert next to it is used as the vertex shader.
    /// The file, its .vs and its IMPORTED images are watched and reloaded on save.
    shader: PathBuf,
    /// Render size, shown letterboxed (default: the size of the picture area).
    #[arg(long, value_parser = parse_size)]
    size: Option<(u32, u32)>,
    /// Set an input: NAME=VALUE (0.5, true, 3, a long's label, 0.2,0.8, 1,0,0,1), or a key of
    /// a moving value: NAME@SECONDS=VALUE (as `isf render --set`). Moving a control takes a
    /// keyed input over; its "keys" button gives it back to the keys.
    #[arg(long = "set", value_name = "NAME=VALUE")]
    sets: Vec<String>,
    /// How a keyed input moves between its keys: NAME=CURVE (linear, ease-in, ease-out,
    /// ease-in-out).
    #[arg(long = "ease", value_name = "NAME=CURVE")]
    eases: Vec<String>,
    /// Set an image input: NAME=PATH, an image, a video or an image sequence (as `isf render
    /// --image`); videos and sequences play with the preview's clock.
    #[arg(long = "image", value_name = "NAME=PATH")]
    images: Vec<String>,
    /// Set an audio/audioFFT input from a sound file (WAV, or anything ffmpeg decodes):
    /// NAME=FILE. It follows the frame's time.
    #[arg(long = "audio", value_name = "NAME=FILE")]
    audio: Vec<String>,
    /// Frames per second: the most the window renders, and the rate of recordings (which
    /// advance time by 1/F per frame, as `isf render --frames` does).
    #[arg(long, default_value_t = 60.0)]
    fps: f64,
    /// Start paused (Space plays).
    #[arg(long)]
    paused: bool,
    /// Shader time of the first frame, in seconds (with --paused, the frame
    /// `isf render --time T` renders).
    #[arg(long, default_value_t = 0.0)]
    time: f64,
    /// Window size in pixels, controls included.
    #[arg(long, default_value = "1280x720", value_parser = parse_size)]
    window: (u32, u32),
    /// Folder for snapshots (S) and recordings (R).
    #[arg(long, default_value = ".")]
    output_dir: PathBuf,
    /// Graphics backend of the engine.
    #[arg(long, default_value = "auto", value_parser = crate::parse_backend)]
    backend: Backend,
    /// Print the cleanup report when the window closes; exit 3 if it shows a leak.
    #[arg(long)]
    cleanup_report: bool,
    /// Print the cleanup report as JSON (implies --cleanup-report).
    #[arg(long)]
    json_report: bool,
}

pub fn run(a: PreviewArgs) -> ExitCode {
    let parsed = (|| {
        let (sets, keys) = isfkit_batch::keys::split_sets(
            &crate::pairs(&a.sets, "--set")?,
            &crate::pairs(&a.eases, "--ease")?,
        )
        .map_err(|m| crate::Failure::usage(format!("error: {m}")))?;
        Ok::<_, crate::Failure>((
            sets.into_iter().collect::<Vec<_>>(),
            keys,
            crate::pairs(&a.images, "--image")?,
            crate::pairs(&a.audio, "--audio")?,
        ))
    })();
    let (sets, keys, images, audio) = match parsed {
        Ok(p) => p,
        Err(f) => {
            eprintln!("{}", f.message);
            return ExitCode::from(f.code);
        }
    };
    let args = isfkit_preview::PreviewArgs {
        shader: a.shader,
        size: a.size,
        sets,
        keys,
        images,
        audio,
        fps: a.fps,
        paused: a.paused,
        time: a.time,
        backend: a.backend,
        window_size: a.window,
        output_dir: a.output_dir,
        cleanup_report: a.cleanup_report,
        json_report: a.json_report,
    };
    let report_wanted = args.cleanup_report || args.json_report;
    match isfkit_preview::run(args) {
        Ok(report) if report_wanted && !report.ok() => {
            eprintln!("error: the cleanup report shows problems (see above)");
            ExitCode::from(3)
        }
        Ok(_) => ExitCode::SUCCESS,
        Err(f) => {
            if !f.message.is_empty() {
                eprintln!("{}", f.message);
            }
            ExitCode::from(f.kind.exit_code())
        }
    }
}
