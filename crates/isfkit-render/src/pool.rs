//! The texture and buffer pool: reuse by descriptor, `Arc` handles, ageing, statistics.
//!
//! A pooled object is idle when the pool holds the only reference to its slot. `cleanup()`
//! frees the idle ones; `force_cleanup()` frees every object, held or not, and a handle that
//! is still held afterwards answers [`Error::Released`] instead of touching freed memory.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::gpu::{Gpu, TextureAndView};
use crate::registry::Tracked;

/// Frames an idle object stays pooled before it is freed.
pub const DEFAULT_MAX_IDLE_FRAMES: u64 = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    Texture {
        width: u32,
        height: u32,
        format: wgpu::TextureFormat,
        usage: wgpu::TextureUsages,
    },
    Buffer {
        size: u64,
        usage: wgpu::BufferUsages,
    },
}

enum Object {
    Texture(Tracked<TextureAndView>),
    Buffer(Tracked<wgpu::Buffer>),
}

impl Object {
    fn bytes(&self) -> u64 {
        match self {
            Object::Texture(t) => {
                t.width as u64
                    * t.height as u64
                    * t.format.block_copy_size(None).unwrap_or(4) as u64
            }
            Object::Buffer(b) => b.size(),
        }
    }
}

/// One pooled object; handles share it through an `Arc`.
pub struct PoolSlot {
    key: Key,
    label: String,
    object: Mutex<Option<Object>>,
    last_used: AtomicU64,
    generation: u64,
}

/// A texture handed out by the pool. Keep it as long as you use it; drop it to give it back.
pub type PooledTexture = Arc<PoolSlot>;

