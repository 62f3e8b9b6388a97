//! Videos and image sequences as inputs, on footage the tests make with ffmpeg's `testsrc2`
//! source: each frame is the one a PNG sequence of the same source holds, bit for bit (through
//! a lossless codec), at the times the rule says (the last frame at or before the time), past
//! the end as asked, upright when the file says it is turned, and every bad input named.

mod common;

use std::path::Path;

use common::ffmpeg;
use isfkit_media::{probe_clip, ClipReader, ClipSpec, Image};

const MAX_SIDE: u32 = 16384;

/// One second of `testsrc2` at 10 fps, `w`x`h`: as a lossless video (FFV1 in Matroska) and
/// as the PNG sequence `f_%03d.png` numbered from 1.
fn footage(dir: &Path, w: u32, h: u32) -> (String, String) {
    // testsrc2 makes even sizes: an odd one is cut from a larger picture.
    let src = format!(
        "testsrc2=size={}x{}:rate=10:duration=1,format=rgb24,crop={w}:{h}:0:0",
        w + w % 2,
        h + h % 2
    );
    let video = dir.join("clip.mkv").display().to_string();
    let seq = dir.join("f_%03d.png").display().to_string();
    ffmpeg(&[
        "-f", "lavfi", "-i", &src, "-c:v", "ffv1", "-pix_fmt", "bgr0", &video,
    ]);
    ffmpeg(&["-f", "lavfi", "-i", &src, "-start_number", "1", &seq]);
    (video, seq)
}

fn open(text: &str, fps: f64) -> ClipReader {
    ClipReader::open(&ClipSpec::parse(text).unwrap().unwrap(), fps, MAX_SIDE).unwrap()
}

fn opaque(img: &Image) -> Vec<u8> {
    img.rgba
        .chunks(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect()
}

#[test]
fn a_video_shows_the_frame_a_sequence_holds_at_each_time() {
    let dir = tempfile::tempdir().unwrap();
    // An odd size: no codec padding may show.
    let (video, seq) = footage(dir.path(), 33, 17);
    let info = probe_clip(&ClipSpec::parse(&video).unwrap().unwrap(), MAX_SIDE).unwrap();
    assert_eq!((info.width, info.height, info.frames), (33, 17, 10));
    assert_eq!(info.fps, Some(10.0));
    assert!(!info.has_audio);
    let mut v = open(&video, 10.0);
    let mut s = open(&seq, 10.0);
    for k in 0..10 {
        let t = k as f64 / 10.0;
        let a = v.frame_at(t).unwrap().unwrap();
        let b = s.frame_at(t).unwrap().unwrap();
        assert_eq!((a.width, a.height), (33, 17));
        assert_eq!(opaque(&a), opaque(&b), "frame {k}");
    }
    // Between frames: the last at or before the time. Rendering at 25 fps, 0.19 s shows
    // frame 1 of the 10 fps clip.
    let mut v25 = open(&video, 25.0);
    let mid = v25.frame_at(0.19).unwrap().unwrap();
    assert_eq!(opaque(&mid), opaque(&s.frame_at(0.1).unwrap().unwrap()));
    // Going back (times out of order) decodes again from the start.
    assert_eq!(
        opaque(&v.frame_at(0.0).unwrap().unwrap()),
        opaque(&s.frame_at(0.0).unwrap().unwrap())
    );
}

#[test]
fn past_the_end_an_offset_and_a_speed() {
    let dir = tempfile::tempdir().unwrap();
    let (video, seq) = footage(dir.path(), 16, 16);
    let mut s = open(&seq, 10.0);
    let frame = |k: u64, s: &mut ClipReader| opaque(&s.frame_at(k as f64 / 10.0).unwrap().unwrap());
    let first = frame(0, &mut s);
    let third = frame(2, &mut s);
    let last = frame(9, &mut s);
    // Held by default.
    assert_eq!(
        opaque(&open(&video, 10.0).frame_at(3.0).unwrap().unwrap()),
        last
    );
    // Looped: 1.2 s is 0.2 s into the second pass.
    assert_eq!(
        opaque(
            &open(&format!("{video}#loop"), 10.0)
                .frame_at(1.2)
                .unwrap()
                .unwrap()
        ),
        third
    );
    // Transparent black.
    let black = open(&format!("{video}#black"), 10.0)
        .frame_at(1.5)
        .unwrap()
        .unwrap();
    assert!(black.rgba.iter().all(|&b| b == 0));
    assert_eq!((black.width, black.height), (16, 16));
    // 0.2 s into the clip at render time 0; twice as fast.
    assert_eq!(
        opaque(
            &open(&format!("{video}#start=0.2"), 10.0)
                .frame_at(0.0)
                .unwrap()
                .unwrap()
        ),
        third
    );
    assert_eq!(
        opaque(
            &open(&format!("{video}#speed=2"), 10.0)
                .frame_at(0.1)
                .unwrap()
                .unwrap()
        ),
        third
    );
    // A sequence without a rate shows one file per render frame, at any render rate.
    assert_eq!(
        opaque(&open(&seq, 30.0).frame_at(2.0 / 30.0).unwrap().unwrap()),
        third
    );
    assert_eq!(
        opaque(
            &open(&format!("{seq}#rate=5"), 30.0)
                .frame_at(0.2)
                .unwrap()
                .unwrap()
        ),
        frame(1, &mut s)
    );
    assert_eq!(
        opaque(&open(&seq, 10.0).frame_at(-1.0).unwrap().unwrap()),
        first
    );
}

/// Writes a quarter turn into the display matrix of an MP4's (only) track header, as a
/// phone does for a clip shot upright (ffmpeg 5.1 has no option that writes one).
fn turn_a_quarter(mp4: &Path) {
    let mut b = std::fs::read(mp4).unwrap();
    let i = b.windows(4).position(|w| w == b"tkhd").unwrap();
    let version = b[i + 4];
    // type, version and flags, times, track id, reserved, duration, reserved, layer,
    // alternate group, volume, reserved: then the matrix.
    let times = if version == 1 {
        8 + 8 + 4 + 4 + 8
    } else {
        4 + 4 + 4 + 4 + 4
    };
    let at = i + 4 + 4 + times + 8 + 2 + 2 + 2 + 2;
    let matrix: [u32; 9] = [0, 0x10000, 0, 0xFFFF_0000, 0, 0, 0, 0, 0x4000_0000];
    for (k, m) in matrix.iter().enumerate() {
        b[at + 4 * k..at + 4 * k + 4].copy_from_slice(&m.to_be_bytes());
    }
    std::fs::write(mp4, b).unwrap();
}

#[test]
fn a_turned_video_is_shown_upright() {
    let dir = tempfile::tempdir().unwrap();
    let turned = dir.path().join("turned.mp4");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=64x32:rate=10:duration=0.5",
        "-pix_fmt",
        "yuv420p",
        &turned.display().to_string(),
    ]);
    turn_a_quarter(&turned);
    let turned = turned.display().to_string();
    let info = probe_clip(&ClipSpec::parse(&turned).unwrap().unwrap(), MAX_SIDE).unwrap();
    assert_eq!((info.width, info.height), (32, 64));
    let img = open(&turned, 10.0).frame_at(0.0).unwrap().unwrap();
    assert_eq!((img.width, img.height), (32, 64));
}

