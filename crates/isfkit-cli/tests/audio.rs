//! `isf render --audio` and job files with `audio:`: any sound file ffmpeg decodes,
//! and a video output that carries the sound from --time for the video's length (checked
//! with ffprobe). The ffmpeg tests are skipped only when ISFKIT_SKIP_FFMPEG_TESTS=1.

mod common;

use common::*;
use std::path::Path;
use std::process::{Command, Output};

/// A fresh folder holding the audio test shaders.
fn audio_dir(name: &str) -> Dir {
    let d = Dir::new(name);
    for s in ["audio.fs", "audiofft.fs"] {
        d.copy(s);
    }
    d
}

/// `isf ARGS` with extra environment variables.
fn isf_env(d: &Dir, args: &[&str], env: &[(&str, &str)]) -> Output {
    d.cmd(args).envs(env.iter().copied()).output().unwrap()
}

/// `isf render audio.fs --audio wave=SOUND -o x.png` with extra environment variables.
fn render_sound(d: &Dir, sound: &str, env: &[(&str, &str)]) -> Output {
    isf_env(
        d,
        &[
            "render",
            "audio.fs",
            "--audio",
            &format!("wave={sound}"),
            "-o",
            "x.png",
        ],
        env,
    )
}

trait Media {
    fn ffmpeg(&self, args: &[&str]);
    fn streams(&self, file: &str) -> Vec<(String, f64)>;
}

impl Media for Dir {
    fn ffmpeg(&self, args: &[&str]) {
        let st = Command::new("ffmpeg")
            .args(["-hide_banner", "-loglevel", "error", "-y"])
            .args(args)
            .current_dir(&self.path)
            .status()
            .unwrap();
        assert!(st.success(), "ffmpeg {args:?}");
    }

    /// `[codec_type, duration]` of each stream of `file`.
    fn streams(&self, file: &str) -> Vec<(String, f64)> {
        let out = Command::new("ffprobe")
            .args(["-v", "error", "-show_entries", "stream=codec_type,duration"])
            .args(["-of", "csv=p=0", file])
            .current_dir(&self.path)
            .output()
            .unwrap();
        assert_success(&out);
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| {
                let (ty, d) = l.split_once(',').unwrap();
                (ty.to_string(), d.trim().parse().unwrap())
            })
            .collect()
    }
}

/// A 3-second mono sine sweep 300 Hz -> 12 kHz, 16-bit, 44.1 kHz.
fn write_sweep(path: &Path) {
    write_wav(path, 1, 3.0, |t, _| {
        (std::f64::consts::TAU * (300.0 * t + 0.5 * (11700.0 / 3.0) * t * t)).sin() * 0.7
    });
}

/// The audio test folder `name` with `sweep.wav` in it, for a test that needs ffmpeg; None
/// when the ffmpeg tests are skipped.
fn sweep_dir(name: &str) -> Option<Dir> {
    if !ffmpeg_or_skip() {
        return None;
    }
    let d = audio_dir(name);
    write_sweep(&d.path.join("sweep.wav"));
    Some(d)
}

/// The green bar columns of an audiofft.fs frame: which of the 16 bands has the tallest bar.
fn tallest_band(png: &Path) -> usize {
    let img = image::open(png).unwrap().to_rgba8();
    let (w, h) = img.dimensions();
    let height = |band: u32| {
        let x = band * w / 16 + w / 32;
        (0..h).filter(|&y| img.get_pixel(x, y)[1] > 128).count()
    };
    (0..16).max_by_key(|&b| height(b)).unwrap() as usize
}

#[test]
fn render_mp4_carries_the_sound_for_its_length() {
    let Some(d) = sweep_dir("mp4") else {
        return;
    };
    // 2 s at 10 fps from --time 0.5: the sound from 0.5 s to 2.5 s.
    // Its own temporary folder, to see that the sound track file is removed afterwards.
    let tmp = d.path.join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let o = isf_env(
        &d,
        &[
            "render",
            "audiofft.fs",
            "--audio",
            "spectrum=sweep.wav",
            "--size",
            "64x32",
            "--fps",
            "10",
            "--frames",
            "20",
            "--time",
            "0.5",
            "-o",
            "viz.mp4",
        ],
        &[("TMPDIR", tmp.to_str().unwrap())],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let streams = d.streams("viz.mp4");
    assert_eq!(streams.len(), 2, "{streams:?}");
    let (video, audio) = (&streams[0], &streams[1]);
    assert_eq!((video.0.as_str(), audio.0.as_str()), ("video", "audio"));
    assert!((video.1 - 2.0).abs() < 0.01, "{streams:?}");
    // AAC frames are 1,024 samples (23 ms): the stream ends within one of the video's end.
    assert!((audio.1 - 2.0).abs() < 0.05, "{streams:?}");
    // The muxed sound is the sweep from 0.5 s: decode it back and compare its middle.
    d.ffmpeg(&["-i", "viz.mp4", "-vn", "-ac", "1", "back.wav"]);
    let back = isfkit_media::load_sound(&d.path.join("back.wav")).unwrap();
    let orig = isfkit_media::load_sound(&d.path.join("sweep.wav")).unwrap();
    let spectrum = |s: &isfkit_render::Sound, t: f64| {
        let tex = isfkit_render::audio::Analyzer::new().spectrum(s, t, None);
        (0..512)
            .max_by(|&a, &b| tex.value(a, 0).total_cmp(&tex.value(b, 0)))
            .unwrap() as i64
    };
    for t in [0.5, 1.0, 1.5] {
        let (a, b) = (spectrum(&back, t), spectrum(&orig, t + 0.5));
        assert!(
            (a - b).abs() <= 2,
            "at {t} s of the video: bin {a}, the sweep at {} s: bin {b}",
            t + 0.5
        );
    }
    // No temporary sound file is left behind (other things may live there, such as the
    // runtime folder isfkit makes when XDG_RUNTIME_DIR is not set).
    let left: Vec<String> = std::fs::read_dir(&tmp)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !left.iter().any(|n| n.starts_with("isfkit-sound-")),
        "{left:?}"
    );
}

