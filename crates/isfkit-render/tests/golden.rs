//! Golden images: every shader of tests/shaders rendered and compared with a reference PNG
//! under a perceptual threshold (see common::check_golden). ISFKIT_BLESS=1 re-blesses.

mod common;

use common::*;
use isfkit_render::{RenderOptions, Scene, Sound, Value};

const W: u32 = 64;
const H: u32 = 48;

/// Fixed DATE so images do not depend on the day: 2026-11-22, 12:00.
const DATE: [f32; 4] = [2026.0, 11.0, 22.0, 43200.0];

fn opts(w: u32, h: u32, time: f64) -> RenderOptions {
    RenderOptions {
        width: w,
        height: h,
        time,
        float_output: false,
        date: Some(DATE),
    }
}

/// Loads `name`.fs, applies `setup`, renders `frames` frames (time advancing 1/30 s) and
/// compares the last one with the golden image `golden`.
fn golden(name: &str, golden_name: &str, size: (u32, u32), frames: u32, setup: impl Fn(&Scene)) {
    golden_from(name, golden_name, size, 0.0, frames, setup)
}

/// [`golden`] with the first frame at `start` seconds.
fn golden_from(
    name: &str,
    golden_name: &str,
    size: (u32, u32),
    start: f64,
    frames: u32,
    setup: impl Fn(&Scene),
) {
    let engine = test_engine();
    let scene = engine.load(&shader(&format!("{name}.fs"))).unwrap();
    setup(&scene);
    let mut frame = None;
    for i in 0..frames {
        frame = Some(
            scene
                .render(&opts(size.0, size.1, start + i as f64 / 30.0))
                .unwrap(),
        );
    }
    check_golden(golden_name, &frame.unwrap());
    drop(scene);
    shutdown_clean(&engine);
}

macro_rules! golden_tests {
    ($($test:ident: $name:literal, $size:expr, $frames:expr, $setup:expr;)*) => {
        $(
            #[test]
            fn $test() {
                golden($name, stringify!($test), $size, $frames, $setup);
            }
        )*
    };
}

fn none(_: &Scene) {}

fn with_input_image(s: &Scene) {
    s.set_image("inputImage", quadrant_image()).unwrap();
}

golden_tests! {
    gradient: "gradient", (W, H), 1, none;
    fragcoord: "fragcoord", (W, H), 1, none;
    inputs_all_defaults: "inputs_all", (70, 20), 1, none;
    inputs_all_set: "inputs_all", (70, 20), 1, |s: &Scene| {
        s.set("flash", Value::Bool(true)).unwrap();
        s.set("enabled", Value::Bool(false)).unwrap();
        s.set_text("mode", "0").unwrap();
        s.set("level", Value::Long(4)).unwrap();
        s.set("amount", Value::Float(1.0)).unwrap();
        s.set("spot", Value::Point2D([0.0, 1.0])).unwrap();
        s.set("tint", Value::Color([1.0, 0.0, 0.0, 1.0])).unwrap();
    };
    builtins_frame3: "builtins", (60, 20), 4, none;
    filter_invert: "filter_invert", (W, H), 1, with_input_image;
    img_pixel: "img_pixel", (W, H), 1, with_input_image;
    img_pixel_other_size: "img_pixel", (80, 40), 1, with_input_image;
    sampler_param: "sampler_param", (W, H), 1, with_input_image;
    multipass_sizes: "multipass_sizes", (W, H), 1, none;
    persistent_5_frames: "persistent", (W, H), 5, none;
    persistent_v1_5_frames: "persistent_v1", (W, H), 5, none;
    float_target: "float_target", (W, H), 1, none;
    imported: "imported", (W, H), 1, none;
    custom_vertex: "custom_vertex", (W, H), 1, none;
    matrix_varying: "matrix_varying", (W, H), 1, none;
    fragdata: "fragdata", (W, H), 1, none;
    quirks: "quirks", (48, 48), 1, none;
    tolerant_json: "tolerant_json", (W, H), 1, none;
    transition: "transition", (W, H), 1, |s: &Scene| {
        s.set_image("startImage", solid_image([255, 0, 0, 255])).unwrap();
        s.set_image("endImage", solid_image([0, 0, 255, 255])).unwrap();
        s.set("progress", Value::Float(0.25)).unwrap();
    };
}

/// Audio follows time: at t = 1 s the 1,024-sample window (the default without MAX) of a
/// 1 Hz sine sampled at 1,024 Hz is exactly one period, from phase 0: one sine-shaped line
/// (two channels; the shader draws the first).
#[test]
fn audio_sine() {
    golden_from("audio", "audio_sine", (W, H), 1.0, 1, |s: &Scene| {
        let wave: Vec<f32> = (0..2048)
            .map(|i| (i as f32 / 1024.0 * std::f32::consts::TAU).sin() * 0.8)
            .collect();
        s.set_sound("wave", Sound::new(1024, vec![wave.clone(), wave]).unwrap())
            .unwrap();
    });
}

/// Two tones on exact bins of the 1,024-sample window at t = 1 s (40,960 Hz: bins 40 Hz
/// apart; window from sample 39,936 = 39 * 1,024, so both are pure sines there): bin 112
/// (4,480 Hz, amplitude 0.5) normalises to 2, bin 336 (13,440 Hz, 0.25) to 1, each times
/// log10(i * 80) / ln(80). The shader reads band centres halfway between bins 111/112 and
/// 335/336: bars of 0.89 in band 3 and 0.50 in band 10, the rest black.
#[test]
fn audiofft_bars() {
    golden_from("audiofft", "audiofft_bars", (W, H), 1.0, 1, |s: &Scene| {
        let rate = 40960.0f32;
        let tone =
            |i: usize, f: f32, a: f32| (i as f32 / rate * f * std::f32::consts::TAU).sin() * a;
        let samples: Vec<f32> = (0..81920)
            .map(|i| tone(i, 4480.0, 0.5) + tone(i, 13440.0, 0.25))
            .collect();
        s.set_sound("spectrum", Sound::new(40960, vec![samples]).unwrap())
            .unwrap();
    });
}
