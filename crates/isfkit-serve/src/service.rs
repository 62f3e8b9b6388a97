//! The three operations behind both faces (HTTP and MCP): validate, info, render.

use std::sync::Arc;
use std::time::Instant;

use serde_json::{json, Value};

use crate::config::ServeConfig;
use crate::error::ServiceError;
use crate::metrics::Metrics;
use crate::pool::{Pool, WorkerReport};
use crate::request;
use crate::shader;
use crate::worker::RenderOutput;

/// A finished render: the JSON summary (frames without their data) and the frames.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub summary: Value,
    pub output: RenderOutput,
}

impl Rendered {
    /// The whole answer as JSON: the summary with each frame's base64 `image` added.
    pub fn to_json(&self) -> Value {
        let mut v = self.summary.clone();
        if let Some(frames) = v["frames"].as_array_mut() {
            for (f, out) in frames.iter_mut().zip(&self.output.frames) {
                f["image"] = json!(out.data);
            }
        }
        v
    }
}

/// Validation, info and rendering with the server's limits, its pool and its counters.
pub struct Service {
    pub config: Arc<ServeConfig>,
    pub metrics: Arc<Metrics>,
    pub pool: Arc<Pool>,
    pub started: Instant,
    cache: Arc<shader::CheckCache>,
}

impl Service {
    /// Starts the worker pool. Must be called inside a tokio runtime.
    pub fn start(config: ServeConfig) -> Arc<Service> {
        let config = Arc::new(config);
        let metrics = Arc::new(Metrics::default());
        let pool = Pool::start(config.clone(), metrics.clone());
        Arc::new(Service {
            config,
            metrics,
            pool,
            started: Instant::now(),
            cache: Arc::default(),
        })
    }

    /// Counts a finished request.
    pub fn record<T>(&self, route: &str, started: Instant, r: &Result<T, ServiceError>) {
        let outcome = match r {
            Ok(_) => "ok",
            Err(e) => e.kind(),
        };
        self.metrics
            .request(route, outcome, started.elapsed().as_secs_f64());
    }

    /// `validate_shader`: `valid`, `success`, `errors`/`warnings` as strings, structured
    /// `diagnostics`, `shader_info`. An invalid shader is an answer, not an error.
    pub async fn validate(&self, args: Value) -> Result<Value, ServiceError> {
        let config = self.config.clone();
        let cache = self.cache.clone();
        blocking(move || {
            let source = request::shader_only(&args, &config)?;
            Ok(cache.check(&source, &config)?.answer)
        })
        .await
    }

    /// `get_shader_info`: the document (inputs, passes, kind, ...) as `isf info` prints it, plus
    /// what the shader uses; a shader whose header does not parse is an error.
    pub async fn info(&self, args: Value) -> Result<Value, ServiceError> {
        let config = self.config.clone();
        let cache = self.cache.clone();
        blocking(move || {
            let source = request::shader_only(&args, &config)?;
            let checked = cache.check(&source, &config)?;
            let info = checked.answer["shader_info"].clone();
            if info.is_null() {
                return Err(ServiceError::InvalidShader {
                    validation: checked.answer,
                });
            }
            let mut v = json!({ "success": true, "valid": checked.answer["valid"], "shader_info": info.clone() });
            // The info's fields at the top level too, as `isf info` prints them.
            if let (Some(o), Some(i)) = (v.as_object_mut(), info.as_object()) {
                for (k, x) in i {
                    o.entry(k.clone()).or_insert(x.clone());
                }
            }
            Ok(v)
        })
        .await
    }

    /// `render_shader`: checks the request and the shader here, renders in a worker.
    pub async fn render(&self, args: Value) -> Result<Rendered, ServiceError> {
        let started = Instant::now();
        let config = self.config.clone();
        let cache = self.cache.clone();
        let (params, job, validation) = blocking(move || {
            let params = request::render(&args, &config)?;
            let checked = cache.check(&params.source, &config)?;
            let Some(program) = &checked.program else {
                return Err(ServiceError::InvalidShader {
                    validation: checked.answer,
                });
            };
            let job = shader::render_job(&params, program, &config)?;
            Ok((params, job, checked.answer))
        })
        .await?;
        let output = self.pool.render(job, params.deadline).await?;
        self.metrics.frames_add(output.frames.len() as u64);
        let frames: Vec<Value> = output
            .frames
            .iter()
            .map(|f| {
                json!({
                    "index": f.index, "time": f.time, "mime_type": f.mime,
                    "render_ms": round3(f.render_ms), "encode_ms": round3(f.encode_ms),
                })
            })
            .collect();
        let summary = json!({
            "success": true,
            "frames": frames,
            "metadata": {
                "width": output.width,
                "height": output.height,
                "format": params.format,
                "quality": params.quality,
                "frame_count": output.frames.len(),
                "backend": output.backend,
                "lead_in_frames": output.lead_in_frames,
                "lead_in_ms": round3(output.lead_in_ms),
                "total_ms": round3(started.elapsed().as_secs_f64() * 1000.0),
                "worker_pid": output.worker_pid,
            },
            "warnings": validation["warnings"],
            "shader_info": validation["shader_info"],
        });
        Ok(Rendered { summary, output })
    }

    /// Stops the pool; returns the workers' cleanup reports.
    pub async fn shutdown(&self) -> Vec<WorkerReport> {
        self.pool.shutdown().await
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Runs CPU work (parsing, naga) off the async threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ServiceError> + Send + 'static,
) -> Result<T, ServiceError> {
    tokio::task::spawn_blocking(f).await.unwrap_or_else(|e| {
        Err(ServiceError::RenderFailed {
            message: format!("internal error while checking the shader: {e}"),
        })
    })
}

/// Prints the workers' cleanup reports to stderr; true when every one is clean.
pub fn print_reports(reports: &[WorkerReport]) -> bool {
    let mut clean = true;
    for r in reports {
        let pid = r.pid.map_or_else(|| "?".into(), |p| p.to_string());
        if r.ok {
            eprintln!("worker {pid}: clean shutdown");
        } else {
            clean = false;
            eprintln!("worker {pid}: cleanup problems:\n{}", r.report);
        }
    }
    clean
}
