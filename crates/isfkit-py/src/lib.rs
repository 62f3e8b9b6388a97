//! `isfkit._native`: thin `Py*` wrappers over isfkit-render.
//!
//! The Python package `isfkit` (in `python/isfkit`) builds the pythonic API and the pyvvisf
//! compatibility layer on top of these classes; nothing here renders or decides anything the
//! engine does not. Structured results (document info, cleanup reports, live resources) are
//! Python classes made here from the engine's own values (`document.rs`, `reports.rs`).
//!
//! Every call that may wait for the GPU (engine creation, render, re-initialisation, cleanup,
//! shutdown, PNG writing) releases the GIL with `py.detach`, so other Python threads run while
//! the GPU works.

// Proving a batch runner `Sync` walks wgpu's and naga's types deeper than the default limit.
#![recursion_limit = "256"]

mod batch;
mod convert;
mod document;
mod errors;
mod reports;

use std::path::PathBuf;
use std::time::Duration;

use isfkit_batch::media::Moving;
use isfkit_output::FrameExt;
use isfkit_render::format::IsfDocument;
use isfkit_render::glsl::{Finding, Validation};
use isfkit_render::{
    Backend, Engine, EngineConfig, Error, Frame, ImageData, LoadError, Pixels, Program,
    RenderOptions, Scene, Sound, Value,
};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyList, PyTuple};

/// The engine: one wgpu device generation at a time, the registry, the pool, the cleanup
/// coordinator. `shutdown()` is idempotent; afterwards every call raises `ResourceError`.
#[pyclass(name = "Engine", module = "isfkit._native", frozen)]
pub struct PyEngine {
    engine: Engine,
}

#[pymethods]
impl PyEngine {
    #[new]
    #[pyo3(signature = (backend = "auto", deadline = 120.0, private_instance = false))]
    fn new(py: Python<'_>, backend: &str, deadline: f64, private_instance: bool) -> PyResult<Self> {
        let backend = Backend::parse(backend).ok_or_else(|| {
            errors::input_error(
                py,
                format!("unknown backend \"{backend}\" (auto, vulkan, gl, metal, dx12)"),
            )
        })?;
        let deadline = deadline_from(py, deadline)?;
        let engine = py
            .detach(|| {
                Engine::new(isfkit_batch::media::with_media_files(EngineConfig {
                    private_instance,
                    ..EngineConfig::new(backend, deadline)
                }))
            })
            .map_err(|e| errors::to_py(py, e, None))?;
        Ok(PyEngine { engine })
    }

    /// Loads an ISF file (and its `.vs` sibling, if any).
    fn load(slf: &Bound<'_, Self>, path: PathBuf) -> PyResult<PyScene> {
        let py = slf.py();
        let label = path.display().to_string();
        let engine = &slf.get().engine;
        let scene = py
            .detach(|| engine.load(&path))
            .map_err(|e| errors::to_py(py, e, Some(&label)))?;
        Ok(PyScene::new(slf, scene, label))
    }

    /// Loads ISF source text, with an optional vertex shader.
    #[pyo3(signature = (source, vertex = None))]
    fn load_source(slf: &Bound<'_, Self>, source: &str, vertex: Option<&str>) -> PyResult<PyScene> {
        let py = slf.py();
        let engine = &slf.get().engine;
        let scene = py
            .detach(|| engine.load_source(source, vertex))
            .map_err(|e| errors::to_py(py, e, Some("<source>")))?;
        Ok(PyScene::new(slf, scene, "<source>".to_owned()))
    }

    /// Runs the cleanup coordinator; returns the report as JSON. Idempotent.
    fn shutdown(&self, py: Python<'_>) -> reports::PyCleanupReport {
        let engine = &self.engine;
        reports::PyCleanupReport::new(py.detach(|| engine.shutdown()))
    }

    /// Never waits: an atomic flag, not the engine lock.
    #[getter]
    fn is_shut_down(&self) -> bool {
        self.engine.is_shut_down()
    }

    /// Replaces the device; returns the re-initialisation report as JSON.
    fn reinitialize(&self, py: Python<'_>) -> PyResult<reports::PyReinitReport> {
        let engine = &self.engine;
        py.detach(|| engine.reinitialize())
            .map(reports::PyReinitReport::from)
            .map_err(|e| errors::to_py(py, e, None))
    }

    /// Frees pooled objects nobody holds: `(count, bytes)`.
    fn cleanup(&self, py: Python<'_>) -> PyResult<(u64, u64)> {
        self.check_alive(py)?;
        let engine = &self.engine;
        let f = py.detach(|| engine.cleanup());
        Ok((f.count, f.bytes))
    }

