//! Loading the shader: the first load with the command line's values, the file watcher,
//! reloads after a change, and starting over.

use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use isfkit_render::{ErrorKind, Program, Scene};

use super::{App, Wake};
use crate::controls::{carry_values, Controls};
use crate::diag::{engine_error_text, load_error_text};
use crate::parts::Slot;
use crate::watch::{files_of, FileWatcher};
use crate::Failure;

impl App<'_> {
    /// Loads the shader and applies --set/--image/--audio. Bad values are usage errors
    /// (exit 2) as in `isf render`; an invalid shader opens the window with its error.
    pub(super) fn first_load(&mut self) -> Result<(), Failure> {
        let shader = self.args.shader.clone();
        let program = match Program::load(&shader) {
            Ok(p) => p,
            Err(e) => {
                let text = load_error_text(&shader, &e);
                if matches!(&e, isfkit_render::LoadError::Format(f) if f.kind == isfkit_render::format::FormatErrorKind::Unreadable)
                    || matches!(e, isfkit_render::LoadError::ReadVertex { .. })
                {
                    return Err(Failure::new(ErrorKind::File, text));
                }
                eprintln!("{text}");
                self.error = Some(text);
                return Ok(());
            }
        };
        for w in &program.doc.warnings {
            eprintln!("{}", w.render(&shader.display().to_string()));
        }
        let Some(scene) = self.create_scene(&shader, &program) else {
            return Ok(());
        };
        let fail = |e: isfkit_render::Error| Failure::engine(&e, &shader);
        let doc = scene.document();
        for (name, value) in &self.args.sets {
            scene.set_text(name, value).map_err(fail)?;
        }
        self.moving.keys = self.keyframes(&scene).map_err(fail)?;
        // Videos and image sequences play with the preview clock; stills go to the controls.
        let mut stills = Vec::new();
        for (name, path) in &self.args.images {
            let images = [(name.clone(), std::path::PathBuf::from(path))].into();
            let (still, clips) = isfkit_batch::media::open_clips(&doc, &images, self.args.fps)
                .map_err(|e| Failure::new(e.kind(), format!("error: --image {name}: {e}")))?;
            if still.is_empty() {
                self.moving.clips.extend(clips);
            } else {
                stills.push((name.clone(), path.clone()));
            }
        }
        let mut controls = Controls::default();
        type Load = fn(&mut Controls, &Scene, &str, &Path) -> Result<(), isfkit_render::Error>;
        type Named = [(String, String)];
        let files: [(&str, &Named, Load); 2] = [
            ("--image", &stills, Controls::load_image),
            ("--audio", &self.args.audio, Controls::load_audio),
        ];
        for (flag, args, load) in files {
            for (name, path) in args {
                scene.input(name).map_err(fail)?;
                load(&mut controls, &scene, name, Path::new(path))
                    .map_err(|e| Failure::new(e.kind(), format!("error: {flag} {name}: {e}")))?;
            }
        }
        self.pending_controls = Some(controls);
        self.scene = Some(scene);
        self.keyboard.touch();
        self.program = Some(program);
        Ok(())
    }
}

impl App<'_> {
    /// A scene of `program`; when the engine refuses it, None, with the error printed and
    /// shown.
    fn create_scene(&mut self, shader: &Path, program: &Program) -> Option<Scene> {
        match self.engine.create_scene(program.clone()) {
            Ok(s) => Some(s),
            Err(e) => {
                let text = engine_error_text(shader, &e);
                eprintln!("{text}");
                self.error = Some(text);
                None
            }
        }
    }

    /// The command line's keyed inputs, checked against `scene`'s inputs.
    fn keyframes(
        &self,
        scene: &Scene,
    ) -> Result<Vec<(String, isfkit_batch::keys::Keyframes)>, isfkit_render::Error> {
        self.args
            .keys
            .iter()
            .map(|(name, track)| {
                let ty = scene.input(name)?.ty;
                Ok((
                    name.clone(),
                    isfkit_batch::keys::Keyframes::new(name, &ty, track)?,
                ))
            })
            .collect()
    }
}

