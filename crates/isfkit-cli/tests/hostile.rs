//! Hostile input: inputs that could crash, overflow the stack, exhaust memory or render a
//! silent black frame each end as a clear error naming the limit or the bad value, with the README's exit code (2: usage, bad values, job errors; 1: an invalid
//! shader). Each test runs the real `isf` binary; the inputs exercise each limit cheaply (no
//! test allocates much or renders much).

mod common;

use common::*;

/// A shader: a one-line header (line 1), then `code`.
fn shader(header_inputs: &str, code: &str) -> String {
    format!("/*{{\"ISFVSN\": \"2\", \"INPUTS\": [{header_inputs}]}}*/\n{code}")
}

/// Writes `source` as `name` in `d`: `isf validate` of it must exit 1 with the line `message`.
#[track_caller]
fn expect_invalid(d: &Dir, name: &str, source: impl AsRef<[u8]>, message: &str) {
    d.write(name, source);
    d.isf(&["validate", name])
        .expect_code(1)
        .expect_stderr_line(message);
}

// -------------------------------------------------------------------------------------------
// Size expressions

#[test]
fn a_size_expression_nested_30000_deep_is_an_error_not_a_stack_overflow() {
    let d = Dir::new("expr-deep");
    let expr = format!("{}$WIDTH{}", "(".repeat(30_000), ")".repeat(30_000));
    let src = format!(
        "/*{{\"ISFVSN\": \"2\", \"PASSES\": [{{\"TARGET\": \"a\", \"WIDTH\": \"{expr}\"}}, {{}}]}}*/\nvoid main() {{ gl_FragColor = vec4(1.0); }}\n"
    );
    let col = "/*{\"ISFVSN\": \"2\", \"PASSES\": [{\"TARGET\": \"a\", \"WIDTH\": ".len() + 1;
    let message = format!(
        "deep.fs:1:{col}: error: PASSES[0].WIDTH \"((((((((((((((((((((((((((((((((((((((((\"... is not a valid expression: the expression is 60006 characters long, over the limit of 1000"
    );
    expect_invalid(&d, "deep.fs", src, &message);
    // Within the length limit, past the depth limit.
    let expr = format!("{}$WIDTH{}", "(".repeat(40), ")".repeat(40));
    let nested = format!(
        "/*{{\"ISFVSN\": \"2\", \"PASSES\": [{{\"TARGET\": \"a\", \"WIDTH\": \"{expr}\"}}, {{}}]}}*/\nvoid main() {{ gl_FragColor = vec4(1.0); }}\n"
    );
    let message = format!(
        "nested.fs:1:{col}: error: PASSES[0].WIDTH \"((((((((((((((((((((((((((((((((((((((((\"... is not a valid expression: the expression nests deeper than the limit of 32 levels at column 33"
    );
    expect_invalid(&d, "nested.fs", nested, &message);
}