    /// Frees every pooled object, held or not: `(count, bytes)`.
    fn force_cleanup(&self, py: Python<'_>) -> PyResult<(u64, u64)> {
        self.check_alive(py)?;
        let engine = &self.engine;
        let f = py.detach(|| engine.force_cleanup());
        Ok((f.count, f.bytes))
    }

    /// Every live GPU object, in creation order (works after shutdown too).
    fn live_resources(&self, py: Python<'_>) -> Vec<reports::PyLiveResource> {
        let engine = &self.engine;
        py.detach(|| engine.live_resources())
            .iter()
            .map(reports::PyLiveResource::from)
            .collect()
    }

    /// Live GPU objects by kind.
    fn resources<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
        let engine = &self.engine;
        reports::resources_dict(py, py.detach(|| engine.resources()))
    }

    fn pool_stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
        let engine = &self.engine;
        reports::pool_stats_dict(py, py.detach(|| engine.pool_stats()))
    }

    fn adapter_name(&self, py: Python<'_>) -> String {
        let engine = &self.engine;
        py.detach(|| engine.adapter_name())
    }

    #[getter]
    fn generation(&self) -> u64 {
        self.engine.generation()
    }

    #[getter]
    fn deadline(&self) -> f64 {
        self.engine.deadline().as_secs_f64()
    }

    #[setter]
    fn set_deadline(&self, py: Python<'_>, seconds: f64) -> PyResult<()> {
        self.engine.set_deadline(deadline_from(py, seconds)?);
        Ok(())
    }

    /// Test hook: leaks a texture on purpose so the cleanup report has something to list.
    fn _debug_leak_texture(&self, py: Python<'_>, label: &str) -> PyResult<()> {
        self.engine
            .debug_leak_texture(label)
            .map_err(|e| errors::to_py(py, e, None))
    }
}

impl PyEngine {
    fn check_alive(&self, py: Python<'_>) -> PyResult<()> {
        if self.engine.is_shut_down() {
            Err(errors::shut_down(py))
        } else {
            Ok(())
        }
    }
}

fn deadline_from(py: Python<'_>, seconds: f64) -> PyResult<Duration> {
    Duration::try_from_secs_f64(seconds)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| {
            errors::input_error(
                py,
                format!("deadline must be a positive number of seconds, got {seconds}"),
            )
        })
}

/// A loaded shader. Holds its engine, so the engine lives while any scene does; after the
/// engine's shutdown every method raises `ResourceError`.
#[pyclass(name = "Scene", module = "isfkit._native", frozen)]
pub struct PyScene {
    scene: Scene,
    engine: Py<PyEngine>,
    label: String,
    /// Videos and image sequences on image inputs and keyframed inputs, set for each
    /// frame's time before it renders.
    moving: std::sync::Mutex<Moving>,
}

impl PyScene {
    fn new(engine: &Bound<'_, PyEngine>, scene: Scene, label: String) -> PyScene {
        PyScene {
            scene,
            engine: engine.clone().unbind(),
            label,
            moving: Default::default(),
        }
    }

    fn moving(&self) -> std::sync::MutexGuard<'_, Moving> {
        self.moving.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn check_alive(&self, py: Python<'_>) -> PyResult<()> {
        self.engine.get().check_alive(py)
    }

    fn map<T>(&self, py: Python<'_>, r: isfkit_render::Result<T>) -> PyResult<T> {
        r.map_err(|e| errors::to_py(py, e, Some(&self.label)))
    }
}

#[pymethods]
impl PyScene {
    /// The parsed document (inputs, passes, kind, metadata).
    fn info(&self, py: Python<'_>) -> PyResult<document::PyShaderInfo> {
        let scene = &self.scene;
        let doc = py.detach(|| scene.document());
        document::shader_info(py, &doc)
    }

    /// The generated GLSL 450 of the fragment and vertex stages.
    fn generated_glsl(&self, py: Python<'_>) -> (String, String) {
        let scene = &self.scene;
        py.detach(|| scene.generated_glsl())
    }

    #[getter]
    fn label(&self) -> &str {
        &self.label
    }

