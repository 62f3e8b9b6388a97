//! One device generation: adapter, device, queue, and creation helpers that register every
//! object they make.

use std::panic::Location;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex, Weak};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::registry::{Registry, ResourceKind, Tracked};

/// Which graphics API to run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Backend {
    /// Whatever the platform offers, honouring `WGPU_BACKEND` when set.
    #[default]
    Auto,
    Vulkan,
    Gl,
    Metal,
    Dx12,
}

impl Backend {
    pub fn parse(s: &str) -> Option<Backend> {
        Some(match s.to_ascii_lowercase().as_str() {
            "auto" => Backend::Auto,
            "vulkan" | "vk" => Backend::Vulkan,
            "gl" | "gles" | "opengl" => Backend::Gl,
            "metal" => Backend::Metal,
            "dx12" | "d3d12" => Backend::Dx12,
            _ => return None,
        })
    }

    pub(crate) fn backends(self) -> wgpu::Backends {
        match self {
            Backend::Auto => wgpu::Backends::from_env().unwrap_or(wgpu::Backends::PRIMARY),
            Backend::Vulkan => wgpu::Backends::VULKAN,
            Backend::Gl => wgpu::Backends::GL,
            Backend::Metal => wgpu::Backends::METAL,
            Backend::Dx12 => wgpu::Backends::DX12,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Auto => "auto",
            Backend::Vulkan => "vulkan",
            Backend::Gl => "gl",
            Backend::Metal => "metal",
            Backend::Dx12 => "dx12",
        }
    }
}

/// The texture format of FLOAT targets: 32-bit float where the adapter can filter it.
pub(crate) const FLOAT_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba32Float;
pub(crate) const FLOAT_FALLBACK_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba16Float;
pub(crate) const BYTE_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba8Unorm;

/// The adapter the engine renders on: the high-performance one of `instance`'s backends.
pub(crate) fn request_adapter(
    instance: &wgpu::Instance,
    backend: Backend,
) -> Result<wgpu::Adapter> {
    pollster::block_on(instance.request_adapter(&wgpu::RequestAdapterOptions {
        power_preference: wgpu::PowerPreference::HighPerformance,
        force_fallback_adapter: false,
        compatible_surface: None,
        apply_limit_buckets: false,
    }))
    .map_err(|e| Error::NoAdapter {
        backend: backend.name().into(),
        message: format!(
            "{e}. On a machine without a GPU install Mesa's software Vulkan driver (Debian: apt-get install mesa-vulkan-drivers)"
        ),
    })
}

/// Every device of this process given up on, alive while its work still runs.
static ABANDONED: Mutex<Vec<Weak<()>>> = Mutex::new(Vec::new());

/// Whether a device of this process was given up on (a frame passed its deadline) and the
/// GPU still runs its work. A process should then end without running exit handlers
/// (`_exit`): on lavapipe, the C library's exit tears down LLVM while the abandoned work may
/// still be compiling on a driver thread, which crashes (measured: 1 exit in 5 with a 1 ms
/// deadline ended in SIGSEGV).
pub fn abandoned_work_running() -> bool {
    let mut list = ABANDONED.lock().unwrap_or_else(|p| p.into_inner());
    list.retain(|w| w.strong_count() > 0);
    !list.is_empty()
}

/// One submission handed to a device's submission thread, and where its answer goes.
type SubmitJob = (
    Vec<wgpu::CommandBuffer>,
    mpsc::SyncSender<Result<wgpu::SubmissionIndex>>,
);