impl App<'_> {
    /// (Re)starts the watcher on the shader's current files.
    pub(super) fn watch(&mut self) {
        let files = files_of(
            &self.args.shader,
            self.scene.as_ref().map(|s| s.document()).as_ref(),
        );
        let wanted: std::collections::BTreeSet<PathBuf> = files
            .iter()
            .map(|f| std::path::absolute(f).unwrap_or_else(|_| f.clone()))
            .collect();
        if self
            .watcher
            .lock()
            .as_ref()
            .is_some_and(|w| w.files == wanted)
        {
            return;
        }
        let proxy = self.proxy.clone();
        match FileWatcher::new(&files, self.changes.clone(), move || {
            let _ = proxy.send_event(Wake);
        }) {
            Ok(w) => self.watcher.put(w),
            Err(e) => {
                self.status = format!("hot reload is off: cannot watch the shader's folder: {e}");
                eprintln!("warning: {}", self.status);
            }
        }
    }

    /// Reloads the shader after a file changed. A shader that does not load shows its
    /// error; the current scene keeps playing.
    pub(super) fn reload(&mut self) {
        let saved = latest_mtime(&self.watcher);
        let shader = self.args.shader.clone();
        let t0 = Instant::now();
        let program = match Program::load(&shader) {
            Ok(p) => p,
            Err(e) => {
                let text = load_error_text(&shader, &e);
                if self.error.as_deref() != Some(text.as_str()) {
                    eprintln!("{text}");
                }
                self.error = Some(text);
                self.need_render = true;
                return;
            }
        };
        let Some(scene) = self.create_scene(&shader, &program) else {
            return;
        };
        self.carry_into(&scene);
        // The new scene has none of the footage's frames yet.
        self.moving.forget_shown();
        self.keyboard.touch();
        self.fallback = self.scene.replace(scene);
        self.program = Some(program);
        self.error = None;
        self.need_render = true;
        self.reload_pending = Some(saved.unwrap_or_else(SystemTime::now));
        self.reload_compile_ms = t0.elapsed().as_secs_f64() * 1000.0;
        self.watch();
    }

    /// Gives a reloaded scene the current one's input values and frame state (after a broken
    /// start, when there is none, the command line's values) and the image and audio files
    /// the controls remember.
    fn carry_into(&mut self, scene: &Scene) {
        if let Some(old) = &self.scene {
            carry_values(old, scene);
            match self.engine.carry_state(old, scene) {
                Ok(true) => {}
                Ok(false) => self.status = "passes changed: persistent buffers start empty".into(),
                Err(e) => self.status = format!("state not carried over: {e}"),
            }
        } else {
            // The first good load after a broken start: apply the command line's values. A
            // value the fixed shader does not take is said in the status line and on stderr.
            let mut refused = Vec::new();
            for (n, v) in &self.args.sets {
                if let Err(e) = scene.set_text(n, v) {
                    refused.push(format!("--set {n}={v}: {e}"));
                }
            }
            match self.keyframes(scene) {
                Ok(keys) => self.moving.keys = keys,
                Err(e) => refused.push(format!("--set {e}")),
            }
            if !refused.is_empty() {
                let text = refused.join("; ");
                eprintln!("warning: {text}");
                self.status = text;
            }
        }
        if let Some(ui) = self.ui.lock().as_mut() {
            let dropped = ui.controls.apply_files(scene);
            if !dropped.is_empty() {
                self.status = format!("inputs gone after the reload: {}", dropped.join(", "));
            }
        }
    }

    /// Starts over: time back to the start, FRAMEINDEX 0, persistent buffers empty; input
    /// values are kept.
    pub(super) fn restart(&mut self) {
        let (Some(program), Some(old)) = (&self.program, &self.scene) else {
            return;
        };
        match self.engine.create_scene(program.clone()) {
            Ok(scene) => {
                carry_values(old, &scene);
                if let Some(ui) = self.ui.lock().as_mut() {
                    ui.controls.apply_files(&scene);
                }
                self.scene = Some(scene);
                self.keyboard.touch();
                self.fallback = None;
                self.clock.time = self.args.time;
                self.need_render = true;
                self.status = "restarted".into();
            }
            Err(e) => self.error = Some(engine_error_text(&self.args.shader, &e)),
        }
    }
}

/// The newest modification time of the watched files (when the user saved).
fn latest_mtime(watcher: &Slot<FileWatcher>) -> Option<SystemTime> {
    let w = watcher.lock();
    w.as_ref()?
        .files
        .iter()
        .filter_map(|f| std::fs::metadata(f).and_then(|m| m.modified()).ok())
        .max()
}
