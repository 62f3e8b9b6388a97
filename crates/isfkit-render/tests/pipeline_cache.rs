//! The pipeline cache on disk: written at shutdown where the adapter offers a cache, loaded
//! by the next engine, a damaged or foreign file ignored with a warning and written good
//! again. lavapipe offers the cache; its data is small, but the file's life is the same on
//! every driver. (Turning it off is the CLI's test: `crates/isfkit-cli/tests/cli.rs`.)

mod common;

use std::path::Path;

use isfkit_render::{Engine, EngineConfig, PipelineCacheState};

use common::{shutdown_clean, small_opts};

const SHADER: &str =
    "/*{ \"INPUTS\": [] }*/\nvoid main() { gl_FragColor = vec4(isf_FragNormCoord, 0.5, 1.0); }\n";

/// An engine with its pipeline cache in `dir`, one frame rendered, shut down; what
/// the cache was when the device was created.
fn run(dir: &Path) -> PipelineCacheState {
    let engine = Engine::new(EngineConfig {
        private_instance: true,
        pipeline_cache: Some(dir.to_path_buf()),
        ..EngineConfig::default()
    })
    .unwrap();
    let state = engine.pipeline_cache();
    let scene = engine.load_source(SHADER, None).unwrap();
    scene.render(&small_opts(0.0)).unwrap();
    drop(scene);
    shutdown_clean(&engine);
    state
}

/// The cache files in `dir`.
fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| Some(e.ok()?.path())).collect())
        .unwrap_or_default()
}

#[test]
fn the_pipeline_cache_is_written_loaded_and_a_bad_file_is_ignored_and_replaced() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("pipelines");
    let first = run(&dir);
    let Some(path) = first.path.clone() else {
        eprintln!("skipping: this adapter offers no pipeline cache");
        return;
    };
    assert_eq!(path.parent(), Some(dir.as_path()));
    assert_eq!((first.loaded_bytes, &first.ignored), (0, &None));
    assert_eq!(
        files(&dir),
        vec![path.clone()],
        "one file, for this adapter"
    );
    let written = std::fs::read(&path).unwrap();
    assert_eq!(&written[..8], b"ISFKPLC1");

    // The next engine loads what the first one wrote.
    let second = run(&dir);
    assert!(second.loaded_bytes > 0, "{second:?}");
    assert_eq!(second.ignored, None);

    // One byte changed: ignored with a warning, and a good file written at the end.
    let mut damaged = written.clone();
    damaged[20] ^= 0x40;
    std::fs::write(&path, &damaged).unwrap();
    let third = run(&dir);
    assert_eq!(third.loaded_bytes, 0);
    assert_eq!(
        third.ignored.as_deref(),
        Some(
            format!(
                "pipeline cache {}: the file is damaged (its checksum does not match); ignored (it is written again at exit)",
                path.display()
            )
            .as_str()
        )
    );
    assert_eq!(run(&dir).ignored, None, "the damaged file was replaced");

    // A file that is not isfkit's (wgpu's own data, say) is never handed to the driver.
    std::fs::write(&path, b"WGPUPLCH\x01\x00\x00\x00 and some more bytes").unwrap();
    let foreign = run(&dir);
    assert_eq!(
        foreign.ignored.as_deref(),
        Some(
            format!(
                "pipeline cache {}: it is not an isfkit pipeline cache; ignored (it is written again at exit)",
                path.display()
            )
            .as_str()
        )
    );
    assert_eq!(std::fs::read(&path).unwrap()[..8], *b"ISFKPLC1");
}

#[test]
fn a_reinitialised_device_loads_what_the_replaced_one_wrote() {
    let tmp = tempfile::tempdir().unwrap();
    let engine = Engine::new(EngineConfig {
        private_instance: true,
        pipeline_cache: Some(tmp.path().to_path_buf()),
        ..EngineConfig::default()
    })
    .unwrap();
    if engine.pipeline_cache().path.is_none() {
        eprintln!("skipping: this adapter offers no pipeline cache");
        return;
    }
    assert_eq!(engine.pipeline_cache().loaded_bytes, 0);
    let scene = engine.load_source(SHADER, None).unwrap();
    scene.render(&small_opts(0.0)).unwrap();
    engine.reinitialize().unwrap();
    assert!(engine.pipeline_cache().loaded_bytes > 0);
    scene.render(&small_opts(0.0)).unwrap();
    drop(scene);
    shutdown_clean(&engine);
}
