//! The engine's shutdown: the phases of [`Phase::ALL`] run in order, one method per phase,
//! each filling its [`PhaseReport`], and the [`CleanupReport`] they add up to.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::engine::{abandon, lock_state, EngineInner, State};
use crate::gpu::Gpu;
use crate::lifecycle::{self, Abandoned, CleanupReport, Leak, Participant, Phase, PhaseReport};

/// One shutdown in progress: the engine, its locked state, and what the phases hand on to
/// the report.
struct Shutdown<'a> {
    engine: &'a EngineInner,
    st: &'a mut State,
    participants: Vec<Box<dyn Participant>>,
    /// Whether the current device was tainted by a frame that passed its deadline.
    tainted: bool,
    leaks: Vec<Leak>,
    wgpu_report_skipped: Option<String>,
}

impl EngineInner {
    pub(crate) fn shutdown(&self) -> CleanupReport {
        let mut st = lock_state(self);
        if let Some(r) = &st.report {
            return r.clone();
        }
        // From here on every new call answers `ShutDown`; calls already past that check
        // find their objects released (`Released`, reported as `ShutDown`).
        self.shut_down.store(true, Ordering::SeqCst);
        let tainted = self.tainted_generation.load(Ordering::SeqCst) == st.generation;
        let t0 = Instant::now();
        let mut phases = Vec::new();
        let participants = std::mem::take(&mut st.participants);
        let mut run = Shutdown {
            engine: self,
            st: &mut st,
            participants,
            tainted,
            leaks: Vec::new(),
            wgpu_report_skipped: None,
        };
        for phase in Phase::ALL {
            let started = Instant::now();
            let mut report = lifecycle::new_phase_report(phase);
            match phase {
                Phase::ReleaseGpu => run.release_gpu(&mut report),
                Phase::Verify => run.verify(&mut report),
                // Only the participants act: they stop and join their workers, close their
                // windows and surfaces, release their UI state, release temporary files and
                // processes.
                Phase::StopWorkers
                | Phase::CloseSurfaces
                | Phase::ReleaseUi
                | Phase::ReleaseSystem => {
                    lifecycle::run_participants(phase, &mut run.participants, &mut report)
                }
            }
            report.duration_ms = lifecycle::ms(started.elapsed());
            tracing::info!(
                phase = phase as u8,
                name = phase.name(),
                ms = report.duration_ms,
                released = report.released_count,
                errors = report.errors.len(),
                "shutdown phase"
            );
            phases.push(report);
        }
        let Shutdown {
            leaks,
            wgpu_report_skipped,
            ..
        } = run;
        let abandoned = st
            .abandoned
            .iter()
            .map(|a| Abandoned {
                generation: a.generation,
                reason: a.reason.clone(),
                still_running: a.work.strong_count() > 0,
            })
            .collect();
        let report = CleanupReport {
            phases,
            leaks,
            wgpu_report_skipped,
            abandoned,
            total_ms: lifecycle::ms(t0.elapsed()),
        };
        st.report = Some(report.clone());
        report
    }
}

impl Shutdown<'_> {
    /// [`Phase::ReleaseGpu`]: the participants release theirs, then the engine waits for the
    /// device (a tainted one is abandoned instead), drops every object made from it and the
    /// device itself.
    fn release_gpu(&mut self, report: &mut PhaseReport) {
        let engine = self.engine;
        let st = &mut *self.st;
        let before = engine.registry.summary();
        lifecycle::run_participants(Phase::ReleaseGpu, &mut self.participants, report);
        if let Some(gpu) = st.gpu.clone() {
            if self.tainted {
                // A hung device: dropping its queue would wait until its work
                // ends, which may be never. It is reported, not waited for.
                let reason = engine.taint_reason();
                abandon(&mut st.abandoned, &gpu, reason);
            } else if let Err(e) = gpu.wait(engine.deadline()) {
                report.errors.push(format!(
                    "waiting for the GPU before release: {e}; the device was abandoned with its work and released anyway"
                ));
                abandon(
                    &mut st.abandoned,
                    &gpu,
                    format!(
                        "its work did not finish within {:?} at shutdown",
                        engine.deadline()
                    ),
                );
            }
        }
        engine.release_gpu_objects(st);
        if let Some(gpu) = st.gpu.as_ref().filter(|g| !g.is_abandoned()) {
            if let Err(e) = gpu.wait(engine.deadline()) {
                report
                    .errors
                    .push(format!("waiting for the queue after release: {e}"));
            }
            gpu.save_pipeline_cache();
        }
        if let Some(gpu) = st.gpu.take() {
            report.errors.extend(
                gpu.take_uncaptured()
                    .into_iter()
                    .map(|e| format!("GPU error outside any call: {e}")),
            );
            release_device(gpu, engine.deadline(), report);
        }
        let after = engine.registry.summary();
        report.released_count += before.total_count().saturating_sub(after.total_count());
        report.released_bytes += before.total_bytes().saturating_sub(after.total_bytes());
    }

    /// [`Phase::Verify`]: what the registry still lists, and what wgpu's report shows alive
    /// on the instance when that report can be exact, are leaks.
    fn verify(&mut self, report: &mut PhaseReport) {
        let engine = self.engine;
        self.leaks
            .extend(engine.registry.live().iter().map(Leak::from_registry));
        let running = self
            .st
            .abandoned
            .iter()
            .filter(|a| a.work.strong_count() > 0)
            .count();
        // wgpu's report covers the whole instance: exact only while no other
        // engine shares it, and no abandoned device still holds its objects.
        match engine.instance.other_users() {
            _ if running > 0 => {
                self.wgpu_report_skipped = Some(format!(
                    "{running} abandoned device(s) still run their work and hold their objects until it ends"
                ))
            }
            0 => self.leaks.extend(engine.instance.new_wgpu_leaks()),
            n => {
                self.wgpu_report_skipped = Some(format!(
                    "{n} other engine(s) share the wgpu instance; use EngineConfig::private_instance for an exact check"
                ))
            }
        }
        if !self.leaks.is_empty() {
            report.errors.push(format!(
                "{} leak(s) found: a GPU object outlived shutdown; see the leaks list for where each was created",
                self.leaks.len()
            ));
        }
    }
}

/// Drops the engine's reference to a device. Frames other threads still wait on hold
/// clones; give them up to `deadline` to finish (their read-back fails at once, as the pool
/// was emptied), so the device is gone before the verify phase looks.
fn release_device(gpu: Arc<Gpu>, deadline: Duration, report: &mut PhaseReport) {
    let t0 = Instant::now();
    while Arc::strong_count(&gpu) > 1 && t0.elapsed() < deadline {
        std::thread::sleep(Duration::from_millis(1));
    }
    let others = Arc::strong_count(&gpu) - 1;
    if others > 0 {
        report.errors.push(format!(
            "{others} frame(s) on other threads still held the device after {deadline:?}; it is released when they finish"
        ));
    }
    drop(gpu);
}
