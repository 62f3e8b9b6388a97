//! Animated output: video through ffmpeg and animated GIF, each written under a temporary
//! name and renamed when finished.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};

use tempfile::TempPath;

use isfkit_render::Frame;

use crate::error::{encode_err, io_err, OutputError, Result};
use crate::image::{discard_temporary, persist_temporary, temporary_file};

/// A child's stderr, read on a thread for as long as the child writes it, keeping the last
/// [`StderrTail::KEEP`] bytes. A pipe holds about 64 KiB: a child that writes more than that
/// to a pipe nobody reads blocks, and so stops reading the frames written to its stdin.
pub struct StderrTail {
    reader: std::thread::JoinHandle<Vec<u8>>,
}

impl StderrTail {
    /// How much of the end of the text is kept (the reason for a failure is at the end).
    pub const KEEP: usize = 16 * 1024;

    /// Starts draining `stream` on a thread.
    pub fn drain(mut stream: impl std::io::Read + Send + 'static) -> StderrTail {
        let reader = std::thread::spawn(move || {
            let mut kept = Vec::new();
            let mut buf = [0u8; 8192];
            loop {
                match stream.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        kept.extend_from_slice(&buf[..n]);
                        if kept.len() > 2 * Self::KEEP {
                            kept.drain(..kept.len() - Self::KEEP);
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(_) => break,
                }
            }
            if kept.len() > Self::KEEP {
                kept.drain(..kept.len() - Self::KEEP);
            }
            kept
        });
        StderrTail { reader }
    }

    /// Waits for the end of the stream (the child has exited or closed it) and returns the
    /// kept text, trimmed.
    pub fn finish(self) -> String {
        let bytes = self.reader.join().unwrap_or_default();
        String::from_utf8_lossy(&bytes).trim().to_owned()
    }
}

/// Video container/codec chosen from the output's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VideoFormat {
    /// H.264 in MP4.
    Mp4,
    /// VP9 in WebM.
    WebM,
    /// FFV1 in Matroska: lossless RGBA, alpha kept; every frame a key frame, so parts join
    /// without loss.
    Mkv,
    /// An uncompressed YUV4MPEG2 stream (4:2:0) on standard output, for a pipe into another
    /// tool: the output `-`.
    Y4mStdout,
}

impl VideoFormat {
    /// ffmpeg's name for the container.
    fn muxer(self) -> &'static str {
        match self {
            VideoFormat::Mp4 => "mp4",
            VideoFormat::WebM => "webm",
            VideoFormat::Mkv => "matroska",
            VideoFormat::Y4mStdout => "yuv4mpegpipe",
        }
    }

    pub fn from_path(path: &Path) -> Option<VideoFormat> {
        if path == Path::new("-") {
            return Some(VideoFormat::Y4mStdout);
        }
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "mp4" | "mov" | "m4v" => Some(VideoFormat::Mp4),
            "webm" => Some(VideoFormat::WebM),
            "mkv" => Some(VideoFormat::Mkv),
            _ => None,
        }
    }
}

/// A sound muxed into a video: `duration` seconds of `sound` from `start` seconds (the
/// render's first frame time), silence where the sound has none, so the audio stream is as
/// long as the video (AAC in MP4, Opus in WebM).
#[derive(Debug, Clone)]
pub struct AudioTrack {
    pub sound: std::sync::Arc<isfkit_render::Sound>,
    pub start: f64,
    pub duration: f64,
}

/// The sound segment written for ffmpeg to read (`isfkit-sound-XXXXXX.wav` in the temporary
/// folder), removed when the writer is done.
struct TempSound(Option<TempPath>);

impl TempSound {
    fn write(track: &AudioTrack, video: &Path) -> Result<TempSound> {
        let failed = |e: &dyn std::fmt::Display| OutputError::Ffmpeg {
            path: video.to_owned(),
            message: format!("cannot prepare the sound track: {e}"),
        };
        let tmp = tempfile::Builder::new()
            .prefix("isfkit-sound-")
            .suffix(".wav")
            .tempfile()
            .map_err(|e| failed(&e))?
            .into_temp_path();
        let tmp = TempSound(Some(tmp));
        write_wav_segment(&track.sound, tmp.path(), track.start, track.duration)
            .map_err(|e| failed(&e))?;
        Ok(tmp)
    }

