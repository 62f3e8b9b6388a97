//! Shared helpers for the engine's tests (and isfkit-output's, which include this file): a
//! test engine, shader paths, golden images.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use isfkit_render::{Engine, EngineConfig, Frame, ImageData, RenderOptions, Scene};

/// An engine on whatever adapter the machine has (lavapipe in CI), with a wgpu instance of
/// its own: tests run in parallel threads, and the verify phase checks wgpu's report exactly
/// only when no other engine shares the instance.
/// IMPORTED images are read with isfkit-media, as every face reads them.
pub fn test_engine() -> Engine {
    Engine::new(isfkit_batch::media::with_media_files(EngineConfig {
        private_instance: true,
        ..EngineConfig::default()
    }))
    .expect("a GPU adapter (install mesa-vulkan-drivers for lavapipe)")
}

/// A test engine and the ISF source `source` loaded on it.
pub fn test_scene(source: &str) -> (Engine, Scene) {
    let engine = test_engine();
    let scene = engine.load_source(source, None).unwrap();
    (engine, scene)
}

/// Shuts `engine` down and asserts that its cleanup report is clean.
pub fn shutdown_clean(engine: &Engine) {
    let report = engine.shutdown();
    assert!(report.ok(), "{report}");
}

/// The small test render (48x32, fixed DATE) at `time`.
pub fn small_opts(time: f64) -> RenderOptions {
    RenderOptions {
        width: 48,
        height: 32,
        time,
        float_output: false,
        date: Some([2026.0, 1.0, 1.0, 0.0]),
    }
}

/// Frame `i` of a small 30 fps sequence (48x32, fixed DATE), for comparing renders.
pub fn frame_opts(i: u64) -> RenderOptions {
    small_opts(i as f64 / 30.0)
}

/// Renders frames `range` of the small 30 fps sequence on `scene`; returns the last.
pub fn render_frames(scene: &Scene, range: std::ops::Range<u64>) -> Frame {
    let mut last = None;
    for i in range {
        last = Some(scene.render(&frame_opts(i)).unwrap());
    }
    last.expect("at least one frame")
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn shader(name: &str) -> PathBuf {
    repo_root().join("tests/shaders").join(name)
}

/// A 32x24 test image with four distinct quadrants (top-left red, top-right green,
/// bottom-left blue, bottom-right white), so flips and mirrors show.
pub fn quadrant_image() -> ImageData {
    let (w, h) = (32u32, 24u32);
    let mut rgba = Vec::with_capacity((w * h * 4) as usize);
    for y in 0..h {
        for x in 0..w {
            let c = match (x < w / 2, y < h / 2) {
                (true, true) => [255, 0, 0, 255],
                (false, true) => [0, 255, 0, 255],
                (true, false) => [0, 0, 255, 255],
                (false, false) => [255, 255, 255, 255],
            };
            rgba.extend_from_slice(&c);
        }
    }
    ImageData::new(w, h, rgba).unwrap()
}

pub fn solid_image(c: [u8; 4]) -> ImageData {
    ImageData::new(4, 4, c.repeat(16)).unwrap()
}

/// Pixels whose largest channel difference exceeds this count as different.
const CHANNEL_TOLERANCE: u8 = 12;
/// A golden comparison fails when more than this fraction of pixels differ.
const MAX_DIFFERENT_FRACTION: f64 = 0.005;

/// Compares `frame` with `tests/golden/NAME.png`. On mismatch writes `NAME-actual.png` and
/// `NAME-diff.png` next to it and panics. With `ISFKIT_BLESS=1`, writes the reference.
pub fn check_golden(name: &str, frame: &Frame) {
    let dir = repo_root().join("tests/golden");
    let golden = dir.join(format!("{name}.png"));
    if std::env::var_os("ISFKIT_BLESS").is_some() {
        write_png(frame, &golden);
        return;
    }
    let reference = image::open(&golden)
        .unwrap_or_else(|e| {
            panic!(
                "no golden image {} ({e}); run with ISFKIT_BLESS=1 to create it",
                golden.display()
            )
        })
        .to_rgba8();
    assert_eq!(
        (reference.width(), reference.height()),
        (frame.width, frame.height),
        "{name}: size differs from the golden image"
    );
    let actual = frame.to_rgba8();
    let mut diff = Vec::with_capacity(actual.len());
    let mut different = 0usize;
    for (a, r) in actual
        .chunks_exact(4)
        .zip(reference.as_raw().chunks_exact(4))
    {
        let d = (0..4).map(|k| a[k].abs_diff(r[k])).max().unwrap();
        if d > CHANNEL_TOLERANCE {
            different += 1;
            diff.extend_from_slice(&[255, 0, 0, 255]);
        } else {
            let g = (d as u32 * 20).min(255) as u8;
            diff.extend_from_slice(&[g, g, g, 255]);
        }
    }
    let total = (frame.width * frame.height) as usize;
    if different as f64 > MAX_DIFFERENT_FRACTION * total as f64 {
        let actual_path = dir.join(format!("{name}-actual.png"));
        write_png(frame, &actual_path);
        let diff_frame = Frame {
            width: frame.width,
            height: frame.height,
            pixels: isfkit_render::Pixels::Rgba8(diff),
        };
        write_png(&diff_frame, &dir.join(format!("{name}-diff.png")));
        panic!(
            "{name}: {different} of {total} pixels differ from {} by more than {CHANNEL_TOLERANCE}/255; wrote {} and -diff.png (ISFKIT_BLESS=1 re-blesses)",
            golden.display(),
            actual_path.display()
        );
    }
}

/// Writes `frame` as an 8-bit RGBA PNG (writing files is isfkit-output's job; the engine's
/// tests do not depend on it).
pub fn write_png(frame: &Frame, path: &Path) {
    image::save_buffer(
        path,
        &frame.to_rgba8(),
        frame.width,
        frame.height,
        image::ExtendedColorType::Rgba8,
    )
    .unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
}

/// Max channel difference between two frames, in 0..255.
pub fn max_diff(a: &Frame, b: &Frame) -> u8 {
    assert_eq!((a.width, a.height), (b.width, b.height));
    a.to_rgba8()
        .iter()
        .zip(b.to_rgba8().iter())
        .map(|(x, y)| x.abs_diff(*y))
        .max()
        .unwrap_or(0)
}

/// A pixel's channels as 8-bit values.
pub fn bytes(p: [f32; 4]) -> [u8; 4] {
    p.map(|c| (c * 255.0).round() as u8)
}
