//! Real shaders from public collections (tests/realworld: Shadertoy shaders under MIT or CC0,
//! wrapped in a minimal ISF header): each one compiles and draws a picture (not one flat
//! colour), and the engine shuts down clean.

mod common;

use common::*;
use isfkit_render::RenderOptions;

#[test]
fn every_real_world_shader_renders_a_picture() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/realworld/shaders");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/realworld/shaders")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "fs"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 17, "{} shaders", paths.len());
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
                if flat {
                    failures.push(format!("{name}: one flat colour {first:?}"));
                }
            }
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let report = engine.shutdown();
    assert!(report.ok(), "{report:?}");
}
