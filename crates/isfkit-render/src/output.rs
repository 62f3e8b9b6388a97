//! Writing frames: still-image formats, the encoder worker pool, animated GIF and video
//! through ffmpeg. Every file is written under a temporary name in its folder and renamed
//! when complete, so an interrupted job never leaves a half-written frame.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::frame::Frame;
use crate::lifecycle::{Participant, Phase, Released};

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

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_owned(),
        source,
    }
}

fn encode_err(path: &Path) -> impl Fn(image::ImageError) -> Error + '_ {
    move |e| Error::Io {
        path: path.to_owned(),
        source: std::io::Error::other(e),
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

/// Runs `write` on a temporary file next to `path`, then renames it to `path`; on failure
/// the temporary file is removed.
pub fn write_atomically(path: &Path, write: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let tmp = temporary_path(path);
    let result = write(&tmp).and_then(|_| std::fs::rename(&tmp, path).map_err(io_err(path)));
    if result.is_err() && tmp.exists() {
        if let Err(e) = std::fs::remove_file(&tmp) {
            tracing::warn!("could not remove temporary file {}: {e}", tmp.display());
        }
    }
    result
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

struct Job {
    frame: Frame,
    path: PathBuf,
    format: ImageFormat,
}

/// Shared between the pool's owner and its coordinator participant.
struct Workers {
    sender: Option<SyncSender<Job>>,
    handles: Vec<JoinHandle<()>>,
}

/// Encodes and writes frames on a pool of threads. `submit` blocks while the queue is full,
/// so memory stays bounded by `threads + queue` frames whatever the frame count.
pub struct EncoderPool {
    workers: Arc<Mutex<Workers>>,
    errors: Arc<Mutex<Vec<String>>>,
    written: Arc<std::sync::atomic::AtomicU64>,
    /// Frames queued, and frames handled (written or failed), for `flush`.
    submitted: std::sync::atomic::AtomicU64,
    handled: Arc<std::sync::atomic::AtomicU64>,
}

impl EncoderPool {
    /// `threads` workers (0 = one per core) and a queue of `queue` frames.
    pub fn new(threads: usize, queue: usize) -> EncoderPool {
        let threads = if threads == 0 {
            std::thread::available_parallelism().map_or(2, |n| n.get())
        } else {
            threads
        };
        let (tx, rx) = sync_channel::<Job>(queue.max(1));
        let rx = Arc::new(Mutex::new(rx));
        let errors: Arc<Mutex<Vec<String>>> = Arc::default();
        let written = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let handled = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let handles = (0..threads)
            .map(|i| {
                let rx: Arc<Mutex<Receiver<Job>>> = rx.clone();
                let errors = errors.clone();
                let written = written.clone();
                let handled = handled.clone();
                std::thread::Builder::new()
                    .name(format!("isfkit-encoder-{i}"))
                    .spawn(move || loop {
                        let job = match rx.lock().unwrap_or_else(|p| p.into_inner()).recv() {
                            Ok(j) => j,
                            Err(_) => break, // the sender is gone: no more work
                        };
                        match write_image(&job.frame, &job.path, job.format) {
                            Ok(()) => {
                                written.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            }
                            Err(e) => errors
                                .lock()
                                .unwrap_or_else(|p| p.into_inner())
                                .push(e.to_string()),
                        }
                        handled.fetch_add(1, std::sync::atomic::Ordering::Release);
                    })
                    .expect("spawning an encoder thread")
            })
            .collect();
        EncoderPool {
            workers: Arc::new(Mutex::new(Workers {
                sender: Some(tx),
                handles,
            })),
            errors,
            written,
            submitted: std::sync::atomic::AtomicU64::new(0),
            handled,
        }
    }

    /// Queues a frame to be written; blocks while the queue is full.
    pub fn submit(&self, frame: Frame, path: PathBuf, format: ImageFormat) -> Result<()> {
        let sender = self
            .workers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .sender
            .clone();
        let sender = sender.ok_or_else(|| Error::Output("the encoder pool was stopped".into()))?;
        sender
            .send(Job {
                frame,
                path,
                format,
            })
            .map_err(|_| Error::Output("the encoder pool was stopped".into()))?;
        self.submitted
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }

    /// Waits until every frame queued so far is written (or has failed); the threads keep
    /// running for more work.
    pub fn flush(&self) {
        let target = self.submitted.load(std::sync::atomic::Ordering::Relaxed);
        while self.handled.load(std::sync::atomic::Ordering::Acquire) < target {
            let stopped = self
                .workers
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .handles
                .is_empty();
            if stopped {
                return; // nothing more will be handled
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    /// Files written so far.
    pub fn written(&self) -> u64 {
        self.written.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Write errors so far (taken: each is reported once).
    pub fn take_errors(&self) -> Vec<String> {
        std::mem::take(&mut *self.errors.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Waits for every queued frame to be written and stops the threads.
    pub fn finish(&self) -> Result<u64> {
        stop_workers(&self.workers, Duration::from_secs(3600)).map_err(Error::Output)?;
        let errors = self.take_errors();
        if errors.is_empty() {
            Ok(self.written())
        } else {
            Err(Error::Output(errors.join("; ")))
        }
    }

    /// A participant for the cleanup coordinator's "stop background workers" phase: it
    /// closes the queue and joins the threads with a deadline.
    pub fn participant(&self, deadline: Duration) -> Box<dyn Participant> {
        Box::new(EncoderParticipant {
            workers: self.workers.clone(),
            deadline,
        })
    }
}

impl Drop for EncoderPool {
    fn drop(&mut self) {
        if let Err(e) = stop_workers(&self.workers, Duration::from_secs(60)) {
            tracing::warn!("encoder pool: {e}");
        }
    }
}

/// Closes the queue and joins the workers, giving up after `deadline`. Returns how many
/// threads were joined.
fn stop_workers(workers: &Mutex<Workers>, deadline: Duration) -> std::result::Result<u64, String> {
    let handles = {
        let mut w = workers.lock().unwrap_or_else(|p| p.into_inner());
        w.sender = None;
        std::mem::take(&mut w.handles)
    };
    let started = Instant::now();
    let n = handles.len() as u64;
    for h in &handles {
        while !h.is_finished() {
            if started.elapsed() > deadline {
                return Err(format!(
                    "{} encoder thread(s) did not stop within {deadline:?}; a write is probably stuck on a slow disk",
                    handles.iter().filter(|h| !h.is_finished()).count()
                ));
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }
    for h in handles {
        if h.join().is_err() {
            return Err("an encoder thread panicked".into());
        }
    }
    Ok(n)
}

struct EncoderParticipant {
    workers: Arc<Mutex<Workers>>,
    deadline: Duration,
}

impl Participant for EncoderParticipant {
    fn name(&self) -> &str {
        "encoder pool"
    }
    fn phase(&self) -> Phase {
        Phase::StopWorkers
    }
    fn release(&mut self) -> std::result::Result<Released, String> {
        stop_workers(&self.workers, self.deadline).map(|count| Released { count, bytes: 0 })
    }
}

/// Video container/codec chosen from the output's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VideoFormat {
    /// H.264 in MP4.
    Mp4,
    /// VP9 in WebM.
    WebM,
}

impl VideoFormat {
    pub fn from_path(path: &Path) -> Option<VideoFormat> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "mp4" | "mov" | "m4v" => Some(VideoFormat::Mp4),
            "webm" => Some(VideoFormat::WebM),
            _ => None,
        }
    }
}

/// Pipes raw RGBA frames into `ffmpeg`, writing a temporary file renamed on `finish`.
pub struct VideoWriter {
    child: Option<Child>,
    stdin: Option<ChildStdin>,
    path: PathBuf,
    tmp: PathBuf,
    width: u32,
    height: u32,
    frames: u64,
    /// Set once the file was renamed into place; otherwise `Drop` removes the temporary file.
    finished: bool,
}

impl VideoWriter {
    pub fn new(
        path: &Path,
        format: VideoFormat,
        width: u32,
        height: u32,
        fps: f64,
    ) -> Result<VideoWriter> {
        let tmp = temporary_path(path);
        let ext = match format {
            VideoFormat::Mp4 => "mp4",
            VideoFormat::WebM => "webm",
        };
        let codec: &[&str] = match format {
            VideoFormat::Mp4 => &[
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "veryfast", "-crf", "18",
            ],
            VideoFormat::WebM => &[
                "-c:v",
                "libvpx-vp9",
                "-pix_fmt",
                "yuv420p",
                "-b:v",
                "0",
                "-crf",
                "30",
                "-row-mt",
                "1",
            ],
        };
        // yuv420p needs even sizes: pad by one pixel where needed.
        let pad = "pad=ceil(iw/2)*2:ceil(ih/2)*2";
        let mut child = Command::new("ffmpeg")
            .args(["-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgba"])
            .args(["-s", &format!("{width}x{height}"), "-r", &format!("{fps}"), "-i", "-", "-vf", pad])
            .args(codec)
            .args(["-f", ext])
            .arg(&tmp)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => Error::Io {
                    path: path.to_owned(),
                    source: std::io::Error::other(
                        "video output needs ffmpeg, which is not installed (Debian/Ubuntu: apt-get install ffmpeg)",
                    ),
                },
                _ => Error::Io { path: path.to_owned(), source: e },
            })?;
        let stdin = child.stdin.take();
        Ok(VideoWriter {
            child: Some(child),
            stdin,
            path: path.to_owned(),
            tmp,
            width,
            height,
            frames: 0,
            finished: false,
        })
    }

    /// Appends a frame (same size as the video).
    pub fn write(&mut self, frame: &Frame) -> Result<()> {
        if (frame.width, frame.height) != (self.width, self.height) {
            return Err(Error::Size {
                width: frame.width,
                height: frame.height,
                reason: format!(
                    "a video's frames must all be {}x{}",
                    self.width, self.height
                ),
            });
        }
        let stdin = self
            .stdin
            .as_mut()
            .ok_or_else(|| Error::Output("video already finished".into()))?;
        stdin
            .write_all(&frame.rgba8())
            .map_err(|e| self.ffmpeg_failed(e))?;
        self.frames += 1;
        Ok(())
    }

    fn ffmpeg_failed(&mut self, e: std::io::Error) -> Error {
        let mut msg = format!("ffmpeg stopped: {e}");
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            if let Ok(out) = child.wait_with_output() {
                msg = format!(
                    "ffmpeg failed: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                );
            }
        }
        Error::Io {
            path: self.path.clone(),
            source: std::io::Error::other(msg),
        }
    }

    /// Closes the stream, waits for ffmpeg and renames the file into place.
    pub fn finish(mut self) -> Result<u64> {
        drop(self.stdin.take());
        let child = self
            .child
            .take()
            .ok_or_else(|| Error::Output("video already finished".into()))?;
        let out = child.wait_with_output().map_err(io_err(&self.path))?;
        if !out.status.success() {
            let _ = std::fs::remove_file(&self.tmp);
            return Err(Error::Io {
                path: self.path.clone(),
                source: std::io::Error::other(format!(
                    "ffmpeg failed: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                )),
            });
        }
        std::fs::rename(&self.tmp, &self.path).map_err(io_err(&self.path))?;
        self.finished = true;
        Ok(self.frames)
    }
}

impl Drop for VideoWriter {
    fn drop(&mut self) {
        // Not finished: an interrupted job. Stop ffmpeg and leave no partial file.
        if let Some(mut child) = self.child.take() {
            drop(self.stdin.take());
            if let Err(e) = child.kill() {
                tracing::debug!("ffmpeg already exited: {e}");
            }
            let _ = child.wait();
        }
        // Not renamed into place (interrupted, or ffmpeg failed): leave no partial file.
        if !self.finished && self.tmp.exists() {
            if let Err(e) = std::fs::remove_file(&self.tmp) {
                tracing::warn!("could not remove {}: {e}", self.tmp.display());
            }
        }
    }
}

/// Writes an animated GIF frame by frame (no ffmpeg needed).
pub struct GifWriter {
    encoder: Option<image::codecs::gif::GifEncoder<std::io::BufWriter<std::fs::File>>>,
    path: PathBuf,
    tmp: PathBuf,
    delay: image::Delay,
}

impl GifWriter {
    pub fn new(path: &Path, fps: f64) -> Result<GifWriter> {
        let tmp = temporary_path(path);
        let file = std::fs::File::create(&tmp).map_err(io_err(path))?;
        let encoder =
            image::codecs::gif::GifEncoder::new_with_speed(std::io::BufWriter::new(file), 10);
        let ms = (1000.0 / fps.max(0.001)).round() as u32;
        // Built before anything else can fail, so `Drop` removes the temporary file.
        let mut writer = GifWriter {
            encoder: Some(encoder),
            path: path.to_owned(),
            tmp,
            delay: image::Delay::from_numer_denom_ms(ms, 1),
        };
        if let Some(enc) = writer.encoder.as_mut() {
            enc.set_repeat(image::codecs::gif::Repeat::Infinite)
                .map_err(encode_err(path))?;
        }
        Ok(writer)
    }

    pub fn write(&mut self, frame: &Frame) -> Result<()> {
        let buf = image::RgbaImage::from_raw(frame.width, frame.height, frame.to_rgba8())
            .ok_or_else(|| Error::Output("frame buffer has the wrong size".into()))?;
        let enc = self
            .encoder
            .as_mut()
            .ok_or_else(|| Error::Output("GIF already finished".into()))?;
        enc.encode_frame(image::Frame::from_parts(buf, 0, 0, self.delay))
            .map_err(encode_err(&self.path))
    }

    pub fn finish(mut self) -> Result<()> {
        drop(self.encoder.take());
        std::fs::rename(&self.tmp, &self.path).map_err(io_err(&self.path))
    }
}

impl Drop for GifWriter {
    fn drop(&mut self) {
        if self.encoder.take().is_some() && self.tmp.exists() {
            if let Err(e) = std::fs::remove_file(&self.tmp) {
                tracing::warn!("could not remove {}: {e}", self.tmp.display());
            }
        }
    }
}
