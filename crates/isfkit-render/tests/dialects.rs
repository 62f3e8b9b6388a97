//! Shaders in other dialects, converted to ISF (`isfkit_format::dialect`) and rendered: the
//! whole gl-transitions package at progress 0, 0.5 and 1 over two images, and Shadertoy and
//! GLSL Sandbox shaders rendered directly and converted, with the same pixels.

mod common;

use common::*;
use isfkit_render::format::dialect::{self, ConvertOptions};
use isfkit_render::{Frame, ImageData, RenderOptions, Scene, Value};

fn opts() -> RenderOptions {
    RenderOptions {
        width: 48,
        height: 32,
        time: 0.0,
        float_output: false,
        date: Some([2026.0, 1.0, 1.0, 0.0]),
    }
}

/// The second image of a transition: vertical stripes in two colours the quadrant image
/// does not have.
fn stripes_image() -> ImageData {
    let (w, h) = (32u32, 24u32);
    let mut rgba = Vec::with_capacity((w * h * 4) as usize);
    for _ in 0..h {
        for x in 0..w {
            let c = if (x / 4) % 2 == 0 {
                [255, 128, 0, 255]
            } else {
                [128, 0, 255, 255]
            };
            rgba.extend_from_slice(&c);
        }
    }
    ImageData::new(w, h, rgba).unwrap()
}

/// The fraction of pixels of `a` and `b` that agree within 12/255 in every channel.
fn agreement(a: &Frame, b: &Frame) -> f64 {
    let mut same = 0;
    for y in 0..a.height {
        for x in 0..a.width {
            let (p, q) = (bytes(a.pixel(x, y)), bytes(b.pixel(x, y)));
            if (0..4).all(|k| p[k].abs_diff(q[k]) <= 12) {
                same += 1;
            }
        }
    }
    same as f64 / (a.width * a.height) as f64
}

fn set_images(scene: &Scene) {
    scene.set_image("startImage", quadrant_image()).unwrap();
    scene.set_image("endImage", stripes_image()).unwrap();
}

/// Transitions whose own code does not show an image whole at one end, and why (read from
/// their code): the test asks less of these there.
const PARTIAL_ENDS: &[(&str, &str)] = &[(
    "tangentMotionBlur",
    "its blur is strongest at both ends: speed = the turn per frame times normpdf(ease(progress)), not 0 at progress 0 or 1",
)];

