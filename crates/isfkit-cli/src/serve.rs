//! `isf serve`, `isf mcp` and the hidden `isf __serve-worker`: argument parsing only; the
//! service is isfkit-serve's.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use isfkit_serve::{Limits, ServeConfig};

use crate::{parse_seconds, Failure};

#[derive(Args)]
pub struct CommonArgs {
    /// Render worker processes (0 = one per core).
    #[arg(long, default_value_t = 0)]
    workers: usize,
    /// Seconds a render may take when the request names no deadline; past it the worker
    /// is killed and replaced.
    #[arg(long, default_value_t = 10.0, value_parser = parse_seconds)]
    deadline: f64,
    /// The longest deadline a request may ask for (seconds).
    #[arg(long, default_value_t = 60.0, value_parser = parse_seconds)]
    max_deadline: f64,
    /// Renders that may wait for a worker; past it requests are refused (HTTP 503).
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    queue: u32,
    /// Largest width of a render.
    #[arg(long, default_value_t = 4096, value_parser = clap::value_parser!(u32).range(1..=16384))]
    max_width: u32,
    /// Largest height of a render.
    #[arg(long, default_value_t = 4096, value_parser = clap::value_parser!(u32).range(1..=16384))]
    max_height: u32,
    /// Most frames (time codes) per render request.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    max_frames: u32,
    /// Most pixels per render request (width x height x frames).
    #[arg(long, default_value_t = 40_000_000, value_parser = clap::value_parser!(u64).range(1..=10_000_000_000))]
    max_pixels: u64,
    /// Largest request body in bytes.
    #[arg(long, default_value_t = 32 << 20, value_parser = clap::value_parser!(u64).range(1024..=4_294_967_296))]
    max_body: u64,
    /// Longest shader source in bytes.
    #[arg(long, default_value_t = 512 << 10, value_parser = clap::value_parser!(u64).range(64..=67_108_864))]
    max_source: u64,
    /// Most frames a stateful shader may render before a requested time.
    #[arg(long, default_value_t = 1800, value_parser = clap::value_parser!(u64).range(0..=1_000_000))]
    max_lead_in: u64,
    /// Let requests read shaders (`shader_path`) and IMPORTED images under this folder only.
    /// Without it requests have no file access.
    #[arg(long, value_name = "DIR")]
    allow_dir: Option<PathBuf>,
    /// Require `Authorization: Bearer TOKEN` (HTTP). Default: $ISF_SERVE_TOKEN if set.
    #[arg(long, value_name = "TOKEN")]
    token: Option<String>,
    /// Also answer browser pages from this origin (HTTP; repeatable), e.g.
    /// https://app.example.com. Pages from localhost, 127.0.0.1 and [::1] are always answered,
    /// requests without an Origin header (not from a browser) too; other origins get 403.
    #[arg(long, value_name = "URL")]
    allow_origin: Vec<String>,
    /// Graphics backend of the render workers.
    #[arg(long, default_value = "auto", value_parser = ["auto", "vulkan", "gl", "metal", "dx12"])]
    backend: String,
}

#[derive(Args)]
pub struct ServeArgs {
    /// Address to listen on (localhost by default; give --token before opening it wider).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    bind: String,
    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Args)]
pub struct McpArgs {
    /// Serve MCP's streamable HTTP transport at http://ADDR/mcp instead of stdio.
    #[arg(long, value_name = "ADDR")]
    http: Option<String>,
    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Args)]
pub struct WorkerArgs {
    #[arg(long, default_value = "auto")]
    backend: String,
}

/// The service configuration from the arguments; workers are this executable run as
/// `isf __serve-worker`.
pub fn config(a: &CommonArgs) -> Result<ServeConfig, Failure> {
    let exe = std::env::current_exe()
        .map_err(|e| Failure::usage(format!("error: cannot find the isf executable: {e}")))?;
    let mut c = ServeConfig::new(exe, vec!["__serve-worker".into()]);
    if a.deadline > a.max_deadline {
        return Err(Failure::usage(format!(
            "error: --deadline {} is over --max-deadline {}",
            a.deadline, a.max_deadline
        )));
    }
    if let Some(dir) = &a.allow_dir {
        if !dir.is_dir() {
            return Err(Failure::usage(format!(
                "error: --allow-dir {} is not a folder",
                dir.display()
            )));
        }
    }
    c.limits = Limits {
        max_width: a.max_width,
        max_height: a.max_height,
        max_frames: a.max_frames as usize,
        max_pixels: a.max_pixels,
        max_body: a.max_body as usize,
        max_source: a.max_source as usize,
        max_lead_in: a.max_lead_in,
        deadline: Duration::from_secs_f64(a.deadline),
        max_deadline: Duration::from_secs_f64(a.max_deadline),
        queue: a.queue as usize,
    };
    c.workers = a.workers;
    c.allow_dir = a.allow_dir.clone();
    c.token = a
        .token
        .clone()
        .or_else(|| std::env::var("ISF_SERVE_TOKEN").ok())
        .filter(|t| !t.is_empty());
    c.backend = a.backend.clone();
    c.allow_origins = a
        .allow_origin
        .iter()
        .map(|o| isfkit_serve::origin::Origin::parse(o))
        .collect::<Result<_, _>>()
        .map_err(|e| Failure::usage(format!("error: --allow-origin {e}")))?;
    Ok(c)
}

fn exit(code: u8) -> Result<(), Failure> {
    if code == 0 {
        Ok(())
    } else {
        Err(Failure {
            code,
            message: String::new(),
        })
    }
}

pub fn serve(a: ServeArgs) -> Result<(), Failure> {
    let c = config(&a.common)?;
    exit(isfkit_serve::run_http(c, &a.bind))
}

pub fn mcp(a: McpArgs) -> Result<(), Failure> {
    let c = config(&a.common)?;
    match &a.http {
        Some(addr) => exit(isfkit_serve::run_mcp_http(c, addr)),
        None => exit(isfkit_serve::run_mcp_stdio(c)),
    }
}

pub fn worker(a: WorkerArgs) -> Result<(), Failure> {
    exit(isfkit_serve::run_worker(&a.backend))
}