#[test]
fn a_header_nested_past_the_json_limit_is_an_error() {
    let d = Dir::new("json-deep");
    let src = format!(
        "/*{{\"ISFVSN\": \"2\", \"X\": {}1{}}}*/\nvoid main() {{ gl_FragColor = vec4(1.0); }}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    // The root object is level 1: the 64th `[` opens level 65.
    let col = "/*{\"ISFVSN\": \"2\", \"X\": ".len() + 64;
    let message = format!(
        "deep.fs:1:{col}: error: the ISF header nests arrays and objects deeper than the limit of 64 levels"
    );
    expect_invalid(&d, "deep.fs", src, &message);
}

// -------------------------------------------------------------------------------------------
// GLSL nesting, checked before naga sees the code

const NESTING: &str =
    "error: brackets, blocks and parentheses nest deeper than the limit of 256 levels";

/// 3,000 nested `if`s, one per line: the 256th `if (` (line 258) opens level 257 (main's
/// block is level 1).
fn deep_ifs() -> String {
    let mut code = String::from("void main() {\n");
    for _ in 0..3000 {
        code.push_str("if (TIME > 0.0) {\n");
    }
    code.push_str("gl_FragColor = vec4(1.0);\n");
    code.push_str(&"}\n".repeat(3000));
    code.push_str("}\n");
    shader("", &code)
}

#[test]
fn glsl_nested_3000_ifs_deep_is_an_error_at_the_users_line() {
    let d = Dir::new("glsl-ifs");
    expect_invalid(
        &d,
        "ifs.fs",
        deep_ifs(),
        &format!("ifs.fs:258:4: {NESTING}"),
    );
}

/// 10,000 nested parentheses, and a sum of 10,000 terms: each an error at its column of line 3.
#[test]
fn glsl_past_the_nesting_and_operator_limits_is_an_error() {
    let d = Dir::new("glsl-limits");
    let parens = format!("({}1.0{})", "(".repeat(10_000), ")".repeat(10_000));
    let sum = format!("1.0{}", " + 1.0".repeat(10_000));
    for (name, line3, col, message) in [
        // main's block is level 1, `vec4(` level 2: the 255th parenthesis opens level 257.
        (
            "parens.fs",
            format!("gl_FragColor = vec4{parens};"),
            "gl_FragColor = vec4(".len() + 255,
            NESTING,
        ),
        // `=` is the statement's first operator: the 4,000th `+` is one too many.
        (
            "sum.fs",
            format!("float a = {sum};\ngl_FragColor = vec4(a);"),
            "float a = 1.0".len() + 6 * 3999 + 2,
            "error: a statement has more than the limit of 4000 operators",
        ),
    ] {
        let code = format!("void main() {{\n{line3}\n}}\n");
        expect_invalid(
            &d,
            name,
            shader("", &code),
            &format!("{name}:3:{col}: {message}"),
        );
    }
}

#[test]
fn a_macro_bomb_is_an_error_at_its_use() {
    let d = Dir::new("glsl-macros");
    // 10^8 tokens from 10 short lines: A0 is ten `x`, each next A ten of the one before.
    let defines: String = (1..9)
        .map(|k| format!("#define A{k} {}\n", format!("A{} ", k - 1).repeat(10)))
        .collect();
    let code = format!(
        "#define A0 x x x x x x x x x x\n{defines}void main() {{ gl_FragColor = vec4(A8); }}\n"
    );
    let col = "void main() { gl_FragColor = vec4(".len() + 1;
    let message = format!(
        "bomb.fs:11:{col}: error: the shader expands to more than the limit of 1000000 tokens (macros expanded)"
    );
    expect_invalid(&d, "bomb.fs", shader("", &code), &message);
}

#[test]
fn ten_thousand_errors_on_one_long_line_are_a_hundred_short_ones() {
    // A fuzzer's find: a 1 MB vertex shader on one line, the same mistake 10,000 times.
    // Each error once quoted the whole line and scanned the file for it: 24 GB and a kill.
    let d = Dir::new("many-errors");
    let one = "(v(IMG_THIS_NORM_PIXEL(buf)).x)&";
    let code = format!(
        "#define S float({}0)\nvoid main() {{}}\n",
        one.repeat(10_000)
    );
    d.write("long.vs", &code);
    let fs = "/*{\"PASSES\": [{\"TARGET\": \"buf\"}, {}]}*/\nvoid main() { gl_FragColor = vec4(1.0); }\n";
    d.write("long.fs", fs);
    let run = d.isf(&["validate", "long.fs"]);
    run.expect_code(1);
    let err = run.stderr();
    assert!(err.len() < 100_000, "{} bytes of errors", err.len());
    let first_col = "#define S float((v(".len() + 1;
    run.expect_stderr_line(&format!(
        "long.vs:1:{first_col}: error: IMG_THIS_NORM_PIXEL belongs to the fragment shader (a vertex has no pixel of its own); use IMG_NORM_PIXEL(buf, isf_FragNormCoord)"
    ));
    run.expect_stderr_line(
        "long.vs: error: 9900 more errors are not shown (the vertex shader's first 100 are)",
    );
    // The quoted line is a window around the column, cut with `…`.
    let quoted = err.lines().find(|l| l.starts_with("    1 | ")).unwrap();
    assert!(
        quoted.chars().count() < 200 && quoted.ends_with('…'),
        "{quoted}"
    );
}

#[test]
fn one_deep_shader_does_not_abort_an_isolated_batch() {
    let d = Dir::new("glsl-batch");
    d.write("ifs.fs", deep_ifs());
    d.copy("gradient.fs");
    d.write(
        "job.yaml",
        "defaults:\n  size: 16x8\njobs:\n  - shader: ifs.fs\n    output: out/ifs.png\n  - shader: gradient.fs\n    output: out/gradient.png\n",
    );
    let run = d.isf(&["batch", "job.yaml", "--isolate", "--quiet"]);
    run.expect_code(1);
    assert!(
        run.stderr().contains(&format!("ifs.fs:258:4: {NESTING}")),
        "{run:?}"
    );
    assert!(d.path.join("out/gradient.png").is_file(), "{run:?}");
    assert!(!d.path.join("out/ifs.png").exists(), "{run:?}");
}

// -------------------------------------------------------------------------------------------
// Output patterns, frame counts and ranges, counts of threads and frames in flight

#[test]
fn a_70000_digit_frame_pattern_is_a_usage_error() {
    let d = Dir::new("pattern");
    d.copy("gradient.fs");
    d.isf(&[
        "render",
        "gradient.fs",
        "-o",
        "f_%070000d.png",
        "--frames",
        "2",
        "--size",
        "4x4",
    ])
    .expect_code(2)
    .expect_stderr_line(
        "error: --output: the frame number pattern %070000d is wider than the limit of 20 digits",
    );
    d.write(
        "job.yaml",
        "jobs:\n  - shader: gradient.fs\n    output: out/{name}_{frame:070000}.png\n    frames: 2\n",
    );
    d.isf(&["batch", "job.yaml", "--check"]).expect_code(2).expect_stderr_line(
        "  - jobs[0] (./gradient.fs): output: the frame number pattern {frame:070000} is wider than the limit of 20 digits",
    );
}

#[test]
fn frame_counts_and_ranges_past_the_limits_are_job_errors() {
    let d = Dir::with_gradient_job("frames", "jobs:\n  - shader: gradient.fs\n    frames: 10000000000\n  - shader: gradient.fs\n    frames: \"0..18446744073709551615\"\n  - shader: gradient.fs\n    frames: \"99999999..100000001\"\n");
    d.isf(&["batch", "job.yaml", "--check"])
        .expect_code(2)
        .expect_stderr_line("error: the job file has 3 problem(s); nothing was rendered:")
        .expect_stderr_line("  - jobs[0] (./gradient.fs): frames: 10000000000 frames is over the limit of 1000000 per task")
        .expect_stderr_line("  - jobs[1] (./gradient.fs): frames \"0..18446744073709551615\" holds 18446744073709551615 frames, over the limit of 1000000 per task")
        .expect_stderr_line("  - jobs[2] (./gradient.fs): frames \"99999999..100000001\" ends past the limit of frame number 100000000");
    d.isf(&[
        "render",
        "gradient.fs",
        "-o",
        "f_%04d.png",
        "--frames",
        "10000000000",
    ])
    .expect_code(2)
    .expect_stderr_line("error: --frames 10000000000 is over the limit of 1000000");
}

#[test]
fn in_flight_and_thread_counts_past_the_limits_are_usage_errors() {
    let d = Dir::with_gradient_job("counts", "jobs:\n  - shader: gradient.fs\n");
    for (args, message) in [
        (
            "batch job.yaml --in-flight 18446744073709551615",
            "error: invalid value '18446744073709551615' for '--in-flight <IN_FLIGHT>': 18446744073709551615 is over the limit of 16 frames in flight",
        ),
        (
            "batch job.yaml --threads 100000",
            "error: invalid value '100000' for '--threads <THREADS>': 100000 is over the limit of 256 encoder threads",
        ),
    ] {
        d.isf_words(args).expect_code(2).expect_stderr_line(message);
    }
}

// -------------------------------------------------------------------------------------------
// File reads are capped

#[test]
fn dev_zero_as_a_shader_job_or_vertex_shader_is_a_read_error() {
    let d = Dir::new("devzero");
    let cap = "the file is larger than the shader file limit of 1 MiB";
    d.isf(&["validate", "/dev/zero"])
        .expect_code(2)
        .expect_stderr_line(&format!("error: cannot read /dev/zero: {cap}"));
    d.isf(&["render", "/dev/zero", "-o", "x.png"])
        .expect_code(2)
        .expect_stderr_line(&format!("error: cannot read /dev/zero: {cap}"));
    d.isf(&["batch", "/dev/zero", "--check"])
        .expect_code(2)
        .expect_stderr_line(
            "  - cannot read /dev/zero: the file is larger than the job file limit of 16 MiB",
        );
    // A vertex shader one byte over the limit (`/dev/zero` is not a regular file, so it is
    // never taken for a `.vs` sibling).
    d.copy("gradient.fs");
    d.write("gradient.vs", vec![b' '; (1 << 20) + 1]);
    d.isf(&["validate", "gradient.fs"])
        .expect_code(2)
        .expect_stderr_line(&format!("error: cannot read gradient.vs: {cap}"));
}

// -------------------------------------------------------------------------------------------
// Sizes

/// A PNG whose header says `w`x`h` (its data is empty: only the header is read).
fn png_header(w: u32, h: u32) -> Vec<u8> {
    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in data {
            crc ^= b as u32;
            for _ in 0..8 {
                crc = if crc & 1 != 0 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32(&body).to_be_bytes());
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]); // 8-bit RGBA
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &[]);
    chunk(&mut out, b"IEND", &[]);
    out
}

