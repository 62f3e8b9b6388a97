//! The PASSES section and the v1 PERSISTENT_BUFFERS it is upgraded from: targets, flags,
//! size expressions, and the checks that tie passes to inputs and imported images.

use super::ctx::Ctx;
use super::json::{get, J, JV};
use super::sampling::{ignore_flipped, ignore_sampling, parse_sampling};
use super::FormatError;
use crate::expr::SizeExpr;
use crate::model::{ImportedImage, Input, InputType, Pass};

struct SizeSpec {
    expr: SizeExpr,
    off: usize,
    /// `PASSES[0].WIDTH` or `PERSISTENT_BUFFERS.name.WIDTH`, for messages.
    label: String,
}

pub(super) struct RawPass {
    pub(super) target: Option<(String, usize)>,
    persistent: bool,
    float: Option<bool>,
    width: Option<SizeSpec>,
    height: Option<SizeSpec>,
}

impl RawPass {
    pub(super) fn finish(self) -> Pass {
        Pass {
            target: self.target.map(|(t, _)| t),
            persistent: self.persistent,
            float: self.float.unwrap_or(false),
            width: self.width.map(|s| s.expr),
            height: self.height.map(|s| s.expr),
        }
    }
}

fn default_pass() -> RawPass {
    RawPass {
        target: None,
        persistent: false,
        float: None,
        width: None,
        height: None,
    }
}

fn parse_size(
    ctx: &mut Ctx,
    label: String,
    j: Option<&J>,
) -> Result<Option<SizeSpec>, FormatError> {
    let Some(j) = j else { return Ok(None) };
    let expr = match &j.v {
        JV::Num(v, _) if v.is_finite() => SizeExpr::constant(*v),
        JV::Num(..) => {
            return Err(ctx.error(
                j.off,
                format!(
                    "{label}: {} is out of range (a number must be within ±1.7976931348623157e308)",
                    j.describe()
                ),
            ))
        }
        JV::Str(s) if s.trim().is_empty() => {
            ctx.warn(j.off, format!("{label} is empty; ignored"));
            return Ok(None);
        }
        JV::Str(s) => SizeExpr::parse(s).map_err(|e| {
            // A hostile expression can be long: quote its start only.
            let shown = if s.chars().count() > 60 {
                format!("{:?}...", s.chars().take(40).collect::<String>())
            } else {
                format!("{s:?}")
            };
            ctx.error(
                j.off,
                format!("{label} {shown} is not a valid expression: {e}"),
            )
        })?,
        _ => {
            return Err(ctx.error(
                j.off,
                format!(
                    "{label} must be a number or an expression string, found {}",
                    j.describe()
                ),
            ))
        }
    };
    Ok(Some(SizeSpec {
        expr,
        off: j.off,
        label,
    }))
}

pub(super) fn parse_passes(ctx: &mut Ctx, j: Option<&J>) -> Result<Vec<RawPass>, FormatError> {
    let items: &[J] = match j.map(|j| (j, &j.v)) {
        None => &[],
        Some((_, JV::Arr(items))) => items,
        Some((j, _)) => {
            ctx.warn(
                j.off,
                format!("PASSES must be an array, found {}; ignored", j.describe()),
            );
            &[]
        }
    };
    let mut passes = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let Some(obj) = item.as_obj() else {
            ctx.warn(
                item.off,
                format!("PASSES[{index}] is not an object; skipped"),
            );
            continue;
        };
        let target = match get(obj, "TARGET") {
            None => None,
            Some(t) => match &t.v {
                JV::Str(s) if s.trim().is_empty() => None,
                JV::Str(s) => Some((s.clone(), t.off)),
                _ => {
                    return Err(ctx.error(
                        t.off,
                        format!(
                            "PASSES[{index}].TARGET must be a string, found {}",
                            t.describe()
                        ),
                    ))
                }
            },
        };
        let persistent = match get(obj, "PERSISTENT") {
            Some(p) => ctx.flag(&format!("PASSES[{index}].PERSISTENT"), p, true)?,
            None => false,
        };
        let float = get(obj, "FLOAT")
            .map(|f| ctx.flag(&format!("PASSES[{index}].FLOAT"), f, true))
            .transpose()?;
        match &target {
            Some((name, _)) => {
                parse_sampling(ctx, &format!("PASSES[{index}]"), name, obj, false)?;
                ignore_flipped(ctx, &format!("PASSES[{index}]"), obj);
            }
            None => ignore_sampling(ctx, &format!("PASSES[{index}]"), obj),
        }
        let width = parse_size(ctx, format!("PASSES[{index}].WIDTH"), get(obj, "WIDTH"))?;
        let height = parse_size(ctx, format!("PASSES[{index}].HEIGHT"), get(obj, "HEIGHT"))?;
        passes.push(RawPass {
            target,
            persistent,
            float,
            width,
            height,
        });
    }
    if passes.is_empty() {
        passes.push(default_pass());
    }
    Ok(passes)
}

