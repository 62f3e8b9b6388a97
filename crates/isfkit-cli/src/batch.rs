//! `isf batch JOB.yaml`: many shaders, many frames, one run that survives bad shaders.
//!
//! The job file, its checks and the running of one task live in `isfkit-batch` (so the
//! Python/Ray runner runs the same plan). This module is the command: its arguments,
//! progress bars, Ctrl-C (finish the frames in flight, write the summary, exit 130),
//! `--isolate` (each task in a child `isf batch --worker` process, killed at a wall-clock
//! deadline), the summary and the exit codes.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Args;
use isfkit_batch::{
    Plan, PlanError, RunOptions, Runner, RunnerConfig, Summary, Task, TaskResult, WorkerEvent,
    WorkerRequest,
};
use isfkit_render::ErrorKind;
use serde_json::json;

#[derive(Args)]
pub struct BatchArgs {
    /// The job file (YAML or JSON).
    #[arg(required_unless_present = "worker")]
    job: Option<PathBuf>,
    /// Skip outputs that already exist and are complete.
    #[arg(long)]
    resume: bool,
    /// Render each shader in a child process, killed after --task-timeout.
    #[arg(long)]
    isolate: bool,
    /// Wall-clock limit per shader under --isolate, in seconds.
    #[arg(long, default_value_t = 600.0, value_parser = crate::parse_seconds)]
    task_timeout: f64,
    /// Seconds one frame may take on the GPU (default 120: heavy shaders take 10-30 s a
    /// frame on a CPU rasteriser such as lavapipe).
    #[arg(long, default_value_t = crate::DEFAULT_DEADLINE_S, value_parser = crate::parse_seconds)]
    deadline: f64,
    /// Frames kept in flight on the GPU.
    #[arg(long, default_value_t = 3, value_parser = crate::limits::parse_in_flight)]
    in_flight: usize,
    /// Encoder threads (0 = one per core).
    #[arg(long, default_value_t = 0, value_parser = crate::limits::parse_threads)]
    threads: usize,
    /// Engines rendering tasks side by side, each on a device of its own: on a CPU renderer
    /// such as lavapipe, which compiles a shader at its first draw on its device's one
    /// thread, N lanes compile N shaders at once. With one lane (the default) the engine
    /// builds the next tasks' pipelines on other threads instead. A task that hangs holds
    /// lavapipe's rasterizer, which every device of a process shares, so the tasks running
    /// in the other lanes then fail at their deadline too.
    #[arg(long, default_value_t = 1, value_parser = crate::limits::parse_lanes)]
    lanes: usize,
    /// Compile shaders for a first frame soon rather than for fast frames: a CPU renderer
    /// (Mesa's lavapipe) skips LLVM's optimisation passes. For thumbnails and checks of many
    /// shaders, a frame or two each; the pixels are the same, later frames slower. GPU
    /// drivers ignore it.
    #[arg(long)]
    quick_compile: bool,
    /// DATE of frame 0 for jobs whose entry (or `defaults`) sets no `date:`:
    /// YYYY-MM-DDTHH:MM:SS. Default: the wall clock as each frame renders.
    #[arg(long, value_name = "YYYY-MM-DDTHH:MM:SS")]
    date: Option<String>,
    /// Check the job file (every problem listed) and exit; writes nothing.
    #[arg(long)]
    check: bool,
    /// With --check: also check each task against the GPU adapter's limits (opens the
    /// adapter; plain --check needs no GPU).
    #[arg(long, requires = "check")]
    limits: bool,
    /// Print the summary as JSON on stdout.
    #[arg(long)]
    json: bool,
    /// No progress bars.
    #[arg(short, long)]
    quiet: bool,
    /// Internal (used by --isolate): read one task message (JSON) on stdin, run it, and
    /// answer with JSON event lines on stdout. The job file is not read.
    #[arg(long, hide = true)]
    worker: bool,
}

impl BatchArgs {
    fn run_options(&self) -> RunOptions {
        RunOptions {
            resume: self.resume,
            in_flight: self.in_flight,
            ..Default::default()
        }
    }
}

/// How long a worker may take to exit after its last answer before it is killed.
const WORKER_EXIT_GRACE: Duration = Duration::from_secs(2);

