//! Errors of the engine. Each carries what the user needs to act: the input's name, the
//! file's path, the resource's label, the limit that was exceeded.

use std::path::PathBuf;
use std::time::Duration;

use isfkit_format::FormatError;
use isfkit_glsl::CompileError;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error(transparent)]
    Format(#[from] FormatError),
    #[error(transparent)]
    Compile(#[from] CompileError),
    /// A load error of a kind added after this enum was written.
    #[error(transparent)]
    Load(isfkit_glsl::LoadError),
    #[error("no input named \"{name}\" (inputs: {available})")]
    UnknownInput { name: String, available: String },
    #[error("input \"{name}\" is of type {expected}, but the value given is {given}")]
    InputType {
        name: String,
        expected: &'static str,
        given: String,
    },
    /// A number that is not finite or out of range: an input value (`what` is
    /// `input "speed"`) or a frame's `time`.
    #[error("{what}: {reason}")]
    Value { what: String, reason: String },
    #[error("cannot read image {path}: {message}")]
    Image { path: PathBuf, message: String },
    #[error("invalid render size {width}x{height}: {reason}")]
    Size {
        width: u32,
        height: u32,
        reason: String,
    },
    /// A sound file could not be read, or samples given in memory are not a sound.
    #[error(transparent)]
    Audio(#[from] isfkit_audio::AudioError),
    /// An audio or audioFFT input's texture (MAX or the host default wide, one row per
    /// channel) does not fit the adapter.
    #[error("audio input \"{name}\" needs a {width}x{height} texture ({width} from its MAX or the default, one row per channel), but the adapter allows {max} per side (max_texture_dimension_2d)")]
    AudioSize {
        name: String,
        width: u32,
        height: u32,
        max: u32,
    },
    #[error("no GPU adapter for backend {backend}: {message}")]
    NoAdapter { backend: String, message: String },
    #[error("GPU device could not be created: {0}")]
    Device(String),
    #[error("GPU error: {0}")]
    Gpu(String),
    #[error("the GPU ran out of memory: {0}")]
    GpuOutOfMemory(String),
    #[error(
        "the GPU did not finish within {0:?}; the device was marked tainted and will be replaced"
    )]
    Timeout(Duration),
    #[error(
        "GPU resource \"{label}\" was released (by force_cleanup(), a re-initialisation or shutdown) and can no longer be used"
    )]
    Released { label: String },
    #[error("the engine was shut down; create a new Engine")]
    ShutDown,
    #[error("I/O error on {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<isfkit_glsl::LoadError> for Error {
    fn from(e: isfkit_glsl::LoadError) -> Error {
        match e {
            isfkit_glsl::LoadError::Format(e) => Error::Format(e),
            isfkit_glsl::LoadError::Compile { error, .. } => Error::Compile(error),
            isfkit_glsl::LoadError::ReadVertex { path, source } => Error::Io { path, source },
            other => Error::Load(other),
        }
    }
}