#[test]
fn mp3_and_flac_render_like_the_wav() {
    let Some(d) = sweep_dir("formats") else {
        return;
    };
    d.ffmpeg(&["-i", "sweep.wav", "sweep.mp3"]);
    d.ffmpeg(&["-i", "sweep.wav", "sweep.flac"]);
    let mut bands = Vec::new();
    for ext in ["wav", "mp3", "flac"] {
        let out = format!("{ext}.png");
        let o = d.output(&[
            "render",
            "audiofft.fs",
            "--audio",
            &format!("spectrum=sweep.{ext}"),
            "--size",
            "64x32",
            "--time",
            "1.878",
            "-o",
            &out,
        ]);
        assert!(o.status.success(), "{ext}: {}", stderr(&o));
        bands.push(tallest_band(&d.path.join(out)));
    }
    // The window ending at 1.878 s is centred on 1.8664 s, where the sweep is at 7,580 Hz:
    // bin 176 of 512 (43.07 Hz each), the centre of band 5 of 16.
    assert_eq!(bands, [5, 5, 5]);
    // flac is lossless: the same picture as the WAV.
    assert_eq!(
        image::open(d.path.join("wav.png")).unwrap().to_rgba8(),
        image::open(d.path.join("flac.png")).unwrap().to_rgba8()
    );
}

#[test]
fn sound_errors_are_named() {
    let d = audio_dir("errors");
    // Missing file: usage error (2) naming it.
    let o = render_sound(&d, "nope.mp3", &[]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o).lines().last().unwrap(),
        "error: cannot read sound nope.mp3: No such file or directory (os error 2)"
    );
    // ffmpeg missing (PATH without it): said so, naming the file.
    std::fs::write(d.path.join("song.mp3"), b"whatever").unwrap();
    let o = render_sound(&d, "song.mp3", &[("PATH", "/nonexistent")]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        stderr(&o).lines().last().unwrap(),
        "error: cannot read sound song.mp3: ffmpeg is needed to decode anything but WAV and was not found (install ffmpeg)"
    );
    assert!(!d.path.join("x.png").exists());
    if ffmpeg_or_skip() {
        // ffmpeg fails: its reason, naming the file.
        let o = render_sound(&d, "song.mp3", &[]);
        assert_eq!(o.status.code(), Some(2));
        let last = stderr(&o).lines().last().unwrap().to_string();
        assert!(
            last.starts_with("error: cannot read sound song.mp3: ffmpeg could not decode it: "),
            "{last}"
        );
    }
}