/// A device generation.
///
/// Two wgpu calls can block for as long as the GPU runs a shader, whatever timeout the
/// caller wants: `Queue::submit` (lavapipe waits there for earlier work when its queue of
/// scenes is full) and dropping the last `Queue` (wgpu-core waits for the queue to go idle).
/// So submissions run on a thread of the device's own ([`Gpu::submit`] waits for them up to
/// a deadline), and a device that passed a deadline is *abandoned* ([`Gpu::abandon`]): its
/// queue is let go on a detached thread, which ends when the GPU has finished the work (or
/// with the process). Nothing else the engine calls waits for the GPU without a timeout.
pub(crate) struct Gpu {
    pub device: wgpu::Device,
    pub queue: wgpu::Queue,
    submit_tx: Option<mpsc::Sender<SubmitJob>>,
    submit_thread: Option<JoinHandle<()>>,
    /// Alive while any thread still holds this device's queue; see [`Gpu::work_token`].
    alive: Option<Arc<()>>,
    /// Shared with every texture made here: an abandoned device's textures are not
    /// destroyed explicitly (that takes a lock a blocked submission may hold).
    abandoned: Arc<AtomicBool>,
    pub generation: u64,
    pub registry: Registry,
    /// Errors wgpu raised outside every error scope (see [`Gpu::capture`]), not yet reported.
    pub errors: Arc<Mutex<Vec<String>>>,
    pub float_format: wgpu::TextureFormat,
    pub max_texture_size: u32,
    pub adapter_info: wgpu::AdapterInfo,
    /// The pipeline cache on disk, where it is on and the adapter offers one.
    pipeline_cache: Option<crate::pipeline_cache::DiskCache>,
    pub pipeline_cache_state: crate::PipelineCacheState,
    /// The programs of this device that scenes hold.
    pub programs: crate::program_gpu::ProgramCache,
    // Last: the adapter outlives the device it made.
    _adapter: wgpu::Adapter,
}

impl Gpu {
    pub fn new(
        instance: &wgpu::Instance,
        config: &crate::EngineConfig,
        generation: u64,
        registry: Registry,
    ) -> Result<Gpu> {
        let adapter = request_adapter(instance, config.backend)?;
        let float_filterable = adapter
            .features()
            .contains(wgpu::Features::FLOAT32_FILTERABLE);
        let mut required_features = if float_filterable {
            wgpu::Features::FLOAT32_FILTERABLE
        } else {
            wgpu::Features::empty()
        };
        if config.pipeline_cache.is_some() {
            required_features |= adapter.features() & wgpu::Features::PIPELINE_CACHE;
        }
        let limits = adapter.limits();
        let (device, queue) = pollster::block_on(adapter.request_device(&wgpu::DeviceDescriptor {
            label: Some("isfkit device"),
            required_features,
            required_limits: wgpu::Limits { ..limits.clone() },
            experimental_features: wgpu::ExperimentalFeatures::disabled(),
            memory_hints: wgpu::MemoryHints::Performance,
            trace: wgpu::Trace::Off,
        }))
        .map_err(|e| Error::Device(e.to_string()))?;
        let errors: Arc<Mutex<Vec<String>>> = Arc::default();
        let sink = errors.clone();
        // wgpu's default handler panics. Every call that can fail runs inside `capture`, so
        // what arrives here was raised outside any scope; the lifecycle reports it.
        device.on_uncaptured_error(Arc::new(move |e: wgpu::Error| {
            tracing::warn!("GPU error outside any call: {e}");
            sink.lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(e.to_string());
        }));
        let float_format = if float_filterable {
            FLOAT_FORMAT
        } else {
            tracing::warn!(
                "adapter cannot filter 32-bit float textures; FLOAT targets use 16-bit floats"
            );
            FLOAT_FALLBACK_FORMAT
        };
        let adapter_info = adapter.get_info();
        let (pipeline_cache, pipeline_cache_state) = match &config.pipeline_cache {
            Some(dir) => crate::pipeline_cache::open(dir, &adapter, &device),
            None => (None, crate::PipelineCacheState::off()),
        };
        tracing::debug!(generation, adapter = %adapter_info.name, backend = ?adapter_info.backend, "device created");
        let alive = Arc::new(());
        let (submit_tx, submit_rx) = mpsc::channel::<SubmitJob>();
        let submit_thread = {
            let (device, queue, alive) = (device.clone(), queue.clone(), alive.clone());
            std::thread::Builder::new()
                .name(format!("isfkit-submit-{generation}"))
                .spawn(move || {
                    for (commands, answer) in submit_rx {
                        let r = capture_on(&device, || Ok(queue.submit(commands)));
                        // The caller stopped waiting (its deadline passed): nobody to tell.
                        let _ = answer.send(r);
                    }
                    // The last clone of a hung queue waits here, not in the engine.
                    drop(queue);
                    drop(device);
                    drop(alive);
                })
                .map_err(|e| Error::Device(format!("cannot start the submission thread: {e}")))?
        };
        Ok(Gpu {
            device,
            queue,
            submit_tx: Some(submit_tx),
            submit_thread: Some(submit_thread),
            alive: Some(alive),
            abandoned: Arc::default(),
            generation,
            registry,
            errors,
            float_format,
            max_texture_size: limits.max_texture_dimension_2d,
            adapter_info,
            pipeline_cache,
            pipeline_cache_state,
            programs: Default::default(),
            _adapter: adapter,
        })
    }

