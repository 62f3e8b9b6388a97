//! The window: winit's event handler, opening the window and its wgpu surface, and each
//! frame's pass (advance the clock, render, run the UI, paint).

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use egui::Rect;
use isfkit_render::ErrorKind;
use winit::application::ApplicationHandler;
use winit::event::WindowEvent;
use winit::event_loop::{ActiveEventLoop, ControlFlow};
use winit::window::{Window, WindowId};

use super::picture::PictureGpu;
use super::ui::{build_ui, panel_colour, Action, View};
use super::{no_display, App, UiState, Wake};
use crate::watch::Changes;
use crate::Failure;

/// Quiet time after the last file event before reloading: editors write a file in several
/// steps, and a reload in between would show a half-written file's error.
const SETTLE: Duration = Duration::from_millis(15);

const BLACK: [f32; 4] = [0.0, 0.0, 0.0, 1.0];

/// What a UI pass asked for, done after it.
struct UiPass {
    actions: Vec<Action>,
    /// The picture area, in points.
    canvas: Option<Rect>,
    /// Whether a control changed an input.
    changed: bool,
    dropped_files: Vec<egui::DroppedFileHandle>,
}

impl App<'_> {
    /// One frame: advance the clock, render when needed, run the UI, paint.
    fn redraw(&mut self, event_loop: &ActiveEventLoop) {
        let Some(window) = self.window.lock().clone() else {
            return;
        };
        let Some(mut ui) = self.ui.take() else {
            return;
        };
        if self.bench.as_ref().is_some_and(|b| b.bare_phase()) {
            self.bare_frame(&window);
            self.ui.put(ui);
            window.request_redraw();
            return;
        }
        let now = Instant::now();
        self.advance_clock(now);
        // The frame started on the last pass, which rendered while that pass presented.
        let t_wait = Instant::now();
        let shown = self.render_thread.wait();
        let wait_ms = t_wait.elapsed().as_secs_f64() * 1000.0;
        let render_ms = shown.as_ref().map_or(0.0, |d| d.ms);
        let on_screen = shown.is_some_and(|done| self.show_frame(done, &mut ui));
        if self.need_render && self.render_size().is_some() {
            self.need_render = false;
            self.start_render();
        }
        let t_ui = Instant::now();
        ui.controls.keyed = self.moving.keys.iter().map(|(n, _)| n.clone()).collect();
        ui.controls.held = self.held_keys.iter().map(|(n, _)| n.clone()).collect();
        let (mut out, pass) = self.run_ui(&mut ui, &window);
        let requests = std::mem::take(&mut ui.controls.requests);
        self.control_requests(&mut ui.controls, requests);
        ui.input
            .handle_platform_output(&window, std::mem::take(&mut out.platform_output));
        let ppp = out.pixels_per_point;
        let prims = ui.ctx.tessellate(std::mem::take(&mut out.shapes), ppp);
        let t_paint = Instant::now();
        let clear = ui
            .surface_format
            .map_or(BLACK, |f| panel_colour(&ui.ctx, f));
        let acquire_s = self.paint(&window, ppp, clear, &prims, &mut out.textures_delta);
        tracing::debug!(
            render_ms,
            wait_ms,
            ui_ms = (t_paint - t_ui).as_secs_f64() * 1000.0,
            paint_ms = t_paint.elapsed().as_secs_f64() * 1000.0,
            acquire_ms = acquire_s * 1000.0,
            "frame"
        );
        self.log_reload();
        if on_screen && self.bench.as_mut().is_some_and(|b| b.shown(render_ms)) {
            self.quit = true;
        }
        self.egui_repaint_at = out
            .viewport_output
            .get(&egui::ViewportId::ROOT)
            .map(|v| v.repaint_delay)
            .filter(|d| *d < Duration::from_secs(3600))
            .map(|d| now + d);
        if let Some(c) = pass.canvas {
            self.set_canvas(c, ppp);
        }
        if pass.changed {
            self.need_render = true;
        }
        self.ui.put(ui);
        // The window is closed by its participant during shutdown: hold no reference to it
        // while actions (Quit among them) run.
        drop(window);
        for a in pass.actions {
            self.act(a, event_loop, &pass.dropped_files);
        }
        if self.quit && self.report.is_none() {
            // The bench run is complete.
            self.close(event_loop);
        }
        if (self.need_render || self.render_thread.busy()) && !self.quit {
            if let Some(w) = self.window.lock().as_ref() {
                w.request_redraw();
            }
        }
    }

    /// Advances shader time while playing: by the wall time since the last tick times the
    /// speed, or by one frame at --fps while recording; time starts moving once a frame has
    /// been rendered. Playing asks for a new frame.
    fn advance_clock(&mut self, now: Instant) {
        if self.clock.playing && self.scene.is_some() {
            let dt = if self.recorder.is_some() {
                1.0 / self.args.fps
            } else {
                now.duration_since(self.clock.last_tick).as_secs_f64() * self.clock.speed
            };
            if self.stats.frames > 0 {
                self.clock.time += dt;
                if let Some(prev) = self.last_playing_tick {
                    self.stats.playing_time += now.duration_since(prev);
                    self.stats.playing_frames += 1;
                }
            }
            self.last_playing_tick = Some(now);
            self.need_render = true;
        } else {
            self.last_playing_tick = None;
        }
        self.clock.last_tick = now;
    }

    /// Runs egui's pass over the panels with a [`View`] of the current state.
    fn run_ui(&mut self, ui: &mut UiState, window: &Window) -> (egui::FullOutput, UiPass) {
        let title = self.view_title();
        let recording = self
            .recorder
            .lock()
            .as_ref()
            .map(|r| r.target.path().display().to_string());
        let view = View {
            title: &title,
            playing: self.clock.playing,
            recording,
            time: self.clock.time,
            speed: self.clock.speed,
            fps: self.stats.fps(),
            frame_ms: self.stats.frame_ms,
            size: self.render_size(),
            frame_index: self.scene.as_ref().map_or(0, |s| s.frame_index()),
            status: &self.status,
            error: self.error.as_deref(),
            keyboard: self.scene.as_ref().is_some_and(|s| {
                s.input(isfkit_render::format::dialect::SHADERTOY_KEYBOARD)
                    .is_ok()
            }),
        };
        let mut actions = Vec::new();
        let mut canvas = None;
        let mut changed = false;
        let mut snapshot_size = self.snapshot_size;
        let raw = ui.input.take_egui_input(window);
        let UiState {
            ctx,
            picture,
            controls,
            ..
        } = ui;
        let dropped_files = raw.dropped_files.clone();
        let out = ctx.run_ui(raw, |root| {
            build_ui(
                root,
                &view,
                controls,
                self.scene.as_ref(),
                *picture,
                &mut snapshot_size,
                &mut actions,
                &mut canvas,
                &mut changed,
            )
        });
        self.snapshot_size = snapshot_size;
        let pass = UiPass {
            actions,
            canvas,
            changed,
            dropped_files,
        };
        (out, pass)
    }

    /// Paints the UI's primitives on the window's surface, cleared to `clear`; returns how
    /// long acquiring the surface's texture took, in seconds.
    fn paint(
        &self,
        window: &Arc<Window>,
        ppp: f32,
        clear: [f32; 4],
        prims: &[egui::ClippedPrimitive],
        textures: &mut egui::TexturesDelta,
    ) -> f32 {
        let mut acquire_s = 0.0;
        if let Some(p) = self.painter.lock().as_mut() {
            acquire_s = p.paint_and_update_textures(
                egui::ViewportId::ROOT,
                ppp,
                clear,
                prims,
                textures,
                Vec::new(),
                window,
            );
        }
        acquire_s
    }

    /// A bench run's bare frame: the painter clears the surface and presents it, nothing
    /// more.
    fn bare_frame(&mut self, window: &Arc<Window>) {
        let ppp = window.scale_factor() as f32;
        self.paint(window, ppp, BLACK, &[], &mut egui::TexturesDelta::default());
        if let Some(b) = self.bench.as_mut() {
            b.bare_presented();
        }
    }

    /// After a reload, once its first frame is on screen without an error: logs the time
    /// from the save to the new pixels.
    fn log_reload(&mut self) {
        if let Some(saved) = self.reload_on_screen.take() {
            if self.error.is_none() {
                let ms = SystemTime::now()
                    .duration_since(saved)
                    .unwrap_or_default()
                    .as_secs_f64()
                    * 1000.0;
                tracing::info!(
                    ms,
                    load_ms = self.reload_compile_ms,
                    first_frame_ms = self.stats.frame_ms,
                    "reload: saved to new pixels on screen"
                );
            }
        }
    }

    /// Takes the picture area `c` (in points) from the UI pass; a new size asks for a new
    /// frame when the render size follows it.
    fn set_canvas(&mut self, c: Rect, ppp: f32) {
        let px = (
            (c.width() * ppp).round().max(1.0) as u32,
            (c.height() * ppp).round().max(1.0) as u32,
        );
        if self.canvas_px != Some(px) {
            self.canvas_px = Some(px);
            if self.args.size.is_none() {
                self.need_render = true;
            }
        }
    }

    /// Opens the window, its wgpu surface and egui's state, and asks for the first frame.
    fn open_window(&mut self, event_loop: &ActiveEventLoop) -> Result<(), Failure> {
        let (w, h) = self.args.window_size;
        let attrs = Window::default_attributes()
            .with_title(format!("{} - isf preview", self.view_title()))
            .with_inner_size(winit::dpi::PhysicalSize::new(w, h));
        let window = Arc::new(event_loop.create_window(attrs).map_err(no_display)?);
        let ctx = egui::Context::default();
        let mut painter = new_painter(event_loop, &ctx);
        pollster::block_on(painter.set_window(egui::ViewportId::ROOT, Some(window.clone())))
            .map_err(|e| {
                Failure::new(
                    ErrorKind::Gpu,
                    format!("error: cannot draw in the window: {e}"),
                )
            })?;
        let surface_format = painter.render_state().map(|rs| rs.target_format);
        if let Some(rs) = painter.render_state() {
            PictureGpu::install(&rs);
            tracing::info!(
                adapter = %rs.adapter.get_info().name,
                format = ?rs.target_format,
                "window surface"
            );
        }
        let input = egui_winit::State::new(
            ctx.clone(),
            egui::ViewportId::ROOT,
            &window,
            Some(window.scale_factor() as f32),
            window.theme(),
            painter.max_texture_side(),
        );
        self.ui.put(UiState {
            ctx,
            input,
            picture: None,
            surface_format,
            controls: self.pending_controls.take().unwrap_or_default(),
        });
        self.painter.put(painter);
        window.request_redraw();
        self.window.put(window);
        Ok(())
    }
}

