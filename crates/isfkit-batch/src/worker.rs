//! The isolated-worker protocol: a task run in a child process that the parent can kill at a
//! wall-clock deadline (only a killed process stops a shader that never ends).
//!
//! The parent writes one [`WorkerRequest`] as JSON to the worker's stdin and closes it. The
//! worker never reads the job file: the request holds the checked [`Task`]. It answers on
//! stdout with one [`WorkerEvent`] JSON object per line: `{"event":"frame"}` per frame handed
//! over for writing, then exactly one `{"event":"done","result":{...}}` (a [`TaskResult`]) or,
//! when the request itself could not be read, `{"event":"failed","error":"..."}`. The exit
//! status is 0 when the task succeeded, 1 when it failed, 2 for an unreadable request. A
//! worker that is killed answers nothing more: the parent then calls
//! [`Task::remove_temporaries`].

use std::io::{Read, Write};
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use isfkit_render::ErrorKind;
use serde::{Deserialize, Serialize};

use crate::executor::{RunOptions, TaskResult};
use crate::plan::Task;
use crate::runner::{Runner, RunnerConfig};

/// Parent to worker: everything needed to run one task, as one JSON document on stdin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkerRequest {
    pub task: Task,
    pub options: RunOptions,
    /// Encoder threads (0 = one per core).
    pub threads: usize,
    /// Seconds one frame may take on the GPU.
    pub deadline: f64,
}

/// Worker to parent: one per line on stdout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum WorkerEvent {
    /// One frame was handed over for writing (for progress).
    Frame,
    /// The task ran (or could not: no GPU, a broken shader); the worker's last line.
    Done { result: TaskResult },
    /// The request could not be read; the worker's last line.
    Failed { error: String },
}

impl WorkerEvent {
    /// The event on one line of a worker's stdout, or `None` for a line that is not one
    /// (a library printing to stdout must not break the protocol).
    pub fn parse(line: &str) -> Option<WorkerEvent> {
        serde_json::from_str(line.trim()).ok()
    }

    /// The event as one line of JSON, without the newline.
    pub fn to_line(&self) -> String {
        serde_json::to_string(self).expect("worker events serialize")
    }
}

/// The worker side: reads a [`WorkerRequest`] from `input` (to its end), runs the task on an
/// engine of its own and writes [`WorkerEvent`] lines to `output`, flushing each. Returns the
/// exit status for the process. `interrupted` (Ctrl-C reaches the worker too) finishes the
/// frames in flight as in-process runs do.
pub fn serve(mut input: impl Read, mut output: impl Write, interrupted: &AtomicBool) -> u8 {
    let mut text = String::new();
    let request = input
        .read_to_string(&mut text)
        .map_err(|e| format!("cannot read the task from stdin: {e}"))
        .and_then(|_| {
            serde_json::from_str::<WorkerRequest>(&text)
                .map_err(|e| format!("the task message is not valid: {e}"))
        });
    let request = match request {
        Ok(r) => r,
        Err(error) => {
            send(&mut output, &WorkerEvent::Failed { error });
            return 2;
        }
    };
    let result = run_request(&request, interrupted, &mut || {
        send(&mut output, &WorkerEvent::Frame)
    });
    let code = if result.error.is_some() { 1 } else { 0 };
    send(&mut output, &WorkerEvent::Done { result });
    code
}

/// Writes one event line and flushes it, so the parent sees progress as it happens.
fn send(out: &mut dyn Write, event: &WorkerEvent) {
    // The parent is gone when stdout is closed: nothing useful is left to do with that.
    if writeln!(out, "{}", event.to_line())
        .and_then(|_| out.flush())
        .is_err()
    {
        tracing::debug!("the parent stopped reading the worker's output");
    }
}

fn run_request(
    request: &WorkerRequest,
    interrupted: &AtomicBool,
    on_frame: &mut dyn FnMut(),
) -> TaskResult {
    let task = &request.task;
    if let Some(why) = &task.broken {
        return TaskResult::failed(task, ErrorKind::InvalidShader, why.clone(), 0.0);
    }
    let deadline = if request.deadline.is_finite() && request.deadline > 0.0 {
        Duration::from_secs_f64(request.deadline.min(1e9))
    } else {
        Duration::from_millis(1)
    };
    let runner = match Runner::new(RunnerConfig {
        deadline,
        threads: request.threads,
        in_flight: request.options.in_flight,
        ..Default::default()
    }) {
        Ok(r) => r,
        Err(e) => return TaskResult::failed(task, e.kind(), e.render(&task.shader), 0.0),
    };
    let mut result = runner.run(task, &request.options, interrupted, on_frame);
    let (written, report) = runner.finish();
    if let Err(e) = written {
        if result.error.is_none() {
            result.error = Some(format!("error: {e}"));
            result.kind = Some(e.kind());
        }
    }
    if !report.ok() {
        tracing::warn!("the worker's cleanup found problems:\n{report}");
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{FrameAt, Output};

    fn request(broken: Option<&str>) -> WorkerRequest {
        WorkerRequest {
            task: Task {
                origin: "jobs[0] (bad.fs)".into(),
                start: 0.25,
                frames: vec![FrameAt {
                    number: 0,
                    time: 0.25,
                }],
                inputs: [("speed".to_owned(), "1.5".to_owned())].into(),
                broken: broken.map(Into::into),
                ..Task::new(
                    "bad.fs".into(),
                    (8, 8),
                    30.0,
                    1,
                    Output::Gif {
                        path: "out/a.gif".into(),
                    },
                )
            },
            options: RunOptions {
                resume: true,
                in_flight: 2,
                ..Default::default()
            },
            threads: 1,
            deadline: 10.0,
        }
    }

    #[test]
    fn messages_round_trip() {
        let r = request(None);
        let back: WorkerRequest =
            serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        assert_eq!(back, r);
        assert_eq!(WorkerEvent::Frame.to_line(), r#"{"event":"frame"}"#);
        let done = WorkerEvent::Done {
            result: TaskResult {
                shader: "a.fs".into(),
                frames_written: 3,
                ..Default::default()
            },
        };
        assert_eq!(WorkerEvent::parse(&done.to_line()), Some(done));
        assert_eq!(WorkerEvent::parse("some library's chatter"), None);
    }

    /// A broken task fails in the worker without a GPU, with the planned message.
    #[test]
    fn a_broken_task_answers_done_with_its_error() {
        let input = serde_json::to_vec(&request(Some("bad.fs:1:1: error: nope"))).unwrap();
        let mut out = Vec::new();
        let code = serve(input.as_slice(), &mut out, &AtomicBool::new(false));
        assert_eq!(code, 1);
        let text = String::from_utf8(out).unwrap();
        let events: Vec<WorkerEvent> = text.lines().filter_map(WorkerEvent::parse).collect();
        let [WorkerEvent::Done { result }] = events.as_slice() else {
            panic!("{text}")
        };
        assert_eq!(result.error.as_deref(), Some("bad.fs:1:1: error: nope"));
        assert_eq!(result.shader, "bad.fs");
    }

    #[test]
    fn an_unreadable_request_fails_with_status_2() {
        let mut out = Vec::new();
        let code = serve(&b"{\"task\": 1}"[..], &mut out, &AtomicBool::new(false));
        assert_eq!(code, 2);
        let text = String::from_utf8(out).unwrap();
        match WorkerEvent::parse(text.trim()) {
            Some(WorkerEvent::Failed { error }) => {
                assert!(
                    error.starts_with("the task message is not valid: "),
                    "{error}"
                )
            }
            other => panic!("{other:?}"),
        }
    }
}
