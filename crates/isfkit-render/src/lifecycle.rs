//! The one cleanup coordinator: phases, participants, and the report.
//!
//! `Engine::shutdown()` runs [`Phase`]s in their fixed order. Each phase is timed, logged
//! with one info line, and keeps going past a failing participant, recording the failure.
//! The engine's own GPU resources are released in phase 3 while the device is valid; phase 6
//! verifies, independently, that the registry is empty and that wgpu's own report shows no
//! live object. There is no other cleanup path: `Drop` calls `shutdown()`, nothing waits for
//! process exit, and no atexit handler exists.

use std::fmt;
use std::time::Duration;

use serde::Serialize;

use crate::registry::LiveResource;

/// Shutdown phases, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Stop background workers (read-back and encoding threads, file watchers) and join them.
    StopWorkers = 1,
    /// Close windows and surfaces while the device is still valid.
    CloseSurfaces = 2,
    /// Release GPU resources while the device is valid (each scene's objects, newest scene
    /// first, then the pool, then the shared objects), then wait for the queue.
    ReleaseGpu = 3,
    /// Release UI state.
    ReleaseUi = 4,
    /// Release system resources: temporary files, child processes.
    ReleaseSystem = 5,
    /// Check that nothing is left.
    Verify = 6,
}

impl Phase {
    pub const ALL: [Phase; 6] = [
        Phase::StopWorkers,
        Phase::CloseSurfaces,
        Phase::ReleaseGpu,
        Phase::ReleaseUi,
        Phase::ReleaseSystem,
        Phase::Verify,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Phase::StopWorkers => "stop background workers",
            Phase::CloseSurfaces => "close windows and surfaces",
            Phase::ReleaseGpu => "release GPU resources",
            Phase::ReleaseUi => "release UI state",
            Phase::ReleaseSystem => "release system resources",
            Phase::Verify => "verify",
        }
    }
}

/// What a participant released.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Released {
    pub count: u64,
    pub bytes: u64,
}

/// A component with something to release at shutdown. It declares its phase; the coordinator
/// calls it once, in that phase.
pub trait Participant: Send {
    fn name(&self) -> &str;
    fn phase(&self) -> Phase;
    /// Releases what the participant holds. An error says what went wrong and what to do;
    /// the report lists it under the participant's name.
    fn release(&mut self) -> Result<Released, ReleaseError>;
}

/// Why a participant could not release what it holds: any error type (a `String` converts).
pub type ReleaseError = Box<dyn std::error::Error + Send + Sync>;

/// One phase of a shutdown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhaseReport {
    pub phase: Phase,
    pub name: &'static str,
    pub duration_ms: f64,
    pub released_count: u64,
    pub released_bytes: u64,
    pub errors: Vec<String>,
}

/// Where a leak was seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LeakSource {
    /// Still in isfkit's resource registry.
    Registry,
    /// Still alive according to wgpu's own `Instance::generate_report()`.
    Wgpu,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Leak {
    pub source: LeakSource,
    pub kind: String,
    pub label: String,
    pub bytes: u64,
    pub count: u64,
    /// Where the engine created it (registry leaks only).
    pub created_at: Option<String>,
}

impl Leak {
    pub(crate) fn from_registry(r: &LiveResource) -> Leak {
        Leak {
            source: LeakSource::Registry,
            kind: r.kind.to_string(),
            label: r.label.clone(),
            bytes: r.bytes,
            count: 1,
            created_at: Some(r.created_at.clone()),
        }
    }
}

/// The result of `Engine::shutdown()`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CleanupReport {
    pub phases: Vec<PhaseReport>,
    pub leaks: Vec<Leak>,
    /// Why wgpu's own report was not checked (it covers the whole wgpu instance, which other
    /// live engines share); `None` when it was.
    pub wgpu_report_skipped: Option<String>,
    /// Devices given up on because a frame passed its deadline (tainted), during the
    /// engine's life or at shutdown. Their work cannot be cancelled: each is released by a
    /// detached thread when the GPU finishes it, or with the process.
    pub abandoned: Vec<Abandoned>,
    pub total_ms: f64,
}