#[test]
fn batch_job_with_audio_muxes_into_the_video() {
    let Some(d) = sweep_dir("batch") else {
        return;
    };
    std::fs::write(
        d.path.join("job.yaml"),
        "jobs:\n  - shader: audiofft.fs\n    size: 32x16\n    fps: 10\n    frames: 15\n    audio: { spectrum: sweep.wav }\n    output: out/clip.mp4\n  - shader: audiofft.fs\n    size: 64x32\n    times: [1.878]\n    audio: { spectrum: sweep.wav }\n    output: out/still_%04d.png\n",
    )
    .unwrap();
    let o = d.output(&["batch", "job.yaml", "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let streams = d.streams("out/clip.mp4");
    assert_eq!(streams.len(), 2, "{streams:?}");
    assert_eq!(streams[1].0, "audio");
    assert!((streams[1].1 - 1.5).abs() < 0.05, "{streams:?}");
    // The still at 1.878 s sees the sweep there (band 5), not the whole file.
    assert_eq!(tallest_band(&d.path.join("out/still_0000.png")), 5);
    // A sound for an input that is not audio is a listed problem.
    std::fs::write(
        d.path.join("bad.yaml"),
        "jobs:\n  - shader: audiofft.fs\n    audio: { nope: sweep.wav, spectrum: missing.wav }\n    output: out/x.png\n",
    )
    .unwrap();
    let o = d.output(&["batch", "bad.yaml", "--check"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("\"nope\" is not an audio or audioFFT input of this shader"),
        "{e}"
    );
    assert!(e.contains("audio \"spectrum\": file"), "{e}");
}

/// A Shadertoy shader whose Sound pass plays 440 Hz: its video carries that sound, rendered
/// on the GPU, from --time for the video's length; --no-audio drops it.
#[test]
fn a_shadertoy_sound_pass_is_the_videos_sound() {
    if !ffmpeg_or_skip() {
        return;
    }
    let d = Dir::new("sound-pass");
    let json = serde_json::json!({"Shader": {"info": {"id": "snd", "name": "song"}, "renderpass": [
        {"type": "image", "name": "Image", "inputs": [], "outputs": [],
         "code": "void mainImage(out vec4 c, in vec2 f) { c = vec4(0.5); }"},
        {"type": "sound", "name": "Sound", "inputs": [], "outputs": [],
         "code": "vec2 mainSound(int samp, float time) { return vec2(0.5 * sin(6.2831853 * 440.0 * time)); }"}]}});
    d.write("song.json", json.to_string());
    let args = [
        "render",
        "song.json",
        "--size",
        "32x16",
        "--fps",
        "10",
        "--frames",
        "10",
        "--time",
        "1",
    ];
    let o = d
        .cmd(&[&args[..], &["-o", "song.mp4"]].concat())
        .output()
        .unwrap();
    assert_success(&o);
    let info = d.cmd(&["info", "song.json"]).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("\"soundPass\": true"), "{info}");
    let streams = d.streams("song.mp4");
    assert_eq!(streams.len(), 2, "{streams:?}");
    assert_eq!(streams[1].0, "audio");
    assert!((streams[1].1 - 1.0).abs() < 0.05, "{streams:?}");
    d.ffmpeg(&["-i", "song.mp4", "-vn", "-ac", "1", "back.wav"]);
    let back = isfkit_media::load_sound(&d.path.join("back.wav")).unwrap();
    let tex = isfkit_render::audio::Analyzer::new().spectrum(&back, 0.5, None);
    let peak = (0..512)
        .max_by(|&a, &b| tex.value(a, 0).total_cmp(&tex.value(b, 0)))
        .unwrap();
    // 44.1 kHz over 512 bins of a 1,024-sample window: 43 Hz a bin, 440 Hz in bin 10.
    assert_eq!(peak, 10);
    let o = d
        .cmd(&[&args[..], &["-o", "mute.mp4", "--no-audio"]].concat())
        .output()
        .unwrap();
    assert_success(&o);
    assert_eq!(d.streams("mute.mp4").len(), 1);
    // A .wav output is the Sound pass alone: 32-bit float stereo from --time, as long as
    // the frames.
    assert_success(
        &d.cmd(&[&args[..], &["-o", "song.wav"]].concat())
            .output()
            .unwrap(),
    );
    let wav = isfkit_media::load_sound(&d.path.join("song.wav")).unwrap();
    assert_eq!(
        (wav.sample_rate(), wav.channel_count(), wav.len()),
        (44_100, 2, 44_100)
    );
    let want = |n: usize| 0.5 * (std::f64::consts::TAU * 440.0 * (1.0 + n as f64 / 44_100.0)).sin();
    for n in [0, 1000, 44_099] {
        assert!(
            (wav.channels()[0][n] as f64 - want(n)).abs() < 2e-3,
            "sample {n}"
        );
    }
    // A .wav's length is --frames at --fps: without --frames it is a usage error.
    let o = d
        .cmd(&["render", "song.json", "-o", "short.wav"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o).trim(),
        "error: a .wav output is as long as --frames at --fps: give --frames (for example --frames 300 --fps 30 for 10 s) to short.wav"
    );
    // More than an hour of sound is refused before anything renders; no file is left.
    let o = d
        .cmd(&[
            "render",
            "song.json",
            "--fps",
            "1",
            "--frames",
            "3601",
            "-o",
            "long.wav",
        ])
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains(
            "Sound pass: 3601 s of sound asked for; it renders more than 0 and at most 3600 s"
        ),
        "{}",
        stderr(&o)
    );
    assert!(!d.path.join("long.wav").exists());
    // A shader without a Sound pass has no sound to write; no file is left.
    d.copy("gradient.fs");
    let o = d
        .cmd(&["render", "gradient.fs", "--frames", "3", "-o", "none.wav"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("gradient.fs: a .wav output is the sound of a Shadertoy shader's Sound pass (mainSound), and this shader has none"),
        "{}",
        stderr(&o)
    );
    assert!(!d.path.join("none.wav").exists());
    // isf convert writes the Sound pass beside the picture's file, as an ISF generator.
    assert_success(
        &d.cmd(&["convert", "song.json", "-o", "song.fs"])
            .output()
            .unwrap(),
    );
    let sound = std::fs::read_to_string(d.path.join("song.sound.fs")).unwrap();
    assert!(
        sound.contains("vec2 mainSound(int samp, float time)"),
        "{sound}"
    );
    assert_success(&d.cmd(&["validate", "song.sound.fs"]).output().unwrap());
}
