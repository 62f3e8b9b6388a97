//! The INPUTS section: each input's type and attributes, normalised the way VVISF-GL does it.

use super::ctx::{fmt_num, Ctx};
use super::json::{get, Prop, J, JV};
use super::sampling::{ignore_flipped, ignore_sampling, parse_flipped, parse_sampling};
use super::FormatError;
use crate::model::{Input, InputType};

/// Parsed inputs with the offset of their NAME value.
pub(super) fn parse_inputs(
    ctx: &mut Ctx,
    j: Option<&J>,
) -> Result<Vec<(Input, usize)>, FormatError> {
    let Some(j) = j else { return Ok(Vec::new()) };
    let JV::Arr(items) = &j.v else {
        ctx.warn(
            j.off,
            format!("INPUTS must be an array, found {}; ignored", j.describe()),
        );
        return Ok(Vec::new());
    };
    let mut out: Vec<(Input, usize)> = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let Some((input, name_off)) = parse_input(ctx, index, item)? else {
            continue;
        };
        if out.iter().any(|(i, _)| i.name == input.name) {
            return Err(ctx.error(name_off, format!("duplicate input name \"{}\"", input.name)));
        }
        out.push((input, name_off));
    }
    Ok(out)
}

fn parse_input(
    ctx: &mut Ctx,
    index: usize,
    item: &J,
) -> Result<Option<(Input, usize)>, FormatError> {
    let Some(obj) = item.as_obj() else {
        ctx.warn(
            item.off,
            format!("INPUTS[{index}] is not an object; skipped"),
        );
        return Ok(None);
    };
    let name_j = get(obj, "NAME");
    let name = match name_j {
        None => {
            ctx.warn(item.off, format!("INPUTS[{index}] has no NAME; skipped"));
            return Ok(None);
        }
        Some(j) => match j.as_str() {
            Some(s) if !s.trim().is_empty() => s.to_owned(),
            _ => {
                ctx.warn(
                    j.off,
                    format!(
                        "INPUTS[{index}] has an invalid NAME ({}); skipped",
                        j.describe()
                    ),
                );
                return Ok(None);
            }
        },
    };
    let name_off = name_j.map_or(item.off, |j| j.off);
    let type_j = match get(obj, "TYPE") {
        Some(j) => j,
        None => {
            ctx.warn(
                item.off,
                format!("INPUTS[{index}] (\"{name}\") has no TYPE; skipped"),
            );
            return Ok(None);
        }
    };
    let Some(type_text) = type_j.as_str() else {
        ctx.warn(
            type_j.off,
            format!(
                "INPUTS[{index}] (\"{name}\") has an invalid TYPE ({}); skipped",
                type_j.describe()
            ),
        );
        return Ok(None);
    };
    let label = ctx.opt_string(&format!("input \"{name}\": LABEL"), get(obj, "LABEL"));
    let what = |key: &str| format!("input \"{name}\": {key}");

    let ty = match type_text.trim().to_ascii_lowercase().as_str() {
        "event" => InputType::Event,
        "bool" => {
            let default = match get(obj, "DEFAULT") {
                Some(j) => ctx.flag(&what("DEFAULT"), j, false)?,
                None => true,
            };
            let identity = get(obj, "IDENTITY")
                .map(|j| ctx.flag(&what("IDENTITY"), j, false))
                .transpose()?;
            InputType::Bool { default, identity }
        }
        "long" => parse_long(ctx, &name, obj)?,
        "float" => parse_float(ctx, &name, obj)?,
        "point2d" => {
            let (default, min, max, identity) = vector_attributes::<2>(ctx, &name, obj)?;
            InputType::Point2D {
                default,
                min,
                max,
                identity,
            }
        }
        "color" => {
            let (default, min, max, identity) = vector_attributes::<4>(ctx, &name, obj)?;
            InputType::Color {
                default,
                min,
                max,
                identity,
            }
        }
        "image" => InputType::Image,
        "audio" => InputType::Audio {
            max: parse_audio_max(ctx, &name, obj)?,
        },
        "audiofft" => parse_audio_fft(ctx, &name, obj)?,
        _ => {
            ctx.warn(
                type_j.off,
                format!("INPUTS[{index}] (\"{name}\") has unknown TYPE \"{type_text}\"; skipped"),
            );
            return Ok(None);
        }
    };
    if ty.is_texture() {
        let image = ty == InputType::Image;
        parse_sampling(ctx, &format!("input \"{name}\""), &name, obj, image)?;
        if ty == InputType::Image {
            parse_flipped(ctx, &format!("input \"{name}\""), &name, obj)?;
        } else {
            ignore_flipped(ctx, &format!("input \"{name}\""), obj);
        }
    } else {
        ignore_sampling(ctx, &format!("input \"{name}\""), obj);
    }
    Ok(Some((Input { name, label, ty }, name_off)))
}