#[test]
fn bad_footage_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let (_, seq) = footage(dir.path(), 8, 8);
    let err = |text: &str| {
        ClipReader::open(&ClipSpec::parse(text).unwrap().unwrap(), 10.0, MAX_SIDE)
            .err()
            .expect("refused")
            .to_string()
    };
    std::fs::remove_file(dir.path().join("f_004.png")).unwrap();
    assert_eq!(
        err(&seq),
        format!(
            "cannot read video {seq}: the sequence has a gap: f_004.png is missing (after {})",
            dir.path().join("f_003.png").display()
        )
    );
    let none = dir.path().join("none_%03d.png").display().to_string();
    assert_eq!(
        err(&none),
        format!("cannot read video {none}: no file matches the pattern")
    );
    let missing = dir.path().join("missing.mp4").display().to_string();
    assert_eq!(
        err(&missing),
        format!("cannot read video {missing}: no such file")
    );
    let sound = dir.path().join("sound.mkv").display().to_string();
    ffmpeg(&["-f", "lavfi", "-i", "sine=duration=0.2", &sound]);
    assert_eq!(
        err(&sound),
        format!("cannot read video {sound}: the file has no video stream")
    );
    let junk = dir.path().join("junk.mp4");
    std::fs::write(&junk, b"not a video").unwrap();
    assert!(err(&junk.display().to_string())
        .starts_with(&format!("cannot read video {}: ", junk.display())));
    let (video, _) = footage(dir.path(), 8, 8);
    let big = ClipReader::open(&ClipSpec::parse(&video).unwrap().unwrap(), 10.0, 4)
        .err()
        .unwrap()
        .to_string();
    assert_eq!(
        big,
        format!("cannot read video {video}: 8x8 is larger than the limit of 4 pixels per side")
    );
}
