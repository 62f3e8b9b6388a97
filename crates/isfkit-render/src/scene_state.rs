//! A loaded shader's state: its program, inputs and per-frame state, and its GPU objects
//! for the current device generation (see [`SceneGpu`]). Knows nothing of the engine.
//!
//! GPU objects of a scene live in [`SceneGpu`], tagged with the device generation that made
//! them. After a re-initialisation the engine has already dropped them (while the old device
//! was valid) and saved persistent buffers to memory; the next render rebuilds lazily and
//! uploads the saved contents, so a multi-frame effect continues where it was.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use isfkit_format::{InputType, IsfDocument};
use isfkit_glsl::Program;

use crate::error::{Error, Result};
use crate::gpu::TextureAndView;
use crate::pool::PooledTexture;
use crate::registry::Tracked;
use crate::value::{ImageData, ImageFiles, Value};

/// What to render.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RenderOptions {
    pub width: u32,
    pub height: u32,
    /// Seconds; TIMEDELTA is the difference to the previous frame's time.
    pub time: f64,
    /// Read the output back as RGBA32F (the last pass renders to a float target).
    pub float_output: bool,
    /// `DATE` (year, month, day, seconds since midnight); local time when `None`.
    pub date: Option<[f32; 4]>,
}

impl RenderOptions {
    pub fn new(width: u32, height: u32, time: f64) -> Self {
        RenderOptions {
            width,
            height,
            time,
            float_output: false,
            date: None,
        }
    }
}

/// Persistent buffer contents saved in memory across a device re-initialisation.
#[derive(Debug, Clone)]
pub(crate) struct SavedTexture {
    pub width: u32,
    pub height: u32,
    pub format: wgpu::TextureFormat,
    /// Tightly packed rows in texture memory order.
    pub data: Vec<u8>,
}

/// The GPU objects of one scene for one device generation. Field order is drop order:
/// textures and bind-group users first, then the program's pipelines, layouts and modules
/// (when no other scene of the program holds them).
pub(crate) struct SceneGpu {
    pub generation: u64,
    /// Bind groups by pass and the texture views bound (in binding order): a frame that binds
    /// what an earlier frame bound (the pool hands the same textures back) reuses its bind
    /// group instead of creating one per pass per frame. Cleared when it outgrows
    /// [`MAX_CACHED_BIND_GROUPS`] (entries for textures the pool freed are never hit again).
    pub bind_groups: HashMap<(usize, Vec<wgpu::TextureView>), Tracked<wgpu::BindGroup>>,
    pub persistent: HashMap<String, PooledTexture>,
    pub inputs: HashMap<String, Tracked<TextureAndView>>,
    pub uniforms: Vec<Tracked<wgpu::Buffer>>,
    /// The modules, layouts and pipelines, shared with the other scenes of the same
    /// program on this device.
    pub program: std::sync::Arc<crate::program_gpu::ProgramGpu>,
}

pub(crate) struct SceneState {
    pub doc: IsfDocument,
    pub program: Program,
    pub label: String,
    pub values: HashMap<String, Value>,
    pub images: HashMap<String, ImageData>,
    /// Sounds of audio and audioFFT inputs: every frame uploads the window that ends at
    /// its time.
    pub audio: HashMap<String, std::sync::Arc<isfkit_audio::Sound>>,
    /// Waveform and spectrum textures of those sounds (keeps FFT plans).
    pub analyzer: isfkit_audio::Analyzer,
    /// Inputs whose texture must be (re)uploaded before the next render.
    pub dirty_textures: Vec<String>,
    pub frame_index: u64,
    pub last_time: Option<f64>,
    pub saved_persistent: HashMap<String, SavedTexture>,
    pub gpu: Option<SceneGpu>,
}

pub(crate) fn lock_scene(s: &Mutex<SceneState>) -> MutexGuard<'_, SceneState> {
    s.lock().unwrap_or_else(|p| p.into_inner())
}

impl SceneState {
    /// A scene's state; IMPORTED images are read with `files`.
    pub fn new(program: Program, files: Option<&dyn ImageFiles>) -> Result<SceneState> {
        let doc = program.doc.clone();
        let label = program.label.clone();
        let mut values = HashMap::new();
        for input in &doc.inputs {
            if let Some(v) = Value::default_for(&input.ty) {
                values.insert(input.name.clone(), v);
            }
        }
        let mut images = HashMap::new();
        for imp in &doc.imported {
            let image = match files {
                Some(files) => files.load(&imp.resolved_path)?,
                None => return Err(Error::Image {
                    path: imp.resolved_path.clone(),
                    message:
                        "this engine reads no image files (EngineConfig::image_files is not set)"
                            .into(),
                }),
            };
            images.insert(imp.name.clone(), image);
        }
        let dirty_textures = images.keys().cloned().collect();
        Ok(SceneState {
            doc,
            program,
            label,
            values,
            images,
            audio: HashMap::new(),
            analyzer: isfkit_audio::Analyzer::new(),
            dirty_textures,
            frame_index: 0,
            last_time: None,
            saved_persistent: HashMap::new(),
            gpu: None,
        })
    }

    pub(crate) fn input_type(&self, name: &str) -> Result<&InputType> {
        self.doc
            .input(name)
            .map(|i| &i.ty)
            .ok_or_else(|| Error::unknown_input(&self.doc, name))
    }
}
