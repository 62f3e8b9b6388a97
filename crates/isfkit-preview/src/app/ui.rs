//! The egui panels: keyboard shortcuts, the menu bar with the playback controls, the
//! status line, the inputs panel and the picture. A pass only reads the preview's state (a
//! [`View`]) and returns [`Action`]s, which the window runs after it.

use egui::{Color32, Key, Rect};
use isfkit_render::Scene;

use super::picture::DrawPicture;
use crate::controls::Controls;

/// What the UI asked for in a pass, done after it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Action {
    PlayPause,
    Step,
    Restart,
    Snapshot,
    SnapshotAt,
    Record {
        sequence: bool,
    },
    Reinit,
    Reload,
    Quit,
    SetTime(f64),
    SetSpeed(f64),
    Point([f32; 2]),
    /// The mouse button went down on the picture (at this point) or up.
    Button {
        down: bool,
        at: [f32; 2],
    },
    /// A key went down or up, for a shader that reads Shadertoy's keyboard.
    Key {
        key: Key,
        down: bool,
    },
    Dropped(usize),
}

/// What the UI shows (read-only for the pass).
pub(super) struct View<'v> {
    pub(super) title: &'v str,
    pub(super) playing: bool,
    pub(super) recording: Option<String>,
    pub(super) time: f64,
    pub(super) speed: f64,
    pub(super) fps: f64,
    pub(super) frame_ms: f64,
    pub(super) size: Option<(u32, u32)>,
    pub(super) frame_index: u64,
    pub(super) status: &'v str,
    pub(super) error: Option<&'v str>,
    /// The shader reads Shadertoy's keyboard: keys go to it, and only the shortcuts that no
    /// game uses (Esc, Ctrl+Q, F5, F9) stay.
    pub(super) keyboard: bool,
}

/// The picture's place in `canvas`: centred, at the largest whole-number scale that fits
/// (1:1 pixels stay exact), or scaled down to fit when larger than the canvas.
fn picture_rect(canvas: Rect, size: (u32, u32), ppp: f32) -> (Rect, f32) {
    let (w, h) = (size.0 as f32, size.1 as f32);
    let (cw, ch) = (canvas.width() * ppp, canvas.height() * ppp);
    let fit = (cw / w).min(ch / h);
    let scale = if fit >= 1.0 { fit.floor() } else { fit };
    let (pw, ph) = (w * scale, h * scale);
    let x0 = (canvas.min.x * ppp + (cw - pw) / 2.0).round();
    let y0 = (canvas.min.y * ppp + (ch - ph) / 2.0).round();
    (
        Rect::from_min_size(
            egui::pos2(x0 / ppp, y0 / ppp),
            egui::vec2(pw / ppp, ph / ppp),
        ),
        scale,
    )
}

#[allow(clippy::too_many_arguments)]
pub(super) fn build_ui(
    root: &mut egui::Ui,
    v: &View,
    controls: &mut Controls,
    scene: Option<&Scene>,
    picture: Option<(u32, u32)>,
    snapshot_size: &mut (u32, u32),
    actions: &mut Vec<Action>,
    canvas_out: &mut Option<Rect>,
    changed: &mut bool,
) {
    let ctx = root.ctx().clone();
    if !ctx.egui_wants_keyboard_input() {
        ctx.input(|i| {
            if v.keyboard {
                game_keys(i, actions);
            } else {
                shortcuts(i, actions);
            }
        });
    }
    let dropped = ctx.input(|i| i.raw.dropped_files.len());
    if dropped > 0 {
        actions.push(Action::Dropped(dropped));
    }
    // The panels are not filled: the surface is cleared to their colour (see
    // `panel_colour`), which costs nothing, where egui's fill shades every pixel.
    let bare = egui::Frame::side_top_panel(&ctx.global_style()).fill(Color32::TRANSPARENT);
    egui::Panel::top("menu")
        .frame(bare)
        .show(root, |ui| menu_bar(ui, v, snapshot_size, actions));
    egui::Panel::bottom("hud")
        .frame(bare)
        .show(root, |ui| hud(ui, v));
    egui::Panel::left("inputs")
        .frame(bare)
        .default_size(260.0)
        .resizable(true)
        .show(root, |ui| inputs_panel(ui, v, controls, scene, changed));
    egui::CentralPanel::default()
        .frame(egui::Frame::NONE)
        .show(root, |ui| {
            picture_panel(ui, v, picture, actions, canvas_out)
        });
}

