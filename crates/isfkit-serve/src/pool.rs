//! The pool of render worker processes: a bounded queue, one task per worker that feeds it
//! jobs, the deadline that kills a hung worker and starts another, and the shutdown that
//! closes every worker and collects its engine's cleanup report.

use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::config::ServeConfig;
use crate::error::ServiceError;
use crate::metrics::Metrics;
use crate::worker::{RenderOutput, WorkerJob, WorkerMessage, WorkerRequest};

/// How long a new worker may take to start its engine.
const START_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a closing worker may take to shut its engine down and report.
const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(15);

struct Job {
    job: WorkerJob,
    deadline: Duration,
    reply: oneshot::Sender<Result<RenderOutput, ServiceError>>,
}

/// What one worker said when it was closed.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerReport {
    pub pid: Option<u32>,
    /// The engine's cleanup report was clean.
    pub ok: bool,
    /// The report as text (or why there is none).
    pub report: String,
    pub leaks: usize,
}

/// Worker processes and the queue in front of them. Lives inside a tokio runtime.
pub struct Pool {
    tx: Mutex<Option<mpsc::Sender<Job>>>,
    tasks: Mutex<Vec<JoinHandle<Option<WorkerReport>>>>,
    metrics: Arc<Metrics>,
    queue: usize,
    size: usize,
}

struct Proc {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
    pid: Option<u32>,
}

enum Outcome {
    Answer(Result<RenderOutput, ServiceError>),
    /// The worker must be replaced (killed at the deadline, died, or unusable).
    Replace(Result<RenderOutput, ServiceError>),
}

impl Proc {
    async fn spawn(config: &ServeConfig) -> Result<Proc, String> {
        let (program, args) = &config.worker_command;
        let mut child = Command::new(program)
            .args(args)
            .arg("--backend")
            .arg(&config.backend)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", program.display()))?;
        let stdin = child.stdin.take();
        let stdout = BufReader::new(child.stdout.take().ok_or("the worker has no stdout")?);
        let pid = child.id();
        let mut p = Proc {
            child,
            stdin,
            stdout,
            pid,
        };
        let ready = tokio::time::timeout(START_TIMEOUT, async {
            loop {
                match p.next_message().await {
                    Some(WorkerMessage::Ready { .. }) => return Ok(()),
                    Some(WorkerMessage::StartFailed { message }) => return Err(message),
                    Some(_) => continue,
                    None => return Err("the render worker exited while starting".to_owned()),
                }
            }
        })
        .await;
        match ready {
            Ok(Ok(())) => Ok(p),
            Ok(Err(e)) => {
                p.kill().await;
                Err(e)
            }
            Err(_) => {
                p.kill().await;
                Err(format!(
                    "the render worker did not start within {} s",
                    START_TIMEOUT.as_secs()
                ))
            }
        }
    }

    /// The next protocol line; `None` at the end of the worker's output.
    async fn next_message(&mut self) -> Option<WorkerMessage> {
        let mut line = String::new();
        loop {
            line.clear();
            match self.stdout.read_line(&mut line).await {
                Ok(0) | Err(_) => return None,
                Ok(_) => {
                    if let Some(m) = WorkerMessage::parse(&line) {
                        return Some(m);
                    }
                    if !line.trim().is_empty() {
                        tracing::debug!("render worker said: {}", line.trim_end());
                    }
                }
            }
        }
    }

    async fn kill(&mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
    }

