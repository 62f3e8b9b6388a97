//! The GPU objects of a translated program (its modules, layouts and pipelines) on one device
//! generation, shared by every scene of the same program alive there: a scene created again
//! from the same source (a restart, a snapshot at another size, a batch's next chunk of a
//! shader while the last is alive) compiles nothing again. The device's cache holds them
//! weakly: they live as long as a scene uses them, as before they were shared.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use crate::registry::Tracked;

/// The pipeline a pass draws with: per pass when a stage reads the pass index as a pipeline
/// constant (see [`isfkit_glsl::specialise`]), else one per target format.
pub(crate) type PipelineKey = (Option<usize>, wgpu::TextureFormat);

/// One program's GPU objects. Field order is drop order: pipelines, then layouts and modules.
pub(crate) struct ProgramGpu {
    /// Built by pass and format as frames need them (`passes::ensure_pipelines`).
    pub pipelines: Mutex<HashMap<PipelineKey, Tracked<wgpu::RenderPipeline>>>,
    /// Whether the vertex and the fragment module read the pass index as a pipeline constant.
    pub pass_constant: [bool; 2],
    pub pipeline_layout: Tracked<wgpu::PipelineLayout>,
    pub bind_group_layout: Tracked<wgpu::BindGroupLayout>,
    pub fragment: Tracked<wgpu::ShaderModule>,
    pub vertex: Tracked<wgpu::ShaderModule>,
}

impl ProgramGpu {
    /// A clone of the pipeline for `key`, if built.
    pub fn pipeline(&self, key: &PipelineKey) -> Option<wgpu::RenderPipeline> {
        self.pipelines
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(key)
            .map(|p| (**p).clone())
    }

    pub fn has_pipeline(&self, key: &PipelineKey) -> bool {
        self.pipelines
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains_key(key)
    }
}

/// A program as the cache knows it: the generated GLSL of both stages (which also declares
/// every binding, so equal text means equal layouts).
pub(crate) type ProgramKey = (String, String);

/// The device generation's programs alive in some scene.
#[derive(Default)]
pub(crate) struct ProgramCache {
    programs: Mutex<HashMap<ProgramKey, Weak<ProgramGpu>>>,
}

impl ProgramCache {
    /// The program's objects if a scene alive on this device holds them.
    pub fn get(&self, key: &ProgramKey) -> Option<Arc<ProgramGpu>> {
        self.programs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(key)
            .and_then(Weak::upgrade)
    }

    /// Remembers `program` (and forgets the programs no scene holds any more).
    pub fn insert(&self, key: ProgramKey, program: &Arc<ProgramGpu>) {
        let mut programs = self.programs.lock().unwrap_or_else(|p| p.into_inner());
        programs.retain(|_, p| p.strong_count() > 0);
        programs.insert(key, Arc::downgrade(program));
    }
}
