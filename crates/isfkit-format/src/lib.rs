//! isfkit-format: the ISF (Interactive Shader Format) document — parsing, validation, the v1
//! upgrade and the data model. No GPU and no GLSL here.

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
