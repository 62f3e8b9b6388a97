//! A rendered frame in memory, rows top to bottom, and writing it to PNG.

use std::path::Path;

use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq)]
pub enum Pixels {
    /// 4 bytes per pixel.
    Rgba8(Vec<u8>),
    /// 4 floats per pixel.
    Rgba32F(Vec<f32>),
}

/// A rendered image. Row 0 is the top of the frame, as the ISF Editor shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    pub width: u32,
    pub height: u32,
    pub pixels: Pixels,
}

impl Frame {
    /// The pixels as RGBA8 (float frames are clamped to 0..1 and rounded).
    pub fn to_rgba8(&self) -> Vec<u8> {
        match &self.pixels {
            Pixels::Rgba8(v) => v.clone(),
            Pixels::Rgba32F(v) => v
                .iter()
                .map(|f| (f.clamp(0.0, 1.0) * 255.0).round() as u8)
                .collect(),
        }
    }

    /// The pixels as RGBA32F (bytes are divided by 255).
    pub fn to_rgba32f(&self) -> Vec<f32> {
        match &self.pixels {
            Pixels::Rgba8(v) => v.iter().map(|&b| b as f32 / 255.0).collect(),
            Pixels::Rgba32F(v) => v.clone(),
        }
    }

    /// RGBA of the pixel at column `x`, row `y` (row 0 = top), as floats.
    pub fn pixel(&self, x: u32, y: u32) -> [f32; 4] {
        let i = (y as usize * self.width as usize + x as usize) * 4;
        match &self.pixels {
            Pixels::Rgba8(v) => [0, 1, 2, 3].map(|k| v[i + k] as f32 / 255.0),
            Pixels::Rgba32F(v) => [0, 1, 2, 3].map(|k| v[i + k]),
        }
    }

    /// Writes a PNG with 8 or 16 bits per channel. The file is written under a temporary name
    /// in the same folder and renamed, so a killed process never leaves half a PNG.
    pub fn save_png(&self, path: &Path, bits: u8) -> Result<()> {
        let io = |source: std::io::Error| Error::Io {
            path: path.to_owned(),
            source,
        };
        let encode_err = |e: image::ImageError| Error::Io {
            path: path.to_owned(),
            source: std::io::Error::other(e),
        };
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = path.with_file_name(format!(".{file_name}.{}.tmp", std::process::id()));
        let result = (|| -> Result<()> {
            let file = std::fs::File::create(&tmp).map_err(io)?;
            let writer = std::io::BufWriter::new(file);
            let encoder = image::codecs::png::PngEncoder::new_with_quality(
                writer,
                image::codecs::png::CompressionType::Fast,
                image::codecs::png::FilterType::Adaptive,
            );
            use image::ImageEncoder;
            if bits == 16 {
                let data: Vec<u8> = self
                    .to_rgba32f()
                    .iter()
                    .flat_map(|f| ((f.clamp(0.0, 1.0) * 65535.0).round() as u16).to_be_bytes())
                    .collect();
                // PngEncoder takes 16-bit samples in native order.
                let native: Vec<u8> = data
                    .chunks_exact(2)
                    .flat_map(|c| u16::from_be_bytes([c[0], c[1]]).to_ne_bytes())
                    .collect();
                encoder
                    .write_image(
                        &native,
                        self.width,
                        self.height,
                        image::ExtendedColorType::Rgba16,
                    )
                    .map_err(encode_err)?;
            } else {
                encoder
                    .write_image(
                        &self.to_rgba8(),
                        self.width,
                        self.height,
                        image::ExtendedColorType::Rgba8,
                    )
                    .map_err(encode_err)?;
            }
            std::fs::rename(&tmp, path).map_err(io)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }
}
