//! Recording: frames go to a writer thread (mp4 through ffmpeg, or a PNG sequence) through
//! isfkit-output, the code `isf render` and `isf batch` write with: files appear under a
//! temporary name and are renamed when complete.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, SyncSender};
use std::thread::JoinHandle;

use isfkit_output::{write_image, ImageFormat, PngCompression, VideoFormat, VideoWriter};
use isfkit_render::Frame;

/// Where a recording goes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Target {
    /// An H.264 mp4 file.
    Video(PathBuf),
    /// A folder of numbered PNGs (`frame_00000.png`, ...).
    Sequence(PathBuf),
}

impl Target {
    pub fn path(&self) -> &Path {
        match self {
            Target::Video(p) | Target::Sequence(p) => p,
        }
    }
}

pub(crate) struct Recorder {
    pub target: Target,
    sender: Option<SyncSender<Frame>>,
    thread: Option<JoinHandle<Result<u64, String>>>,
    pub size: (u32, u32),
    pub sent: u64,
}

impl Recorder {
    /// Starts a recording of `width`x`height` frames at `fps`.
    pub fn start(target: Target, width: u32, height: u32, fps: f64) -> Result<Recorder, String> {
        let (tx, rx) = sync_channel::<Frame>(4);
        let thread = match &target {
            Target::Video(path) => {
                let mut writer = VideoWriter::new(path, VideoFormat::Mp4, width, height, fps)
                    .map_err(|e| format!("cannot record {}: {e}", path.display()))?;
                std::thread::Builder::new()
                    .name("isf preview recorder".into())
                    .spawn(move || {
                        for frame in rx {
                            writer.write(&frame).map_err(|e| e.to_string())?;
                        }
                        writer.finish().map_err(|e| e.to_string())
                    })
            }
            Target::Sequence(dir) => {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                let dir = dir.clone();
                std::thread::Builder::new()
                    .name("isf preview recorder".into())
                    .spawn(move || {
                        let format = ImageFormat::Png {
                            bits: 8,
                            compression: PngCompression::Fast,
                        };
                        let mut n = 0u64;
                        for frame in rx {
                            let path = dir.join(format!("frame_{n:05}.png"));
                            write_image(&frame, &path, format).map_err(|e| e.to_string())?;
                            n += 1;
                        }
                        Ok(n)
                    })
            }
        }
        .map_err(|e| format!("cannot start the recorder thread: {e}"))?;
        Ok(Recorder {
            target,
            sender: Some(tx),
            thread: Some(thread),
            size: (width, height),
            sent: 0,
        })
    }

    /// Hands a frame to the writer (waits while 4 frames are queued). A frame of another
    /// size than the recording's is an error: the render size must stay fixed while
    /// recording.
    pub fn push(&mut self, frame: Frame) -> Result<(), String> {
        if (frame.width, frame.height) != self.size {
            return Err(format!(
                "the render size changed to {}x{} while recording at {}x{}",
                frame.width, frame.height, self.size.0, self.size.1
            ));
        }
        let tx = self.sender.as_ref().ok_or("the recording is stopped")?;
        if tx.send(frame).is_err() {
            // The writer stopped on an error: stop() reports it.
            return Err(self
                .stop()
                .err()
                .unwrap_or_else(|| "the recorder stopped".into()));
        }
        self.sent += 1;
        Ok(())
    }

    /// Finishes the recording: the writer writes what is queued, then the file is renamed
    /// into place. Returns the frames written.
    pub fn stop(&mut self) -> Result<u64, String> {
        drop(self.sender.take());
        match self.thread.take() {
            Some(t) => t
                .join()
                .map_err(|_| "the recorder thread panicked".to_owned())?,
            None => Err("the recording was already stopped".into()),
        }
    }
}

/// `base`, or `base` with `_2`, `_3`, ... before the extension: the first name not taken.
pub(crate) fn free_name(dir: &Path, stem: &str, ext: &str) -> PathBuf {
    let dot = if ext.is_empty() { "" } else { "." };
    let mut n = 1;
    loop {
        let name = if n == 1 {
            format!("{stem}{dot}{ext}")
        } else {
            format!("{stem}_{n}{dot}{ext}")
        };
        let p = dir.join(name);
        if !p.exists() {
            return p;
        }
        n += 1;
    }
}

/// Whether ffmpeg can be started (recording to mp4 needs it).
pub(crate) fn have_ffmpeg() -> bool {
    std::process::Command::new("ffmpeg")
        .arg("-version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}
