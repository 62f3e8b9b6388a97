//! gl-transitions (the npm package `gl-transitions`): a `.glsl` defining
//! `vec4 transition(vec2 uv)`, reading the two images through `getFromColor`/`getToColor`,
//! with `progress`, `ratio` and its own `uniform` parameters (defaults in a `// = value`
//! comment), or the package's `gl-transitions.json` (every transition, with its parameters'
//! types and defaults). The ISF file is a transition as VIDVOX's are: `startImage`, `endImage`
//! and `progress`, then each parameter with its own type.

use serde_json::Value;

use super::{error, file_stem, number, scan, Converted, Dialect, Header, InputDecl, Writer};
use crate::FormatError;

/// One transition: its name, code, and what the package says of it.
struct Transition<'a> {
    name: String,
    glsl: &'a str,
    author: Option<String>,
    license: Option<String>,
    /// The package's parameter types and defaults (a bare `.glsl` has neither).
    types: Option<&'a serde_json::Map<String, Value>>,
    defaults: Option<&'a serde_json::Map<String, Value>>,
}

/// Converts a `.glsl` transition, one transition object, or the package's array.
pub(super) fn convert_all(source: &str) -> Result<Vec<Converted>, FormatError> {
    let trimmed = crate::mask_comments(source);
    let trimmed = trimmed.trim_start();
    if !(trimmed.starts_with('{') || trimmed.starts_with('[')) {
        let t = Transition {
            name: "transition".to_owned(),
            glsl: source,
            author: comment_field(source, "Author"),
            license: comment_field(source, "License"),
            types: None,
            defaults: None,
        };
        return convert_one(&t).map(|c| vec![c]);
    }
    let value: Value = serde_json::from_str(source)
        .map_err(|e| error(format!("this gl-transitions JSON cannot be read: {e}")))?;
    let items = match &value {
        Value::Array(items) => items.iter().collect::<Vec<_>>(),
        one => vec![one],
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let field = |k: &str| item.get(k).and_then(Value::as_str);
        let glsl = field("glsl").ok_or_else(|| {
            error(format!(
                "transition {} of this JSON has no \"glsl\" string",
                i + 1
            ))
        })?;
        let t = Transition {
            name: field("name").map_or_else(|| format!("transition{}", i + 1), str::to_owned),
            glsl,
            author: field("author").map(str::to_owned),
            license: field("license").map(str::to_owned),
            types: item.get("paramsTypes").and_then(Value::as_object),
            defaults: item.get("defaultParams").and_then(Value::as_object),
        };
        out.push(convert_one(&t)?);
    }
    Ok(out)
}

/// `// Author: NAME` (or `License`) in the code's comments.
fn comment_field(glsl: &str, key: &str) -> Option<String> {
    glsl.lines().find_map(|l| {
        let l = l.trim().strip_prefix("//")?.trim();
        let rest = l.strip_prefix(key)?.trim_start().strip_prefix(':')?;
        Some(rest.trim().to_owned()).filter(|s| !s.is_empty())
    })
}

