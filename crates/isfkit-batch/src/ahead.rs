//! Preparing the next tasks while the current one renders. Most of a shader's first frame is
//! the driver compiling its pipelines, on the thread that asks, one shader after another. A
//! runner told its plan ([`crate::Runner::prepare`]) loads the next tasks' shaders and builds
//! their pipelines on threads of their own ([`isfkit_render::Scene::prepare`]), in plan
//! order, a bounded number ahead; the task's run then takes its scene ready.
//!
//! Preparing only saves time: a task whose preparation failed (or was not reached yet, or
//! was passed over) loads its shader in its own run as before, so every error is the one the
//! task's run gives, reported against that task.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;

use isfkit_render::{Engine, RenderOptions, Scene};

use crate::plan::Task;

/// A task of the plan and where its preparation stands.
struct Slot {
    task: Arc<Task>,
    state: SlotState,
}

enum SlotState {
    Waiting,
    Preparing,
    /// Prepared (`None`: preparing failed; the run loads the shader itself).
    Done(Option<Scene>),
}

#[derive(Default)]
struct Queue {
    /// The tasks not yet run, in plan order.
    slots: VecDeque<Slot>,
    stop: bool,
}

struct Inner {
    queue: Mutex<Queue>,
    changed: Condvar,
    /// How many tasks past the next one may be prepared (or preparing) at once.
    window: usize,
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Threads preparing the tasks of a plan on an engine.
pub(crate) struct Ahead {
    inner: Arc<Inner>,
    threads: Vec<JoinHandle<()>>,
}

impl Ahead {
    /// Prepares `tasks` (in plan order) on `threads` threads, at most `threads` tasks ahead.
    pub(crate) fn start(engine: Arc<Engine>, tasks: &[Task], threads: usize) -> Ahead {
        let threads = threads.max(1);
        let inner = Arc::new(Inner {
            queue: Mutex::new(Queue {
                slots: tasks
                    .iter()
                    .filter(|t| t.broken.is_none())
                    .map(|t| Slot {
                        task: Arc::new(t.clone()),
                        state: SlotState::Waiting,
                    })
                    .collect(),
                stop: false,
            }),
            changed: Condvar::new(),
            window: threads,
        });
        let threads = (0..threads)
            .filter_map(|_| {
                let inner = inner.clone();
                let engine = engine.clone();
                std::thread::Builder::new()
                    .name("isfkit-prepare".into())
                    .stack_size(isfkit_render::glsl::nesting::NAGA_STACK_BYTES)
                    .spawn(move || prepare_loop(&inner, &engine))
                    .ok()
            })
            .collect();
        Ahead { inner, threads }
    }

    /// The prepared scene of `task` if there is one: tasks planned before it that were not
    /// run are passed over; a preparation under way is waited for; one not begun is left to
    /// the caller (the threads go on with the tasks after it meanwhile).
    pub(crate) fn take(&self, task: &Task) -> Option<Scene> {
        let mut q = self.inner.lock();
        let at = q.slots.iter().position(|s| *s.task == *task)?;
        // Passed over: dropped now, or by the thread preparing it when it is done.
        q.slots.drain(..at);
        loop {
            match q.slots.front().map(|s| &s.state) {
                Some(SlotState::Preparing) => {
                    q = self
                        .inner
                        .changed
                        .wait(q)
                        .unwrap_or_else(|p| p.into_inner());
                }
                Some(SlotState::Waiting) => {
                    q.slots.pop_front();
                    self.inner.changed.notify_all();
                    return None;
                }
                Some(SlotState::Done(_)) => {
                    let slot = q.slots.pop_front().expect("front seen");
                    self.inner.changed.notify_all();
                    return match slot.state {
                        SlotState::Done(scene) => scene,
                        _ => None,
                    };
                }
                // Taken off by a later call (the same task planned twice).
                None => return None,
            }
        }
    }
}

impl Drop for Ahead {
    /// Stops the threads after the preparations under way and drops every prepared scene.
    fn drop(&mut self) {
        self.inner.lock().stop = true;
        self.inner.changed.notify_all();
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
        self.inner.lock().slots.clear();
    }
}

/// One thread: prepares the first waiting task within the window until told to stop.
fn prepare_loop(inner: &Inner, engine: &Engine) {
    loop {
        let task = {
            let mut q = inner.lock();
            loop {
                if q.stop {
                    return;
                }
                let window = inner.window;
                if let Some(slot) = q
                    .slots
                    .iter_mut()
                    .take(window)
                    .find(|s| matches!(s.state, SlotState::Waiting))
                {
                    slot.state = SlotState::Preparing;
                    break slot.task.clone();
                }
                q = inner.changed.wait(q).unwrap_or_else(|p| p.into_inner());
            }
        };
        // A panic while preparing must still end the slot, or its run would wait forever.
        let scene =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| prepare(engine, &task)))
                .unwrap_or(None);
        let mut q = inner.lock();
        if let Some(slot) = q.slots.iter_mut().find(|s| Arc::ptr_eq(&s.task, &task)) {
            slot.state = SlotState::Done(scene);
        }
        drop(q);
        inner.changed.notify_all();
    }
}

/// Loads `task`'s shader and builds its pipelines for the task's formats.
fn prepare(engine: &Engine, task: &Task) -> Option<Scene> {
    let scene = match &task.source {
        Some(text) => engine.load_source(text, None),
        None => engine.load(&task.shader),
    };
    let scene = scene
        .map_err(|e| tracing::debug!("preparing {}: {e}", task.origin))
        .ok()?;
    let mut opts = RenderOptions::new(task.width, task.height, task.start);
    opts.float_output = task.float;
    match scene.prepare(&opts) {
        Ok(()) => Some(scene),
        Err(e) => {
            tracing::debug!("preparing {}: {e}", task.origin);
            None
        }
    }
}
