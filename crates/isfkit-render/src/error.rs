//! Errors of the engine. Each carries what the user needs to act: the input's name, the
//! file's path, the resource's label, the limit that was exceeded.

use std::path::{Path, PathBuf};
use std::time::Duration;

use isfkit_format::{FormatError, FormatErrorKind};
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
    /// A file the shader needs (its vertex shader) cannot be read.
    #[error("cannot read {}: {source}", path.display())]
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

/// What kind of failure an error is: the one vocabulary every face maps once (the CLI to an
/// exit code, Python to an exception class, the service to `error.kind` and an HTTP status,
/// the preview to its overlay). The table is in docs/errors.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// A file named by the user cannot be read or written (missing, a folder, no
    /// permission, over the size limit, a full disk).
    File,
    /// The shader itself is wrong: its header, its JSON, its GLSL, or a limit of its own
    /// (nesting, size expressions).
    InvalidShader,
    /// What the user gave the shader is wrong: an input name no shader declares, a value of
    /// the wrong type or out of range, an image or sound that cannot be decoded.
    Input,
    /// A size over what the engine or the adapter allows (render size, an audio input's
    /// texture).
    Limit,
    /// The GPU failed: no adapter, no device, a device error, out of GPU memory.
    Gpu,
    /// A frame did not finish within the deadline.
    Timeout,
    /// A resource or engine used after it was released or shut down.
    Released,
    /// The machine lacks what the command needs: a display for the preview window, ffmpeg
    /// for video.
    Environment,
    /// A broken invariant inside isfkit (a stopped worker pool, a writer used after it
    /// finished): a bug to report.
    Internal,
}

impl ErrorKind {
    /// Every kind, in the order of the documentation's table.
    pub const ALL: [ErrorKind; 9] = [
        ErrorKind::File,
        ErrorKind::InvalidShader,
        ErrorKind::Input,
        ErrorKind::Limit,
        ErrorKind::Gpu,
        ErrorKind::Timeout,
        ErrorKind::Released,
        ErrorKind::Environment,
        ErrorKind::Internal,
    ];

    /// The kind's name as faces show it (`file`, `invalid_shader`, `input`, ...).
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::File => "file",
            ErrorKind::InvalidShader => "invalid_shader",
            ErrorKind::Input => "input",
            ErrorKind::Limit => "limit",
            ErrorKind::Gpu => "gpu",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Released => "released",
            ErrorKind::Environment => "environment",
            ErrorKind::Internal => "internal",
        }
    }

    /// The `isf` exit code: 2 for what the user gave (files, inputs, sizes) or the machine
    /// lacks, 1 for an invalid shader or a failed render.
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorKind::File | ErrorKind::Input | ErrorKind::Limit | ErrorKind::Environment => 2,
            ErrorKind::InvalidShader
            | ErrorKind::Gpu
            | ErrorKind::Timeout
            | ErrorKind::Released
            | ErrorKind::Internal => 1,
        }
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Error {
    /// The error for an input `name` that `doc` does not declare; it lists the inputs there
    /// are, with their types.
    pub fn unknown_input(doc: &isfkit_format::IsfDocument, name: &str) -> Error {
        let names: Vec<String> = doc
            .inputs
            .iter()
            .map(|i| format!("{} ({})", i.name, i.ty.type_name()))
            .collect();
        Error::UnknownInput {
            name: name.to_owned(),
            available: if names.is_empty() {
                "none".into()
            } else {
                names.join(", ")
            },
        }
    }

    /// The kind of failure this is (see [`ErrorKind`]).
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Format(f) if f.kind == FormatErrorKind::Unreadable => ErrorKind::File,
            Error::Format(_) | Error::Compile(_) => ErrorKind::InvalidShader,
            Error::Load(isfkit_glsl::LoadError::ReadVertex { .. }) => ErrorKind::File,
            Error::Load(_) => ErrorKind::InvalidShader,
            Error::UnknownInput { .. }
            | Error::InputType { .. }
            | Error::Value { .. }
            | Error::Image { .. }
            | Error::Audio(_) => ErrorKind::Input,
            Error::Size { .. } | Error::AudioSize { .. } => ErrorKind::Limit,
            Error::NoAdapter { .. }
            | Error::Device(_)
            | Error::Gpu(_)
            | Error::GpuOutOfMemory(_) => ErrorKind::Gpu,
            Error::Timeout(_) => ErrorKind::Timeout,
            Error::Released { .. } | Error::ShutDown => ErrorKind::Released,
            Error::Io { .. } => ErrorKind::File,
        }
    }

    /// The message for `shader` (the file's name as the user gave it): for the shader's own
    /// errors as a compiler prints them, `file:line:col: error: ...` with the source line and
    /// a caret (a compile error names the vertex shader next to `shader` for its stage);
    /// otherwise the error's text. Python's exceptions and the service's `error.message`
    /// carry this text.
    pub fn message(&self, shader: &Path) -> String {
        let fs = shader.display().to_string();
        match self {
            // An unreadable file's message already names the path.
            Error::Format(f) if f.kind == FormatErrorKind::Unreadable => {
                f.diagnostic.message.clone()
            }
            Error::Format(f) => f.diagnostic.render(&fs),
            Error::Compile(c) => {
                let vs = isfkit_glsl::vertex_shader_path(shader)
                    .unwrap_or_else(|| shader.with_extension("vs"));
                c.render(&fs, &vs.display().to_string())
            }
            e => e.to_string(),
        }
    }

    /// The line a command-line tool prints: [`message`](Self::message), with `error: ` in
    /// front where the message does not already say where and what (`file:line:col: error:`).
    pub fn render(&self, shader: &Path) -> String {
        let message = self.message(shader);
        match self {
            Error::Format(f) if f.kind != FormatErrorKind::Unreadable => message,
            Error::Compile(_) => message,
            _ => format!("error: {message}"),
        }
    }
}
