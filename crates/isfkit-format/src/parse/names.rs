//! The names inputs, pass targets and imported images may take.

use super::ctx::Ctx;
use super::FormatError;

/// Names an input, pass target or imported image must not take: the ISF built-ins (the name
/// would hide them) and `main`.
const RESERVED_ISF_NAMES: &[&str] = &[
    "TIME",
    "TIMEDELTA",
    "RENDERSIZE",
    "PASSINDEX",
    "FRAMEINDEX",
    "DATE",
    "isf_FragNormCoord",
    "vv_FragNormCoord",
    "main",
];

/// Also checks that `name` can be a GLSL identifier (it becomes one: a uniform, a texture):
/// letters, digits and `_`, not starting with a digit.
pub(super) fn check_reserved_name(
    ctx: &Ctx,
    what: &str,
    name: &str,
    off: usize,
) -> Result<(), FormatError> {
    let identifier = name.chars().all(|c| c.is_alphanumeric() || c == '_')
        && name.chars().next().is_some_and(|c| !c.is_ascii_digit());
    if !identifier {
        return Err(ctx.error(
            off,
            format!(
                "{what} \"{name}\" is not a valid name: use letters, digits and _, not starting with a digit"
            ),
        ));
    }
    if RESERVED_ISF_NAMES.contains(&name) {
        let why = if name == "main" {
            "the shader's `main` function"
        } else {
            "an ISF built-in"
        };
        return Err(ctx.error(
            off,
            format!("{what} \"{name}\" has the name of {why}; choose another name"),
        ));
    }
    Ok(())
}
