//! Encoding a frame: building a scene's GPU objects for a device generation, uploading
//! inputs, writing the per-pass values, and drawing every pass into pooled targets.

use std::collections::HashMap;
use std::sync::Arc;

use isfkit_format::InputType;
use isfkit_glsl::{FieldRole, FieldType, TextureSource};
use wgpu::naga;

use crate::error::{Error, Result};
use crate::frame::Pixels;
use crate::gpu::{Gpu, BYTE_FORMAT};
use crate::pool::PooledTexture;
use crate::program_gpu::{PipelineKey, ProgramGpu, ProgramKey};
use crate::registry::{ResourceKind, Tracked};
use crate::scene_state::{RenderOptions, SceneGpu, SceneState};
use crate::shared::Shared;
use crate::value::Value;

/// Builds the scene's GPU objects for the current device generation.
pub(crate) fn build_gpu(gpu: &Gpu, s: &mut SceneState) -> Result<SceneGpu> {
    isfkit_glsl::forced_panic_for_tests("pipeline");
    let label = s.label.clone();
    let layout = &s.program.translation.layout;
    let key: ProgramKey = (
        s.program.translation.fragment.glsl.clone(),
        s.program.translation.vertex.glsl.clone(),
    );
    let program = match gpu.programs.get(&key) {
        Some(p) => p,
        None => {
            let p = Arc::new(build_program(gpu, s, &label)?);
            gpu.programs.insert(key, &p);
            p
        }
    };
    let uniforms = (0..s.doc.passes.len())
        .map(|i| {
            gpu.buffer(
                &format!("{label} uniforms pass {i}"),
                layout.block_size as u64,
                wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_DST,
            )
        })
        .collect();
    let sg = SceneGpu {
        generation: gpu.generation,
        bind_groups: HashMap::new(),
        persistent: HashMap::new(),
        inputs: HashMap::new(),
        uniforms,
        program,
    };
    // Every image and imported texture is uploaded on a new device (audio every frame).
    s.dirty_textures = s.images.keys().cloned().collect();
    Ok(sg)
}

/// Builds a program's modules and layouts (its pipelines come as frames need them).
fn build_program(gpu: &Gpu, s: &SceneState, label: &str) -> Result<ProgramGpu> {
    let layout = &s.program.translation.layout;
    let module = |m: &naga::Module, what: &str| {
        let sm = gpu
            .device
            .create_shader_module(wgpu::ShaderModuleDescriptor {
                label: Some(&format!("{label} {what}")),
                source: wgpu::ShaderSource::Naga(std::borrow::Cow::Owned(m.clone())),
            });
        gpu.track(
            sm,
            ResourceKind::ShaderModule,
            &format!("{label} {what} shader"),
        )
    };
    let fragment = module(&s.program.fragment_module, "fragment");
    let vertex = module(&s.program.vertex_module, "vertex");
    let vis = wgpu::ShaderStages::VERTEX_FRAGMENT;
    let mut entries = vec![
        wgpu::BindGroupLayoutEntry {
            binding: isfkit_glsl::layout::UNIFORM_BINDING,
            visibility: vis,
            ty: wgpu::BindingType::Buffer {
                ty: wgpu::BufferBindingType::Storage { read_only: true },
                has_dynamic_offset: false,
                min_binding_size: None,
            },
            count: None,
        },
        wgpu::BindGroupLayoutEntry {
            binding: isfkit_glsl::layout::SAMPLER_BINDING,
            visibility: vis,
            ty: wgpu::BindingType::Sampler(wgpu::SamplerBindingType::Filtering),
            count: None,
        },
    ];
    for s in &layout.samplers {
        entries.push(wgpu::BindGroupLayoutEntry {
            binding: s.binding,
            visibility: vis,
            ty: wgpu::BindingType::Sampler(wgpu::SamplerBindingType::Filtering),
            count: None,
        });
    }
    for t in &layout.textures {
        entries.push(wgpu::BindGroupLayoutEntry {
            binding: t.binding,
            visibility: vis,
            ty: wgpu::BindingType::Texture {
                sample_type: wgpu::TextureSampleType::Float { filterable: true },
                view_dimension: wgpu::TextureViewDimension::D2,
                multisampled: false,
            },
            count: None,
        });
    }
    let bgl = gpu
        .device
        .create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some(&format!("{label} bind group layout")),
            entries: &entries,
        });
    let bind_group_layout = gpu.track(
        bgl,
        ResourceKind::BindGroupLayout,
        &format!("{label} bind group layout"),
    );
    let pl = gpu
        .device
        .create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some(&format!("{label} pipeline layout")),
            bind_group_layouts: &[Some(&bind_group_layout)],
            immediate_size: 0,
        });
    let pipeline_layout = gpu.track(
        pl,
        ResourceKind::PipelineLayout,
        &format!("{label} pipeline layout"),
    );
    Ok(ProgramGpu {
        pipelines: Default::default(),
        pass_constant: [&s.program.vertex_module, &s.program.fragment_module]
            .map(isfkit_glsl::specialise::reads_pass_index_constant),
        pipeline_layout,
        bind_group_layout,
        fragment,
        vertex,
    })
}

