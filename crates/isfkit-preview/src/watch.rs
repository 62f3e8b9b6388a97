//! Watching the shader's files (the `.fs`, its `.vs`, its IMPORTED images) with `notify`.
//!
//! The folders holding them are watched, not the files: editors often save by writing a
//! new file and renaming it over the old one, which a watch on the old file would miss.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use notify::{RecursiveMode, Watcher as _};

/// A change seen by the watcher: when the first unhandled event arrived.
#[derive(Default)]
pub(crate) struct Changes {
    pub first: Option<Instant>,
    pub last: Option<Instant>,
}

pub(crate) struct FileWatcher {
    _inner: notify::RecommendedWatcher,
    pub files: BTreeSet<PathBuf>,
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_owned())
}

impl FileWatcher {
    /// Watches `files`; on a change of any of them, records it in `changes` and calls `wake`.
    pub fn new(
        files: &[PathBuf],
        changes: Arc<Mutex<Changes>>,
        wake: impl Fn() + Send + 'static,
    ) -> notify::Result<FileWatcher> {
        let files: BTreeSet<PathBuf> = files.iter().map(|f| absolute(f)).collect();
        let interest = files.clone();
        let mut inner = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
            let Ok(ev) = ev else { return };
            if matches!(ev.kind, notify::EventKind::Access(_)) {
                return;
            }
            if ev.paths.iter().any(|p| interest.contains(&absolute(p))) {
                let now = Instant::now();
                let mut c = changes.lock().unwrap_or_else(|p| p.into_inner());
                c.first.get_or_insert(now);
                c.last = Some(now);
                drop(c);
                wake();
            }
        })?;
        let dirs: BTreeSet<PathBuf> = files
            .iter()
            .filter_map(|f| f.parent().map(Path::to_owned))
            .collect();
        for d in &dirs {
            inner.watch(d, RecursiveMode::NonRecursive)?;
        }
        Ok(FileWatcher {
            _inner: inner,
            files,
        })
    }
}

/// The files a shader's picture depends on: the shader, its vertex shader (also one that
/// does not exist yet, so adding it is seen), and its IMPORTED images.
pub(crate) fn files_of(
    shader: &Path,
    doc: Option<&isfkit_render::format::IsfDocument>,
) -> Vec<PathBuf> {
    let mut files = vec![shader.to_owned()];
    match isfkit_render::vertex_shader_path(shader) {
        Some(vs) => files.push(vs),
        None => {
            files.push(shader.with_extension("vs"));
            files.push(shader.with_extension("vert"));
        }
    }
    if let Some(doc) = doc {
        files.extend(doc.imported.iter().map(|i| i.resolved_path.clone()));
    }
    files
}
