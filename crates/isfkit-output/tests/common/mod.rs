//! Shared helpers for the output crate's GPU tests (copied from isfkit-render's: a test
//! engine and shader paths).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use isfkit_render::{Engine, EngineConfig};

/// An engine on whatever adapter the machine has (lavapipe in CI), with a wgpu instance of
/// its own: tests run in parallel threads, and the verify phase checks wgpu's report exactly
/// only when no other engine shares the instance.
pub fn test_engine() -> Engine {
    Engine::new(EngineConfig {
        private_instance: true,
        ..EngineConfig::default()
    })
    .expect("a GPU adapter (install mesa-vulkan-drivers for lavapipe)")
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn shader(name: &str) -> PathBuf {
    repo_root().join("tests/shaders").join(name)
}