#[test]
fn a_20000_pixel_image_is_a_size_error_before_the_gpu() {
    let d = Dir::new("image");
    d.copy("filter_invert.fs");
    d.write("big.png", png_header(20_000, 20_000));
    d.isf(&[
        "render", "filter_invert.fs", "-o", "x.png", "--size", "4x4", "--image", "inputImage=big.png",
    ])
    .expect_code(2)
    .expect_stderr_line("error: cannot read image big.png: the image is 20000x20000, over the limit of 16384 pixels per side");
    assert!(!d.path.join("x.png").exists());
}

#[test]
fn a_100000_pixel_batch_size_fails_the_check() {
    let d = Dir::with_gradient_job(
        "size",
        "jobs:\n  - shader: gradient.fs\n    size: 100000x100000\n",
    );
    d.isf(&["batch", "job.yaml", "--check"])
        .expect_code(2)
        .expect_stderr_line("  - jobs[0] (./gradient.fs): size 100000x100000 is over the limit of 65536 pixels per side");
    d.isf(&["render", "gradient.fs", "-o", "x.png", "--size", "100000x100000"])
        .expect_code(2)
        .expect_stderr_line("error: invalid value '100000x100000' for '--size <SIZE>': size 100000x100000 is over the limit of 65536 pixels per side");
}