    fn path(&self) -> &Path {
        self.0.as_deref().unwrap_or(Path::new(""))
    }
}

impl Drop for TempSound {
    fn drop(&mut self) {
        if let Some(tmp) = self.0.take() {
            discard_temporary(tmp);
        }
    }
}

/// ffmpeg's arguments that mux the WAV at `wav` (input 1) beside the video (input 0): AAC
/// in MP4, Opus in WebM, FLAC in Matroska; nothing for a YUV4MPEG2 stream, which carries no
/// sound.
fn sound_args(format: VideoFormat, wav: &Path, channels: usize) -> Vec<std::ffi::OsString> {
    let codec: &[&str] = match format {
        VideoFormat::Mp4 => &["-c:a", "aac", "-b:a", "192k"],
        VideoFormat::WebM => &["-c:a", "libopus", "-b:a", "160k"],
        VideoFormat::Mkv => &["-c:a", "flac"],
        VideoFormat::Y4mStdout => return Vec::new(),
    };
    let mut a: Vec<std::ffi::OsString> = vec!["-i".into(), wav.into()];
    a.extend(["-map", "0:v:0", "-map", "1:a:0"].map(Into::into));
    a.extend(codec.iter().map(Into::into));
    // The WAV's channel mask (hound writes mono as "FL") is not a layout the encoders take:
    // ask for the standard layout of that many channels.
    a.extend(["-ac".into(), channels.to_string().into()]);
    a
}

