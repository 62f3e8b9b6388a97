//! Integration tests of the `isf` binary: each test runs the real executable in a fresh
//! temporary folder and checks exit codes, the files written and the messages users see.
//!
//! Shaders are copied into the temporary folder and passed by their bare file name, so the
//! paths in messages are predictable (`compile_error.fs:12:12: error: ...`).
//!
//! The binary runs without `XDG_RUNTIME_DIR`, as on servers and in CI: libwayland (loaded by
//! the Vulkan loader) prints "error: XDG_RUNTIME_DIR is invalid or not set" unless isfkit
//! handles it, and a successful run must print no line containing "error".

mod common;

use common::Says::{Line, Starting};
use common::*;

use image::RgbaImage;
use serde_json::Value;

/// Asserts that a pixel is within `tol` of `want` in each of r, g, b.
#[track_caller]
fn assert_rgb(img: &RgbaImage, x: u32, y: u32, want: [u8; 3], tol: u8) {
    let p = img.get_pixel(x, y).0;
    let ok = (0..3).all(|i| p[i].abs_diff(want[i]) <= tol);
    assert!(
        ok,
        "pixel ({x}, {y}) is {p:?}, want about {want:?} (±{tol})"
    );
}

/// `isf render` of a copy of tests/shaders/`shader`, with the words of `args`, in a fresh
/// folder.
fn render(shader: &str, args: &str) -> (Dir, Run) {
    let dir = Dir::new("render");
    let fs = dir.copy(shader);
    let run = dir.isf_words(&format!("render {fs} {args}"));
    (dir, run)
}

/// Renders a copy of tests/shaders/`shader` to out.png with the words of `args` added; the run
/// must succeed. The image.
#[track_caller]
fn render_png(shader: &str, args: &str) -> RgbaImage {
    let (dir, run) = render(shader, &format!("-o out.png {args}"));
    run.expect_code(0);
    dir.png("out.png")
}

// ---------------------------------------------------------------------------------------
// render: single frames and orientation

#[test]
fn render_gradient_png_orientation() {
    let img = render_png("gradient.fs", "--size 32x24");
    assert_eq!(img.dimensions(), (32, 24));
    // Row 0 of the PNG is the top: green rises to the top, red to the right.
    assert_rgb(&img, 0, 0, [0, 255, 0], 16); // top-left green
    assert_rgb(&img, 31, 23, [255, 0, 0], 16); // bottom-right red
    assert_rgb(&img, 0, 23, [0, 0, 0], 16); // bottom-left black
    assert_rgb(&img, 31, 0, [255, 255, 0], 16); // top-right yellow
    assert_eq!(img.get_pixel(16, 12).0[3], 255, "opaque");
}

#[test]
fn render_sequence_writes_numbered_frames() {
    let (dir, run) = render(
        "gradient.fs",
        "-o out_%04d.png --size 8x8 --frames 3 --fps 10",
    );
    run.expect_code(0)
        .expect_stderr_line_starting("3 frames in ");
    for i in 0..3 {
        let name = format!("out_{i:04}.png");
        assert_eq!(dir.png(&name).dimensions(), (8, 8), "{name}");
    }
    assert!(!dir.join("out_0003.png").exists(), "only three frames");
    assert!(!dir.join("out_%04d.png").exists());
}

// ---------------------------------------------------------------------------------------
// render, validate, info: runs that fail before rendering

/// Each run exits with its code, prints its message and writes no out.png: (the shader copied
/// from tests/shaders, the arguments, the exit code, the message).
#[rustfmt::skip]
const FAILURES: &[Failure] = &[
    // render: frames, output, options
    ("gradient.fs", "render {fs} -o out.png --size 8x8 --frames 3", 2, Line("error: with --frames, the output must hold a frame number pattern like out_%04d.png (got out.png)")),
    ("gradient.fs", "render {fs} -o out.png --frames 0", 2, Line("error: --frames must be at least 1")),
    ("gradient.fs", "render {fs} -o nowhere/out.png --size 8x8", 2, Line("error: output folder nowhere does not exist")),
    ("gradient.fs", "render {fs} -o out.png --fps 0", 2, Line("error: --fps must be a positive number")),
    ("gradient.fs", "render {fs} -o out.png --backend foo", 2, Line("error: invalid value 'foo' for '--backend <BACKEND>': unknown backend \"foo\" (auto, vulkan, gl, metal, dx12)")),
    ("gradient.fs", "render {fs} -o out.png --bits 12", 2, Starting("error: invalid value '12' for '--bits <BITS>'")),
    ("gradient.fs", "render {fs} -o out.png --date 2024-02-30T00:00:00", 2, Line("error: --date: date \"2024-02-30T00:00:00\" is not a date and time like YYYY-MM-DDTHH:MM:SS, e.g. 2024-12-31T23:59:30")),
    // render: sounds, inputs, images
    ("audio.fs", "render {fs} -o out.png --size 8x8 --audio wave=nope.wav", 2, Starting("error: cannot read sound nope.wav: No such file or directory")),
    ("inputs_all.fs", "render {fs} -o out.png --size 8x8 --set unknown=1", 2, Line("error: no input named \"unknown\" (inputs: flash (event), enabled (bool), mode (long), level (long), amount (float), spot (point2D), tint (color))")),
    ("inputs_all.fs", "render {fs} -o out.png --size 8x8 --set amount=abc", 2, Line("error: input \"amount\" is of type float, but the value given is \"abc\"")),
    ("inputs_all.fs", "render {fs} -o out.png --size 8x8 --set tint=red", 2, Line("error: input \"tint\" is of type color, but the value given is \"red\"")),
    ("inputs_all.fs", "render {fs} -o out.png --set amount", 2, Line("error: --set \"amount\" is not NAME=VALUE")),
    ("filter_invert.fs", "render {fs} -o out.png --size 8x8 --image inputImage=nope.png", 2, Starting("error: cannot read image nope.png: ")),
    ("filter_invert.fs", "render {fs} -o out.png --size 8x8 --image picture={shaders}/imported_checker.png", 2, Line("error: no input named \"picture\" (inputs: inputImage (image))")),
    // render: sizes. The device's limit (16384 on lavapipe) is not fixed, so only the
    // prefix is; sizes over isfkit's own limit of 65536 are refused earlier (tests/hostile.rs).
    ("gradient.fs", "render {fs} -o out.png --size 0x10", 2, Line("error: invalid render size 0x10: width and height must be at least 1")),
    ("gradient.fs", "render {fs} -o out.png --size 40000x40000", 2, Starting("error: invalid render size 40000x40000: the device allows at most ")),
    ("gradient.fs", "render {fs} -o out.png --size garbage", 2, Line("error: invalid value 'garbage' for '--size <SIZE>': size \"garbage\" is not WIDTHxHEIGHT")),
    ("gradient.fs", "render {fs} -o out.png --size 64xabc", 2, Line("error: invalid value '64xabc' for '--size <SIZE>': height \"abc\" is not a whole number")),
    // missing and malformed shaders
    ("", "render nope.fs -o out.png --size 8x8", 2, Starting("error: cannot read nope.fs: ")),
    ("", "validate nope.fs", 2, Starting("error: cannot read nope.fs: ")),
    ("", "info nope.fs", 2, Starting("error: cannot read nope.fs: ")),
    ("bad/malformed_json.fs", "info {fs}", 1, Line("malformed_json.fs:4:11: error: invalid JSON in ISF header: expected `:`")),
];

