//! `Engine::carry_state`: a reloaded scene (the preview after a save) continues where the
//! old one was when the passes match, and starts fresh when they do not.

mod common;

use common::*;

#[test]
fn reload_with_same_passes_continues_persistent_buffers_and_frameindex() {
    for name in ["persistent.fs", "persistent_v1.fs"] {
        let engine = test_engine();
        let old = engine.load(&shader(name)).unwrap();
        render_frames(&old, 0..5);
        let new = engine.load(&shader(name)).unwrap();
        assert!(engine.carry_state(&old, &new).unwrap(), "{name}");
        assert_eq!(new.frame_index(), 5, "{name}");
        drop(old);
        let after = render_frames(&new, 5..10);
        let straight = render_frames(&engine.load(&shader(name)).unwrap(), 0..10);
        assert_eq!(
            max_diff(&after, &straight),
            0,
            "{name}: 5 frames + reload + 5 frames differ from 10 frames"
        );
        drop(new);
        shutdown_clean(&engine);
    }
}

#[test]
fn reload_with_other_passes_starts_fresh() {
    let engine = test_engine();
    let old = engine.load(&shader("persistent.fs")).unwrap();
    render_frames(&old, 0..3);
    let new = engine.load(&shader("multipass_sizes.fs")).unwrap();
    assert!(!engine.carry_state(&old, &new).unwrap());
    assert_eq!(new.frame_index(), 0);
    drop((old, new));
    shutdown_clean(&engine);
}
