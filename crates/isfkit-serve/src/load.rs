//! The load test behind `isf bench serve`: starts a server on 127.0.0.1 (a free port, this
//! process) with its worker pool and drives it with blocking clients (ureq, one keep-alive
//! connection each), bounded in count and time. Figures, never assertions, except that every request must get an answer.
//!
//! Phases: validate at `concurrency` clients (requests/s, p50, p99); render at WxH (requests
//! and frames per second); a mixed run where `hang_percent` of the requests never finish
//! (answered 504 at the deadline, the worker killed and replaced) and `broken_percent` do
//! not compile (422), checking that every request is answered and each hung one within
//! deadline + 1 s of its worker starting; server memory before and after; the workers'
//! cleanup reports.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::config::ServeConfig;
use crate::service::Service;

/// A stateless generator, moderately busy per pixel.
pub const RENDER_SHADER: &str = r#"/*{
  "ISFVSN": "2",
  "INPUTS": [{"NAME": "speed", "TYPE": "float", "DEFAULT": 1.0, "MIN": 0.0, "MAX": 4.0}]
}*/
void main() {
    vec2 uv = isf_FragNormCoord;
    float v = 0.0;
    for (int i = 0; i < 8; i++) {
        v += sin(uv.x * float(i + 3) * 4.0 + TIME * speed) * cos(uv.y * float(i + 2) * 3.0);
    }
    gl_FragColor = vec4(0.5 + 0.5 * sin(v + vec3(0.0, 2.0, 4.0)), 1.0);
}
"#;

/// Never finishes in reasonable time on a software rasteriser at [`HANG_SIZE`]: 60,000
/// dependent steps per pixel (under lavapipe's 65,535-iteration loop cut), minutes of CPU
/// for 2048x2048 pixels.
pub const HANG_SHADER: &str = r#"/*{ "ISFVSN": "2" }*/
void main() {
    float a = 0.0;
    for (int i = 0; i < 60000; i++) { a += sin(a + float(i) * 0.001 + gl_FragCoord.x); }
    gl_FragColor = vec4(fract(a), 0.0, 0.0, 1.0);
}
"#;

/// The size [`HANG_SHADER`] is rendered at.
pub const HANG_SIZE: u32 = 2048;

/// Does not compile: an unknown name on line 4.
pub const BROKEN_SHADER: &str = r#"/*{ "ISFVSN": "2" }*/
void main() {
    float x = 1.0;
    gl_FragColor = vec4(x * brightness);
}
"#;

/// [`RENDER_SHADER`] with a numbered comment: the same shader, a text never checked before.
fn distinct(i: usize) -> String {
    format!("{RENDER_SHADER}// request {i}\n")
}

/// What to run.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    pub validate_requests: usize,
    pub concurrency: usize,
    pub render_requests: usize,
    pub render_size: (u32, u32),
    pub mixed_requests: usize,
    pub hang_percent: usize,
    pub broken_percent: usize,
    /// Deadline of the mixed run's renders, seconds.
    pub deadline: f64,
    /// Worker processes (0 = one per core).
    pub workers: usize,
    /// Requests per round of the memory check (three rounds after the mixed run).
    pub memory_requests: usize,
}

impl LoadOptions {
    /// The full run the README's figures come from.
    pub fn full() -> LoadOptions {
        LoadOptions {
            validate_requests: 5000,
            concurrency: 32,
            render_requests: 300,
            render_size: (256, 144),
            mixed_requests: 2000,
            hang_percent: 5,
            broken_percent: 5,
            deadline: 2.0,
            workers: 0,
            memory_requests: 600,
        }
    }