#[test]
fn failures_exit_with_their_code_and_message() {
    expect_failures(FAILURES);
}

#[test]
fn render_float_writes_16_bit_png() {
    let dir = Dir::new("float");
    let fs = dir.copy("gradient.fs");
    dir.isf(&["render", &fs, "-o", "out.png", "--size", "8x8", "--float"])
        .expect_code(0);
    let img = image::open(dir.join("out.png")).expect("decode");
    assert_eq!(img.color(), image::ColorType::Rgba16);
    let wide = img.to_rgba16();
    dir.isf(&[
        "render", &fs, "-o", "out8.png", "--size", "8x8", "--bits", "8",
    ])
    .expect_code(0);
    let img = image::open(dir.join("out8.png")).expect("decode");
    assert_eq!(img.color(), image::ColorType::Rgba8);
    let narrow = img.to_rgba8();
    // The contents, not only the type. The 16-bit float render is the 8-bit one
    // with more precision: the same gradient (top-left green, bottom-right red), each
    // channel within one 8-bit step, and values an 8-bit render cannot hold.
    assert_eq!(wide.dimensions(), (8, 8));
    let (tl, br) = (wide.get_pixel(0, 0).0, wide.get_pixel(7, 7).0);
    assert!(tl[0] < 8000 && tl[1] > 57000, "top-left {tl:?}");
    assert!(br[0] > 57000 && br[1] < 8000, "bottom-right {br:?}");
    let mut finer = 0;
    for (w, n) in wide.pixels().zip(narrow.pixels()) {
        for c in 0..4 {
            let scaled = f64::from(w.0[c]) / 257.0;
            assert!(
                (scaled - f64::from(n.0[c])).abs() <= 1.0,
                "16-bit {w:?} vs 8-bit {n:?}"
            );
            finer += usize::from(w.0[c] % 257 != 0);
        }
    }
    assert!(finer > 0, "a 16-bit PNG holding only 8-bit values");
}

// ---------------------------------------------------------------------------------------
// render: inputs

/// Stripe `i` (0-based) of inputs_all.fs rendered at 70x10: each stripe is 10 pixels wide.
fn stripe(img: &RgbaImage, i: u32) -> [u8; 3] {
    let p = img.get_pixel(i * 10 + 5, 5).0;
    [p[0], p[1], p[2]]
}

#[test]
fn render_inputs_defaults() {
    let img = render_png("inputs_all.fs", "--size 70x10");
    assert_rgb(&img, 5, 5, [0, 0, 0], 2); // flash false
    assert_rgb(&img, 15, 5, [0, 255, 0], 2); // enabled true
    assert_rgb(&img, 25, 5, [0, 0, 255], 2); // mode 2
    assert_rgb(&img, 35, 5, [128, 128, 128], 2); // level 2/4
    assert_rgb(&img, 45, 5, [64, 64, 64], 2); // amount 0.25
    assert_rgb(&img, 55, 5, [191, 64, 0], 2); // spot (0.75, 0.25)
    assert_rgb(&img, 65, 5, [0, 128, 255], 2); // tint
}