/// egui's painter on a wgpu instance and device of its own: no vsync (frames are paced by
/// --fps), no dithering.
fn new_painter(event_loop: &ActiveEventLoop, ctx: &egui::Context) -> egui_wgpu::winit::Painter {
    let mut setup =
        egui_wgpu::WgpuSetupCreateNew::from_display_handle(event_loop.owned_display_handle());
    setup.instance_descriptor.backends =
        wgpu::Backends::from_env().unwrap_or(wgpu::Backends::PRIMARY | wgpu::Backends::GL);
    setup.instance_descriptor.flags = wgpu::InstanceFlags::empty().with_env();
    let config = egui_wgpu::WgpuConfiguration {
        surface: egui_wgpu::SurfaceConfig {
            // Frames are paced by --fps, not by the display.
            present_mode: wgpu::PresentMode::AutoNoVsync,
            desired_maximum_frame_latency: Some(2),
        },
        wgpu_setup: egui_wgpu::WgpuSetup::CreateNew(setup),
        ..Default::default()
    };
    let options = egui_wgpu::RendererOptions {
        // Dithering adds noise to the picture's values; the picture must be exact.
        dithering: false,
        ..Default::default()
    };
    pollster::block_on(egui_wgpu::winit::Painter::new(
        ctx.clone(),
        config,
        false,
        options,
    ))
}