fn convert_one(t: &Transition) -> Result<Converted, FormatError> {
    let names = scan::top_level_names(t.glsl);
    if !names.contains("transition") {
        return Err(error(format!(
            "{}: a gl-transition defines `vec4 transition(vec2 uv)`, and this code does not",
            t.name
        )));
    }
    let declarations = scan::interface_declarations(t.glsl);
    let mut inputs = vec![
        InputDecl::new("startImage", "image"),
        InputDecl::new("endImage", "image"),
        InputDecl {
            default: Some(number(0.0)),
            min: Some(number(0.0)),
            max: Some(number(1.0)),
            ..InputDecl::new("progress", "float")
        },
    ];
    let mut glue = Vec::new();
    let mut commented = Vec::new();
    for d in declarations.iter().filter(|d| !d.range.is_empty()) {
        let qualifier = &t.glsl[d.range.start..];
        if !qualifier.starts_with("uniform") {
            continue;
        }
        commented.push(d.range.clone());
        for name in &d.names {
            if matches!(name.as_str(), "progress" | "ratio" | "from" | "to") {
                continue;
            }
            let ty = t
                .types
                .and_then(|m| m.get(name))
                .and_then(Value::as_str)
                .unwrap_or(&d.ty);
            let default = t
                .defaults
                .and_then(|m| m.get(name).cloned())
                .or_else(|| comment_default(t.glsl, d.range.end, ty));
            let (input, line) = parameter(&t.name, name, ty, default)?;
            inputs.push(input);
            glue.extend(line);
        }
    }
    let code = scan::comment_out(t.glsl, &commented);
    let credit = match (&t.author, &t.license) {
        (Some(a), Some(l)) => Some(format!("{a} (license: {l})")),
        (Some(a), None) => Some(a.clone()),
        (None, Some(l)) => Some(format!("license: {l}")),
        (None, None) => None,
    };
    let header = Header {
        description: format!(
            "{}: a transition from gl-transitions, converted by isf convert",
            t.name
        ),
        credit,
        categories: vec!["Transition"],
        inputs,
        passes: Vec::new(),
        imported: Vec::new(),
        sampling: Default::default(),
        flipped: Default::default(),
    };
    let mut w = Writer::new(Dialect::GlTransition);
    w.glue(&header.render());
    w.glue(
        "// gl-transitions glue (written by isf convert): the two images as the package's host\n\
         // gives them, the aspect ratio, and the parameters whose GLSL type ISF has not.\n\
         vec4 getFromColor(vec2 uv) { return IMG_NORM_PIXEL(startImage, uv); }\n\
         vec4 getToColor(vec2 uv) { return IMG_NORM_PIXEL(endImage, uv); }\n\
         float ratio = RENDERSIZE.x / RENDERSIZE.y;",
    );
    for line in glue {
        w.glue(&line);
    }
    w.glue("// ---- the transition's code, as written ----");
    w.user(&code, t.glsl, None, 1);
    w.glue("void main() {\n    gl_FragColor = transition(isf_FragNormCoord.xy);\n}");
    let (isf, origin) = w.finish();
    Ok(Converted {
        name: file_stem(&t.name),
        dialect: Dialect::GlTransition,
        isf,
        origin,
        warnings: Vec::new(),
        sound: None,
    })
}

/// The ISF input for parameter `name` of GLSL type `ty`, and the glue line that gives the code
/// its type back where ISF's differs.
fn parameter(
    transition: &str,
    name: &str,
    ty: &str,
    default: Option<Value>,
) -> Result<(InputDecl, Option<String>), FormatError> {
    let nums = |v: &Option<Value>, n: usize, fill: f64| -> Option<Value> {
        let v = v.as_ref()?;
        let mut out: Vec<f64> = match v {
            Value::Array(a) => a.iter().filter_map(Value::as_f64).collect(),
            other => vec![other.as_f64()?; n],
        };
        out.resize(n, fill);
        Some(Value::Array(out.into_iter().map(number).collect()))
    };
    let (isf_type, default, glue) = match ty {
        "float" => (
            "float",
            default.and_then(|v| v.as_f64()).map(number),
            None,
        ),
        "int" => (
            "long",
            default.and_then(|v| v.as_f64()).map(|v| number(v.round())),
            None,
        ),
        "bool" => (
            "bool",
            default.map(|v| Value::Bool(v.as_bool().unwrap_or(v.as_f64().is_some_and(|f| f != 0.0)))),
            None,
        ),
        "vec2" => ("point2D", nums(&default, 2, 0.0), None),
        "vec4" => ("color", nums(&default, 4, 0.0), None),
        "vec3" => (
            "color",
            nums(&default, 3, 0.0).map(|v| {
                let mut a = v.as_array().cloned().unwrap_or_default();
                a.push(number(1.0));
                Value::Array(a)
            }),
            Some(format!(
                "#define {name} ({name}.rgb)  // a vec3: the ISF color input's red, green and blue"
            )),
        ),
        "ivec2" => (
            "point2D",
            nums(&default, 2, 0.0),
            Some(format!(
                "#define {name} ivec2({name})  // an ivec2: the ISF point2D input, whole numbers"
            )),
        ),
        "sampler2D" => ("image", None, None),
        other => {
            return Err(error(format!(
                "{transition}: parameter `{name}` is a {other}, which isf convert cannot give an ISF input"
            )))
        }
    };
    // ISF clamps a number to MIN..MAX (0..1 when absent): a range that holds the default
    // with room on both sides.
    let (min, max) = match (isf_type, default.as_ref().and_then(Value::as_f64)) {
        ("float", d) => {
            let d = d.unwrap_or(0.0);
            (
                Some(number((2.0 * d).min(0.0))),
                Some(number((2.0 * d).max(1.0))),
            )
        }
        ("long", d) => {
            let d = d.unwrap_or(0.0);
            (
                Some(number((2.0 * d).min(0.0))),
                Some(number((2.0 * d).max(10.0))),
            )
        }
        _ => (None, None),
    };
    let input = InputDecl {
        default,
        min,
        max,
        ..InputDecl::new(name, isf_type)
    };
    Ok((input, glue))
}

