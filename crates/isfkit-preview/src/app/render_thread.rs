//! The preview's render thread: a frame renders (and is read back) there while the
//! window's thread runs the UI and presents the frame before it, so the two overlap instead
//! of following each other. One frame at a time is in flight; the window shows it on its
//! next pass.

use std::sync::mpsc::{channel, Receiver, Sender};
use std::thread::JoinHandle;
use std::time::Instant;

use isfkit_render::{Frame, RenderOptions, Scene};

/// A frame to render.
struct Job {
    scene: Scene,
    opts: RenderOptions,
}

/// A rendered frame (or why not), with the scene that rendered it.
pub(super) struct Done {
    pub scene: Scene,
    pub result: isfkit_render::Result<Frame>,
    /// Render and read-back, in ms.
    pub ms: f64,
}

pub(super) struct RenderThread {
    jobs: Option<Sender<Job>>,
    done: Receiver<Done>,
    thread: Option<JoinHandle<()>>,
    in_flight: bool,
}

impl RenderThread {
    pub(super) fn start() -> std::io::Result<RenderThread> {
        let (jobs, job_rx) = channel::<Job>();
        let (done_tx, done) = channel();
        let thread = std::thread::Builder::new()
            .name("isf-preview-render".into())
            .spawn(move || {
                for Job { scene, opts } in job_rx {
                    let t0 = Instant::now();
                    let result = scene.render(&opts);
                    let ms = t0.elapsed().as_secs_f64() * 1000.0;
                    if done_tx.send(Done { scene, result, ms }).is_err() {
                        break;
                    }
                }
            })?;
        Ok(RenderThread {
            jobs: Some(jobs),
            done,
            thread: Some(thread),
            in_flight: false,
        })
    }

    /// Whether a frame is rendering.
    pub(super) fn busy(&self) -> bool {
        self.in_flight
    }

    /// Starts rendering `scene` with `opts`; the caller collects the frame with
    /// [`RenderThread::wait`] before starting another. `false` when the thread has ended (it
    /// panicked, or was stopped).
    pub(super) fn start_frame(&mut self, scene: Scene, opts: RenderOptions) -> bool {
        debug_assert!(!self.in_flight);
        if let Some(jobs) = &self.jobs {
            self.in_flight = jobs.send(Job { scene, opts }).is_ok();
        }
        self.in_flight
    }

    /// The frame in flight, once it is done; `None` when none is.
    pub(super) fn wait(&mut self) -> Option<Done> {
        if !std::mem::take(&mut self.in_flight) {
            return None;
        }
        self.done.recv().ok()
    }

    /// Waits for the frame in flight (dropping it) and ends the thread: the engine's
    /// shutdown then finds no render running and no scene held here.
    pub(super) fn stop(&mut self) {
        drop(self.wait());
        self.jobs = None;
        if let Some(t) = self.thread.take() {
            if t.join().is_err() {
                tracing::error!("the preview's render thread panicked");
            }
        }
    }
}

impl Drop for RenderThread {
    fn drop(&mut self) {
        self.stop();
    }
}