#[test]
fn every_gl_transition_converts_and_shows_its_two_images() {
    let path = repo_root().join("tests/dialects/gl-transitions/gl-transitions.json");
    let source = std::fs::read_to_string(path).unwrap();
    let all = dialect::convert_all(&source, &ConvertOptions::default()).unwrap();
    assert_eq!(all.len(), 125);
    let engine = test_engine();
    // What "shows the image" means: the image drawn by an identity shader.
    let show = |input: &str| {
        let scene = engine
            .load_source(
                &format!("/*{{\"INPUTS\":[{{\"NAME\":\"startImage\",\"TYPE\":\"image\"}},{{\"NAME\":\"endImage\",\"TYPE\":\"image\"}}]}}*/\nvoid main() {{ gl_FragColor = IMG_NORM_PIXEL({input}, isf_FragNormCoord.xy); }}\n"),
                None,
            )
            .unwrap();
        set_images(&scene);
        scene.render(&opts()).unwrap()
    };
    let (start, end) = (show("startImage"), show("endImage"));
    let mut failures = Vec::new();
    let mut report = Vec::new();
    for c in &all {
        let scene = match engine.load_source(&c.isf, None) {
            Ok(s) => s,
            Err(e) => {
                failures.push(format!("{}: {}", c.name, e));
                continue;
            }
        };
        set_images(&scene);
        let at = |p: f64| {
            scene.set("progress", Value::Float(p as f32)).unwrap();
            scene.render(&opts())
        };
        let (f0, fh, f1) = match (at(0.0), at(0.5), at(1.0)) {
            (Ok(a), Ok(b), Ok(c)) => (a, b, c),
            (a, b, e) => {
                failures.push(format!("{}: {:?}", c.name, [a.err(), b.err(), e.err()]));
                continue;
            }
        };
        let (a0, a1) = (agreement(&f0, &start), agreement(&f1, &end));
        let middle = agreement(&fh, &start).max(agreement(&fh, &end));
        report.push(format!("{} {a0:.3} {a1:.3} {middle:.3}", c.name));
        let want = PARTIAL_ENDS
            .iter()
            .find(|(n, _)| *n == c.name)
            .map_or(0.98, |_| 0.75);
        if a0 < want || a1 < want {
            failures.push(format!(
                "{}: progress 0 shows the start image at {:.1}% of pixels, progress 1 the end image at {:.1}%",
                c.name,
                a0 * 100.0,
                a1 * 100.0
            ));
        }
    }
    if std::env::var_os("ISFKIT_TRANSITION_REPORT").is_some() {
        eprintln!("{}", report.join("\n"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    shutdown_clean(&engine);
}

/// Renders `frames` frames of `scene` (48x32, 30 fps, the given date); returns the last.
fn frames(scene: &Scene, frames: u64, date: [f32; 4]) -> Frame {
    let mut last = None;
    for i in 0..frames {
        let o = RenderOptions {
            time: i as f64 / 30.0,
            date: Some(date),
            ..opts()
        };
        last = Some(scene.render(&o).unwrap());
    }
    last.unwrap()
}

const JANUARY: [f32; 4] = [2026.0, 1.0, 1.0, 0.0];

/// Common code, four buffers in Shadertoy's order (the file lists C first), a keyboard and a
/// sound channel: each buffer reads what an earlier pass wrote this frame and what a later
/// one (or itself) wrote the frame before, and two passes' `map()` stay apart.
#[test]
fn a_shadertoy_shader_with_four_buffers_renders_directly_and_converted_alike() {
    let dir = repo_root().join("tests/dialects/shadertoy");
    let engine = test_engine();
    let direct = engine.load(&dir.join("four_buffers.json")).unwrap();
    let last = frames(&direct, 4, JANUARY);
    // Frame 3: B holds A's count of this frame (4/64), C holds D's of the last (3/64);
    // blue is fract(B's green, 0.5 from Buffer B's own map(), plus silence); alpha is 1.
    let p = bytes(last.pixel(20, 10));
    assert_eq!(p, [16, 12, 128, 255], "{p:?}");
    let source = std::fs::read_to_string(dir.join("four_buffers.json")).unwrap();
    let converted = dialect::convert(&source, &ConvertOptions::default()).unwrap();
    let scene = engine.load_source(&converted.isf, None).unwrap();
    assert_eq!(max_diff(&frames(&scene, 4, JANUARY), &last), 0);
    // The site's export (an array, `type`/`filepath`, numeric ids, unnamed passes).
    let site = engine.load(&dir.join("four_buffers_site.json")).unwrap();
    assert_eq!(max_diff(&frames(&site, 4, JANUARY), &last), 0);
    shutdown_clean(&engine);
}

/// A Shadertoy JSON whose Image pass reads Buffer A (alternating columns) on iChannel0 with
/// the given filter and wrap, half a frame to the right and a quarter texel off centre.
fn sampled_buffer_json(filter: &str, wrap: &str) -> String {
    let buffer =
        "void mainImage(out vec4 c, in vec2 f) { c = vec4(mod(floor(f.x), 2.0), 0.0, 0.0, 1.0); }";
    let image = "void mainImage(out vec4 c, in vec2 f) { c = texture(iChannel0, (f + vec2(24.25, 0.0)) / iResolution.xy); }";
    format!(
        r#"{{"Shader": {{"info": {{"id": "smp", "name": "sampling"}}, "renderpass": [
            {{"type": "buffer", "name": "Buffer A", "code": "{buffer}", "inputs": [],
              "outputs": [{{"id": "4dXGR8", "channel": 0}}]}},
            {{"type": "image", "name": "Image", "code": "{image}", "outputs": [],
              "inputs": [{{"id": "4dXGR8", "channel": 0, "type": "buffer",
                          "sampler": {{"filter": "{filter}", "wrap": "{wrap}", "vflip": "true"}}}}]}}]}}}}"#
    )
}

/// Each channel's filter and wrap: nearest reads one texel where linear blends two, repeat
/// wraps to the left edge where clamp holds the right one; direct and converted alike.
#[test]
fn a_shadertoy_channel_is_read_with_its_filter_and_wrap() {
    let engine = test_engine();
    let row = |filter: &str, wrap: &str| -> Vec<u8> {
        let source = sampled_buffer_json(filter, wrap);
        let direct = frames(&engine.load_source(&source, None).unwrap(), 1, JANUARY);
        let converted = dialect::convert(&source, &ConvertOptions::default()).unwrap();
        let scene = engine.load_source(&converted.isf, None).unwrap();
        assert_eq!(max_diff(&frames(&scene, 1, JANUARY), &direct), 0);
        (0..48).map(|x| bytes(direct.pixel(x, 16))[0]).collect()
    };
    let alternating: Vec<u8> = (0..48).map(|x| if x % 2 == 1 { 255 } else { 0 }).collect();
    assert_eq!(row("nearest", "repeat"), alternating);
    let clamped = row("nearest", "clamp");
    assert_eq!(clamped[..24], alternating[..24]);
    assert!(clamped[24..].iter().all(|&r| r == 255), "{clamped:?}");
    let linear = row("linear", "repeat");
    assert!(linear.iter().all(|&r| r == 64 || r == 191), "{linear:?}");
    // The converted file says it with isfkit's keys, on the pass that writes the buffer.
    let converted = dialect::convert(
        &sampled_buffer_json("nearest", "repeat"),
        &Default::default(),
    )
    .unwrap();
    assert!(
        converted.isf.contains(
            r#"{"TARGET":"bufferA","PERSISTENT":true,"FLOAT":true,"FILTER":"nearest","WRAP":"repeat"}"#
        ),
        "{}",
        converted.isf
    );
    assert_eq!(converted.warnings, Vec::<String>::new());
    shutdown_clean(&engine);
}