    /// Writes the pipeline cache to its file, if there is one and the driver's data changed.
    pub fn save_pipeline_cache(&self) {
        if let Some(c) = &self.pipeline_cache {
            c.save();
        }
    }

    /// Runs `f` inside error scopes of this thread and returns the GPU errors its wgpu calls
    /// caused (validation, out-of-memory, internal), and only those: error scopes are
    /// per-thread in wgpu, so another thread's mistake never lands on this call. Scopes nest.
    pub fn capture<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        capture_on(&self.device, f)
    }

    /// Submits `commands` on the device's submission thread and waits for the submission
    /// up to `deadline`. Past it the caller gets `Error::Timeout` at once and the device must
    /// be treated as hung (the submission may still complete later, or never).
    pub fn submit(
        &self,
        commands: Vec<wgpu::CommandBuffer>,
        deadline: Duration,
    ) -> Result<wgpu::SubmissionIndex> {
        let ended = || Error::Device("the device's submission thread has ended".into());
        let (tx, rx) = mpsc::sync_channel(1);
        self.submit_tx
            .as_ref()
            .ok_or_else(ended)?
            .send((commands, tx))
            .map_err(|_| ended())?;
        match rx.recv_timeout(deadline) {
            Ok(r) => r,
            Err(mpsc::RecvTimeoutError::Timeout) => Err(Error::Timeout(deadline)),
            Err(mpsc::RecvTimeoutError::Disconnected) => Err(ended()),
        }
    }

    /// Marks the device as hung: when it is dropped, its queue (whose drop would wait for
    /// the work to end) is let go on a detached thread, so nobody waits for it.
    pub fn abandon(&self) {
        if !self.abandoned.swap(true, Ordering::SeqCst) {
            ABANDONED
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(self.work_token());
        }
    }

    pub fn is_abandoned(&self) -> bool {
        self.abandoned.load(Ordering::SeqCst)
    }

    /// A handle that stays upgradable while some thread still holds this device's queue:
    /// for an abandoned device, while the GPU still runs its work.
    pub fn work_token(&self) -> Weak<()> {
        self.alive.as_ref().map_or_else(Weak::new, Arc::downgrade)
    }

    /// GPU errors raised outside any [`capture`](Self::capture) scope (while dropping
    /// objects, for example), taken: each is reported once, by the lifecycle.
    pub fn take_uncaptured(&self) -> Vec<String> {
        std::mem::take(&mut *self.errors.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Waits for all submitted work, up to `deadline`.
    pub fn wait(&self, deadline: Duration) -> Result<()> {
        match self.device.poll(wgpu::PollType::Wait {
            submission_index: None,
            timeout: Some(deadline),
        }) {
            Ok(_) => Ok(()),
            Err(wgpu::PollError::Timeout) => Err(Error::Timeout(deadline)),
            Err(e) => Err(Error::Gpu(e.to_string())),
        }
    }

    /// Uploads `data` (rows of `bytes_per_row` bytes) into the whole of texture `t`.
    pub fn write_texture(&self, t: &TextureAndView, data: &[u8], bytes_per_row: u32) {
        self.write_texture_level(t, 0, (t.width, t.height), data, bytes_per_row);
    }

    /// Writes mip level `level` (`size` texels) of `t`.
    pub fn write_texture_level(
        &self,
        t: &TextureAndView,
        level: u32,
        (width, height): (u32, u32),
        data: &[u8],
        bytes_per_row: u32,
    ) {
        self.queue.write_texture(
            wgpu::TexelCopyTextureInfo {
                texture: &t.texture,
                mip_level: level,
                origin: wgpu::Origin3d::ZERO,
                aspect: wgpu::TextureAspect::All,
            },
            data,
            wgpu::TexelCopyBufferLayout {
                offset: 0,
                bytes_per_row: Some(bytes_per_row),
                rows_per_image: None,
            },
            wgpu::Extent3d {
                width,
                height,
                depth_or_array_layers: 1,
            },
        );
    }

    #[track_caller]
    pub fn texture(
        &self,
        label: &str,
        width: u32,
        height: u32,
        format: wgpu::TextureFormat,
        usage: wgpu::TextureUsages,
    ) -> Tracked<TextureAndView> {
        self.texture_with_levels(label, width, height, format, usage, 1)
    }

    /// A texture with `levels` mip levels (its view sees them all).
    #[track_caller]
    pub fn texture_with_levels(
        &self,
        label: &str,
        width: u32,
        height: u32,
        format: wgpu::TextureFormat,
        usage: wgpu::TextureUsages,
        levels: u32,
    ) -> Tracked<TextureAndView> {
        let texture = self.device.create_texture(&wgpu::TextureDescriptor {
            label: Some(label),
            size: wgpu::Extent3d {
                width,
                height,
                depth_or_array_layers: 1,
            },
            mip_level_count: levels,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format,
            usage,
            view_formats: &[],
        });
        let view = texture.create_view(&wgpu::TextureViewDescriptor::default());
        let level0 =
            width as u64 * height as u64 * format.block_copy_size(None).unwrap_or(4) as u64;
        // A full chain adds a third.
        let bytes = if levels > 1 { level0 * 4 / 3 } else { level0 };
        self.registry.track(
            TextureAndView {
                texture,
                view,
                width,
                height,
                format,
                abandoned: self.abandoned.clone(),
            },
            ResourceKind::Texture,
            label,
            bytes,
            self.generation,
            Location::caller(),
        )
    }

    #[track_caller]
    pub fn buffer(
        &self,
        label: &str,
        size: u64,
        usage: wgpu::BufferUsages,
    ) -> Tracked<wgpu::Buffer> {
        let buffer = self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some(label),
            size,
            usage,
            mapped_at_creation: false,
        });
        self.registry.track(
            buffer,
            ResourceKind::Buffer,
            label,
            size,
            self.generation,
            Location::caller(),
        )
    }

    /// A pipeline drawing the six-vertex quad of the generated vertex stages (no vertex
    /// buffers, no blending) into one colour target of `format`, registered under `label`.
    /// `constants` are the values of each stage's overrides (vertex, fragment).
    #[track_caller]
    pub fn quad_pipeline(
        &self,
        label: &str,
        layout: &wgpu::PipelineLayout,
        vertex: &wgpu::ShaderModule,
        fragment: &wgpu::ShaderModule,
        format: wgpu::TextureFormat,
        constants: [&[(&str, f64)]; 2],
    ) -> Tracked<wgpu::RenderPipeline> {
        let [vertex_constants, fragment_constants] = constants;
        let p = self
            .device
            .create_render_pipeline(&wgpu::RenderPipelineDescriptor {
                label: Some(label),
                layout: Some(layout),
                vertex: wgpu::VertexState {
                    module: vertex,
                    entry_point: Some("main"),
                    compilation_options: wgpu::PipelineCompilationOptions {
                        constants: vertex_constants,
                        ..Default::default()
                    },
                    buffers: &[],
                },
                primitive: wgpu::PrimitiveState::default(),
                depth_stencil: None,
                multisample: wgpu::MultisampleState::default(),
                fragment: Some(wgpu::FragmentState {
                    module: fragment,
                    entry_point: Some("main"),
                    compilation_options: wgpu::PipelineCompilationOptions {
                        constants: fragment_constants,
                        ..Default::default()
                    },
                    targets: &[Some(wgpu::ColorTargetState {
                        format,
                        blend: None,
                        write_mask: wgpu::ColorWrites::ALL,
                    })],
                }),
                multiview_mask: None,
                cache: self.pipeline_cache.as_ref().map(|c| &c.cache),
            });
        self.registry.track(
            p,
            ResourceKind::RenderPipeline,
            label,
            0,
            self.generation,
            Location::caller(),
        )
    }

    #[track_caller]
    pub fn track<T>(&self, value: T, kind: ResourceKind, label: &str) -> Tracked<T> {
        self.registry
            .track(value, kind, label, 0, self.generation, Location::caller())
    }
}

