//! Still images: the formats, atomic writes (temporary name, then rename) and the
//! clean-up of temporaries an interrupted process left behind.

use std::io::Write;
use std::path::{Path, PathBuf};

use isfkit_render::Frame;

use crate::error::{encode_err, io_err, Result};

/// PNG compression: `Fast` (the default) trades file size for encoding speed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PngCompression {
    #[default]
    Fast,
    Default,
    Best,
}

/// A still-image file format.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ImageFormat {
    Png {
        bits: u8,
        compression: PngCompression,
    },
    Jpeg {
        quality: u8,
    },
    /// Lossless WebP.
    WebP,
    /// OpenEXR with 32-bit float channels (for FLOAT renders).
    Exr,
}

impl ImageFormat {
    /// The format for a file name's extension (`png`, `jpg`/`jpeg`, `webp`, `exr`).
    pub fn from_path(path: &Path) -> Option<ImageFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "png" => ImageFormat::Png {
                bits: 8,
                compression: PngCompression::Fast,
            },
            "jpg" | "jpeg" => ImageFormat::Jpeg { quality: 90 },
            "webp" => ImageFormat::WebP,
            "exr" => ImageFormat::Exr,
            _ => return None,
        })
    }
}

/// The temporary name a file is written under before it is renamed into place.
pub fn temporary_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

/// Removes temporary files that an interrupted earlier process left for `path`
/// (`.NAME.PID.tmp` with another process's id). Returns how many were removed.
pub fn remove_stale_temporaries(path: &Path) -> usize {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return 0;
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let prefix = format!(".{}.", name.to_string_lossy());
    let ours = temporary_path(path);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let n = entry.file_name().to_string_lossy().into_owned();
        if n.starts_with(&prefix) && n.ends_with(".tmp") && entry.path() != ours {
            match std::fs::remove_file(entry.path()) {
                Ok(()) => removed += 1,
                Err(e) => tracing::warn!("could not remove stale {}: {e}", entry.path().display()),
            }
        }
    }
    removed
}

/// Runs `write` on a temporary file next to `path`, flushes it to disk (fsync), renames it
/// to `path` and flushes the folder, so that after a crash or power loss `path` holds the
/// old file or the whole new one, never an empty or partial one. On failure the temporary
/// file is removed.
pub fn write_atomically(path: &Path, write: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let tmp = temporary_path(path);
    let result = write(&tmp)
        .and_then(|_| {
            std::fs::File::open(&tmp)
                .and_then(|f| f.sync_all())
                .map_err(io_err(path))
        })
        .and_then(|_| std::fs::rename(&tmp, path).map_err(io_err(path)))
        .map(|_| sync_folder(path));
    if result.is_err() && tmp.exists() {
        if let Err(e) = std::fs::remove_file(&tmp) {
            tracing::warn!("could not remove temporary file {}: {e}", tmp.display());
        }
    }
    result
}

/// Flushes the folder holding `path` (its new directory entry) to disk. Some file systems
/// cannot sync a folder; that is logged, not an error: the file itself is on disk.
fn sync_folder(path: &Path) {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if let Err(e) = std::fs::File::open(dir).and_then(|d| d.sync_all()) {
        tracing::debug!("cannot flush folder {}: {e}", dir.display());
    }
}

/// Writes `frame` to `path` in `format`, atomically.
pub fn write_image(frame: &Frame, path: &Path, format: ImageFormat) -> Result<()> {
    use image::ImageEncoder;
    write_atomically(path, |tmp| {
        let file = std::fs::File::create(tmp).map_err(io_err(path))?;
        let mut writer = std::io::BufWriter::new(file);
        let (w, h) = (frame.width, frame.height);
        match format {
            ImageFormat::Png { bits, compression } => {
                use image::codecs::png::{CompressionType, FilterType};
                // Fast: one cheap filter for every row (adaptive filtering tries five per
                // row and dominated encoding time at 1080p).
                let (c, f) = match compression {
                    PngCompression::Fast => (CompressionType::Fast, FilterType::Sub),
                    PngCompression::Default => (CompressionType::Default, FilterType::Adaptive),
                    PngCompression::Best => (CompressionType::Best, FilterType::Adaptive),
                };
                let enc = image::codecs::png::PngEncoder::new_with_quality(&mut writer, c, f);
                if bits == 16 {
                    let data: Vec<u8> = frame
                        .to_rgba32f()
                        .iter()
                        .flat_map(|f| ((f.clamp(0.0, 1.0) * 65535.0).round() as u16).to_ne_bytes())
                        .collect();
                    enc.write_image(&data, w, h, image::ExtendedColorType::Rgba16)
                        .map_err(encode_err(path))?;
                } else {
                    enc.write_image(&frame.rgba8(), w, h, image::ExtendedColorType::Rgba8)
                        .map_err(encode_err(path))?;
                }
            }
            ImageFormat::Jpeg { quality } => {
                // JPEG has no alpha: drop it.
                let rgb: Vec<u8> = frame
                    .to_rgba8()
                    .chunks_exact(4)
                    .flat_map(|p| [p[0], p[1], p[2]])
                    .collect();
                image::codecs::jpeg::JpegEncoder::new_with_quality(
                    &mut writer,
                    quality.clamp(1, 100),
                )
                .write_image(&rgb, w, h, image::ExtendedColorType::Rgb8)
                .map_err(encode_err(path))?;
            }
            ImageFormat::WebP => {
                image::codecs::webp::WebPEncoder::new_lossless(&mut writer)
                    .write_image(&frame.rgba8(), w, h, image::ExtendedColorType::Rgba8)
                    .map_err(encode_err(path))?;
            }
            ImageFormat::Exr => {
                let data: Vec<u8> = frame
                    .to_rgba32f()
                    .iter()
                    .flat_map(|f| f.to_ne_bytes())
                    .collect();
                image::codecs::openexr::OpenExrEncoder::new(&mut writer)
                    .write_image(&data, w, h, image::ExtendedColorType::Rgba32F)
                    .map_err(encode_err(path))?;
            }
        }
        writer.flush().map_err(io_err(path))
    })
}