#[test]
fn render_set_changes_inputs() {
    let img = render_png(
        "inputs_all.fs",
        "--size 70x10 --set flash=true --set enabled=false --set mode=Green --set level=4 \
         --set amount=0.75 --set spot=0.25,1 --set tint=1,0,1,1",
    );
    let want: [[u8; 3]; 7] = [
        [255, 255, 255], // flash true
        [255, 0, 0],     // enabled false
        [0, 255, 0],     // mode "Green"
        [255, 255, 255], // level 4
        [191, 191, 191], // amount 0.75
        [64, 255, 0],    // spot (0.25, 1)
        [255, 0, 255],   // tint magenta
    ];
    for (i, w) in want.iter().enumerate() {
        let got = stripe(&img, i as u32);
        assert!(
            (0..3).all(|c| got[c].abs_diff(w[c]) <= 2),
            "stripe {i}: got {got:?}, want {w:?}"
        );
    }
}

#[test]
fn render_filter_with_image() {
    let dir = Dir::new("filter-image");
    let fs = dir.copy("filter_invert.fs");
    let checker = shaders_dir().join("imported_checker.png");
    let arg = format!("inputImage={}", checker.display());
    dir.isf(&[
        "render", &fs, "-o", "out.png", "--size", "8x8", "--image", &arg,
    ])
    .expect_code(0);
    let img = dir.png("out.png");
    // The checker is 1-pixel squares with a red top-left pixel, then black and white
    // alternating; inverted: cyan top-left, then white and black.
    assert_rgb(&img, 0, 0, [0, 255, 255], 2);
    assert_rgb(&img, 1, 0, [255, 255, 255], 2);
    assert_rgb(&img, 2, 0, [0, 0, 0], 2);
    assert_rgb(&img, 0, 1, [255, 255, 255], 2);
}

// ---------------------------------------------------------------------------------------
// render: sizes

// ---------------------------------------------------------------------------------------
// render: bad shaders

#[test]
fn render_compile_error_points_at_user_line() {
    let (dir, run) = render("bad/compile_error.fs", "-o out.png --size 8x8");
    run.expect_code(1)
        .expect_stderr_line_starting("compile_error.fs:12:12: error: ");
    // The source line and a caret under column 12 (the tab is kept so the caret lines up).
    let lines = run.stderr_lines();
    let at = lines
        .iter()
        .position(|l| l.starts_with("compile_error.fs:12:12: error: "))
        .expect("the error line");
    assert!(lines[at].contains("brightness"), "{run:?}");
    assert_eq!(
        lines.get(at + 1).map(String::as_str),
        Some("   12 | \tfloat b = brightness * a;"),
        "{run:?}"
    );
    assert_eq!(
        lines.get(at + 2).map(String::as_str),
        Some("      | \t          ^"),
        "{run:?}"
    );
    assert!(!dir.join("out.png").exists());
}

#[test]
fn render_malformed_json_is_positioned() {
    let (_, run) = render("bad/malformed_json.fs", "-o out.png --size 8x8");
    run.expect_code(1)
        .expect_stderr_line(
            "malformed_json.fs:4:11: error: invalid JSON in ISF header: expected `:`",
        )
        .expect_stderr_line("    4 | \t\"INPUTS\" [")
        .expect_stderr_line("      | \t         ^");
}

#[test]
fn render_prints_header_warnings_and_succeeds() {
    let (dir, run) = render("bad/unknown_type.fs", "-o out.png --size 4x4");
    run.expect_code(0)
        .expect_stderr_line(
            "unknown_type.fs:5:31: warning: INPUTS[0] (\"volume\") has unknown TYPE \"texture3D\"; skipped",
        );
    assert_rgb(&dir.png("out.png"), 1, 1, [128, 128, 128], 2);
}

// ---------------------------------------------------------------------------------------
// validate

#[test]
fn validate_valid_shader() {
    let dir = Dir::new("validate-ok");
    let fs = dir.copy("gradient.fs");
    let run = dir.isf(&["validate", &fs]);
    run.expect_code(0);
    assert_eq!(run.stdout(), "gradient.fs: valid\n");
}

#[test]
fn validate_compile_error_text() {
    let dir = Dir::new("validate-error");
    let fs = dir.copy("bad/compile_error.fs");
    dir.isf(&["validate", &fs])
        .expect_code(1)
        .expect_stderr_line_starting("compile_error.fs:12:12: error: ")
        .expect_stderr_line("   12 | \tfloat b = brightness * a;");
}

/// `isf validate --json` on a copy of tests/shaders/`shader`, which must exit with `code`: its
/// report.
#[track_caller]
fn validate_json(shader: &str, code: i32) -> Value {
    let dir = Dir::new("validate-json");
    let fs = dir.copy(shader);
    let run = dir.isf(&["validate", "--json", &fs]);
    run.expect_code(code);
    run.json()
}

/// `isf info` on a copy of tests/shaders/`shader`, which must succeed: its report.
#[track_caller]
fn info_json(shader: &str) -> Value {
    let dir = Dir::new("info");
    let fs = dir.copy(shader);
    let run = dir.isf(&["info", &fs]);
    run.expect_code(0);
    run.json()
}

#[test]
fn validate_json_valid() {
    let v = validate_json("gradient.fs", 0);
    assert_eq!(v["valid"], true);
    assert_eq!(v["errors"], serde_json::json!([]));
    assert_eq!(v["warnings"], serde_json::json!([]));
}

#[test]
fn validate_json_warning() {
    let v = validate_json("tolerant_json.fs", 0);
    assert_eq!(v["valid"], true);
    assert_eq!(v["errors"], serde_json::json!([]));
    let warnings = v["warnings"].as_array().expect("warnings array");
    assert_eq!(warnings.len(), 1, "{v}");
    let w = &warnings[0];
    assert_eq!(w["line"], 2, "{v}");
    assert_eq!(w["column"], 2, "{v}");
    assert_eq!(w["stage"], "header");
    assert!(
        w["message"]
            .as_str()
            .is_some_and(|m| m.contains("not strict JSON")),
        "{v}"
    );
}

