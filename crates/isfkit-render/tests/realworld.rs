//! Real shaders from public collections (tests/realworld: Shadertoy shaders under MIT or CC0,
//! wrapped in a minimal ISF header): each one compiles and draws a picture (not one flat
//! colour, except the few that desktop GL also draws flat), and the engine shuts down clean.

mod common;

use common::*;
use isfkit_render::RenderOptions;

/// Shaders that draw one colour at 64x36 under the wrapper, on desktop GL too (pyvvisf on
/// Mesa's OpenGL gives the same colour): the wrapper's `iMouse` is 0, which puts two orbit
/// cameras below their scene, and two shaders have no picture to draw.
const FLAT: [(&str, &str); 4] = [
    (
        "022_trettel_barth_sextic.fs",
        "mouse-driven camera, at iMouse 0 below the surface",
    ),
    (
        "032_ridgestd_rm_camera_stub.fs",
        "its colour is the mouse position",
    ),
    (
        "062_trettel_scene_multi.fs",
        "mouse-driven camera, at iMouse 0 under the ground plane",
    ),
    (
        "078_trettel_red_pulsing.fs",
        "one colour that pulses with time",
    ),
];

/// The corpus's files, in order.
fn corpus() -> Vec<std::path::PathBuf> {
    let dir = repo_root().join("tests/realworld/shaders");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/realworld/shaders")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "fs"))
        .collect();
    paths.sort();
    paths
}

#[test]
fn every_real_world_shader_renders_a_picture() {
    let paths = corpus();
    assert!(paths.len() >= 79, "{} shaders", paths.len());
    let engine = test_engine();
    let mut failures = Vec::new();
    for path in &paths {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let scene = match engine.load(path) {
            Ok(s) => s,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        match scene.render(&RenderOptions::new(64, 36, 1.0)) {
            Ok(f) => {
                let first = f.pixel(0, 0);
                let flat = (0..36).all(|y| (0..64).all(|x| f.pixel(x, y) == first));
                let expected_flat = FLAT.iter().any(|(n, _)| *n == name);
                if flat != expected_flat {
                    failures.push(format!("{name}: one flat colour {first:?}: {flat}"));
                }
            }
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let report = engine.shutdown();
    assert!(report.ok(), "{report:?}");
}

/// The same shaders as Shadertoy code, without the hand-written header: read directly (the
/// Shadertoy dialect), each draws what its hand-wrapped ISF draws (colour; Shadertoy makes
/// the alpha 1), except where the two wrappers differ on purpose: `iDate`'s month counts from
/// 0 on Shadertoy, from 1 in the hand-written header.
#[test]
fn every_real_world_shader_renders_alike_as_shadertoy_code() {
    let paths = corpus();
    let engine = test_engine();
    let options = RenderOptions {
        date: Some([2026.0, 3.0, 14.0, 3600.0]),
        ..RenderOptions::new(64, 36, 1.0)
    };
    let (mut same, mut failures) = (0, Vec::new());
    for path in &paths {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let wrapped = std::fs::read_to_string(path).unwrap();
        // The header line and six defines, the body, the `main` line.
        let lines: Vec<&str> = wrapped.lines().collect();
        let body = lines[7..lines.len() - 1].join("\n") + "\n";
        let direct = match engine.load_source(&body, None) {
            Ok(s) => s.render(&options),
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        let hand = engine.load(path).unwrap().render(&options).unwrap();
        let direct = match direct {
            Ok(f) => f,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        let rgb_equal = (0..36).all(|y| {
            (0..64).all(|x| bytes(direct.pixel(x, y))[..3] == bytes(hand.pixel(x, y))[..3])
        });
        let reads_date = body.contains("iDate");
        if rgb_equal {
            same += 1;
        } else if !reads_date {
            failures.push(format!(
                "{name}: the colours differ from the hand-wrapped file's"
            ));
        }
    }
    eprintln!("{same} of {} identical in colour", paths.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    shutdown_clean(&engine);
}
