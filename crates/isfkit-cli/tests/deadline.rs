//! A deadline bounds wall-clock time, and no frame is lost or overwritten. Each
//! test runs the real `isf` binary in a fresh folder.
//!
//! The shader that "never ends" runs a 60,000-iteration loop per pixel at 2048x2048:
//! lavapipe needs many minutes for one frame (its loop cut at 65,535 iterations counts
//! every loop of an invocation together, so nested loops do not make it longer; the pixel
//! count does). Each timed check gives `--deadline 2` and asserts a return within 5 s.

mod common;

use common::*;
use std::time::Duration;

const NEVER_ENDS: &str = "/*{ \"ISFVSN\": \"2\" }*/\nvoid main() {\n    float a = 0.0;\n    for (int i = 0; i < 60000; i++) { a += sin(a + float(i) * 0.001 + gl_FragCoord.x); }\n    gl_FragColor = vec4(fract(a), 0.0, 0.0, 1.0);\n}\n";

/// Quick for frames before TIME 0.05 (frames 0 and 1 at 30 fps), then as slow as
/// `NEVER_ENDS`.
const LATE_HANG: &str = "/*{ \"ISFVSN\": \"2\" }*/\nvoid main() {\n    float a = 0.0;\n    int n = TIME > 0.05 ? 60000 : 1;\n    for (int i = 0; i < n; i++) { a += sin(a + float(i) * 0.001 + gl_FragCoord.x); }\n    gl_FragColor = vec4(fract(a), 0.0, 0.0, 1.0);\n}\n";

const QUICK: &str = "/*{ \"ISFVSN\": \"2\" }*/\nvoid main() {\n    gl_FragColor = vec4(isf_FragNormCoord.x, fract(TIME), 0.25, 1.0);\n}\n";

const TIMEOUT_MESSAGE: &str =
    "error: the GPU did not finish within 2s; the device was marked tainted and will be replaced";

/// The bound: a 2 s deadline returns within 5 s.
const BOUND: Duration = Duration::from_secs(5);

fn lines_with<'a>(text: &'a str, start: &str) -> Vec<&'a str> {
    text.lines().filter(|l| l.starts_with(start)).collect()
}

/// `isf render` of a shader that never ends: control comes back at the deadline, the
/// frames finished before the hung one are written, the cleanup report names the
/// abandoned device (not a leak) and the exit code is 1.
#[test]
fn render_returns_at_the_deadline_and_keeps_finished_frames() {
    let d = Dir::new("render");
    d.write("hang.fs", NEVER_ENDS);
    let (o, took) = d.timed_words("render hang.fs -o x.png --size 2048x2048 --deadline 2");
    assert!(took < BOUND, "returned after {took:?}: {}", stderr(&o));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(lines_with(&stderr(&o), "error"), [TIMEOUT_MESSAGE]);
    assert!(!d.path.join("x.png").exists());

    d.write("late.fs", LATE_HANG);
    let (o, took) = d.timed_words(
        "render late.fs -o f_%02d.png --frames 6 --size 2048x2048 --deadline 2 --cleanup-report",
    );
    assert!(took < BOUND, "returned after {took:?}: {}", stderr(&o));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.ends_with(&format!("{TIMEOUT_MESSAGE}\n")), "{err}");
    assert!(
        err.contains("  abandoned: device generation 1 (tainted: a frame did not finish within its deadline of 2s); its work is still running and is released when the GPU finishes it or the process exits\n"),
        "{err}"
    );
    assert!(err.contains("  leaks: none (registry empty; wgpu report not checked: 1 abandoned device(s) still run their work and hold their objects until it ends)"), "{err}");
    // Frame 0 (and 1, when the GPU had finished it when frame 2 hung) is kept, whole; the
    // hung frame and those after it are not written.
    let files: Vec<String> = d
        .files(".")
        .into_iter()
        .filter(|f| f.starts_with("f_"))
        .collect();
    assert!(
        files == ["f_00.png"] || files == ["f_00.png", "f_01.png"],
        "{files:?}"
    );
    for f in files {
        let img = image::open(d.path.join(&f)).unwrap();
        assert_eq!((img.width(), img.height()), (2048, 2048), "{f}");
    }
}

