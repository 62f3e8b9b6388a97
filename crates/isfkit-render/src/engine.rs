//! The engine: its configuration and state, device generations (creation, re-initialisation,
//! the test render), and submitting frames. Read-back, the wgpu instance and shutdown have
//! their own modules (`readback`, `instance`, `shutdown`).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::frame::Frame;
use crate::gpu::{Backend, Gpu, BYTE_FORMAT};
use crate::lifecycle::{self, CleanupReport, Participant};
use crate::passes;
use crate::pool::{Freed, Pool, PoolStats, PooledTexture};
use crate::registry::{LiveResource, Registry, ResourceSummary};
use crate::scene_state::{lock_scene, RenderOptions, SceneState};
use crate::shared::Shared;
use crate::value::ImageFiles;

pub(crate) use crate::instance::{prepare_process_env, InstanceHandle};
pub(crate) use crate::readback::PendingReadback;
use crate::readback::{save_persistent, start_readback, take_mapped, wait_readback};

/// How to create an engine.
#[derive(Clone)]
pub struct EngineConfig {
    pub backend: Backend,
    /// How long a render may wait for the GPU (default 10 s).
    pub deadline: Duration,
    /// Give this engine a wgpu instance of its own instead of the process's shared one.
    /// Engines share one instance by default: creating an instance per engine grows memory
    /// with every engine created (about 4.5 KB each on lavapipe). A private instance makes
    /// the verify phase's wgpu check exact even while other engines are alive.
    pub private_instance: bool,
    /// Reads the image files a shader names itself (IMPORTED). The engine decodes no file:
    /// without a reader, a shader with IMPORTED images is an [`Error::Image`] at load.
    pub image_files: Option<Arc<dyn ImageFiles>>,
    /// The folder of the pipeline cache on disk (see [`crate::PipelineCacheState`]); `None`
    /// turns it off. Default: [`crate::default_pipeline_cache_dir`].
    pub pipeline_cache: Option<std::path::PathBuf>,
}

impl std::fmt::Debug for EngineConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EngineConfig")
            .field("backend", &self.backend)
            .field("deadline", &self.deadline)
            .field("private_instance", &self.private_instance)
            .field("image_files", &self.image_files.is_some())
            .field("pipeline_cache", &self.pipeline_cache)
            .finish()
    }
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            backend: Backend::Auto,
            deadline: Duration::from_secs(10),
            private_instance: false,
            image_files: None,
            pipeline_cache: crate::pipeline_cache::default_pipeline_cache_dir(),
        }
    }
}

impl EngineConfig {
    /// The default configuration on `backend` with `deadline`.
    pub fn new(backend: Backend, deadline: Duration) -> EngineConfig {
        EngineConfig {
            backend,
            deadline,
            ..EngineConfig::default()
        }
    }

    /// This configuration with `files` reading IMPORTED images.
    pub fn with_image_files(mut self, files: Arc<dyn ImageFiles>) -> EngineConfig {
        self.image_files = Some(files);
        self
    }
}

/// Mutable engine state, behind the engine's one lock. Field order is drop order:
/// everything made from the device is dropped before `gpu`, the device itself.
///
/// Lock order (a thread holding one may take the next, never the reverse):
/// engine state (`EngineInner::state`) -> the scene list (`EngineInner::scenes`) -> a scene
/// (`Scene::state`, one at a time) -> a pool slot (`PoolSlot`) -> the registry. Nothing waits for the GPU while holding a scene or a
/// slot. The engine lock is held across a GPU wait only by re-initialisation and shutdown,
/// which must see every frame finished; renders wait for their frame on their own `Arc<Gpu>`
/// with no lock held, so loading, compiling, validating, setting inputs and reading
/// reports never wait for a frame.
pub(crate) struct State {
    pub shared: Option<Shared>,
    pub pool: Pool,
    pub participants: Vec<Box<dyn Participant>>,
    pub report: Option<CleanupReport>,
    pub generation: u64,
    /// Devices given up on after a deadline passed, for the cleanup report.
    pub abandoned: Vec<AbandonedDevice>,
    /// Frames in flight hold clones: a device replaced or shut down while a frame waits
    /// for it stays alive until that frame has been read back or abandoned.
    pub gpu: Option<Arc<Gpu>>, // Last: the device outlives everything above.
}