/// The format pass `i` of `doc` draws into.
fn pass_format(
    gpu: &Gpu,
    doc: &isfkit_format::IsfDocument,
    i: usize,
    opts: &RenderOptions,
) -> wgpu::TextureFormat {
    let last = i + 1 == doc.passes.len();
    if last && opts.float_output || doc.passes[i].float {
        gpu.float_format
    } else {
        BYTE_FORMAT
    }
}

fn pipeline_key(sg: &SceneGpu, pass: usize, format: wgpu::TextureFormat) -> PipelineKey {
    let per_pass = sg.program.pass_constant.iter().any(|&c| c);
    (per_pass.then_some(pass), format)
}

/// Runs `f`, a step where wgpu or naga compile the shader: a panic there is the shader's
/// compile error, not the caller's crash.
fn compiling<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    isfkit_glsl::catch_compiler_panic(f).unwrap_or_else(|payload| {
        Err(Error::Compile(isfkit_glsl::CompileError::from_panic(
            payload,
        )))
    })
}

/// Builds the scene's GPU objects for the current device if it has none (or those of an
/// older device), in their own error scope: objects that failed to build are not kept.
pub(crate) fn ensure_scene_gpu(gpu: &Gpu, s: &mut SceneState) -> Result<()> {
    if s.gpu
        .as_ref()
        .is_none_or(|g| g.generation != gpu.generation)
    {
        s.gpu = None;
        let sg = gpu.capture(|| compiling(|| build_gpu(gpu, s)))?;
        s.gpu = Some(sg);
    }
    Ok(())
}

