//! isfkit-render: the ISF engine on wgpu — the only isfkit crate that names wgpu.
//!
//! An [`Engine`] owns the wgpu instance and one device generation at a time, a resource
//! [registry](registry::Registry) of every GPU object it creates, a texture/buffer
//! [pool](pool), and the cleanup coordinator ([`lifecycle`]). [`Scene`]s are loaded shaders;
//! [`Scene::render`] runs every pass of a frame and reads the output back as a [`Frame`].
//!
//! GL conventions hold inside shaders on every backend: the generated vertex stage flips y,
//! so row 0 of every texture is the bottom of the image, `gl_FragCoord` starts at the
//! bottom-left, and read-back flips rows so a frame's row 0 is its top.

mod date;
mod engine;
mod error;
mod frame;
mod gpu;
mod instance;
pub mod lifecycle;
mod limits;
mod passes;
mod pipeline_cache;
pub mod pool;
mod probe;
mod program_gpu;
mod readback;
pub mod registry;
mod scene;
mod scene_state;
mod shared;
mod shutdown;
mod sound_pass;
mod value;

pub use date::{date_uniform, parse_date, DATE_FORMAT_HINT};
pub use engine::{Engine, EngineConfig, ReinitReport};
pub use error::{Error, ErrorKind, Result};
pub use frame::{Frame, Pixels};
pub use gpu::{abandoned_work_running, Backend};
pub use instance::quick_compiles;
pub use isfkit_audio::{AudioError, Sound};
pub use isfkit_glsl::{vertex_shader_path, Facts, LoadError, Program};
pub use lifecycle::{
    wgpu_leaks, Abandoned, CleanupReport, Leak, LeakSource, Participant, Phase, PhaseReport,
    ReleaseError, Released,
};
pub use limits::{AdapterLimits, MAX_IMAGE_SIDE, MAX_IN_FLIGHT};
pub use pipeline_cache::{default_pipeline_cache_dir, PipelineCacheState, PIPELINE_CACHE_ENV};
pub use pool::{Freed, PoolStats, PooledTexture};
pub use probe::{probe_adapters, AdapterReport};
pub use registry::{LiveResource, ResourceKind, ResourceSummary};
pub use scene::Scene;
pub use scene_state::RenderOptions;
pub use sound_pass::MAX_SOUND_SECONDS;
pub use value::{finite_f32, ImageData, ImageFiles, Value};

pub use isfkit_audio as audio;
pub use isfkit_format as format;
pub use isfkit_glsl as glsl;
