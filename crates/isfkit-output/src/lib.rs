//! isfkit-output: writing rendered frames to files. isfkit-render returns [`Frame`]s and
//! encodes nothing; this crate writes them: still images (PNG 8/16-bit, JPEG, WebP, EXR),
//! an [`EncoderPool`] of worker threads, animated GIF, and video through ffmpeg.
//!
//! Every file is written under a temporary name in its folder and renamed when complete
//! ([`write_atomically`]), so an interrupted job never leaves a half-written frame.
//!
//! [`Frame`]: isfkit_render::Frame

mod encoder_pool;
mod error;
mod frame_ext;
mod image;
mod video;

pub use crate::image::{
    encode_image, persist_temporary, remove_stale_temporaries, temporary_file, write_atomically,
    write_image, ImageFormat, PngCompression,
};
pub use encoder_pool::{EncoderPool, MAX_ENCODER_QUEUE, MAX_ENCODER_THREADS};
pub use error::{OutputError, PipelineError, Result};
pub use frame_ext::FrameExt;
pub use video::{
    join_videos, write_wav, write_wav_segment, AudioTrack, GifWriter, StderrTail, VideoFormat,
    VideoWriter,
};
