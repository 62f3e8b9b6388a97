//! Command-line features shared with isf-shader-renderer: `isf render -` reads the shader
//! from standard input, `--time` given several times writes one numbered output per
//! time, `--quality` sets JPEG quality.

mod common;

use common::*;
use std::path::Path;

const ANIMATED: &str = "/*{ \"ISFVSN\": \"2\" }*/\nvoid main() {\n    gl_FragColor = vec4(fract(TIME), isf_FragNormCoord.x, 0.0, 1.0);\n}\n";

fn red(path: &Path) -> u8 {
    image::open(path).unwrap().to_rgba8().get_pixel(0, 0)[0]
}

#[test]
fn render_reads_the_shader_from_stdin() {
    let d = Dir::new("stdin");
    let o = d.output_with_stdin(
        &[
            "render", "-", "-o", "out.png", "--size", "8x4", "--time", "0.5",
        ],
        ANIMATED,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(red(&d.join("out.png")), 128);
    // Errors name <stdin> and the line.
    let o = d.output_with_stdin(
        &["render", "-", "-o", "bad.png"],
        "/*{}*/\nvoid main() {\n    gl_FragColor = vec4(nope);\n}\n",
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("<stdin>:3:25: error: "),
        "{}",
        stderr(&o)
    );
    assert!(!d.join("bad.png").exists());
}

#[test]
fn several_times_write_one_numbered_output_each() {
    let d = Dir::new("times");
    d.write("a.fs", ANIMATED);
    let o = d.output(&[
        "render", "a.fs", "-o", "t.png", "--size", "8x4", "--time", "0.25", "--time", "0.75",
        "--time", "0.5",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let reds: Vec<u8> = (0..3)
        .map(|i| red(&d.join(&format!("t_{i:04}.png"))))
        .collect();
    assert_eq!(reds, [64, 191, 128]);
    assert!(!d.join("t.png").exists());
    // An explicit pattern is used as given.
    let o = d.output(&[
        "render",
        "a.fs",
        "-o",
        "p%02d.png",
        "--size",
        "8x4",
        "--time",
        "0",
        "--time",
        "1.5",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(red(&d.join("p01.png")), 128);
    let o = d.output(&[
        "render", "a.fs", "-o", "x.png", "--time", "0", "--time", "1", "--frames", "3",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o).trim(),
        "error: --time given several times renders one frame per time; it cannot be combined with --frames"
    );
}

#[test]
fn quality_sets_jpeg_quality() {
    let d = Dir::new("quality");
    let noisy = "/*{}*/\nvoid main() {\n    vec2 p = gl_FragCoord.xy;\n    gl_FragColor = vec4(fract(sin(dot(p, vec2(12.9898, 78.233))) * 43758.5453), fract(p.x * 0.37), fract(p.y * 0.61), 1.0);\n}\n";
    d.write("n.fs", noisy);
    for q in ["20", "100"] {
        let out = format!("q{q}.jpg");
        let o = d.output(&[
            "render",
            "n.fs",
            "-o",
            &out,
            "--size",
            "128x128",
            "--quality",
            q,
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let low = std::fs::metadata(d.join("q20.jpg")).unwrap().len();
    let high = std::fs::metadata(d.join("q100.jpg")).unwrap().len();
    assert!(high > low * 2, "quality 100: {high} bytes, 20: {low} bytes");
    let o = d.output(&["render", "n.fs", "-o", "x.png", "--quality", "50"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o).trim(),
        "error: --quality applies to JPEG output (.jpg, .jpeg), not x.png"
    );
    let o = d.output(&["render", "n.fs", "-o", "x.jpg", "--quality", "0"]);
    assert_eq!(o.status.code(), Some(2));
}