impl ApplicationHandler<Wake> for App<'_> {
    fn resumed(&mut self, event_loop: &ActiveEventLoop) {
        if self.window.is_some() || self.report.is_some() {
            return;
        }
        if let Err(f) = self.open_window(event_loop) {
            self.failure = Some(f);
            self.close(event_loop);
        }
    }

    fn window_event(&mut self, event_loop: &ActiveEventLoop, _id: WindowId, event: WindowEvent) {
        let Some(window) = self.window.lock().clone() else {
            return;
        };
        if let Some(ui) = self.ui.lock().as_mut() {
            let r = ui.input.on_window_event(&window, &event);
            if r.repaint {
                window.request_redraw();
            }
        }
        match event {
            WindowEvent::CloseRequested => {
                drop(window);
                self.close(event_loop);
            }
            WindowEvent::Resized(size) => {
                if let (Some(w), Some(h)) =
                    (NonZeroU32::new(size.width), NonZeroU32::new(size.height))
                {
                    if let Some(p) = self.painter.lock().as_mut() {
                        p.on_window_resized(egui::ViewportId::ROOT, w, h);
                    }
                }
                window.request_redraw();
            }
            WindowEvent::RedrawRequested => {
                drop(window);
                self.redraw(event_loop);
            }
            _ => {}
        }
    }

    fn user_event(&mut self, _event_loop: &ActiveEventLoop, _event: Wake) {
        // A file changed: about_to_wait reloads once the writes have settled.
    }

    fn about_to_wait(&mut self, event_loop: &ActiveEventLoop) {
        if self.report.is_some() {
            return;
        }
        let now = Instant::now();
        let mut wake_at: Option<Instant> = None;
        let due = {
            let c = self.changes.lock().unwrap_or_else(|p| p.into_inner());
            c.last.map(|l| l + SETTLE)
        };
        if let Some(due) = due {
            if now >= due {
                *self.changes.lock().unwrap_or_else(|p| p.into_inner()) = Changes::default();
                self.reload();
            } else {
                wake_at = Some(due);
            }
        }
        let window = self.window.lock().clone();
        if let Some(window) = window {
            let mut redraw = self.need_render || self.render_thread.busy();
            if self.clock.playing && self.scene.is_some() {
                let next = self.clock.last_tick + Duration::from_secs_f64(1.0 / self.args.fps);
                if now >= next {
                    redraw = true;
                } else {
                    wake_at = Some(wake_at.map_or(next, |w| w.min(next)));
                }
            }
            if let Some(at) = self.egui_repaint_at {
                if now >= at {
                    redraw = true;
                } else {
                    wake_at = Some(wake_at.map_or(at, |w| w.min(at)));
                }
            }
            if redraw {
                window.request_redraw();
            }
        }
        event_loop.set_control_flow(match wake_at {
            Some(at) => ControlFlow::WaitUntil(at),
            None => ControlFlow::Wait,
        });
    }
}
