//! The preview's participants in the engine's cleanup coordinator.
//!
//! What a participant releases lives in a shared [`Slot`]: the window code uses it while the
//! window is open, and the participant takes it out, in its phase, at shutdown. After that
//! the slot is empty, so nothing is released twice and nothing outlives its phase.

use std::sync::{Arc, Mutex, MutexGuard};

use isfkit_render::{Participant, Phase, Released};

/// A value shared by the window code and the participant that releases it.
pub(crate) struct Slot<T>(Arc<Mutex<Option<T>>>);

impl<T> Clone for Slot<T> {
    fn clone(&self) -> Self {
        Slot(self.0.clone())
    }
}

impl<T> Slot<T> {
    pub fn new(value: Option<T>) -> Slot<T> {
        Slot(Arc::new(Mutex::new(value)))
    }

    pub fn lock(&self) -> MutexGuard<'_, Option<T>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn take(&self) -> Option<T> {
        self.lock().take()
    }

    pub fn put(&self, value: T) {
        *self.lock() = Some(value);
    }

    pub fn is_some(&self) -> bool {
        self.lock().is_some()
    }
}

type ReleaseFn = Box<dyn FnMut() -> Result<Released, String> + Send>;

/// A participant made of a name, a phase and what to do.
pub(crate) struct Part {
    name: &'static str,
    phase: Phase,
    release: ReleaseFn,
}

impl Part {
    /// The participant, boxed for `Engine::register_participant`.
    pub fn boxed(
        name: &'static str,
        phase: Phase,
        release: impl FnMut() -> Result<Released, String> + Send + 'static,
    ) -> Box<dyn Participant> {
        Box::new(Part {
            name,
            phase,
            release: Box::new(release),
        })
    }
}

impl Participant for Part {
    fn name(&self) -> &str {
        self.name
    }
    fn phase(&self) -> Phase {
        self.phase
    }
    fn release(&mut self) -> Result<Released, isfkit_render::ReleaseError> {
        Ok((self.release)()?)
    }
}

/// One released object of no measured size.
pub(crate) fn one() -> Released {
    Released { count: 1, bytes: 0 }
}