/// The keys of a shader that reads Shadertoy's keyboard, and the shortcuts no game uses.
fn game_keys(i: &egui::InputState, actions: &mut Vec<Action>) {
    if i.key_pressed(Key::Escape) || (i.modifiers.command && i.key_pressed(Key::Q)) {
        actions.push(Action::Quit);
    }
    if i.key_pressed(Key::F5) {
        actions.push(Action::Reload);
    }
    if i.key_pressed(Key::F9) {
        actions.push(Action::Reinit);
    }
    for e in &i.events {
        if let egui::Event::Key {
            key,
            pressed,
            repeat: false,
            ..
        } = e
        {
            actions.push(Action::Key {
                key: *key,
                down: *pressed,
            });
        }
    }
}

/// The keyboard shortcuts (when no text field has the keyboard).
fn shortcuts(i: &egui::InputState, actions: &mut Vec<Action>) {
    let cmd = i.modifiers.command;
    if i.key_pressed(Key::Escape) || (cmd && i.key_pressed(Key::Q)) {
        actions.push(Action::Quit);
    }
    if i.key_pressed(Key::Space) {
        actions.push(Action::PlayPause);
    }
    if i.key_pressed(Key::Period) || i.key_pressed(Key::ArrowRight) {
        actions.push(Action::Step);
    }
    if i.key_pressed(Key::Home) || i.key_pressed(Key::Backspace) {
        actions.push(Action::Restart);
    }
    if i.key_pressed(Key::S) && !cmd {
        actions.push(Action::Snapshot);
    }
    if i.key_pressed(Key::R) && !cmd {
        actions.push(Action::Record {
            sequence: i.modifiers.shift,
        });
    }
    if i.key_pressed(Key::F5) {
        actions.push(Action::Reload);
    }
    if i.key_pressed(Key::F9) {
        actions.push(Action::Reinit);
    }
}

/// The menu bar: the File and Device menus, then the playback controls.
fn menu_bar(
    ui: &mut egui::Ui,
    v: &View,
    snapshot_size: &mut (u32, u32),
    actions: &mut Vec<Action>,
) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| file_menu(ui, v, snapshot_size, actions));
        ui.menu_button("Device", |ui| {
            if ui
                .button("Re-initialise the engine's device (F9)")
                .clicked()
            {
                actions.push(Action::Reinit);
            }
        });
        ui.separator();
        playback_controls(ui, v, actions);
    });
}

/// The File menu: snapshots, recording, reload and quit.
fn file_menu(
    ui: &mut egui::Ui,
    v: &View,
    snapshot_size: &mut (u32, u32),
    actions: &mut Vec<Action>,
) {
    if ui.button("Snapshot PNG (S)").clicked() {
        actions.push(Action::Snapshot);
    }
    ui.horizontal(|ui| {
        ui.add(egui::DragValue::new(&mut snapshot_size.0).range(1..=16384));
        ui.label("x");
        ui.add(egui::DragValue::new(&mut snapshot_size.1).range(1..=16384));
        if ui.button("Snapshot at this size").clicked() {
            actions.push(Action::SnapshotAt);
        }
    });
    ui.separator();
    let rec = if v.recording.is_some() {
        "Stop recording (R)"
    } else {
        "Record mp4 (R)"
    };
    if ui.button(rec).clicked() {
        actions.push(Action::Record { sequence: false });
    }
    if v.recording.is_none() && ui.button("Record PNG sequence (Shift+R)").clicked() {
        actions.push(Action::Record { sequence: true });
    }
    ui.separator();
    if ui.button("Reload now (F5)").clicked() {
        actions.push(Action::Reload);
    }
    if ui.button("Quit (Esc, Ctrl+Q)").clicked() {
        actions.push(Action::Quit);
    }
}