impl Drop for Gpu {
    fn drop(&mut self) {
        // Closing the channel ends the submission thread once its last submission returned.
        drop(self.submit_tx.take());
        let thread = self.submit_thread.take();
        let alive = self.alive.take();
        if self.abandoned.load(Ordering::SeqCst) {
            // This thread's `queue` must not be the last one let go while the GPU still runs
            // the work: a detached thread holds a clone until the queue is idle (the GPU
            // finished, or the process ends). The submission thread, if a submission still
            // blocks it, lets go of its clone when that returns.
            let (device, queue) = (self.device.clone(), self.queue.clone());
            let spawned = std::thread::Builder::new()
                .name(format!("isfkit-abandoned-{}", self.generation))
                .spawn(move || {
                    loop {
                        match device.poll(wgpu::PollType::Wait {
                            submission_index: None,
                            timeout: Some(Duration::from_secs(1)),
                        }) {
                            Ok(status) if status.is_queue_empty() => break,
                            Ok(_) | Err(wgpu::PollError::Timeout) => {}
                            Err(e) => {
                                tracing::debug!("abandoned device: {e}");
                                break;
                            }
                        }
                    }
                    drop(queue);
                    drop(device);
                    drop(alive);
                });
            if let Err(e) = spawned {
                tracing::warn!("cannot start a thread to release an abandoned device ({e}); it is kept until the process ends");
                // Without that thread nothing may wait for the queue: keep it.
                std::mem::forget(self.queue.clone());
            }
            drop(thread); // Detached.
        } else {
            if let Some(t) = thread {
                if t.join().is_err() {
                    tracing::warn!("the submission thread panicked");
                }
            }
            drop(alive);
        }
    }
}