/// A point2D's (`N` = 2) or color's (`N` = 4) DEFAULT, MIN, MAX and IDENTITY: arrays of `N`
/// numbers; DEFAULT is all zeros when absent or of another shape.
type Vectors<const N: usize> = (
    [f32; N],
    Option<[f32; N]>,
    Option<[f32; N]>,
    Option<[f32; N]>,
);

fn vector_attributes<const N: usize>(
    ctx: &mut Ctx,
    name: &str,
    obj: &[Prop],
) -> Result<Vectors<N>, FormatError> {
    let what = |key: &str| format!("input \"{name}\": {key}");
    let zeros = format!("using [{}]", ["0"; N].join(", "));
    let default = match get(obj, "DEFAULT") {
        Some(j) => ctx
            .vector::<N>(&what("DEFAULT"), j, &zeros)?
            .unwrap_or([0.0; N]),
        None => [0.0; N],
    };
    Ok((
        default,
        ctx.opt_vector::<N>(&what("MIN"), get(obj, "MIN"))?,
        ctx.opt_vector::<N>(&what("MAX"), get(obj, "MAX"))?,
        ctx.opt_vector::<N>(&what("IDENTITY"), get(obj, "IDENTITY"))?,
    ))
}

fn parse_float(ctx: &mut Ctx, name: &str, obj: &[Prop]) -> Result<InputType, FormatError> {
    let what = |key: &str| format!("input \"{name}\": {key}");
    let (min_j, max_j) = (get(obj, "MIN"), get(obj, "MAX"));
    let min = ctx.opt_float32(&what("MIN"), min_j)?;
    let max = ctx.opt_float32(&what("MAX"), max_j)?;
    let (mut lo, mut hi) = match (min, max) {
        (Some(a), Some(b)) => (a, b),
        (None, None) => (0.0, 1.0),
        (Some(_), None) => {
            ctx.warn(
                min_j.map_or(0, |j| j.off),
                format!("input \"{name}\": MIN without MAX; using the range 0..1"),
            );
            (0.0, 1.0)
        }
        (None, Some(_)) => {
            ctx.warn(
                max_j.map_or(0, |j| j.off),
                format!("input \"{name}\": MAX without MIN; using the range 0..1"),
            );
            (0.0, 1.0)
        }
    };
    if lo > hi {
        ctx.warn(
            min_j.map_or(0, |j| j.off),
            format!(
                "input \"{name}\": MIN {} is greater than MAX {}; swapped them",
                fmt_num(lo),
                fmt_num(hi)
            ),
        );
        std::mem::swap(&mut lo, &mut hi);
    }
    let default = match get(obj, "DEFAULT") {
        None => (lo + hi) / 2.0,
        Some(j) => {
            let v = ctx.float32(&what("DEFAULT"), j)?;
            clamp_warn(ctx, name, j.off, v, lo, hi)
        }
    };
    let identity = ctx.opt_float32(&what("IDENTITY"), get(obj, "IDENTITY"))?;
    Ok(InputType::Float {
        default: default as f32,
        min: lo as f32,
        max: hi as f32,
        identity: identity.map(|v| v as f32),
    })
}

fn clamp_warn(ctx: &mut Ctx, name: &str, off: usize, v: f64, lo: f64, hi: f64) -> f64 {
    let clamped = v.clamp(lo, hi);
    if clamped != v {
        ctx.warn(
            off,
            format!(
                "input \"{name}\": DEFAULT {} is outside {}..{}; clamped to {}",
                fmt_num(v),
                fmt_num(lo),
                fmt_num(hi),
                fmt_num(clamped)
            ),
        );
    }
    clamped
}

