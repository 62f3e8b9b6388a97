//! The pipelined renderer gives exactly the frames of one-by-one rendering, in order.

mod common;

use common::*;
use isfkit_render::RenderOptions;

#[test]
fn pipelined_frames_are_pixel_identical_to_one_by_one_frames() {
    let engine = test_engine();
    for name in ["persistent.fs", "multipass_sizes.fs", "builtins.fs"] {
        let a = engine.load(&shader(name)).unwrap();
        let one_by_one: Vec<_> = (0..12).map(|i| a.render(&frame_opts(i)).unwrap()).collect();
        for in_flight in [1, 3, 5] {
            let b = engine.load(&shader(name)).unwrap();
            let mut got = Vec::new();
            let n = engine
                .render_pipelined(&b, (0..12).map(frame_opts), in_flight, |i, f| {
                    assert_eq!(i as usize, got.len(), "frames must arrive in order");
                    got.push(f);
                    Ok::<(), isfkit_render::Error>(())
                })
                .unwrap();
            assert_eq!(n, 12);
            for (i, (x, y)) in one_by_one.iter().zip(&got).enumerate() {
                assert_eq!(
                    max_diff(x, y),
                    0,
                    "{name}: frame {i} differs with {in_flight} in flight"
                );
            }
        }
    }
    shutdown_clean(&engine);
}

#[test]
fn persistent_buffer_keeps_its_content_scaled_when_the_render_size_changes() {
    let engine = test_engine();
    let scene = engine.load(&shader("persistent.fs")).unwrap();
    for i in 0..3 {
        scene
            .render(&RenderOptions::new(48, 32, i as f64 / 30.0))
            .unwrap();
    }
    // The fourth frame at twice the size adds 0.1 to the rescaled 0.3: 0.4, not a fresh 0.1.
    let f = scene.render(&RenderOptions::new(96, 64, 0.1)).unwrap();
    assert_eq!((f.width, f.height), (96, 64));
    let red = f.pixel(10, 32)[0];
    assert!(
        (red - 0.4).abs() < 0.02,
        "red {red}: the persistent buffer did not carry over the resize"
    );
    drop(scene);
    shutdown_clean(&engine);
}