/// A sound channel is Shadertoy's 512x2 texture: the spectrum at y = 0.25, the waveform at
/// y = 0.75 (here a 1,500 Hz tone: a peak at bin 64, and a wave that swings both ways).
#[test]
fn a_shadertoy_sound_channel_has_the_spectrum_over_the_waveform() {
    let code = "void mainImage(out vec4 c, in vec2 f) {\n\
        float x = (floor(f.x) + 0.5) / 512.0;\n\
        c = vec4(texture(iChannel0, vec2(x, 0.25)).x, texture(iChannel0, vec2(x, 0.75)).x, 0.0, 1.0);\n\
    }";
    let json = format!(
        r#"{{"Shader": {{"info": {{"id": "snd", "name": "sound"}}, "renderpass": [
            {{"type": "image", "name": "Image", "code": {}, "outputs": [],
              "inputs": [{{"id": "4sXGR8", "channel": 0, "type": "music", "filepath": "/media/a/song.mp3"}}]}}]}}}}"#,
        serde_json::to_string(code).unwrap()
    );
    let converted = dialect::convert(&json, &ConvertOptions::default()).unwrap();
    assert!(
        converted.isf.contains(
            r#""TYPE":"audioFFT","LABEL":"Image iChannel0: sound song.mp3","LAYOUT":"shadertoy"}"#
        ),
        "{}",
        converted.isf
    );
    let tone: Vec<f32> = (0..48_000)
        .map(|i| (i as f32 / 48_000.0 * 1500.0 * std::f32::consts::TAU).sin() * 0.01)
        .collect();
    let sound = isfkit_render::Sound::new(48_000, vec![tone]).unwrap();
    let engine = test_engine();
    let o = RenderOptions {
        width: 512,
        height: 4,
        time: 0.5,
        ..opts()
    };
    let mut rows = Vec::new();
    for source in [json.as_str(), converted.isf.as_str()] {
        let scene = engine.load_source(source, None).unwrap();
        scene.set_sound("iChannel0", sound.clone()).unwrap();
        let f = scene.render(&o).unwrap();
        rows.push((0..512).map(|x| bytes(f.pixel(x, 2))).collect::<Vec<_>>());
    }
    assert_eq!(rows[0], rows[1]);
    let spectrum: Vec<u8> = rows[0].iter().map(|p| p[0]).collect();
    let peak = (0..512).max_by_key(|&x| spectrum[x]).unwrap();
    assert_eq!(peak, 64, "{spectrum:?}");
    let wave: Vec<u8> = rows[0].iter().map(|p| p[1]).collect();
    let (lo, hi) = (wave.iter().min().unwrap(), wave.iter().max().unwrap());
    assert!(*lo < 128 && *hi > 127, "{lo}..{hi}");
    shutdown_clean(&engine);
}

/// A Shadertoy JSON with an Image pass and a Sound pass whose `mainSound` is `sound`.
fn with_sound_json(sound: &str) -> String {
    let image = "void mainImage(out vec4 c, in vec2 f) { c = vec4(0.5); }";
    serde_json::json!({"Shader": {"info": {"id": "snd", "name": "song"}, "renderpass": [
        {"type": "image", "name": "Image", "code": image, "inputs": [], "outputs": []},
        {"type": "sound", "name": "Sound", "code": sound, "inputs": [], "outputs": []}]}})
    .to_string()
}

