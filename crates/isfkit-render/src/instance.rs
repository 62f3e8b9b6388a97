//! The wgpu instance engines run on: one shared per set of backends (or a private one), with
//! a count of the engines using it and what its leak report already listed.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use crate::lifecycle::{self, Leak};

/// A wgpu instance and how many engines use it.
#[derive(Clone)]
pub(crate) struct InstanceHandle {
    pub(crate) instance: wgpu::Instance,
    /// Engines alive on this instance; `None` for a private instance.
    pub(crate) users: Option<Arc<AtomicUsize>>,
    /// Objects wgpu's report listed at the last verification on this instance (kind, count):
    /// each leak is reported once, by the engine whose verify phase found it, not again by
    /// every later engine on the shared instance.
    reported: Arc<Mutex<Vec<(String, u64)>>>,
}

/// Set once the process's environment is ready for its first instance; after that, the
/// driver has read what it reads at load time.
static PROCESS_ENV: OnceLock<()> = OnceLock::new();
/// Whether [`quick_compiles`] was chosen, and whether it was in time (before the first
/// instance).
static QUICK_COMPILES: AtomicBool = AtomicBool::new(false);
static QUICK_APPLIED: AtomicBool = AtomicBool::new(false);

/// Asks a CPU renderer (Mesa's lavapipe, whose shader compiler is LLVM) to compile every
/// engine's shaders of this process without LLVM's optimisation passes: a shader's first
/// frame comes sooner, and every frame after it renders slower. The trade suits work that
/// renders one or a few frames of many shaders (thumbnails, a library's check); pixels are
/// the same. GPU drivers ignore it.
///
/// The driver reads the choice once, when it loads, so it holds only when made before the
/// first engine (or adapter probe) of the process. Returns whether quick compiles hold:
/// `false`, changing nothing, when asked too late. Like the runtime directory, it is set in
/// the environment (`GALLIVM_PERF=nopt`, added to what the variable already holds), so child
/// processes started afterwards inherit it, and a program whose own threads call `getenv`
/// meanwhile should set it itself.
pub fn quick_compiles() -> bool {
    QUICK_COMPILES.store(true, Ordering::SeqCst);
    PROCESS_ENV.get_or_init(prepare_env);
    QUICK_APPLIED.load(Ordering::SeqCst)
}

/// Adds `nopt` to `GALLIVM_PERF`, the flags Mesa's LLVM back end reads when it loads.
fn set_quick_compiles() {
    let flags = std::env::var("GALLIVM_PERF").unwrap_or_default();
    if !flags.split([',', ' ']).any(|f| f == "nopt") {
        let flags = if flags.is_empty() {
            "nopt".to_string()
        } else {
            format!("{flags},nopt")
        };
        std::env::set_var("GALLIVM_PERF", flags);
    }
}

/// Prepares the process's environment for its first instance, once: gives the process an
/// `XDG_RUNTIME_DIR` when it has none (a server, a container, CI).
///
/// Without it, libwayland-client, which the Vulkan loader's WSI loads while an instance is
/// created, prints "error: XDG_RUNTIME_DIR is invalid or not set in the environment." on
/// stderr around every successful run; a new user reads "error" and stops trusting the tool.
/// A set variable is left alone, whatever it holds. The directory made here is private
/// (mode 0700) under the temporary folder, as the XDG spec asks of a runtime dir. Done once,
/// before the first instance, so before any wgpu or Vulkan thread exists. Setting the
/// environment races with other threads reading it at that moment; a program that starts
/// engines while its own threads call `getenv` should set `XDG_RUNTIME_DIR` itself.
pub(crate) fn prepare_process_env() {
    PROCESS_ENV.get_or_init(prepare_env);
}

/// The environment the first instance needs: [`quick_compiles`] if chosen, and
/// [`prepare_process_env`]'s runtime directory.
fn prepare_env() {
    if QUICK_COMPILES.load(Ordering::SeqCst) {
        set_quick_compiles();
        QUICK_APPLIED.store(true, Ordering::SeqCst);
    }
    if std::env::var_os("XDG_RUNTIME_DIR").is_some_and(|v| !v.is_empty()) {
        return;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
        let uid = std::fs::metadata("/proc/self").map_or(0, |m| m.uid());
        let dir = std::env::temp_dir().join(format!("isfkit-runtime-{uid}"));
        let made = std::fs::DirBuilder::new()
            .mode(0o700)
            .create(&dir)
            .or_else(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => Ok(()),
                _ => Err(e),
            });
        let private = std::fs::metadata(&dir)
            .is_ok_and(|m| m.is_dir() && m.uid() == uid && m.permissions().mode() & 0o077 == 0);
        match made {
            Ok(()) if private => std::env::set_var("XDG_RUNTIME_DIR", &dir),
            Ok(()) => tracing::debug!(
                "{} is not a private directory of this user; XDG_RUNTIME_DIR left unset",
                dir.display()
            ),
            Err(e) => tracing::debug!("cannot create {}: {e}", dir.display()),
        }
    }
}

impl InstanceHandle {
    /// The process's shared instance for `backends` (created on first use), or a new
    /// private one.
    pub(crate) fn get(backends: wgpu::Backends, private: bool) -> InstanceHandle {
        prepare_process_env();
        let make = || {
            let mut desc = wgpu::InstanceDescriptor::new_without_display_handle_from_env();
            desc.backends = backends;
            wgpu::Instance::new(desc)
        };
        if private {
            return InstanceHandle {
                instance: make(),
                users: None,
                reported: Arc::default(),
            };
        }
        type Shared = Vec<(wgpu::Backends, InstanceHandle)>;
        static SHARED: OnceLock<Mutex<Shared>> = OnceLock::new();
        let mut shared = SHARED
            .get_or_init(Mutex::default)
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some((_, handle)) = shared.iter().find(|(b, _)| *b == backends) {
            return handle.clone();
        }
        let handle = InstanceHandle {
            instance: make(),
            users: Some(Arc::new(AtomicUsize::new(0))),
            reported: Arc::default(),
        };
        shared.push((backends, handle.clone()));
        handle
    }

    /// What wgpu's report shows alive on the instance, less what an earlier verification
    /// already reported; remembers the new state.
    pub(crate) fn new_wgpu_leaks(&self) -> Vec<Leak> {
        let now = lifecycle::wgpu_leaks(&self.instance);
        let mut reported = self.reported.lock().unwrap_or_else(|p| p.into_inner());
        let fresh = now
            .iter()
            .filter_map(|l| {
                let before = reported
                    .iter()
                    .find(|(k, _)| *k == l.kind)
                    .map_or(0, |(_, n)| *n);
                (l.count > before).then(|| Leak {
                    count: l.count - before,
                    ..l.clone()
                })
            })
            .collect();
        *reported = now.into_iter().map(|l| (l.kind, l.count)).collect();
        fresh
    }

    /// Counts the engine that will use this instance; undone by `Drop` of `EngineInner`.
    pub(crate) fn enter(&self) {
        if let Some(u) = &self.users {
            u.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// Engines other than the caller alive on this instance.
    pub(crate) fn other_users(&self) -> usize {
        self.users
            .as_ref()
            .map_or(0, |u| u.load(Ordering::SeqCst).saturating_sub(1))
    }
}
