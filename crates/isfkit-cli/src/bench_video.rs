//! `isf bench video`: a filter over a clip against the same render fed one still image (the
//! cost of decoding video inputs, target at most 1.15x), and the peak memory of a render of a
//! long clip against a short one (no clip is held in memory). Footage is made with ffmpeg's
//! `testsrc2` in a temporary folder.

use std::path::Path;
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use isfkit_batch::{Output, RunOptions, Runner, RunnerConfig, StillFormat, Task};
use serde_json::json;

/// An invert filter: the least work a filter does, so decoding shows.
const FILTER: &str = "/*{ \"ISFVSN\": \"2\", \"INPUTS\": [ { \"NAME\": \"inputImage\", \"TYPE\": \"image\" } ] }*/\nvoid main() { vec4 c = IMG_THIS_PIXEL(inputImage); gl_FragColor = vec4(1.0 - c.rgb, c.a); }\n";

fn ffmpeg(dir: &Path, args: &[&str]) -> anyhow::Result<()> {
    let o = Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-y"])
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| anyhow::anyhow!("video bench needs ffmpeg: {e}"))?;
    anyhow::ensure!(
        o.status.success(),
        "ffmpeg: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    Ok(())
}

/// `seconds` of `testsrc2` at 30 fps, `w`x`h`, as H.264.
fn clip(dir: &Path, name: &str, (w, h): (u32, u32), seconds: u32) -> anyhow::Result<()> {
    let src = format!("testsrc2=size={w}x{h}:rate=30:duration={seconds}");
    ffmpeg(
        dir,
        &[
            "-f",
            "lavfi",
            "-i",
            &src,
            "-pix_fmt",
            "yuv420p",
            "-preset",
            "ultrafast",
            name,
        ],
    )
}

fn task(dir: &Path, image: &Path, size: (u32, u32), frames: u64, out: &str) -> Task {
    let output = Output::Stills {
        template: dir.join(out).display().to_string(),
        format: StillFormat::Png { bits: 8 },
    };
    Task {
        images: [("inputImage".to_owned(), image.to_owned())].into(),
        ..Task::new(dir.join("filter.fs"), size, 30.0, frames, output)
    }
}

/// The peak RSS of `isf render` of `clip` (a child process; wait4's own count), in KiB.
#[allow(unsafe_code)]
fn child_peak_kib(dir: &Path, clip: &str) -> anyhow::Result<(u64, f64)> {
    let exe = std::env::current_exe()?;
    let started = Instant::now();
    let child = Command::new(exe)
        .args(["render", "filter.fs", "--image"])
        .arg(format!("inputImage={clip}"))
        .args(["-o", "rss.mp4", "-q"])
        .current_dir(dir)
        .spawn()?;
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, not waited for elsewhere; the pointers are to locals.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    anyhow::ensure!(r == pid, "waiting for the render failed");
    anyhow::ensure!(status == 0, "the render of {clip} failed ({status})");
    Ok((usage.ru_maxrss as u64, started.elapsed().as_secs_f64()))
}

pub fn run(size: Option<(u32, u32)>, frames: Option<u64>, json_out: bool) -> anyhow::Result<()> {
    let size = size.unwrap_or((1920, 1080));
    let frames = frames.unwrap_or(60).max(2);
    let tmp = tempfile::Builder::new()
        .prefix("isf-bench-video-")
        .tempdir()?;
    let dir = tmp.path();
    std::fs::write(dir.join("filter.fs"), FILTER)?;
    let seconds = frames.div_ceil(30) as u32 + 1;
    clip(dir, "clip.mp4", size, seconds)?;
    ffmpeg(dir, &["-i", "clip.mp4", "-frames:v", "1", "still.png"])?;
    let runner = Runner::new(RunnerConfig::default())?;
    let never = AtomicBool::new(false);
    let time = |image: &str, out: &str| -> anyhow::Result<f64> {
        let t = task(dir, &dir.join(image), size, frames, out);
        let started = Instant::now();
        let r = runner.run(&t, &RunOptions::default(), &never, &mut || {});
        if let Some(e) = r.error {
            anyhow::bail!("{e}");
        }
        Ok(started.elapsed().as_secs_f64() * 1000.0 / frames as f64)
    };
    // One warm-up each, then the measured runs, interleaved.
    time("still.png", "warm_%04d.png")?;
    let still_ms = time("still.png", "still_%04d.png")?;
    let clip_ms = time("clip.mp4", "clip_%04d.png")?;
    let (written, report) = runner.finish();
    written?;
    anyhow::ensure!(report.ok(), "cleanup: {report}");
    // Memory: 5 s and 60 s of 640x360 footage through `isf render` to a video.
    clip(dir, "short.mp4", (640, 360), 5)?;
    clip(dir, "long.mp4", (640, 360), 60)?;
    let (short_kib, short_s) = child_peak_kib(dir, "short.mp4")?;
    let (long_kib, long_s) = child_peak_kib(dir, "long.mp4")?;
    let ratio = clip_ms / still_ms;
    let rss_ratio = long_kib as f64 / short_kib as f64;
    if json_out {
        println!(
            "{}",
            json!({
                "size": [size.0, size.1], "frames": frames,
                "still_ms_per_frame": still_ms, "clip_ms_per_frame": clip_ms, "clip_over_still": ratio,
                "short_clip_s": 5, "short_peak_rss_kib": short_kib, "short_render_s": short_s,
                "long_clip_s": 60, "long_peak_rss_kib": long_kib, "long_render_s": long_s,
                "long_over_short_rss": rss_ratio,
            })
        );
    } else {
        println!(
            "filter over a {}x{} clip: {clip_ms:.1} ms/frame; fed one still: {still_ms:.1} ms/frame; clip/still {ratio:.3} ({frames} frames each)",
            size.0, size.1
        );
        println!(
            "isf render of a 640x360 clip to MP4: 5 s clip {} MiB peak RSS ({short_s:.1} s), 60 s clip {} MiB ({long_s:.1} s): {rss_ratio:.3}x",
            short_kib / 1024,
            long_kib / 1024
        );
    }
    Ok(())
}