/// Builds the pipelines every pass of a frame drawn with `opts` needs that the scene does not
/// have yet. Each is the driver's compile of the shader (most of a first frame), so they are
/// built side by side, one thread per core. Each has its own error scope: a pipeline that
/// failed is not kept, and the first failure (in pass order) is returned.
pub(crate) fn ensure_pipelines(gpu: &Gpu, s: &mut SceneState, opts: &RenderOptions) -> Result<()> {
    let label = s.label.clone();
    let sg = s.gpu.as_mut().expect("scene GPU state built first");
    let mut wanted: Vec<PipelineKey> = Vec::new();
    for i in 0..s.doc.passes.len() {
        let key = pipeline_key(sg, i, pass_format(gpu, &s.doc, i, opts));
        if !sg.program.has_pipeline(&key) && !wanted.contains(&key) {
            wanted.push(key);
        }
    }
    if wanted.is_empty() {
        return Ok(());
    }
    let sg_ref = &*sg.program;
    let build = |key: PipelineKey| -> Result<Tracked<wgpu::RenderPipeline>> {
        let (pass, format) = key;
        let value = [(
            isfkit_glsl::specialise::PASS_INDEX_CONSTANT,
            pass.unwrap_or(0) as f64,
        )];
        let constants = sg_ref
            .pass_constant
            .map(|c| if c { &value[..] } else { &[][..] });
        let name = match pass {
            Some(i) => format!("{label} pipeline pass {i} {format:?}"),
            None => format!("{label} pipeline {format:?}"),
        };
        gpu.capture(|| {
            compiling(|| {
                Ok(gpu.quad_pipeline(
                    &name,
                    &sg_ref.pipeline_layout,
                    &sg_ref.vertex,
                    &sg_ref.fragment,
                    format,
                    constants,
                ))
            })
        })
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(wanted.len());
    let built: Vec<(PipelineKey, Result<Tracked<wgpu::RenderPipeline>>)> = if threads <= 1 {
        wanted.iter().map(|&k| (k, build(k))).collect()
    } else {
        // Work is taken in pass order; each thread runs with the compiler's stack (the
        // backend's translation recurses per level of nesting, as naga does).
        let next = std::sync::atomic::AtomicUsize::new(0);
        let results = std::sync::Mutex::new(Vec::new());
        let work = || loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(&key) = wanted.get(i) else { break };
            let r = build(key);
            results
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push((i, key, r));
        };
        std::thread::scope(|scope| {
            for _ in 0..threads {
                let spawned = std::thread::Builder::new()
                    .name("isfkit-pipelines".into())
                    .stack_size(isfkit_glsl::nesting::NAGA_STACK_BYTES)
                    .spawn_scoped(scope, work);
                if spawned.is_err() {
                    // No thread to be had: this one takes the work that is left.
                    work();
                }
            }
        });
        let mut results = results.into_inner().unwrap_or_else(|p| p.into_inner());
        results.sort_by_key(|(i, _, _)| *i);
        results.into_iter().map(|(_, k, r)| (k, r)).collect()
    };
    let mut first_error = None;
    let mut pipelines = sg
        .program
        .pipelines
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    for (key, r) in built {
        match r {
            Ok(p) => {
                // Another scene of the program may have built it meanwhile: one is kept.
                pipelines.entry(key).or_insert(p);
            }
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    first_error.map_or(Ok(()), Err)
}

/// Uploads image inputs whose data changed (or all, after a new device), and the audio
/// inputs' textures for a frame at `time`.
pub(crate) fn upload_textures(
    gpu: &Gpu,
    s: &mut SceneState,
    sg: &mut SceneGpu,
    time: f64,
) -> Result<()> {
    let dirty = std::mem::take(&mut s.dirty_textures);
    for name in dirty {
        if let Some(img) = s.images.get(&name) {
            // Texture memory row 0 is the bottom of the image, as in GL: rows are copied
            // bottom first. An image the file marks FLIPPED keeps its stored order (its top
            // row at y = 0).
            let row = img.width as usize * 4;
            let upright: std::borrow::Cow<[u8]> = if s.doc.flipped.contains(&name) {
                std::borrow::Cow::Borrowed(&img.rgba)
            } else {
                let mut rows = Vec::with_capacity(img.rgba.len());
                for r in img.rgba.chunks_exact(row).rev() {
                    rows.extend_from_slice(r);
                }
                std::borrow::Cow::Owned(rows)
            };
            // FILTER mipmap: the chain of smaller levels, each a 2x2 average of the one above.
            let levels = if s.doc.sampling_of(&name).filter == isfkit_format::Filter::Mipmap {
                mip_chain(&upright, img.width, img.height)
            } else {
                Vec::new()
            };
            // An image of the same size (a video's next frame) is written into the texture
            // it has: frames already submitted read it before the write, which the queue
            // orders after them, and the bind groups stay valid.
            let same = sg
                .inputs
                .get(&name)
                .filter(|t| (t.width, t.height) == (img.width, img.height));
            let t = match same {
                Some(t) => t,
                None => {
                    let t = gpu.texture_with_levels(
                        &format!("{} image {name}", s.label),
                        img.width,
                        img.height,
                        BYTE_FORMAT,
                        wgpu::TextureUsages::TEXTURE_BINDING | wgpu::TextureUsages::COPY_DST,
                        1 + levels.len() as u32,
                    );
                    sg.inputs.insert(name.clone(), t);
                    &sg.inputs[&name]
                }
            };
            gpu.write_texture(t, &upright, row as u32);
            for (k, (w, h, texels)) in levels.iter().enumerate() {
                gpu.write_texture_level(t, k as u32 + 1, (*w, *h), texels, w * 4);
            }
        }
    }
    upload_audio(gpu, s, sg, time)
}

/// The mip levels below an RGBA8 image of `width` x `height` (level 0 not included), down to
/// 1x1: each texel the rounded average of the 2x2 texels above it (the last row or column of
/// an odd size repeated), as GL's generated mipmaps are made.
fn mip_chain(rgba: &[u8], width: u32, height: u32) -> Vec<(u32, u32, Vec<u8>)> {
    let mut levels: Vec<(u32, u32, Vec<u8>)> = Vec::new();
    let (mut w, mut h) = (width, height);
    while w > 1 || h > 1 {
        let src: &[u8] = levels.last().map_or(rgba, |(_, _, t)| t);
        let (nw, nh) = ((w / 2).max(1), (h / 2).max(1));
        let mut out = Vec::with_capacity((nw * nh * 4) as usize);
        for y in 0..nh {
            for x in 0..nw {
                let at = |sx: u32, sy: u32| {
                    let (sx, sy) = (sx.min(w - 1), sy.min(h - 1));
                    ((sy * w + sx) * 4) as usize
                };
                let corners = [
                    at(2 * x, 2 * y),
                    at(2 * x + 1, 2 * y),
                    at(2 * x, 2 * y + 1),
                    at(2 * x + 1, 2 * y + 1),
                ];
                for c in 0..4 {
                    let sum: u32 = corners.iter().map(|&i| src[i + c] as u32).sum();
                    out.push(((sum + 2) / 4) as u8);
                }
            }
        }
        levels.push((nw, nh, out));
        (w, h) = (nw, nh);
    }
    levels
}

/// Audio follows time: each frame, every audio input gets the window of its sound that ends
/// at `time` (audioFFT: its spectrum), one row per channel (row 0, the first channel, is at
/// y = 0 in the shader); an audioFFT input in Shadertoy's layout gets its 512x2 texture. The
/// texture is reused while its size stays the same.
fn upload_audio(gpu: &Gpu, s: &mut SceneState, sg: &mut SceneGpu, time: f64) -> Result<()> {
    let mut names: Vec<String> = s.audio.keys().cloned().collect();
    names.sort();
    for name in names {
        let sound = s.audio[&name].clone();
        let (max, fft, shadertoy) = match s.doc.input(&name).map(|i| &i.ty) {
            Some(InputType::Audio { max }) => (*max, false, false),
            Some(InputType::AudioFft { max, shadertoy }) => (*max, true, *shadertoy),
            _ => continue,
        };
        let width = isfkit_audio::texture_width(max, fft) as u64;
        let height = if shadertoy {
            2
        } else {
            sound.channel_count() as u64
        };
        let limit = gpu.max_texture_size;
        if width > limit as u64 || height > limit as u64 {
            return Err(Error::AudioSize {
                name,
                width: width.min(u32::MAX as u64) as u32,
                height: height.min(u32::MAX as u64) as u32,
                max: limit,
            });
        }
        let tex = if shadertoy {
            s.analyzer.shadertoy_sound(&sound, time)
        } else if fft {
            s.analyzer.spectrum(&sound, time, max)
        } else {
            s.analyzer.waveform(&sound, time, max)
        };
        let reuse = sg
            .inputs
            .get(&name)
            .is_some_and(|t| t.width == tex.width && t.height == tex.height);
        if !reuse {
            let t = gpu.texture(
                &format!("{} audio {name}", s.label),
                tex.width,
                tex.height,
                gpu.float_format,
                wgpu::TextureUsages::TEXTURE_BINDING | wgpu::TextureUsages::COPY_DST,
            );
            sg.inputs.insert(name.clone(), t);
        }
        let bytes = encode_float_texels(&tex.rgba, gpu.float_format);
        gpu.write_texture(
            &sg.inputs[&name],
            &bytes,
            tex.width * bytes_per_texel(gpu.float_format),
        );
    }
    Ok(())
}

pub(crate) fn bytes_per_texel(format: wgpu::TextureFormat) -> u32 {
    format.block_copy_size(None).unwrap_or(4)
}

/// Floats into the bytes of `format` (Rgba32Float, or Rgba16Float when that is the fallback).
pub(crate) fn encode_float_texels(data: &[f32], format: wgpu::TextureFormat) -> Vec<u8> {
    if format == wgpu::TextureFormat::Rgba16Float {
        data.iter()
            .flat_map(|&f| f32_to_f16(f).to_le_bytes())
            .collect()
    } else {
        data.iter().flat_map(|f| f.to_le_bytes()).collect()
    }
}

/// Evaluates a pass's WIDTH/HEIGHT expression: symbols WIDTH, HEIGHT and numeric inputs;
/// NaN or an unknown symbol gives 1, as in VVISF; the result is at least 1 and at most `max`.
fn eval_size(
    expr: Option<&isfkit_format::SizeExpr>,
    render: u32,
    w: u32,
    h: u32,
    values: &HashMap<String, Value>,
    max: u32,
) -> u32 {
    let Some(e) = expr else { return render };
    let var = |name: &str| -> Option<f64> {
        match name {
            "WIDTH" => Some(w as f64),
            "HEIGHT" => Some(h as f64),
            _ => match values.get(name)? {
                Value::Float(v) => Some(*v as f64),
                Value::Long(v) => Some(*v as f64),
                Value::Bool(b) => Some(*b as i32 as f64),
                _ => None,
            },
        }
    };
    let v = e.eval(&var).unwrap_or(f64::NAN);
    if v.is_nan() {
        1
    } else {
        (v.floor().max(1.0) as u64).min(max as u64) as u32
    }
}

fn f32_to_f16(f: f32) -> u16 {
    let bits = f.to_bits();
    let sign = ((bits >> 16) & 0x8000) as u16;
    let exp = ((bits >> 23) & 0xff) as i32 - 127 + 15;
    let mant = bits & 0x7f_ffff;
    if exp >= 31 {
        sign | 0x7c00
    } else if exp <= 0 {
        sign
    } else {
        sign | ((exp as u16) << 10) | (mant >> 13) as u16
    }
}

pub(crate) fn f16_to_f32(h: u16) -> f32 {
    let sign = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exp = ((h >> 10) & 0x1f) as i32;
    let mant = (h & 0x3ff) as f32;
    sign * match exp {
        0 => mant * 2f32.powi(-24),
        31 => f32::INFINITY,
        e => (1.0 + mant / 1024.0) * 2f32.powi(e - 15),
    }
}

/// Texture sizes of one frame, per texture name, for `_NAME_imgSize` and IMG_PIXEL.
type Sizes = HashMap<String, (u32, u32)>;

/// The frame's clock values: TIME, TIMEDELTA, DATE.
struct Clock {
    time: f64,
    delta: f64,
    date: [f32; 4],
}

fn write_uniforms(
    layout: &isfkit_glsl::Layout,
    s: &SceneState,
    pass_index: usize,
    size: (u32, u32),
    clock: &Clock,
    sizes: &Sizes,
) -> Vec<u8> {
    let mut buf = vec![0u8; layout.block_size];
    let mut put =
        |offset: usize, bytes: &[u8]| buf[offset..offset + bytes.len()].copy_from_slice(bytes);
    for f in &layout.fields {
        let floats: Vec<f32> = match &f.role {
            FieldRole::PassIndex => {
                put(f.offset, &(pass_index as i32).to_le_bytes());
                continue;
            }
            FieldRole::FrameIndex => {
                put(f.offset, &(s.frame_index as i32).to_le_bytes());
                continue;
            }
            FieldRole::RenderSize => vec![size.0 as f32, size.1 as f32],
            FieldRole::Time => vec![clock.time as f32],
            FieldRole::TimeDelta => vec![clock.delta as f32],
            FieldRole::Date => clock.date.to_vec(),
            FieldRole::Input(name) => match s.values.get(name) {
                Some(Value::Bool(b)) => {
                    put(f.offset, &(*b as i32).to_le_bytes());
                    continue;
                }
                Some(Value::Long(v)) => {
                    put(f.offset, &v.to_le_bytes());
                    continue;
                }
                Some(Value::Float(v)) => vec![*v],
                Some(Value::Point2D(p)) => p.to_vec(),
                Some(Value::Color(c)) => c.to_vec(),
                None => continue,
            },
            FieldRole::ImgSize(name) => {
                let (w, h) = sizes.get(name).copied().unwrap_or((1, 1));
                vec![w as f32, h as f32]
            }
            FieldRole::ImgRect(name) => {
                let (w, h) = sizes.get(name).copied().unwrap_or((1, 1));
                vec![0.0, 0.0, w as f32, h as f32]
            }
            FieldRole::ImgFlip(_) => {
                put(f.offset, &0i32.to_le_bytes());
                continue;
            }
        };
        debug_assert!(matches!(
            f.ty,
            FieldType::Float | FieldType::Vec2 | FieldType::Vec4
        ));
        let bytes: Vec<u8> = floats.iter().flat_map(|v| v.to_le_bytes()).collect();
        put(f.offset, &bytes);
    }
    buf
}

/// Bind groups a scene keeps (see [`SceneGpu::bind_groups`]): enough for every pass of a
/// multipass shader with several frames in flight.
pub(crate) const MAX_CACHED_BIND_GROUPS: usize = 64;

/// Renders all passes of a frame and returns the output texture (not yet read back).
pub(crate) fn encode_frame(
    gpu: &Gpu,
    shared: &Shared,
    pool: &mut crate::pool::Pool,
    s: &mut SceneState,
    opts: &RenderOptions,
    cache_bind_groups: bool,
) -> Result<(PooledTexture, wgpu::CommandBuffer)> {
    ensure_scene_gpu(gpu, s)?;
    ensure_pipelines(gpu, s, opts)?;
    let mut sg = s.gpu.take().expect("scene GPU state just built");
    if !cache_bind_groups {
        sg.bind_groups.clear();
    }
    let result = encode_passes(gpu, shared, pool, s, &mut sg, opts);
    s.gpu = Some(sg);
    result
}

fn encode_passes(
    gpu: &Gpu,
    shared: &Shared,
    pool: &mut crate::pool::Pool,
    s: &mut SceneState,
    sg: &mut SceneGpu,
    opts: &RenderOptions,
) -> Result<(PooledTexture, wgpu::CommandBuffer)> {
    upload_textures(gpu, s, sg, opts.time)?;
    let label = s.label.clone();
    let layout = s.program.translation.layout.clone();
    let max = gpu.max_texture_size;
    let time = opts.time;
    let delta = s.last_time.map_or(0.0, |t| (time - t).abs());
    let date = opts.date.unwrap_or_else(local_date);
    let clock = Clock { time, delta, date };
    let mut encoder = gpu
        .device
        .create_command_encoder(&wgpu::CommandEncoderDescriptor {
            label: Some(&label),
        });

    // Restore persistent buffers saved across a re-initialisation.
    for (name, saved) in std::mem::take(&mut s.saved_persistent) {
        let t = pool.texture(gpu, saved.width, saved.height, saved.format);
        t.with_texture(|tv| {
            gpu.write_texture(tv, &saved.data, saved.width * bytes_per_texel(saved.format))
        })?;
        sg.persistent.insert(name, t);
    }

    // Textures the passes read, by name: persistent targets from earlier frames first.
    let mut current: HashMap<String, PooledTexture> = sg.persistent.clone();
    let mut output: Option<PooledTexture> = None;
    let n = s.doc.passes.len();
    for (i, pass) in s.doc.passes.clone().iter().enumerate() {
        let last = i + 1 == n;
        let [w, h] =
            [(&pass.width, opts.width), (&pass.height, opts.height)].map(|(expr, render)| {
                eval_size(
                    expr.as_ref(),
                    render,
                    opts.width,
                    opts.height,
                    &s.values,
                    max,
                )
            });
        let format = pass_format(gpu, &s.doc, i, opts);
        let target = pool.texture(gpu, w, h, format);
        if let (true, Some(name)) = (pass.persistent, pass.target.as_ref()) {
            // A persistent target whose size changed keeps its content, scaled.
            if let Some(old) = current.get(name) {
                let (ow, oh, of) = old.with_texture(|t| (t.width, t.height, t.format))?;
                if (ow, oh) != (w, h) || of != format {
                    let scaled = pool.texture(gpu, w, h, format);
                    shared.blit(gpu, &mut encoder, old, &scaled)?;
                    current.insert(name.clone(), scaled);
                }
            }
        }
        // Sizes of everything bound this pass.
        let mut sizes: Sizes = HashMap::new();
        let mut views: Vec<(u32, PooledOrTracked)> = Vec::new();
        for slot in &layout.textures {
            let bound = match slot.source {
                TextureSource::Target => current
                    .get(&slot.name)
                    .cloned()
                    .map(PooledOrTracked::Pooled),
                _ => sg
                    .inputs
                    .get(&slot.name)
                    .map(|t| PooledOrTracked::Input(slot.name.clone(), t.width, t.height)),
            };
            let bound = bound.unwrap_or(PooledOrTracked::Placeholder);
            match &bound {
                PooledOrTracked::Pooled(p) => {
                    sizes.insert(slot.name.clone(), p.with_texture(|t| (t.width, t.height))?);
                }
                PooledOrTracked::Input(_, tw, th) => {
                    sizes.insert(slot.name.clone(), (*tw, *th));
                }
                PooledOrTracked::Placeholder => {}
            }
            views.push((slot.binding, bound));
        }
        let data = write_uniforms(&layout, s, i, (w, h), &clock, &sizes);
        gpu.queue.write_buffer(&sg.uniforms[i], 0, &data);
        // Hold the guards of pooled textures while building the bind group.
        let pooled_views: Vec<(u32, wgpu::TextureView)> = views
            .iter()
            .map(|(b, v)| -> Result<(u32, wgpu::TextureView)> {
                Ok((
                    *b,
                    match v {
                        PooledOrTracked::Pooled(p) => p.with_texture(|t| t.view.clone())?,
                        PooledOrTracked::Input(name, _, _) => sg.inputs[name].view.clone(),
                        PooledOrTracked::Placeholder => shared.placeholder.view.clone(),
                    },
                ))
            })
            .collect::<Result<_>>()?;
        let pipeline = sg
            .program
            .pipeline(&pipeline_key(sg, i, format))
            .expect("pipelines built before the frame");
        let key = (i, pooled_views.iter().map(|(_, v)| v.clone()).collect());
        let bind_group: wgpu::BindGroup = match sg.bind_groups.get(&key) {
            Some(bg) => (**bg).clone(),
            None => {
                let mut entries = vec![
                    wgpu::BindGroupEntry {
                        binding: 0,
                        resource: sg.uniforms[i].as_entire_binding(),
                    },
                    wgpu::BindGroupEntry {
                        binding: isfkit_glsl::layout::SAMPLER_BINDING,
                        resource: wgpu::BindingResource::Sampler(
                            shared.sampler(Default::default()),
                        ),
                    },
                ];
                for s in &layout.samplers {
                    entries.push(wgpu::BindGroupEntry {
                        binding: s.binding,
                        resource: wgpu::BindingResource::Sampler(shared.sampler(s.sampling)),
                    });
                }
                for (b, v) in &pooled_views {
                    entries.push(wgpu::BindGroupEntry {
                        binding: *b,
                        resource: wgpu::BindingResource::TextureView(v),
                    });
                }
                let bg = gpu.device.create_bind_group(&wgpu::BindGroupDescriptor {
                    label: Some(&format!("{label} pass {i}")),
                    layout: &sg.program.bind_group_layout,
                    entries: &entries,
                });
                let tracked = gpu.track(
                    bg,
                    ResourceKind::BindGroup,
                    &format!("{label} bind group pass {i}"),
                );
                let bg = (*tracked).clone();
                if sg.bind_groups.len() >= MAX_CACHED_BIND_GROUPS {
                    sg.bind_groups.clear();
                }
                sg.bind_groups.insert(key, tracked);
                bg
            }
        };
        let target_view = target.with_texture(|t| t.view.clone())?;
        crate::gpu::draw_quad(
            &mut encoder,
            &format!("{label} pass {i}"),
            &target_view,
            &pipeline,
            &bind_group,
        );
        if let Some(name) = &pass.target {
            current.insert(name.clone(), target.clone());
            if pass.persistent {
                sg.persistent.insert(name.clone(), target.clone());
            }
        }
        if last {
            output = Some(target);
        }
    }
    Ok((
        output.expect("a document has at least one pass"),
        encoder.finish(),
    ))
}

enum PooledOrTracked {
    Pooled(PooledTexture),
    Input(String, u32, u32),
    Placeholder,
}

/// `DATE` from local time: year, month, day, seconds since midnight.
fn local_date() -> [f32; 4] {
    use chrono::{Datelike, Local, Timelike};
    let now = Local::now();
    [
        now.year() as f32,
        now.month() as f32,
        now.day() as f32,
        now.num_seconds_from_midnight() as f32 + now.nanosecond() as f32 / 1e9,
    ]
}

pub(crate) fn read_pixels(
    format: wgpu::TextureFormat,
    data: &[u8],
    width: u32,
    height: u32,
    padded_row: usize,
) -> Pixels {
    let bpp = bytes_per_texel(format) as usize;
    let row = width as usize * bpp;
    // Memory row 0 is the bottom of the frame (GL convention); the frame's row 0 is the top.
    let rows = (0..height as usize)
        .rev()
        .map(|y| &data[y * padded_row..y * padded_row + row]);
    match format {
        wgpu::TextureFormat::Rgba32Float => Pixels::Rgba32F(
            rows.flat_map(|r| {
                r.chunks_exact(4)
                    .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            })
            .collect(),
        ),
        wgpu::TextureFormat::Rgba16Float => Pixels::Rgba32F(
            rows.flat_map(|r| {
                r.chunks_exact(2)
                    .map(|c| f16_to_f32(u16::from_le_bytes([c[0], c[1]])))
            })
            .collect(),
        ),
        _ => {
            // Row by row with memcpy: the per-byte iterator was a visible share of 1080p
            // read-back time.
            let mut out = Vec::with_capacity(row * height as usize);
            for r in rows {
                out.extend_from_slice(r);
            }
            Pixels::Rgba8(out)
        }
    }
}