/// Play/pause, step, restart, speed and time, and the recording indicator.
fn playback_controls(ui: &mut egui::Ui, v: &View, actions: &mut Vec<Action>) {
    let play = if v.playing { "Pause" } else { "Play" };
    if ui.button(play).on_hover_text("Space").clicked() {
        actions.push(Action::PlayPause);
    }
    if ui
        .button("Step")
        .on_hover_text("one frame (. or →)")
        .clicked()
    {
        actions.push(Action::Step);
    }
    if ui
        .button("Restart")
        .on_hover_text("time, FRAMEINDEX and persistent buffers (Home)")
        .clicked()
    {
        actions.push(Action::Restart);
    }
    let mut speed = v.speed;
    ui.label("speed");
    if ui
        .add(
            egui::DragValue::new(&mut speed)
                .speed(0.01)
                .range(0.0..=16.0),
        )
        .changed()
    {
        actions.push(Action::SetSpeed(speed));
    }
    let mut t = v.time;
    let end = (v.time * 1.25).max(60.0);
    ui.label("time");
    if ui
        .add(egui::Slider::new(&mut t, 0.0..=end).suffix(" s"))
        .changed()
    {
        actions.push(Action::SetTime(t));
    }
    if let Some(r) = &v.recording {
        ui.colored_label(Color32::from_rgb(255, 80, 80), format!("● REC {r}"));
    }
}

/// The status line: frame rate, render time, size, time, FRAMEINDEX and the status text.
fn hud(ui: &mut egui::Ui, v: &View) {
    ui.horizontal(|ui| {
        ui.monospace(format!(
            "{:5.1} fps  {:6.2} ms/frame  {}  t {:.3} s  FRAMEINDEX {}",
            v.fps,
            v.frame_ms,
            v.size
                .map_or_else(|| "-".into(), |(w, h)| format!("{w}x{h}")),
            v.time,
            v.frame_index
        ));
        ui.label(v.status);
    });
}

/// The inputs panel: the shader's name and its generated controls.
fn inputs_panel(
    ui: &mut egui::Ui,
    v: &View,
    controls: &mut Controls,
    scene: Option<&Scene>,
    changed: &mut bool,
) {
    ui.heading(v.title);
    ui.separator();
    egui::ScrollArea::vertical().show(ui, |ui| {
        if let Some(scene) = scene {
            let doc = scene.document();
            *changed |= controls.ui(ui, scene, &doc);
        } else {
            ui.label("The shader has not loaded yet.");
        }
    });
}

/// The picture area: the frame (clicks and drags set a point input) and the error over it.
fn picture_panel(
    ui: &mut egui::Ui,
    v: &View,
    picture: Option<(u32, u32)>,
    actions: &mut Vec<Action>,
    canvas_out: &mut Option<Rect>,
) {
    let canvas = ui.max_rect();
    *canvas_out = Some(canvas);
    let ppp = ui.ctx().pixels_per_point();
    let response = ui.allocate_rect(canvas, egui::Sense::click_and_drag());
    if let (Some(shown), Some(size)) = (picture, v.size) {
        let (rect, _) = picture_rect(canvas, shown, ppp);
        ui.painter()
            .add(egui_wgpu::Callback::new_paint_callback(rect, DrawPicture));
        if let Some(p) = response.interact_pointer_pos() {
            // ISF points are in pixels with the origin at the bottom left.
            let x = (p.x - rect.min.x) / rect.width() * size.0 as f32;
            let y = (rect.max.y - p.y) / rect.height() * size.1 as f32;
            // A click is a press and a release in one pass.
            if response.drag_started() || response.clicked() {
                actions.push(Action::Button {
                    down: true,
                    at: [x, y],
                });
            }
            if response.clicked() || response.dragged() {
                actions.push(Action::Point([x, y]));
            }
            if response.drag_stopped() || response.clicked() {
                actions.push(Action::Button {
                    down: false,
                    at: [x, y],
                });
            }
        }
    }
    if let Some(e) = v.error {
        error_overlay(ui, canvas, e);
    }
}

/// The error text, over the picture.
fn error_overlay(ui: &mut egui::Ui, canvas: Rect, e: &str) {
    let area = canvas.shrink(8.0);
    ui.scope_builder(egui::UiBuilder::new().max_rect(area), |ui| {
        egui::Frame::new()
            .fill(Color32::from_black_alpha(215))
            .inner_margin(8.0)
            .show(ui, |ui| {
                ui.set_max_width(area.width() - 16.0);
                ui.label(
                    egui::RichText::new(e)
                        .monospace()
                        .color(Color32::from_rgb(255, 110, 90)),
                );
            });
    });
}

/// The colour the window's surface is cleared to: the panels' colour (they paint no fill of
/// their own), as egui-wgpu's clear value for a surface of `format`.
pub(super) fn panel_colour(ctx: &egui::Context, format: wgpu::TextureFormat) -> [f32; 4] {
    let c = ctx.global_style().visuals.panel_fill;
    if format.is_srgb() {
        egui::Rgba::from(c).to_array()
    } else {
        c.to_normalized_gamma_f32()
    }
}