/// Runs `f` inside error scopes of this thread on `device` and returns the GPU errors its
/// wgpu calls caused (see [`Gpu::capture`]).
pub(crate) fn capture_on<T>(device: &wgpu::Device, f: impl FnOnce() -> Result<T>) -> Result<T> {
    let validation = device.push_error_scope(wgpu::ErrorFilter::Validation);
    let memory = device.push_error_scope(wgpu::ErrorFilter::OutOfMemory);
    let internal = device.push_error_scope(wgpu::ErrorFilter::Internal);
    let result = f();
    // Popped in reverse order of pushing; wgpu-core resolves these futures at once.
    let errors: Vec<wgpu::Error> = [internal, memory, validation]
        .into_iter()
        .filter_map(|scope| pollster::block_on(scope.pop()))
        .collect();
    if errors.is_empty() {
        return result;
    }
    let out_of_memory = errors
        .iter()
        .any(|e| matches!(e, wgpu::Error::OutOfMemory { .. }));
    let message = errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ");
    Err(if out_of_memory {
        Error::GpuOutOfMemory(message)
    } else {
        Error::Gpu(message)
    })
}

/// Records one pass that clears `view` to transparent black and draws the six-vertex quad
/// with `pipeline` and `bind_group`: every ISF pass and the persistent-buffer blit.
pub(crate) fn draw_quad(
    encoder: &mut wgpu::CommandEncoder,
    label: &str,
    view: &wgpu::TextureView,
    pipeline: &wgpu::RenderPipeline,
    bind_group: &wgpu::BindGroup,
) {
    let mut rp = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
        label: Some(label),
        color_attachments: &[Some(wgpu::RenderPassColorAttachment {
            view,
            depth_slice: None,
            resolve_target: None,
            ops: wgpu::Operations {
                load: wgpu::LoadOp::Clear(wgpu::Color::TRANSPARENT),
                store: wgpu::StoreOp::Store,
            },
        })],
        depth_stencil_attachment: None,
        timestamp_writes: None,
        occlusion_query_set: None,
        multiview_mask: None,
    });
    rp.set_pipeline(pipeline);
    rp.set_bind_group(0, Some(bind_group), &[]);
    rp.draw(0..6, 0..1);
}

/// A texture with its default view.
#[derive(Debug)]
pub(crate) struct TextureAndView {
    pub texture: wgpu::Texture,
    pub view: wgpu::TextureView,
    pub width: u32,
    pub height: u32,
    pub format: wgpu::TextureFormat,
    /// The device's [`Gpu::abandon`] flag.
    abandoned: Arc<AtomicBool>,
}

impl Drop for TextureAndView {
    fn drop(&mut self) {
        // Free the memory now rather than when wgpu's last internal reference goes; not on
        // an abandoned device, where `destroy` waits for a lock its hung submission holds.
        if !self.abandoned.load(Ordering::SeqCst) {
            self.texture.destroy();
        }
    }
}