// -------------------------------------------------------------------------------------------
// Numbers

#[test]
fn header_numbers_out_of_range_are_errors() {
    let d = Dir::new("numbers");
    // The column of MAX's value.
    let level =
        r#"/*{"ISFVSN": "2", "INPUTS": [{"NAME": "level", "TYPE": "float", "MIN": 0, "MAX": "#
            .len()
            + 1;
    let n =
        r#"/*{"ISFVSN": "2", "INPUTS": [{"NAME": "n", "TYPE": "long", "MIN": 0, "MAX": "#.len() + 1;
    let float_main = "void main() { gl_FragColor = vec4(level); }\n";
    for (name, input, main, message) in [
        (
            "huge.fs",
            r#"{"NAME": "level", "TYPE": "float", "MIN": 0, "MAX": 1e309}"#,
            float_main,
            format!("huge.fs:1:{level}: error: input \"level\": MAX: number 1e309 is out of range (a number must be within ±1.7976931348623157e308)"),
        ),
        (
            "f32.fs",
            r#"{"NAME": "level", "TYPE": "float", "MIN": 0, "MAX": 1e39}"#,
            float_main,
            format!("f32.fs:1:{level}: error: input \"level\": MAX: number 1e39 is out of range for a 32-bit float (within ±3.4028235e38)"),
        ),
        (
            "long.fs",
            r#"{"NAME": "n", "TYPE": "long", "MIN": 0, "MAX": 1e23}"#,
            "void main() { gl_FragColor = vec4(float(n)); }\n",
            format!("long.fs:1:{n}: error: input \"n\": MAX: number 1e23 is out of range for a long (-2147483648 to 2147483647)"),
        ),
    ] {
        expect_invalid(&d, name, shader(input, main), &message);
    }
}

#[test]
fn nan_time_and_nan_inputs_are_usage_errors_not_black_frames() {
    let d = Dir::new("nan");
    d.copy("inputs_all.fs");
    for (extra, message) in [
        ("--time nan", "error: --time NaN is not a finite number of seconds"),
        // Finite, but infinite as the shader's 32-bit TIME: the engine's check.
        (
            "--time 1e100",
            "error: time: 1e100 is out of range for a 32-bit float (within ±3.4028235e38)",
        ),
        ("--set amount=nan", "error: input \"amount\": NaN is not a finite number"),
        (
            "--set amount=1e39",
            "error: input \"amount\": 1e39 is out of range for a 32-bit float (within ±3.4028235e38)",
        ),
        ("--set spot=inf,0", "error: input \"spot\": inf is not a finite number"),
    ] {
        d.isf_words(&format!("render inputs_all.fs -o x.png --size 4x4 {extra}"))
            .expect_code(2)
            .expect_stderr_line(message);
    }
    assert!(!d.path.join("x.png").exists());
}
