//! Audio that follows time: a generated sine sweep rendered as a 2-second sequence
//! through a waveform shader and an FFT shader. Each frame sees the window of samples that
//! ends at its time: the waveform matches the sound there, and the FFT's peak moves with the
//! sweep frame by frame. Also the sizes the adapter forbids, named with the limit.

mod common;

use common::*;
use isfkit_render::{AdapterLimits, Backend, Engine, Error, Program, RenderOptions, Scene, Sound};

const RATE: u32 = 44100;
const F0: f64 = 500.0;
const F1: f64 = 15000.0;
const SECONDS: f64 = 2.0;

/// A linear sine sweep from F0 to F1 over SECONDS, amplitude 0.8.
fn sweep() -> Sound {
    let n = (RATE as f64 * SECONDS) as usize;
    let k = (F1 - F0) / SECONDS;
    let s: Vec<f32> = (0..n)
        .map(|i| {
            let t = i as f64 / RATE as f64;
            ((std::f64::consts::TAU * (F0 * t + 0.5 * k * t * t)).sin() * 0.8) as f32
        })
        .collect();
    Sound::new(RATE, vec![s]).unwrap()
}

/// The sweep's frequency at `t`.
fn freq(t: f64) -> f64 {
    F0 + (F1 - F0) / SECONDS * t
}

/// Each column shows the first channel's waveform texel under it (no MAX: 1,024 samples).
const WAVE: &str = r#"/*{ "INPUTS": [ { "NAME": "wave", "TYPE": "audio" } ] }*/
void main() {
    float v = IMG_NORM_PIXEL(wave, vec2(isf_FragNormCoord.x, 0.5)).r;
    gl_FragColor = vec4(v, v, v, 1.0);
}
"#;

/// Each column shows one texel of a 64-wide spectrum (MAX 64: 8 of the 512 bins averaged
/// per texel, as the ISF Editor does).
const FFT: &str = r#"/*{ "INPUTS": [ { "NAME": "fft", "TYPE": "audioFFT", "MAX": 64 } ] }*/
void main() {
    float v = IMG_NORM_PIXEL(fft, vec2(isf_FragNormCoord.x, 0.5)).r;
    gl_FragColor = vec4(v, v, v, 1.0);
}
"#;

fn opts(t: f64) -> RenderOptions {
    let mut o = RenderOptions::new(64, 32, t);
    o.float_output = true;
    o
}

/// A test engine and `source` loaded on it, its audio input `input` playing [`sweep`].
fn sweep_scene(source: &str, input: &str) -> (Engine, Scene) {
    let (engine, scene) = test_scene(source);
    scene.set_sound(input, sweep()).unwrap();
    (engine, scene)
}

/// Row 0's red values of a float frame.
fn row(frame: &isfkit_render::Frame) -> Vec<f32> {
    let rgba = frame.to_rgba32f();
    (0..64).map(|x| rgba[x * 4]).collect()
}

#[test]
fn waveform_follows_time() {
    let (engine, scene) = sweep_scene(WAVE, "wave");
    let samples = sweep().channels()[0].clone();
    let mut previous: Option<Vec<f32>> = None;
    for i in 0..20 {
        let t = i as f64 / 10.0;
        let got = row(&scene.render(&opts(t)).unwrap());
        // Column x samples texel coordinate 16x + 8 of the 1,024-sample window ending at
        // sample t * 44100: halfway between samples 16x + 7 and 16x + 8 (linear filtering),
        // each s / 2 + 0.5; silence (0.5) before the sound's start.
        let end = (t * RATE as f64).round() as i64;
        for (x, v) in got.iter().enumerate() {
            let at = |k: i64| {
                let j = end - 1024 + k;
                if j < 0 {
                    0.5
                } else {
                    samples[j as usize] / 2.0 + 0.5
                }
            };
            let want = (at(16 * x as i64 + 7) + at(16 * x as i64 + 8)) / 2.0;
            assert!(
                (v - want).abs() < 0.01,
                "frame {i} (t = {t}) column {x}: {v}, want {want}"
            );
        }
        if i == 0 {
            assert!(
                got.iter().all(|&v| v == 0.5),
                "t = 0: only silence before the start"
            );
        }
        if let Some(p) = &previous {
            assert_ne!(p, &got, "frame {i} must differ from frame {}", i - 1);
        }
        previous = Some(got);
    }
    drop(scene);
    shutdown_clean(&engine);
}