#[test]
fn validate_json_compile_error() {
    let v = validate_json("bad/compile_error.fs", 1);
    assert_eq!(v["valid"], false);
    let errors = v["errors"].as_array().expect("errors array");
    assert_eq!(errors.len(), 1, "{v}");
    assert_eq!(errors[0]["line"], 12);
    assert_eq!(errors[0]["column"], 12);
    assert_eq!(errors[0]["stage"], "fragment");
    assert!(
        errors[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("brightness")),
        "{v}"
    );
    assert_eq!(v["warnings"], serde_json::json!([]));
}

#[test]
fn validate_json_type_error_at_user_line() {
    let v = validate_json("bad/type_error.fs", 1);
    assert_eq!(v["valid"], false);
    assert_eq!(v["errors"][0]["line"], 7, "{v}");
    assert_eq!(v["errors"][0]["stage"], "fragment", "{v}");
}

/// A header problem is one entry at its line and column: an error (invalid), or a warning
/// (still valid).
#[test]
fn validate_json_header_problems_are_positioned() {
    for (shader, code, list, line, column, message) in [
        (
            "bad/malformed_json.fs",
            1,
            "errors",
            4,
            11,
            "invalid JSON in ISF header: expected `:`",
        ),
        (
            "bad/unknown_type.fs",
            0,
            "warnings",
            5,
            31,
            "INPUTS[0] (\"volume\") has unknown TYPE \"texture3D\"; skipped",
        ),
    ] {
        let v = validate_json(shader, code);
        assert_eq!(v["valid"], code == 0, "{v}");
        let want = serde_json::json!([{
            "line": line,
            "column": column,
            "message": message,
            "stage": "header",
        }]);
        assert_eq!(v[list], want, "{shader}");
    }
}

// ---------------------------------------------------------------------------------------
// info

#[test]
fn info_inputs_and_defaults() {
    let v = info_json("inputs_all.fs");
    assert_eq!(v["kind"], "generator");
    assert_eq!(v["path"], "inputs_all.fs");
    let inputs = v["inputs"].as_array().expect("inputs");
    let summary: Vec<(&str, &str)> = inputs
        .iter()
        .map(|i| (i["name"].as_str().unwrap(), i["type"].as_str().unwrap()))
        .collect();
    assert_eq!(
        summary,
        [
            ("flash", "event"),
            ("enabled", "bool"),
            ("mode", "long"),
            ("level", "long"),
            ("amount", "float"),
            ("spot", "point2D"),
            ("tint", "color"),
        ]
    );
    assert_eq!(inputs[1]["default"], true);
    assert_eq!(inputs[2]["default"], 2);
    assert_eq!(
        inputs[2]["labels"],
        serde_json::json!(["Red", "Green", "Blue"])
    );
    assert_eq!(inputs[4]["default"], 0.25);
    assert_eq!(inputs[5]["default"], serde_json::json!([0.75, 0.25]));
    assert_eq!(
        inputs[6]["default"],
        serde_json::json!([0.0, 0.5, 1.0, 1.0])
    );
    assert_eq!(v["passes"].as_array().map(Vec::len), Some(1));
}

#[test]
fn info_kinds() {
    for (shader, kind) in [
        ("gradient.fs", "generator"),
        ("filter_invert.fs", "filter"),
        ("transition.fs", "transition"),
    ] {
        assert_eq!(info_json(shader)["kind"], kind, "{shader}");
    }
}

#[test]
fn info_passes() {
    let v = info_json("persistent.fs");
    let passes = v["passes"].as_array().expect("passes");
    assert_eq!(passes.len(), 2, "{v}");
    assert_eq!(passes[0]["target"], "accum");
    assert_eq!(passes[0]["persistent"], true);
    assert_eq!(passes[0]["float"], true);
    assert_eq!(passes[1]["target"], Value::Null);
}

// ---------------------------------------------------------------------------------------
// cleanup report, re-initialisation, bench

#[test]
fn render_cleanup_report_text() {
    let (dir, run) = render("gradient.fs", "-o out.png --size 8x8 --cleanup-report");
    run.expect_code(0)
        .expect_stderr_line_starting("cleanup report (")
        .expect_stderr_line("  leaks: none (registry empty, wgpu report clean)");
    let lines = run.stderr_lines();
    let header = lines
        .iter()
        .position(|l| l.trim_start().starts_with("#  phase"))
        .unwrap_or_else(|| panic!("no table header: {run:?}"));
    let phases = [
        "stop background workers",
        "close windows and surfaces",
        "release GPU resources",
        "release UI state",
        "release system resources",
        "verify",
    ];
    for (i, name) in phases.iter().enumerate() {
        let row = lines
            .get(header + 1 + i)
            .map(|l| l.trim_start())
            .unwrap_or("");
        assert!(
            row.starts_with(&format!("{}  {name} ", i + 1)),
            "row {} should be {name:?}: {run:?}",
            i + 1
        );
    }
    assert_eq!(dir.png("out.png").dimensions(), (8, 8));
}

