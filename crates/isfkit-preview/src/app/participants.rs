//! The preview's participants in the engine's cleanup coordinator: what each one releases,
//! in which phase, taken from the slots the window code shares with it.

use std::sync::Arc;

use isfkit_render::{wgpu_leaks, Participant, Phase, Released};
use winit::window::Window;

use super::{App, UiState};
use crate::parts::{one, Part, Slot};
use crate::record::Recorder;
use crate::watch::FileWatcher;
use crate::Failure;

impl App<'_> {
    /// Joins the engine's cleanup coordinator: phase 1 stops the watcher and the recorder,
    /// phase 2 closes the surface and then the window, phase 3 releases egui's renderer and
    /// the window's device (and checks wgpu's report of that device's instance), phase 4
    /// releases egui's state and the controls.
    pub(super) fn register_participants(&mut self) -> Result<(), Failure> {
        let parts = [
            watcher_part(self.watcher.clone()),
            recorder_part(self.recorder.clone()),
            surface_part(self.painter.clone()),
            window_part(self.window.clone()),
            window_gpu_part(self.painter.clone()),
            ui_part(self.ui.clone()),
        ];
        for p in parts {
            self.engine
                .register_participant(p)
                .map_err(|e| Failure::engine(&e, &self.args.shader))?;
        }
        self.participants_registered = true;
        Ok(())
    }
}

/// Phase 1: stops the file watcher.
fn watcher_part(watcher: Slot<FileWatcher>) -> Box<dyn Participant> {
    Part::boxed("file watcher", Phase::StopWorkers, move || {
        // Dropping the watcher stops and joins its thread.
        Ok(Released {
            count: u64::from(watcher.take().is_some()),
            bytes: 0,
        })
    })
}

/// Phase 1: finishes a recording in progress.
fn recorder_part(recorder: Slot<Recorder>) -> Box<dyn Participant> {
    Part::boxed("recorder", Phase::StopWorkers, move || {
        match recorder.take() {
            None => Ok(Released::default()),
            Some(mut r) => {
                let path = r.target.path().display().to_string();
                r.stop()
                    .map(|_| one())
                    .map_err(|e| format!("finishing the recording {path}: {e}"))
            }
        }
    })
}

/// Phase 2: closes the window's surface (the painter stays, for phase 3).
fn surface_part(painter: Slot<egui_wgpu::winit::Painter>) -> Box<dyn Participant> {
    Part::boxed("window surface", Phase::CloseSurfaces, move || {
        let mut p = painter.lock();
        match p.as_mut() {
            None => Ok(Released::default()),
            Some(p) => pollster::block_on(p.set_window(egui::ViewportId::ROOT, None))
                .map(|()| one())
                .map_err(|e| e.to_string()),
        }
    })
}

/// Phase 2, after the surface: closes the window, which must be its last reference.
fn window_part(window: Slot<Arc<Window>>) -> Box<dyn Participant> {
    Part::boxed("window", Phase::CloseSurfaces, move || {
        match window.take() {
            None => Ok(Released::default()),
            Some(w) => {
                let others = Arc::strong_count(&w) - 1;
                drop(w);
                if others > 0 {
                    Err(format!(
                        "{others} other reference(s) to the window remain; it closes when they go"
                    ))
                } else {
                    Ok(one())
                }
            }
        }
    })
}

/// Phase 3: releases egui's renderer and the window's device (see [`release_window_gpu`]).
fn window_gpu_part(painter: Slot<egui_wgpu::winit::Painter>) -> Box<dyn Participant> {
    Part::boxed(
        "window GPU (egui renderer, device)",
        Phase::ReleaseGpu,
        move || release_window_gpu(&painter),
    )
}

/// Drops the painter (egui's renderer) and the window's device once it has finished its
/// work, then checks wgpu's report of the window's instance: no object of the device may
/// remain.
fn release_window_gpu(painter: &Slot<egui_wgpu::winit::Painter>) -> Result<Released, String> {
    let Some(p) = painter.take() else {
        return Ok(Released::default());
    };
    let state = p.render_state();
    drop(p);
    let Some(state) = state else {
        return Ok(one());
    };
    let instance = state.instance.clone();
    let device = state.device.clone();
    let waited = device.poll(wgpu::PollType::wait_indefinitely());
    drop(state);
    drop(device);
    let live: Vec<String> = wgpu_leaks(&instance)
        .iter()
        .map(|l| format!("{} {}(s)", l.count, l.kind))
        .collect();
    let mut problems = Vec::new();
    if let Err(e) = waited {
        problems.push(format!("waiting for the window's device failed: {e}"));
    }
    if !live.is_empty() {
        problems.push(format!(
            "wgpu still holds objects of the window's device: {}",
            live.join(", ")
        ));
    }
    if problems.is_empty() {
        Ok(one())
    } else {
        Err(problems.join("; "))
    }
}

/// Phase 4: releases egui's context, input state and the controls.
fn ui_part(ui: Slot<UiState>) -> Box<dyn Participant> {
    Part::boxed(
        "UI state (egui context, input, controls)",
        Phase::ReleaseUi,
        move || {
            Ok(Released {
                count: u64::from(ui.take().is_some()),
                bytes: 0,
            })
        },
    )
}
