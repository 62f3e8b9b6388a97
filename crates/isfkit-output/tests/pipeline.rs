//! The encoder pool writes every frame of a pipelined render and is stopped by the engine's
//! cleanup coordinator; every still format round-trips a rendered frame.

// The engine's test helpers, shared rather than copied.
#[path = "../../isfkit-render/tests/common/mod.rs"]
mod common;

use common::*;
use isfkit_output::{write_image, EncoderPool, ImageFormat, PngCompression};

#[test]
fn encoder_pool_writes_every_frame_and_stops_in_the_coordinator() {
    let engine = test_engine();
    let scene = engine.load(&shader("gradient.fs")).unwrap();
    let tmp = tempfile::Builder::new()
        .prefix("isfkit-encoder-")
        .tempdir()
        .unwrap();
    let dir = tmp.path();
    let pool = EncoderPool::new(2, 2);
    engine
        .register_participant(pool.participant(std::time::Duration::from_secs(10)))
        .unwrap();
    let format = ImageFormat::Png {
        bits: 8,
        compression: PngCompression::Fast,
    };
    engine
        .render_pipelined(
            &scene,
            (0..10).map(frame_opts),
            3,
            |i, f| -> Result<(), Box<dyn std::error::Error>> {
                pool.submit(f, dir.join(format!("{i}.png")), format)?;
                Ok(())
            },
        )
        .unwrap();
    drop(scene);
    // Shutdown's first phase closes the queue and joins the threads after the last write.
    let report = engine.shutdown();
    assert!(report.ok(), "{report}");
    assert_eq!(
        report.phases[0].released_count, 2,
        "two encoder threads stopped in phase 1"
    );
    assert_eq!(pool.written(), 10);
    for i in 0..10 {
        let img = image::open(dir.join(format!("{i}.png"))).unwrap();
        assert_eq!((img.width(), img.height()), (48, 32));
    }
    // Other formats round-trip too.
    let frame = {
        let e = test_engine();
        let s = e.load(&shader("gradient.fs")).unwrap();
        s.render(&frame_opts(0)).unwrap()
    };
    for (name, fmt) in [
        ("a.jpg", ImageFormat::Jpeg { quality: 95 }),
        ("a.webp", ImageFormat::WebP),
        ("a.exr", ImageFormat::Exr),
    ] {
        write_image(&frame, &dir.join(name), fmt).unwrap();
        let img = image::open(dir.join(name)).unwrap();
        assert_eq!((img.width(), img.height()), (48, 32), "{name}");
        // The pixels, not only the size (JPEG is lossy; WebP and EXR are not).
        let tol = if name == "a.jpg" { 12 } else { 1 };
        let got = img.to_rgba8();
        for (g, w) in got.pixels().zip(frame.to_rgba8().chunks_exact(4)) {
            for c in 0..3 {
                assert!(
                    g.0[c].abs_diff(w[c]) <= tol,
                    "{name} channel {c}: {g:?} vs {w:?}"
                );
            }
        }
    }
    tmp.close().unwrap();
}