/// A device given up on (see [`Gpu::abandon`]): the token tells whether its work still runs.
pub(crate) struct AbandonedDevice {
    pub(crate) generation: u64,
    pub(crate) reason: String,
    pub(crate) work: std::sync::Weak<()>,
}

/// Gives up on `gpu` (a frame on it passed its deadline) and records it for the report.
pub(crate) fn abandon(abandoned: &mut Vec<AbandonedDevice>, gpu: &Gpu, reason: String) {
    if abandoned.iter().any(|a| a.generation == gpu.generation) {
        return;
    }
    tracing::info!(
        generation = gpu.generation,
        "device abandoned ({reason}); its work goes on until the GPU finishes it"
    );
    gpu.abandon();
    abandoned.push(AbandonedDevice {
        generation: gpu.generation,
        reason,
        work: gpu.work_token(),
    });
}

pub(crate) struct EngineInner {
    pub state: Mutex<State>,
    /// The render deadline in nanoseconds (changeable while running).
    pub(crate) deadline_ns: AtomicU64,
    /// Set when `shutdown()` starts; read without the lock.
    pub(crate) shut_down: AtomicBool,
    /// Whether scenes reuse bind groups across frames (on unless a benchmark turns it off).
    pub(crate) cache_bind_groups: AtomicBool,
    /// The generation of a device a frame timed out on (0: none). The next render replaces
    /// that device. Set by the waiting thread without the engine lock.
    pub(crate) tainted_generation: AtomicU64,
    /// The deadline (ns) that the frame which tainted the device passed, for the report.
    pub(crate) taint_deadline_ns: AtomicU64,
    /// Every scene, for re-initialisation and cleanup. Its own lock, so loading a shader
    /// never takes the engine lock. Order: after the engine lock, before any scene's.
    scenes: Mutex<Vec<Weak<Mutex<SceneState>>>>,
    /// The device generation, mirrored for lock-free readers.
    generation: AtomicU64,
    pub registry: Registry,
    pub config: EngineConfig,
    // Last: the instance outlives the devices it made.
    pub(crate) instance: InstanceHandle,
}

