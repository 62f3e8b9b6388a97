//! `isf bench window`: the preview window's frame rate against the limit of presenting in that
//! window (bare frames: a clear and a present through the same surface) and against the
//! engine's headless rate (render and read-back, as `isf bench` measures), in one run.

use std::path::PathBuf;
use std::time::Instant;

use isfkit_render::{Engine, EngineConfig, RenderOptions};
use serde_json::json;

/// `isf bench window [--shader FS] [--size WxH] [--window WxH] [--frames N] [--json]`.
pub fn run(
    shader: Option<PathBuf>,
    size: Option<(u32, u32)>,
    window: Option<(u32, u32)>,
    frames: Option<u64>,
    as_json: bool,
) -> anyhow::Result<()> {
    let shader = shader.unwrap_or_else(|| PathBuf::from("examples/plasma.fs"));
    let (w, h) = size.unwrap_or((640, 360));
    let window = window.unwrap_or((1000, 560));
    let frames = frames.unwrap_or(60).max(1);

    // Headless first, on an engine of its own, shut down before the window opens.
    let headless_fps = {
        let engine = Engine::new(isfkit_batch::media::with_media_files(
            EngineConfig::default(),
        ))?;
        let scene = engine.load(&shader)?;
        let opts = |i: u64| RenderOptions::new(w, h, i as f64 / 60.0);
        for i in 0..3 {
            scene.render(&opts(i))?;
        }
        let t = Instant::now();
        for i in 0..frames {
            scene.render(&opts(i))?;
        }
        let fps = frames as f64 / t.elapsed().as_secs_f64();
        drop(scene);
        let report = engine.shutdown();
        anyhow::ensure!(
            report.ok(),
            "the headless engine's cleanup failed:\n{report}"
        );
        fps
    };

    let args = isfkit_preview::PreviewArgs {
        shader: shader.clone(),
        size: Some((w, h)),
        sets: Vec::new(),
        keys: Default::default(),
        images: Vec::new(),
        audio: Vec::new(),
        // Unpaced: the window shows frames as fast as it can.
        fps: 1000.0,
        paused: false,
        time: 0.0,
        backend: isfkit_render::Backend::Auto,
        window_size: window,
        output_dir: std::env::temp_dir(),
        cleanup_report: false,
        json_report: false,
    };
    let figures = isfkit_preview::bench_window(args, frames)
        .map_err(|f| anyhow::anyhow!("{}", f.message.trim_start_matches("error: ")))?;
    let of_limit = figures.window_fps / figures.present_fps;
    if as_json {
        println!(
            "{}",
            json!({
                "shader": shader.display().to_string(),
                "size": [w, h],
                "window": [window.0, window.1],
                "frames": frames,
                "present_limit_fps": figures.present_fps,
                "window_fps": figures.window_fps,
                "window_of_limit": of_limit,
                "headless_fps": headless_fps,
                "render_ms": figures.render_ms,
            })
        );
        return Ok(());
    }
    println!(
        "isf bench window: {} at {w}x{h} in a {}x{} window, {frames} frames each",
        shader.display(),
        window.0,
        window.1
    );
    println!(
        "  bare clear and present (the window's limit)  {:>7.1} fps",
        figures.present_fps
    );
    println!(
        "  the preview playing the shader               {:>7.1} fps ({:.0}% of the limit)",
        figures.window_fps,
        of_limit * 100.0
    );
    println!(
        "  headless render + read-back (isf bench)      {:>7.1} fps (the window's render thread: {:.1} ms a frame)",
        headless_fps, figures.render_ms
    );
    Ok(())
}
