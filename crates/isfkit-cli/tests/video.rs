//! Filters and transitions on footage: videos and image sequences as image inputs of `isf
//! render` and `isf batch`, keyframed inputs, the render's size, rate, length and sound taken
//! from the footage, and bad footage named. The footage is made here with ffmpeg's
//! `testsrc2` and `sine` sources; frame k of the output is checked against the filter applied
//! to frame k of the input: bit for bit through PNG sequences, within a PSNR through H.264.

mod common;

use std::process::Command;

use common::{ffmpeg_or_skip, Dir};

/// Runs ffmpeg in `dir` with `args`.
fn ffmpeg(dir: &Dir, args: &[&str]) {
    let o = Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-y"])
        .args(args)
        .current_dir(&dir.path)
        .output()
        .expect("run ffmpeg");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// One second of `testsrc2` at 10 fps, 48x32: as the PNG sequence `in/f_%03d.png` (from 1)
/// and as `clip.mp4` (H.264, with a sine sound).
fn footage(dir: &Dir) {
    std::fs::create_dir_all(dir.join("in")).unwrap();
    let src = "testsrc2=size=48x32:rate=10:duration=1";
    ffmpeg(
        dir,
        &[
            "-f",
            "lavfi",
            "-i",
            src,
            "-start_number",
            "1",
            "in/f_%03d.png",
        ],
    );
    ffmpeg(
        dir,
        &[
            "-f",
            "lavfi",
            "-i",
            src,
            "-f",
            "lavfi",
            "-i",
            "sine=duration=1",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-shortest",
            "clip.mp4",
        ],
    );
}

/// `render filter_invert.fs --image inputImage=IMAGE -o OUT` and `more`, as arguments.
fn filter<'a>(image: &'a str, out: &'a str, more: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["render", "filter_invert.fs", "--image", image, "-o", out];
    args.extend_from_slice(more);
    args
}

/// A test folder with [`footage`] and copies of `shaders`; `None` when ffmpeg tests are
/// skipped.
fn with_footage(name: &str, shaders: &[&str]) -> Option<Dir> {
    if !ffmpeg_or_skip() {
        return None;
    }
    let d = Dir::new(name);
    footage(&d);
    for s in shaders {
        d.copy(s);
    }
    Some(d)
}

fn inverted(img: &image::RgbaImage) -> Vec<u8> {
    img.pixels()
        .flat_map(|p| [255 - p[0], 255 - p[1], 255 - p[2], p[3]])
        .collect()
}

/// The PSNR of two RGB(A) images in dB, over the colour channels.
fn psnr(a: &image::RgbaImage, b: &[u8]) -> f64 {
    let mut sum = 0.0;
    let mut n = 0.0;
    for (x, y) in a.as_raw().chunks(4).zip(b.chunks(4)) {
        for c in 0..3 {
            let d = x[c] as f64 - y[c] as f64;
            sum += d * d;
            n += 1.0;
        }
    }
    10.0 * (255.0f64 * 255.0 / (sum / n).max(1e-9)).log10()
}

/// Frames `first..` of a video, decoded to PNGs `name_%03d.png` (from 0).
fn decode(dir: &Dir, video: &str, name: &str) {
    ffmpeg(
        dir,
        &[
            "-i",
            video,
            "-start_number",
            "0",
            &format!("{name}_%03d.png"),
        ],
    );
}