    /// A seconds-long smoke version for CI.
    pub fn quick() -> LoadOptions {
        LoadOptions {
            validate_requests: 200,
            concurrency: 8,
            render_requests: 10,
            render_size: (64, 36),
            mixed_requests: 40,
            hang_percent: 5,
            broken_percent: 5,
            deadline: 1.0,
            workers: 2,
            memory_requests: 20,
        }
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn rss_kib() -> u64 {
    status_rss("/proc/self/status")
}

fn pid_rss_kib(pid: u64) -> u64 {
    status_rss(&format!("/proc/{pid}/status"))
}

fn status_rss(path: &str) -> u64 {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

/// One request of a phase: (method path, body) -> checks the answer; returns its kind.
type MakeRequest<'a> = dyn Fn(usize) -> (&'static str, Value) + Sync + 'a;

struct PhaseResult {
    seconds: f64,
    latencies_ms: Vec<f64>,
    statuses: std::collections::BTreeMap<u16, usize>,
    errors: Vec<String>,
    /// (request index, status, latency ms, body) of each answer.
    answers: Vec<(usize, u16, f64, Value)>,
}

/// A blocking HTTP client (one per load thread): its connection is kept alive from request to
/// request. Every status is an answer (not an error); no proxy, no redirects; `timeout` for a
/// whole request.
pub fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(0)
        .proxy(None)
        .build()
        .into()
}

/// POSTs `body` as JSON to `url`: the status and the body as JSON (`Null` when it is not).
fn post_json(agent: &ureq::Agent, url: &str, body: &Value) -> Result<(u16, Value), ureq::Error> {
    let mut r = agent
        .post(url)
        .header("Content-Type", "application/json")
        .send(body.to_string())?;
    let status = r.status().as_u16();
    // The answers of the phases are bounded by their sizes, not by ureq's default limit.
    let bytes = r.body_mut().with_config().limit(u64::MAX).read_to_vec()?;
    Ok((
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    ))
}

fn run_phase(addr: &str, n: usize, clients: usize, make: &MakeRequest<'_>) -> PhaseResult {
    let next = AtomicUsize::new(0);
    let out = Mutex::new(Vec::with_capacity(n));
    let errors = Mutex::new(Vec::new());
    let started = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..clients.max(1) {
            s.spawn(|| {
                let c = agent(Duration::from_secs(120));
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n {
                        break;
                    }
                    let (path, body) = make(i);
                    let t = Instant::now();
                    match post_json(&c, &format!("http://{addr}{path}"), &body) {
                        Ok((status, v)) => {
                            let ms = t.elapsed().as_secs_f64() * 1000.0;
                            // Only what the figures need: images are not kept.
                            let slim = json!({
                                "error": v["error"],
                                "render_ms": v["frames"][0]["render_ms"],
                                "worker_pid": v["metadata"]["worker_pid"],
                            });
                            out.lock().unwrap().push((i, status, ms, slim));
                        }
                        Err(e) => errors.lock().unwrap().push(format!("request {i}: {e}")),
                    }
                }
            });
        }
    });
    let seconds = started.elapsed().as_secs_f64();
    let answers = out.into_inner().unwrap();
    let mut latencies_ms: Vec<f64> = answers.iter().map(|a| a.2).collect();
    latencies_ms.sort_by(f64::total_cmp);
    let mut statuses = std::collections::BTreeMap::new();
    for a in &answers {
        *statuses.entry(a.1).or_insert(0) += 1;
    }
    PhaseResult {
        seconds,
        latencies_ms,
        statuses,
        errors: errors.into_inner().unwrap(),
        answers,
    }
}

fn summary(name: &str, n: usize, r: &PhaseResult) -> Value {
    json!({
        "phase": name,
        "requests": n,
        "answered": r.answers.len(),
        "unanswered": r.errors.len(),
        "seconds": (r.seconds * 1000.0).round() / 1000.0,
        "requests_per_s": ((r.answers.len() as f64 / r.seconds) * 10.0).round() / 10.0,
        "p50_ms": (percentile(&r.latencies_ms, 0.5) * 100.0).round() / 100.0,
        "p99_ms": (percentile(&r.latencies_ms, 0.99) * 100.0).round() / 100.0,
        "max_ms": (r.latencies_ms.last().copied().unwrap_or(0.0) * 100.0).round() / 100.0,
        "statuses": r.statuses.iter().map(|(k, v)| (k.to_string(), json!(v))).collect::<serde_json::Map<_, _>>(),
        "errors": r.errors.iter().take(5).collect::<Vec<_>>(),
    })
}