/// Exit code 3 when the cleanup report finds a leak (a texture leaked on purpose
/// through a hidden test hook); the frame is still written and the leak named by its label.
#[test]
fn a_leak_in_the_cleanup_report_exits_3() {
    let dir = Dir::new("leak-exit-3");
    let fs = dir.copy("gradient.fs");
    let run = dir.isf(&[
        "render",
        &fs,
        "-o",
        "out.png",
        "--size",
        "8x8",
        "--cleanup-report",
        "--debug-leak-texture",
        "left behind",
    ]);
    run.expect_code(3)
        .expect_stderr_line("error: the cleanup report shows problems (see above)");
    assert!(
        run.stderr().contains("\"left behind\""),
        "the leak is not named: {run:?}"
    );
    assert_eq!(dir.png("out.png").dimensions(), (8, 8));
    // Without a report asked for, the same run exits 0: the report is what fails it.
    let quiet = dir.isf(&[
        "render",
        &fs,
        "-o",
        "out2.png",
        "--size",
        "8x8",
        "--debug-leak-texture",
        "left behind",
    ]);
    quiet.expect_code(0);
}

#[test]
fn render_json_report() {
    let dir = Dir::new("json-report");
    let fs = dir.copy("gradient.fs");
    let run = dir.isf_words(&format!("render {fs} -o out.png --size 8x8 --json-report"));
    run.expect_code(0);
    let v = run.json();
    let phases: Vec<&str> = v["phases"]
        .as_array()
        .expect("phases")
        .iter()
        .map(|p| p["phase"].as_str().expect("phase id"))
        .collect();
    assert_eq!(
        phases,
        [
            "stop_workers",
            "close_surfaces",
            "release_gpu",
            "release_ui",
            "release_system",
            "verify"
        ]
    );
    assert_eq!(v["leaks"], serde_json::json!([]));
    for p in v["phases"].as_array().unwrap() {
        assert_eq!(p["errors"], serde_json::json!([]), "{p}");
    }
    assert!(
        v["phases"][2]["released_count"].as_u64().unwrap_or(0) > 0,
        "{v}"
    );
    assert_eq!(dir.png("out.png").dimensions(), (8, 8));
}

#[test]
fn persistent_state_survives_reinit() {
    let dir = Dir::new("reinit");
    let fs = dir.copy("persistent.fs");
    let common = [
        "render",
        fs.as_str(),
        "--size",
        "16x8",
        "--frames",
        "6",
        "-q",
    ];
    let mut args = common.to_vec();
    args.extend(["-o", "plain_%04d.png"]);
    dir.isf(&args).expect_code(0);
    let mut args = common.to_vec();
    args.extend(["-o", "reinit_%04d.png", "--reinit-every", "2"]);
    dir.isf(&args).expect_code(0);
    for i in 0..6 {
        assert!(
            dir.join(&format!("reinit_{i:04}.png")).exists(),
            "frame {i}"
        );
    }
    assert!(!dir.join("reinit_0006.png").exists());
    let plain = dir.png("plain_0005.png");
    let reinit = dir.png("reinit_0005.png");
    // After 6 frames: left half red 0.6, right half green 0.6 (the expected value).
    assert_rgb(&plain, 2, 4, [153, 0, 0], 2);
    assert_rgb(&plain, 13, 4, [0, 153, 0], 2);
    assert_eq!(
        plain.as_raw(),
        reinit.as_raw(),
        "the last frame differs after re-initialisations: persistent state was lost"
    );
}

#[test]
fn bench_lifecycle_json() {
    let dir = Dir::new("bench");
    let run = dir.isf_words("bench lifecycle --renders 20 --reinits 4 --json");
    run.expect_code(0);
    let v = run.json();
    assert_eq!(v["renders"], 20, "{v}");
    assert_eq!(v["reinits"], 4, "{v}");
    assert!(v["rss_end_kib"].is_u64(), "{v}");
    assert_eq!(v["leaks"], 0, "{v}");
    assert_eq!(v["live_resources_after_shutdown"], 0, "{v}");
    assert_ne!(
        v["adapter"], "(none)",
        "the adapter name is read before shutdown: {v}"
    );
}

// ---------------------------------------------------------------------------------------
// help and usage

#[test]
fn help_exits_zero() {
    let dir = Dir::new("help");
    let run = dir.isf(&["--help"]);
    run.expect_code(0);
    let out = run.stdout();
    for word in ["Usage: isf", "render", "validate", "info", "bench"] {
        assert!(out.contains(word), "--help lacks {word:?}: {run:?}");
    }
    let run = dir.isf(&["render", "--help"]);
    run.expect_code(0);
    let out = run.stdout();
    for word in [
        "Usage: isf render",
        "--output",
        "--size",
        "--set",
        "--reinit-every",
    ] {
        assert!(out.contains(word), "render --help lacks {word:?}: {run:?}");
    }
}

/// `isf --help` says what `isf bench` runs by default (the pipeline bench), as
/// `isf bench --help` does.
#[test]
fn help_names_the_default_bench() {
    let dir = Dir::new("help-bench");
    let run = dir.isf(&["--help"]);
    run.expect_code(0);
    let line = run
        .stdout()
        .lines()
        .find(|l| l.trim_start().starts_with("bench "))
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("no bench line: {run:?}"));
    assert!(line.contains("`isf bench` (pipeline)"), "{line}");
    let run = dir.isf(&["bench", "--help"]);
    run.expect_code(0);
    assert!(run.stdout().contains("[default: pipeline]"), "{run:?}");
}

#[test]
fn no_arguments_is_usage_error() {
    let dir = Dir::new("no-args");
    dir.isf(&[]).expect_code(2);
    dir.isf(&["render"]).expect_code(2);
    dir.isf(&["frobnicate"]).expect_code(2);
}