impl PoolSlot {
    fn lock(&self) -> MutexGuard<'_, Option<Object>> {
        self.object.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` on the texture, or fails if `force_cleanup()` released it.
    pub(crate) fn with_texture<R>(&self, f: impl FnOnce(&TextureAndView) -> R) -> Result<R> {
        match &*self.lock() {
            Some(Object::Texture(t)) => Ok(f(t)),
            _ => Err(Error::Released {
                label: self.label.clone(),
            }),
        }
    }

    /// Runs `f` on the buffer, or fails if `force_cleanup()` released it.
    pub(crate) fn with_buffer<R>(&self, f: impl FnOnce(&wgpu::Buffer) -> R) -> Result<R> {
        match &*self.lock() {
            Some(Object::Buffer(b)) => Ok(f(b)),
            _ => Err(Error::Released {
                label: self.label.clone(),
            }),
        }
    }

    /// Width and height of a pooled texture; `Error::Released` after `force_cleanup()`.
    pub fn size(&self) -> Result<(u32, u32)> {
        self.with_texture(|t| (t.width, t.height))
    }

    pub fn label(&self) -> &str {
        &self.label
    }

    /// Whether the object was released by `force_cleanup()` (or a re-initialisation).
    pub fn is_released(&self) -> bool {
        self.lock().is_none()
    }
}

/// Pool statistics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PoolStats {
    pub hits: u64,
    pub misses: u64,
    /// Objects handed out and still held.
    pub live: u64,
    /// Objects waiting in the pool.
    pub idle: u64,
    /// Bytes of all pooled objects, live and idle.
    pub bytes: u64,
    /// Objects freed because they sat idle too long.
    pub aged_out: u64,
}

/// What a cleanup freed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Freed {
    pub count: u64,
    pub bytes: u64,
}

#[derive(Default)]
pub(crate) struct Pool {
    slots: Vec<Arc<PoolSlot>>,
    frame: u64,
    pub max_idle_frames: u64,
    hits: u64,
    misses: u64,
    aged_out: u64,
}

impl Pool {
    pub fn new() -> Pool {
        Pool {
            max_idle_frames: DEFAULT_MAX_IDLE_FRAMES,
            ..Default::default()
        }
    }

    fn take_idle(&mut self, key: Key, generation: u64) -> Option<Arc<PoolSlot>> {
        let slot = self.slots.iter().find(|s| {
            s.key == key
                && s.generation == generation
                && Arc::strong_count(s) == 1
                && !s.is_released()
        })?;
        slot.last_used.store(self.frame, Ordering::Relaxed);
        self.hits += 1;
        Some(slot.clone())
    }

    fn insert(
        &mut self,
        key: Key,
        label: String,
        object: Object,
        generation: u64,
    ) -> Arc<PoolSlot> {
        self.misses += 1;
        let slot = Arc::new(PoolSlot {
            key,
            label,
            object: Mutex::new(Some(object)),
            last_used: AtomicU64::new(self.frame),
            generation,
        });
        self.slots.push(slot.clone());
        slot
    }

    /// A render target texture of this size and format (contents undefined: clear it).
    #[track_caller]
    pub fn texture(
        &mut self,
        gpu: &Gpu,
        width: u32,
        height: u32,
        format: wgpu::TextureFormat,
    ) -> PooledTexture {
        let usage = wgpu::TextureUsages::RENDER_ATTACHMENT
            | wgpu::TextureUsages::TEXTURE_BINDING
            | wgpu::TextureUsages::COPY_SRC
            | wgpu::TextureUsages::COPY_DST;
        let key = Key::Texture {
            width,
            height,
            format,
            usage,
        };
        if let Some(s) = self.take_idle(key, gpu.generation) {
            return s;
        }
        let label = format!("pool texture {width}x{height} {format:?}");
        let t = gpu.texture(&label, width, height, format, usage);
        self.insert(key, label, Object::Texture(t), gpu.generation)
    }

    /// A buffer of this size and usage.
    #[track_caller]
    pub fn buffer(&mut self, gpu: &Gpu, size: u64, usage: wgpu::BufferUsages) -> PooledTexture {
        let key = Key::Buffer { size, usage };
        if let Some(s) = self.take_idle(key, gpu.generation) {
            return s;
        }
        let label = format!("pool buffer {size} bytes");
        let b = gpu.buffer(&label, size, usage);
        self.insert(key, label, Object::Buffer(b), gpu.generation)
    }

    /// Ends a frame: objects idle for more than `max_idle_frames` frames are freed.
    pub fn end_frame(&mut self) {
        self.frame += 1;
        let frame = self.frame;
        let max = self.max_idle_frames;
        let before = self.slots.len();
        self.slots.retain(|s| {
            Arc::strong_count(s) > 1
                || frame.saturating_sub(s.last_used.load(Ordering::Relaxed)) <= max
        });
        self.aged_out += (before - self.slots.len()) as u64;
    }

    /// Frees every object nobody holds.
    pub fn cleanup(&mut self) -> Freed {
        let mut freed = Freed::default();
        self.slots.retain(|s| {
            if Arc::strong_count(s) == 1 {
                if let Some(o) = s.lock().take() {
                    freed.count += 1;
                    freed.bytes += o.bytes();
                }
                false
            } else {
                true
            }
        });
        freed
    }

    /// Frees every object, held or not; held handles then answer `Error::Released`.
    pub fn force_cleanup(&mut self) -> Freed {
        let mut freed = Freed::default();
        for s in self.slots.drain(..) {
            if let Some(o) = s.lock().take() {
                freed.count += 1;
                freed.bytes += o.bytes();
            }
        }
        freed
    }

    pub fn stats(&self) -> PoolStats {
        let mut st = PoolStats {
            hits: self.hits,
            misses: self.misses,
            aged_out: self.aged_out,
            ..Default::default()
        };
        for s in &self.slots {
            if let Some(o) = &*s.lock() {
                st.bytes += o.bytes();
                if Arc::strong_count(s) > 1 {
                    st.live += 1;
                } else {
                    st.idle += 1;
                }
            }
        }
        st
    }
}