/// Runs the load test; `config` names the worker command (its limits are adjusted).
/// Returns the figures as JSON; `Err` when the server could not start.
pub fn run(mut config: ServeConfig, opts: &LoadOptions, progress: bool) -> Result<Value, String> {
    config.workers = opts.workers;
    config.limits.queue = config.limits.queue.max(opts.concurrency * 4);
    config.limits.max_deadline = config
        .limits
        .max_deadline
        .max(Duration::from_secs_f64(opts.deadline));
    let rt = crate::runtime().map_err(|e| e.to_string())?;
    let (svc, addr, stop, server) = rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| e.to_string())?;
        let addr = listener
            .local_addr()
            .map_err(|e| e.to_string())?
            .to_string();
        let svc = Service::start(config);
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let router = crate::http::router(svc.clone());
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, router)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
        });
        Ok::<_, String>((svc, addr, tx, server))
    })?;
    let say = |s: &str| {
        if progress {
            eprintln!("{s}");
        }
    };
    // Wait for every worker to be up, so start-up is not measured.
    let up = Instant::now();
    while (svc.metrics.workers() as usize) < svc.pool.size()
        && up.elapsed() < Duration::from_secs(120)
    {
        std::thread::sleep(Duration::from_millis(50));
    }
    let workers = svc.pool.size();
    let mut phases = Vec::new();
    let rss_start = rss_kib();

    say(&format!(
        "validate: {} requests, {} clients",
        opts.validate_requests, opts.concurrency
    ));
    // Each validation a different text (a numbered comment), so none is answered from the
    // server's cache of recent checks.
    let v = run_phase(&addr, opts.validate_requests, opts.concurrency, &|i| {
        ("/validate", json!({ "shader_content": distinct(i) }))
    });
    phases.push(summary("validate", opts.validate_requests, &v));

    let (w, h) = opts.render_size;
    let render_clients = (workers * 2).max(2);
    say(&format!(
        "render: {} requests at {w}x{h}, {render_clients} clients",
        opts.render_requests
    ));
    let r = run_phase(&addr, opts.render_requests, render_clients, &|i| {
        (
            "/render",
            json!({ "shader_content": RENDER_SHADER, "width": w, "height": h, "format": "png",
                    "time_codes": [i as f64 * 0.1] }),
        )
    });
    let mut rs = summary("render", opts.render_requests, &r);
    let render_ms: Vec<f64> = r
        .answers
        .iter()
        .filter_map(|a| a.3["render_ms"].as_f64())
        .collect();
    rs["worker_render_ms_mean"] = json!(
        (render_ms.iter().sum::<f64>() / render_ms.len().max(1) as f64 * 100.0).round() / 100.0
    );
    phases.push(rs);

    let n = opts.mixed_requests;
    let hang_every = 100usize
        .checked_div(opts.hang_percent)
        .unwrap_or(usize::MAX);
    let broken_every = 100usize
        .checked_div(opts.broken_percent)
        .unwrap_or(usize::MAX);
    let kind = move |i: usize| -> &'static str {
        if i % hang_every == hang_every / 2 {
            "hang"
        } else if i.is_multiple_of(broken_every) {
            "broken"
        } else if i.is_multiple_of(2) {
            "render"
        } else {
            "validate"
        }
    };
    let deadline = opts.deadline;
    say(&format!(
        "mixed: {n} requests ({}% hanging, {}% broken, deadline {deadline} s), {} clients",
        opts.hang_percent, opts.broken_percent, opts.concurrency
    ));
    let restarts_before = svc.metrics.restarts();
    let m = run_phase(&addr, n, opts.concurrency, &|i| match kind(i) {
        "hang" => (
            "/render",
            json!({ "shader_content": HANG_SHADER, "width": HANG_SIZE, "height": HANG_SIZE, "deadline": deadline }),
        ),
        "broken" => (
            "/render",
            json!({ "shader_content": BROKEN_SHADER, "width": 64, "height": 64 }),
        ),
        "render" => (
            "/render",
            json!({ "shader_content": RENDER_SHADER, "width": w, "height": h, "deadline": deadline.max(10.0) }),
        ),
        _ => ("/validate", json!({ "shader_content": distinct(i) })),
    });
    let mut wrong = Vec::new();
    let mut hung_ran: Vec<f64> = Vec::new();
    for (i, status, _, body) in &m.answers {
        let expected = match kind(*i) {
            "hang" => 504,
            "broken" => 422,
            _ => 200,
        };
        if *status != expected {
            wrong.push(format!(
                "request {i} ({}): status {status}, expected {expected}: {}",
                kind(*i),
                body["errors"]
            ));
        }
        if kind(*i) == "hang" {
            if let Some(s) = body["error"]["ran_s"].as_f64() {
                hung_ran.push(s);
            }
        }
    }
    hung_ran.sort_by(f64::total_cmp);
    let mut ms = summary("mixed", n, &m);
    ms["hung"] = json!(m.answers.iter().filter(|a| kind(a.0) == "hang").count());
    ms["hung_answered_504"] = json!(m
        .answers
        .iter()
        .filter(|a| kind(a.0) == "hang" && a.1 == 504)
        .count());
    ms["hung_worker_seconds_max"] = json!(hung_ran.last().copied().unwrap_or(0.0));
    ms["hung_within_deadline_plus_1s"] = json!(hung_ran.iter().all(|s| *s <= deadline + 1.0));
    ms["broken_answered_422"] = json!(m
        .answers
        .iter()
        .filter(|a| kind(a.0) == "broken" && a.1 == 422)
        .count());
    ms["wrong_answers"] = json!(wrong.iter().take(10).collect::<Vec<_>>());
    ms["wrong_answer_count"] = json!(wrong.len());
    ms["worker_restarts"] = json!(svc.metrics.restarts() - restarts_before);
    phases.push(ms);

    // Memory: rounds of validations and renders after the mixed run; the server's RSS (and
    // the workers') after each round should stay flat.
    let rss_after = rss_kib();
    let mut rounds = Vec::new();
    for round in 0..3 {
        let per = opts.memory_requests;
        say(&format!("memory round {}: {per} requests", round + 1));
        let r = run_phase(&addr, per, opts.concurrency, &|i| {
            if i.is_multiple_of(2) {
                ("/validate", json!({ "shader_content": distinct(i) }))
            } else {
                (
                    "/render",
                    json!({ "shader_content": RENDER_SHADER, "width": w, "height": h, "time_codes": [i as f64 * 0.01] }),
                )
            }
        });
        let mut pids: Vec<u64> = r
            .answers
            .iter()
            .filter_map(|a| a.3["worker_pid"].as_u64())
            .collect();
        pids.sort_unstable();
        pids.dedup();
        let workers_kib: u64 = pids.iter().map(|p| pid_rss_kib(*p)).sum();
        rounds.push(
            json!({ "server_rss_kib": rss_kib(), "workers_rss_kib": workers_kib,
                            "answered": r.answers.len(), "unanswered": r.errors.len() }),
        );
    }
    let rss_after2 = rss_kib();

    let _ = stop.send(());
    let reports = rt.block_on(async {
        let _ = tokio::time::timeout(Duration::from_secs(30), server).await;
        svc.shutdown().await
    });
    let clean = reports.iter().all(|r| r.ok);
    let lost: usize = phases
        .iter()
        .map(|p| p["unanswered"].as_u64().unwrap_or(0) as usize)
        .sum();
    Ok(json!({
        "workers": workers,
        "cores": std::thread::available_parallelism().map_or(0, |n| n.get()),
        "phases": phases,
        "server_rss_kib": { "start": rss_start, "after_mixed": rss_after, "after_memory_rounds": rss_after2 },
        "memory_rounds": rounds,
        "worker_reports_clean": clean,
        "worker_reports": reports.iter().map(|r| json!({"pid": r.pid, "ok": r.ok, "leaks": r.leaks})).collect::<Vec<_>>(),
        "requests_unanswered": lost,
        "ok": lost == 0 && wrong.is_empty() && clean,
    }))
}

