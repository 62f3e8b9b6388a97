//! The render worker: a process of its own (`isf __serve-worker`) with one engine, rendering
//! one job at a time. Only a killed process stops a shader that never ends, so the server
//! runs every render here and kills the worker at the request's deadline.
//!
//! Protocol, one JSON object per line: the worker first writes `{"event":"ready",...}` (or
//! `{"event":"start_failed",...}` and exits 1). The parent then writes [`WorkerRequest`]s on
//! its stdin, one at a time; the worker answers each with `{"event":"rendered","id":..}` or
//! `{"event":"failed","id":..}`. When its stdin closes, the worker shuts its engine down and
//! writes `{"event":"shutdown","ok":..,"report":..}` (the engine's cleanup report) and exits
//! 0 when the report is clean, 3 when it shows a leak. Lines that are not JSON (a library
//! printing to stdout) are skipped by the parent.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use isfkit_batch::keys::{KeyTrack, Keyframes};
use isfkit_output::{encode_image, ImageFormat, PngCompression};
use isfkit_render::format::{ImportedImage, IsfDocument};
use isfkit_render::{
    Backend, Engine, EngineConfig, Error, ImageData, Program, RenderOptions, Scene, Value,
    MAX_IMAGE_SIDE,
};
use serde::{Deserialize, Serialize};

use crate::request::Format;

pub use isfkit_batch::lead_in::FramePlan;

/// A checked render: everything the worker needs, nothing it must check again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkerJob {
    pub source: String,
    pub vertex: Option<String>,
    /// The dialect the client named; `None`: detected.
    #[serde(default)]
    pub dialect: Option<isfkit_render::format::dialect::Dialect>,
    /// Where IMPORTED paths resolve (checked to be under the allowed folder).
    pub base_dir: Option<PathBuf>,
    /// The request's field that holds the shader (`shader_content` or `shader_path`): what an
    /// error about one of its IMPORTED files names.
    pub shader_field: String,
    pub width: u32,
    pub height: u32,
    pub format: Format,
    pub quality: u8,
    /// Input values in `--set` form, type-checked.
    pub inputs: Vec<(String, String)>,
    /// Keyed inputs (type-checked): each frame, a lead-in's included, gets the value at its
    /// time.
    #[serde(default)]
    pub keys: Vec<(String, KeyTrack)>,
    /// Image inputs: name, base64 PNG/JPEG.
    pub images: Vec<(String, String)>,
    pub frames: Vec<FramePlan>,
    pub lead_in: u64,
    /// Seconds; the engine's GPU wait deadline (the parent kills the worker at the same time).
    pub deadline: f64,
}

/// Parent to worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkerRequest {
    pub id: u64,
    pub job: WorkerJob,
}

/// One rendered frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrameOut {
    /// Its place in the request's `time_codes`.
    pub index: usize,
    pub time: f64,
    pub render_ms: f64,
    pub encode_ms: f64,
    pub mime: String,
    /// The encoded image, base64.
    pub data: String,
}

/// A finished render.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RenderOutput {
    pub frames: Vec<FrameOut>,
    pub width: u32,
    pub height: u32,
    pub backend: String,
    pub lead_in_frames: u64,
    pub lead_in_ms: f64,
    pub worker_pid: u32,
}

/// Worker to parent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum WorkerMessage {
    Ready {
        backend: String,
        pid: u32,
    },
    StartFailed {
        message: String,
    },
    Rendered {
        id: u64,
        output: RenderOutput,
    },
    /// `kind`: `bad_request` (with `field`), `invalid_shader`, `timeout`, `render_failed`.
    Failed {
        id: u64,
        kind: String,
        field: Option<String>,
        message: String,
    },
    Shutdown {
        ok: bool,
        report: String,
        leaks: usize,
    },
}

impl WorkerMessage {
    pub fn parse(line: &str) -> Option<WorkerMessage> {
        serde_json::from_str(line.trim()).ok()
    }

    pub fn to_line(&self) -> String {
        serde_json::to_string(self).expect("worker messages serialize")
    }
}

/// Base64 (standard alphabet, padded).
pub fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn send(out: &mut dyn Write, m: &WorkerMessage) -> bool {
    writeln!(out, "{}", m.to_line())
        .and_then(|_| out.flush())
        .is_ok()
}

struct JobError {
    kind: &'static str,
    field: Option<String>,
    message: String,
}

fn engine_error(e: Error) -> JobError {
    JobError {
        kind: crate::error::kind_of(e.kind()),
        field: None,
        message: e.message(std::path::Path::new("shader.fs")),
    }
}