/// Runs `task` in a child `isf batch --worker` process, killing it past `timeout`.
/// The child gets Ctrl-C too (same process group) and finishes its frames itself.
fn run_isolated(
    args: &BatchArgs,
    task: &Task,
    timeout: Duration,
    on_frame: &mut dyn FnMut(),
) -> TaskResult {
    let started = Instant::now();
    let fail_as = |kind: ErrorKind, e: String| {
        TaskResult::failed(task, kind, e, started.elapsed().as_secs_f64())
    };
    let fail = |e: String| fail_as(ErrorKind::Internal, e);
    let request = WorkerRequest {
        task: task.clone(),
        options: args.run_options(),
        threads: args.threads,
        deadline: args.deadline,
    };
    let message = match serde_json::to_vec(&request) {
        Ok(m) => m,
        Err(e) => return fail(format!("cannot write the task message: {e}")),
    };
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => return fail(format!("cannot find the isf executable: {e}")),
    };
    let mut child = match Command::new(exe)
        .args(["batch", "--worker"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => return fail(format!("cannot start a worker process: {e}")),
    };
    let mut stdin = child.stdin.take().expect("piped");
    let stdout = child.stdout.take().expect("piped");
    let stderr = child.stderr.take().expect("piped");
    // Written from a thread: a worker that dies early must not block the parent on a full pipe.
    let writer = std::thread::spawn(move || {
        if let Err(e) = stdin.write_all(&message) {
            tracing::debug!("the worker did not read its task: {e}");
        }
        // Dropping stdin closes it: the worker reads to the end.
    });
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            s.push_str(&line);
            s.push('\n');
        }
        s
    });
    // Frames already complete before the task ran (resume) are not this run's to remove.
    let existed: std::collections::HashSet<std::path::PathBuf> = task
        .output_files()
        .into_iter()
        .filter(|p| p.exists())
        .collect();
    let mut last: Option<WorkerEvent> = None;
    let mut answered: Option<Instant> = None;
    let mut killed = false;
    let mut lingered = false;
    loop {
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(line) => match WorkerEvent::parse(&line) {
                Some(WorkerEvent::Frame) => on_frame(),
                Some(end) => {
                    last = Some(end);
                    answered = Some(Instant::now());
                }
                None => tracing::debug!("worker: {line}"),
            },
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
        }
        // A worker that answered but does not exit (its GPU still runs abandoned work) has
        // nothing more to say: its result stands and the process goes.
        if answered.is_some_and(|t| t.elapsed() > WORKER_EXIT_GRACE) && !lingered && !killed {
            if let Err(e) = child.kill() {
                tracing::debug!("worker already gone: {e}");
            }
            lingered = true;
        }
        if started.elapsed() > timeout && !killed && !lingered {
            // The child may be stuck in a GPU wait that cannot be interrupted: kill it.
            if let Err(e) = child.kill() {
                tracing::debug!("worker already gone: {e}");
            }
            killed = true;
        }
    }
    let status = child.wait();
    let _ = writer.join();
    let _ = reader.join();
    let stderr_text = err_reader.join().unwrap_or_default();
    let status = match status {
        Ok(s) => s,
        Err(e) => return fail(format!("waiting for the worker: {e}")),
    };
    if killed {
        // The killed worker cannot rename or remove its temporary files: do it for it. A
        // failed task writes no frames: the ones it wrote in this run go too.
        task.remove_temporaries();
        for path in task.output_files() {
            if !existed.contains(&path) {
                if let Err(e) = std::fs::remove_file(&path) {
                    if e.kind() != std::io::ErrorKind::NotFound {
                        tracing::warn!("cannot remove {} of a killed task: {e}", path.display());
                    }
                }
            }
        }
        return fail_as(
            ErrorKind::Timeout,
            format!(
                "did not finish within {:.0} s; the worker process was killed",
                timeout.as_secs_f64()
            ),
        );
    }
    match last {
        Some(WorkerEvent::Done { mut result })
            if status.success() || result.error.is_some() || lingered =>
        {
            result.seconds = started.elapsed().as_secs_f64();
            result
        }
        Some(WorkerEvent::Failed { error }) => fail(error),
        _ => fail(format!(
            "the worker process ended with {status}{}",
            if stderr_text.trim().is_empty() {
                String::new()
            } else {
                format!(": {}", stderr_text.trim())
            }
        )),
    }
}

/// The child side of `--isolate`: the task comes as a message on stdin.
fn run_worker(interrupted: &AtomicBool) -> ExitCode {
    let code = isfkit_batch::serve(std::io::stdin().lock(), std::io::stdout(), interrupted);
    crate::exit_code(code)
}

/// Prints every problem of a rejected job (as JSON with `--json`) and gives exit code 2:
/// nothing was rendered.
fn reject_job(problems: PlanError, json: bool) -> ExitCode {
    if json {
        println!(
            "{}",
            json!({ "valid": false, "problems": problems.problems })
        );
    } else {
        eprintln!("error: {problems}");
    }
    ExitCode::from(2)
}