/// A device the engine gave up on: a frame on it passed its deadline.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Abandoned {
    /// The device generation (see `Engine::generation`).
    pub generation: u64,
    /// Why it was given up (the deadline that passed).
    pub reason: String,
    /// Whether the GPU was still running its work when the report was made. Such a device
    /// is not counted as a leak: it is released when its work ends or the process exits.
    pub still_running: bool,
}

impl CleanupReport {
    /// No phase failed, nothing leaked, and no abandoned device still runs work.
    pub fn ok(&self) -> bool {
        self.leaks.is_empty()
            && self.phases.iter().all(|p| p.errors.is_empty())
            && self.abandoned.iter().all(|a| !a.still_running)
    }

    pub fn errors(&self) -> impl Iterator<Item = (&PhaseReport, &String)> {
        self.phases
            .iter()
            .flat_map(|p| p.errors.iter().map(move |e| (p, e)))
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}

impl fmt::Display for CleanupReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "cleanup report ({:.2} ms)", self.total_ms)?;
        writeln!(
            f,
            "  {:<2} {:<28} {:>9} {:>9} {:>12}  problems",
            "#", "phase", "ms", "released", "bytes"
        )?;
        for p in &self.phases {
            writeln!(
                f,
                "  {:<2} {:<28} {:>9.2} {:>9} {:>12}  {}",
                p.phase as u8,
                p.name,
                p.duration_ms,
                p.released_count,
                p.released_bytes,
                p.errors.len()
            )?;
            for e in &p.errors {
                writeln!(f, "       error: {e}")?;
            }
        }
        for a in &self.abandoned {
            writeln!(
                f,
                "  abandoned: device generation {} ({}){}",
                a.generation,
                a.reason,
                if a.still_running {
                    "; its work is still running and is released when the GPU finishes it or the process exits"
                } else {
                    "; its work has ended and it was released"
                }
            )?;
        }
        if let (true, Some(why)) = (self.leaks.is_empty(), &self.wgpu_report_skipped) {
            write!(
                f,
                "  leaks: none (registry empty; wgpu report not checked: {why})"
            )
        } else if self.leaks.is_empty() {
            write!(f, "  leaks: none (registry empty, wgpu report clean)")
        } else {
            writeln!(f, "  leaks: {}", self.leaks.len())?;
            for l in &self.leaks {
                let src = match l.source {
                    LeakSource::Registry => "registry",
                    LeakSource::Wgpu => "wgpu",
                };
                write!(
                    f,
                    "    [{src}] {} \"{}\" x{} ({} bytes)",
                    l.kind, l.label, l.count, l.bytes
                )?;
                if let Some(at) = &l.created_at {
                    write!(f, " created at {at}")?;
                }
                writeln!(f)?;
            }
            Ok(())
        }
    }
}

/// Runs one phase's participants, timing and collecting errors.
pub(crate) fn run_participants(
    phase: Phase,
    participants: &mut [Box<dyn Participant>],
    report: &mut PhaseReport,
) {
    for p in participants.iter_mut().filter(|p| p.phase() == phase) {
        match p.release() {
            Ok(r) => {
                report.released_count += r.count;
                report.released_bytes += r.bytes;
            }
            Err(e) => report.errors.push(format!("{}: {e}", p.name())),
        }
    }
}

pub(crate) fn new_phase_report(phase: Phase) -> PhaseReport {
    PhaseReport {
        phase,
        name: phase.name(),
        duration_ms: 0.0,
        released_count: 0,
        released_bytes: 0,
        errors: Vec::new(),
    }
}

