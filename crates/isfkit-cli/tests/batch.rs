//! `isf batch`: job files, validation, resume after a kill, isolation of broken and hanging
//! shaders, video through ffmpeg. Each test runs the real binary in a fresh folder.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn native_job_renders_sequences_stateful_ranges_and_gif() {
    let d = Dir::new("native");
    d.copy("gradient.fs");
    d.copy("persistent.fs");
    d.write(
        "job.yaml",
        "defaults:\n  size: 32x24\n  fps: 10\njobs:\n  - shader: gradient.fs\n    output: out/{name}_%04d.png\n    frames: 3\n  - shader: persistent.fs\n    output: out/p_{frame:03}.png\n    frames: \"5..7\"\n  - shader: gradient.fs\n    output: out/g.gif\n    frames: 4\n",
    );
    let o = d.output(&["batch", "job.yaml", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = json(&o);
    assert_eq!(s["frames_written"], 3 + 2 + 4);
    assert_eq!(s["failures"].as_array().unwrap().len(), 0);
    assert_eq!(
        d.files("out"),
        [
            "g.gif",
            "gradient_0000.png",
            "gradient_0001.png",
            "gradient_0002.png",
            "p_005.png",
            "p_006.png"
        ]
    );
    // The GIF holds its 4 frames at the job's size, the gradient in each.
    let gif = std::fs::File::open(d.path.join("out/g.gif")).unwrap();
    let frames = image::AnimationDecoder::into_frames(
        image::codecs::gif::GifDecoder::new(std::io::BufReader::new(gif)).unwrap(),
    )
    .collect_frames()
    .unwrap();
    assert_eq!(frames.len(), 4);
    for f in &frames {
        let b = f.buffer();
        assert_eq!(b.dimensions(), (32, 24));
        let (tl, br) = (b.get_pixel(0, 0).0, b.get_pixel(31, 23).0);
        // A 256-colour palette: near, not equal.
        assert!(
            tl[0] < 64 && tl[1] > 160 && br[0] > 160 && br[1] < 64,
            "{tl:?} {br:?}"
        );
    }
    // Frames 5 and 6 of the accumulating shader carry the state of the frames before them.
    let p = image::open(d.path.join("out/p_006.png"))
        .unwrap()
        .to_rgba8();
    let red = p.get_pixel(2, 12)[0];
    assert!(
        (176..=182).contains(&red),
        "frame 6 should show 0.7 red, got {red}"
    );
}

#[test]
fn layout_of_other_batch_tools_is_accepted() {
    let d = Dir::new("compat");
    d.copy("gradient.fs");
    d.write(
        "job.json",
        r#"{"defaults": {"width": 40, "height": 20, "quality": 80, "output_format": "jpg"},
            "shaders": [{"input": "gradient.fs", "output": "out/grad", "times": [0.0, 0.5], "inputs": {}}]}"#,
    );
    let o = d.output(&["batch", "job.json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(d.files("out"), ["grad_0000.jpg", "grad_0001.jpg"]);
    let img = image::open(d.path.join("out/grad_0000.jpg")).unwrap();
    assert_eq!((img.width(), img.height()), (40, 20));
}

#[test]
fn every_job_file_problem_is_reported_before_anything_renders() {
    let d = Dir::new("invalid");
    d.copy("gradient.fs");
    d.copy("inputs_all.fs");
    d.write(
        "job.yaml",
        "jobs:\n  - shader: missing.fs\n  - shader: inputs_all.fs\n    inputs: {nope: 1, amount: \"lots\"}\n  - shader: gradient.fs\n    output: out/x.bmp\n  - shader: gradient.fs\n    output: out/ok.png\n",
    );
    let o = d.output(&["batch", "job.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("error: the job file has 4 problem(s); nothing was rendered:"),
        "{e}"
    );
    assert!(
        e.contains("jobs[0] (") && e.contains("missing.fs): shader file not found"),
        "{e}"
    );
    assert!(e.contains("no input named \"nope\""), "{e}");
    assert!(
        e.contains("input \"amount\" is of type float, but the value given is \"lots\""),
        "{e}"
    );
    assert!(
        e.contains("has an unknown extension (png, jpg, webp, exr, gif, mp4, webm, mkv, wav)"),
        "{e}"
    );
    assert!(
        d.files("out").iter().all(|f| f != "ok.png"),
        "nothing may render when the job is invalid"
    );
    // Unknown keys are typos, not silently ignored.
    d.write(
        "typo.yaml",
        "jobs:\n  - shader: gradient.fs\n    ouptut: x.png\n",
    );
    d.isf(&["batch", "typo.yaml"])
        .expect_code(2)
        .expect_stderr_contains("unknown field `ouptut`");
}

const HANGING: &str = "/*{ \"ISFVSN\": \"2\" }*/\nvoid main() {\n    float a = 0.0;\n    for (int i = 0; i < 60000; i++) { a += sin(a + float(i) * 0.001 + gl_FragCoord.x); }\n    gl_FragColor = vec4(fract(a), 0.0, 0.0, 1.0);\n}\n";

#[test]
fn isolate_reports_broken_and_hanging_shaders_and_renders_the_good_ones() {
    let d = Dir::new("isolate");
    d.copy("gradient.fs");
    d.copy("bad/compile_error.fs");
    d.write("hang.fs", HANGING);
    d.write(
        "job.yaml",
        "jobs:\n  - shader: compile_error.fs\n    size: 16x16\n  - shader: hang.fs\n    size: 2048x2048\n  - shader: gradient.fs\n    size: 16x16\n    output: out/good.png\n",
    );
    let t = Instant::now();
    let o = d.output(&[
        "batch",
        "job.yaml",
        "--isolate",
        "--task-timeout",
        "3",
        "--json",
    ]);
    assert!(
        t.elapsed() < Duration::from_secs(60),
        "the hanging shader was not killed in time"
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let s = json(&o);
    let failures = s["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 2, "{s}");
    let err = |name: &str| {
        failures
            .iter()
            .find(|f| f["shader"].as_str().unwrap().ends_with(name))
            .unwrap()["error"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert!(
        err("compile_error.fs").contains("compile_error.fs:12:12: error:"),
        "{}",
        err("compile_error.fs")
    );
    assert_eq!(
        err("hang.fs"),
        "did not finish within 3 s; the worker process was killed"
    );
    assert_eq!(d.files("out"), ["good.png"]);
}

/// The frames of the job `start_long_batch` starts.
const FRAMES: u64 = 400;

/// Starts `isf batch job.yaml FLAG` (stderr discarded) in a fresh folder on a job of FRAMES
/// 640x480 frames of gradient.fs into out/f_%04d.png; returns once `n` of them are on disk
/// (60 s at most).
fn start_long_batch(name: &str, flag: &str, stdout: Stdio, n: usize) -> (Dir, Child) {
    let job = format!(
        "jobs:\n  - shader: gradient.fs\n    size: 640x480\n    frames: {FRAMES}\n    output: out/f_%04d.png\n"
    );
    let d = Dir::with_gradient_job(name, &job);
    let child = d
        .cmd(&["batch", "job.yaml", flag])
        .stdout(stdout)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let t = Instant::now();
    let frames = || {
        d.files("out")
            .iter()
            .filter(|f| f.ends_with(".png"))
            .count()
    };
    while frames() < n && t.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(20));
    }
    (d, child)
}

#[test]
fn resume_after_a_kill_completes_with_every_frame_valid() {
    // Kill it once some frames are on disk.
    let (d, mut child) = start_long_batch("resume", "--quiet", Stdio::null(), 10);
    child.kill().unwrap();
    child.wait().unwrap();
    let before = d
        .files("out")
        .iter()
        .filter(|f| f.starts_with("f_") && f.ends_with(".png"))
        .count() as u64;
    // No `if`: a kill after the last frame would leave nothing to resume, and the
    // test must say so rather than pass without checking resume.
    assert!(
        before > 1,
        "nothing (or one frame) was written before the kill"
    );
    assert!(
        before < FRAMES,
        "the job finished before the kill ({before} frames); nothing was resumed"
    );
    // A frame of the wrong size (a stand-in for a damaged one) is rendered again.
    image::RgbaImage::new(8, 8)
        .save(d.path.join("out/f_0000.png"))
        .unwrap();
    let o = d.output(&["batch", "job.yaml", "--resume", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = json(&o);
    assert_eq!(s["frames_skipped"], before - 1, "{s}");
    assert_eq!(s["frames_written"], FRAMES - (before - 1), "{s}");
    let files: Vec<String> = d.files("out");
    // No temporary files are left, and every frame decodes at the right size with the
    // gradient's pixels (red rises left to right).
    assert!(files.iter().all(|f| !f.ends_with(".tmp")), "{files:?}");
    assert_eq!(files.len() as u64, FRAMES, "{files:?}");
    for f in files {
        let img = image::open(d.path.join("out").join(&f))
            .unwrap_or_else(|e| panic!("{f}: {e}"))
            .to_rgba8();
        assert_eq!((img.width(), img.height()), (640, 480), "{f}");
        let (left, right) = (img.get_pixel(0, 240)[0], img.get_pixel(639, 240)[0]);
        assert!(left < 5 && right > 250, "{f}: red {left} .. {right}");
    }
}

#[test]
fn video_output_through_ffmpeg_and_a_clear_error_without_it() {
    let d = Dir::with_gradient_job("video", "jobs:\n  - shader: gradient.fs\n    size: 64x48\n    frames: 12\n    fps: 24\n    output: out/clip.mp4\n");
    // Without ffmpeg on PATH: the task fails with a message naming the package.
    let empty = d.path.join("empty-path");
    std::fs::create_dir_all(&empty).unwrap();
    let o = d
        .cmd(&["batch", "job.yaml"])
        .env("PATH", &empty)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("video output needs ffmpeg, which is not installed (Debian/Ubuntu: apt-get install ffmpeg)"),
        "{}",
        stderr(&o)
    );
    assert!(
        d.files("out").is_empty(),
        "no partial video may be left: {:?}",
        d.files("out")
    );
    if !ffmpeg_or_skip() {
        return;
    }
    let o = d.output(&["batch", "job.yaml"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(d.files("out"), ["clip.mp4"]);
    let probe = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-count_frames",
            "-show_entries",
            "stream=width,height,nb_read_frames",
            "-of",
            "csv=p=0",
        ])
        .arg(d.path.join("out/clip.mp4"))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&probe.stdout).trim(), "64,48,12");
}

/// An ffmpeg that writes more to stderr than a pipe holds (1 MB, before it reads a frame) must
/// not stall the render: its stderr is read while it runs.
#[test]
fn a_chatty_ffmpeg_does_not_hang_the_render() {
    if !ffmpeg_or_skip() {
        return;
    }
    let d = Dir::new("chatty-ffmpeg");
    d.copy("gradient.fs");
    let real = String::from_utf8(
        Command::new("sh")
            .args(["-c", "command -v ffmpeg"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let wrapper = d.write(
        "bin/ffmpeg",
        format!(
            "#!/bin/sh\nhead -c 1048576 /dev/zero | tr '\\0' 'w' >&2\nexec {} \"$@\"\n",
            real.trim()
        ),
    );
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        d.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut child = d
        .cmd(&[
            "render",
            "gradient.fs",
            "--size",
            "64x48",
            "--frames",
            "10",
            "-o",
            "out.mp4",
        ])
        .env("PATH", path)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let t0 = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if t0.elapsed() > Duration::from_secs(120) {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("isf render with a chatty ffmpeg did not finish in 120 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
    assert!(status.success(), "{err}");
    assert_eq!(d.files(""), ["bin", "gradient.fs", "out.mp4"]);
}

#[test]
fn check_validates_without_rendering() {
    let d = Dir::with_gradient_job(
        "check",
        "jobs:\n  - shader: \"*.fs\"\n    frames: 5\n    output: out/{name}_%02d.png\n",
    );
    let o = d.output(&["batch", "job.yaml", "--check"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        "job.yaml: valid (1 tasks, 5 frames)"
    );
    assert!(!d.path.join("out").exists(), "--check writes nothing");
}

/// `--check` creates nothing for a job it rejects: not even the output folders of its valid
/// entries.
#[test]
fn check_creates_nothing_for_a_rejected_job() {
    let d = Dir::with_gradient_job("check-rejected", "jobs:\n  - shader: gradient.fs\n    output: out/a/{name}.png\n  - shader: gradient.fs\n    output: out/b/x.png\n    inputs: { nope: 1 }\n");
    let o = d.output(&["batch", "job.yaml", "--check"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("no input named \"nope\""),
        "{}",
        stderr(&o)
    );
    assert!(
        !d.path.join("out").exists(),
        "a rejected job must leave no folder"
    );
    // Rendering the valid part creates the folders it writes into.
    d.write(
        "ok.yaml",
        "jobs:\n  - shader: gradient.fs\n    size: 8x8\n    output: out/a/{name}.png\n",
    );
    let o = d.output(&["batch", "ok.yaml", "--check"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!d.path.join("out").exists(), "--check writes nothing");
    let o = d.output(&["batch", "ok.yaml"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(d.files("out/a"), ["gradient.png"]);
}

/// The YAML block under "### Batch jobs" in README.md.
fn readme_batch_example() -> String {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"))
            .unwrap();
    let section = &readme[readme
        .find("### Batch jobs")
        .expect("README has a Batch jobs section")..];
    let start = section
        .find("```yaml\n")
        .expect("a yaml block under Batch jobs")
        + 8;
    let end = start + section[start..].find("```").unwrap();
    section[start..end].to_owned()
}

/// The README's batch example, as written, with the files it names (shaders of
/// each kind under `shaders/`, one declaring `speed` and others not), passes `--check`,
/// and checking it creates no folder.
#[test]
fn readme_batch_example_passes_check() {
    let d = Dir::new("readme-example");
    let job = readme_batch_example();
    assert!(
        job.contains("shaders/*.fs") && job.contains("speed"),
        "{job}"
    );
    for dir in ["shaders", "examples", "filters", "photos"] {
        std::fs::create_dir_all(d.path.join(dir)).unwrap();
    }
    let copy = |from: PathBuf, to: &str| std::fs::copy(from, d.path.join(to)).unwrap();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    copy(shaders_dir().join("gradient.fs"), "shaders/gradient.fs"); // generator, no `speed`
    copy(shaders_dir().join("filter_invert.fs"), "shaders/invert.fs"); // filter
    copy(shaders_dir().join("transition.fs"), "shaders/transition.fs"); // transition
    copy(examples.join("plasma.fs"), "shaders/plasma.fs"); // declares `speed`
    copy(examples.join("plasma.fs"), "examples/plasma.fs");
    copy(shaders_dir().join("filter_invert.fs"), "filters/blur.fs"); // has `inputImage`
    image::RgbImage::from_pixel(16, 16, image::Rgb([200, 120, 40]))
        .save(d.path.join("photos/cat.jpg"))
        .unwrap();
    d.write("job.yaml", &job);
    let before = d.files("");
    let o = d.output(&["batch", "job.yaml", "--check"]);
    assert!(o.status.success(), "{}\n{job}", stderr(&o));
    // 4 shaders x 90 frames, 300 video frames, 3 times.
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        "job.yaml: valid (6 tasks, 663 frames)"
    );
    assert_eq!(d.files(""), before, "--check writes nothing");
}

#[test]
fn ctrl_c_finishes_frames_in_flight_writes_the_summary_and_exits_130() {
    let (d, child) = start_long_batch("sigint", "--json", Stdio::piped(), 5);
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(130));
    let s = json(&o);
    assert_eq!(s["interrupted"], true);
    let written = s["frames_written"].as_u64().unwrap();
    assert!(written > 0 && written < 400, "{s}");
    let files = d.files("out");
    assert!(files.iter().all(|f| !f.ends_with(".tmp")), "{files:?}");
    assert_eq!(
        files.len() as u64,
        written,
        "every frame handed over was written: {s}"
    );
}

/// Out-of-range seconds flags are usage errors (not a Duration panic), an extension isfkit
/// cannot write is refused, a `.jpg` output is a JPEG file, and a single frame rendered to
/// a pattern gets a numbered name, not a literal `%04d`.
#[test]
fn render_output_formats_patterns_and_bad_seconds() {
    let d = Dir::with_gradient_job(
        "render-fixes",
        "jobs:\n  - shader: gradient.fs\n    size: 8x8\n    output: out/x.png\n",
    );
    // `--flag=-1`, so that clap hands -1 to the seconds check instead of rejecting it as an
    // unknown argument; the message proves which check ran.
    for bad in ["inf", "-1", "nan", "0"] {
        let arg = format!("--deadline={bad}");
        let o = d.output(&["render", "gradient.fs", "-o", "x.png", &arg]);
        assert_eq!(o.status.code(), Some(2), "{arg}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(&format!("{bad} seconds: give a positive number up to 1e9")),
            "{arg}: {}",
            stderr(&o)
        );
        for flag in ["--task-timeout", "--deadline"] {
            let arg = format!("{flag}={bad}");
            let o = d.output(&["batch", "job.yaml", "--isolate", &arg]);
            assert_eq!(o.status.code(), Some(2), "{arg}: {}", stderr(&o));
            assert!(
                stderr(&o).contains(&format!("{bad} seconds: give a positive number up to 1e9")),
                "{arg}: {}",
                stderr(&o)
            );
        }
    }
    assert!(!d.path.join("x.png").exists() && !d.path.join("out").exists());
    // The same job with good values renders.
    let o = d.output(&["batch", "job.yaml", "--isolate", "--task-timeout=30"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(d.files("out"), ["x.png"]);
    let o = d.output(&["render", "gradient.fs", "-o", "x.bmp", "--size", "8x8"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(
            "error: output x.bmp must end in .png, .jpg, .webp, .exr, .gif, .mp4, .webm, .mkv or .wav"
        ),
        "{}",
        stderr(&o)
    );
    let o = d.output(&["render", "gradient.fs", "-o", "x.jpg", "--size", "16x8"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let bytes = std::fs::read(d.path.join("x.jpg")).unwrap();
    assert_eq!(
        &bytes[..2],
        &[0xFF, 0xD8],
        "a .jpg output must be a JPEG file"
    );
    let img = image::load_from_memory_with_format(&bytes, image::ImageFormat::Jpeg)
        .unwrap()
        .to_rgb8();
    assert_eq!(img.dimensions(), (16, 8));
    // The gradient: red rises left to right, green bottom to top (JPEG is lossy).
    let (left, right) = (img.get_pixel(0, 4)[0], img.get_pixel(15, 4)[0]);
    assert!(left < 30 && right > 225, "red {left} .. {right}");
    let o = d.output(&[
        "render",
        "gradient.fs",
        "-o",
        "one_%04d.png",
        "--size",
        "8x8",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let img = image::open(d.path.join("one_0000.png")).unwrap().to_rgba8();
    assert_eq!(img.dimensions(), (8, 8));
}

/// A range of a shader that reads FRAMEINDEX/TIMEDELTA (and a
/// `time:` offset) gives the pixels of a full run; `bits` other than 8/16 is a job problem.
#[test]
fn ranges_match_a_full_run_and_bad_bits_are_reported() {
    let d = Dir::new("ranges");
    d.copy("builtins.fs");
    d.write(
        "job.yaml",
        "defaults:\n  size: 60x20\n  fps: 10\n  time: 1.0\njobs:\n  - shader: builtins.fs\n    frames: 4\n    output: full/f_%04d.png\n  - shader: builtins.fs\n    frames: \"3..4\"\n    output: part/f_%04d.png\n",
    );
    let o = d.output(&["batch", "job.yaml"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(d.files("part"), ["f_0003.png"]);
    let full = image::open(d.path.join("full/f_0003.png"))
        .unwrap()
        .to_rgba8();
    let part = image::open(d.path.join("part/f_0003.png"))
        .unwrap()
        .to_rgba8();
    // DATE comes from the clock, so compare the TIME, TIMEDELTA and FRAMEINDEX stripes.
    for x in [5, 15, 25] {
        assert_eq!(
            full.get_pixel(x, 10),
            part.get_pixel(x, 10),
            "stripe at x={x}"
        );
    }
    d.write(
        "bits.yaml",
        "jobs:\n  - shader: builtins.fs\n    bits: 12\n    output: b.png\n",
    );
    d.isf(&["batch", "bits.yaml"])
        .expect_code(2)
        .expect_stderr_contains("bits must be 8 or 16, not 12");
}

#[test]
fn lanes_render_the_same_files_and_summary_as_one_engine() {
    let d = Dir::new("lanes");
    for s in [
        "gradient.fs",
        "bad/compile_error.fs",
        "persistent.fs",
        "multipass_sizes.fs",
        "hash_noise.fs",
    ] {
        d.copy(s);
    }
    let job = |out: &str| {
        format!("defaults:\n  size: 24x16\n  fps: 10\njobs:\n  - shader: gradient.fs\n    output: {out}/{{name}}_%02d.png\n    frames: 2\n  - shader: compile_error.fs\n    output: {out}/{{name}}.png\n  - shader: persistent.fs\n    output: {out}/{{name}}_%02d.png\n    frames: 4\n  - shader: multipass_sizes.fs\n    output: {out}/{{name}}.png\n  - shader: hash_noise.fs\n    output: {out}/{{name}}_%02d.png\n    frames: 3\n")
    };
    let mut summaries = Vec::new();
    for lanes in ["1", "2", "3"] {
        d.write(&format!("job{lanes}.yaml"), job(&format!("out{lanes}")));
        let o = d.output(&[
            "batch",
            &format!("job{lanes}.yaml"),
            "--lanes",
            lanes,
            "--json",
        ]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let mut s = json(&o);
        for k in ["seconds", "fps"] {
            s.as_object_mut().unwrap().remove(k);
        }
        for r in s["results"].as_array_mut().unwrap() {
            r.as_object_mut().unwrap().remove("seconds");
        }
        summaries.push(s);
    }
    assert_eq!(summaries[0]["frames_written"], 2 + 4 + 1 + 3);
    assert_eq!(summaries[0]["cleanup_ok"], true);
    assert_eq!(summaries[0], summaries[1]);
    assert_eq!(summaries[0], summaries[2]);
    let files = d.files("out1");
    assert_eq!(files.len(), 10);
    for lanes in ["2", "3"] {
        assert_eq!(d.files(&format!("out{lanes}")), files);
        for f in &files {
            let a = std::fs::read(d.path.join("out1").join(f)).unwrap();
            let b = std::fs::read(d.path.join(format!("out{lanes}")).join(f)).unwrap();
            assert!(a == b, "{f} differs with {lanes} lanes");
        }
    }
}

#[test]
fn quick_compiles_render_the_same_files_in_process_and_in_workers() {
    let d = Dir::new("quick_compile");
    for s in ["gradient.fs", "persistent.fs", "multipass_sizes.fs"] {
        d.copy(s);
    }
    d.write(
        "job.yaml",
        "defaults:\n  size: 24x16\n  fps: 10\njobs:\n  - shader: '*.fs'\n    output: out/{name}_%02d.png\n    frames: 3\n",
    );
    let mut outputs = Vec::new();
    for (name, extra) in [
        ("plain", &[][..]),
        ("quick", &["--quick-compile"][..]),
        ("quick_isolated", &["--quick-compile", "--isolate"][..]),
    ] {
        let mut args = vec!["batch", "job.yaml", "--quiet"];
        args.extend_from_slice(extra);
        let o = d.output(&args);
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        std::fs::rename(d.path.join("out"), d.path.join(name)).unwrap();
        outputs.push(name);
    }
    let files = d.files("plain");
    assert_eq!(files.len(), 9);
    for name in &outputs[1..] {
        assert_eq!(d.files(name), files);
        for f in &files {
            let a = std::fs::read(d.path.join("plain").join(f)).unwrap();
            let b = std::fs::read(d.path.join(name).join(f)).unwrap();
            assert!(a == b, "{f} differs with {name}");
        }
    }
}
