//! The one place where engine errors become Python exceptions.
//!
//! The exception classes live in Python (`isfkit/_errors.py`) so they can inherit from both
//! `isfkit.ISFError` and the matching builtin (`ValueError`, `TimeoutError`), pickle, and be
//! documented like any Python class. This file picks the class for each
//! [`isfkit_render::Error`] variant and attaches `.diagnostics` where there are positions.
//!
//! The class follows the error's kind (`isfkit_render::ErrorKind`, the table in
//! docs/errors.md), and every exception carries the kind's name as `.kind`:
//!
//! | kind             | Python exception                                          |
//! |------------------|-----------------------------------------------------------|
//! | `file`           | `FileError` (also an `OSError`)                           |
//! | `invalid_shader` | `ParseError` (the header) or `CompileError` (the GLSL)    |
//! | `input`          | `InputError`                                              |
//! | `limit`          | `LimitError` (a `RenderError`)                            |
//! | `gpu`            | `RenderError`                                             |
//! | `environment`    | `RenderError` (no ffmpeg for a video)                     |
//! | `timeout`        | `TimeoutError`                                            |
//! | `released`       | `ResourceError`                                           |
//! | `internal`       | `ISFError`                                                |

use isfkit_output::OutputError;
use isfkit_render::format::Diagnostic;
use isfkit_render::glsl::CompileError;
use isfkit_render::{Error, ErrorKind};
use pyo3::prelude::*;
use pyo3::types::PyList;

const ERRORS_MODULE: &str = "isfkit._errors";

/// The exception class named `name` in `isfkit._errors`.
pub fn class<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import(ERRORS_MODULE)?.getattr(name)
}

/// Builds an instance of exception `name` with `message` and `.kind`, optionally with
/// `.diagnostics`.
fn raise(
    py: Python<'_>,
    name: &str,
    kind: ErrorKind,
    message: String,
    diagnostics: Option<Bound<'_, PyList>>,
) -> PyResult<PyErr> {
    let exc = class(py, name)?.call1((message,))?;
    exc.setattr("kind", kind.name())?;
    if let Some(d) = diagnostics {
        exc.setattr("diagnostics", d)?;
    }
    Ok(PyErr::from_value(exc))
}

/// The exception class for an error of `kind` that has no finer class.
fn class_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::File => "FileError",
        ErrorKind::InvalidShader => "CompileError",
        ErrorKind::Input => "InputError",
        ErrorKind::Limit => "LimitError",
        ErrorKind::Gpu | ErrorKind::Environment => "RenderError",
        ErrorKind::Timeout => "TimeoutError",
        ErrorKind::Released => "ResourceError",
        ErrorKind::Internal => "ISFError",
    }
}

/// A `Diagnostic(line, column, message, stage, severity)` dataclass instance.
pub fn diagnostic<'py>(
    py: Python<'py>,
    d: &Diagnostic,
    stage: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let severity = match d.severity {
        isfkit_render::format::Severity::Error => "error",
        isfkit_render::format::Severity::Warning => "warning",
    };
    class(py, "Diagnostic")?.call1((d.line, d.column, d.message.clone(), stage, severity))
}

/// The diagnostics of a compile error, in the user's own line numbers.
pub fn compile_diagnostics<'py>(py: Python<'py>, e: &CompileError) -> PyResult<Bound<'py, PyList>> {
    let items = e
        .diagnostics
        .iter()
        .map(|d| diagnostic(py, &d.diagnostic, &d.stage.to_string()))
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, items)
}

/// Maps an engine error onto the exception hierarchy. `file` names the shader in messages
/// (header and compile errors are rendered like a compiler's, with the line and a caret).
pub fn to_py(py: Python<'_>, err: Error, file: Option<&str>) -> PyErr {
    let kind = err.kind();
    let built = (|| -> PyResult<PyErr> {
        match err {
            Error::Format(e) if kind == ErrorKind::InvalidShader => {
                let d = PyList::new(py, [diagnostic(py, &e.diagnostic, "header")?])?;
                let message = match file {
                    Some(f) if e.diagnostic.line > 0 => e.diagnostic.render(f),
                    _ => e.to_string(),
                };
                raise(py, "ParseError", kind, message, Some(d))
            }
            Error::Compile(e) => {
                let d = compile_diagnostics(py, &e)?;
                let fs = file.unwrap_or("<source>");
                let vs = vertex_name(fs);
                raise(py, "CompileError", kind, e.render(fs, &vs), Some(d))
            }
            e => {
                let message = e.message(std::path::Path::new(file.unwrap_or("<source>")));
                raise(py, class_name(kind), kind, message, None)
            }
        }
    })();
    // If even the exception class cannot be imported, that import error is the best report.
    built.unwrap_or_else(|e| e)
}

/// Maps an error of writing a frame onto the exception hierarchy.
pub fn output_to_py(py: Python<'_>, err: OutputError) -> PyErr {
    let kind = err.kind();
    raise(py, class_name(kind), kind, err.to_string(), None).unwrap_or_else(|e| e)
}

/// `foo.fs` -> `foo.vs`, for messages about the vertex stage.
fn vertex_name(fs: &str) -> String {
    match fs.strip_suffix(".fs") {
        Some(stem) => format!("{stem}.vs"),
        None => "<vertex>".to_owned(),
    }
}

/// The `ResourceError` raised when a handle is used after its engine was shut down.
pub fn shut_down(py: Python<'_>) -> PyErr {
    to_py(py, Error::ShutDown, None)
}

/// An `InputError` with `message` (for values the binding rejects before the engine sees them).
pub fn input_error(py: Python<'_>, message: String) -> PyErr {
    raise(py, "InputError", ErrorKind::Input, message, None).unwrap_or_else(|e| e)
}
