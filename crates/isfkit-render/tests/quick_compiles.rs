//! Quick compiles, chosen before the first engine of the process: they reach the flags Mesa's
//! LLVM back end reads, keep the flags already there, and change no pixel. The choice is the
//! process's, so this file holds one test (a test binary is one process).

mod common;

use common::*;
use isfkit_render::RenderOptions;

#[test]
fn quick_compiles_chosen_first_reach_the_driver_and_change_no_pixel() {
    std::env::set_var("GALLIVM_PERF", "no_filter_hacks");
    assert!(isfkit_render::quick_compiles());
    assert!(isfkit_render::quick_compiles(), "asking again: still held");
    assert_eq!(
        std::env::var("GALLIVM_PERF").unwrap(),
        "no_filter_hacks,nopt"
    );
    let engine = test_engine();
    // The golden tests' images, rendered as they render them.
    let opts = |time: f64| RenderOptions {
        width: 64,
        height: 48,
        time,
        float_output: false,
        date: Some([2026.0, 11.0, 22.0, 43200.0]),
    };
    let scene = engine.load(&shader("persistent.fs")).unwrap();
    let mut frame = None;
    for i in 0..5 {
        frame = Some(scene.render(&opts(f64::from(i) / 30.0)).unwrap());
    }
    check_golden("persistent_5_frames", &frame.unwrap());
    let scene = engine.load(&shader("multipass_sizes.fs")).unwrap();
    check_golden("multipass_sizes", &scene.render(&opts(0.0)).unwrap());
    drop(scene);
    shutdown_clean(&engine);
}
