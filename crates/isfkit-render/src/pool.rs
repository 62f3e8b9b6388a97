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
    /// A stand-in of `bytes` bytes, so the pool's bookkeeping is tested without a GPU.
    #[cfg(test)]
    Fake(Tracked<u64>),
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
            #[cfg(test)]
            Object::Fake(n) => **n,
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
        let label = || format!("pool texture {width}x{height} {format:?}");
        self.get_or_insert(key, gpu.generation, label, |label| {
            Object::Texture(gpu.texture(label, width, height, format, usage))
        })
    }

    /// An idle object of `key` made for `generation`, or a new one from `make` (given its
    /// label). The one path every request takes: hits, misses and `last_used` are counted here.
    #[track_caller]
    fn get_or_insert(
        &mut self,
        key: Key,
        generation: u64,
        label: impl FnOnce() -> String,
        make: impl FnOnce(&str) -> Object,
    ) -> Arc<PoolSlot> {
        if let Some(s) = self.take_idle(key, generation) {
            return s;
        }
        let label = label();
        let object = make(&label);
        self.insert(key, label, object, generation)
    }

    /// A buffer of this size and usage.
    #[track_caller]
    pub fn buffer(&mut self, gpu: &Gpu, size: u64, usage: wgpu::BufferUsages) -> PooledTexture {
        let key = Key::Buffer { size, usage };
        let label = || format!("pool buffer {size} bytes");
        self.get_or_insert(key, gpu.generation, label, |label| {
            Object::Buffer(gpu.buffer(label, size, usage))
        })
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

#[cfg(test)]
mod tests {
    //! The pool's bookkeeping on stand-in objects: no GPU needed.
    use std::panic::Location;

    use super::*;
    use crate::registry::{Registry, ResourceKind};

    fn key(n: u64) -> Key {
        Key::Buffer {
            size: n,
            usage: wgpu::BufferUsages::COPY_DST,
        }
    }

    fn get(pool: &mut Pool, reg: &Registry, n: u64, generation: u64) -> Arc<PoolSlot> {
        pool.get_or_insert(
            key(n),
            generation,
            || format!("fake {n}"),
            |label| {
                Object::Fake(reg.track(
                    n,
                    ResourceKind::Buffer,
                    label,
                    n,
                    generation,
                    Location::caller(),
                ))
            },
        )
    }

    #[test]
    fn reuses_by_descriptor_and_generation_only_when_idle() {
        let (mut pool, reg) = (Pool::new(), Registry::default());
        let a = get(&mut pool, &reg, 100, 1);
        let b = get(&mut pool, &reg, 100, 1); // `a` is held: a second object
        assert!(!Arc::ptr_eq(&a, &b));
        drop(a);
        let c = get(&mut pool, &reg, 100, 1); // idle now: reused
        assert_eq!(pool.stats().hits, 1);
        let d = get(&mut pool, &reg, 200, 1); // another descriptor
        let e = get(&mut pool, &reg, 100, 2); // another device generation
        drop((b, c, d, e));
        let st = pool.stats();
        assert_eq!((st.hits, st.misses, st.live, st.idle), (1, 4, 0, 4));
        assert_eq!(st.bytes, 100 + 100 + 200 + 100);
        assert_eq!(reg.summary().total_count(), 4);
    }

    #[test]
    fn idle_objects_age_out_after_max_idle_frames() {
        let (mut pool, reg) = (Pool::new(), Registry::default());
        pool.max_idle_frames = 2;
        let held = get(&mut pool, &reg, 1, 1);
        drop(get(&mut pool, &reg, 2, 1));
        for _ in 0..2 {
            pool.end_frame();
        }
        assert_eq!(pool.stats().idle, 1, "kept for max_idle_frames frames");
        pool.end_frame();
        let st = pool.stats();
        assert_eq!((st.idle, st.live, st.aged_out), (0, 1, 1));
        assert_eq!(
            reg.summary().total_count(),
            1,
            "the aged-out object was released"
        );
        // A held object never ages out, however long.
        for _ in 0..10 {
            pool.end_frame();
        }
        assert_eq!(pool.stats().live, 1);
        assert!(!held.is_released());
    }

    #[test]
    fn cleanup_frees_idle_and_force_cleanup_frees_everything() {
        let (mut pool, reg) = (Pool::new(), Registry::default());
        let held = get(&mut pool, &reg, 10, 1);
        drop(get(&mut pool, &reg, 20, 1));
        let freed = pool.cleanup();
        assert_eq!((freed.count, freed.bytes), (1, 20));
        assert!(!held.is_released());
        assert_eq!(reg.summary().total_count(), 1);
        let freed = pool.force_cleanup();
        assert_eq!((freed.count, freed.bytes), (1, 10));
        assert!(held.is_released());
        assert_eq!(reg.summary().total_count(), 0);
        // A held handle answers Released, naming the object.
        match held.with_buffer(|_| ()) {
            Err(Error::Released { label }) => assert_eq!(label, "fake 10"),
            other => panic!("expected Released, got {other:?}"),
        }
        // And a released slot is never handed out again.
        drop(held);
        let fresh = get(&mut pool, &reg, 10, 1);
        assert!(!fresh.is_released());
        assert_eq!(pool.stats().hits, 0);
    }
}