fn probe(dir: &Dir, file: &str) -> String {
    let o = Command::new("ffprobe")
        .args(["-v", "error", "-count_frames", "-show_entries"])
        .args([
            "stream=codec_type,width,height,nb_read_frames,avg_frame_rate",
            "-of",
            "compact",
        ])
        .arg(dir.join(file))
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn a_filter_over_an_image_sequence_is_exact_frame_by_frame() {
    let Some(d) = with_footage("sequence", &["filter_invert.fs"]) else {
        return;
    };
    // No --frames, --fps or --size: one frame per file, at the files' size.
    d.isf(&filter("inputImage=in/f_%03d.png", "out_%03d.png", &["-q"]))
        .expect_code(0);
    let outputs: Vec<String> = d
        .files(".")
        .into_iter()
        .filter(|f| f.starts_with("out_"))
        .collect();
    assert_eq!(outputs.len(), 10, "{outputs:?}");
    for k in 0..10 {
        let input = d.png(&format!("in/f_{:03}.png", k + 1));
        let output = d.png(&format!("out_{k:03}.png"));
        assert_eq!(output.dimensions(), (48, 32));
        assert!(
            output.as_raw() == &inverted(&input),
            "frame {k} is not the inverted input"
        );
    }
}

#[test]
fn a_lossless_video_output_holds_the_exact_frames() {
    let Some(d) = with_footage("mkv", &["filter_invert.fs"]) else {
        return;
    };
    // An odd size: FFV1 takes it as it is, without padding.
    d.isf(&filter(
        "inputImage=in/f_%03d.png",
        "out.mkv",
        &["--size", "47x31", "-q"],
    ))
    .expect_code(0);
    d.isf(&filter(
        "inputImage=in/f_%03d.png",
        "ref_%03d.png",
        &["--size", "47x31", "-q"],
    ))
    .expect_code(0);
    let streams = probe(&d, "out.mkv");
    assert!(
        streams
            .contains("codec_type=video|width=47|height=31|avg_frame_rate=30/1|nb_read_frames=10"),
        "{streams}"
    );
    decode(&d, "out.mkv", "dst");
    for k in 0..10 {
        assert!(
            d.png(&format!("dst_{k:03}.png")) == d.png(&format!("ref_{k:03}.png")),
            "frame {k} of the .mkv is not the rendered frame"
        );
    }
}

#[test]
fn a_filter_over_a_video_keeps_its_rate_length_size_and_sound() {
    let Some(d) = with_footage("video", &["filter_invert.fs"]) else {
        return;
    };
    d.isf(&filter("inputImage=clip.mp4", "out.mp4", &["-q"]))
        .expect_code(0);
    let streams = probe(&d, "out.mp4");
    assert!(
        streams
            .contains("codec_type=video|width=48|height=32|avg_frame_rate=10/1|nb_read_frames=10"),
        "{streams}"
    );
    assert!(streams.contains("codec_type=audio"), "{streams}");
    // Through H.264 twice (in and out): each frame within 30 dB of the exact answer.
    decode(&d, "clip.mp4", "src");
    decode(&d, "out.mp4", "dst");
    for k in 0..10 {
        let src = d.png(&format!("src_{k:03}.png"));
        let dst = d.png(&format!("dst_{k:03}.png"));
        let p = psnr(&dst, &inverted(&src));
        assert!(p > 30.0, "frame {k}: {p:.1} dB");
    }
    // --no-audio drops the sound; a longer render holds the last frame and says so once.
    let run = d.isf(&filter(
        "inputImage=clip.mp4",
        "long.mp4",
        &["--frames", "15", "--no-audio", "-q"],
    ));
    run.expect_code(0).expect_stderr_line(
        "note: clip.mp4 lasts 1.000 s of the 1.500 s rendered; past its end its last frame is held",
    );
    let streams = probe(&d, "long.mp4");
    assert!(streams.contains("nb_read_frames=15"), "{streams}");
    assert!(!streams.contains("codec_type=audio"), "{streams}");
}

#[test]
fn a_transition_with_keyed_progress_starts_on_one_clip_and_ends_on_the_other() {
    let Some(d) = with_footage("transition", &["transition.fs"]) else {
        return;
    };
    // A: the sequence; B: the same footage half a second in, looping. progress 0 -> 1 over
    // the second.
    d.isf(&[
        "render",
        "transition.fs",
        "--image",
        "startImage=in/f_%03d.png",
        "--image",
        "endImage=in/f_%03d.png#start=0.5,loop",
        "--set",
        "progress@0=0",
        "--set",
        "progress@0.9=1",
        "--fps",
        "10",
        "-o",
        "t_%02d.png",
        "-q",
    ])
    .expect_code(0);
    let a = |k: u32| d.png(&format!("in/f_{:03}.png", k + 1));
    // Frame 0: exactly A's frame 0; frame 9: exactly B's, which is A's frame 4 (0.5 s in,
    // looped: 0.9 + 0.5 = 1.4 s, 0.4 s into the second pass).
    assert!(d.png("t_00.png") == a(0), "frame 0 is not A's frame 0");
    assert!(
        d.png("t_09.png") == a(4),
        "frame 9 is not B's frame 9 (A's 4)"
    );
    // Between: a mix, equal to neither.
    let mid = d.png("t_05.png");
    assert!(mid != a(5) && mid != a(0), "frame 5 is not a mix");
}

#[test]
fn keyed_values_at_and_between_their_keys() {
    let d = Dir::new("keys");
    d.write(
        "level.fs",
        "/*{ \"ISFVSN\": \"2\", \"INPUTS\": [ { \"NAME\": \"level\", \"TYPE\": \"float\", \"DEFAULT\": 0.0 }, { \"NAME\": \"on\", \"TYPE\": \"bool\", \"DEFAULT\": false } ] }*/\nvoid main() { gl_FragColor = vec4(level, on ? 1.0 : 0.0, 0.0, 1.0); }\n",
    );
    d.isf(&[
        "render",
        "level.fs",
        "--set",
        "level@0.1=0.2",
        "--set",
        "level@0.3=1",
        "--set",
        "on@0.2=false",
        "--set",
        "on@0.25=true",
        "--frames",
        "5",
        "--fps",
        "10",
        "--size",
        "2x2",
        "-o",
        "k_%d.png",
        "-q",
    ])
    .expect_code(0);
    let px = |k: u32| {
        let p = d.png(&format!("k_{k}.png"));
        (p.get_pixel(0, 0)[0], p.get_pixel(0, 0)[1])
    };
    // Held before the first key (t 0) and after the last (t 0.4); 0.6 of the way at t 0.2.
    assert_eq!(px(0), (51, 0));
    assert_eq!(px(1), (51, 0));
    assert_eq!(px(2), (153, 0));
    assert_eq!(px(3), (255, 255));
    assert_eq!(px(4), (255, 255));
    // An easing bends the way between keys: ease-in is f³, 0.125 half way.
    d.isf(&[
        "render",
        "level.fs",
        "--set",
        "level@0.1=0",
        "--set",
        "level@0.3=1",
        "--ease",
        "level=ease-in",
        "--time",
        "0.2",
        "--size",
        "2x2",
        "-o",
        "e.png",
        "-q",
    ])
    .expect_code(0);
    assert_eq!(d.png("e.png").get_pixel(0, 0)[0], 32);
    d.isf(&[
        "render",
        "level.fs",
        "--ease",
        "level=ease-in",
        "-o",
        "x.png",
    ])
    .expect_code(2)
    .expect_stderr_line(
        "error: --ease level: \"level\" has no keys (give --set level@SECONDS=VALUE)",
    );
    d.isf(&["render", "level.fs", "--set", "level@soon=1", "-o", "x.png"])
        .expect_code(2)
        .expect_stderr_line(
            "error: --set \"level@soon\": the time after @ must be a number of seconds (NAME@TIME=VALUE)",
        );
    d.isf(&["render", "level.fs", "--set", "level@0=lots", "-o", "x.png"])
        .expect_code(2)
        .expect_stderr_line(
            "error: input \"level\" is of type float, but the value given is \"lots\"",
        );
}

#[test]
fn a_job_file_takes_footage_and_keys() {
    let Some(d) = with_footage("job", &["filter_invert.fs", "transition.fs"]) else {
        return;
    };
    d.write(
        "job.yaml",
        "jobs:\n  - shader: filter_invert.fs\n    images: { inputImage: in/f_%03d.png }\n    frames: 10\n    size: 48x32\n    output: out/inv_%02d.png\n  - shader: transition.fs\n    images: { \"*\": clip.mp4 }\n    inputs: { progress: { keys: [[0, 0], [1, 1]] } }\n    frames: 3\n    fps: 10\n    size: 48x32\n    output: out/tr.gif\n  - shader: filter_invert.fs\n    images: { inputImage: clip.mp4 }\n    frames: 10\n    fps: 10\n    size: 48x32\n    output: out/inv.mp4\n",
    );
    d.isf(&["batch", "job.yaml", "-q"]).expect_code(0);
    // A video output carries the video input's sound, as isf render's does.
    let streams = probe(&d, "out/inv.mp4");
    assert!(streams.contains("codec_type=audio"), "{streams}");
    for k in 0..10 {
        let input = d.png(&format!("in/f_{:03}.png", k + 1));
        assert!(
            d.png(&format!("out/inv_{k:02}.png")).as_raw() == &inverted(&input),
            "frame {k} is not the inverted input"
        );
    }
    assert!(d.join("out/tr.gif").is_file());
    // Bad footage is the job's problem before anything renders.
    d.write(
        "bad.yaml",
        "jobs:\n  - shader: filter_invert.fs\n    images: { inputImage: missing_%03d.png }\n    output: bad/x.png\n  - shader: filter_invert.fs\n    images: { inputImage: in/f_%03d.png }\n    inputs: { nope: { keys: [[0, 1]] } }\n    output: bad/y.png\n",
    );
    let run = d.isf(&["batch", "bad.yaml", "--check"]);
    run.expect_code(2).expect_stderr_contains(
        "image \"inputImage\": cannot read video ./missing_%03d.png: no file matches the pattern",
    );
    run.expect_stderr_contains("no input named \"nope\" (inputs: inputImage (image))");
    assert!(!d.join("bad").exists());
}

#[test]
fn bad_footage_is_named_with_exit_2() {
    let Some(d) = with_footage("bad", &["filter_invert.fs"]) else {
        return;
    };
    std::fs::remove_file(d.join("in/f_004.png")).unwrap();
    let cases = [
        (
            "inputImage=in/f_%03d.png",
            "error: cannot read image in/f_%03d.png: the sequence has a gap: f_004.png is missing (after in/f_003.png)",
        ),
        (
            "inputImage=missing.mp4",
            "error: cannot read image missing.mp4: no such file",
        ),
        (
            "inputImage=clip.mp4#fast",
            "error: cannot read image clip.mp4#fast: \"clip.mp4#fast\": unknown option \"fast\" (start=SECONDS, speed=X, rate=FPS, loop, hold, black)",
        ),
    ];
    for (image, message) in cases {
        d.isf(&filter(image, "x.mp4", &[]))
            .expect_code(2)
            .expect_stderr_line(message);
        assert!(!d.join("x.mp4").exists());
    }
}

#[test]
fn isf_render_sits_in_a_pipe_of_yuv4mpeg2_streams() {
    let Some(d) = with_footage("pipe", &["filter_invert.fs"]) else {
        return;
    };
    ffmpeg(
        &d,
        &[
            "-framerate",
            "10",
            "-i",
            "in/f_%03d.png",
            "-pix_fmt",
            "yuv444p",
            "-f",
            "yuv4mpegpipe",
            "in.y4m",
        ],
    );
    // `... | isf render fx.fs --image inputImage=- -o - | ...`: no --frames, the render
    // ends with the stream; the rate and size come from its header.
    let out = d
        .cmd(&filter("inputImage=-", "-", &["-q"]))
        .stdin(std::fs::File::open(d.join("in.y4m")).unwrap())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stdout.starts_with(b"YUV4MPEG2 W48 H32 F10:1"),
        "{:?}",
        &out.stdout[..40]
    );
    let frames = out.stdout.windows(6).filter(|w| w == b"FRAME\n").count();
    assert_eq!(frames, 10);
    d.write("out.y4m", &out.stdout);
    decode(&d, "out.y4m", "dst");
    for k in 0..10 {
        let src = d.png(&format!("in/f_{:03}.png", k + 1));
        let p = psnr(&d.png(&format!("dst_{k:03}.png")), &inverted(&src));
        assert!(p > 30.0, "frame {k}: {p:.1} dB");
    }
    // Not a stream: said, exit 2.
    let out = d
        .cmd(&filter("inputImage=-", "x.png", &[]))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: cannot read image standard input: not a YUV4MPEG2 stream (pipe one in: ffmpeg -i IN -f yuv4mpegpipe -)\n"
    );
}
