//! The text of a shader that does not load, word for word what `isf validate` prints.

use std::path::Path;

use isfkit_render::format::FormatErrorKind;
use isfkit_render::{Error, LoadError};

/// What `isf validate SHADER` prints on stderr for `e` (file:line:col diagnostics with the
/// source line and a caret for header and compile errors).
pub fn load_error_text(shader: &Path, e: &LoadError) -> String {
    let fs = shader.display().to_string();
    match e {
        LoadError::Format(f) if f.kind == FormatErrorKind::Unreadable => {
            format!("error: {}", f.diagnostic.message)
        }
        LoadError::Format(f) => f.diagnostic.render(&fs),
        LoadError::ReadVertex { path, source } => {
            format!("error: cannot read {}: {source}", path.display())
        }
        LoadError::Compile {
            error,
            fragment,
            vertex,
            ..
        } => error.render(fragment, vertex),
        e => format!("error: {e}"),
    }
}

/// The text for an engine error (a scene that cannot be made or rendered), as `isf render`
/// prints it.
pub(crate) fn engine_error_text(shader: &Path, e: &Error) -> String {
    e.render(shader)
}
