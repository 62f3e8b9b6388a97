//! The public handle of a loaded shader ([`Scene`]) and the engine calls that make and
//! render scenes. The state behind the handle is in `scene_state`, the frame encoding in
//! `passes`; neither knows the engine, so the modules form no cycle.

use std::path::Path;
use std::sync::{Arc, Mutex};

use isfkit_audio::Sound;

use isfkit_format::{InputType, IsfDocument};
use isfkit_glsl::Program;

use crate::engine::{Engine, EngineInner};
use crate::error::{Error, Result};
use crate::frame::Frame;
use crate::pool::PooledTexture;
use crate::scene_state::{lock_scene, RenderOptions, SceneState};
use crate::value::{ImageData, Value};

/// A loaded shader. Cheap to clone; all clones share the inputs and the frame state.
#[derive(Clone)]
pub struct Scene {
    pub(crate) state: Arc<Mutex<SceneState>>,
    pub(crate) engine: Arc<EngineInner>,
}

impl Scene {
    /// Whether `other` is a clone of this scene (the same inputs and frame state).
    pub fn same_as(&self, other: &Scene) -> bool {
        Arc::ptr_eq(&self.state, &other.state)
    }

    /// The declaration of input `name`; `Error::UnknownInput` (listing the inputs) if there
    /// is none.
    pub fn input(&self, name: &str) -> Result<isfkit_format::Input> {
        let s = lock_scene(&self.state);
        s.input_type(name)?;
        Ok(s.doc.input(name).cloned().expect("checked above"))
    }

    /// The parsed document.
    pub fn document(&self) -> IsfDocument {
        lock_scene(&self.state).doc.clone()
    }

    /// The generated GLSL of the fragment and vertex stages (for debugging).
    pub fn generated_glsl(&self) -> (String, String) {
        let s = lock_scene(&self.state);
        (
            s.program.translation.fragment.glsl.clone(),
            s.program.translation.vertex.glsl.clone(),
        )
    }

    /// Whether the engine this scene belongs to is still running (not shut down).
    pub fn is_alive(&self) -> bool {
        self.engine.check_alive().is_ok()
    }

    /// Sets a non-image input. A wrong type or an unknown name is an error naming both.
    /// After the engine's shutdown every call on the scene answers `Error::ShutDown`.
    pub fn set(&self, name: &str, value: Value) -> Result<()> {
        self.engine.check_alive()?;
        let mut s = lock_scene(&self.state);
        let ty = s.input_type(name)?.clone();
        let v = value.coerce(name, &ty)?;
        s.values.insert(name.to_owned(), v);
        Ok(())
    }

    /// Sets an input from command-line text (`0.5`, `true`, `1,0,0,1`, a long's label).
    pub fn set_text(&self, name: &str, text: &str) -> Result<()> {
        let ty = lock_scene(&self.state).input_type(name)?.clone();
        self.set(name, Value::parse_for(name, &ty, text)?)
    }

    /// The current value of a non-image input.
    pub fn value(&self, name: &str) -> Option<Value> {
        lock_scene(&self.state).values.get(name).copied()
    }

    /// Sets an image input from RGBA memory (rows top to bottom).
    pub fn set_image(&self, name: &str, image: ImageData) -> Result<()> {
        self.engine.check_alive()?;
        let mut s = lock_scene(&self.state);
        let ty = s.input_type(name)?;
        if !matches!(ty, InputType::Image) {
            return Err(Error::InputType {
                name: name.to_owned(),
                expected: ty.type_name(),
                given: format!("an image ({}x{})", image.width, image.height),
            });
        }
        s.images.insert(name.to_owned(), image);
        s.dirty_textures.push(name.to_owned());
        Ok(())
    }

    /// `Ok` when the scene has an input named `name`, else [`Error::UnknownInput`] naming the
    /// inputs it has (checked before a slow decode of the value's file).
    pub fn check_input(&self, name: &str) -> Result<()> {
        lock_scene(&self.state).input_type(name).map(|_| ())
    }

    /// Sets an audio or audioFFT input to a sound. It follows time: each frame the input
    /// gets the window of samples that ends at the frame's time (silence before the sound's
    /// start and past its end), one texture row per channel; an audioFFT input gets that
    /// window's spectrum (see [`isfkit_audio::Analyzer`] for sizes and scaling).
    pub fn set_sound(&self, name: &str, sound: impl Into<Arc<Sound>>) -> Result<()> {
        self.engine.check_alive()?;
        let sound = sound.into();
        let mut s = lock_scene(&self.state);
        let ty = s.input_type(name)?;
        if !matches!(ty, InputType::Audio { .. } | InputType::AudioFft { .. }) {
            return Err(Error::InputType {
                name: name.to_owned(),
                expected: ty.type_name(),
                given: format!(
                    "a sound ({} channels, {} Hz)",
                    sound.channel_count(),
                    sound.sample_rate()
                ),
            });
        }
        s.audio.insert(name.to_owned(), sound);
        Ok(())
    }

    /// Renders one frame: every pass in order, then reads the output back.
    pub fn render(&self, opts: &RenderOptions) -> Result<Frame> {
        check_options(opts)?;
        self.engine.render(&self.state, opts)
    }

    /// Builds what a first frame drawn with `opts` needs without drawing it: the scene's GPU
    /// objects and every pass's pipeline (the driver's compile, most of a first frame). Meant
    /// for a thread that prepares the next shaders while another renders: it holds the engine
    /// only to take its device, so renders of other scenes go on meanwhile. Errors are the
    /// ones the first render would give.
    pub fn prepare(&self, opts: &RenderOptions) -> Result<()> {
        check_options(opts)?;
        self.engine.prepare(&self.state, opts)
    }

