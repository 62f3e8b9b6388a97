//! The side panel's controls, one per input, generated from the shader's header.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use isfkit_render::format::{Input, InputType, IsfDocument};
use isfkit_render::{ImageData, Scene, Sound, Value};

/// What a control asks of the app, which owns the values that move with the clock (keyed
/// inputs, videos and image sequences).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Request {
    /// A keyed input's control was moved: it holds the control's value from now on.
    TakeOver(String),
    /// The keys button of a taken-over input: it follows its keys again.
    GiveBack(String),
    /// A video or an image sequence (the field's text, options included) for an image input.
    Clip(String, String),
    /// A still was loaded into an image input: a clip playing there stops.
    Still(String),
}

/// Control state that is not a scene value: file fields, the files loaded into image and
/// audio inputs (applied again after a reload), which point2D follows the pointer, and which
/// inputs move with keys.
#[derive(Default)]
pub(crate) struct Controls {
    /// Inputs that follow their keys (set by the app before each pass).
    pub keyed: std::collections::BTreeSet<String>,
    /// Keyed inputs a control has taken over (set by the app before each pass).
    pub held: std::collections::BTreeSet<String>,
    /// What the last pass asks of the app, in order.
    pub requests: Vec<Request>,
    pub image_fields: HashMap<String, String>,
    pub audio_fields: HashMap<String, String>,
    pub images: HashMap<String, (PathBuf, ImageData)>,
    pub audio: HashMap<String, (PathBuf, Arc<Sound>)>,
    /// The point2D input that clicks and drags on the picture set.
    pub point_target: Option<String>,
    /// The image input that files dropped on the window go to.
    pub drop_target: Option<String>,
    /// The last problem a control ran into (a file that did not load).
    pub message: Option<String>,
}

/// The value a double-click restores: IDENTITY when the header gives one, else DEFAULT.
fn identity_or_default(ty: &InputType) -> Option<Value> {
    let identity = match *ty {
        InputType::Float { identity, .. } => identity.map(Value::Float),
        InputType::Long { identity, .. } => identity.map(Value::Long),
        InputType::Bool { identity, .. } => identity.map(Value::Bool),
        InputType::Point2D { identity, .. } => identity.map(Value::Point2D),
        InputType::Color { identity, .. } => identity.map(Value::Color),
        _ => None,
    };
    identity.or_else(|| Value::default_for(ty))
}

impl Controls {
    /// Sets an image input from a file and remembers it for reloads. A video or an image
    /// sequence (`clip.mp4#loop`, `shots/f_%04d.png`) is handed to the app to play instead.
    pub fn load_image(
        &mut self,
        scene: &Scene,
        name: &str,
        path: &Path,
    ) -> Result<(), isfkit_render::Error> {
        let text = path.display().to_string();
        if isfkit_media::ClipSpec::parse(&text).is_ok_and(|c| c.is_some()) {
            self.image_fields.insert(name.to_owned(), text.clone());
            self.images.remove(name);
            self.requests.push(Request::Clip(name.to_owned(), text));
            return Ok(());
        }
        let image = isfkit_batch::media::load_image(path)?;
        self.requests.push(Request::Still(name.to_owned()));
        scene.set_image(name, image.clone())?;
        self.image_fields
            .insert(name.to_owned(), path.display().to_string());
        self.images
            .insert(name.to_owned(), (path.to_owned(), image));
        Ok(())
    }

    /// Sets an audio input from a sound file (WAV, or anything ffmpeg decodes) and
    /// remembers it for reloads. The input follows the frame's time, as in `isf render`.
    pub fn load_audio(
        &mut self,
        scene: &Scene,
        name: &str,
        path: &Path,
    ) -> Result<(), isfkit_render::Error> {
        let audio = isfkit_batch::media::set_sound_file(scene, name, path)?;
        self.audio_fields
            .insert(name.to_owned(), path.display().to_string());
        self.audio.insert(name.to_owned(), (path.to_owned(), audio));
        Ok(())
    }

