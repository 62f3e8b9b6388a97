//! Objects every scene of a device generation shares: the samplers, the transparent
//! placeholder for unset images, and the blit pipeline that scales persistent buffers.

use std::sync::Mutex;

use isfkit_format::{Filter, Sampling, Wrap};
use wgpu::naga;

use crate::error::Result;
use crate::gpu::{Gpu, TextureAndView, BYTE_FORMAT};
use crate::pool::PooledTexture;
use crate::registry::{ResourceKind, Tracked};

/// Objects every scene of a device generation shares: the samplers, the transparent
/// placeholder for unset images, and the blit pipeline that scales persistent buffers.
pub(crate) struct Shared {
    pub placeholder: Tracked<TextureAndView>,
    /// The sampler of every `FILTER`/`WRAP` pair; the first is the default (linear, clamp).
    samplers: Vec<(Sampling, Tracked<wgpu::Sampler>)>,
    blit_pipelines: Mutex<Vec<(wgpu::TextureFormat, Tracked<wgpu::RenderPipeline>)>>,
    blit_layout: Tracked<wgpu::BindGroupLayout>,
    blit_pipeline_layout: Tracked<wgpu::PipelineLayout>,
    blit_vs: Tracked<wgpu::ShaderModule>,
    blit_fs: Tracked<wgpu::ShaderModule>,
}

impl Shared {
    pub fn new(gpu: &Gpu) -> Result<Shared> {
        gpu.capture(|| Shared::create(gpu))
    }

    /// The sampler that reads with `sampling`.
    pub fn sampler(&self, sampling: Sampling) -> &wgpu::Sampler {
        self.samplers
            .iter()
            .find(|(s, _)| *s == sampling)
            .map(|(_, sampler)| &**sampler)
            .expect("a sampler for every filter and wrap")
    }

    fn create(gpu: &Gpu) -> Result<Shared> {
        let placeholder = gpu.texture(
            "placeholder (unset image)",
            1,
            1,
            BYTE_FORMAT,
            wgpu::TextureUsages::TEXTURE_BINDING | wgpu::TextureUsages::COPY_DST,
        );
        gpu.write_texture(&placeholder, &[0, 0, 0, 0], 4);
        let mut samplers = Vec::new();
        for filter in Filter::ALL {
            for wrap in Wrap::ALL {
                let sampling = Sampling { filter, wrap };
                let label = format!("isf sampler ({}, {})", filter.name(), wrap.name());
                let address = match wrap {
                    Wrap::Clamp => wgpu::AddressMode::ClampToEdge,
                    Wrap::Repeat => wgpu::AddressMode::Repeat,
                    Wrap::Mirror => wgpu::AddressMode::MirrorRepeat,
                };
                let (texels, levels) = match filter {
                    Filter::Linear => (wgpu::FilterMode::Linear, wgpu::MipmapFilterMode::Nearest),
                    Filter::Nearest => (wgpu::FilterMode::Nearest, wgpu::MipmapFilterMode::Nearest),
                    Filter::Mipmap => (wgpu::FilterMode::Linear, wgpu::MipmapFilterMode::Linear),
                };
                let sampler = gpu.device.create_sampler(&wgpu::SamplerDescriptor {
                    label: Some(&label),
                    address_mode_u: address,
                    address_mode_v: address,
                    address_mode_w: address,
                    mag_filter: texels,
                    min_filter: texels,
                    mipmap_filter: levels,
                    ..Default::default()
                });
                samplers.push((sampling, gpu.track(sampler, ResourceKind::Sampler, &label)));
            }
        }
        debug_assert!(samplers[0].0 == Sampling::default());
        let (vs, fs) = isfkit_glsl::blit_modules();
        let module = |m: naga::Module, what: &str| {
            let sm = gpu
                .device
                .create_shader_module(wgpu::ShaderModuleDescriptor {
                    label: Some(what),
                    source: wgpu::ShaderSource::Naga(std::borrow::Cow::Owned(m)),
                });
            gpu.track(sm, ResourceKind::ShaderModule, what)
        };
        let blit_vs = module(vs, "blit vertex");
        let blit_fs = module(fs, "blit fragment");
        let bgl = gpu
            .device
            .create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
                label: Some("blit"),
                entries: &[
                    wgpu::BindGroupLayoutEntry {
                        binding: 0,
                        visibility: wgpu::ShaderStages::FRAGMENT,
                        ty: wgpu::BindingType::Sampler(wgpu::SamplerBindingType::Filtering),
                        count: None,
                    },
                    wgpu::BindGroupLayoutEntry {
                        binding: 1,
                        visibility: wgpu::ShaderStages::FRAGMENT,
                        ty: wgpu::BindingType::Texture {
                            sample_type: wgpu::TextureSampleType::Float { filterable: true },
                            view_dimension: wgpu::TextureViewDimension::D2,
                            multisampled: false,
                        },
                        count: None,
                    },
                ],
            });
        let blit_layout = gpu.track(bgl, ResourceKind::BindGroupLayout, "blit bind group layout");
        let pl = gpu
            .device
            .create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
                label: Some("blit"),
                bind_group_layouts: &[Some(&blit_layout)],
                immediate_size: 0,
            });
        let blit_pipeline_layout =
            gpu.track(pl, ResourceKind::PipelineLayout, "blit pipeline layout");
        Ok(Shared {
            placeholder,
            samplers,
            blit_pipelines: Mutex::new(Vec::new()),
            blit_layout,
            blit_pipeline_layout,
            blit_vs,
            blit_fs,
        })
    }

    /// Draws `src` scaled into `dst` (linear filtering).
    pub fn blit(
        &self,
        gpu: &Gpu,
        encoder: &mut wgpu::CommandEncoder,
        src: &PooledTexture,
        dst: &PooledTexture,
    ) -> Result<()> {
        let format = dst.with_texture(|t| t.format)?;
        let mut pipes = self
            .blit_pipelines
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if !pipes.iter().any(|(f, _)| *f == format) {
            let p = gpu.quad_pipeline(
                &format!("blit pipeline {format:?}"),
                &self.blit_pipeline_layout,
                &self.blit_vs,
                &self.blit_fs,
                format,
                [&[], &[]],
            );
            pipes.push((format, p));
        }
        let pipeline = &pipes
            .iter()
            .find(|(f, _)| *f == format)
            .expect("inserted above")
            .1;
        let src_view = src.with_texture(|t| t.view.clone())?;
        let dst_view = dst.with_texture(|t| t.view.clone())?;
        let bg = gpu.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("blit"),
            layout: &self.blit_layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: wgpu::BindingResource::Sampler(self.sampler(Sampling::default())),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: wgpu::BindingResource::TextureView(&src_view),
                },
            ],
        });
        let bg = gpu.track(bg, ResourceKind::BindGroup, "blit bind group");
        crate::gpu::draw_quad(encoder, "blit", &dst_view, pipeline, &bg);
        Ok(())
    }
}