impl Drop for EngineInner {
    fn drop(&mut self) {
        if let Some(u) = &self.instance.users {
            u.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

pub(crate) struct Submitted {
    pub output: PooledTexture,
    pub readback: Option<PendingReadback>,
}

/// What `reinitialize()` did.
#[derive(Debug, Clone, Serialize)]
pub struct ReinitReport {
    pub generation: u64,
    pub duration_ms: f64,
    /// GPU objects of the old device that were released.
    pub released: Freed,
    /// Persistent buffers saved to memory and restored on the next render.
    pub persistent_saved: usize,
    pub adapter: String,
}

/// The isfkit engine. Create one, load scenes, render, and `shutdown()` (or drop it).
pub struct Engine {
    pub(crate) inner: Arc<EngineInner>,
}

pub(crate) fn lock_state(inner: &EngineInner) -> MutexGuard<'_, State> {
    inner.state.lock().unwrap_or_else(|p| p.into_inner())
}

impl Engine {
    /// Creates an engine with a device on the configured backend.
    pub fn new(config: EngineConfig) -> Result<Engine> {
        let registry = Registry::default();
        let backends = config.backend.backends();
        let private = config.private_instance;
        let mut instance = InstanceHandle::get(backends, private);
        let gpu = match Gpu::new(&instance.instance, &config, 1, registry.clone()) {
            // `auto` tries the native APIs first and GL only when none has an adapter, so a
            // machine with Vulkan never initialises (and logs about) EGL.
            Err(first)
                if config.backend == Backend::Auto && !backends.contains(wgpu::Backends::GL) =>
            {
                instance = InstanceHandle::get(wgpu::Backends::GL, private);
                Gpu::new(&instance.instance, &config, 1, registry.clone()).map_err(|_| first)?
            }
            other => other?,
        };
        instance.enter();
        let shared = Shared::new(&gpu)?;
        let state = State {
            shared: Some(shared),
            pool: Pool::new(),
            participants: Vec::new(),
            report: None,
            generation: 1,
            abandoned: Vec::new(),
            gpu: Some(Arc::new(gpu)),
        };
        let deadline_ns =
            AtomicU64::new(u64::try_from(config.deadline.as_nanos()).unwrap_or(u64::MAX));
        let inner = Arc::new(EngineInner {
            state: Mutex::new(state),
            deadline_ns,
            shut_down: AtomicBool::new(false),
            cache_bind_groups: AtomicBool::new(true),
            tainted_generation: AtomicU64::new(0),
            taint_deadline_ns: AtomicU64::new(0),
            scenes: Mutex::default(),
            generation: AtomicU64::new(1),
            registry,
            config,
            instance,
        });
        let engine = Engine { inner };
        tracing::info!(adapter = %engine.adapter_name(), "engine ready");
        Ok(engine)
    }

    /// What became of the pipeline cache on disk when the current device was created.
    pub fn pipeline_cache(&self) -> crate::PipelineCacheState {
        let st = lock_state(&self.inner);
        st.gpu
            .as_ref()
            .map_or_else(crate::PipelineCacheState::off, |g| {
                g.pipeline_cache_state.clone()
            })
    }

    /// Name and backend of the adapter in use.
    pub fn adapter_name(&self) -> String {
        let st = lock_state(&self.inner);
        st.gpu.as_ref().map_or_else(
            || "(none)".into(),
            |g| format!("{} ({:?})", g.adapter_info.name, g.adapter_info.backend),
        )
    }

    /// How long a render may wait for the GPU.
    pub fn deadline(&self) -> Duration {
        self.inner.deadline()
    }

    /// Whether work that passed its deadline may still run on the GPU: the current device
    /// is tainted, or a device given up on still runs its work. On lavapipe such work keeps
    /// the CPU's rasterizer threads, which every device of this process shares, so later
    /// frames in this process may not finish in time either; a caller that can (a batch)
    /// runs further work in a fresh process.
    pub fn has_hung_work(&self) -> bool {
        let st = lock_state(&self.inner);
        self.inner.tainted_generation.load(Ordering::SeqCst) == st.generation
            || st.abandoned.iter().any(|a| a.work.strong_count() > 0)
    }

    /// Changes the render deadline.
    pub fn set_deadline(&self, deadline: Duration) {
        self.inner.deadline_ns.store(
            u64::try_from(deadline.as_nanos()).unwrap_or(u64::MAX),
            Ordering::Relaxed,
        );
    }

    fn check_alive(&self) -> Result<()> {
        self.inner.check_alive()
    }

    /// Live GPU objects by kind.
    pub fn resources(&self) -> ResourceSummary {
        self.inner.registry.summary()
    }

    /// Every live GPU object, in creation order.
    pub fn live_resources(&self) -> Vec<LiveResource> {
        self.inner.registry.live()
    }

    pub fn pool_stats(&self) -> PoolStats {
        lock_state(&self.inner).pool.stats()
    }

    /// Frees pooled objects nobody holds.
    pub fn cleanup(&self) -> Freed {
        let before = self.inner.registry.summary();
        let freed = lock_state(&self.inner).pool.cleanup();
        verify_freed(&before, &self.inner.registry.summary(), freed);
        freed
    }

    /// Frees every pooled object, held or not; a held handle then answers `Error::Released`.
    /// Scenes keep working: they take new textures on their next render (persistent buffer
    /// contents are lost, as the buffers were freed).
    pub fn force_cleanup(&self) -> Freed {
        let before = self.inner.registry.summary();
        let mut st = lock_state(&self.inner);
        for s in self.inner.live_scenes() {
            if let Some(g) = lock_scene(&s).gpu.as_mut() {
                g.persistent.clear();
            }
        }
        let freed = st.pool.force_cleanup();
        drop(st);
        verify_freed(&before, &self.inner.registry.summary(), freed);
        freed
    }

    /// Sets how many frames an idle pooled object survives.
    pub fn set_pool_max_idle_frames(&self, frames: u64) {
        lock_state(&self.inner).pool.max_idle_frames = frames;
    }

    /// Replaces the device (not the instance). Waits for the queue, saves persistent buffers
    /// to memory, releases every object of the old device while it is valid, creates the new
    /// device, and checks it with a tiny test render.
    pub fn reinitialize(&self) -> Result<ReinitReport> {
        self.check_alive()?;
        let mut st = lock_state(&self.inner);
        self.inner.reinitialize_locked(&mut st, true)
    }

    /// Registers a component with the cleanup coordinator for its phase.
    pub fn register_participant(&self, p: Box<dyn Participant>) -> Result<()> {
        self.check_alive()?;
        lock_state(&self.inner).participants.push(p);
        Ok(())
    }

    /// Runs the cleanup coordinator. Idempotent: a second call returns the first report.
    pub fn shutdown(&self) -> CleanupReport {
        self.inner.shutdown()
    }

    /// Turns the reuse of bind groups across frames on (the default) or off. For measuring
    /// what the cache saves (`isf bench bindgroups`); there is no other reason to turn it off.
    pub fn set_bind_group_cache(&self, enabled: bool) {
        self.inner
            .cache_bind_groups
            .store(enabled, Ordering::Relaxed);
    }

    /// Whether `shutdown()` has run (or is running). Never waits.
    pub fn is_shut_down(&self) -> bool {
        self.inner.shut_down.load(Ordering::SeqCst)
    }

    /// The device generation (1 at start, +1 per re-initialisation). Never waits.
    pub fn generation(&self) -> u64 {
        self.inner.generation.load(Ordering::SeqCst)
    }

    /// Test hook: creates a texture and leaks it on purpose, to prove the verify phase
    /// reports leaks by label. Never use it for anything else.
    #[doc(hidden)]
    pub fn debug_leak_texture(&self, label: &str) -> Result<()> {
        let st = lock_state(&self.inner);
        let gpu = st.gpu.as_ref().ok_or(Error::ShutDown)?;
        let t = gpu.texture(
            label,
            4,
            4,
            BYTE_FORMAT,
            wgpu::TextureUsages::TEXTURE_BINDING,
        );
        std::mem::forget(t);
        Ok(())
    }

    /// Waits until the GPU has finished everything submitted (up to the deadline).
    pub fn wait_idle(&self) -> Result<()> {
        self.inner.wait_idle()
    }
}

fn verify_freed(before: &ResourceSummary, after: &ResourceSummary, freed: Freed) {
    let dropped = before.total_count().saturating_sub(after.total_count());
    if dropped < freed.count {
        tracing::warn!(
            freed = freed.count,
            registry_dropped = dropped,
            "pool freed objects the registry still lists"
        );
    }
}

/// The render size must fit the device.
fn check_size(gpu: &Gpu, opts: &RenderOptions) -> Result<()> {
    let max = gpu.max_texture_size;
    if opts.width == 0 || opts.height == 0 || opts.width > max || opts.height > max {
        return Err(Error::Size {
            width: opts.width,
            height: opts.height,
            reason: if opts.width == 0 || opts.height == 0 {
                "width and height must be at least 1".into()
            } else {
                format!("the device allows at most {max}x{max}")
            },
        });
    }
    Ok(())
}

impl Drop for Engine {
    fn drop(&mut self) {
        // Scenes hold the inner engine too; the engine handle's owner decides the lifetime.
        if !self.is_shut_down() {
            tracing::debug!("engine dropped without shutdown(); running it now");
            let report = self.inner.shutdown();
            if !report.ok() {
                tracing::warn!("cleanup at drop found problems:\n{report}");
            }
        }
    }
}

impl EngineInner {
    /// `Error::ShutDown` once `shutdown()` has run.
    pub(crate) fn check_alive(&self) -> Result<()> {
        if self.shut_down.load(Ordering::SeqCst) {
            Err(Error::ShutDown)
        } else {
            Ok(())
        }
    }

    pub(crate) fn deadline(&self) -> Duration {
        Duration::from_nanos(self.deadline_ns.load(Ordering::Relaxed))
    }

    /// Why the tainted device is given up, for the cleanup report.
    pub(crate) fn taint_reason(&self) -> String {
        let d = Duration::from_nanos(self.taint_deadline_ns.load(Ordering::Relaxed));
        format!("tainted: a frame did not finish within its deadline of {d:?}")
    }

    pub(crate) fn lock_scenes(&self) -> MutexGuard<'_, Vec<Weak<Mutex<SceneState>>>> {
        self.scenes.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The scenes still alive, oldest first.
    fn live_scenes(&self) -> Vec<Arc<Mutex<SceneState>>> {
        self.lock_scenes()
            .iter()
            .filter_map(Weak::upgrade)
            .collect()
    }

    fn ensure_gpu(&self, st: &mut State) -> Result<()> {
        if st.report.is_some() || self.shut_down.load(Ordering::SeqCst) {
            return Err(Error::ShutDown);
        }
        let tainted = self.tainted_generation.load(Ordering::SeqCst) == st.generation;
        if tainted || st.gpu.is_none() {
            // After a timeout, or after a re-initialisation that failed half-way.
            tracing::warn!("no usable device (tainted by a timeout or lost); creating a fresh one");
            self.reinitialize_locked(st, false)?;
        }
        Ok(())
    }

    pub(crate) fn reinitialize_locked(
        &self,
        st: &mut State,
        healthy: bool,
    ) -> Result<ReinitReport> {
        let t0 = Instant::now();
        let before = self.registry.summary();
        let mut saved = 0;
        if let Some(gpu) = st.gpu.clone() {
            if healthy {
                // Frames other threads submitted finish first; their read-back then fails
                // with `Error::Released` (the pool is emptied below), never a GPU error.
                gpu.wait(self.deadline())?;
                gpu.save_pipeline_cache();
                for s in self.live_scenes() {
                    let mut s = lock_scene(&s);
                    saved += save_persistent(&gpu, &mut st.pool, &mut s, self.deadline())?;
                }
            } else {
                // A hung device cannot be waited for; its work is abandoned.
                let reason = self.taint_reason();
                abandon(&mut st.abandoned, &gpu, reason);
            }
        }
        self.release_gpu_objects(st);
        if let Some(old) = st.gpu.take() {
            for e in old.take_uncaptured() {
                tracing::warn!("GPU error on the replaced device: {e}");
            }
            // A frame still waiting on the old device keeps it alive until it is done.
            drop(old);
        }
        let after = self.registry.summary();
        let released = Freed {
            count: before.total_count().saturating_sub(after.total_count()),
            bytes: before.total_bytes().saturating_sub(after.total_bytes()),
        };
        st.generation += 1;
        self.generation.store(st.generation, Ordering::SeqCst);
        let gpu = Gpu::new(
            &self.instance.instance,
            &self.config,
            st.generation,
            self.registry.clone(),
        )?;
        st.shared = Some(Shared::new(&gpu)?);
        st.gpu = Some(Arc::new(gpu));
        self.test_render(st)?;
        let gpu = st.gpu.as_ref().expect("just created");
        let report = ReinitReport {
            generation: st.generation,
            duration_ms: lifecycle::ms(t0.elapsed()),
            released,
            persistent_saved: saved,
            adapter: gpu.adapter_info.name.clone(),
        };
        tracing::debug!(
            generation = st.generation,
            ms = report.duration_ms,
            "device re-initialised"
        );
        Ok(report)
    }

    /// Drops every object of the current device, newest first: scenes' objects (newest scene
    /// first), then the pool, then the shared objects.
    pub(crate) fn release_gpu_objects(&self, st: &mut State) {
        for s in self.live_scenes().iter().rev() {
            let mut s = lock_scene(s);
            if let Some(g) = s.gpu.take() {
                drop(g);
            }
        }
        st.pool.force_cleanup();
        st.shared = None;
    }

    /// Clears a 4x4 texture and reads it back: proves the new device renders.
    fn test_render(&self, st: &mut State) -> Result<()> {
        let gpu = st.gpu.clone().ok_or(Error::ShutDown)?;
        gpu.capture(|| self.test_render_on(&gpu, &mut st.pool))
    }

    fn test_render_on(&self, gpu: &Arc<Gpu>, pool: &mut Pool) -> Result<()> {
        let t = pool.texture(gpu, 4, 4, BYTE_FORMAT);
        let view = t.with_texture(|t| t.view.clone())?;
        let mut enc = gpu
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("test render"),
            });
        enc.begin_render_pass(&wgpu::RenderPassDescriptor {
            label: Some("test render"),
            color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                view: &view,
                depth_slice: None,
                resolve_target: None,
                ops: wgpu::Operations {
                    load: wgpu::LoadOp::Clear(wgpu::Color {
                        r: 1.0,
                        g: 0.0,
                        b: 1.0,
                        a: 1.0,
                    }),
                    store: wgpu::StoreOp::Store,
                },
            })],
            depth_stencil_attachment: None,
            timestamp_writes: None,
            occlusion_query_set: None,
            multiview_mask: None,
        });
        let mut pending = start_readback(gpu, pool, &t, enc.finish(), self.deadline())?;
        wait_readback(&pending, self.deadline())?;
        let first = take_mapped(&mut pending, |data| data[..4].to_vec())?;
        if first != [255, 0, 255, 255] {
            return Err(Error::Device(format!(
                "test render on the new device read back {first:?}"
            )));
        }
        Ok(())
    }

    pub(crate) fn render(
        &self,
        scene: &Arc<Mutex<SceneState>>,
        opts: &RenderOptions,
    ) -> Result<Frame> {
        let submitted = self.submit_frame(scene, opts, true)?;
        let pending = submitted.readback.expect("read-back requested");
        self.finish_readback(scene, pending)
    }

    /// See [`crate::Scene::prepare`]. The engine's lock is held until the scene's is taken
    /// (the order every render takes them in), then let go: a re-initialisation or shutdown
    /// meanwhile waits for the scene's lock, then drops what was built.
    pub(crate) fn prepare(
        &self,
        scene: &Arc<Mutex<SceneState>>,
        opts: &RenderOptions,
    ) -> Result<()> {
        let mut st = lock_state(self);
        self.ensure_gpu(&mut st)?;
        let gpu = st.gpu.clone().ok_or(Error::ShutDown)?;
        check_size(&gpu, opts)?;
        let mut s = lock_scene(scene);
        drop(st);
        passes::ensure_scene_gpu(&gpu, &mut s)?;
        passes::ensure_pipelines(&gpu, &mut s, opts)
    }

    /// Encodes and submits one frame of `scene`; with `readback`, also copies the output into
    /// a pooled buffer and asks for it to be mapped, without waiting. Per-frame state
    /// (FRAMEINDEX, TIMEDELTA, events) advances here.
    pub(crate) fn submit_frame(
        &self,
        scene: &Arc<Mutex<SceneState>>,
        opts: &RenderOptions,
        readback: bool,
    ) -> Result<Submitted> {
        let mut st = lock_state(self);
        self.ensure_gpu(&mut st)?;
        let st = &mut *st;
        let gpu = st.gpu.clone().ok_or(Error::ShutDown)?;
        check_size(&gpu, opts)?;
        let shared = st.shared.as_ref().ok_or(Error::ShutDown)?;
        let mut s = lock_scene(scene);
        let pool = &mut st.pool;
        let submitted = gpu.capture(|| {
            let cache = self.cache_bind_groups.load(Ordering::Relaxed);
            let (output, commands) = passes::encode_frame(&gpu, shared, pool, &mut s, opts, cache)?;
            let readback = if readback {
                Some(start_readback(
                    &gpu,
                    pool,
                    &output,
                    commands,
                    self.deadline(),
                )?)
            } else {
                gpu.submit(vec![commands], self.deadline())?;
                None
            };
            Ok((output, readback))
        });
        let (output, readback) = match submitted {
            Err(e @ Error::Timeout(_)) => {
                // The submission itself did not return: the device is hung. Flagged before
                // the scene's objects go, so nothing waits on a lock the submission holds.
                gpu.abandon();
                self.tainted_generation
                    .store(gpu.generation, Ordering::SeqCst);
                self.taint_deadline_ns
                    .store(self.deadline_ns.load(Ordering::Relaxed), Ordering::Relaxed);
                if s.gpu
                    .as_ref()
                    .is_some_and(|g| g.generation == gpu.generation)
                {
                    s.gpu = None;
                }
                return Err(e);
            }
            other => other?,
        };
        // The frame is submitted: advance per-frame state.
        s.last_time = Some(opts.time);
        s.frame_index += 1;
        let events: Vec<String> = s
            .doc
            .inputs
            .iter()
            .filter(|i| matches!(i.ty, isfkit_format::InputType::Event))
            .map(|i| i.name.clone())
            .collect();
        for e in events {
            s.values.insert(e, crate::Value::Bool(false));
        }
        st.pool.end_frame();
        Ok(Submitted { output, readback })
    }

    /// Waits until the GPU has finished all submitted work (up to the deadline).
    pub(crate) fn wait_idle(&self) -> Result<()> {
        let gpu = lock_state(self).gpu.clone().ok_or(Error::ShutDown)?;
        gpu.wait(self.deadline())
    }
}