/// Joins videos of one format, each a run of frames of one render, into `out` in order
/// without re-encoding (ffmpeg's concat demuxer, stream copy), with `audio` muxed in as
/// [`VideoWriter::with_audio`] muxes it. Atomic: `out` appears whole or not at all. The
/// parts are left for the caller to remove.
pub fn join_videos(parts: &[PathBuf], out: &Path, audio: Option<&AudioTrack>) -> Result<()> {
    let format = VideoFormat::from_path(out)
        .filter(|f| *f != VideoFormat::Y4mStdout)
        .ok_or_else(|| OutputError::Ffmpeg {
            path: out.to_owned(),
            message: "only video files (.mp4, .webm, .mkv) can be joined".into(),
        })?;
    let failed = |message: String| OutputError::Ffmpeg {
        path: out.to_owned(),
        message,
    };
    // The concat demuxer's list: one `file '...'` line per part, quotes escaped.
    let mut list = tempfile::Builder::new()
        .prefix("isfkit-join-")
        .suffix(".txt")
        .tempfile()
        .map_err(|e| failed(format!("cannot write the list of parts: {e}")))?;
    for p in parts {
        let abs = std::path::absolute(p).map_err(io_err(p))?;
        let quoted = abs.display().to_string().replace('\'', "'\\''");
        writeln!(list, "file '{quoted}'")
            .map_err(|e| failed(format!("cannot write the list of parts: {e}")))?;
    }
    list.flush()
        .map_err(|e| failed(format!("cannot write the list of parts: {e}")))?;
    let sound = audio.map(|a| TempSound::write(a, out)).transpose()?;
    let audio_args = match (&sound, audio) {
        (Some(t), Some(track)) => sound_args(format, t.path(), track.sound.channel_count()),
        _ => Vec::new(),
    };
    let tmp = temporary_file(out)?.into_temp_path();
    let output = Command::new("ffmpeg")
        .args([
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "concat",
            "-safe",
            "0",
            "-i",
        ])
        .arg(list.path())
        .args(&audio_args)
        .args(["-c:v", "copy", "-f", format.muxer()])
        .arg(&*tmp)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => OutputError::FfmpegMissing {
                path: out.to_owned(),
                source: e,
            },
            _ => OutputError::Io {
                path: out.to_owned(),
                source: e,
            },
        })?;
    if !output.status.success() {
        discard_temporary(tmp);
        return Err(failed(format!(
            "ffmpeg could not join the parts: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    persist_temporary(tmp, out)
}

/// Pipes raw RGBA frames into `ffmpeg`, writing a temporary file renamed on `finish`.
pub struct VideoWriter {
    child: Option<Child>,
    stdin: Option<ChildStdin>,
    /// ffmpeg's stderr, drained while it runs (detached, not joined, when the writer is dropped).
    stderr: Option<StderrTail>,
    path: PathBuf,
    /// The file ffmpeg writes; taken when it is renamed into place, otherwise removed by
    /// `Drop`.
    tmp: Option<TempPath>,
    width: u32,
    height: u32,
    frames: u64,
    /// The sound track ffmpeg reads (dropped, and so removed, with the writer).
    _sound: Option<TempSound>,
}

impl VideoWriter {
    pub fn new(
        path: &Path,
        format: VideoFormat,
        width: u32,
        height: u32,
        fps: f64,
    ) -> Result<VideoWriter> {
        VideoWriter::with_audio(path, format, width, height, fps, None)
    }

    /// [`VideoWriter::new`] with a sound track muxed in (see [`AudioTrack`]).
    pub fn with_audio(
        path: &Path,
        format: VideoFormat,
        width: u32,
        height: u32,
        fps: f64,
        audio: Option<&AudioTrack>,
    ) -> Result<VideoWriter> {
        let sound = audio.map(|a| TempSound::write(a, path)).transpose()?;
        let audio_args = match (&sound, audio) {
            (Some(t), Some(track)) => sound_args(format, t.path(), track.sound.channel_count()),
            _ => Vec::new(),
        };
        // ffmpeg overwrites (`-y`) the empty file made here; a stream has no file.
        let tmp = match format {
            VideoFormat::Y4mStdout => None,
            _ => Some(temporary_file(path)?.into_temp_path()),
        };
        let ext = format.muxer();
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
            VideoFormat::Mkv => &["-c:v", "ffv1", "-level", "3", "-g", "1", "-pix_fmt", "bgra"],
            VideoFormat::Y4mStdout => &["-pix_fmt", "yuv420p"],
        };
        // yuv420p needs even sizes: pad by one pixel where needed (FFV1 takes any size).
        let pad = match format {
            VideoFormat::Mkv => "null",
            _ => "pad=ceil(iw/2)*2:ceil(ih/2)*2",
        };
        let mut child = Command::new("ffmpeg")
            .args([
                "-hide_banner",
                "-loglevel",
                "error",
                "-y",
                "-f",
                "rawvideo",
                "-pix_fmt",
                "rgba",
            ])
            .args([
                "-s",
                &format!("{width}x{height}"),
                "-r",
                &format!("{fps}"),
                "-i",
                "-",
            ])
            .args(&audio_args)
            .args(["-vf", pad])
            .args(codec)
            .args(["-f", ext])
            .arg(tmp.as_deref().unwrap_or(Path::new("-")))
            .stdin(Stdio::piped())
            .stdout(if tmp.is_some() {
                Stdio::null()
            } else {
                Stdio::inherit()
            })
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => OutputError::FfmpegMissing {
                    path: path.to_owned(),
                    source: e,
                },
                _ => OutputError::Io {
                    path: path.to_owned(),
                    source: e,
                },
            })?;
        let stdin = child.stdin.take();
        let stderr = child.stderr.take().map(StderrTail::drain);
        Ok(VideoWriter {
            child: Some(child),
            stdin,
            stderr,
            path: path.to_owned(),
            tmp,
            width,
            height,
            frames: 0,
            _sound: sound,
        })
    }

    /// Appends a frame (same size as the video).
    pub fn write(&mut self, frame: &Frame) -> Result<()> {
        if (frame.width, frame.height) != (self.width, self.height) {
            return Err(OutputError::Size {
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
            .ok_or(OutputError::Finished { what: "video" })?;
        stdin
            .write_all(&frame.rgba8())
            .map_err(|e| self.ffmpeg_failed(e))?;
        self.frames += 1;
        Ok(())
    }

    fn ffmpeg_failed(&mut self, e: std::io::Error) -> OutputError {
        let mut msg = format!("ffmpeg stopped: {e}");
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            if child.wait().is_ok() {
                msg = format!("ffmpeg failed: {}", self.stderr_text());
            }
        }
        OutputError::Ffmpeg {
            path: self.path.clone(),
            message: msg,
        }
    }

    /// What ffmpeg wrote on stderr (its last part), once it has exited.
    fn stderr_text(&mut self) -> String {
        self.stderr
            .take()
            .map(StderrTail::finish)
            .unwrap_or_default()
    }

    /// Closes the stream, waits for ffmpeg and renames the file into place.
    pub fn finish(mut self) -> Result<u64> {
        drop(self.stdin.take());
        let child = self
            .child
            .take()
            .ok_or(OutputError::Finished { what: "video" })?;
        let mut child = child;
        let status = child.wait().map_err(io_err(&self.path))?;
        let stderr = self.stderr_text();
        if !status.success() {
            if let Some(tmp) = self.tmp.take() {
                discard_temporary(tmp);
            }
            return Err(OutputError::Ffmpeg {
                path: self.path.clone(),
                message: format!("ffmpeg failed: {stderr}"),
            });
        }
        if !stderr.is_empty() {
            tracing::debug!("ffmpeg said: {stderr}");
        }
        // A stream on standard output has no file to move into place.
        if let Some(tmp) = self.tmp.take() {
            persist_temporary(tmp, &self.path)?;
        }
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
        if let Some(tmp) = self.tmp.take() {
            discard_temporary(tmp);
        }
    }
}

/// Writes an animated GIF frame by frame (no ffmpeg needed).
pub struct GifWriter {
    encoder: Option<image::codecs::gif::GifEncoder<std::io::BufWriter<std::fs::File>>>,
    path: PathBuf,
    /// Taken when the file is renamed into place, otherwise removed by `Drop`.
    tmp: Option<TempPath>,
    delay: image::Delay,
}

impl GifWriter {
    pub fn new(path: &Path, fps: f64) -> Result<GifWriter> {
        let (file, tmp) = temporary_file(path)?.into_parts();
        let encoder =
            image::codecs::gif::GifEncoder::new_with_speed(std::io::BufWriter::new(file), 10);
        let ms = (1000.0 / fps.max(0.001)).round() as u32;
        // Built before anything else can fail, so `Drop` removes the temporary file.
        let mut writer = GifWriter {
            encoder: Some(encoder),
            path: path.to_owned(),
            tmp: Some(tmp),
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
            .ok_or(OutputError::FrameBuffer)?;
        let enc = self
            .encoder
            .as_mut()
            .ok_or(OutputError::Finished { what: "GIF" })?;
        enc.encode_frame(image::Frame::from_parts(buf, 0, 0, self.delay))
            .map_err(encode_err(&self.path))
    }

    pub fn finish(mut self) -> Result<()> {
        drop(self.encoder.take());
        let tmp = self
            .tmp
            .take()
            .ok_or(OutputError::Finished { what: "GIF" })?;
        persist_temporary(tmp, &self.path)
    }
}

impl Drop for GifWriter {
    fn drop(&mut self) {
        drop(self.encoder.take());
        if let Some(tmp) = self.tmp.take() {
            discard_temporary(tmp);
        }
    }
}

/// Writes `duration` seconds of `sound` from `start` (silence outside the sound) to `path` as
/// a 32-bit float WAV file, whole or not at all (a temporary file renamed into place).
pub fn write_wav(
    sound: &isfkit_render::Sound,
    path: &Path,
    start: f64,
    duration: f64,
) -> Result<()> {
    crate::image::write_atomically(path, |tmp| {
        write_wav_segment(sound, tmp, start, duration).map_err(|e| match e {
            hound::Error::IoError(source) => OutputError::Io {
                path: path.to_owned(),
                source,
            },
            other => OutputError::Io {
                path: path.to_owned(),
                source: std::io::Error::other(other.to_string()),
            },
        })
    })
}

/// Writes `duration` seconds of `sound` from `start` (silence outside the sound) as a 32-bit
/// float WAV file: the sound track muxed into a video, exactly as long as the video.
pub fn write_wav_segment(
    sound: &isfkit_render::Sound,
    path: &Path,
    start: f64,
    duration: f64,
) -> std::result::Result<(), hound::Error> {
    let len = (duration.max(0.0) * sound.sample_rate() as f64).round() as usize;
    let seg = sound.segment(sound.sample_at(start), len);
    let spec = hound::WavSpec {
        channels: sound.channel_count() as u16,
        sample_rate: sound.sample_rate(),
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    };
    let mut w = hound::WavWriter::create(path, spec)?;
    for i in 0..len {
        for ch in &seg {
            w.write_sample(ch[i])?;
        }
    }
    w.finalize()
}
