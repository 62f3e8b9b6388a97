//! The IMPORTED section: images the shader loads from files, with their paths resolved.

use std::path::{Path, PathBuf};

use super::ctx::Ctx;
use super::json::{get, J, JV};
use super::sampling::{parse_flipped, parse_sampling};
use super::FormatError;
use crate::model::ImportedImage;

pub(super) fn parse_imported(
    ctx: &mut Ctx,
    j: Option<&J>,
    base_dir: Option<&Path>,
) -> Result<Vec<(ImportedImage, usize)>, FormatError> {
    let Some(j) = j else { return Ok(Vec::new()) };
    // (name from the key if any, the entry, label for messages)
    let entries: Vec<(Option<&str>, &J, String)> = match &j.v {
        JV::Obj(props) => props
            .iter()
            .map(|p| {
                (
                    Some(p.key.as_str()),
                    &p.value,
                    format!("IMPORTED \"{}\"", p.key),
                )
            })
            .collect(),
        JV::Arr(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| (None, item, format!("IMPORTED[{i}]")))
            .collect(),
        _ => {
            ctx.warn(
                j.off,
                format!(
                    "IMPORTED must be an object or an array, found {}; ignored",
                    j.describe()
                ),
            );
            return Ok(Vec::new());
        }
    };
    let mut out: Vec<(ImportedImage, usize)> = Vec::new();
    for (key, entry, label) in entries {
        let (name, path, name_off) = match &entry.v {
            JV::Str(path) if key.is_some() => {
                (key.map(str::to_owned), Some(path.clone()), entry.off)
            }
            JV::Obj(attrs) => {
                let name_off = get(attrs, "NAME").map_or(entry.off, |n| n.off);
                // The attribute `attr`, which must be a string when given.
                let string = |attr: &str| match get(attrs, attr) {
                    Some(j) => j
                        .as_str()
                        .map(|s| Some(s.to_owned()))
                        .ok_or_else(|| ctx.wrong_type(&format!("{label}: {attr}"), "a string", j)),
                    None => Ok(None),
                };
                let name = string("NAME")?.or_else(|| key.map(str::to_owned));
                let path = string("PATH")?;
                (name, path, name_off)
            }
            _ => {
                return Err(ctx.error(
                    entry.off,
                    format!(
                        "{label} must be an object with a PATH, found {}",
                        entry.describe()
                    ),
                ))
            }
        };
        let Some(name) = name else {
            return Err(ctx.error(entry.off, format!("{label} has no NAME")));
        };
        let Some(path) = path else {
            return Err(ctx.error(entry.off, format!("{label} has no PATH")));
        };
        if out.iter().any(|(i, _)| i.name == name) {
            return Err(ctx.error(
                entry.off,
                format!("duplicate imported image name \"{name}\""),
            ));
        }
        if let Some(attrs) = entry.as_obj() {
            parse_sampling(ctx, &label, &name, attrs, true)?;
            parse_flipped(ctx, &label, &name, attrs)?;
        }
        let resolved_path = match base_dir {
            Some(dir) => dir.join(&path),
            None => PathBuf::from(&path),
        };
        out.push((
            ImportedImage {
                name,
                path,
                resolved_path,
            },
            name_off,
        ));
    }
    Ok(out)
}