    /// Sets a non-image input from a Python value (bool, number, label, sequence, numpy),
    /// converted by the one conversion in Rust (`convert.rs`); `lenient` applies pyvvisf's
    /// coercions.
    #[pyo3(signature = (name, value, lenient = false))]
    fn set_input(
        &self,
        py: Python<'_>,
        name: &str,
        value: &Bound<'_, PyAny>,
        lenient: bool,
    ) -> PyResult<()> {
        self.check_alive(py)?;
        let scene = &self.scene;
        let input = py.detach(|| scene.input(name));
        let input = self.map(py, input)?;
        let value = convert::input_value(py, &input, value, lenient)?;
        let r = py.detach(|| scene.set(name, value));
        self.map(py, r)
    }

    /// The current value of a non-image input: bool, int, float or a tuple; None if unset.
    fn value<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
        let scene = &self.scene;
        Ok(match py.detach(|| scene.value(name)) {
            None => None,
            Some(Value::Bool(b)) => Some(b.into_pyobject(py)?.to_owned().into_any()),
            Some(Value::Long(v)) => Some(v.into_pyobject(py)?.into_any()),
            Some(Value::Float(v)) => Some((v as f64).into_pyobject(py)?.into_any()),
            Some(Value::Point2D(p)) => Some(PyTuple::new(py, p.map(f64::from))?.into_any()),
            Some(Value::Color(c)) => Some(PyTuple::new(py, c.map(f64::from))?.into_any()),
        })
    }

    /// Sets an image input from RGBA8 bytes, rows top to bottom.
    fn set_image(
        &self,
        py: Python<'_>,
        name: &str,
        width: u32,
        height: u32,
        rgba: &Bound<'_, PyBytes>,
    ) -> PyResult<()> {
        self.check_alive(py)?;
        let image = ImageData::new(width, height, rgba.as_bytes().to_vec())
            .map_err(|e| errors::to_py(py, e, None))?;
        let scene = &self.scene;
        let r = py.detach(|| scene.set_image(name, image));
        self.map(py, r)
    }

    /// Sets an image input from a PNG or JPEG file.
    fn set_image_file(&self, py: Python<'_>, name: &str, path: PathBuf) -> PyResult<()> {
        self.check_alive(py)?;
        let scene = &self.scene;
        let r = py.detach(|| isfkit_batch::media::set_image_file(scene, name, &path));
        self.map(py, r)
    }

    /// Sets an audio or audioFFT input to a sound: one list of samples per channel at
    /// `sample_rate`. Each frame sees the window that ends at its time.
    fn set_audio(
        &self,
        py: Python<'_>,
        name: &str,
        channels: Vec<Vec<f32>>,
        sample_rate: u32,
    ) -> PyResult<()> {
        self.check_alive(py)?;
        let scene = &self.scene;
        let r = py.detach(|| {
            let expected = scene.input(name)?.ty.type_name();
            let sound = Sound::new(sample_rate, channels).map_err(|e| Error::InputType {
                name: name.to_owned(),
                expected,
                given: e.to_string(),
            })?;
            scene.set_sound(name, sound)
        });
        self.map(py, r)
    }

    /// Sets an audio or audioFFT input from a sound file (WAV, or anything ffmpeg decodes).
    fn set_audio_file(&self, py: Python<'_>, name: &str, path: PathBuf) -> PyResult<()> {
        self.check_alive(py)?;
        let scene = &self.scene;
        let r = py.detach(|| isfkit_batch::media::set_sound_file(scene, name, &path).map(|_| ()));
        self.map(py, r)
    }

    /// Sets image input `name` to a video or an image sequence (`clip.mp4#loop`,
    /// `shots/f_%04d.png`): each render shows the clip's frame at its time (a sequence
    /// without a rate shows one file per frame at `fps`).
    #[pyo3(signature = (name, path, fps = 30.0))]
    fn set_clip(&self, py: Python<'_>, name: &str, path: &str, fps: f64) -> PyResult<()> {
        self.check_alive(py)?;
        let scene = &self.scene;
        let r = py.detach(|| {
            scene.check_input(name)?;
            let images = [(name.to_owned(), PathBuf::from(path))].into();
            let (stills, clips) = isfkit_batch::media::open_clips(&scene.document(), &images, fps)?;
            if !stills.is_empty() {
                return Err(Error::Image {
                    path: path.into(),
                    message: "not a video or an image sequence".into(),
                });
            }
            let mut moving = self.moving();
            moving.clips.retain(|(n, _)| n != name);
            moving.clips.extend(clips);
            Ok(())
        });
        self.map(py, r)
    }

    /// Keys input `name`: `(time, value text)` pairs, moving between them along `ease`
    /// (`linear`, `ease-in`, `ease-out`, `ease-in-out`; steps for bools and longs); each
    /// render sets the value at its time.
    #[pyo3(signature = (name, keys, ease = "linear"))]
    fn set_keys(
        &self,
        py: Python<'_>,
        name: &str,
        keys: Vec<(f64, String)>,
        ease: &str,
    ) -> PyResult<()> {
        self.check_alive(py)?;
        let scene = &self.scene;
        let r = py.detach(|| {
            let ty = scene.input(name)?.ty;
            let ease = isfkit_batch::keys::Ease::parse(ease).map_err(|reason| {
                isfkit_render::Error::Value {
                    what: format!("input \"{name}\""),
                    reason,
                }
            })?;
            let track = isfkit_batch::keys::KeyTrack { keys, ease };
            let k = isfkit_batch::keys::Keyframes::new(name, &ty, &track)?;
            let mut moving = self.moving();
            moving.keys.retain(|(n, _)| n != name);
            moving.keys.push((name.to_owned(), k));
            Ok(())
        });
        self.map(py, r)
    }

    /// Renders one frame (every pass) and reads it back.
    #[pyo3(signature = (width, height, time = 0.0, float_output = false, date = None))]
    fn render(
        &self,
        py: Python<'_>,
        width: u32,
        height: u32,
        time: f64,
        float_output: bool,
        date: Option<[f32; 4]>,
    ) -> PyResult<PyFrame> {
        self.check_alive(py)?;
        let opts = RenderOptions {
            width,
            height,
            time,
            float_output,
            date,
        };
        let scene = &self.scene;
        let r = py.detach(|| {
            if !self.moving().apply(scene, time)? {
                return Err(Error::Image {
                    path: "-".into(),
                    message: "the stream on standard input has ended".into(),
                });
            }
            scene.render(&opts)
        });
        Ok(PyFrame {
            frame: self.map(py, r)?,
        })
    }

    /// Renders one frame per time, in order, pipelined like `isf render`: up to `in_flight`
    /// frames are on the GPU while the oldest is read back. Returns the frames in order.
    #[pyo3(signature = (width, height, times, float_output = false, in_flight = 3))]
    fn render_many(
        &self,
        py: Python<'_>,
        width: u32,
        height: u32,
        times: Vec<f64>,
        float_output: bool,
        in_flight: usize,
    ) -> PyResult<Vec<PyFrame>> {
        self.check_alive(py)?;
        let engine = &self.engine.get().engine;
        let scene = &self.scene;
        let r = py.detach(|| {
            let mut frames = Vec::with_capacity(times.len());
            let mut moving = self.moving();
            let mut failed = None;
            // Each frame's videos and keyed values are set as it is submitted.
            let opts = times.iter().map_while(|&time| {
                match moving.apply(scene, time) {
                    Ok(true) => {}
                    // A stream on standard input ended: the frames end with it.
                    Ok(false) => return None,
                    Err(e) => {
                        failed = Some(e);
                        return None;
                    }
                }
                Some(RenderOptions {
                    width,
                    height,
                    time,
                    float_output,
                    date: None,
                })
            });
            engine
                .render_pipelined(scene, opts, in_flight, |_, frame| {
                    frames.push(PyFrame { frame });
                    Ok::<(), isfkit_render::Error>(())
                })
                .and_then(|_| failed.map_or(Ok(frames), Err))
        });
        self.map(py, r)
    }

    /// Frames rendered so far (the next frame's FRAMEINDEX).
    #[getter]
    fn frame_index(&self, py: Python<'_>) -> u64 {
        let scene = &self.scene;
        py.detach(|| scene.frame_index())
    }

    /// `seconds` of a Shadertoy shader's Sound pass from `start`: (the samples as 32-bit
    /// floats, one channel after the other, the channel count, the sample rate); `None`
    /// without one.
    #[pyo3(signature = (seconds, start = 0.0))]
    fn render_sound<'py>(
        &self,
        py: Python<'py>,
        seconds: f64,
        start: f64,
    ) -> PyResult<Option<(Bound<'py, PyBytes>, usize, u32)>> {
        self.check_alive(py)?;
        let scene = &self.scene;
        let sound = self.map(py, py.detach(|| scene.render_sound(start, seconds)))?;
        Ok(sound.map(|s| {
            let bytes: Vec<u8> = s
                .channels()
                .iter()
                .flatten()
                .flat_map(|v| v.to_le_bytes())
                .collect();
            (PyBytes::new(py, &bytes), s.channel_count(), s.sample_rate())
        }))
    }
}

