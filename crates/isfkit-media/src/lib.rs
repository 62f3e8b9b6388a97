//! isfkit-media: decoding the files behind a shader's inputs, ahead of the renderer. Image
//! files become RGBA8 pixels ([`load_image`]), sound files become samples ([`load_sound`]:
//! WAV natively, anything else ffmpeg reads by running `ffmpeg`). No GPU: the engine
//! (isfkit-render) takes the decoded pixels and samples and decodes no file itself.

mod image;
mod sound;

pub use image::{decode_image, image_dimensions, load_image, Image, MediaError};
pub use sound::load_sound;