impl Engine {
    /// wgpu's own count of live objects of this engine's instance, by kind (kinds with none are
    /// left out). For diagnosing growth; the verify phase uses the same report.
    pub fn wgpu_live_objects(&self) -> Vec<(String, u64)> {
        lifecycle::wgpu_leaks(&self.inner.instance.instance)
            .into_iter()
            .map(|l| (l.kind, l.count))
            .collect()
    }
}

impl Engine {
    /// Carries frame state from `old` to `new`, a reload of the same shader (a live preview
    /// after the file was saved): FRAMEINDEX and the previous frame's time (so TIMEDELTA and
    /// multi-frame effects continue) and, when both have the same passes (targets,
    /// persistence, float), the contents of their persistent buffers, which `new` uploads
    /// on its next render. Returns whether persistent buffers were carried; with other
    /// passes `new` starts from frame 0 with empty buffers, as a fresh load does.
    pub fn carry_state(&self, old: &crate::Scene, new: &crate::Scene) -> Result<bool> {
        self.check_alive()?;
        if Arc::ptr_eq(&old.state, &new.state) {
            return Ok(true);
        }
        let mut st = lock_state(&self.inner);
        let mut o = lock_scene(&old.state);
        let mut n = lock_scene(&new.state);
        let shape = |s: &SceneState| -> Vec<(Option<String>, bool, bool)> {
            s.doc
                .passes
                .iter()
                .map(|p| (p.target.clone(), p.persistent, p.float))
                .collect()
        };
        if shape(&o) != shape(&n) {
            return Ok(false);
        }
        if let Some(gpu) = st.gpu.clone() {
            save_persistent(&gpu, &mut st.pool, &mut o, self.inner.deadline())?;
        }
        n.saved_persistent = o.saved_persistent.clone();
        n.frame_index = o.frame_index;
        n.last_time = o.last_time;
        Ok(true)
    }
}
