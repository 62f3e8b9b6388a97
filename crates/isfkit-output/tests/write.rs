//! Writing frames built by hand (no GPU): every still format round-trips, errors are typed
//! and leave no temporary file, the encoder pool writes every frame.

use std::path::{Path, PathBuf};

use isfkit_output::{write_image, EncoderPool, FrameExt, ImageFormat, OutputError, PngCompression};
use isfkit_render::{Frame, Pixels};

const W: u32 = 7;
const H: u32 = 5;

/// 8-bit PNG, fast compression: the pool tests' format.
const FAST_PNG: ImageFormat = ImageFormat::Png {
    bits: 8,
    compression: PngCompression::Fast,
};

/// A frame whose every pixel differs: r = 30x, g = 40y, b = x + y, a = 255.
fn frame() -> Frame {
    let mut v = Vec::new();
    for y in 0..H {
        for x in 0..W {
            v.extend_from_slice(&[(30 * x) as u8, (40 * y) as u8, (x + y) as u8, 255]);
        }
    }
    Frame {
        width: W,
        height: H,
        pixels: Pixels::Rgba8(v),
    }
}

fn float_frame() -> Frame {
    let mut v = Vec::new();
    for y in 0..H {
        for x in 0..W {
            v.extend_from_slice(&[x as f32 / 8.0, y as f32 / 4.0, 0.25, 1.0]);
        }
    }
    Frame {
        width: W,
        height: H,
        pixels: Pixels::Rgba32F(v),
    }
}

/// A fresh folder for one test, removed when dropped.
fn dir(test: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("isfkit-output-{test}-"))
        .tempdir()
        .unwrap()
}

/// A fresh folder for one test and the path of the file `name` in it.
fn file_in(test: &str, name: &str) -> (tempfile::TempDir, PathBuf) {
    let d = dir(test);
    let p = d.path().join(name);
    (d, p)
}