/// The default in a `// = value` or `/* = value */` comment after a declaration ending at
/// `end` (on its line), as JSON.
fn comment_default(glsl: &str, end: usize, ty: &str) -> Option<Value> {
    let line_start = glsl[..end].rfind('\n').map_or(0, |i| i + 1);
    let line_end = glsl[end..].find('\n').map_or(glsl.len(), |i| end + i);
    let line = &glsl[line_start..line_end];
    let at = line.find("//").or_else(|| line.find("/*"))?;
    let text = line[at + 2..].trim_start().strip_prefix('=')?;
    let text = text.trim().trim_end_matches(';').trim_end();
    let text = text.trim_end_matches("*/").trim_end().trim_end_matches(';');
    match text {
        "true" => return Some(Value::Bool(true)),
        "false" => return Some(Value::Bool(false)),
        _ => {}
    }
    let args = match text.find('(') {
        Some(open) => text[open + 1..].trim_end().strip_suffix(')')?,
        None => text,
    };
    let values: Option<Vec<f64>> = args
        .split(',')
        .map(|a| a.trim().trim_end_matches(['f', 'F']).parse::<f64>().ok())
        .collect();
    let values = values?;
    let width = match ty {
        "vec2" | "ivec2" => 2,
        "vec3" => 3,
        "vec4" => 4,
        _ => 1,
    };
    if width == 1 {
        return values.first().map(|&v| number(v));
    }
    let values = if values.len() == 1 {
        vec![values[0]; width]
    } else {
        values
    };
    Some(Value::Array(values.into_iter().map(number).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_come_from_the_declarations_comments() {
        let glsl = "uniform float a; // = 50.0\nuniform vec3 c /* = vec3(0.9, 0.4, 0.2) */;\nuniform ivec2 s; // = ivec2(4)\nuniform bool b; // = true\n";
        let d = scan::interface_declarations(glsl);
        assert_eq!(
            comment_default(glsl, d[0].range.end, "float"),
            Some(number(50.0))
        );
        assert_eq!(
            comment_default(glsl, d[1].range.end, "vec3"),
            Some(serde_json::json!([0.9, 0.4, 0.2]))
        );
        assert_eq!(
            comment_default(glsl, d[2].range.end, "ivec2"),
            Some(serde_json::json!([4, 4]))
        );
        assert_eq!(
            comment_default(glsl, d[3].range.end, "bool"),
            Some(Value::Bool(true))
        );
    }
}