/// A rendered frame in memory (rows top to bottom), RGBA8 or RGBA32F.
#[pyclass(name = "Frame", module = "isfkit._native", frozen)]
pub struct PyFrame {
    frame: Frame,
}

#[pymethods]
impl PyFrame {
    #[getter]
    fn width(&self) -> u32 {
        self.frame.width
    }

    #[getter]
    fn height(&self) -> u32 {
        self.frame.height
    }

    /// True when the pixels are 32-bit floats.
    #[getter]
    fn is_float(&self) -> bool {
        matches!(self.frame.pixels, Pixels::Rgba32F(_))
    }

    /// The pixels as a new bytearray: RGBA8, or RGBA32F in native byte order. One copy; numpy
    /// wraps it without another (`np.frombuffer`).
    /// With `rgba8`, float frames are clamped to 0..1 and rounded to bytes.
    #[pyo3(signature = (rgba8 = false))]
    fn pixel_bytes<'py>(&self, py: Python<'py>, rgba8: bool) -> PyResult<Bound<'py, PyByteArray>> {
        if rgba8 && matches!(self.frame.pixels, Pixels::Rgba32F(_)) {
            return Ok(PyByteArray::new(py, &self.frame.to_rgba8()));
        }
        match &self.frame.pixels {
            Pixels::Rgba8(v) => PyByteArray::new_with(py, v.len(), |buf| {
                buf.copy_from_slice(v);
                Ok(())
            }),
            Pixels::Rgba32F(v) => PyByteArray::new_with(py, v.len() * 4, |buf| {
                for (dst, f) in buf.chunks_exact_mut(4).zip(v) {
                    dst.copy_from_slice(&f.to_ne_bytes());
                }
                Ok(())
            }),
        }
    }

    /// RGBA of one pixel (row 0 = top) as floats.
    fn pixel(&self, py: Python<'_>, x: u32, y: u32) -> PyResult<(f32, f32, f32, f32)> {
        if x >= self.frame.width || y >= self.frame.height {
            return Err(errors::input_error(
                py,
                format!(
                    "pixel ({x}, {y}) is outside the {}x{} frame",
                    self.frame.width, self.frame.height
                ),
            ));
        }
        let [r, g, b, a] = self.frame.pixel(x, y);
        Ok((r, g, b, a))
    }

    /// Writes a PNG with 8 or 16 bits per channel (atomically: temp file, then rename).
    #[pyo3(signature = (path, bits = 8))]
    fn save_png(&self, py: Python<'_>, path: PathBuf, bits: u8) -> PyResult<()> {
        if bits != 8 && bits != 16 {
            return Err(errors::input_error(
                py,
                format!("bits must be 8 or 16, got {bits}"),
            ));
        }
        let frame = &self.frame;
        py.detach(|| frame.save_png(&path, bits))
            .map_err(|e| errors::output_to_py(py, e))
    }
}