/// Successful runs of the main commands print no line containing "error" (Mesa's
/// XDG_RUNTIME_DIR message included), with XDG_RUNTIME_DIR unset.
#[test]
fn successful_runs_print_no_error_lines() {
    let dir = Dir::new("no-error-lines");
    let fs = dir.copy("gradient.fs");
    dir.write(
        "job.yaml",
        format!(
            "jobs:\n  - shader: {fs}\n    output: out/g_%02d.png\n    frames: 2\n    size: 32x16\n"
        ),
    );
    let runs = [
        dir.isf(&["render", &fs, "-o", "g.png", "--size", "32x16"]),
        dir.isf_words(&format!(
            "render {fs} -o s_%02d.png --size 32x16 --frames 3"
        )),
        dir.isf(&["validate", &fs]),
        dir.isf(&["info", &fs]),
        dir.isf(&["batch", "job.yaml", "--quiet"]),
        dir.isf(&["doctor"]),
        // What scripts/setup.sh runs: the cleanup report's table has no "errors" column.
        dir.isf_words(&format!(
            "render {fs} -o r_%02d.png --size 32x16 --frames 2 --cleanup-report"
        )),
    ];
    for run in &runs {
        run.expect_code(0);
        let (out, err) = (run.stdout(), run.stderr());
        let bad: Vec<&str> = err
            .lines()
            .chain(out.lines())
            .filter(|l| l.to_ascii_lowercase().contains("error"))
            .collect();
        assert!(
            bad.is_empty(),
            "{:?} printed error lines: {bad:?}",
            run.args
        );
    }
    assert_eq!(dir.png("out/g_01.png").dimensions(), (32, 16));
}

/// `isf doctor --json` parses, names the adapter `auto` picks, and reports a test
/// render that worked.
#[test]
fn doctor_json_names_an_adapter() {
    let dir = Dir::new("doctor");
    let run = dir.isf(&["doctor", "--json"]);
    run.expect_code(0);
    let v = run.json();
    assert_eq!(v["ok"], Value::Bool(true), "{v}");
    assert_eq!(v["render"]["ok"], Value::Bool(true), "{v}");
    let picked = v["auto"]["adapter"]
        .as_str()
        .expect("auto names an adapter");
    let adapters = v["adapters"].as_array().expect("an adapter list");
    assert!(!adapters.is_empty(), "{v}");
    assert!(
        adapters
            .iter()
            .any(|a| picked.starts_with(a["name"].as_str().unwrap_or("?"))),
        "the adapter auto picks ({picked}) is not in the list: {v}"
    );
    for key in ["found", "h264", "vp9"] {
        assert!(v["ffmpeg"].get(key).is_some(), "{v}");
    }
    // The text form says the same.
    let text = dir.isf(&["doctor"]);
    text.expect_code(0);
    assert!(
        text.stdout().contains("test render: ok"),
        "{}",
        text.stdout()
    );
    assert!(text.stdout().contains(&format!("auto picks: {picked}")));
}

/// Completion scripts for each shell clap supports, naming the subcommands.
#[test]
fn completions_for_each_shell_name_the_subcommands() {
    let dir = Dir::new("completions");
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = dir.isf(&["completions", shell]);
        run.expect_code(0);
        let out = run.stdout();
        for word in ["render", "validate", "batch", "doctor"] {
            assert!(out.contains(word), "{shell} completions lack {word}");
        }
    }
    dir.isf(&["completions", "tcsh"]).expect_code(2);
}

/// DATE as pixels, 2x1: left (year - 2000, month, day), right (hours, minutes,
/// seconds), each as n/255 so 8-bit output holds it exactly.
const DATE_SHADER: &str = "/*{ \"ISFVSN\": \"2\" }*/\n\
void main() {\n\
  vec3 ymd = vec3(DATE.x - 2000.0, DATE.y, DATE.z);\n\
  vec3 hms = vec3(floor(DATE.w / 3600.0), mod(floor(DATE.w / 60.0), 60.0), mod(floor(DATE.w), 60.0));\n\
  gl_FragColor = vec4((gl_FragCoord.x < 1.0 ? ymd : hms) / 255.0, 1.0);\n\
}\n";

/// A fresh folder holding DATE_SHADER as date.fs.
fn date_folder() -> Dir {
    let dir = Dir::new("date");
    dir.write("date.fs", DATE_SHADER);
    dir
}

fn date_pixels(img: &RgbaImage) -> [u8; 6] {
    let (a, b) = (img.get_pixel(0, 0).0, img.get_pixel(1, 0).0);
    [a[0], a[1], a[2], b[0], b[1], b[2]]
}

#[test]
fn render_date_is_reproducible_and_advances_with_time() {
    let dir = date_folder();
    dir.isf_words(
        "render date.fs -o d_%d.png --size 2x1 --frames 2 --fps 0.5 --date 2024-06-15T23:59:58",
    )
    .expect_code(0);
    assert_eq!(date_pixels(&dir.png("d_0.png")), [24, 6, 15, 23, 59, 58]);
    // Frame 1 is 2 s later: past midnight, the next day.
    assert_eq!(date_pixels(&dir.png("d_1.png")), [24, 6, 16, 0, 0, 0]);
}

