//! Reading rendered pixels back from the GPU: a frame's output (or a persistent buffer) is
//! copied into a pooled buffer, mapped, and read out, with the waits bounded by the deadline.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::engine::EngineInner;
use crate::error::{Error, Result};
use crate::frame::Frame;
use crate::gpu::{Gpu, TextureAndView};
use crate::passes;
use crate::pool::{Pool, PooledTexture};
use crate::scene_state::{lock_scene, SavedTexture, SceneState};

/// A frame on its way: submitted, its read-back buffer being mapped.
pub(crate) struct PendingReadback {
    /// The device generation the frame was submitted to.
    gpu: Arc<Gpu>,
    buffer: PooledTexture,
    width: u32,
    height: u32,
    format: wgpu::TextureFormat,
    padded: usize,
    submission: wgpu::SubmissionIndex,
    mapped: std::sync::mpsc::Receiver<std::result::Result<(), wgpu::BufferAsyncError>>,
    /// Set once the data was copied out and the buffer unmapped.
    done: bool,
}

impl Drop for PendingReadback {
    fn drop(&mut self) {
        if !self.done {
            // An abandoned frame: cancel the mapping so the pooled buffer can be reused.
            if let Err(e) = self.buffer.with_buffer(|b| b.unmap()) {
                tracing::debug!("abandoned read-back buffer already released: {e}");
            }
        }
    }
}

impl EngineInner {
    /// Waits (up to the deadline) for a submitted frame's read-back and returns its pixels.
    /// A timeout taints the device, and `scene`'s objects go with it.
    ///
    /// Takes no engine lock: the wait is on the device the frame was submitted to (held by
    /// `pending`), so other threads load, compile and render meanwhile, and a device replaced
    /// in the meantime cannot be confused with this frame's.
    pub(crate) fn finish_readback(
        &self,
        scene: &Arc<Mutex<SceneState>>,
        mut pending: PendingReadback,
    ) -> Result<Frame> {
        let result = self.wait_and_read(scene, &mut pending);
        match result {
            // A re-initialisation, force_cleanup() or shutdown on another thread took the
            // frame's buffer; after a shutdown say so.
            Err(Error::Released { .. }) if self.shut_down.load(Ordering::SeqCst) => {
                Err(Error::ShutDown)
            }
            other => other,
        }
    }

    fn wait_and_read(
        &self,
        scene: &Arc<Mutex<SceneState>>,
        pending: &mut PendingReadback,
    ) -> Result<Frame> {
        if let Err(e) = wait_readback(pending, self.deadline()) {
            if matches!(e, Error::Timeout(_)) {
                let generation = pending.gpu.generation;
                pending.gpu.abandon();
                self.tainted_generation.store(generation, Ordering::SeqCst);
                self.taint_deadline_ns
                    .store(self.deadline_ns.load(Ordering::Relaxed), Ordering::Relaxed);
                let mut s = lock_scene(scene);
                if s.gpu.as_ref().is_some_and(|g| g.generation == generation) {
                    s.gpu = None;
                }
            }
            return Err(e);
        }
        let (w, h, format, padded) = (
            pending.width,
            pending.height,
            pending.format,
            pending.padded,
        );
        // Rows are flipped straight out of the mapped memory: one copy, not two.
        let pixels = take_mapped(pending, |data| {
            passes::read_pixels(format, data, w, h, padded)
        })?;
        Ok(Frame {
            width: w,
            height: h,
            pixels,
        })
    }

    /// Lets wgpu see which submissions on `pending`'s device have finished, without
    /// waiting, so their read-backs complete. A pipelined run calls it before each
    /// submission: once a submission blocks on a hung device, that device cannot be polled
    /// any more (wgpu holds its submission lock), and finished frames could not be kept.
    pub(crate) fn poll_finished(&self, pending: &PendingReadback) {
        if let Err(e) = pending.gpu.device.poll(wgpu::PollType::Poll) {
            tracing::debug!("polling for finished frames: {e}");
        }
    }

    /// A submitted frame's pixels if its read-back already completed (see
    /// [`Self::poll_finished`]); never waits, never polls.
    pub(crate) fn take_if_ready(&self, mut pending: PendingReadback) -> Option<Frame> {
        if !matches!(pending.mapped.try_recv(), Ok(Ok(()))) {
            return None;
        }
        let (w, h, format, padded) = (
            pending.width,
            pending.height,
            pending.format,
            pending.padded,
        );
        let pixels = take_mapped(&mut pending, |data| {
            passes::read_pixels(format, data, w, h, padded)
        })
        .ok()?;
        Some(Frame {
            width: w,
            height: h,
            pixels,
        })
    }
}

/// Saves a scene's persistent buffers to memory before its device goes away.
pub(crate) fn save_persistent(
    gpu: &Arc<Gpu>,
    pool: &mut Pool,
    s: &mut SceneState,
    deadline: Duration,
) -> Result<usize> {
    let Some(sg) = s.gpu.as_mut() else {
        return Ok(s.saved_persistent.len());
    };
    let mut n = 0;
    for (name, tex) in std::mem::take(&mut sg.persistent) {
        let (width, height, format) = tex.with_texture(|t| (t.width, t.height, t.format))?;
        let data = read_raw(gpu, pool, &tex, deadline)?;
        s.saved_persistent.insert(
            name,
            SavedTexture {
                width,
                height,
                format,
                data,
            },
        );
        n += 1;
    }
    Ok(n)
}

