//! isfkit's sampling keys, `FILTER` and `WRAP`, on the entries that name a texture (image and
//! audio inputs, `IMPORTED` images, pass targets), and `FLIPPED` on images.

use super::ctx::Ctx;
use super::json::{get, Prop, J};
use super::FormatError;
use crate::model::{Filter, Sampling, Wrap};

/// Reads `FILTER` and `WRAP` from the entry `obj`, described as `what` in messages
/// (`input "noise"`, `PASSES[1]`), and records them for texture `name` when either is given.
/// `image`: the texture is an image (it can have mip levels); `mipmap` on another is read
/// linearly, with a warning.
pub(super) fn parse_sampling(
    ctx: &mut Ctx,
    what: &str,
    name: &str,
    obj: &[Prop],
    image: bool,
) -> Result<(), FormatError> {
    let filter = get(obj, "FILTER");
    let wrap = get(obj, "WRAP");
    if filter.is_none() && wrap.is_none() {
        return Ok(());
    }
    let mut sampling = Sampling {
        filter: match filter {
            Some(j) => one_of(ctx, what, "FILTER", j, &Filter::ALL, Filter::name)?,
            None => Filter::default(),
        },
        wrap: match wrap {
            Some(j) => one_of(ctx, what, "WRAP", j, &Wrap::ALL, Wrap::name)?,
            None => Wrap::default(),
        },
    };
    let at = filter.or(wrap).map_or(0, |j| j.off);
    if sampling.filter == Filter::Mipmap && !image {
        ctx.warn(
            at,
            format!("{what}: FILTER \"mipmap\" applies to an image input or an imported image; this texture has one level and is read linearly"),
        );
        sampling.filter = Filter::Linear;
    }
    match ctx.sampling.get(name) {
        Some(earlier) if *earlier != sampling => ctx.warn(
            at,
            format!("{what}: \"{name}\" already has its FILTER and WRAP from an earlier entry; these are ignored"),
        ),
        Some(_) => {}
        None if sampling == Sampling::default() => {}
        None => {
            ctx.sampling.insert(name.to_owned(), sampling);
        }
    }
    Ok(())
}

/// Reads `FLIPPED` from the entry `obj` of image `name` (an image input or an imported
/// image), described as `what` in messages.
pub(super) fn parse_flipped(
    ctx: &mut Ctx,
    what: &str,
    name: &str,
    obj: &[Prop],
) -> Result<(), FormatError> {
    if let Some(j) = get(obj, "FLIPPED") {
        if ctx.flag(&format!("{what}: FLIPPED"), j, false)? {
            ctx.flipped.insert(name.to_owned());
        }
    }
    Ok(())
}

/// Warns that `FILTER`/`WRAP` on `obj` do nothing there (an entry that names no texture).
pub(super) fn ignore_sampling(ctx: &mut Ctx, what: &str, obj: &[Prop]) {
    for key in ["FILTER", "WRAP"] {
        if let Some(j) = get(obj, key) {
            ctx.warn(
                j.off,
                format!("{what}: {key} applies only to a texture (an image or audio input, an imported image, a pass with a TARGET); ignored"),
            );
        }
    }
    ignore_flipped(ctx, what, obj);
}

/// Warns that `FLIPPED` on `obj` does nothing there (an entry that names no image).
pub(super) fn ignore_flipped(ctx: &mut Ctx, what: &str, obj: &[Prop]) {
    if let Some(j) = get(obj, "FLIPPED") {
        ctx.warn(
            j.off,
            format!("{what}: FLIPPED applies only to an image input or an imported image; ignored"),
        );
    }
}

/// The value of `j` among `values` (by their `name`, any case), or the error listing them.
fn one_of<T: Copy>(
    ctx: &mut Ctx,
    what: &str,
    key: &str,
    j: &J,
    values: &[T],
    name: fn(T) -> &'static str,
) -> Result<T, FormatError> {
    let quoted: Vec<String> = values.iter().map(|&v| format!("\"{}\"", name(v))).collect();
    let choices = match quoted.as_slice() {
        [a, b] => format!("{a} or {b}"),
        _ => {
            let (last, rest) = quoted.split_last().expect("values are never empty");
            format!("{}, or {last}", rest.join(", "))
        }
    };
    let given = j.as_str().map(|s| s.trim().to_ascii_lowercase());
    values
        .iter()
        .copied()
        .find(|&v| given.as_deref() == Some(name(v)))
        .ok_or_else(|| ctx.wrong_type(&format!("{what}: {key}"), &choices, j))
}
