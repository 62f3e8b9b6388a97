//! The header's JSON read into values that keep their byte offset in the file: strict JSON
//! first, else a tolerant reading (comments, trailing commas) with a warning.

use super::ctx::Ctx;
use super::header::Header;
use super::FormatError;

/// A JSON value with the byte offset (in the file) where it starts.
#[derive(Debug, Clone)]
pub(super) struct J {
    pub(super) off: usize,
    pub(super) v: JV,
}

#[derive(Debug, Clone)]
pub(super) enum JV {
    Null,
    Bool(bool),
    /// The value and its text as written.
    Num(f64, String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<Prop>),
}

#[derive(Debug, Clone)]
pub(super) struct Prop {
    pub(super) key: String,
    pub(super) value: J,
}

impl J {
    /// The value as plain JSON (numbers written as integers stay integers).
    pub(super) fn to_value(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.v {
            JV::Null => Value::Null,
            JV::Bool(b) => Value::Bool(*b),
            JV::Num(v, text) => text
                .parse::<i64>()
                .map(Value::from)
                .ok()
                .or_else(|| serde_json::Number::from_f64(*v).map(Value::Number))
                .unwrap_or(Value::Null),
            JV::Str(s) => Value::String(s.clone()),
            JV::Arr(items) => Value::Array(items.iter().map(J::to_value).collect()),
            JV::Obj(props) => Value::Object(
                props
                    .iter()
                    .map(|p| (p.key.clone(), p.value.to_value()))
                    .collect(),
            ),
        }
    }

    pub(super) fn as_obj(&self) -> Option<&[Prop]> {
        match &self.v {
            JV::Obj(p) => Some(p),
            _ => None,
        }
    }

    pub(super) fn as_str(&self) -> Option<&str> {
        match &self.v {
            JV::Str(s) => Some(s),
            _ => None,
        }
    }

    /// How the value reads in a message: `string "abc"`, `number 3`, `array of 2`, ...
    pub(super) fn describe(&self) -> String {
        match &self.v {
            JV::Null => "null".to_owned(),
            JV::Bool(b) => format!("boolean {b}"),
            JV::Num(_, text) => format!("number {text}"),
            JV::Str(s) => format!("string {s:?}"),
            JV::Arr(items) => format!("array of {}", items.len()),
            JV::Obj(_) => "object".to_owned(),
        }
    }
}

/// The value of `key` in `obj`: the exact (uppercase) key if present, else a case-insensitive
/// match. `null` counts as absent.
pub(super) fn get<'a>(obj: &'a [Prop], key: &str) -> Option<&'a J> {
    let prop = obj
        .iter()
        .find(|p| p.key == key)
        .or_else(|| obj.iter().find(|p| p.key.eq_ignore_ascii_case(key)))?;
    match prop.value.v {
        JV::Null => None,
        _ => Some(&prop.value),
    }
}

/// Strips serde_json's " at line X column Y" suffix.
fn strict_message(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

/// Byte offset in `text` of serde_json's 1-based line / column.
fn offset_of_line_col(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => break,
        }
    }
    let mut off = (start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(off) {
        off -= 1;
    }
    off
}

pub(super) fn parse_json(ctx: &mut Ctx, header: &Header) -> Result<J, FormatError> {
    // The JSON readers and the conversions below recurse once per level.
    let limit = crate::limits::MAX_JSON_DEPTH;
    if let Some(at) = crate::limits::json_too_deep(header.text, limit) {
        return Err(ctx.error(
            header.start + at,
            format!(
                "the ISF header nests arrays and objects deeper than the limit of {limit} levels"
            ),
        ));
    }
    let strict = serde_json::from_str::<serde_json::Value>(header.text);
    // Tolerate what hand-written headers commonly have (comments, trailing commas, unquoted
    // keys, 'single quotes', .5 and +1) but not a missing comma, which is usually a real
    // mistake VVISF would reject.
    let options = jsonc_parser::ParseOptions {
        allow_comments: true,
        allow_loose_object_property_names: true,
        allow_trailing_commas: true,
        allow_missing_commas: false,
        allow_single_quoted_strings: true,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: true,
        allow_bare_decimal_point_numbers: true,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let tolerant = jsonc_parser::parse_to_ast(
        header.text,
        &jsonc_parser::CollectOptions::default(),
        &options,
    )
    .ok()
    .and_then(|r| r.value);
    let root = match (strict, tolerant) {
        (Ok(_), Some(ast)) => from_ast(&ast, header.start),
        (Ok(value), None) => from_serde(&value, header.start),
        (Err(err), tolerant) => {
            let off = header.start + offset_of_line_col(header.text, err.line(), err.column());
            let message = strict_message(&err);
            match tolerant {
                Some(ast) => {
                    ctx.warn(
                        off,
                        format!("header is not strict JSON ({message}); parsed it tolerantly"),
                    );
                    from_ast(&ast, header.start)
                }
                None => {
                    return Err(ctx.error(off, format!("invalid JSON in ISF header: {message}")))
                }
            }
        }
    };
    if root.as_obj().is_none() {
        return Err(ctx.error(
            root.off,
            format!(
                "the ISF header must be a JSON object, found {}",
                root.describe()
            ),
        ));
    }
    Ok(root)
}

fn from_ast(value: &jsonc_parser::ast::Value, base: usize) -> J {
    use jsonc_parser::ast::{ObjectPropName, Value};
    use jsonc_parser::common::Ranged;
    let off = base + value.start();
    let v = match value {
        Value::StringLit(s) => JV::Str(s.value.to_string()),
        Value::NumberLit(n) => JV::Num(parse_number_text(n.value), n.value.to_owned()),
        Value::BooleanLit(b) => JV::Bool(b.value),
        Value::NullKeyword(_) => JV::Null,
        Value::Array(a) => JV::Arr(a.elements.iter().map(|e| from_ast(e, base)).collect()),
        Value::Object(o) => JV::Obj(
            o.properties
                .iter()
                .map(|p| Prop {
                    key: match &p.name {
                        ObjectPropName::String(s) => s.value.to_string(),
                        ObjectPropName::Word(w) => w.value.to_owned(),
                    },
                    value: from_ast(&p.value, base),
                })
                .collect(),
        ),
    };
    J { off, v }
}

/// Numbers as jsonc-parser lets them through (also `+1`, `.5`).
fn parse_number_text(text: &str) -> f64 {
    let (neg, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let v = if let Some(hex) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        i64::from_str_radix(hex, 16).map_or(f64::NAN, |v| v as f64)
    } else {
        body.parse::<f64>().unwrap_or(f64::NAN)
    };
    if neg {
        -v
    } else {
        v
    }
}

/// Fallback when only serde_json accepts the header: no positions beyond the header start.
fn from_serde(value: &serde_json::Value, off: usize) -> J {
    use serde_json::Value;
    let v = match value {
        Value::Null => JV::Null,
        Value::Bool(b) => JV::Bool(*b),
        Value::Number(n) => JV::Num(n.as_f64().unwrap_or(f64::NAN), n.to_string()),
        Value::String(s) => JV::Str(s.clone()),
        Value::Array(a) => JV::Arr(a.iter().map(|e| from_serde(e, off)).collect()),
        Value::Object(o) => JV::Obj(
            o.iter()
                .map(|(k, v)| Prop {
                    key: k.clone(),
                    value: from_serde(v, off),
                })
                .collect(),
        ),
    };
    J { off, v }
}
