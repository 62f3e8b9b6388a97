//! What a server allows: limits on every request, the worker pool, file access, auth, origins.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

/// Limits on one request. Every one is configurable (`isf serve --max-...`) and each refusal
/// names the limit and the field.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Largest `width` (pixels).
    pub max_width: u32,
    /// Largest `height` (pixels).
    pub max_height: u32,
    /// Most `time_codes` in one render request.
    pub max_frames: usize,
    /// Most pixels one render request may return: width x height x frames.
    pub max_pixels: u64,
    /// Largest HTTP request body, in bytes.
    pub max_body: usize,
    /// Longest `shader_content` (and vertex shader), in bytes.
    pub max_source: usize,
    /// Most frames a stateful shader may render before its requested times (its lead-in).
    pub max_lead_in: u64,
    /// A render's deadline when the request names none.
    pub deadline: Duration,
    /// The longest deadline a request may ask for.
    pub max_deadline: Duration,
    /// Renders waiting for a worker; past it a request is refused (HTTP 503).
    pub queue: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_width: 4096,
            max_height: 4096,
            max_frames: 10,
            max_pixels: 40_000_000,
            max_body: 32 << 20,
            max_source: 512 << 10,
            max_lead_in: 1800,
            deadline: Duration::from_secs(10),
            max_deadline: Duration::from_secs(60),
            queue: 64,
        }
    }
}

/// Everything a service needs to start.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub limits: Limits,
    /// Worker processes (0 = one per core).
    pub workers: usize,
    /// Requests may name files (`shader_path`) under this folder only; `None`: no file
    /// access from requests at all.
    pub allow_dir: Option<PathBuf>,
    /// HTTP: every route but `/healthz` requires `Authorization: Bearer TOKEN`.
    pub token: Option<String>,
    /// HTTP: origins whose pages may call the server besides this machine's
    /// (`--allow-origin`); a request with any other `Origin` is refused ([`crate::origin`]).
    pub allow_origins: Vec<crate::origin::Origin>,
    /// How to start a render worker: the program and its arguments (`isf __serve-worker`).
    pub worker_command: (PathBuf, Vec<OsString>),
    /// Graphics backend the workers use (`auto`, `vulkan`, `gl`, ...).
    pub backend: String,
}

impl ServeConfig {
    /// The defaults, with workers started as `program args...`.
    pub fn new(program: PathBuf, args: Vec<OsString>) -> ServeConfig {
        ServeConfig {
            limits: Limits::default(),
            workers: 0,
            allow_dir: None,
            token: None,
            allow_origins: Vec::new(),
            worker_command: (program, args),
            backend: "auto".into(),
        }
    }

    /// The number of worker processes to start.
    pub fn worker_count(&self) -> usize {
        if self.workers > 0 {
            self.workers
        } else {
            std::thread::available_parallelism().map_or(2, |n| n.get())
        }
    }
}