    /// Applies the remembered image and audio files to `scene` (a reload or a restart),
    /// for inputs that still exist with the same type. Returns the inputs given up.
    pub fn apply_files(&mut self, scene: &Scene) -> Vec<String> {
        let doc = scene.document();
        let mut dropped = Vec::new();
        let has = |name: &str, image: bool| {
            doc.input(name).is_some_and(|i| match i.ty {
                InputType::Image => image,
                InputType::Audio { .. } | InputType::AudioFft { .. } => !image,
                _ => false,
            })
        };
        self.images.retain(|name, (_, img)| {
            let keep = has(name, true) && scene.set_image(name, img.clone()).is_ok();
            if !keep {
                dropped.push(name.clone());
            }
            keep
        });
        self.audio.retain(|name, (_, a)| {
            let keep = has(name, false) && scene.set_sound(name, a.clone()).is_ok();
            if !keep {
                dropped.push(name.clone());
            }
            keep
        });
        for target in [&mut self.point_target, &mut self.drop_target] {
            if target.as_deref().is_some_and(|t| doc.input(t).is_none()) {
                *target = None;
            }
        }
        dropped
    }

    /// The point2D input that the picture sets: the chosen one, else the first.
    pub fn point_input(&self, doc: &IsfDocument) -> Option<String> {
        self.point_target.clone().or_else(|| {
            doc.inputs
                .iter()
                .find(|i| matches!(i.ty, InputType::Point2D { .. }))
                .map(|i| i.name.clone())
        })
    }

    /// The image input that dropped files go to: the chosen one, else the first.
    pub fn drop_input(&self, doc: &IsfDocument) -> Option<String> {
        self.drop_target.clone().or_else(|| {
            doc.inputs
                .iter()
                .find(|i| matches!(i.ty, InputType::Image))
                .map(|i| i.name.clone())
        })
    }

    /// Draws every input's control; returns true when a value changed.
    pub fn ui(&mut self, ui: &mut egui::Ui, scene: &Scene, doc: &IsfDocument) -> bool {
        let mut changed = false;
        if doc.inputs.is_empty() {
            ui.label("This shader has no inputs.");
        }
        for input in &doc.inputs {
            ui.push_id(&input.name, |ui| {
                changed |= self.input_ui(ui, scene, doc, input);
            });
            ui.add_space(4.0);
        }
        if let Some(m) = &self.message {
            ui.separator();
            ui.colored_label(egui::Color32::from_rgb(255, 120, 100), m);
        }
        changed
    }

