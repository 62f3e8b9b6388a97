//! The one runner: an engine and an encoder pool set up together, running tasks. `isf
//! render` (a one-task job), `isf batch` in process and in its isolated workers, Python's
//! batch runner and the Ray actors all render through it.

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use isfkit_output::{EncoderPool, OutputError};
use isfkit_render::{Backend, CleanupReport, Engine, Error};

use crate::ahead::Ahead;
use crate::executor::{run_prepared, RunOptions, TaskResult};
use crate::plan::Task;

/// How to set a runner up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunnerConfig {
    /// How long one frame may take on the GPU before the device is declared hung.
    pub deadline: Duration,
    pub backend: Backend,
    /// Encoder threads (0: one per core).
    pub threads: usize,
    /// Frames kept in flight on the GPU; the encoders' queue holds twice as many.
    pub in_flight: usize,
}

impl Default for RunnerConfig {
    fn default() -> Self {
        RunnerConfig {
            deadline: Duration::from_secs(120),
            backend: Backend::Auto,
            threads: 0,
            in_flight: 3,
        }
    }
}

/// An engine with an encoder pool registered as a participant of its shutdown (the pool
/// stops, writing what it holds, before the GPU objects are released).
pub struct Runner {
    /// Threads preparing the plan's next tasks (see [`Runner::prepare`]); stopped first.
    ahead: Mutex<Option<Ahead>>,
    engine: Arc<Engine>,
    encoders: EncoderPool,
}

impl Runner {
    /// Starts an engine (IMPORTED images read with isfkit-media) and an encoder pool.
    pub fn new(config: RunnerConfig) -> Result<Runner, Error> {
        let mut engine_config = crate::executor::engine_config(config.deadline);
        engine_config.backend = config.backend;
        let engine = Engine::new(engine_config)?;
        let encoders = EncoderPool::new(config.threads, config.in_flight.max(2).saturating_mul(2));
        engine.register_participant(encoders.participant(Duration::from_secs(60)))?;
        Ok(Runner {
            ahead: Mutex::new(None),
            engine: Arc::new(engine),
            encoders,
        })
    }

    /// Tells the runner the tasks it will be asked to run, in order: their shaders are loaded
    /// and their pipelines built on threads of their own (one per core), a few tasks ahead of
    /// the one running, so a plan of many shaders compiles them side by side. Each task still
    /// runs (and fails) as it would alone; a task run out of order or not at all is passed
    /// over. A later call replaces the plan.
    pub fn prepare(&self, tasks: &[Task]) {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let mut ahead = self.ahead.lock().unwrap_or_else(|p| p.into_inner());
        // The old threads stop (and drop what they prepared) before new ones start.
        drop(ahead.take());
        *ahead = Some(Ahead::start(self.engine.clone(), tasks, threads));
    }

    /// Runs `task` (see [`run_task`]); `on_frame` is called once per frame handed over for
    /// writing.
    pub fn run(
        &self,
        task: &Task,
        options: &RunOptions,
        interrupted: &AtomicBool,
        on_frame: &mut dyn FnMut(),
    ) -> TaskResult {
        let prepared = self
            .ahead
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .and_then(|a| a.take(task));
        run_prepared(
            &self.engine,
            task,
            prepared,
            options,
            &self.encoders,
            interrupted,
            on_frame,
        )
    }

    /// The engine, for what is not a task (a test hook, a re-initialisation check).
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Whether a frame passed its deadline and its work still runs on the GPU (later frames
    /// in this process would not finish either).
    pub fn has_hung_work(&self) -> bool {
        self.engine.has_hung_work()
    }

    /// Writes every queued frame, then shuts the engine down: the frames the pool wrote (or
    /// its error) and the cleanup report.
    pub fn finish(self) -> (Result<u64, OutputError>, CleanupReport) {
        drop(self.ahead.lock().unwrap_or_else(|p| p.into_inner()).take());
        let written = self.encoders.finish();
        (written, self.engine.shutdown())
    }
}
