//! Batch jobs for Python runners (the Ray runner, `isfkit.distributed`): the job file is
//! read, checked and cut into tasks by `isfkit-batch` (the code `isf batch` runs), tasks go
//! to and from Python as JSON, and the summary is built by `isfkit_batch::Summary`, so
//! nothing of the job format, the executor or the summary's schema is re-implemented in
//! Python.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Mutex;
use std::time::Duration;

use isfkit_batch::{Output, Plan, RunOptions, Runner, RunnerConfig, Summary, Task, TaskResult};
use isfkit_render::ErrorKind;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList};

use crate::errors;

fn load_plan(py: Python<'_>, path: PathBuf) -> PyResult<Plan> {
    match py.detach(|| Plan::load(&path)) {
        Ok(plan) => Ok(plan),
        Err(e) => {
            let err = PyValueError::new_err(e.to_string());
            err.value(py)
                .setattr("problems", PyList::new(py, &e.problems)?)?;
            Err(err)
        }
    }
}

fn json<T: serde::Serialize>(v: &T) -> PyResult<String> {
    serde_json::to_string(v).map_err(|e| PyRuntimeError::new_err(e.to_string()))
}

/// Reads and checks the job file at `path` as `isf batch --check` does, and returns its
/// tasks as JSON strings (`isfkit_batch::Task`), in plan order. Problems raise `ValueError`
/// with `isf batch`'s message and a `problems` list.
#[pyfunction]
pub fn plan_job(py: Python<'_>, path: PathBuf) -> PyResult<Vec<String>> {
    load_plan(py, path)?.tasks.iter().map(json).collect()
}

/// The job's pieces for workers: `(task index, task JSON)` pairs, stateless stills cut into
/// chunks of at most `chunk_frames` frames, stateful tasks whole unless `split_stateful`
/// (then each chunk renders its own lead-in unwritten). See `Plan::chunks`.
#[pyfunction]
#[pyo3(signature = (path, chunk_frames = 8, split_stateful = false))]
pub fn plan_chunks(
    py: Python<'_>,
    path: PathBuf,
    chunk_frames: usize,
    split_stateful: bool,
) -> PyResult<Vec<(usize, String)>> {
    load_plan(py, path)?
        .chunks(chunk_frames, split_stateful)
        .iter()
        .map(|(i, t)| Ok((*i, json(t)?)))
        .collect()
}

/// The files a task (JSON) writes: each still, or the one video or GIF.
#[pyfunction]
pub fn task_output_files(task_json: &str) -> PyResult<Vec<PathBuf>> {
    let task: Task =
        serde_json::from_str(task_json).map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(task.output_files())
}

/// Joins the parts of a video task (the whole task's JSON from `plan_job`; `parts` the files
/// its pieces wrote, in frame order) into its file and removes the parts. Returns `None`, or
/// the error message (the parts are removed then too, and no file is left).
#[pyfunction]
pub fn join_video_parts(
    py: Python<'_>,
    task_json: &str,
    parts: Vec<PathBuf>,
) -> PyResult<Option<String>> {
    let task: Task =
        serde_json::from_str(task_json).map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(py
        .detach(|| isfkit_batch::join_parts(&task, &parts))
        .err()
        .map(|e| e.message))
}

/// A failed result (JSON) for a task (JSON) that could not run: a worker lost too often.
#[pyfunction]
pub fn failed_result_json(task_json: &str, error: &str) -> PyResult<String> {
    let task: Task =
        serde_json::from_str(task_json).map_err(|e| PyValueError::new_err(e.to_string()))?;
    json(&TaskResult::failed(&task, ErrorKind::Internal, error, 0.0))
}

/// Whether the frame file at `path` is complete (`isf batch --resume`'s test): it decodes
/// with the size `width`x`height`. The Ray driver uses it for `--collect --resume`, where
/// workers do not see the driver's files.
#[pyfunction]
pub fn frame_complete(py: Python<'_>, path: PathBuf, width: u32, height: u32) -> bool {
    py.detach(|| isfkit_batch::executor::complete(&path, width, height))
}