pub fn run(args: BatchArgs) -> ExitCode {
    let interrupted = Arc::new(AtomicBool::new(false));
    let catch_ctrl_c = || {
        let flag = interrupted.clone();
        if let Err(e) = ctrlc::set_handler(move || flag.store(true, Ordering::Relaxed)) {
            tracing::warn!("Ctrl-C will stop the batch abruptly: {e}");
        }
    };
    // Before any engine or probe: the driver reads it when it loads. Worker processes
    // inherit it.
    if args.quick_compile && !isfkit_render::quick_compiles() {
        tracing::warn!("--quick-compile came after the GPU driver loaded; it has no effect");
    }
    if args.worker {
        catch_ctrl_c();
        return run_worker(&interrupted);
    }
    let Some(job) = args.job.clone() else {
        // clap requires JOB unless --worker is given.
        eprintln!("error: give the job file");
        return ExitCode::from(2);
    };
    if let Some(Err(e)) = args.date.as_deref().map(isfkit_render::parse_date) {
        eprintln!("error: --date: {e}");
        return ExitCode::from(2);
    }
    let tasks = match Plan::load(&job) {
        Ok(mut plan) => {
            // The job file's own `date:` wins over --date.
            for t in plan.tasks.iter_mut().filter(|t| t.date.is_none()) {
                t.date.clone_from(&args.date);
            }
            plan.tasks
        }
        Err(e) => return reject_job(e, args.json),
    };
    if args.check && args.limits {
        let limits = match isfkit_render::AdapterLimits::probe(isfkit_render::Backend::Auto) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("error: --limits: {e}");
                return ExitCode::from(1);
            }
        };
        let mut problems = Vec::new();
        // A shader with several tasks (outputs, sizes) is compiled once.
        let mut programs = std::collections::HashMap::new();
        for t in tasks.iter().filter(|t| t.broken.is_none()) {
            let program = programs
                .entry(t.shader.clone())
                .or_insert_with(|| isfkit_render::Program::load(&t.shader).ok());
            for m in program.iter().flat_map(|p| {
                limits.check(
                    p,
                    Some((t.width, t.height)),
                    &isfkit_media::image_dimensions,
                )
            }) {
                problems.push(format!("{}: {m} (adapter: {})", t.origin, limits.adapter));
            }
        }
        if !problems.is_empty() {
            return reject_job(problems.into(), args.json);
        }
    }
    if args.check {
        let frames: usize = tasks.iter().map(|t| t.frames.len()).sum();
        if args.json {
            println!(
                "{}",
                json!({ "valid": true, "tasks": tasks.len(), "frames": frames })
            );
        } else {
            println!(
                "{}: valid ({} tasks, {frames} frames)",
                job.display(),
                tasks.len()
            );
        }
        return ExitCode::SUCCESS;
    }
    catch_ctrl_c();
    let total_frames: u64 = tasks.iter().map(|t| t.frames.len() as u64).sum();
    let show = !args.quiet && std::io::stderr().is_terminal();
    let bars = indicatif::MultiProgress::new();
    if !show {
        bars.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let overall = bars.add(indicatif::ProgressBar::new(total_frames));
    overall.set_style(
        indicatif::ProgressStyle::with_template(
            "{prefix:>12} {bar:40} {pos}/{len} frames  {per_sec}  eta {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    overall.set_prefix("all");
    let config = RunnerConfig {
        deadline: Duration::from_secs_f64(args.deadline),
        threads: args.threads,
        in_flight: args.in_flight,
        ..Default::default()
    };
    let mut runners = Vec::new();
    if !args.isolate {
        match Runner::new(config) {
            Ok(r) => runners.push(r),
            Err(e) => {
                eprintln!("{}", e.render(&job));
                return ExitCode::from(e.kind().exit_code());
            }
        }
    }
    let lanes = if runners.is_empty() {
        1
    } else {
        args.lanes.clamp(1, tasks.len().max(1))
    };
    while !runners.is_empty() && runners.len() < lanes {
        match Runner::new(config) {
            Ok(r) => runners.push(r),
            // Fewer lanes: the ones there are take the tasks.
            Err(e) => {
                tracing::warn!(
                    "a further engine could not start ({e}); {} lanes",
                    runners.len()
                );
                break;
            }
        }
    }
    if let [runner] = runners.as_slice() {
        // One engine: the next tasks' shaders compile on other threads while one renders.
        runner.prepare(&tasks);
    }
    let options = args.run_options();
    let started = Instant::now();
    let next = std::sync::atomic::AtomicUsize::new(0);
    // Once a frame passed its deadline in this process, its work may still run on the GPU
    // (lavapipe: on the rasterizer threads every device here shares) and later frames would
    // not finish either: every lane's remaining tasks run in worker processes.
    let hung = AtomicBool::new(false);
    let (sender, received) = std::sync::mpsc::channel::<(usize, TaskResult)>();
    // Each lane takes the next task of the plan until none is left; results come back here
    // as they end and are put back in plan order for the summary.
    let mut results: Vec<(usize, TaskResult)> = Vec::new();
    std::thread::scope(|scope| {
        let lane_runners: Vec<Option<&Runner>> = if runners.is_empty() {
            vec![None]
        } else {
            runners.iter().map(Some).collect()
        };
        for runner in lane_runners {
            let sender = sender.clone();
            let (args, tasks, bars, overall, options, interrupted, next, hung) = (
                &args,
                &tasks,
                &bars,
                &overall,
                &options,
                &interrupted,
                &next,
                &hung,
            );
            scope.spawn(move || {
                loop {
                    if interrupted.load(Ordering::Relaxed) {
                        break;
                    }
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(task) = tasks.get(i) else { break };
                    let bar = bars.add(indicatif::ProgressBar::new(task.frames.len() as u64));
                    bar.set_style(
                        indicatif::ProgressStyle::with_template(
                            "{prefix:>12} {bar:40} {pos}/{len}  {msg}",
                        )
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                    );
                    bar.set_prefix(task.shader_name());
                    let mut tick = || {
                        bar.inc(1);
                        overall.inc(1);
                    };
                    let r = match runner {
                        _ if task.broken.is_some() => TaskResult::failed(
                            task,
                            ErrorKind::InvalidShader,
                            task.broken.clone().unwrap_or_default(),
                            0.0,
                        ),
                        Some(runner) if !hung.load(Ordering::Relaxed) => {
                            let r = runner.run(task, options, interrupted, &mut tick);
                            if runner.has_hung_work() {
                                runner.prepare(&[]);
                                if !hung.swap(true, Ordering::Relaxed) && !args.json {
                                    bars.suspend(|| eprintln!("note: a frame passed its deadline and its work still runs on the GPU; the remaining tasks run in worker processes"));
                                }
                            }
                            r
                        }
                        _ => run_isolated(
                            args,
                            task,
                            Duration::from_secs_f64(args.task_timeout),
                            &mut tick,
                        ),
                    };
                    overall.inc(r.frames_skipped);
                    // Only the overall bar and the running tasks stay on screen.
                    bar.finish_and_clear();
                    if let Some(e) = &r.error {
                        if !args.json {
                            bars.suspend(|| eprintln!("error: {}: {}", task.origin, e));
                        }
                    }
                    if sender.send((i, r)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        results.extend(received.iter());
    });
    results.sort_by_key(|(i, _)| *i);
    let mut results: Vec<TaskResult> = results.into_iter().map(|(_, r)| r).collect();
    // Every queued frame is written before the summary.
    let mut cleanup = Vec::new();
    for runner in runners {
        let (written, report) = runner.finish();
        if let Err(e) = written {
            results.push(TaskResult {
                shader: "(encoder pool)".into(),
                error: Some(e.to_string()),
                kind: Some(e.kind()),
                ..Default::default()
            });
        }
        cleanup.push(report);
    }
    overall.finish_and_clear();
    let summary = Summary::new(
        tasks.len(),
        results,
        started.elapsed().as_secs_f64(),
        interrupted.load(Ordering::Relaxed),
        cleanup.iter().all(|c| c.ok()),
    );
    if args.json {
        // Through a JSON value: its keys print sorted, as they always have.
        match serde_json::to_value(&summary) {
            Ok(v) => println!("{v}"),
            Err(e) => eprintln!("error: cannot write the summary: {e}"),
        }
    } else if !args.quiet {
        eprintln!(
            "{} tasks, {} frames written{} in {:.2} s ({:.1} fps), {} failed{}",
            summary.tasks_run,
            summary.frames_written,
            if summary.frames_skipped > 0 {
                format!(" ({} skipped)", summary.frames_skipped)
            } else {
                String::new()
            },
            summary.seconds,
            summary.fps,
            summary.failures.len(),
            if summary.interrupted {
                ", interrupted"
            } else {
                ""
            }
        );
        for f in &summary.failures {
            eprintln!("  failed: {}", f.shader);
        }
    }
    for c in cleanup.iter().filter(|c| !c.ok()) {
        eprintln!("{c}");
    }
    crate::exit_code(if summary.interrupted {
        130
    } else if summary.failures.is_empty() {
        0
    } else {
        1
    })
}
