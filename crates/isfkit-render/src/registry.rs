//! The resource registry: every GPU object the engine creates, with kind, label, bytes,
//! device generation, creation order and the place in the code that created it.
//!
//! Objects are wrapped in [`Tracked`], whose `Drop` deregisters them, so the registry is
//! exactly the set of GPU objects alive in the engine. Leak checks count it.

use std::collections::BTreeMap;
use std::fmt;
use std::panic::Location;
use std::sync::{Arc, Mutex, MutexGuard};

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ResourceKind {
    Texture,
    Buffer,
    Sampler,
    ShaderModule,
    BindGroupLayout,
    PipelineLayout,
    RenderPipeline,
    BindGroup,
}

impl fmt::Display for ResourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            ResourceKind::Texture => "texture",
            ResourceKind::Buffer => "buffer",
            ResourceKind::Sampler => "sampler",
            ResourceKind::ShaderModule => "shader module",
            ResourceKind::BindGroupLayout => "bind group layout",
            ResourceKind::PipelineLayout => "pipeline layout",
            ResourceKind::RenderPipeline => "render pipeline",
            ResourceKind::BindGroup => "bind group",
        };
        f.write_str(s)
    }
}

/// One live GPU object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiveResource {
    pub kind: ResourceKind,
    pub label: String,
    pub bytes: u64,
    pub generation: u64,
    /// Creation order across the engine's life (0 = first).
    pub order: u64,
    /// `file:line` of the engine code that created it.
    pub created_at: String,
}

/// Live counts and bytes by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ResourceSummary {
    pub by_kind: BTreeMap<ResourceKind, KindSummary>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct KindSummary {
    pub count: u64,
    pub bytes: u64,
}

impl ResourceSummary {
    pub fn total_count(&self) -> u64 {
        self.by_kind.values().map(|k| k.count).sum()
    }
    pub fn total_bytes(&self) -> u64 {
        self.by_kind.values().map(|k| k.bytes).sum()
    }
}

#[derive(Debug, Default)]
struct Inner {
    next_order: u64,
    live: BTreeMap<u64, LiveResource>,
}

/// Shared by the engine and every [`Tracked`] object.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    inner: Arc<Mutex<Inner>>,
}

impl Registry {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding this lock cannot leave the map inconsistent (each operation is
        // one insert or remove), so a poisoned lock is still usable.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers `value` and returns it wrapped so that dropping it deregisters it.
    pub fn track<T>(
        &self,
        value: T,
        kind: ResourceKind,
        label: &str,
        bytes: u64,
        generation: u64,
        created_at: &'static Location<'static>,
    ) -> Tracked<T> {
        let mut inner = self.lock();
        let order = inner.next_order;
        inner.next_order += 1;
        inner.live.insert(
            order,
            LiveResource {
                kind,
                label: label.to_owned(),
                bytes,
                generation,
                order,
                created_at: format!("{}:{}", created_at.file(), created_at.line()),
            },
        );
        Tracked {
            value: Some(value),
            order,
            registry: self.clone(),
        }
    }

    pub fn summary(&self) -> ResourceSummary {
        let inner = self.lock();
        let mut s = ResourceSummary::default();
        for r in inner.live.values() {
            let k = s.by_kind.entry(r.kind).or_default();
            k.count += 1;
            k.bytes += r.bytes;
        }
        s
    }

    /// Every live object, in creation order.
    pub fn live(&self) -> Vec<LiveResource> {
        self.lock().live.values().cloned().collect()
    }

    fn remove(&self, order: u64) {
        self.lock().live.remove(&order);
    }
}

/// A GPU object known to the registry. Dropping it releases the object and deregisters it.
#[derive(Debug)]
pub struct Tracked<T> {
    value: Option<T>,
    order: u64,
    registry: Registry,
}

impl<T> std::ops::Deref for Tracked<T> {
    type Target = T;
    fn deref(&self) -> &T {
        // Only `Drop` takes the value out.
        self.value
            .as_ref()
            .expect("tracked value present until drop")
    }
}

impl<T> Drop for Tracked<T> {
    fn drop(&mut self) {
        // Release the GPU object first, then deregister: the registry never claims an object
        // is gone while it still exists.
        drop(self.value.take());
        self.registry.remove(self.order);
        tracing::trace!(order = self.order, "released tracked GPU object");
    }
}