/// Writes `data` to `path` as every frame is written: under a temporary name next to it,
/// then renamed (`isfkit_output::write_atomically`). Creates the folder when missing.
#[pyfunction]
pub fn write_file_atomic(py: Python<'_>, path: PathBuf, data: Vec<u8>) -> PyResult<()> {
    py.detach(|| -> Result<(), String> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create output folder {}: {e}", dir.display()))?;
        }
        isfkit_output::write_atomically(&path, |tmp| {
            std::fs::write(tmp, &data).map_err(|source| isfkit_output::OutputError::Io {
                path: tmp.to_path_buf(),
                source,
            })
        })
        .map_err(|e| e.to_string())
    })
    .map_err(pyo3::exceptions::PyOSError::new_err)
}

/// `task` with its output moved into `dir` (same file names): what a `--collect` worker
/// renders, to read the files back and send them to the driver.
fn redirected(task: &Task, dir: &Path) -> Task {
    let inside = |p: &Path| dir.join(p.file_name().unwrap_or(p.as_os_str()));
    let mut t = task.clone();
    t.output = match &task.output {
        Output::Stills { template, format } => Output::Stills {
            template: inside(Path::new(template)).to_string_lossy().into_owned(),
            format: *format,
        },
        Output::Video { path, codec } => Output::Video {
            path: inside(path),
            codec: *codec,
        },
        Output::Gif { path } => Output::Gif { path: inside(path) },
        Output::Wav { path } => Output::Wav { path: inside(path) },
    };
    t
}

/// The files a collected task made: each planned path with the file's bytes.
type CollectedFiles<'py> = Vec<(PathBuf, Bound<'py, PyBytes>)>;

/// A folder of its own for one collected task (`isfkit-collect-XXXXXX` in the temporary
/// folder), removed when dropped.
fn scratch_dir() -> std::io::Result<tempfile::TempDir> {
    tempfile::Builder::new().prefix("isfkit-collect-").tempdir()
}

/// The summary `isf batch --json` prints, as JSON, for a run over `tasks` planned tasks:
/// `results[i]` holds the result JSONs of task i's pieces (empty: the task did not run).
/// Tasks that did not run are left out, as `isf batch` leaves them out when interrupted.
#[pyfunction]
pub fn summary_json(
    tasks_json: Vec<String>,
    results: Vec<Vec<String>>,
    seconds: f64,
    interrupted: bool,
    cleanup_ok: bool,
) -> PyResult<String> {
    let mut combined = Vec::new();
    for (i, parts) in results.iter().enumerate() {
        if parts.is_empty() {
            continue;
        }
        let parts: Vec<TaskResult> = parts
            .iter()
            .map(|p| serde_json::from_str(p))
            .collect::<Result<_, _>>()
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        let shader = tasks_json
            .get(i)
            .and_then(|t| serde_json::from_str::<Task>(t).ok())
            .map(|t| t.shader.display().to_string())
            .unwrap_or_default();
        combined.push(TaskResult::combine(&shader, &parts));
    }
    let summary = Summary::new(tasks_json.len(), combined, seconds, interrupted, cleanup_ok);
    // Through a JSON value: its keys sorted, as `isf batch --json` prints them.
    let value =
        serde_json::to_value(&summary).map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
    json(&value)
}

/// One process's batch runner: an engine (batch settings, `deadline` seconds per frame) and
/// an encoder pool, for running planned tasks in this process. `shutdown()` returns the
/// engine's cleanup report as JSON; afterwards running raises `RuntimeError`.
#[pyclass(name = "BatchRunner", module = "isfkit._native", frozen)]
pub struct PyBatchRunner {
    runner: Mutex<Option<Runner>>,
    interrupted: AtomicBool,
}

#[pymethods]
impl PyBatchRunner {
    #[new]
    #[pyo3(signature = (deadline = 120.0, threads = 0, in_flight = 3))]
    fn new(py: Python<'_>, deadline: f64, threads: usize, in_flight: usize) -> PyResult<Self> {
        if !(deadline.is_finite() && deadline > 0.0) {
            return Err(errors::input_error(
                py,
                format!("deadline must be a positive number of seconds, not {deadline}"),
            ));
        }
        let runner = py
            .detach(|| {
                Runner::new(RunnerConfig {
                    deadline: Duration::from_secs_f64(deadline),
                    threads,
                    in_flight,
                    ..Default::default()
                })
            })
            .map_err(|e| errors::to_py(py, e, None))?;
        Ok(PyBatchRunner {
            runner: Mutex::new(Some(runner)),
            interrupted: AtomicBool::new(false),
        })
    }

