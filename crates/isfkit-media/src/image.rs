//! Image files and bytes into RGBA8 pixels (PNG, JPEG, WebP, EXR, GIF: the `image` crate's
//! decoders), with the size read from the header and checked before anything is decoded.

use std::io::{BufRead, Seek};
use std::path::{Path, PathBuf};

/// An RGBA8 image, rows top to bottom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

/// An image that cannot be read. The message says why; the path is `<memory>` for bytes.
#[derive(Debug, thiserror::Error)]
#[error("cannot read image {path}: {message}")]
pub struct MediaError {
    pub path: PathBuf,
    pub message: String,
}

/// Reads the image file at `path`. A side over `max_side` is an error before anything is
/// decoded or allocated.
pub fn load_image(path: &Path, max_side: u32) -> Result<Image, MediaError> {
    let err = |e: &dyn std::fmt::Display| MediaError {
        path: path.to_owned(),
        message: e.to_string(),
    };
    let reader = image::ImageReader::open(path).map_err(|e| err(&e))?;
    decode(reader, max_side).map_err(|m| err(&m))
}

/// Decodes an image file's bytes (PNG, JPEG, ...), as [`load_image`] does a file.
pub fn decode_image(bytes: &[u8], max_side: u32) -> Result<Image, MediaError> {
    let reader = image::ImageReader::new(std::io::Cursor::new(bytes));
    decode(reader, max_side).map_err(|message| MediaError {
        path: "<memory>".into(),
        message,
    })
}

/// The size written in an image file's header, without decoding it.
pub fn image_dimensions(path: &Path) -> Option<(u32, u32)> {
    image::image_dimensions(path).ok()
}

fn decode<R: BufRead + Seek>(
    reader: image::ImageReader<R>,
    max_side: u32,
) -> Result<Image, String> {
    use image::ImageDecoder;
    let decoder = reader
        .with_guessed_format()
        .map_err(|e| e.to_string())?
        .into_decoder()
        .map_err(|e| e.to_string())?;
    let (width, height) = decoder.dimensions();
    if width > max_side || height > max_side {
        return Err(format!(
            "the image is {width}x{height}, over the limit of {max_side} pixels per side"
        ));
    }
    let img = image::DynamicImage::from_decoder(decoder)
        .map_err(|e| e.to_string())?
        .to_rgba8();
    let (width, height) = img.dimensions();
    Ok(Image {
        width,
        height,
        rgba: img.into_raw(),
    })
}