fn no_temporaries(d: &Path) {
    let left: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

/// The image file `p`, which must be of colour type `color`.
fn read_as(p: &Path, color: image::ColorType) -> image::DynamicImage {
    let img = image::open(p).unwrap();
    assert_eq!(img.color(), color);
    img
}

/// `f` saved as `p` (its format by the extension) and read back, which must be W x H.
fn saved_and_read(f: &Frame, p: &Path) -> image::DynamicImage {
    f.save(p).unwrap();
    let img = image::open(p).unwrap();
    assert_eq!((img.width(), img.height()), (W, H));
    img
}

/// Asserts that `d` holds no temporary file, then removes it.
fn close_clean(d: tempfile::TempDir) {
    no_temporaries(d.path());
    d.close().unwrap();
}

#[test]
fn png_8_bit_round_trips_exactly() {
    let (d, p) = file_in("png8", "a.png");
    let f = frame();
    f.save_png(&p, 8).unwrap();
    let img = read_as(&p, image::ColorType::Rgba8);
    assert_eq!(img.to_rgba8().into_raw(), f.to_rgba8());
    close_clean(d);
}

#[test]
fn png_16_bit_round_trips_exactly() {
    let (d, p) = file_in("png16", "a.png");
    let f = float_frame();
    write_image(
        &f,
        &p,
        ImageFormat::Png {
            bits: 16,
            compression: PngCompression::Best,
        },
    )
    .unwrap();
    let img = read_as(&p, image::ColorType::Rgba16);
    let want: Vec<u16> = f
        .to_rgba32f()
        .iter()
        .map(|v| (v.clamp(0.0, 1.0) * 65535.0).round() as u16)
        .collect();
    assert_eq!(img.to_rgba16().into_raw(), want);
    close_clean(d);
}

#[test]
fn jpeg_webp_and_exr_round_trip() {
    let (d, p) = file_in("formats", "a.jpg");
    let f = frame();
    // JPEG: lossy, no alpha; close at quality 100.
    assert_eq!(saved_and_read(&f, &p).color(), image::ColorType::Rgb8);
    write_image(&f, &p, ImageFormat::Jpeg { quality: 100 }).unwrap();
    let rgb = image::open(&p).unwrap().to_rgb8();
    for (got, want) in rgb.pixels().zip(f.to_rgba8().chunks_exact(4)) {
        for k in 0..3 {
            assert!(
                got.0[k].abs_diff(want[k]) <= 12,
                "jpeg channel {k}: {got:?} vs {want:?}"
            );
        }
    }
    // WebP: lossless.
    let img = saved_and_read(&f, &d.path().join("a.webp"));
    assert_eq!(img.to_rgba8().into_raw(), f.to_rgba8());
    // EXR: 32-bit floats, exact.
    let ff = float_frame();
    let img = saved_and_read(&ff, &d.path().join("a.exr"));
    assert_eq!(img.to_rgba32f().into_raw(), ff.to_rgba32f());
    close_clean(d);
}

#[test]
fn an_unknown_extension_is_a_typed_error_with_the_exact_message() {
    let (d, p) = file_in("ext", "a.bmp");
    let e = frame().save(&p).unwrap_err();
    assert!(
        matches!(&e, OutputError::UnknownExtension { path } if path == &p),
        "{e:?}"
    );
    assert_eq!(
        e.to_string(),
        format!(
            "{}: unknown image extension (png, jpg, webp, exr)",
            p.display()
        )
    );
    assert!(ImageFormat::from_path(Path::new("x.JPEG")).is_some());
    assert!(ImageFormat::from_path(Path::new("noext")).is_none());
    assert!(!p.exists());
    d.close().unwrap();
}

#[test]
fn writing_into_a_missing_folder_is_an_io_error_and_leaves_no_temporary() {
    let d = dir("missing");
    let p = d.path().join("nope").join("a.png");
    let e = frame().save_png(&p, 8).unwrap_err();
    match &e {
        OutputError::Io { path, source } => {
            assert_eq!(path, &p);
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
        }
        other => panic!("expected OutputError::Io, got {other:?}"),
    }
    assert!(e
        .to_string()
        .starts_with(&format!("I/O error on {}: ", p.display())));
    assert!(
        std::error::Error::source(&e).is_some(),
        "the io::Error is kept as source"
    );
    assert!(!p.exists());
    close_clean(d);
}

#[test]
fn encoder_pool_writes_n_frames_and_finish_returns_n() {
    let d = dir("pool");
    let pool = EncoderPool::new(3, 2);
    let n = 17u64;
    for i in 0..n {
        let format = if i % 2 == 0 {
            FAST_PNG
        } else {
            ImageFormat::WebP
        };
        let ext = if i % 2 == 0 { "png" } else { "webp" };
        pool.submit(frame(), d.path().join(format!("{i}.{ext}")), format)
            .unwrap();
    }
    pool.flush();
    assert_eq!(pool.written(), n);
    assert_eq!(pool.finish().unwrap(), n);
    for i in 0..n {
        let ext = if i % 2 == 0 { "png" } else { "webp" };
        let img = image::open(d.path().join(format!("{i}.{ext}"))).unwrap();
        assert_eq!(img.to_rgba8().into_raw(), frame().to_rgba8());
    }
    // Stopped: a later submit is refused with a typed error.
    let e = pool
        .submit(frame(), d.path().join("late.png"), ImageFormat::WebP)
        .unwrap_err();
    assert!(matches!(e, OutputError::Stopped), "{e:?}");
    assert_eq!(e.to_string(), "the encoder pool was stopped");
    close_clean(d);
}

#[test]
fn encoder_pool_reports_failed_writes_joined() {
    let d = dir("poolfail");
    let pool = EncoderPool::new(1, 1);
    let png = FAST_PNG;
    pool.submit(frame(), d.path().join("ok.png"), png).unwrap();
    pool.submit(frame(), d.path().join("x").join("a.png"), png)
        .unwrap();
    pool.submit(frame(), d.path().join("y").join("b.png"), png)
        .unwrap();
    let e = pool.finish().unwrap_err();
    match &e {
        OutputError::Failed { errors } => assert_eq!(errors.len(), 2, "{errors:?}"),
        other => panic!("expected OutputError::Failed, got {other:?}"),
    }
    let msg = e.to_string();
    assert_eq!(msg.matches("; ").count(), 1, "{msg}");
    assert!(msg.contains("a.png") && msg.contains("b.png"), "{msg}");
    assert_eq!(pool.written(), 1);
    close_clean(d);
}

#[test]
fn temporaries_are_hidden_next_to_the_file_and_removed_unless_persisted() {
    let (d, p) = file_in("tmpname", "a.png");
    let tmp = isfkit_output::temporary_file(&p).unwrap();
    let name = tmp
        .path()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let prefix = format!(".a.png.{}.", std::process::id());
    assert!(
        name.starts_with(&prefix) && name.ends_with(".tmp"),
        "{name}"
    );
    assert_eq!(tmp.path().parent(), Some(d.path()));
    let kept = tmp.path().to_owned();
    drop(tmp);
    assert!(!kept.exists(), "dropped without persisting: removed");

    let tmp = isfkit_output::temporary_file(&p).unwrap().into_temp_path();
    std::fs::write(&tmp, b"whole").unwrap();
    isfkit_output::persist_temporary(tmp, &p).unwrap();
    assert_eq!(std::fs::read(&p).unwrap(), b"whole");
    close_clean(d);
}

#[test]
fn the_sweep_removes_other_processes_temporaries_only() {
    let (d, p) = file_in("sweep", "a.png");
    let ours = isfkit_output::temporary_file(&p).unwrap();
    let other = [".a.png.4000000000.Xy12ab.tmp", ".a.png.4000000001.tmp"];
    // Not temporaries of a.png: another file's, and names of another form.
    let unrelated = [
        ".a.png.x.png.4000000000.tmp",
        ".a.png.tmp",
        "a.png.4000000000.tmp",
    ];
    for n in other.iter().chain(&unrelated) {
        std::fs::write(d.path().join(n), b"half").unwrap();
    }
    assert_eq!(isfkit_output::remove_stale_temporaries(&p), other.len());
    for n in other {
        assert!(!d.path().join(n).exists(), "{n}");
    }
    for n in unrelated {
        assert!(d.path().join(n).exists(), "{n}");
    }
    assert!(
        ours.path().exists(),
        "this process's write in flight is spared"
    );
    drop(ours);
    d.close().unwrap();
}

#[cfg(unix)]
#[test]
fn written_files_have_the_permissions_of_a_new_file() {
    use std::os::unix::fs::PermissionsExt;
    let (d, p) = file_in("mode", "a.png");
    frame().save_png(&p, 8).unwrap();
    let plain = d.path().join("plain");
    std::fs::File::create(&plain).unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(
        mode(&p),
        mode(&plain),
        "not a scratch file's owner-only mode"
    );
    d.close().unwrap();
}

#[test]
fn encoder_pool_flush_waits_for_every_frame_submitted_from_several_threads() {
    let d = dir("poolflush");
    let pool = EncoderPool::new(2, 1);
    let png = FAST_PNG;
    std::thread::scope(|s| {
        for t in 0..3 {
            let (pool, d) = (&pool, d.path());
            s.spawn(move || {
                for i in 0..5 {
                    pool.submit(frame(), d.join(format!("{t}_{i}.png")), png)
                        .unwrap();
                }
            });
        }
    });
    // A failed frame counts as handled: flush returns and its error is there at once.
    pool.submit(frame(), d.path().join("no").join("a.png"), png)
        .unwrap();
    pool.flush();
    assert_eq!(pool.written(), 15);
    assert_eq!(pool.take_errors().len(), 1);
    // The threads keep running after a flush.
    pool.submit(frame(), d.path().join("after.png"), png)
        .unwrap();
    assert_eq!(pool.finish().unwrap(), 16);
    // Stopped: flush has nothing to wait for.
    pool.flush();
    close_clean(d);
}

#[test]
fn sound_segment_for_muxing_is_exactly_as_long_as_asked() {
    let d = dir("segment");
    let s = isfkit_render::Sound::new(1000, vec![vec![0.25; 500]]).unwrap();
    let out = d.path().join("seg.wav");
    // From 0.25 s for 1 s: 250 samples of sound, then 750 of silence.
    isfkit_output::write_wav_segment(&s, &out, 0.25, 1.0).unwrap();
    let back = isfkit_media::load_sound(&out).unwrap();
    assert_eq!(back.len(), 1000);
    assert!(back.channels()[0][..250].iter().all(|&v| v == 0.25));
    assert!(back.channels()[0][250..].iter().all(|&v| v == 0.0));
}
