//! isfkit-batch: batch jobs as schema, plan and executor, shared by `isf batch` and any other
//! runner (the Python package's Ray runner) so they all run the same job files the same way.
//!
//! - [`schema`]: the job file as written (serde types, both layouts).
//! - [`plan`]: [`Plan::load`] expands and checks a job file, listing every problem at once
//!   ([`PlanError`]), and yields self-contained, serializable [`Task`]s.
//! - [`executor`]: [`run_task`] runs one task on an [`isfkit_render::Engine`] (resume
//!   included) and returns a [`TaskResult`]; [`Summary`] is the JSON `isf batch --json` prints.
//! - [`runner`]: [`Runner`], an engine and an encoder pool set up once, that every face
//!   (`isf render`, `isf batch` and its workers, Python, Ray) runs tasks through.
//! - [`frame_pattern`]: the frame number in an output name (`%04d`, `{frame:04}`), with
//!   printf's meaning.
//! - [`parts`]: [`join_parts`] joins a video cut across workers back into one file.
//! - [`worker`]: the messages of the isolated-worker protocol and the worker side ([`serve`]).
//!
//! Progress display, Ctrl-C handling, spawning and killing worker processes and exit codes are
//! the runner's business (the CLI's `batch` module).

// Proving an engine handle `Send` for the preparing threads walks wgpu's and naga's types
// deeper than the default limit.
#![recursion_limit = "256"]

mod ahead;
pub mod executor;
pub mod keys;
pub mod lead_in;
pub mod limits;
pub mod media;
pub mod parts;
pub mod plan;
pub mod runner;
pub mod schema;
pub mod worker;

pub use isfkit_media::frame_pattern;

pub use executor::{engine_config, run_task, Failure, RunOptions, Summary, TaskError, TaskResult};
pub use parts::join_parts;
pub use plan::{parse_size, FrameAt, Output, Plan, PlanError, StillFormat, Task, VideoCodec};
pub use runner::{Runner, RunnerConfig};
pub use schema::{Entry, FramesSpec, JobFile};
pub use worker::{serve, WorkerEvent, WorkerRequest};