    /// Runs one task (JSON from `plan_job`/`plan_chunks`) and returns its result as JSON
    /// (`shader`, `frames_written`, `frames_skipped`, `error`, `seconds`). Stills are written
    /// under a temporary name and renamed; a broken shader is a failed result, not an
    /// exception.
    #[pyo3(signature = (task_json, resume = false, in_flight = 3))]
    fn run_task_json(
        &self,
        py: Python<'_>,
        task_json: &str,
        resume: bool,
        in_flight: usize,
    ) -> PyResult<String> {
        let task: Task =
            serde_json::from_str(task_json).map_err(|e| PyValueError::new_err(e.to_string()))?;
        let options = RunOptions {
            resume,
            in_flight,
            ..Default::default()
        };
        let result = py.detach(|| {
            let guard = self.runner.lock().unwrap_or_else(|e| e.into_inner());
            let runner = guard.as_ref().ok_or("the batch runner is shut down")?;
            Ok::<_, &str>(runner.run(&task, &options, &self.interrupted, &mut || {}))
        });
        json(&result.map_err(PyRuntimeError::new_err)?)
    }

    /// Runs one task as `run_task_json` does, but writes its files into a scratch folder
    /// of this process and returns them instead: `(result JSON, [(planned path, bytes)])`,
    /// for a driver that writes them (`isfkit.distributed --collect`: workers without the
    /// shared file system). Only complete files come back; the scratch folder is removed.
    #[pyo3(signature = (task_json, in_flight = 3))]
    fn run_task_collect<'py>(
        &self,
        py: Python<'py>,
        task_json: &str,
        in_flight: usize,
    ) -> PyResult<(String, CollectedFiles<'py>)> {
        let task: Task =
            serde_json::from_str(task_json).map_err(|e| PyValueError::new_err(e.to_string()))?;
        let options = RunOptions {
            in_flight,
            ..Default::default()
        };
        let outcome = py.detach(|| -> Result<_, String> {
            let scratch =
                scratch_dir().map_err(|e| format!("error: cannot create a scratch folder: {e}"))?;
            let local = redirected(&task, scratch.path());
            let guard = self.runner.lock().unwrap_or_else(|e| e.into_inner());
            let runner = guard.as_ref().ok_or("the batch runner is shut down")?;
            let result = runner.run(&local, &options, &self.interrupted, &mut || {});
            drop(guard);
            let mut files = Vec::new();
            for (planned, made) in task.output_files().into_iter().zip(local.output_files()) {
                match std::fs::read(&made) {
                    Ok(bytes) => files.push((planned, bytes)),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(format!("error: cannot read {}: {e}", made.display())),
                }
            }
            Ok((result, files))
        });
        let (mut result, files) = outcome.map_err(PyRuntimeError::new_err)?;
        result.shader = task.shader.display().to_string();
        let files = files
            .into_iter()
            .map(|(p, b)| (p, PyBytes::new(py, &b)))
            .collect();
        Ok((json(&result)?, files))
    }

    /// Finishes the encoder pool and shuts the engine down; returns the cleanup report as
    /// JSON (`ok`, `leaks`, `phases`, `text`). Idempotent: later calls return an empty
    /// report.
    fn shutdown(&self, py: Python<'_>) -> PyResult<String> {
        let taken = self.runner.lock().unwrap_or_else(|e| e.into_inner()).take();
        let Some(runner) = taken else {
            return Ok(r#"{"ok": true, "leaks": [], "phases": [], "text": ""}"#.to_owned());
        };
        let (report, pool_error) = py.detach(|| {
            let (written, report) = runner.finish();
            (report, written.err().map(|e| e.to_string()))
        });
        let mut value =
            serde_json::to_value(&report).map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
        value["ok"] = (report.ok() && pool_error.is_none()).into();
        value["text"] = report.to_string().into();
        value["pool_error"] = pool_error.into();
        json(&value)
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyBatchRunner>()?;
    m.add_function(wrap_pyfunction!(plan_job, m)?)?;
    m.add_function(wrap_pyfunction!(plan_chunks, m)?)?;
    m.add_function(wrap_pyfunction!(task_output_files, m)?)?;
    m.add_function(wrap_pyfunction!(summary_json, m)?)?;
    m.add_function(wrap_pyfunction!(failed_result_json, m)?)?;
    m.add_function(wrap_pyfunction!(join_video_parts, m)?)?;
    m.add_function(wrap_pyfunction!(frame_complete, m)?)?;
    m.add_function(wrap_pyfunction!(write_file_atomic, m)?)?;
    Ok(())
}
