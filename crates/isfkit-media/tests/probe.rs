//! A video is probed once per file as it stands (two ffprobe runs at once: the streams, and
//! the packets' times): a render probes its footage for its defaults and again when it opens
//! it. Counted through an `ffprobe` on PATH that notes each run and hands over to the real
//! one (this file holds one test, so no other test sees the changed PATH).

mod common;

use std::path::Path;
use std::process::Command;

use common::ffmpeg;
use isfkit_media::{probe_clip, ClipSpec};

fn clip(path: &Path, size: &str) {
    let src = format!("testsrc2=size={size}:rate=10:duration=0.5");
    let out = path.to_str().unwrap();
    ffmpeg(&["-f", "lavfi", "-i", &src, "-c:v", "ffv1", out]);
}

#[test]
fn a_video_is_probed_once_until_it_changes() {
    let real = String::from_utf8(
        Command::new("sh")
            .args(["-c", "command -v ffprobe"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let real = real.trim();
    assert!(!real.is_empty(), "ffprobe is not installed");
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let log = dir.path().join("runs.log");
    let wrapper = bin.join("ffprobe");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\necho run >> '{}'\nexec '{real}' \"$@\"\n",
            log.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = std::env::var("PATH").unwrap_or_default();
    // The only test of this binary: nothing else reads the environment meanwhile.
    std::env::set_var("PATH", format!("{}:{path}", bin.display()));
    let runs = || {
        std::fs::read_to_string(&log)
            .unwrap_or_default()
            .lines()
            .count()
    };

    let video = dir.path().join("clip.mkv");
    clip(&video, "64x32");
    let spec = ClipSpec::parse(video.to_str().unwrap()).unwrap().unwrap();
    let first = probe_clip(&spec, 16384).unwrap();
    assert_eq!((first.width, first.height, first.frames), (64, 32, 5));
    assert_eq!(first.frame_times, vec![0.0, 0.1, 0.2, 0.3, 0.4]);
    assert_eq!(runs(), 2, "the streams, and the frame times");
    assert_eq!(probe_clip(&spec, 16384).unwrap(), first);
    assert_eq!(runs(), 2, "the same file is not probed again");

    // The file replaced by another clip: probed again, and the new answer is given.
    clip(&video, "48x16");
    let second = probe_clip(&spec, 16384).unwrap();
    assert_eq!((second.width, second.height), (48, 16));
    assert_eq!(runs(), 4);
    // A file that is gone is an error, not a remembered answer.
    std::fs::remove_file(&video).unwrap();
    let e = probe_clip(&spec, 16384).unwrap_err();
    assert_eq!(e.message, "no such file");
}