/// The figures as a short text.
pub fn text(v: &Value) -> String {
    let mut s = format!(
        "isf bench serve: {} workers on {} cores (loopback HTTP)\n",
        v["workers"], v["cores"]
    );
    for p in v["phases"].as_array().into_iter().flatten() {
        s.push_str(&format!(
            "  {:<9} {:>5} requests  {:>8.1} req/s  p50 {:>8.2} ms  p99 {:>8.2} ms  statuses {}\n",
            p["phase"].as_str().unwrap_or(""),
            p["requests"],
            p["requests_per_s"].as_f64().unwrap_or(0.0),
            p["p50_ms"].as_f64().unwrap_or(0.0),
            p["p99_ms"].as_f64().unwrap_or(0.0),
            p["statuses"]
        ));
        if p["phase"] == "mixed" {
            s.push_str(&format!(
                "            hung {} (504: {}, worker time max {} s, within deadline+1 s: {}), broken answered 422: {}, wrong answers {}, worker restarts {}\n",
                p["hung"], p["hung_answered_504"], p["hung_worker_seconds_max"],
                p["hung_within_deadline_plus_1s"], p["broken_answered_422"],
                p["wrong_answer_count"], p["worker_restarts"]
            ));
        }
    }
    s.push_str(&format!(
        "  server RSS KiB: {}; after each memory round: {}\n  worker cleanup reports clean: {}; unanswered: {}\n",
        v["server_rss_kib"], v["memory_rounds"], v["worker_reports_clean"], v["requests_unanswered"]
    ));
    s
}
