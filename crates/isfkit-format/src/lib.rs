//! isfkit-format: the ISF (Interactive Shader Format) document — parsing, validation, the v1
//! upgrade and the data model — and the dialects converted to it (Shadertoy, GLSL Sandbox,
//! gl-transitions: [`dialect`]). No GPU here, and no GLSL beyond the converters' scanning.

pub mod comments;
pub mod diag;
pub mod dialect;
pub mod expr;
pub mod limits;
pub mod model;
mod parse;

pub use comments::{find_comments, mask_comments, Comments};
pub use diag::{line_col, Diagnostic, Severity};
pub use expr::SizeExpr;
pub use model::*;
pub use parse::{decode_glsl, FormatError, FormatErrorKind, RawHeader};