/// A scene's creation error. An IMPORTED file that cannot be read as an image is the
/// client's input (like an image input that does not decode): `bad_request`, naming the
/// shader's field and the IMPORTED entry as the header wrote it (not the server's path).
fn imported_error(e: Error, imported: &[ImportedImage], job: &WorkerJob) -> JobError {
    let Error::Image { path, message } = &e else {
        return engine_error(e);
    };
    let Some(im) = imported.iter().find(|im| im.resolved_path == *path) else {
        return engine_error(e);
    };
    JobError {
        kind: "bad_request",
        field: Some(job.shader_field.clone()),
        message: format!(
            "IMPORTED image \"{}\" ({}) is not an image this server can read: {message}",
            im.name, im.path
        ),
    }
}

/// A request's shader: its text, vertex shader and base folder.
type Key = (
    String,
    Option<String>,
    Option<PathBuf>,
    Option<isfkit_render::format::dialect::Dialect>,
);

/// Compiled programs of recent requests, by source (a program is a value: each request gets a
/// scene of its own, or a reused one with no state left, see [`Scenes`]).
type Programs = std::collections::HashMap<Key, Program>;

/// Scenes of recent requests whose shader keeps nothing between frames (no persistent
/// buffer, FRAMEINDEX or TIMEDELTA) and reads no image or sound, with every input's value as
/// the scene started. Such a scene is reused with its inputs set back to those values: a new
/// scene per request rebuilt its GPU pipelines, which lavapipe compiles to machine code, and
/// that was most of a small render's time.
#[derive(Default)]
struct Scenes(std::collections::HashMap<Key, (Scene, Vec<(String, Value)>)>);

fn job_key(job: &WorkerJob) -> Key {
    (
        job.source.clone(),
        job.vertex.clone(),
        job.base_dir.clone(),
        job.dialect,
    )
}

/// The scene for `job`: a reused one with its inputs at their starting values, or a new one
/// (kept for later when it can be reused).
fn scene_for(
    engine: &Engine,
    job: &WorkerJob,
    programs: &mut Programs,
    scenes: &mut Scenes,
) -> Result<Scene, JobError> {
    let key = job_key(job);
    if let Some((scene, start)) = scenes.0.get(&key) {
        if scene.is_alive() {
            for (name, value) in start {
                scene.set(name, *value).map_err(engine_error)?;
            }
            return Ok(scene.clone());
        }
    }
    let program = program(job, programs)?;
    let facts = program.facts;
    let reusable = !facts.stateful()
        && !facts.image_inputs
        && !facts.audio_inputs
        && program.doc.imported.is_empty();
    let imported = program.doc.imported.clone();
    let scene = engine
        .create_scene(program)
        .map_err(|e| imported_error(e, &imported, job))?;
    if reusable {
        let start = scene
            .document()
            .inputs
            .iter()
            .filter_map(|i| scene.value(&i.name).map(|v| (i.name.clone(), v)))
            .collect();
        if scenes.0.len() >= 8 {
            scenes.0.clear();
        }
        scenes.0.insert(key, (scene.clone(), start));
    }
    Ok(scene)
}

fn program(job: &WorkerJob, programs: &mut Programs) -> Result<Program, JobError> {
    let key = job_key(job);
    if let Some(p) = programs.get(&key) {
        return Ok(p.clone());
    }
    let doc = IsfDocument::parse_dialect(&job.source, job.base_dir.as_deref(), job.dialect)
        .map_err(|e| engine_error(Error::Format(e)))?;
    let imports = !doc.imported.is_empty();
    let program = Program::compile(doc, job.vertex.clone(), None, None, "shader".into())
        .map_err(|e| engine_error(e.into()))?;
    if !imports {
        if programs.len() >= 16 {
            programs.clear();
        }
        programs.insert(key, program.clone());
    }
    Ok(program)
}