/// Reads a texture's bytes back, tightly packed, in memory row order.
fn read_raw(
    gpu: &Arc<Gpu>,
    pool: &mut Pool,
    tex: &PooledTexture,
    deadline: Duration,
) -> Result<Vec<u8>> {
    let enc = gpu
        .device
        .create_command_encoder(&wgpu::CommandEncoderDescriptor {
            label: Some("persistent read-back"),
        });
    let mut pending = start_readback(gpu, pool, tex, enc.finish(), deadline)?;
    wait_readback(&pending, deadline)?;
    let row = pending.width as usize * passes::bytes_per_texel(pending.format) as usize;
    let (h, padded) = (pending.height as usize, pending.padded);
    take_mapped(&mut pending, |data| {
        (0..h)
            .flat_map(|y| data[y * padded..y * padded + row].to_vec())
            .collect()
    })
}

/// Submits `commands` followed by a copy of `tex` into a pooled read-back buffer (rows padded
/// to 256 bytes) and asks for the buffer to be mapped; nothing waits here.
pub(crate) fn start_readback(
    gpu: &Arc<Gpu>,
    pool: &mut Pool,
    tex: &PooledTexture,
    commands: wgpu::CommandBuffer,
    deadline: Duration,
) -> Result<PendingReadback> {
    let (w, h, format) = tex.with_texture(|t| (t.width, t.height, t.format))?;
    let padded = (w as usize * passes::bytes_per_texel(format) as usize).div_ceil(256) * 256;
    let buffer = pool.buffer(
        gpu,
        (padded * h as usize) as u64,
        wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
    );
    let mut enc = gpu
        .device
        .create_command_encoder(&wgpu::CommandEncoderDescriptor {
            label: Some("read back"),
        });
    buffer
        .with_buffer(|b| tex.with_texture(|t| copy_to_buffer(&mut enc, t, b, padded as u32)))??;
    let submission = gpu.submit(vec![commands, enc.finish()], deadline)?;
    let (tx, rx) = std::sync::mpsc::channel();
    buffer.with_buffer(|b| {
        b.map_async(wgpu::MapMode::Read, .., move |r| {
            // The receiver is dropped only if the frame was abandoned.
            let _ = tx.send(r);
        })
    })?;
    Ok(PendingReadback {
        gpu: gpu.clone(),
        buffer,
        width: w,
        height: h,
        format,
        padded,
        submission,
        mapped: rx,
        done: false,
    })
}

/// Waits up to `deadline` for a read-back's submission and checks that its buffer mapped.
pub(crate) fn wait_readback(pending: &PendingReadback, deadline: Duration) -> Result<()> {
    let t0 = Instant::now();
    match pending.gpu.device.poll(wgpu::PollType::Wait {
        submission_index: Some(pending.submission.clone()),
        timeout: Some(deadline),
    }) {
        Ok(_) => {}
        Err(wgpu::PollError::Timeout) => return Err(Error::Timeout(deadline)),
        Err(e) => return Err(Error::Gpu(e.to_string())),
    }
    // With several threads polling, the one whose poll saw the submission finish runs the
    // map callback, possibly just after this thread's poll returned: wait for it.
    let rest = deadline
        .saturating_sub(t0.elapsed())
        .max(Duration::from_millis(100));
    match pending.mapped.recv_timeout(rest) {
        Ok(Ok(())) => Ok(()),
        // The buffer was freed under the frame (force_cleanup, re-initialisation, shutdown
        // on another thread): a resource error, not a GPU one.
        Ok(Err(_)) if pending.buffer.is_released() => Err(Error::Released {
            label: pending.buffer.label().to_owned(),
        }),
        Ok(Err(e)) => Err(Error::Gpu(format!(
            "mapping the read-back buffer failed: {e}"
        ))),
        Err(_) if pending.buffer.is_released() => Err(Error::Released {
            label: pending.buffer.label().to_owned(),
        }),
        Err(_) => Err(Error::Gpu(
            "the read-back buffer was not mapped after its frame finished".into(),
        )),
    }
}

/// Runs `f` on the mapped bytes, then unmaps the buffer so the pool can reuse it.
pub(crate) fn take_mapped<R>(
    pending: &mut PendingReadback,
    f: impl FnOnce(&[u8]) -> R,
) -> Result<R> {
    let r = pending.buffer.with_buffer(|b| -> Result<R> {
        let r = {
            let view = b
                .get_mapped_range(..)
                .map_err(|e| Error::Gpu(e.to_string()))?;
            f(&view)
        };
        b.unmap();
        Ok(r)
    })??;
    pending.done = true;
    Ok(r)
}

fn copy_to_buffer(
    enc: &mut wgpu::CommandEncoder,
    t: &TextureAndView,
    buffer: &wgpu::Buffer,
    padded_row: u32,
) {
    enc.copy_texture_to_buffer(
        wgpu::TexelCopyTextureInfo {
            texture: &t.texture,
            mip_level: 0,
            origin: wgpu::Origin3d::ZERO,
            aspect: wgpu::TextureAspect::All,
        },
        wgpu::TexelCopyBufferInfo {
            buffer,
            layout: wgpu::TexelCopyBufferLayout {
                offset: 0,
                bytes_per_row: Some(padded_row),
                rows_per_image: Some(t.height),
            },
        },
        wgpu::Extent3d {
            width: t.width,
            height: t.height,
            depth_or_array_layers: 1,
        },
    );
}