/// Parses and compiles ISF source (no GPU). Returns `(errors, warnings)`, lists of
/// `Diagnostic`. With `path`, the file is read (IMPORTED paths resolve against its folder, a
/// `.vs` sibling is compiled too) and `source` is ignored.
#[pyfunction]
#[pyo3(signature = (source = None, path = None, vertex = None))]
fn validate<'py>(
    py: Python<'py>,
    source: Option<String>,
    path: Option<PathBuf>,
    vertex: Option<String>,
) -> PyResult<(Bound<'py, PyList>, Bound<'py, PyList>)> {
    let report = py.detach(|| {
        // One loader for files and text (`Program`): the `.vs` sibling of a file is found and
        // compiled there; a `vertex` given here replaces it.
        let loaded = match (&path, &source, vertex) {
            (Some(p), _, None) => Program::load(p),
            (Some(p), _, Some(v)) => IsfDocument::parse_file(p)
                .map_err(LoadError::from)
                .and_then(|doc| {
                    Program::compile(doc, Some(v), Some(p.clone()), None, "shader".into())
                }),
            (None, s, v) => Program::from_source(s.as_deref().unwrap_or(""), v.as_deref()),
        };
        Validation::of(loaded)
    });
    let list = |findings: &[Finding]| -> PyResult<Bound<'py, PyList>> {
        let items = findings
            .iter()
            .map(|f| errors::diagnostic(py, &f.diagnostic, &f.stage))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    };
    let errors_list = list(&report.errors)?;
    let warnings = list(&report.warnings)?;
    Ok((errors_list, warnings))
}