pub(crate) fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Objects that wgpu's own report (`Instance::generate_report()`) counts as still held by
/// the user on `instance`, one [`Leak`] per kind with any (source [`LeakSource::Wgpu`],
/// `count` the number held). Kinds counted: devices, buffers, textures, texture views,
/// samplers, bind groups, bind group layouts, pipeline layouts, render pipelines and shader
/// modules. Empty when the backend gives no report.
///
/// The report covers the whole instance: the engine checks its own instance with it in the
/// verify phase, and a caller with its own wgpu instance (a window's, say) can check that
/// one after dropping its device.
pub fn wgpu_leaks(instance: &wgpu::Instance) -> Vec<Leak> {
    let Some(report) = instance.generate_report() else {
        return Vec::new();
    };
    let hub = report.hub_report();
    let kinds = [
        ("device", &hub.devices),
        ("buffer", &hub.buffers),
        ("texture", &hub.textures),
        ("texture view", &hub.texture_views),
        ("sampler", &hub.samplers),
        ("bind group", &hub.bind_groups),
        ("bind group layout", &hub.bind_group_layouts),
        ("pipeline layout", &hub.pipeline_layouts),
        ("render pipeline", &hub.render_pipelines),
        ("shader module", &hub.shader_modules),
        ("pipeline cache", &hub.pipeline_caches),
    ];
    kinds
        .into_iter()
        .filter(|(_, r)| r.num_kept_from_user > 0)
        .map(|(kind, r)| Leak {
            source: LeakSource::Wgpu,
            kind: kind.to_owned(),
            label: "(wgpu report)".to_owned(),
            bytes: 0,
            count: r.num_kept_from_user as u64,
            created_at: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    //! The coordinator's bookkeeping without a GPU: participants run once, in their phase's
    //! order, failures are recorded and do not stop the others.
    use std::sync::{Arc, Mutex};

    use super::*;

    struct Probe {
        name: String,
        phase: Phase,
        log: Arc<Mutex<Vec<String>>>,
        fail: bool,
    }

    impl Participant for Probe {
        fn name(&self) -> &str {
            &self.name
        }
        fn phase(&self) -> Phase {
            self.phase
        }
        fn release(&mut self) -> Result<Released, ReleaseError> {
            self.log.lock().unwrap().push(self.name.clone());
            if self.fail {
                Err("could not stop".into())
            } else {
                Ok(Released {
                    count: 1,
                    bytes: 10,
                })
            }
        }
    }

    #[test]
    fn participants_run_in_phase_order_and_failures_are_recorded() {
        let log = Arc::new(Mutex::new(Vec::new()));
        let probe = |name: &str, phase, fail| -> Box<dyn Participant> {
            Box::new(Probe {
                name: name.into(),
                phase,
                log: log.clone(),
                fail,
            })
        };
        // Registered out of order on purpose.
        let mut parts = vec![
            probe("temp files", Phase::ReleaseSystem, false),
            probe("window", Phase::CloseSurfaces, false),
            probe("encoder", Phase::StopWorkers, true),
            probe("watcher", Phase::StopWorkers, false),
            probe("ui", Phase::ReleaseUi, false),
        ];
        let reports: Vec<PhaseReport> = Phase::ALL
            .iter()
            .map(|&phase| {
                let mut r = new_phase_report(phase);
                run_participants(phase, &mut parts, &mut r);
                r
            })
            .collect();
        assert_eq!(
            *log.lock().unwrap(),
            ["encoder", "watcher", "window", "ui", "temp files"]
        );
        let stop = &reports[0];
        assert_eq!(stop.errors, ["encoder: could not stop"]);
        assert_eq!((stop.released_count, stop.released_bytes), (1, 10));
        let report = CleanupReport {
            phases: reports,
            ..CleanupReport::default()
        };
        assert!(!report.ok());
        assert_eq!(report.errors().count(), 1);
        assert!(report
            .to_string()
            .contains("error: encoder: could not stop"));
        assert!(Phase::ALL.windows(2).all(|w| w[0] < w[1]));
    }
}