#[test]
fn fft_peak_moves_with_the_sweep() {
    let (engine, scene) = sweep_scene(FFT, "fft");
    let mut last_peak = 0usize;
    for i in 0..20 {
        let t = i as f64 / 10.0;
        let got = row(&scene.render(&opts(t)).unwrap());
        if i == 0 {
            // The window ends at the start: silence, an empty spectrum.
            assert!(got.iter().all(|&v| v == 0.0), "{got:?}");
            continue;
        }
        let peak = (0..64).max_by(|&a, &b| got[a].total_cmp(&got[b])).unwrap();
        // The window's centre is 512 samples before t; bins are 44100 / 1024 Hz apart and
        // each column averages 8 of them.
        let centre = t - 512.0 / RATE as f64;
        let want = freq(centre) / (RATE as f64 / 1024.0) / 8.0;
        assert!(
            (peak as f64 - want).abs() <= 1.0,
            "frame {i} (t = {t}, {:.0} Hz): peak at column {peak}, want {want:.1}; {got:?}",
            freq(centre)
        );
        assert!(
            peak > last_peak,
            "frame {i}: the peak must move up ({last_peak} -> {peak})"
        );
        // Normalised to the window (<= 2) and weighted: a clear peak.
        assert!(got[peak] > 0.5 && got[peak] <= 2.2, "{}", got[peak]);
        last_peak = peak;
    }
    drop(scene);
    shutdown_clean(&engine);
}

#[test]
fn past_the_end_is_silence() {
    let (engine, scene) = sweep_scene(WAVE, "wave");
    let got = row(&scene.render(&opts(SECONDS + 0.5)).unwrap());
    assert!(got.iter().all(|&v| v == 0.5), "{got:?}");
    drop(scene);
    shutdown_clean(&engine);
}

const HUGE: &str = r#"/*{ "INPUTS": [ { "NAME": "wave", "TYPE": "audio", "MAX": 1000000 } ] }*/
void main() { gl_FragColor = IMG_NORM_PIXEL(wave, isf_FragNormCoord); }
"#;

#[test]
fn max_over_the_adapter_limit_is_named() {
    let (engine, scene) = sweep_scene(HUGE, "wave");
    match scene.render(&opts(1.0)) {
        Err(e @ Error::AudioSize { max, .. }) => assert_eq!(
            e.to_string(),
            format!("audio input \"wave\" needs a 1000000x1 texture (1000000 from its MAX or the default, one row per channel), but the adapter allows {max} per side (max_texture_dimension_2d)")
        ),
        other => panic!("expected AudioSize, got {:?}", other.map(|_| ())),
    }
    drop(scene);
    shutdown_clean(&engine);
    // Known before rendering too (`isf validate --limits`).
    let limits = AdapterLimits::probe(Backend::Auto).unwrap();
    let program = Program::from_source(HUGE, None).unwrap();
    assert_eq!(
        limits.check(&program, None, &|_| None),
        [format!(
            "audio input \"wave\" asks for 1000000 samples (its MAX), one texel each, but the adapter allows textures {} wide (max_texture_dimension_2d)",
            limits.max_texture_dimension_2d
        )]
    );
}

#[test]
fn set_sound_checks_the_input() {
    let engine = test_engine();
    let scene = engine.load(&shader("gradient.fs")).unwrap();
    let err = scene.set_sound("wave", sweep()).unwrap_err();
    assert!(
        err.to_string().starts_with("no input named \"wave\""),
        "{err}"
    );
    let scene = engine.load_source(HUGE, None).unwrap();
    let err = isfkit_batch::media::set_sound_file(
        &scene,
        "wave",
        std::path::Path::new("/nonexistent/x.wav"),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot read sound /nonexistent/x.wav: No such file or directory (os error 2)"
    );
    drop(scene);
    shutdown_clean(&engine);
}