    fn input_ui(
        &mut self,
        ui: &mut egui::Ui,
        scene: &Scene,
        doc: &IsfDocument,
        input: &Input,
    ) -> bool {
        let name = &input.name;
        let label = input.label.clone().unwrap_or_else(|| name.clone());
        let current = scene.value(name);
        let set = |v: Value| scene.set(name, v).is_ok();
        let mut changed = false;
        if self.keyed.contains(name) {
            ui.weak("follows its keys");
        } else if self.held.contains(name) {
            ui.horizontal(|ui| {
                ui.weak("taken over from its keys");
                if ui
                    .small_button("keys")
                    .on_hover_text("follow the keys again")
                    .clicked()
                {
                    self.requests.push(Request::GiveBack(name.clone()));
                }
            });
        }
        match &input.ty {
            InputType::Float { min, max, .. } => {
                let mut v = match current {
                    Some(Value::Float(v)) => v,
                    _ => 0.0,
                };
                let r = ui.add(egui::Slider::new(&mut v, *min..=*max).text(&label));
                if r.double_clicked() {
                    if let Some(d) = identity_or_default(&input.ty) {
                        changed |= set(d);
                    }
                } else if r.changed() {
                    changed |= set(Value::Float(v));
                }
            }
            InputType::Long {
                min,
                max,
                values,
                labels,
                ..
            } => {
                let mut v = match current {
                    Some(Value::Long(v)) => v,
                    _ => 0,
                };
                let before = v;
                if labels.is_empty() {
                    ui.horizontal(|ui| {
                        ui.add(egui::DragValue::new(&mut v).range(*min..=*max));
                        ui.label(&label);
                    });
                } else {
                    let shown = values
                        .iter()
                        .position(|x| *x == v)
                        .map_or_else(|| v.to_string(), |i| labels[i].clone());
                    egui::ComboBox::from_label(&label)
                        .selected_text(shown)
                        .show_ui(ui, |ui| {
                            for (val, lab) in values.iter().zip(labels) {
                                ui.selectable_value(&mut v, *val, lab);
                            }
                        });
                }
                if v != before {
                    changed |= set(Value::Long(v));
                }
            }
            InputType::Bool { .. } => {
                let mut b = matches!(current, Some(Value::Bool(true)));
                if ui.checkbox(&mut b, &label).changed() {
                    changed |= set(Value::Bool(b));
                }
            }
            InputType::Event => {
                if ui.button(&label).clicked() {
                    changed |= set(Value::Bool(true));
                }
            }
            InputType::Color { .. } => {
                let mut c = match current {
                    Some(Value::Color(c)) => c,
                    _ => [0.0, 0.0, 0.0, 1.0],
                };
                ui.horizontal(|ui| {
                    let r = ui.color_edit_button_rgba_unmultiplied(&mut c);
                    ui.label(&label);
                    if r.changed() {
                        changed |= set(Value::Color(c));
                    }
                });
            }
            InputType::Point2D { min, max, .. } => {
                let mut p = match current {
                    Some(Value::Point2D(p)) => p,
                    _ => [0.0, 0.0],
                };
                let before = p;
                ui.horizontal(|ui| {
                    for (k, axis) in p.iter_mut().enumerate() {
                        let mut d = egui::DragValue::new(axis).speed(1.0);
                        if let (Some(lo), Some(hi)) = (min, max) {
                            d = d.range(lo[k]..=hi[k]);
                        }
                        ui.add(d);
                    }
                    ui.label(&label);
                });
                let picked = self.point_input(doc).as_deref() == Some(name.as_str());
                if ui.radio(picked, "set by clicking the picture").clicked() {
                    self.point_target = Some(name.clone());
                }
                if p != before {
                    changed |= set(Value::Point2D(p));
                }
            }
            InputType::Image => {
                ui.label(format!("{label} (image)"));
                changed |= self.file_row(ui, scene, name, true);
                let picked = self.drop_input(doc).as_deref() == Some(name.as_str());
                if ui
                    .radio(picked, "files dropped on the window go here")
                    .clicked()
                {
                    self.drop_target = Some(name.clone());
                }
            }
            InputType::Audio { .. } | InputType::AudioFft { .. } => {
                ui.label(format!("{label} ({}, sound file)", input.ty.type_name()));
                changed |= self.file_row(ui, scene, name, false);
            }
        }
        if changed && self.keyed.contains(name) {
            self.requests.push(Request::TakeOver(name.clone()));
        }
        changed
    }

    /// A path field and a Load button for an image or audio input.
    fn file_row(&mut self, ui: &mut egui::Ui, scene: &Scene, name: &str, image: bool) -> bool {
        let fields = if image {
            &mut self.image_fields
        } else {
            &mut self.audio_fields
        };
        let field = fields.entry(name.to_owned()).or_default();
        let mut load = false;
        ui.horizontal(|ui| {
            let r = ui.add(
                egui::TextEdit::singleline(field)
                    .hint_text(if image {
                        "image, video or image sequence"
                    } else {
                        "sound file (wav, mp3, flac, ...)"
                    })
                    .desired_width(150.0),
            );
            load |= r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            load |= ui.button("Load").clicked();
        });
        if !load {
            return false;
        }
        let path = PathBuf::from(field.trim());
        let result = if image {
            self.load_image(scene, name, &path)
        } else {
            self.load_audio(scene, name, &path)
        };
        match result {
            Ok(()) => {
                self.message = None;
                true
            }
            Err(e) => {
                self.message = Some(format!("{name}: {e}"));
                false
            }
        }
    }
}

/// Copies the values of `old`'s inputs to `new` where `new` has an input of the same name
/// and type (a reload keeps what the user set). Returns how many were kept.
pub(crate) fn carry_values(old: &Scene, new: &Scene) -> usize {
    let (od, nd) = (old.document(), new.document());
    let mut kept = 0;
    for input in &nd.inputs {
        let same = od
            .input(&input.name)
            .is_some_and(|o| o.ty.type_name() == input.ty.type_name());
        if let (true, Some(v)) = (same, old.value(&input.name)) {
            if !matches!(input.ty, InputType::Event) && new.set(&input.name, v).is_ok() {
                kept += 1;
            }
        }
    }
    kept
}
