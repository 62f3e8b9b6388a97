//! The errors of writing frames. Each names the file it is about where there is one.

use std::path::PathBuf;

use isfkit_render::ErrorKind;

/// Why a frame, an image, a GIF or a video could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OutputError {
    /// Creating, writing, flushing or renaming a file failed.
    #[error("I/O error on {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The image encoder failed.
    #[error("I/O error on {path}: {source}")]
    Encode {
        path: PathBuf,
        #[source]
        source: image::ImageError,
    },
    /// The file name's extension names no still-image format.
    #[error("{path}: unknown image extension (png, jpg, webp, exr)")]
    UnknownExtension { path: PathBuf },
    /// Video output was asked for and `ffmpeg` is not on `PATH`.
    #[error("I/O error on {path}: video output needs ffmpeg, which is not installed (Debian/Ubuntu: apt-get install ffmpeg)")]
    FfmpegMissing {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// `ffmpeg` stopped or failed; `message` holds what it said (`ffmpeg failed: ...`).
    #[error("I/O error on {path}: {message}")]
    Ffmpeg { path: PathBuf, message: String },
    /// A video frame whose size is not the video's.
    #[error("invalid render size {width}x{height}: {reason}")]
    Size {
        width: u32,
        height: u32,
        reason: String,
    },
    /// A frame whose pixel buffer does not match its width and height.
    #[error("frame buffer has the wrong size")]
    FrameBuffer,
    /// `write` or `finish` on a GIF or video that was already finished (`what`: "video",
    /// "GIF").
    #[error("{what} already finished")]
    Finished { what: &'static str },
    /// A frame was submitted to an encoder pool whose workers were stopped.
    #[error("the encoder pool was stopped")]
    Stopped,
    /// The encoder pool's threads could not be stopped (stuck on a slow disk, or panicked).
    #[error("{0}")]
    Workers(String),
    /// Frames the encoder pool could not write: one message per failed frame.
    #[error("{}", errors.join("; "))]
    Failed { errors: Vec<String> },
}

pub type Result<T, E = OutputError> = std::result::Result<T, E>;

impl OutputError {
    /// The kind of failure this is, in the engine's vocabulary: a file that cannot be
    /// written (or ffmpeg that cannot write it) is a `File` error, no ffmpeg `Environment`, a name with no image
    /// extension the user's `Input`, a video frame of another size a `Limit`; a writer or
    /// pool used after it finished or stopped is `Internal`.
    pub fn kind(&self) -> ErrorKind {
        match self {
            OutputError::Io { .. }
            | OutputError::Encode { .. }
            | OutputError::Ffmpeg { .. }
            | OutputError::Failed { .. } => ErrorKind::File,
            OutputError::UnknownExtension { .. } => ErrorKind::Input,
            OutputError::FfmpegMissing { .. } => ErrorKind::Environment,
            OutputError::Size { .. } => ErrorKind::Limit,
            OutputError::FrameBuffer
            | OutputError::Finished { .. }
            | OutputError::Stopped
            | OutputError::Workers(_) => ErrorKind::Internal,
        }
    }
}

pub(crate) fn io_err(path: &std::path::Path) -> impl Fn(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_owned(),
        source,
    }
}

pub(crate) fn encode_err(path: &std::path::Path) -> impl Fn(image::ImageError) -> OutputError + '_ {
    move |source| OutputError::Encode {
        path: path.to_owned(),
        source,
    }
}

/// What stops a pipelined render (`Engine::render_pipelined` with a sink that writes
/// files): the engine, or writing a frame. Callers map each kind to their own answer (the
/// CLI to an exit code) by type.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Engine(#[from] isfkit_render::Error),
    #[error(transparent)]
    Output(#[from] OutputError),
}

impl PipelineError {
    /// The kind of the engine's or the writer's error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            PipelineError::Engine(e) => e.kind(),
            PipelineError::Output(e) => e.kind(),
        }
    }

    /// The line a command-line tool prints for it (see [`isfkit_render::Error::render`]).
    pub fn render(&self, shader: &std::path::Path) -> String {
        match self {
            PipelineError::Engine(e) => e.render(shader),
            PipelineError::Output(e) => format!("error: {e}"),
        }
    }
}
