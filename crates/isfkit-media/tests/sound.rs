//! Sound files: WAV read natively, mp3 and flac (generated here with ffmpeg) decoded by
//! running ffmpeg, and the messages for what cannot be read. The ffmpeg half is skipped
//! only when ISFKIT_SKIP_FFMPEG_TESTS=1 (a missing ffmpeg fails it otherwise).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::ffmpeg;
use isfkit_audio::{Analyzer, AudioError, Sound};
use isfkit_media::load_sound;

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir()
        .join("isfkit-media-tests")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A 1-second stereo WAV, 16-bit, 44.1 kHz: left a 1,000 Hz tone, right a 5,000 Hz tone.
fn write_tones(path: &Path) {
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: 44100,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for i in 0..44100 {
        let t = i as f32 / 44100.0;
        for f in [1000.0, 5000.0] {
            let s = (t * f * std::f32::consts::TAU).sin() * 0.5;
            w.write_sample((s * 32767.0) as i16).unwrap();
        }
    }
    w.finalize().unwrap();
}

/// The spectrum's peak bin (512 bins over 0..22,050 Hz: 43.07 Hz each) of each channel at
/// 0.5 s.
fn peaks(sound: &Sound) -> Vec<usize> {
    let t = Analyzer::new().spectrum(sound, 0.5, None);
    (0..t.height as usize)
        .map(|c| {
            (0..512)
                .max_by(|&a, &b| t.value(a, c).total_cmp(&t.value(b, c)))
                .unwrap()
        })
        .collect()
}

#[test]
fn wav_natively() {
    let d = temp_dir("wav");
    let wav = d.join("tones.wav");
    write_tones(&wav);
    let s = load_sound(&wav).unwrap();
    assert_eq!(
        (s.sample_rate(), s.channel_count(), s.len()),
        (44100, 2, 44100)
    );
    // 1,000 Hz is bin 23.2, 5,000 Hz bin 116.1.
    assert_eq!(peaks(&s), [23, 116]);
    let _ = std::fs::remove_dir_all(&d);
}

fn ffmpeg_or_skip() -> bool {
    let found = Command::new("ffmpeg")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        if std::env::var("ISFKIT_SKIP_FFMPEG_TESTS").as_deref() == Ok("1") {
            eprintln!("ISFKIT_SKIP_FFMPEG_TESTS=1: skipping (ffmpeg is not installed)");
            return false;
        }
        panic!("ffmpeg is not installed: install it (scripts/install-deps.sh) or set ISFKIT_SKIP_FFMPEG_TESTS=1");
    }
    true
}

#[test]
fn mp3_and_flac_through_ffmpeg() {
    if !ffmpeg_or_skip() {
        return;
    }
    let d = temp_dir("ffmpeg");
    let wav = d.join("tones.wav");
    write_tones(&wav);
    for ext in ["mp3", "flac"] {
        let out = d.join(format!("tones.{ext}"));
        ffmpeg(&["-i", wav.to_str().unwrap(), out.to_str().unwrap()]);
        let s = load_sound(&out).unwrap();
        assert_eq!((s.sample_rate(), s.channel_count()), (44100, 2), "{ext}");
        if ext == "flac" {
            // Lossless: the same samples as the 16-bit WAV.
            assert_eq!(s, load_sound(&wav).unwrap());
        } else {
            // mp3 adds encoder delay and padding (a few frames of 1,152 samples).
            assert!((44100..44100 + 4 * 1152).contains(&s.len()), "{}", s.len());
        }
        assert_eq!(peaks(&s), [23, 116], "{ext}");
    }
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn what_cannot_be_read_is_named() {
    let d = temp_dir("errors");
    // Missing.
    let missing = d.join("nope.mp3");
    assert_eq!(
        load_sound(&missing).unwrap_err().to_string(),
        format!(
            "cannot read sound {}: No such file or directory (os error 2)",
            missing.display()
        )
    );
    // A WAV that is not one: hound's reason (ffmpeg cannot read it either).
    let bad_wav = d.join("bad.wav");
    std::fs::write(&bad_wav, b"not a wav file at all").unwrap();
    let e = load_sound(&bad_wav).unwrap_err().to_string();
    assert!(
        e.starts_with(&format!("cannot read sound {}: ", bad_wav.display())),
        "{e}"
    );
    if ffmpeg_or_skip() {
        let bad = d.join("bad.mp3");
        std::fs::write(&bad, b"not an mp3 file at all").unwrap();
        match load_sound(&bad).unwrap_err() {
            e @ AudioError::Ffmpeg { .. } => assert!(
                e.to_string().starts_with(&format!(
                    "cannot read sound {}: ffmpeg could not decode it: ",
                    bad.display()
                )),
                "{e}"
            ),
            other => panic!("{other:?}"),
        }
        // A file with no audio stream (a PNG image ffmpeg reads as video).
        let png = d.join("image.png");
        ffmpeg(&[
            "-f",
            "lavfi",
            "-i",
            "color=c=red:s=8x8",
            "-frames:v",
            "1",
            png.to_str().unwrap(),
        ]);
        let e = load_sound(&png).unwrap_err().to_string();
        assert!(
            e.starts_with(&format!(
                "cannot read sound {}: ffmpeg could not decode it: the file has no audio stream",
                png.display()
            )),
            "{e}"
        );
    }
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn invalid_samples_in_memory() {
    let e = |r: Result<Sound, AudioError>| r.unwrap_err().to_string();
    assert_eq!(
        e(Sound::new(0, vec![vec![0.0]])),
        "invalid sound: sample rate 0 is not in 1..=1536000"
    );
    assert_eq!(
        e(Sound::new(8000, vec![])),
        "invalid sound: it has no channels"
    );
    assert_eq!(
        e(Sound::new(8000, vec![vec![]])),
        "invalid sound: it has no samples"
    );
    assert_eq!(
        e(Sound::new(8000, vec![vec![0.0; 3], vec![0.0; 2]])),
        "invalid sound: channel 1 has 2 samples but channel 0 has 3; every channel must have the same number"
    );
    assert_eq!(
        e(Sound::new(8000, vec![vec![0.0, f32::NAN]])),
        "invalid sound: sample 1 of channel 0 is not a finite number"
    );
}
