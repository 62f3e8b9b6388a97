//! Building the document from the header's JSON: the version, metadata and categories, then
//! each section (inputs, imported images, passes) and the checks across them.

use std::path::Path;

use super::ctx::Ctx;
use super::imported::parse_imported;
use super::inputs::parse_inputs;
use super::json::{get, J, JV};
use super::names::check_reserved_name;
use super::passes::{apply_persistent_buffers, check_passes, parse_passes, RawPass};
use super::FormatError;
use crate::model::{Input, InputType, IsfDocument, IsfVersion, ShaderKind};

pub(super) fn build_document(
    ctx: &mut Ctx,
    root: &J,
    base_dir: Option<&Path>,
) -> Result<IsfDocument, FormatError> {
    let obj = root.as_obj().unwrap_or_default();

    let isf_version = match get(obj, "ISFVSN") {
        None => IsfVersion::V1,
        Some(j) => {
            let text = match &j.v {
                JV::Str(s) => Some(s.trim().to_owned()),
                JV::Num(_, text) => Some(text.clone()),
                _ => {
                    ctx.warn(
                        j.off,
                        format!(
                            "ISFVSN must be a string or a number, found {}; ignored",
                            j.describe()
                        ),
                    );
                    None
                }
            };
            match text {
                None => IsfVersion::V1,
                Some(t) if t.parse::<f64>().is_ok_and(|v| v < 2.0) => IsfVersion::V1,
                Some(t) => IsfVersion::V2(t),
            }
        }
    };

    let vsn = match get(obj, "VSN") {
        None => None,
        Some(j) => match &j.v {
            JV::Str(s) => Some(s.clone()),
            JV::Num(_, text) => Some(text.clone()),
            _ => {
                ctx.warn(
                    j.off,
                    format!(
                        "VSN must be a string or a number, found {}; ignored",
                        j.describe()
                    ),
                );
                None
            }
        },
    };
    let description = ctx.opt_string("DESCRIPTION", get(obj, "DESCRIPTION"));
    let credit = ctx.opt_string("CREDIT", get(obj, "CREDIT"));
    let categories = parse_categories(ctx, get(obj, "CATEGORIES"));

    let inputs = parse_inputs(ctx, get(obj, "INPUTS"))?;
    let imported = parse_imported(ctx, get(obj, "IMPORTED"), base_dir)?;
    for (image, off) in &imported {
        if inputs.iter().any(|(i, _)| i.name == image.name) {
            return Err(ctx.error(
                *off,
                format!(
                    "imported image \"{}\" has the same name as an input",
                    image.name
                ),
            ));
        }
    }

    for (input, off) in &inputs {
        check_reserved_name(ctx, "input", &input.name, *off)?;
    }
    for (image, off) in &imported {
        check_reserved_name(ctx, "imported image", &image.name, *off)?;
    }
    let mut passes = parse_passes(ctx, get(obj, "PASSES"))?;
    if let Some(j) = get(obj, "PERSISTENT_BUFFERS") {
        apply_persistent_buffers(ctx, j, &mut passes)?;
    }
    for pass in &passes {
        if let Some((target, off)) = &pass.target {
            check_reserved_name(ctx, "pass TARGET", target, *off)?;
        }
    }
    check_passes(ctx, &passes, &inputs, &imported)?;

    let inputs: Vec<Input> = inputs.into_iter().map(|(i, _)| i).collect();
    let kind = shader_kind(&inputs);
    Ok(IsfDocument {
        isf_version,
        vsn,
        description,
        credit,
        categories,
        inputs,
        passes: passes.into_iter().map(RawPass::finish).collect(),
        imported: imported.into_iter().map(|(i, _)| i).collect(),
        kind,
        sampling: Default::default(),
        flipped: Default::default(),
        warnings: Vec::new(),
        code: String::new(),
        source: String::new(),
        origin: Default::default(),
        sound: None,
    })
}

fn parse_categories(ctx: &mut Ctx, j: Option<&J>) -> Vec<String> {
    let Some(j) = j else { return Vec::new() };
    match &j.v {
        JV::Str(s) => vec![s.clone()],
        JV::Arr(items) => items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| match &item.v {
                JV::Str(s) => Some(s.clone()),
                _ => {
                    ctx.warn(
                        item.off,
                        format!(
                            "CATEGORIES[{i}] must be a string, found {}; skipped",
                            item.describe()
                        ),
                    );
                    None
                }
            })
            .collect(),
        _ => {
            ctx.warn(
                j.off,
                format!(
                    "CATEGORIES must be an array of strings, found {}; ignored",
                    j.describe()
                ),
            );
            Vec::new()
        }
    }
}

fn shader_kind(inputs: &[Input]) -> ShaderKind {
    let has = |name: &str, pred: fn(&InputType) -> bool| {
        inputs.iter().any(|i| i.name == name && pred(&i.ty))
    };
    let image = |t: &InputType| matches!(t, InputType::Image);
    let float = |t: &InputType| matches!(t, InputType::Float { .. });
    if has("startImage", image) && has("endImage", image) && has("progress", float) {
        ShaderKind::Transition
    } else if has("inputImage", image) {
        ShaderKind::Filter
    } else {
        ShaderKind::Generator
    }
}