/// Parses an ISF document without compiling it and without a GPU: inputs, passes, kind,
/// metadata. With `path`, the file is read and `IMPORTED` paths resolve against its folder.
/// Raises `ParseError` with the position in the file.
#[pyfunction]
#[pyo3(signature = (source = None, path = None))]
fn parse_document(
    py: Python<'_>,
    source: Option<String>,
    path: Option<PathBuf>,
) -> PyResult<document::PyShaderInfo> {
    let label = path
        .as_ref()
        .map_or_else(|| "<source>".to_owned(), |p| p.display().to_string());
    let parsed = py.detach(|| match &path {
        Some(p) => IsfDocument::parse_file(p),
        None => IsfDocument::parse(source.as_deref().unwrap_or("")),
    });
    match parsed {
        Ok(doc) => document::shader_info(py, &doc),
        Err(e) => Err(errors::to_py(
            py,
            isfkit_render::Error::Format(e),
            Some(&label),
        )),
    }
}

/// The header of ISF source as written, for readers with rules of their own (the pyvvisf
/// layer): `(json, start, end)` with the header's JSON as text and the character range of the
/// comment's text, or None when the source has no `/* */` comment. Invalid JSON raises
/// `ParseError` at its line and column, as loading does.
#[pyfunction]
fn raw_header(py: Python<'_>, source: &str) -> PyResult<Option<(String, usize, usize)>> {
    match py.detach(|| IsfDocument::raw_header(source)) {
        // Python indexes strings by character, not by byte.
        Ok(h) => Ok(h.map(|h| {
            let chars = |b: usize| source[..b].chars().count();
            (h.json.to_string(), chars(h.text.start), chars(h.text.end))
        })),
        Err(e) => Err(errors::to_py(
            py,
            isfkit_render::Error::Format(e),
            Some("<source>"),
        )),
    }
}

/// Converts a Shadertoy, GLSL Sandbox or gl-transitions source to ISF (no GPU): a list of
/// `(name, isf, warnings)`, one per shader the source holds. `dialect` names the dialect when
/// the content does not say it (`shadertoy`, `glslsandbox`, `gl-transition`); `common` is
/// Shadertoy's Common code for a bare `.glsl`. Raises `ParseError` when it cannot convert.
#[pyfunction]
#[pyo3(name = "convert", signature = (source, dialect = None, common = None))]
fn convert_dialect(
    py: Python<'_>,
    source: String,
    dialect: Option<String>,
    common: Option<String>,
) -> PyResult<Vec<(String, String, Vec<String>)>> {
    use isfkit_render::format::dialect::{convert_all, ConvertOptions, Dialect};
    let from = match dialect.as_deref() {
        None => None,
        Some(d) => Some(Dialect::from_name(d).map_err(pyo3::exceptions::PyValueError::new_err)?),
    };
    let converted = py.detach(|| {
        convert_all(
            &source,
            &ConvertOptions {
                from,
                common,
                ..ConvertOptions::default()
            },
        )
    });
    match converted {
        Ok(all) => Ok(all
            .into_iter()
            .map(|c| (c.name, c.isf, c.warnings))
            .collect()),
        Err(e) => Err(errors::to_py(
            py,
            isfkit_render::Error::Format(e),
            Some("<source>"),
        )),
    }
}

/// Asks a CPU renderer (Mesa's lavapipe) to compile every engine's shaders of this process
/// without LLVM's optimisation passes: first frames sooner, later frames slower, the same
/// pixels. Holds only when called before the process's first engine; returns whether it
/// holds.
#[pyfunction]
fn quick_compiles() -> bool {
    isfkit_render::quick_compiles()
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyEngine>()?;
    m.add_class::<PyScene>()?;
    m.add_class::<PyFrame>()?;
    m.add_class::<reports::PyCleanupReport>()?;
    m.add_class::<document::PyShaderInfo>()?;
    m.add_class::<document::PyInputInfo>()?;
    m.add_class::<document::PyPassInfo>()?;
    m.add_class::<document::PyImportedInfo>()?;
    m.add_class::<reports::PyPhaseReport>()?;
    m.add_class::<reports::PyLeak>()?;
    m.add_class::<reports::PyLiveResource>()?;
    m.add_class::<reports::PyReinitReport>()?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(parse_document, m)?)?;
    m.add_function(wrap_pyfunction!(raw_header, m)?)?;
    m.add_function(wrap_pyfunction!(convert_dialect, m)?)?;
    m.add_function(wrap_pyfunction!(quick_compiles, m)?)?;
    batch::register(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