/// Exiting while abandoned work still compiles on a lavapipe thread crashed in the C
/// library's exit handlers (SIGSEGV in 1 run of 5 with a 1 ms deadline): the process now
/// ends with `_exit` and its documented code.
#[test]
fn exit_right_after_a_timeout_does_not_crash() {
    let d = Dir::new("exit");
    d.write("hang.fs", NEVER_ENDS);
    for _ in 0..8 {
        let (o, _) = d.timed_words("render hang.fs -o x.png --size 2048x2048 --deadline 0.001");
        assert_eq!(o.status.code(), Some(1), "{:?}: {}", o.status, stderr(&o));
        assert_eq!(
            lines_with(&stderr(&o), "error"),
            ["error: the GPU did not finish within 1ms; the device was marked tainted and will be replaced"]
        );
    }
}

fn batch_job(d: &Dir) {
    d.write("hang.fs", NEVER_ENDS);
    d.write("late.fs", LATE_HANG);
    d.write("quick.fs", QUICK);
    d.write(
        "job.yaml",
        "jobs:\n  - shader: late.fs\n    size: 2048x2048\n    frames: 4\n    output: out/late_%02d.png\n  - shader: hang.fs\n    size: 2048x2048\n    output: out/hang.png\n  - shader: quick.fs\n    size: 16x16\n    frames: 2\n    output: out/quick_%02d.png\n",
    );
}

/// `isf batch` without and with `--isolate`: each hung task fails at its deadline and
/// leaves no frame (not even the ones it finished before it hung), the good task renders,
/// and the whole run ends within the bound per hung task.
#[test]
fn batch_fails_hung_tasks_at_the_deadline_in_process_and_isolated() {
    for isolate in [false, true] {
        let d = Dir::new(if isolate { "batch-isolated" } else { "batch" });
        batch_job(&d);
        let mut args = vec!["batch", "job.yaml", "--deadline", "2", "--quiet"];
        if isolate {
            args.push("--isolate");
        }
        let (o, took) = d.timed(&args);
        let err = stderr(&o);
        // Two hung tasks, each bounded by its deadline.
        assert!(took < BOUND * 2, "isolate={isolate}: {took:?}: {err}");
        assert_eq!(o.status.code(), Some(1), "isolate={isolate}: {err}");
        assert_eq!(
            lines_with(&err, "error"),
            [
                format!("error: jobs[0] (./late.fs): {TIMEOUT_MESSAGE}"),
                format!("error: jobs[1] (./hang.fs): {TIMEOUT_MESSAGE}"),
            ],
            "isolate={isolate}"
        );
        if !isolate {
            assert!(err.contains("note: a frame passed its deadline and its work still runs on the GPU; the remaining tasks run in worker processes\n"), "{err}");
            assert!(err.contains("  abandoned: device generation 1 (tainted: a frame did not finish within its deadline of 2s)"), "{err}");
        }
        assert_eq!(
            d.files("out"),
            ["quick_00.png", "quick_01.png"],
            "isolate={isolate}"
        );
    }
}

/// A single hung task under `--deadline 2` returns within 5 s.
#[test]
fn batch_with_one_hung_task_returns_within_the_bound() {
    for isolate in [false, true] {
        let d = Dir::new(if isolate { "one-isolated" } else { "one" });
        d.write("hang.fs", NEVER_ENDS);
        d.write(
            "job.yaml",
            "jobs:\n  - shader: hang.fs\n    size: 2048x2048\n    frames: 3\n    output: out/h_%02d.png\n",
        );
        let mut args = vec!["batch", "job.yaml", "--deadline", "2", "--json"];
        if isolate {
            args.push("--isolate");
        }
        let (o, took) = d.timed(&args);
        assert!(took < BOUND, "isolate={isolate}: {took:?}: {}", stderr(&o));
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let s: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(
            s["failures"],
            serde_json::json!([{"shader": "./hang.fs", "error": TIMEOUT_MESSAGE}]),
            "isolate={isolate}"
        );
        assert_eq!(s["frames_written"], 0);
        assert_eq!(
            s["cleanup_ok"], isolate,
            "the in-process engine abandoned a device"
        );
        assert_eq!(d.files("out"), Vec::<String>::new(), "isolate={isolate}");
    }
}

