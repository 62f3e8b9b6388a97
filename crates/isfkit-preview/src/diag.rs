//! The text of a shader that does not load, word for word what `isf validate` prints.

use std::path::Path;

use isfkit_render::{Error, LoadError};

/// What `isf validate SHADER` prints on stderr for `e` (file:line:col diagnostics with the
/// source line and a caret for header and compile errors).
pub fn load_error_text(shader: &Path, e: &LoadError) -> String {
    e.render_at(shader)
}

/// The text for an engine error (a scene that cannot be made or rendered), as `isf render`
/// prints it.
pub(crate) fn engine_error_text(shader: &Path, e: &Error) -> String {
    e.render(shader)
}