    /// What the shader uses (persistent buffers, FRAMEINDEX, TIMEDELTA, DATE, audio and
    /// image inputs), read from its parsed code.
    pub fn facts(&self) -> isfkit_glsl::Facts {
        lock_scene(&self.state).program.facts
    }

    /// Frames rendered so far (the next frame's FRAMEINDEX).
    pub fn frame_index(&self) -> u64 {
        lock_scene(&self.state).frame_index
    }
}

impl Engine {
    /// Loads an ISF file (and its `.vs`/`.vert` sibling, if any).
    pub fn load(&self, path: &Path) -> Result<Scene> {
        self.inner.check_alive()?;
        self.create_scene(Program::load(path)?)
    }

    /// Loads ISF source text.
    pub fn load_source(&self, source: &str, vertex: Option<&str>) -> Result<Scene> {
        self.inner.check_alive()?;
        self.create_scene(Program::from_source(source, vertex)?)
    }

    /// Makes a scene of a compiled program (see [`Program::load`]). Takes no engine lock:
    /// GPU objects are built on the scene's first render.
    pub fn create_scene(&self, program: Program) -> Result<Scene> {
        new_scene(&self.inner, program)
    }

    /// Renders `frames` in order with up to `in_flight` frames submitted at once: while the
    /// oldest is read back and handed to `sink`, the GPU already renders the next ones.
    /// `sink` receives the frames in order with their index. Memory is bounded by
    /// `in_flight` read-back buffers whatever the frame count; `in_flight` is clamped to
    /// 1..=[`crate::MAX_IN_FLIGHT`]. Returns the frames rendered. A frame whose time is not
    /// a finite 32-bit float is an [`Error::Value`].
    ///
    /// `sink`'s error type is the caller's (e.g. an output crate's error, or `anyhow::Error`):
    /// any type that an engine [`Error`] converts into. The first error stops the pipeline.
    pub fn render_pipelined<I, F, E>(
        &self,
        scene: &Scene,
        frames: I,
        in_flight: usize,
        mut sink: F,
    ) -> std::result::Result<u64, E>
    where
        I: IntoIterator<Item = RenderOptions>,
        F: FnMut(u64, Frame) -> std::result::Result<(), E>,
        E: From<Error>,
    {
        let in_flight = in_flight.clamp(1, crate::MAX_IN_FLIGHT);
        let mut pending = std::collections::VecDeque::with_capacity(in_flight);
        let mut done = 0u64;
        for opts in frames {
            check_options(&opts)?;
            if let Some(newest) = pending.back() {
                self.inner.poll_finished(newest);
            }
            let submitted = match self.inner.submit_frame(&scene.state, &opts, true) {
                Ok(s) => s,
                // A submission past its deadline: keep the earlier frames that finished.
                Err(e) => return Err(self.keep_finished(pending, done, &mut sink, e)),
            };
            pending.push_back(submitted.readback.expect("read-back requested"));
            if pending.len() >= in_flight {
                let oldest = pending.pop_front().expect("non-empty");
                sink(done, self.inner.finish_readback(&scene.state, oldest)?)?;
                done += 1;
            }
        }
        while let Some(p) = pending.pop_front() {
            sink(done, self.inner.finish_readback(&scene.state, p)?)?;
            done += 1;
        }
        Ok(done)
    }

    /// After a frame's submission failed (it passed its deadline, for example): hands
    /// `sink` the frames submitted before it, numbered from `next`, that the GPU has already
    /// finished, in order and without waiting, so no finished frame is lost. Returns the
    /// error to report.
    fn keep_finished<F, E>(
        &self,
        pending: std::collections::VecDeque<crate::engine::PendingReadback>,
        mut next: u64,
        sink: &mut F,
        error: Error,
    ) -> E
    where
        F: FnMut(u64, Frame) -> std::result::Result<(), E>,
        E: From<Error>,
    {
        for p in pending {
            // The GPU runs submissions in order: after the first unfinished one, none is.
            let Some(frame) = self.inner.take_if_ready(p) else {
                break;
            };
            if let Err(e) = sink(next, frame) {
                return e;
            }
            next += 1;
        }
        E::from(error)
    }

    /// Renders `scene` into a pooled texture without reading it back (for GPU-only timing).
    pub fn render_to_texture(&self, scene: &Scene, opts: &RenderOptions) -> Result<PooledTexture> {
        check_options(opts)?;
        self.inner
            .submit_frame(&scene.state, opts, false)
            .map(|s| s.output)
    }
}

/// A frame's time (and DATE, when given) must be finite 32-bit floats, as the shader gets
/// them: NaN or an infinity would render a black frame without a word.
fn check_options(opts: &RenderOptions) -> Result<()> {
    crate::value::finite_f32("time", opts.time)?;
    if let Some(date) = opts.date {
        for v in date {
            crate::value::finite_f32("date", v as f64)?;
        }
    }
    Ok(())
}

/// A scene of `program` on the engine behind `inner` (see [`Engine::create_scene`]).
pub(crate) fn new_scene(inner: &Arc<EngineInner>, program: Program) -> Result<Scene> {
    inner.check_alive()?;
    let state = Arc::new(Mutex::new(SceneState::new(
        program,
        inner.config.image_files.as_deref(),
    )?));
    let mut scenes = inner.lock_scenes();
    scenes.retain(|w| w.strong_count() > 0);
    scenes.push(Arc::downgrade(&state));
    Ok(Scene {
        state,
        engine: inner.clone(),
    })
}