fn parse_long(ctx: &mut Ctx, name: &str, obj: &[Prop]) -> Result<InputType, FormatError> {
    let what = |key: &str| format!("input \"{name}\": {key}");
    let identity = ctx.opt_long(&what("IDENTITY"), get(obj, "IDENTITY"))?;
    let (values_j, labels_j) = (get(obj, "VALUES"), get(obj, "LABELS"));
    match (values_j.map(|j| &j.v), labels_j.map(|j| &j.v)) {
        (Some(JV::Arr(vs)), Some(JV::Arr(ls))) if vs.len() == ls.len() && !vs.is_empty() => {
            let mut values = Vec::with_capacity(vs.len());
            for (i, v) in vs.iter().enumerate() {
                values.push(ctx.long(&what(&format!("VALUES[{i}]")), v)?);
            }
            let mut labels = Vec::with_capacity(ls.len());
            for (i, l) in ls.iter().enumerate() {
                labels.push(match &l.v {
                    JV::Str(s) => s.clone(),
                    JV::Num(_, text) => text.clone(),
                    _ => {
                        return Err(ctx.error(
                            l.off,
                            format!(
                                "input \"{name}\": LABELS[{i}] must be a string, found {}",
                                l.describe()
                            ),
                        ))
                    }
                });
            }
            let min = values.iter().copied().min().unwrap_or(0);
            let max = values.iter().copied().max().unwrap_or(0);
            let default = match get(obj, "DEFAULT") {
                None => values[0],
                Some(j) => {
                    let d = ctx.long(&what("DEFAULT"), j)?;
                    if values.contains(&d) {
                        d
                    } else {
                        ctx.warn(
                            j.off,
                            format!(
                                "input \"{name}\": DEFAULT {d} is not one of VALUES; using {}",
                                values[0]
                            ),
                        );
                        values[0]
                    }
                }
            };
            return Ok(InputType::Long {
                default,
                min,
                max,
                values,
                labels,
                identity,
            });
        }
        (None, None) => {}
        _ => {
            let off = values_j.or(labels_j).map_or(0, |j| j.off);
            ctx.warn(
                off,
                format!("input \"{name}\": VALUES and LABELS must both be arrays of the same length; using MIN/MAX instead"),
            );
        }
    }
    let (min_j, max_j) = (get(obj, "MIN"), get(obj, "MAX"));
    let min = ctx.opt_long(&what("MIN"), min_j)?;
    let max = ctx.opt_long(&what("MAX"), max_j)?;
    let (mut lo, mut hi) = match (min, max) {
        (Some(a), Some(b)) => (a, b),
        (Some(a), None) => (a, a.max(1)),
        (None, Some(b)) => (b.min(0), b),
        (None, None) => (0, 1),
    };
    if lo > hi {
        ctx.warn(
            min_j.map_or(0, |j| j.off),
            format!("input \"{name}\": MIN {lo} is greater than MAX {hi}; swapped them"),
        );
        std::mem::swap(&mut lo, &mut hi);
    }
    let default = match get(obj, "DEFAULT") {
        None => lo,
        Some(j) => {
            let v = ctx.long(&what("DEFAULT"), j)?;
            clamp_warn(ctx, name, j.off, v as f64, lo as f64, hi as f64) as i32
        }
    };
    Ok(InputType::Long {
        default,
        min: lo,
        max: hi,
        values: Vec::new(),
        labels: Vec::new(),
        identity,
    })
}

/// An audioFFT input: its `MAX`, and isfkit's `LAYOUT` (`"isf"`, the default, or
/// `"shadertoy"`).
fn parse_audio_fft(ctx: &mut Ctx, name: &str, obj: &[Prop]) -> Result<InputType, FormatError> {
    let max = parse_audio_max(ctx, name, obj)?;
    let shadertoy = match get(obj, "LAYOUT") {
        None => false,
        Some(j) => match j.as_str().map(|s| s.trim().to_ascii_lowercase()).as_deref() {
            Some("isf") => false,
            Some("shadertoy") => true,
            _ => {
                return Err(ctx.wrong_type(
                    &format!("input \"{name}\": LAYOUT"),
                    "\"isf\" or \"shadertoy\"",
                    j,
                ))
            }
        },
    };
    if let (true, Some(m), Some(j)) = (shadertoy, max, get(obj, "MAX")) {
        if m != 512 {
            ctx.warn(
                j.off,
                format!("input \"{name}\": MAX {m} does not apply to Shadertoy's sound texture (512 wide); ignored"),
            );
        }
    }
    Ok(InputType::AudioFft {
        max: if shadertoy { None } else { max },
        shadertoy,
    })
}

fn parse_audio_max(ctx: &mut Ctx, name: &str, obj: &[Prop]) -> Result<Option<u32>, FormatError> {
    let Some(j) = get(obj, "MAX") else {
        return Ok(None);
    };
    let v = ctx.number(&format!("input \"{name}\": MAX"), j)?;
    let rounded = v.round();
    if rounded < 1.0 || rounded > u32::MAX as f64 {
        ctx.warn(
            j.off,
            format!(
                "input \"{name}\": MAX must be a positive integer, found {}; ignored",
                fmt_num(v)
            ),
        );
        return Ok(None);
    }
    Ok(Some(rounded as u32))
}
