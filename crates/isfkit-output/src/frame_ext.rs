//! Saving a [`Frame`] directly: `frame.save_png(path, 8)`, `frame.save(path)`.

use std::path::Path;

use isfkit_render::Frame;

use crate::error::{OutputError, Result};
use crate::image::{write_image, ImageFormat, PngCompression};

/// Writing a [`Frame`] to a file (bring it into scope with `use isfkit_output::FrameExt`).
pub trait FrameExt {
    /// Writes a PNG with 8 or 16 bits per channel (fast compression), atomically: the file
    /// is written under a temporary name in the same folder and renamed.
    fn save_png(&self, path: &Path, bits: u8) -> Result<()>;

    /// Writes the frame in the format its extension names (png, jpg, webp, exr).
    fn save(&self, path: &Path) -> Result<()>;
}

impl FrameExt for Frame {
    fn save_png(&self, path: &Path, bits: u8) -> Result<()> {
        write_image(
            self,
            path,
            ImageFormat::Png {
                bits,
                compression: PngCompression::Fast,
            },
        )
    }

    fn save(&self, path: &Path) -> Result<()> {
        let format = ImageFormat::from_path(path).ok_or_else(|| OutputError::UnknownExtension {
            path: path.to_owned(),
        })?;
        write_image(self, path, format)
    }
}