struct PersistentBuffer {
    name: String,
    off: usize,
    float: Option<bool>,
    width: Option<SizeSpec>,
    height: Option<SizeSpec>,
}

pub(super) fn apply_persistent_buffers(
    ctx: &mut Ctx,
    j: &J,
    passes: &mut [RawPass],
) -> Result<(), FormatError> {
    let plain = |name: &str, off: usize| PersistentBuffer {
        name: name.to_owned(),
        off,
        float: None,
        width: None,
        height: None,
    };
    let mut buffers = Vec::new();
    match &j.v {
        JV::Str(s) => buffers.push(plain(s, j.off)),
        JV::Arr(items) => {
            for (i, item) in items.iter().enumerate() {
                match item.as_str() {
                    Some(s) => buffers.push(plain(s, item.off)),
                    None => ctx.warn(
                        item.off,
                        format!(
                            "PERSISTENT_BUFFERS[{i}] must be a string, found {}; ignored",
                            item.describe()
                        ),
                    ),
                }
            }
        }
        JV::Obj(props) => {
            for prop in props {
                let mut buffer = plain(&prop.key, prop.value.off);
                if let Some(attrs) = prop.value.as_obj() {
                    let label = |key: &str| format!("PERSISTENT_BUFFERS.{}.{key}", prop.key);
                    buffer.width = parse_size(ctx, label("WIDTH"), get(attrs, "WIDTH"))?;
                    buffer.height = parse_size(ctx, label("HEIGHT"), get(attrs, "HEIGHT"))?;
                    buffer.float = get(attrs, "FLOAT")
                        .map(|f| ctx.flag(&label("FLOAT"), f, true))
                        .transpose()?;
                }
                buffers.push(buffer);
            }
        }
        _ => {
            ctx.warn(
                j.off,
                format!(
                    "PERSISTENT_BUFFERS must be an array or an object, found {}; ignored",
                    j.describe()
                ),
            );
        }
    }
    for buffer in buffers {
        let mut rendered = false;
        for pass in passes.iter_mut() {
            if pass.target.as_ref().is_some_and(|(t, _)| *t == buffer.name) {
                rendered = true;
                pass.persistent = true;
                pass.float = pass.float.or(buffer.float);
                if pass.width.is_none() {
                    pass.width = buffer.width.as_ref().map(clone_spec);
                }
                if pass.height.is_none() {
                    pass.height = buffer.height.as_ref().map(clone_spec);
                }
            }
        }
        if !rendered {
            ctx.warn(
                buffer.off,
                format!("persistent buffer \"{}\" is never rendered to", buffer.name),
            );
        }
    }
    Ok(())
}

fn clone_spec(s: &SizeSpec) -> SizeSpec {
    SizeSpec {
        expr: s.expr.clone(),
        off: s.off,
        label: s.label.clone(),
    }
}

pub(super) fn check_passes(
    ctx: &mut Ctx,
    passes: &[RawPass],
    inputs: &[(Input, usize)],
    imported: &[(ImportedImage, usize)],
) -> Result<(), FormatError> {
    for pass in passes {
        if let Some((target, off)) = &pass.target {
            if inputs.iter().any(|(i, _)| i.name == *target) {
                return Err(ctx.error(
                    *off,
                    format!("pass TARGET \"{target}\" has the same name as an input"),
                ));
            }
            if imported.iter().any(|(i, _)| i.name == *target) {
                return Err(ctx.error(
                    *off,
                    format!("pass TARGET \"{target}\" has the same name as an imported image"),
                ));
            }
        }
        for spec in [&pass.width, &pass.height].into_iter().flatten() {
            for symbol in spec.expr.symbols() {
                if symbol == "WIDTH" || symbol == "HEIGHT" {
                    continue;
                }
                match inputs.iter().find(|(i, _)| i.name == symbol) {
                    None => {
                        return Err(ctx.error(
                            spec.off,
                            format!("{} refers to unknown input \"${symbol}\"", spec.label),
                        ))
                    }
                    Some((input, _)) => {
                        if !matches!(
                            input.ty,
                            InputType::Float { .. }
                                | InputType::Long { .. }
                                | InputType::Bool { .. }
                                | InputType::Event
                        ) {
                            return Err(ctx.error(
                                spec.off,
                                format!(
                                    "{} refers to input \"${symbol}\" of type {}; only float, long, bool and event inputs can be used",
                                    spec.label,
                                    input.ty.type_name()
                                ),
                            ));
                        }
                    }
                }
            }
        }
    }
    Ok(())
}