/// The Sound pass renders on the GPU: sample n of the left channel is mainSound(n, n / 44100)'s
/// x, of the right its y, clamped to -1..1; the older mainSound(float time) too.
#[test]
fn a_shadertoy_sound_pass_renders_its_samples() {
    let engine = test_engine();
    let scene = engine
        .load_source(
            &with_sound_json(
                "const float TAU = 6.2831853;\n\
                 vec2 mainSound(int samp, float time) {\n\
                 \x20   return vec2(sin(TAU * 440.0 * time), float(samp % 4) - 1.5);\n}",
            ),
            None,
        )
        .unwrap();
    let sound = scene.render_sound(0.0, 7.0).unwrap().expect("a Sound pass");
    assert_eq!(sound.sample_rate(), 44_100);
    assert_eq!(sound.len(), 7 * 44_100);
    let [left, right] = sound.channels() else {
        panic!("stereo")
    };
    // Past the first block of 262,144 samples too.
    for n in [0usize, 1, 100, 44_099, 262_143, 262_144, 300_000] {
        let want = (std::f64::consts::TAU * 440.0 * n as f64 / 44_100.0).sin() as f32;
        assert!(
            (left[n] - want).abs() < 2e-3,
            "sample {n}: {} vs {want}",
            left[n]
        );
        let step = (n % 4) as f32 - 1.5;
        assert_eq!(right[n], step.clamp(-1.0, 1.0), "sample {n}");
    }
    // From a start time: sample 0 is the one at that time.
    let later = scene.render_sound(2.0, 0.25).unwrap().unwrap();
    assert_eq!(later.len(), 11_025);
    assert_eq!(later.channels()[0][0], left[88_200]);
    assert_eq!(later.channels()[1][3], right[88_203]);
    // No Sound pass: no sound.
    let plain = engine
        .load_source(
            "void mainImage(out vec4 c, in vec2 f) { c = vec4(1.0); }",
            None,
        )
        .unwrap();
    assert!(plain.render_sound(0.0, 1.0).unwrap().is_none());
    let old = engine
        .load_source(
            &with_sound_json("vec2 mainSound(float time) { return vec2(time, -time); }"),
            None,
        )
        .unwrap();
    let sound = old.render_sound(0.0, 0.5).unwrap().unwrap();
    assert!((sound.channels()[0][22_049] - 22_049.0 / 44_100.0).abs() < 1e-6);
    assert!((sound.channels()[1][441] + 0.01).abs() < 1e-6);
    drop((scene, old, plain));
    shutdown_clean(&engine);
}

/// Shadertoy's uniforms keep their types and conventions: `iResolution.z` is 1, `iMouse.zw`
/// is negative while the button is up, `iDate`'s month counts from 0, `iFrame` is an int.
#[test]
fn shadertoy_uniforms_have_shadertoys_types_and_signs() {
    let source = "void mainImage(out vec4 fragColor, in vec2 fragCoord) {\n\
        fragColor = vec4(iResolution.z, iMouse.z < 0.0 ? 1.0 : 0.0, iDate.y / 11.0, 1.0);\n\
        if (fragCoord.x < 1.0) fragColor = vec4(float(iFrame) / 255.0, iMouse.x / 255.0, -iMouse.w / 255.0, 1.0);\n\
    }\n";
    let engine = test_engine();
    let scene = engine.load_source(source, None).unwrap();
    scene.set("iMouseXY", Value::Point2D([10.0, 20.0])).unwrap();
    scene.set("iMouseZW", Value::Point2D([30.0, 40.0])).unwrap();
    let december = [2026.0, 12.0, 1.0, 0.0];
    let f = frames(&scene, 3, december);
    assert_eq!(bytes(f.pixel(10, 10)), [255, 255, 255, 255]);
    assert_eq!(bytes(f.pixel(0, 10)), [2, 10, 40, 255]);
    scene.set("iMouseDown", Value::Bool(true)).unwrap();
    let f = frames(&scene, 1, december);
    assert_eq!(bytes(f.pixel(10, 10)), [255, 0, 255, 255]);
    assert_eq!(bytes(f.pixel(0, 10)), [3, 10, 0, 255]);
    shutdown_clean(&engine);
}

/// GLSL Sandbox: `backbuffer` is the previous frame, `mouse` a 0..1 point, `surfacePosition`
/// centred on 0; rendered directly and converted alike.
#[test]
fn a_glsl_sandbox_shader_reads_its_previous_frame() {
    let source = "#ifdef GL_ES\nprecision mediump float;\n#endif\n\
        uniform float time;\nuniform vec2 mouse;\nuniform vec2 resolution;\nuniform sampler2D backbuffer;\n\
        varying vec2 surfacePosition;\n\
        void main() {\n\
        \tvec4 prev = texture2D(backbuffer, gl_FragCoord.xy / resolution);\n\
        \tgl_FragColor = vec4(prev.r + 0.125, mouse.x, surfacePosition.x > 0.0 ? 1.0 : 0.0, 1.0 + time);\n\
        }\n";
    let engine = test_engine();
    let scene = engine.load_source(source, None).unwrap();
    let f = frames(&scene, 3, JANUARY);
    assert_eq!(bytes(f.pixel(40, 10)), [96, 128, 255, 255]);
    assert_eq!(bytes(f.pixel(5, 10)), [96, 128, 0, 255]);
    let converted = dialect::convert(source, &ConvertOptions::default()).unwrap();
    let again = engine.load_source(&converted.isf, None).unwrap();
    assert_eq!(max_diff(&frames(&again, 3, JANUARY), &f), 0);
    shutdown_clean(&engine);
}