fn run_job(
    engine: &Engine,
    job: &WorkerJob,
    pid: u32,
    programs: &mut Programs,
    scenes: &mut Scenes,
) -> Result<RenderOutput, JobError> {
    let scene = scene_for(engine, job, programs, scenes)?;
    for (name, text) in &job.inputs {
        scene.set_text(name, text).map_err(|e| JobError {
            field: Some(format!("inputs.{name}")),
            ..engine_error(e)
        })?;
    }
    for (name, data) in &job.images {
        let field = format!("images.{name}");
        let bad = |message: String| JobError {
            kind: "bad_request",
            field: Some(field.clone()),
            message: format!("{field}: {message}"),
        };
        let bytes = crate::request::decode_base64(data).ok_or_else(|| bad("not base64".into()))?;
        let image = isfkit_media::decode_image(&bytes, MAX_IMAGE_SIDE)
            .map_err(|e| bad(format!("not an image this server can read: {}", e.message)))?;
        let image = ImageData::new(image.width, image.height, image.rgba)
            .map_err(|e| bad(e.to_string()))?;
        scene
            .set_image(name, image)
            .map_err(|e| bad(e.to_string()))?;
    }
    let keys = job
        .keys
        .iter()
        .map(|(name, track)| {
            let ty = scene.input(name)?.ty;
            Ok((name, Keyframes::new(name, &ty, track)?))
        })
        .collect::<Result<Vec<_>, isfkit_render::Error>>()
        .map_err(engine_error)?;
    let mut frames = Vec::new();
    let mut lead_in_ms = 0.0;
    for f in &job.frames {
        for (name, k) in &keys {
            scene.set(name, k.value_at(f.time)).map_err(engine_error)?;
        }
        let opts = RenderOptions::new(job.width, job.height, f.time);
        let started = Instant::now();
        match f.index {
            None => {
                drop(
                    engine
                        .render_to_texture(&scene, &opts)
                        .map_err(engine_error)?,
                );
                lead_in_ms += started.elapsed().as_secs_f64() * 1000.0;
            }
            Some(index) => {
                let frame = scene.render(&opts).map_err(engine_error)?;
                let render_ms = started.elapsed().as_secs_f64() * 1000.0;
                let encoded = Instant::now();
                let format = match job.format {
                    Format::Png => ImageFormat::Png {
                        bits: 8,
                        compression: PngCompression::Fast,
                    },
                    Format::Jpeg => ImageFormat::Jpeg {
                        quality: job.quality,
                    },
                };
                let bytes = encode_image(&frame, format, std::path::Path::new("the frame"))
                    .map_err(|e| JobError {
                        kind: crate::error::kind_of(e.kind()),
                        field: None,
                        message: format!("cannot encode the frame: {e}"),
                    })?;
                frames.push(FrameOut {
                    index,
                    time: f.time,
                    render_ms,
                    encode_ms: encoded.elapsed().as_secs_f64() * 1000.0,
                    mime: job.format.mime().into(),
                    data: b64(&bytes),
                });
            }
        }
    }
    frames.sort_by_key(|f| f.index);
    Ok(RenderOutput {
        frames,
        width: job.width,
        height: job.height,
        backend: engine.adapter_name(),
        lead_in_frames: job.lead_in,
        lead_in_ms,
        worker_pid: pid,
    })
}

/// The worker's main loop on `input`/`output` (stdin/stdout); returns the exit status.
pub fn serve(input: impl BufRead, mut output: impl Write, backend: &str) -> u8 {
    let pid = std::process::id();
    let backend = Backend::parse(backend).unwrap_or(Backend::Auto);
    let engine = match Engine::new(isfkit_batch::media::with_media_files(EngineConfig::new(
        backend,
        Duration::from_secs(10),
    ))) {
        Ok(e) => e,
        Err(e) => {
            send(
                &mut output,
                &WorkerMessage::StartFailed {
                    message: format!("the render worker could not start an engine: {e}"),
                },
            );
            return 1;
        }
    };
    send(
        &mut output,
        &WorkerMessage::Ready {
            backend: engine.adapter_name(),
            pid,
        },
    );
    let mut programs = Programs::new();
    let mut scenes = Scenes::default();
    let mut last_size: Option<(u32, u32)> = None;
    for line in input.lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let answer = match serde_json::from_str::<WorkerRequest>(&line) {
            Err(e) => WorkerMessage::Failed {
                id: 0,
                kind: "render_failed".into(),
                field: None,
                message: format!("the worker could not read its request: {e}"),
            },
            Ok(req) => {
                let d = req.job.deadline;
                if d.is_finite() && d > 0.0 {
                    engine.set_deadline(Duration::from_secs_f64(d.min(1e6)));
                }
                // Pooled textures are kept for the next request of the same size (the usual
                // case: an agent renders at one size); a new size lets go of the old ones, so
                // a worker holds the textures of one size at most.
                let size = (req.job.width, req.job.height);
                if last_size.replace(size).is_some_and(|last| last != size) {
                    engine.cleanup();
                }
                let result = run_job(&engine, &req.job, pid, &mut programs, &mut scenes);
                match result {
                    Ok(output) => WorkerMessage::Rendered { id: req.id, output },
                    Err(e) => WorkerMessage::Failed {
                        id: req.id,
                        kind: e.kind.into(),
                        field: e.field,
                        message: e.message,
                    },
                }
            }
        };
        if !send(&mut output, &answer) {
            break;
        }
    }
    // The scenes let go of their GPU resources before the engine checks for leaks.
    drop(scenes);
    let report = engine.shutdown();
    let ok = report.ok();
    send(
        &mut output,
        &WorkerMessage::Shutdown {
            ok,
            report: report.to_string(),
            leaks: report.leaks.len(),
        },
    );
    if ok {
        0
    } else {
        3
    }
}

/// `isf __serve-worker`: [`serve`] on stdin and stdout.
pub fn main(backend: &str) -> u8 {
    let stdin = std::io::stdin();
    serve(stdin.lock(), std::io::stdout(), backend)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip() {
        let m = WorkerMessage::Failed {
            id: 3,
            kind: "timeout".into(),
            field: None,
            message: "x".into(),
        };
        assert_eq!(WorkerMessage::parse(&m.to_line()), Some(m));
        assert_eq!(WorkerMessage::parse("chatter"), None);
    }
}
