//! The encoder pool: frames encoded and written on worker threads, stopped by the engine's
//! cleanup coordinator.

use std::path::PathBuf;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use isfkit_render::lifecycle::{Participant, Phase, Released};
use isfkit_render::Frame;

use crate::error::{OutputError, Result};
use crate::image::{write_image, ImageFormat};

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

/// The most encoder threads a pool starts: 256 (more are clamped to it; `isf batch
/// --threads` refuses more with an error naming the limit).
pub const MAX_ENCODER_THREADS: usize = 256;

/// The longest queue of a pool, in frames: 1,024 (longer is clamped to it).
pub const MAX_ENCODER_QUEUE: usize = 1_024;

impl EncoderPool {
    /// `threads` workers (0 = one per core; at most [`MAX_ENCODER_THREADS`]) and a queue of
    /// `queue` frames (1 to [`MAX_ENCODER_QUEUE`]).
    pub fn new(threads: usize, queue: usize) -> EncoderPool {
        let threads = if threads == 0 {
            std::thread::available_parallelism().map_or(2, |n| n.get())
        } else {
            threads
        }
        .min(MAX_ENCODER_THREADS);
        let (tx, rx) = sync_channel::<Job>(queue.clamp(1, MAX_ENCODER_QUEUE));
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
        let sender = sender.ok_or(OutputError::Stopped)?;
        sender
            .send(Job {
                frame,
                path,
                format,
            })
            .map_err(|_| OutputError::Stopped)?;
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
        stop_workers(&self.workers, Duration::from_secs(3600)).map_err(OutputError::Workers)?;
        let errors = self.take_errors();
        if errors.is_empty() {
            Ok(self.written())
        } else {
            Err(OutputError::Failed { errors })
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
