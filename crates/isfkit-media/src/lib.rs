//! isfkit-media: decoding the files behind a shader's inputs, ahead of the renderer. Image
//! files become RGBA8 pixels ([`load_image`]), videos and image sequences a frame per render
//! time ([`ClipReader`]), sound files samples ([`load_sound`]: WAV natively, anything else
//! ffmpeg reads by running `ffmpeg`). No GPU: the engine
//! (isfkit-render) takes the decoded pixels and samples and decodes no file itself.

mod clip;
pub mod frame_pattern;
mod image;
mod sound;

pub use clip::{
    probe_clip, ClipError, ClipInfo, ClipOptions, ClipReader, ClipSource, ClipSpec, PastEnd,
};
pub use image::{decode_image, image_dimensions, load_image, Image, MediaError};
pub use sound::load_sound;
