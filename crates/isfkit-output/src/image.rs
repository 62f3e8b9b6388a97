//! Still images: the formats, atomic writes (temporary name, then rename) and the
//! clean-up of temporaries an interrupted process left behind.

use std::io::Write;
use std::path::Path;

use tempfile::{NamedTempFile, TempPath};

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

/// A new, empty temporary file for `path`, to write under before renaming it into place:
/// hidden, in `path`'s folder (a rename within one file system is atomic), named
/// `.NAME.PID.XXXXXX.tmp` (`XXXXXX` random). The process id lets
/// [`remove_stale_temporaries`] spare the files this process is still writing. The file is
/// removed when the returned value is dropped, unless it was renamed into place first.
///
/// Made with the default permissions of a new file (`0666` less the umask), as the final file
/// would have been, not the owner-only permissions of a scratch file.
pub fn temporary_file(path: &Path) -> Result<NamedTempFile> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    tempfile::Builder::new()
        .prefix(&format!(".{name}.{}.", std::process::id()))
        .suffix(".tmp")
        .rand_bytes(6)
        .make_in(folder_of(path), |p| {
            std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .open(p)
        })
        .map_err(io_err(path))
}

/// The folder holding `path` (`.` for a bare file name).
fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Whether `file_name` is a temporary file of `name` made by [`temporary_file`] (or by the
/// releases before it, `.NAME.PID.tmp`), and the id of the process that made it.
fn temporary_of<'a>(file_name: &'a str, name: &str) -> Option<&'a str> {
    let middle = file_name
        .strip_prefix('.')?
        .strip_prefix(name)?
        .strip_prefix('.')?
        .strip_suffix(".tmp")?;
    let (pid, random) = middle.split_once('.').unwrap_or((middle, ""));
    let well_formed = !pid.is_empty()
        && pid.bytes().all(|b| b.is_ascii_digit())
        && random.bytes().all(|b| b.is_ascii_alphanumeric());
    well_formed.then_some(pid)
}

/// Removes temporary files that an interrupted earlier process left for `path`
/// (`.NAME.PID.XXXXXX.tmp` with another process's id). Returns how many were removed.
pub fn remove_stale_temporaries(path: &Path) -> usize {
    let Some(name) = path.file_name() else {
        return 0;
    };
    let name = name.to_string_lossy();
    let ours = std::process::id().to_string();
    let Ok(entries) = std::fs::read_dir(folder_of(path)) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let n = entry.file_name().to_string_lossy().into_owned();
        if temporary_of(&n, &name).is_some_and(|pid| pid != ours) {
            match std::fs::remove_file(entry.path()) {
                Ok(()) => removed += 1,
                Err(e) => tracing::warn!("could not remove stale {}: {e}", entry.path().display()),
            }
        }
    }
    removed
}

/// Runs `write` on a temporary file next to `path` ([`temporary_file`]), then
/// [`persist_temporary`]: after a crash or power loss `path` holds the old file or the whole
/// new one, never an empty or partial one. On failure the temporary file is removed.
pub fn write_atomically(path: &Path, write: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let tmp = temporary_file(path)?.into_temp_path();
    match write(&tmp) {
        Ok(()) => persist_temporary(tmp, path),
        Err(e) => {
            discard_temporary(tmp);
            Err(e)
        }
    }
}

/// Flushes the temporary file `tmp` to disk (fsync), renames it to `path` and flushes the
/// folder, so that the new name never shows a partial file. On failure `tmp` is removed.
pub fn persist_temporary(tmp: TempPath, path: &Path) -> Result<()> {
    if let Err(e) = std::fs::File::open(&tmp).and_then(|f| f.sync_all()) {
        discard_temporary(tmp);
        return Err(io_err(path)(e));
    }
    if let Err(e) = tmp.persist(path) {
        discard_temporary(e.path);
        return Err(io_err(path)(e.error));
    }
    sync_folder(path);
    Ok(())
}

/// Removes a temporary file that will not be renamed into place (logged when that fails).
pub(crate) fn discard_temporary(tmp: TempPath) {
    let shown = tmp.to_path_buf();
    if let Err(e) = tmp.close() {
        if e.kind() != std::io::ErrorKind::NotFound {
            tracing::warn!("could not remove temporary file {}: {e}", shown.display());
        }
    }
}

/// Flushes the folder holding `path` (its new directory entry) to disk. Some file systems
/// cannot sync a folder; that is logged, not an error: the file itself is on disk.
fn sync_folder(path: &Path) {
    let dir = folder_of(path);
    if let Err(e) = std::fs::File::open(dir).and_then(|d| d.sync_all()) {
        tracing::debug!("cannot flush folder {}: {e}", dir.display());
    }
}

/// Writes `frame` to `path` in `format`, atomically.
pub fn write_image(frame: &Frame, path: &Path, format: ImageFormat) -> Result<()> {
    write_atomically(path, |tmp| {
        let file = std::fs::File::create(tmp).map_err(io_err(path))?;
        let mut writer = std::io::BufWriter::new(file);
        encode_into(frame, format, &mut writer, path)?;
        writer.flush().map_err(io_err(path))
    })
}

/// `frame` encoded in `format`, in memory (the service's answers). `name` names the frame
/// in errors.
pub fn encode_image(frame: &Frame, format: ImageFormat, name: &Path) -> Result<Vec<u8>> {
    let mut out = std::io::Cursor::new(Vec::new());
    encode_into(frame, format, &mut out, name)?;
    Ok(out.into_inner())
}

/// Encodes `frame` in `format` into `writer`; `path` names it in errors.
fn encode_into<W: std::io::Write + std::io::Seek>(
    frame: &Frame,
    format: ImageFormat,
    mut writer: W,
    path: &Path,
) -> Result<()> {
    use image::ImageEncoder;
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
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut writer, quality.clamp(1, 100))
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
    Ok(())
}