    async fn run(&mut self, id: u64, job: &Job) -> Outcome {
        let request = WorkerRequest {
            id,
            job: job.job.clone(),
        };
        let mut line = match serde_json::to_string(&request) {
            Ok(l) => l,
            Err(e) => {
                return Outcome::Answer(Err(ServiceError::RenderFailed {
                    message: format!("cannot write the worker's request: {e}"),
                }))
            }
        };
        line.push('\n');
        let started = Instant::now();
        let deadline = started + job.deadline;
        let Some(stdin) = self.stdin.as_mut() else {
            return Outcome::Replace(Err(ServiceError::RenderFailed {
                message: "the render worker's input is closed".into(),
            }));
        };
        if let Err(e) = stdin.write_all(line.as_bytes()).await {
            return Outcome::Replace(Err(ServiceError::RenderFailed {
                message: format!("the render worker stopped reading: {e}"),
            }));
        }
        let _ = stdin.flush().await;
        let answer = tokio::time::timeout_at(deadline, async {
            loop {
                match self.next_message().await {
                    Some(WorkerMessage::Rendered { id: i, output }) if i == id => {
                        return Some(Ok(output))
                    }
                    Some(WorkerMessage::Failed {
                        id: i,
                        kind,
                        field,
                        message,
                    }) if i == id => return Some(Err((kind, field, message))),
                    Some(_) => continue,
                    None => return None,
                }
            }
        })
        .await;
        let seconds = (job.deadline.as_secs_f64() * 1000.0).round() / 1000.0;
        match answer {
            Err(_) => {
                // Signalled now, reaped after the client has its answer.
                let _ = self.child.start_kill();
                let ran_s = (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
                Outcome::Replace(Err(ServiceError::Timeout { seconds, ran_s }))
            }
            Ok(None) => {
                let status = match self.child.try_wait() {
                    Ok(Some(s)) => format!(" ({s})"),
                    _ => String::new(),
                };
                Outcome::Replace(Err(ServiceError::RenderFailed {
                    message: format!("the render worker exited during the render{status}"),
                }))
            }
            Ok(Some(Ok(output))) => Outcome::Answer(Ok(output)),
            Ok(Some(Err((kind, field, message)))) => {
                let e = match kind.as_str() {
                    "bad_request" => ServiceError::BadRequest { field, message },
                    // The engine noticed its own deadline: its device is tainted, and a hung
                    // GPU may block its cleanup, so the worker is replaced all the same.
                    "timeout" => {
                        let ran_s = (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
                        return Outcome::Replace(Err(ServiceError::Timeout { seconds, ran_s }));
                    }
                    _ => ServiceError::RenderFailed { message },
                };
                Outcome::Answer(Err(e))
            }
        }
    }

    /// Closes the worker's input and waits for its cleanup report.
    async fn close(mut self) -> WorkerReport {
        drop(self.stdin.take());
        let pid = self.pid;
        let report = tokio::time::timeout(SHUTDOWN_TIMEOUT, async {
            loop {
                match self.next_message().await {
                    Some(WorkerMessage::Shutdown { ok, report, leaks }) => {
                        return Some((ok, report, leaks))
                    }
                    Some(_) => continue,
                    None => return None,
                }
            }
        })
        .await;
        let r = match report {
            Ok(Some((ok, report, leaks))) => WorkerReport {
                pid,
                ok,
                report,
                leaks,
            },
            Ok(None) => WorkerReport {
                pid,
                ok: false,
                report: "the worker exited without a cleanup report".into(),
                leaks: 0,
            },
            Err(_) => WorkerReport {
                pid,
                ok: false,
                report: format!(
                    "the worker did not shut down within {} s and was killed",
                    SHUTDOWN_TIMEOUT.as_secs()
                ),
                leaks: 0,
            },
        };
        match tokio::time::timeout(Duration::from_secs(5), self.child.wait()).await {
            Ok(_) => {}
            Err(_) => self.kill().await,
        }
        r
    }
}

async fn worker_loop(
    config: Arc<ServeConfig>,
    rx: Arc<tokio::sync::Mutex<mpsc::Receiver<Job>>>,
    metrics: Arc<Metrics>,
    ids: Arc<AtomicU64>,
) -> Option<WorkerReport> {
    let mut proc: Option<Proc> = None;
    let mut last_error = String::new();
    loop {
        if proc.is_none() {
            match Proc::spawn(&config).await {
                Ok(p) => {
                    metrics.workers_add(1);
                    proc = Some(p);
                }
                Err(e) => {
                    tracing::error!("{e}");
                    last_error = e;
                }
            }
        }
        let job = {
            let mut rx = rx.lock().await;
            rx.recv().await
        };
        let Some(job) = job else { break };
        metrics.queue_add(-1);
        if job.reply.is_closed() {
            continue; // the client went away while it waited
        }
        let Some(p) = proc.as_mut() else {
            let _ = job.reply.send(Err(ServiceError::RenderFailed {
                message: format!("no render worker could be started: {last_error}"),
            }));
            tokio::time::sleep(Duration::from_millis(200)).await;
            continue;
        };
        metrics.busy_add(1);
        let id = ids.fetch_add(1, Ordering::Relaxed);
        let outcome = p.run(id, &job).await;
        metrics.busy_add(-1);
        let answer = match outcome {
            Outcome::Answer(a) => a,
            Outcome::Replace(a) => {
                if matches!(a, Err(ServiceError::Timeout { .. })) {
                    metrics.timeout();
                }
                // The client is answered first; then the old worker is reaped and a new one
                // starts (at the top of the loop).
                let _ = job.reply.send(a);
                if let Some(mut old) = proc.take() {
                    old.kill().await;
                    metrics.workers_add(-1);
                }
                metrics.restart();
                continue;
            }
        };
        let _ = job.reply.send(answer);
    }
    match proc {
        Some(p) => {
            let r = p.close().await;
            metrics.workers_add(-1);
            Some(r)
        }
        None => None,
    }
}

impl Pool {
    /// Starts `config.worker_count()` workers (each starts its engine in the background).
    /// Must be called inside a tokio runtime.
    pub fn start(config: Arc<ServeConfig>, metrics: Arc<Metrics>) -> Arc<Pool> {
        let size = config.worker_count();
        let queue = config.limits.queue.max(1);
        let (tx, rx) = mpsc::channel(queue);
        let rx = Arc::new(tokio::sync::Mutex::new(rx));
        let ids = Arc::new(AtomicU64::new(1));
        let tasks = (0..size)
            .map(|_| {
                tokio::spawn(worker_loop(
                    config.clone(),
                    rx.clone(),
                    metrics.clone(),
                    ids.clone(),
                ))
            })
            .collect();
        Arc::new(Pool {
            tx: Mutex::new(Some(tx)),
            tasks: Mutex::new(tasks),
            metrics,
            queue,
            size,
        })
    }

    /// Number of worker processes.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Runs `job` on the next free worker, within `deadline` once it started. Refused at
    /// once when `queue` renders already wait.
    pub async fn render(
        &self,
        job: WorkerJob,
        deadline: Duration,
    ) -> Result<RenderOutput, ServiceError> {
        let tx = self
            .tx
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .ok_or(ServiceError::ShuttingDown)?;
        let (reply, answer) = oneshot::channel();
        self.metrics.queue_add(1);
        match tx.try_send(Job {
            job,
            deadline,
            reply,
        }) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(_)) => {
                self.metrics.queue_add(-1);
                return Err(ServiceError::Busy {
                    queued: self.queue,
                    retry_after: 1,
                });
            }
            Err(mpsc::error::TrySendError::Closed(_)) => {
                self.metrics.queue_add(-1);
                return Err(ServiceError::ShuttingDown);
            }
        }
        answer.await.unwrap_or(Err(ServiceError::ShuttingDown))
    }

    /// Stops taking renders, lets the workers finish what is queued, closes them and returns
    /// their cleanup reports.
    pub async fn shutdown(&self) -> Vec<WorkerReport> {
        drop(self.tx.lock().unwrap_or_else(|e| e.into_inner()).take());
        let tasks: Vec<_> =
            std::mem::take(&mut *self.tasks.lock().unwrap_or_else(|e| e.into_inner()));
        let mut reports = Vec::new();
        for t in tasks {
            if let Ok(Some(r)) = t.await {
                reports.push(r);
            }
        }
        reports
    }
}