/// Two tasks that would write the same file are a job error, found by `--check` and
/// before any run, naming both.
#[test]
fn colliding_outputs_are_a_job_error_naming_both_tasks() {
    let d = Dir::new("collide");
    d.write("a/x.fs", QUICK);
    d.write("b/x.fs", QUICK);
    d.write(
        "job.yaml",
        "jobs:\n  - shader: \"*/x.fs\"\n    size: 8x8\n    frames: 2\n    output: out/{name}_%02d.png\n  - shader: a/x.fs\n    size: 8x8\n    output: out/one.png\n  - shader: b/x.fs\n    size: 8x8\n    output: out/../out/one.png\n",
    );
    let expected = "error: the job file has 2 problem(s); nothing was rendered:\n  - jobs[0] (a/x.fs) and jobs[0] (b/x.fs) would write the same file ./out/x_00.png (and 1 more); give each task its own output\n  - jobs[1] (./a/x.fs) and jobs[2] (./b/x.fs) would write the same file ./out/one.png; give each task its own output\n";
    for args in [
        &["batch", "job.yaml", "--check"][..],
        &["batch", "job.yaml"],
    ] {
        let (o, _) = d.timed(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert_eq!(stderr(&o), expected, "{args:?}");
        assert!(!d.path.join("out").exists(), "{args:?}");
    }
}

/// Two outputs that are one file through a symbolic link to a folder collide too (the paths
/// differ as text).
#[test]
fn colliding_outputs_through_a_symlinked_folder() {
    let d = Dir::new("collide-link");
    d.write("a.fs", QUICK);
    d.write("b.fs", QUICK);
    std::fs::create_dir_all(d.path.join("out")).unwrap();
    std::os::unix::fs::symlink(d.path.join("out"), d.path.join("link")).unwrap();
    d.write(
        "job.yaml",
        "jobs:\n  - shader: a.fs\n    size: 8x8\n    output: out/one.png\n  - shader: b.fs\n    size: 8x8\n    output: link/one.png\n",
    );
    let (o, _) = d.timed(&["batch", "job.yaml", "--check"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: the job file has 1 problem(s); nothing was rendered:\n  - jobs[0] (./a.fs) and jobs[1] (./b.fs) would write the same file ./out/one.png; give each task its own output\n"
    );
}

/// `--resume` decodes a frame fully before skipping it: a PNG whose header is intact and
/// whose data is cut short is rendered again.
#[test]
fn resume_renders_a_truncated_png_again() {
    let d = Dir::new("truncated");
    d.write("quick.fs", QUICK);
    d.write(
        "job.yaml",
        "jobs:\n  - shader: quick.fs\n    size: 64x48\n    frames: 3\n    output: out/q_%02d.png\n",
    );
    let (o, _) = d.timed(&["batch", "job.yaml", "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let path = d.path.join("out/q_01.png");
    let whole = std::fs::read(&path).unwrap();
    std::fs::write(&path, &whole[..whole.len() * 2 / 3]).unwrap();
    // The header still reads: only a full decode tells.
    let header = image::ImageReader::open(&path)
        .unwrap()
        .with_guessed_format()
        .unwrap()
        .into_dimensions()
        .unwrap();
    assert_eq!(header, (64, 48));
    let (o, _) = d.timed(&["batch", "job.yaml", "--resume", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (s["frames_written"].as_u64(), s["frames_skipped"].as_u64()),
        (Some(1), Some(2)),
        "{s}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), whole);
}