#[test]
fn bad_batch_date_is_a_usage_error() {
    let dir = Dir::with_gradient_job("bad-date", "jobs:\n  - shader: gradient.fs\n");
    dir.isf(&["batch", "job.yaml", "--date", "tomorrow"])
        .expect_code(2)
        .expect_stderr_line(
            "error: --date: date \"tomorrow\" is not a date and time like YYYY-MM-DDTHH:MM:SS, e.g. 2024-12-31T23:59:30",
        );
    dir.write(
        "job.yaml",
        "jobs:\n  - shader: gradient.fs\n    date: 2024-01-01\n",
    );
    dir.isf(&["batch", "job.yaml", "--check"])
        .expect_code(2)
        .expect_stderr_line(
            "  - jobs[0] (./gradient.fs): date \"2024-01-01\" is not a date and time like YYYY-MM-DDTHH:MM:SS, e.g. 2024-12-31T23:59:30",
        );
}

#[test]
fn batch_date_comes_from_the_job_file_or_the_flag() {
    let dir = date_folder();
    dir.write(
        "job.yaml",
        "defaults:\n  size: 2x1\n  date: \"2030-01-02T03:04:05\"\njobs:\n  - shader: date.fs\n    \
         output: a.png\n  - shader: date.fs\n    output: b_%d.png\n    \
         date: \"2031-12-31T10:20:30\"\n    time: 5\n    times: [5, 7]\n",
    );
    dir.isf(&["batch", "job.yaml", "-q", "--date", "2001-01-01T00:00:00"])
        .expect_code(0);
    assert_eq!(date_pixels(&dir.png("a.png")), [30, 1, 2, 3, 4, 5]);
    assert_eq!(date_pixels(&dir.png("b_0.png")), [31, 12, 31, 10, 20, 30]);
    assert_eq!(date_pixels(&dir.png("b_1.png")), [31, 12, 31, 10, 20, 32]);
    // --date stands in for the wall clock where the job file sets no date.
    dir.write(
        "job2.yaml",
        "jobs:\n  - shader: date.fs\n    size: 2x1\n    output: c.png\n",
    );
    dir.isf(&["batch", "job2.yaml", "-q", "--date", "2001-02-03T04:05:06"])
        .expect_code(0);
    assert_eq!(date_pixels(&dir.png("c.png")), [1, 2, 3, 4, 5, 6]);
}

/// `validate --limits` reports what the adapter forbids, naming the limit; plain
/// `validate` stays GPU-free and does not.
#[test]
fn validate_limits_reports_oversized_passes() {
    let dir = Dir::new("limits");
    std::fs::write(
        dir.join("huge.fs"),
        "/*{ \"ISFVSN\": \"2\", \"PASSES\": [ { \"TARGET\": \"big\", \"WIDTH\": \"100000\", \"HEIGHT\": \"$HEIGHT\" }, {} ] }*/\n\
         void main() { gl_FragColor = PASSINDEX == 0 ? vec4(1.0) : IMG_THIS_NORM_PIXEL(big); }\n",
    )
    .unwrap();
    dir.isf(&["validate", "huge.fs"]).expect_code(0);
    let run = dir.isf(&["validate", "huge.fs", "--limits"]);
    run.expect_code(1).expect_stderr_line_starting(
        "huge.fs: error: pass 0 (big): WIDTH 100000 is 100000, over the adapter's ",
    );
    assert!(
        run.stderr()
            .contains("pixels per side (max_texture_dimension_2d) (adapter: "),
        "{run:?}"
    );
    let run = dir.isf(&["validate", "huge.fs", "--limits", "--json"]);
    run.expect_code(1);
    let v = run.json();
    assert_eq!(v["valid"], false);
    assert_eq!(v["errors"][0]["stage"], "limits");
    let run = dir.isf(&["validate", "huge.fs", "--limits", "--size", "40000x8"]);
    run.expect_code(1)
        .expect_stderr_line_starting("huge.fs: error: render size 40000x8 exceeds the adapter's ");
    let fs = dir.copy("gradient.fs");
    dir.isf(&["validate", &fs, "--limits", "--size", "64x64"])
        .expect_code(0);
}

#[test]
fn batch_check_limits_refuses_sizes_over_the_adapters() {
    let dir = Dir::with_gradient_job(
        "batch-limits",
        "jobs:\n  - shader: gradient.fs\n    size: 40000x4\n",
    );
    // Under isfkit's own limit (65536; tests/hostile.rs), over every adapter's.
    dir.isf(&["batch", "job.yaml", "--check"]).expect_code(0);
    dir.isf(&["batch", "job.yaml", "--check", "--limits"])
        .expect_code(2)
        .expect_stderr_line_starting(
            "  - jobs[0] (./gradient.fs): render size 40000x4 exceeds the adapter's ",
        );
}

/// The smallest form of a crash naga's SPIR-V writer had: a vector component passed to an
/// `inout` parameter. `isf validate` runs what rendering runs short of drawing, so it and
/// `isf render` agree, and the values are GLSL's.
const INOUT_COMPONENT: &str = "/*{\"ISFVSN\":\"2\",\"INPUTS\":[]}*/\n\
float halve(inout float p, float s) { p = p * 0.5; return s; }\n\
void main() {\n\
    vec2 q = vec2(0.8, 0.6);\n\
    float r = halve(q.y, 0.25);\n\
    gl_FragColor = vec4(q.x, q.y, r, 1.0);\n\
}\n";

