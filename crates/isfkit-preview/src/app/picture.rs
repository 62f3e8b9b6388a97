//! The picture on the window's device: the engine's frame is written into one texture,
//! kept while its size holds, and drawn inside egui's render pass by a pipeline of its own
//! (an egui paint callback): a plain texel fetch, no blending, no sampler, no per-frame
//! image for egui to convert or texture to create. On a CPU rasterizer egui's own textured
//! and blended shader costs several times more per pixel than this one.
//!
//! Colours: the texture is `Rgba8Unorm`, read as stored; on a non-sRGB surface (egui-wgpu
//! picks one where it can) the bytes reach the screen unchanged. On an sRGB surface the
//! texture is `Rgba8UnormSrgb`, decoded as it is read, so the surface's encoding gives the
//! bytes back.
//! Alpha is not shown (the picture is opaque), as in a GL window.

use egui_wgpu::{CallbackResources, CallbackTrait, RenderState};

/// The vertex shader covers the viewport egui sets to the picture's rectangle with one
/// triangle; each fragment takes the texel under it (nearest, as at a whole-number scale).
const SHADER: &str = r"
@group(0) @binding(0) var picture: texture_2d<f32>;

struct Varyings {
    @builtin(position) position: vec4<f32>,
    @location(0) uv: vec2<f32>,
};

@vertex
fn vs_main(@builtin(vertex_index) i: u32) -> Varyings {
    let uv = vec2<f32>(f32((i << 1u) & 2u), f32(i & 2u));
    var out: Varyings;
    out.position = vec4<f32>(uv.x * 2.0 - 1.0, 1.0 - uv.y * 2.0, 0.0, 1.0);
    out.uv = uv;
    return out;
}

@fragment
fn fs_main(in: Varyings) -> @location(0) vec4<f32> {
    let size = textureDimensions(picture);
    let texel = min(vec2<u32>(in.uv * vec2<f32>(size)), size - vec2<u32>(1u, 1u));
    return vec4<f32>(textureLoad(picture, texel, 0).rgb, 1.0);
}
";

/// The texture the frames are written into and its bind group.
struct Target {
    texture: wgpu::Texture,
    bind_group: wgpu::BindGroup,
    size: (u32, u32),
}

/// The picture's pipeline and texture, kept in egui's renderer (its callback resources), so
/// they go with the renderer when the window's device is released.
pub(super) struct PictureGpu {
    pipeline: wgpu::RenderPipeline,
    layout: wgpu::BindGroupLayout,
    /// The picture texture's format: sRGB when the surface is.
    format: wgpu::TextureFormat,
    target: Option<Target>,
}

impl PictureGpu {
    /// Makes the pipeline for the window's surface format and puts it in egui's renderer.
    pub(super) fn install(rs: &RenderState) {
        let device = &rs.device;
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("preview picture"),
            source: wgpu::ShaderSource::Wgsl(SHADER.into()),
        });
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("preview picture"),
            entries: &[wgpu::BindGroupLayoutEntry {
                binding: 0,
                visibility: wgpu::ShaderStages::FRAGMENT,
                ty: wgpu::BindingType::Texture {
                    sample_type: wgpu::TextureSampleType::Float { filterable: false },
                    view_dimension: wgpu::TextureViewDimension::D2,
                    multisampled: false,
                },
                count: None,
            }],
        });
        let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("preview picture"),
            bind_group_layouts: &[Some(&layout)],
            immediate_size: 0,
        });
        let pipeline = device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
            label: Some("preview picture"),
            layout: Some(&pipeline_layout),
            vertex: wgpu::VertexState {
                module: &module,
                entry_point: Some("vs_main"),
                compilation_options: Default::default(),
                buffers: &[],
            },
            fragment: Some(wgpu::FragmentState {
                module: &module,
                entry_point: Some("fs_main"),
                compilation_options: Default::default(),
                targets: &[Some(wgpu::ColorTargetState {
                    format: rs.target_format,
                    blend: None,
                    write_mask: wgpu::ColorWrites::ALL,
                })],
            }),
            primitive: wgpu::PrimitiveState::default(),
            depth_stencil: None,
            multisample: wgpu::MultisampleState::default(),
            multiview_mask: None,
            cache: None,
        });
        let format = if rs.target_format.is_srgb() {
            wgpu::TextureFormat::Rgba8UnormSrgb
        } else {
            wgpu::TextureFormat::Rgba8Unorm
        };
        rs.renderer.write().callback_resources.insert(PictureGpu {
            pipeline,
            layout,
            format,
            target: None,
        });
    }

    /// Writes a frame (`rgba`, rows top first) into the picture's texture, made again only
    /// when the size changes. A frame larger than the window's device takes is not shown:
    /// the message says so.
    pub(super) fn upload(rs: &RenderState, size: (u32, u32), rgba: &[u8]) -> Result<(), String> {
        let max = rs.device.limits().max_texture_dimension_2d;
        if size.0 > max || size.1 > max {
            return Err(format!(
                "the picture is {}x{}, more than the window's GPU shows ({max} per side): it renders (snapshots and recordings have it) but is not shown",
                size.0, size.1
            ));
        }
        let mut renderer = rs.renderer.write();
        let Some(p) = renderer.callback_resources.get_mut::<PictureGpu>() else {
            return Ok(());
        };
        if p.target.as_ref().is_none_or(|t| t.size != size) {
            p.target = Some(p.new_target(&rs.device, size));
        }
        let Some(t) = &p.target else { return Ok(()) };
        rs.queue.write_texture(
            t.texture.as_image_copy(),
            rgba,
            wgpu::TexelCopyBufferLayout {
                offset: 0,
                bytes_per_row: Some(4 * size.0),
                rows_per_image: Some(size.1),
            },
            wgpu::Extent3d {
                width: size.0,
                height: size.1,
                depth_or_array_layers: 1,
            },
        );
        Ok(())
    }

    fn new_target(&self, device: &wgpu::Device, size: (u32, u32)) -> Target {
        let texture = device.create_texture(&wgpu::TextureDescriptor {
            label: Some("preview picture"),
            size: wgpu::Extent3d {
                width: size.0,
                height: size.1,
                depth_or_array_layers: 1,
            },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format: self.format,
            usage: wgpu::TextureUsages::TEXTURE_BINDING | wgpu::TextureUsages::COPY_DST,
            view_formats: &[],
        });
        let view = texture.create_view(&wgpu::TextureViewDescriptor::default());
        let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("preview picture"),
            layout: &self.layout,
            entries: &[wgpu::BindGroupEntry {
                binding: 0,
                resource: wgpu::BindingResource::TextureView(&view),
            }],
        });
        Target {
            texture,
            bind_group,
            size,
        }
    }
}

/// Draws the picture's texture over the callback's rectangle.
pub(super) struct DrawPicture;

impl CallbackTrait for DrawPicture {
    fn paint(
        &self,
        _info: egui::PaintCallbackInfo,
        pass: &mut wgpu::RenderPass<'static>,
        resources: &CallbackResources,
    ) {
        let Some(PictureGpu {
            pipeline,
            target: Some(t),
            ..
        }) = resources.get::<PictureGpu>()
        else {
            return;
        };
        pass.set_pipeline(pipeline);
        pass.set_bind_group(0, &t.bind_group, &[]);
        pass.draw(0..3, 0..1);
    }
}
