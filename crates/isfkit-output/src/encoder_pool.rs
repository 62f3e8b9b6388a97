//! The encoder pool: frames encoded and written on worker threads, stopped by the engine's
//! cleanup coordinator.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{bounded, Sender};
use isfkit_render::lifecycle::{Participant, Phase, Released};
use isfkit_render::Frame;

use crate::error::{OutputError, Result};
use crate::image::{write_image, ImageFormat};

struct Job {
    frame: Frame,
    path: PathBuf,
    format: ImageFormat,
}

/// Shared between the pool's owner, its workers and its coordinator participant.
struct Shared {
    workers: Mutex<Workers>,
    counts: Mutex<Counts>,
    /// Notified whenever a frame is handled or a worker ends.
    changed: Condvar,
}

struct Workers {
    sender: Option<Sender<Job>>,
    handles: Vec<JoinHandle<()>>,
}

/// Frames queued and frames handled (written or failed), for `flush`; threads still running,
/// for `flush` and `stop_workers`.
#[derive(Default)]
struct Counts {
    submitted: u64,
    handled: u64,
    running: usize,
}

impl Shared {
    fn counts(&self) -> MutexGuard<'_, Counts> {
        self.counts.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Changes the counts and wakes the waiters.
    fn update(&self, change: impl FnOnce(&mut Counts)) {
        change(&mut self.counts());
        self.changed.notify_all();
    }
}

/// Counts a frame handled when dropped, also when writing it panicked, so `flush` never
/// waits for a frame that no thread will finish.
struct HandledOnDrop<'a>(&'a Shared);

impl Drop for HandledOnDrop<'_> {
    fn drop(&mut self) {
        self.0.update(|c| c.handled += 1);
    }
}

/// Counts a worker ended when dropped, however its thread ends.
struct RunningOnDrop(Arc<Shared>);

impl Drop for RunningOnDrop {
    fn drop(&mut self) {
        self.0.update(|c| c.running -= 1);
    }
}

/// Encodes and writes frames on a pool of threads. `submit` blocks while the queue is full,
/// so memory stays bounded by `threads + queue` frames whatever the frame count.
pub struct EncoderPool {
    shared: Arc<Shared>,
    errors: Arc<Mutex<Vec<String>>>,
    written: Arc<AtomicU64>,
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
        let (tx, rx) = bounded::<Job>(queue.clamp(1, MAX_ENCODER_QUEUE));
        let shared = Arc::new(Shared {
            workers: Mutex::new(Workers {
                sender: Some(tx),
                handles: Vec::new(),
            }),
            counts: Mutex::new(Counts {
                running: threads,
                ..Counts::default()
            }),
            changed: Condvar::new(),
        });
        let errors: Arc<Mutex<Vec<String>>> = Arc::default();
        let written = Arc::new(AtomicU64::new(0));
        let handles = (0..threads)
            .map(|i| {
                let rx = rx.clone();
                let errors = errors.clone();
                let written = written.clone();
                let running = RunningOnDrop(shared.clone());
                std::thread::Builder::new()
                    .name(format!("isfkit-encoder-{i}"))
                    .spawn(move || {
                        // Every sender is gone and the queue is empty: no more work.
                        while let Ok(job) = rx.recv() {
                            let _handled = HandledOnDrop(&running.0);
                            match write_image(&job.frame, &job.path, job.format) {
                                Ok(()) => {
                                    written.fetch_add(1, Ordering::Relaxed);
                                }
                                Err(e) => errors
                                    .lock()
                                    .unwrap_or_else(|p| p.into_inner())
                                    .push(e.to_string()),
                            }
                        }
                    })
                    .expect("spawning an encoder thread")
            })
            .collect();
        shared.workers().handles = handles;
        EncoderPool {
            shared,
            errors,
            written,
        }
    }

    /// Queues a frame to be written; blocks while the queue is full.
    pub fn submit(&self, frame: Frame, path: PathBuf, format: ImageFormat) -> Result<()> {
        let sender = self.shared.workers().sender.clone();
        let sender = sender.ok_or(OutputError::Stopped)?;
        sender
            .send(Job {
                frame,
                path,
                format,
            })
            .map_err(|_| OutputError::Stopped)?;
        self.shared.update(|c| c.submitted += 1);
        Ok(())
    }

    /// Waits until every frame queued so far is written (or has failed); the threads keep
    /// running for more work.
    pub fn flush(&self) {
        let mut counts = self.shared.counts();
        let target = counts.submitted;
        // No thread running: nothing more will be handled.
        while counts.handled < target && counts.running > 0 {
            counts = self
                .shared
                .changed
                .wait(counts)
                .unwrap_or_else(|p| p.into_inner());
        }
    }

    /// Files written so far.
    pub fn written(&self) -> u64 {
        self.written.load(Ordering::Relaxed)
    }

    /// Write errors so far (taken: each is reported once).
    pub fn take_errors(&self) -> Vec<String> {
        std::mem::take(&mut *self.errors.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Waits for every queued frame to be written and stops the threads.
    pub fn finish(&self) -> Result<u64> {
        stop_workers(&self.shared, Duration::from_secs(3600)).map_err(OutputError::Workers)?;
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
            shared: self.shared.clone(),
            deadline,
        })
    }
}

impl Drop for EncoderPool {
    fn drop(&mut self) {
        if let Err(e) = stop_workers(&self.shared, Duration::from_secs(60)) {
            tracing::warn!("encoder pool: {e}");
        }
    }
}

impl Shared {
    fn workers(&self) -> MutexGuard<'_, Workers> {
        self.workers.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Closes the queue and joins the workers, giving up after `deadline`. Returns how many
/// threads were joined.
fn stop_workers(shared: &Shared, deadline: Duration) -> std::result::Result<u64, String> {
    let handles = {
        let mut w = shared.workers();
        w.sender = None;
        std::mem::take(&mut w.handles)
    };
    if handles.is_empty() {
        return Ok(0); // stopped already (or being stopped by another caller)
    }
    // The workers write what is queued, then find the queue closed and end.
    let started = Instant::now();
    let mut counts = shared.counts();
    while counts.running > 0 {
        let Some(left) = deadline.checked_sub(started.elapsed()) else {
            return Err(format!(
                "{} encoder thread(s) did not stop within {deadline:?}; a write is probably stuck on a slow disk",
                counts.running
            ));
        };
        counts = shared
            .changed
            .wait_timeout(counts, left)
            .unwrap_or_else(|p| p.into_inner())
            .0;
    }
    drop(counts);
    let n = handles.len() as u64;
    for h in handles {
        if h.join().is_err() {
            return Err("an encoder thread panicked".into());
        }
    }
    Ok(n)
}

struct EncoderParticipant {
    shared: Arc<Shared>,
    deadline: Duration,
}

impl Participant for EncoderParticipant {
    fn name(&self) -> &str {
        "encoder pool"
    }
    fn phase(&self) -> Phase {
        Phase::StopWorkers
    }
    fn release(&mut self) -> std::result::Result<Released, isfkit_render::ReleaseError> {
        let count = stop_workers(&self.shared, self.deadline)?;
        Ok(Released { count, bytes: 0 })
    }
}
