//! What an adapter's limits forbid a shader, known before rendering (`isf validate --limits`,
//! `isf batch --check --limits`).
//!
//! ISF passes are separate render passes with one colour attachment each, so the pass count
//! meets no wgpu limit. The limits that do apply: every pass binds all the shader's textures
//! (image and audio inputs, pass targets, IMPORTED images) in one stage
//! (`max_sampled_textures_per_shader_stage`); each texture, and the render size, must fit
//! `max_texture_dimension_2d`; the uniform block must fit `max_uniform_buffer_binding_size`.

use isfkit_glsl::Program;
use serde::Serialize;

/// The most frames [`crate::Engine::render_pipelined`] keeps in flight: 16. Each holds a
/// read-back buffer of a whole frame (33 MB at 4K); a larger request is clamped to this
/// (the CLI refuses it with an error naming the limit). Past 3 the pipeline gains nothing
/// measurable.
pub const MAX_IN_FLIGHT: usize = 16;

/// The largest image input, in pixels per side: 16384 (most adapters' and lavapipe's
/// `max_texture_dimension_2d`). Checked from the file's header before decoding, so a huge
/// image is a clear error instead of gigabytes of memory and a GPU error.
pub const MAX_IMAGE_SIDE: u32 = 16_384;

use crate::error::Result;
use crate::gpu::Backend;

/// The adapter limits isfkit checks, from the adapter an [`crate::Engine`] with the same
/// backend would pick.
#[derive(Debug, Clone, Serialize)]
pub struct AdapterLimits {
    /// The adapter's name.
    pub adapter: String,
    pub max_texture_dimension_2d: u32,
    pub max_sampled_textures_per_shader_stage: u32,
    pub max_uniform_buffer_binding_size: u64,
}

impl AdapterLimits {
    /// Opens the adapter (no device) and reads its limits.
    pub fn probe(backend: Backend) -> Result<AdapterLimits> {
        crate::engine::prepare_process_env();
        let mut desc = wgpu::InstanceDescriptor::new_without_display_handle_from_env();
        desc.backends = backend.backends();
        let instance = wgpu::Instance::new(desc);
        // The adapter an engine would pick (no device is created).
        let adapter = crate::gpu::request_adapter(&instance, backend)?;
        let l = adapter.limits();
        Ok(AdapterLimits {
            adapter: adapter.get_info().name,
            max_texture_dimension_2d: l.max_texture_dimension_2d,
            max_sampled_textures_per_shader_stage: l.max_sampled_textures_per_shader_stage,
            max_uniform_buffer_binding_size: l.max_uniform_buffer_binding_size as u64,
        })
    }

    /// What these limits forbid `program` (rendered at `size`, when known), one sentence
    /// each naming the limit; empty when it fits. Pass sizes are checked when they are
    /// constants, or from `size` when they are expressions of `$WIDTH`/`$HEIGHT` only;
    /// IMPORTED images by the size `image_size` reads in their files' headers.
    pub fn check(
        &self,
        program: &Program,
        size: Option<(u32, u32)>,
        image_size: &dyn Fn(&std::path::Path) -> Option<(u32, u32)>,
    ) -> Vec<String> {
        let mut out = Vec::new();
        let max = self.max_texture_dimension_2d;
        let layout = &program.translation.layout;
        let textures = layout.textures.len() as u32;
        if textures > self.max_sampled_textures_per_shader_stage {
            out.push(format!(
                "the shader binds {textures} textures in each pass (image and audio inputs, pass targets, IMPORTED images), but the adapter allows {} (max_sampled_textures_per_shader_stage)",
                self.max_sampled_textures_per_shader_stage
            ));
        }
        if layout.block_size as u64 > self.max_uniform_buffer_binding_size {
            out.push(format!(
                "the shader's uniforms take {} bytes, but the adapter allows {} (max_uniform_buffer_binding_size)",
                layout.block_size, self.max_uniform_buffer_binding_size
            ));
        }
        for input in &program.doc.inputs {
            let (m, fft, what) = match input.ty {
                isfkit_format::InputType::Audio { max: m } => (m, false, "samples"),
                isfkit_format::InputType::AudioFft { max: m, .. } => (m, true, "bins"),
                _ => continue,
            };
            let width = isfkit_audio::texture_width(m, fft);
            if width > max as usize {
                out.push(format!(
                    "audio input \"{}\" asks for {width} {what} (its MAX), one texel each, but the adapter allows textures {max} wide (max_texture_dimension_2d)",
                    input.name
                ));
            }
        }
        if let Some((w, h)) = size {
            if w.max(h) > max {
                out.push(format!(
                    "render size {w}x{h} exceeds the adapter's {max} pixels per side (max_texture_dimension_2d)"
                ));
            }
        }
        for (i, pass) in program.doc.passes.iter().enumerate() {
            let var = |name: &str| match (name, size) {
                ("WIDTH", Some((w, _))) => Some(w as f64),
                ("HEIGHT", Some((_, h))) => Some(h as f64),
                _ => None,
            };
            for (axis, expr) in [("WIDTH", &pass.width), ("HEIGHT", &pass.height)] {
                let Some(v) = expr.as_ref().and_then(|e| e.eval(&var).ok()) else {
                    continue;
                };
                if v.is_finite() && v > max as f64 {
                    let target = pass.target.as_deref().unwrap_or("the output");
                    out.push(format!(
                        "pass {i} ({target}): {axis} {} is {v}, over the adapter's {max} pixels per side (max_texture_dimension_2d)",
                        expr.as_ref().map(|e| e.source()).unwrap_or_default()
                    ));
                }
            }
        }
        for im in &program.doc.imported {
            if let Some((w, h)) = image_size(&im.resolved_path) {
                if w.max(h) > max {
                    out.push(format!(
                        "IMPORTED image \"{}\" ({}) is {w}x{h}, over the adapter's {max} pixels per side (max_texture_dimension_2d)",
                        im.name, im.path
                    ));
                }
            }
        }
        out
    }
}
