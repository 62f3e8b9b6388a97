//! What the UI's actions do: play and pause, step, restart, snapshots, recording, the
//! engine's re-initialisation, point inputs and dropped files.

use std::path::Path;

use isfkit_output::{write_image, ImageFormat, PngCompression};
use isfkit_render::{Frame, RenderOptions, Value};
use winit::event_loop::ActiveEventLoop;

use super::ui::Action;
use super::App;
use crate::controls::{carry_values, Controls, Request};
use crate::diag::engine_error_text;
use crate::record::{free_name, have_ffmpeg, Recorder, Target};

impl App<'_> {
    /// Runs one action the UI asked for.
    pub(super) fn act(
        &mut self,
        a: Action,
        event_loop: &ActiveEventLoop,
        dropped: &[egui::DroppedFileHandle],
    ) {
        match a {
            Action::Quit => {
                self.quit = true;
                self.close(event_loop);
            }
            Action::PlayPause => {
                self.clock.playing = !self.clock.playing;
                self.status = if self.clock.playing {
                    "playing"
                } else {
                    "paused"
                }
                .into();
            }
            Action::Step => {
                self.clock.playing = false;
                self.clock.time += self.clock.speed.max(0.0) / self.args.fps;
                self.need_render = true;
            }
            Action::Restart => self.restart(),
            Action::Snapshot => self.snapshot(None),
            Action::SnapshotAt => self.snapshot(Some(self.snapshot_size)),
            Action::Record { sequence } => self.toggle_recording(sequence),
            Action::Reinit => self.reinitialize(),
            Action::Reload => self.reload(),
            Action::SetTime(t) => {
                self.clock.time = t;
                self.need_render = true;
            }
            Action::SetSpeed(s) => self.clock.speed = s,
            Action::Point(p) => self.set_point(p),
            Action::Button { down, at } => self.set_button(down, at),
            Action::Key { key, down } => self.need_render |= self.keyboard.key(key, down),
            Action::Dropped(_) => self.load_dropped(dropped),
        }
    }

    /// Sets the shader's point input (the one the controls pick) to `p`.
    fn set_point(&mut self, p: [f32; 2]) {
        let target = self.scene.as_ref().and_then(|s| {
            let doc = s.document();
            self.ui
                .lock()
                .as_ref()
                .and_then(|u| u.controls.point_input(&doc))
        });
        if let (Some(scene), Some(name)) = (&self.scene, target) {
            if scene.set(&name, Value::Point2D(p)).is_ok() {
                self.need_render = true;
            }
        }
    }

    /// A Shadertoy shader's mouse button (its `iMouse.zw` and sign): where it went down, and
    /// whether it is down. Other shaders have no such inputs.
    fn set_button(&mut self, down: bool, at: [f32; 2]) {
        let Some(scene) = &self.scene else {
            return;
        };
        let mouse = isfkit_render::format::dialect::SHADERTOY_MOUSE;
        let doc = scene.document();
        if doc.input(mouse.click).is_none() || doc.input(mouse.down).is_none() {
            return;
        }
        let mut set = scene.set(mouse.down, Value::Bool(down)).is_ok();
        if down {
            set &= scene.set(mouse.click, Value::Point2D(at)).is_ok();
        }
        self.need_render |= set;
    }

    /// Does what the controls asked in their last pass: keyed inputs taken over or given
    /// back, clips started or stopped on image inputs.
    pub(super) fn control_requests(&mut self, controls: &mut Controls, requests: Vec<Request>) {
        for r in requests {
            match r {
                Request::TakeOver(name) => {
                    if let Some(i) = self.moving.keys.iter().position(|(n, _)| *n == name) {
                        self.held_keys.push(self.moving.keys.remove(i));
                        self.status = format!(
                            "{name}: taken over from its keys (its keys button gives it back)"
                        );
                    }
                }
                Request::GiveBack(name) => {
                    if let Some(i) = self.held_keys.iter().position(|(n, _)| *n == name) {
                        self.moving.keys.push(self.held_keys.remove(i));
                        self.status = format!("{name}: follows its keys again");
                        self.need_render = true;
                    }
                }
                Request::Still(name) => self.moving.clips.retain(|(n, _)| *n != name),
                Request::Clip(name, text) => {
                    let Some(scene) = self.scene.clone() else {
                        continue;
                    };
                    let images = [(name.clone(), std::path::PathBuf::from(&text))].into();
                    match isfkit_batch::media::open_clips(&scene.document(), &images, self.args.fps)
                    {
                        Ok((_, clips)) => {
                            self.moving.clips.retain(|(n, _)| *n != name);
                            self.moving.clips.extend(clips);
                            self.moving.forget_shown();
                            self.status = format!("{name}: playing {text}");
                            controls.message = None;
                            self.need_render = true;
                        }
                        Err(e) => {
                            controls.message = Some(format!("{name}: {e}"));
                            self.status = format!("{name}: {e}");
                        }
                    }
                }
            }
        }
    }

    /// Loads dropped files into the image input the controls pick for drops.
    fn load_dropped(&mut self, dropped: &[egui::DroppedFileHandle]) {
        let Some(scene) = self.scene.clone() else {
            return;
        };
        let doc = scene.document();
        let mut guard = self.ui.lock();
        let Some(ui) = guard.as_mut() else { return };
        let Some(name) = ui.controls.drop_input(&doc) else {
            self.status = "dropped a file, but the shader has no image input".into();
            return;
        };
        for f in dropped {
            let path = f.path().to_owned();
            match ui.controls.load_image(&scene, &name, &path) {
                Ok(()) => {
                    self.status = format!("{name}: {}", path.display());
                    self.need_render = true;
                }
                Err(e) => self.status = format!("{name}: {e}"),
            }
        }
    }

    fn toggle_recording(&mut self, sequence: bool) {
        if self.recorder.is_some() {
            self.stop_recording();
            return;
        }
        let Some((w, h)) = self.render_size() else {
            return;
        };
        let stem = stem(&self.args.shader);
        let dir = &self.args.output_dir;
        let target = if sequence || !have_ffmpeg() {
            Target::Sequence(free_name(dir, &format!("{stem}_recording"), ""))
        } else {
            Target::Video(free_name(dir, &format!("{stem}_recording"), "mp4"))
        };
        // H.264 in yuv420p needs even sizes.
        if matches!(target, Target::Video(_)) && (w % 2 == 1 || h % 2 == 1) {
            self.status =
                format!("cannot record {w}x{h} to mp4: the size must be even (set --size)");
            return;
        }
        match Recorder::start(target, w, h, self.args.fps) {
            Ok(r) => {
                self.status = format!("recording to {}", r.target.path().display());
                self.recorder.put(r);
            }
            Err(e) => self.status = e,
        }
    }

    pub(super) fn stop_recording(&mut self) {
        if let Some(mut r) = self.recorder.take() {
            self.status = match r.stop() {
                Ok(n) => format!("recorded {n} frame(s) to {}", r.target.path().display()),
                Err(e) => format!("recording failed: {e}"),
            };
        }
    }

    /// Writes the frame on screen (same pixels) as a PNG; with another size, renders a
    /// fresh copy of the scene at the current time and inputs, which is what
    /// `isf render --time T --size WxH` writes.
    fn snapshot(&mut self, size: Option<(u32, u32)>) {
        let stem = stem(&self.args.shader);
        let frame = match size {
            None => self.last_frame.clone(),
            Some((w, h)) => self.fresh_frame(w, h),
        };
        let Some(frame) = frame else {
            if self.status.is_empty() {
                self.status = "no frame to save yet".into();
            }
            return;
        };
        let path = free_name(
            &self.args.output_dir,
            &format!(
                "{stem}_{:.3}s_{}x{}",
                self.clock.time, frame.width, frame.height
            ),
            "png",
        );
        let format = ImageFormat::Png {
            bits: 8,
            compression: PngCompression::Fast,
        };
        self.status = match write_image(&frame, &path, format) {
            Ok(()) => format!("saved {}", path.display()),
            Err(e) => format!("snapshot failed: {e}"),
        };
        eprintln!("{}", self.status);
    }

    fn fresh_frame(&mut self, w: u32, h: u32) -> Option<Frame> {
        let (program, old) = (self.program.clone()?, self.scene.clone()?);
        let result = self.engine.create_scene(program).and_then(|s| {
            carry_values(&old, &s);
            if let Some(ui) = self.ui.lock().as_mut() {
                ui.controls.apply_files(&s);
            }
            s.render(&RenderOptions::new(w, h, self.clock.time))
        });
        match result {
            Ok(f) => Some(f),
            Err(e) => {
                self.status = format!(
                    "snapshot failed: {}",
                    engine_error_text(&self.args.shader, &e)
                );
                None
            }
        }
    }

    fn reinitialize(&mut self) {
        self.status = match self.engine.reinitialize() {
            Ok(r) => format!(
                "engine device re-initialised: generation {}, {:.1} ms, {} persistent buffer(s) kept",
                r.generation, r.duration_ms, r.persistent_saved
            ),
            Err(e) => format!("re-initialisation failed: {e}"),
        };
        eprintln!("{}", self.status);
        self.need_render = true;
    }
}

fn stem(p: &Path) -> String {
    p.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "shader".into())
}