#[test]
fn an_inout_vector_component_validates_and_renders_glsl_values() {
    let d = Dir::new("inout-component");
    d.write("halve.fs", INOUT_COMPONENT);
    d.isf(&["validate", "halve.fs"]).expect_code(0);
    let run = d.isf(&["render", "halve.fs", "--size", "8x8", "-o", "out.png"]);
    run.expect_code(0);
    assert!(run.stderr().is_empty(), "{run:?}");
    assert_rgb(&d.png("out.png"), 3, 3, [204, 77, 64], 1);
}

#[test]
fn a_panic_in_the_compiler_is_an_error_at_the_file_not_a_crash() {
    let d = Dir::new("compiler-panic");
    d.copy("gradient.fs");
    for (step, args) in [
        ("translate", &["validate", "gradient.fs"][..]),
        ("pipeline", &["render", "gradient.fs", "-o", "out.png"][..]),
    ] {
        let mut cmd = d.cmd(args);
        cmd.env("ISFKIT_TEST_PANIC", step);
        let run = Run {
            args: args.iter().map(|s| s.to_string()).collect(),
            output: cmd.output().unwrap(),
        };
        run.expect_code(1).expect_stderr_line(&format!(
            "gradient.fs: error: the shader compiler failed on this shader (forced by ISFKIT_TEST_PANIC={step}); please report this"
        ));
        assert!(!run.stderr().contains("panicked"), "{run:?}");
    }
    assert!(
        !d.join("out.png").exists(),
        "no output after a failed render"
    );
}

/// naga logs what isfkit reports itself at the user's line (`ERROR naga::valid::...`): those
/// lines print with --verbose only.
#[test]
fn library_log_lines_print_only_with_verbose() {
    let d = Dir::new("library-logs");
    d.write(
        "bad.fs",
        "/*{\"ISFVSN\":\"2\"}*/\nstruct S { float a; vec2 b; };\nvoid main() { S s = S(1.0, vec3(2.0)); gl_FragColor = vec4(s.a); }\n",
    );
    let quiet = d.isf(&["validate", "bad.fs"]);
    quiet.expect_code(1);
    assert!(
        quiet.stderr_lines().iter().all(|l| !l.contains("naga::")),
        "{quiet:?}"
    );
    quiet.expect_stderr_line_starting("bad.fs:3:21: error: ");
    let verbose = d.isf(&["validate", "--verbose", "bad.fs"]);
    verbose.expect_code(1);
    assert!(verbose.stderr().contains("naga::"), "{verbose:?}");
}

/// A reader that closes standard output early (`isf info x.fs | head -1`) ends the command
/// quietly with SIGPIPE's status, not a panic report.
#[test]
fn a_closed_standard_output_ends_the_command_quietly() {
    use std::process::Stdio;
    let dir = Dir::new("closed-stdout");
    // More than a pipe holds (64 KiB), so the write meets the closed pipe whenever the other
    // end's last holder closes it (a test thread's fork may hold it for a moment).
    let long = "a shader ".repeat(30_000);
    dir.write(
        "long.fs",
        format!(
            "/*{{\"DESCRIPTION\": \"{long}\"}}*/\nvoid main() {{ gl_FragColor = vec4(1.0); }}\n"
        ),
    );
    let mut child = isf_command()
        .args(["info", "long.fs"])
        .current_dir(dir.join("."))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(141), "{stderr}");
    assert_eq!(stderr, "");
}

// ---------------------------------------------------------------------------------------
// the pipeline cache on disk

#[test]
fn the_pipeline_cache_lives_in_the_users_cache_folder_or_where_it_is_told_or_nowhere() {
    let dir = Dir::new("pipeline-cache");
    let fs = dir.copy("gradient.fs");
    let run = |env: &[(&str, &str)]| {
        let mut c = dir.cmd(&["render", &fs, "-o", "out.png"]);
        c.env_remove("ISFKIT_PIPELINE_CACHE")
            .env("XDG_CACHE_HOME", dir.path.join("xdg"));
        for (k, v) in env {
            c.env(k, v);
        }
        let o = c.output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stderr(&o)
    };
    // By default: in $XDG_CACHE_HOME/isfkit/pipelines (where the adapter offers a cache).
    run(&[]);
    let files = dir.files("xdg/isfkit/pipelines");
    if files.is_empty() {
        eprintln!("skipping: this adapter offers no pipeline cache");
        return;
    }
    assert_eq!(files.len(), 1, "{files:?}");
    // Where ISFKIT_PIPELINE_CACHE says; nowhere when it says off.
    run(&[("ISFKIT_PIPELINE_CACHE", "elsewhere")]);
    assert_eq!(dir.files("elsewhere"), files);
    std::fs::remove_dir_all(dir.path.join("xdg")).unwrap();
    run(&[("ISFKIT_PIPELINE_CACHE", "off")]);
    assert!(dir.files("xdg/isfkit/pipelines").is_empty());
    // A damaged file: one plain warning line, the render goes on, a good file is written.
    let path = dir.path.join("elsewhere").join(&files[0]);
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[12] ^= 1;
    std::fs::write(&path, &bytes).unwrap();
    let err = run(&[("ISFKIT_PIPELINE_CACHE", "elsewhere")]);
    let warning = format!(
        "WARN isfkit_render::pipeline_cache: pipeline cache elsewhere/{}: the file is damaged (its checksum does not match); ignored (it is written again at exit)",
        files[0]
    );
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(lines[0].ends_with(&warning), "{err}");
    let err = run(&[("ISFKIT_PIPELINE_CACHE", "elsewhere")]);
    assert_eq!(err, "", "the file was written good again");
}
