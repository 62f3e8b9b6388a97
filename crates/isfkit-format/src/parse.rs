//! Parsing and validating an ISF file: the JSON header between the first `/*` and the first
//! `*/`, the v1 upgrade (PERSISTENT_BUFFERS), and the normalisation of inputs the way VVISF-GL
//! does it. Every error and warning points at a line and column of the user's file.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Severity};
use crate::expr::SizeExpr;
use crate::model::{ImportedImage, Input, InputType, IsfDocument, IsfVersion, Pass, ShaderKind};

/// A fatal problem with an ISF file: an error diagnostic, positioned in the file where
/// possible.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", .diagnostic)]
pub struct FormatError {
    pub diagnostic: Diagnostic,
    /// What went wrong, for callers that act on it (the CLI maps it to an exit code).
    pub kind: FormatErrorKind,
}

/// The kind of a [`FormatError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FormatErrorKind {
    /// The file could not be read (missing, a directory, no permission): an I/O problem.
    Unreadable,
    /// The text is not a valid ISF document (no header, bad JSON, bad values).
    Invalid,
}

impl FormatError {
    /// An invalid-document error with `diagnostic`.
    pub fn invalid(diagnostic: Diagnostic) -> FormatError {
        FormatError {
            diagnostic,
            kind: FormatErrorKind::Invalid,
        }
    }

    /// The message without position.
    pub fn message(&self) -> &str {
        &self.diagnostic.message
    }
}

const NO_HEADER: &str = "no ISF JSON header: the file must start with a /* { ... } */ comment";

/// An ISF file's header as written: its JSON (strict, else tolerant of comments and trailing
/// commas, as [`IsfDocument::parse`] reads it) and the byte range of the comment's text
/// (between `/*` and `*/`), for readers with rules of their own (the pyvvisf layer).
#[derive(Debug, Clone, PartialEq)]
pub struct RawHeader {
    pub json: serde_json::Value,
    pub text: std::ops::Range<usize>,
}

impl IsfDocument {
    /// The header of `source` without building the document; `Ok(None)` when the file has
    /// no `/* */` comment at all, a positioned error when its JSON is invalid.
    pub fn raw_header(source: &str) -> Result<Option<RawHeader>, FormatError> {
        if header_comment(source).is_none() {
            return Ok(None);
        }
        let mut ctx = Ctx {
            src: source,
            warnings: Vec::new(),
        };
        let header = extract_header(source)?;
        let root = parse_json(&mut ctx, &header)?;
        Ok(Some(RawHeader {
            json: root.to_value(),
            text: header.start..header.close,
        }))
    }

    /// Parses an ISF file's text. `IMPORTED` paths stay as written.
    pub fn parse(source: &str) -> Result<IsfDocument, FormatError> {
        Self::parse_with_base(source, None)
    }

    /// Parses an ISF file's text; `IMPORTED` paths are resolved against `base_dir` (the file's
    /// folder) when given.
    pub fn parse_with_base(
        source: &str,
        base_dir: Option<&Path>,
    ) -> Result<IsfDocument, FormatError> {
        let mut ctx = Ctx {
            src: source,
            warnings: Vec::new(),
        };
        let header = extract_header(source)?;
        let root = parse_json(&mut ctx, &header)?;
        let doc = build_document(&mut ctx, &root, base_dir)?;
        Ok(IsfDocument {
            warnings: ctx.warnings,
            code: blank_header_lines(source, header.close),
            source: source.to_owned(),
            ..doc
        })
    }

    /// Reads and parses the file at `path`; `IMPORTED` paths are resolved against its folder.
    pub fn parse_file(path: &Path) -> Result<IsfDocument, FormatError> {
        let bytes =
            crate::limits::read_file_capped(path, crate::limits::MAX_SHADER_BYTES, "shader file")
                .map_err(|err| FormatError {
                diagnostic: Diagnostic::bare(
                    Severity::Error,
                    format!("cannot read {}: {err}", path.display()),
                ),
                kind: FormatErrorKind::Unreadable,
            })?;
        let source = decode_glsl(&bytes).map_err(FormatError::invalid)?;
        Self::parse_with_base(&source, path.parent())
    }
}

/// GLSL source bytes as text, read the way GL drivers read them: bytes that are not UTF-8 are
/// ignored inside `//` and `/* */` comments (each becomes a space, so offsets, lines and
/// columns stay those of the file) and are an error, at their line and column, anywhere else.
pub fn decode_glsl(bytes: &[u8]) -> Result<String, Diagnostic> {
    let mut in_comment = vec![false; bytes.len()];
    for range in crate::comments::find_comments(bytes).ranges {
        in_comment[range].fill(true);
    }
    let mut out = bytes.to_vec();
    let mut pos = 0;
    loop {
        match std::str::from_utf8(&out[pos..]) {
            Ok(_) => break,
            Err(e) => {
                let bad = pos + e.valid_up_to();
                let len = e.error_len().unwrap_or(out.len() - bad);
                if in_comment[bad..bad + len].iter().all(|&c| c) {
                    out[bad..bad + len].fill(b' ');
                    pos = bad + len;
                } else {
                    let before = &bytes[..bad];
                    let line = before.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
                    let line_start = before
                        .iter()
                        .rposition(|&b| b == b'\n')
                        .map_or(0, |p| p + 1);
                    let column = String::from_utf8_lossy(&bytes[line_start..bad])
                        .chars()
                        .count() as u32
                        + 1;
                    let lossy = String::from_utf8_lossy(bytes);
                    return Err(Diagnostic::at(
                        Severity::Error,
                        &lossy,
                        line,
                        column,
                        format!(
                            "byte 0x{:02X} is not UTF-8 text; outside comments GLSL source must be ASCII or UTF-8",
                            bytes[bad]
                        ),
                    ));
                }
            }
        }
    }
    Ok(String::from_utf8(out).expect("invalid bytes were replaced"))
}

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
fn check_reserved_name(ctx: &Ctx, what: &str, name: &str, off: usize) -> Result<(), FormatError> {
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

// ---------------------------------------------------------------------------------------------
// Header extraction and JSON

struct Header<'s> {
    /// The text between `/*` and `*/`.
    text: &'s str,
    /// Byte offset of `text` in the file.
    start: usize,
    /// Byte offset of the closing `*/` in the file.
    close: usize,
}

/// `(open, close)`: the byte offsets of the first `/*` and of the first `*/` after it.
fn header_comment(source: &str) -> Option<(usize, usize)> {
    let open = source.find("/*")?;
    let close = open + 2 + source[open + 2..].find("*/")?;
    Some((open, close))
}

fn extract_header(source: &str) -> Result<Header<'_>, FormatError> {
    let (open, close) = header_comment(source).ok_or_else(|| {
        FormatError::invalid(Diagnostic::at(Severity::Error, source, 1, 1, NO_HEADER))
    })?;
    let start = open + 2;
    let text = &source[start..close];
    if text.trim().is_empty() {
        return Err(FormatError::invalid(Diagnostic::at_offset(
            Severity::Error,
            source,
            open,
            "the ISF JSON header is empty",
        )));
    }
    Ok(Header { text, start, close })
}

/// The file with every line up to and including the one holding `*/` emptied (newlines kept).
fn blank_header_lines(source: &str, close: usize) -> String {
    let end = source[close..]
        .find('\n')
        .map_or(source.len(), |i| close + i);
    let mut code: String = source[..end].chars().filter(|&c| c == '\n').collect();
    code.push_str(&source[end..]);
    code
}

/// A JSON value with the byte offset (in the file) where it starts.
#[derive(Debug, Clone)]
struct J {
    off: usize,
    v: JV,
}

#[derive(Debug, Clone)]
enum JV {
    Null,
    Bool(bool),
    /// The value and its text as written.
    Num(f64, String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<Prop>),
}

#[derive(Debug, Clone)]
struct Prop {
    key: String,
    value: J,
}

impl J {
    /// The value as plain JSON (numbers written as integers stay integers).
    fn to_value(&self) -> serde_json::Value {
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

    fn as_obj(&self) -> Option<&[Prop]> {
        match &self.v {
            JV::Obj(p) => Some(p),
            _ => None,
        }
    }

    fn as_str(&self) -> Option<&str> {
        match &self.v {
            JV::Str(s) => Some(s),
            _ => None,
        }
    }

    /// How the value reads in a message: `string "abc"`, `number 3`, `array of 2`, ...
    fn describe(&self) -> String {
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
fn get<'a>(obj: &'a [Prop], key: &str) -> Option<&'a J> {
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

fn parse_json(ctx: &mut Ctx, header: &Header) -> Result<J, FormatError> {
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

// ---------------------------------------------------------------------------------------------
// Validation context

struct Ctx<'s> {
    src: &'s str,
    warnings: Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn warn(&mut self, off: usize, message: impl Into<String>) {
        self.warnings.push(Diagnostic::at_offset(
            Severity::Warning,
            self.src,
            off,
            message,
        ));
    }

    fn error(&self, off: usize, message: impl Into<String>) -> FormatError {
        FormatError::invalid(Diagnostic::at_offset(
            Severity::Error,
            self.src,
            off,
            message,
        ))
    }

    /// A number; numeric strings are accepted with a warning. `what` starts the message
    /// (`input "speed": DEFAULT`).
    fn number(&mut self, what: &str, j: &J) -> Result<f64, FormatError> {
        match &j.v {
            JV::Num(v, _) if v.is_finite() => Ok(*v),
            // Only a literal past f64's range (`1e309`) reads as infinite.
            JV::Num(..) => Err(self.error(
                j.off,
                format!(
                    "{what}: {} is out of range (a number must be within ±1.7976931348623157e308)",
                    j.describe()
                ),
            )),
            JV::Str(s) => match s.trim().parse::<f64>() {
                Ok(v) if v.is_finite() => {
                    self.warn(
                        j.off,
                        format!("{what} is a string ({s:?}); read it as a number"),
                    );
                    Ok(v)
                }
                _ => Err(self.error(
                    j.off,
                    format!("{what} must be a number, found {}", j.describe()),
                )),
            },
            _ => Err(self.error(
                j.off,
                format!("{what} must be a number, found {}", j.describe()),
            )),
        }
    }

    /// A number for a float, point2D or color value, which the shader receives as a 32-bit
    /// float: beyond ±3.4028235e38 it would become infinite, so that is an error.
    fn float32(&mut self, what: &str, j: &J) -> Result<f64, FormatError> {
        let v = self.number(what, j)?;
        if v.abs() > f32::MAX as f64 {
            return Err(self.error(
                j.off,
                format!(
                    "{what}: {} is out of range for a 32-bit float (within ±{:e})",
                    j.describe(),
                    f32::MAX
                ),
            ));
        }
        Ok(v)
    }

    fn opt_float32(&mut self, what: &str, j: Option<&J>) -> Result<Option<f64>, FormatError> {
        j.map(|j| self.float32(what, j)).transpose()
    }

    /// A number for a long value (a 32-bit integer in the shader), rounded to the nearest
    /// integer; outside -2147483648..=2147483647 it is an error (it used to saturate).
    fn long(&mut self, what: &str, j: &J) -> Result<i32, FormatError> {
        let v = self.number(what, j)?.round();
        if !(i32::MIN as f64..=i32::MAX as f64).contains(&v) {
            return Err(self.error(
                j.off,
                format!(
                    "{what}: {} is out of range for a long ({} to {})",
                    j.describe(),
                    i32::MIN,
                    i32::MAX
                ),
            ));
        }
        Ok(v as i32)
    }

    fn opt_long(&mut self, what: &str, j: Option<&J>) -> Result<Option<i32>, FormatError> {
        j.map(|j| self.long(what, j)).transpose()
    }

    /// A boolean given as a boolean, a number (`> 0`, or `!= 0` when `nonzero`) or a string
    /// (`true`/`1`/`yes`, `false`/`0`/`no`).
    fn flag(&mut self, what: &str, j: &J, nonzero: bool) -> Result<bool, FormatError> {
        match &j.v {
            JV::Bool(b) => Ok(*b),
            JV::Num(v, _) => Ok(if nonzero { *v != 0.0 } else { *v > 0.0 }),
            JV::Str(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" => Ok(true),
                "false" | "0" | "no" => Ok(false),
                _ => Err(self.error(
                    j.off,
                    format!("{what} must be a boolean, found {}", j.describe()),
                )),
            },
            _ => Err(self.error(
                j.off,
                format!("{what} must be a boolean, found {}", j.describe()),
            )),
        }
    }

    /// An array of exactly `N` numbers; a wrong shape is a warning (`None`), a wrong element
    /// type an error.
    fn vector<const N: usize>(
        &mut self,
        what: &str,
        j: &J,
        fallback: &str,
    ) -> Result<Option<[f32; N]>, FormatError> {
        match &j.v {
            JV::Arr(items) if items.len() == N => {
                let mut out = [0.0f32; N];
                for (i, item) in items.iter().enumerate() {
                    out[i] = self.float32(&format!("{what}[{i}]"), item)? as f32;
                }
                Ok(Some(out))
            }
            _ => {
                self.warn(
                    j.off,
                    format!(
                        "{what} must be an array of {N} numbers, found {}; {fallback}",
                        j.describe()
                    ),
                );
                Ok(None)
            }
        }
    }

    fn opt_vector<const N: usize>(
        &mut self,
        what: &str,
        j: Option<&J>,
    ) -> Result<Option<[f32; N]>, FormatError> {
        match j {
            Some(j) => self.vector::<N>(what, j, "ignored"),
            None => Ok(None),
        }
    }

    /// An optional string attribute; other types are ignored with a warning.
    fn opt_string(&mut self, what: &str, j: Option<&J>) -> Option<String> {
        let j = j?;
        match &j.v {
            JV::Str(s) => Some(s.clone()),
            _ => {
                self.warn(
                    j.off,
                    format!("{what} must be a string, found {}; ignored", j.describe()),
                );
                None
            }
        }
    }
}

fn fmt_num(v: f64) -> String {
    format!("{v}")
}

// ---------------------------------------------------------------------------------------------
// The document

fn build_document(
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
        warnings: Vec::new(),
        code: String::new(),
        source: String::new(),
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

// ---------------------------------------------------------------------------------------------
// INPUTS

/// Parsed inputs with the offset of their NAME value.
fn parse_inputs(ctx: &mut Ctx, j: Option<&J>) -> Result<Vec<(Input, usize)>, FormatError> {
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
            let default = match get(obj, "DEFAULT") {
                Some(j) => ctx
                    .vector::<2>(&what("DEFAULT"), j, "using [0, 0]")?
                    .unwrap_or([0.0; 2]),
                None => [0.0; 2],
            };
            InputType::Point2D {
                default,
                min: ctx.opt_vector::<2>(&what("MIN"), get(obj, "MIN"))?,
                max: ctx.opt_vector::<2>(&what("MAX"), get(obj, "MAX"))?,
                identity: ctx.opt_vector::<2>(&what("IDENTITY"), get(obj, "IDENTITY"))?,
            }
        }
        "color" => {
            let default = match get(obj, "DEFAULT") {
                Some(j) => ctx
                    .vector::<4>(&what("DEFAULT"), j, "using [0, 0, 0, 0]")?
                    .unwrap_or([0.0; 4]),
                None => [0.0; 4],
            };
            InputType::Color {
                default,
                min: ctx.opt_vector::<4>(&what("MIN"), get(obj, "MIN"))?,
                max: ctx.opt_vector::<4>(&what("MAX"), get(obj, "MAX"))?,
                identity: ctx.opt_vector::<4>(&what("IDENTITY"), get(obj, "IDENTITY"))?,
            }
        }
        "image" => InputType::Image,
        "audio" => InputType::Audio {
            max: parse_audio_max(ctx, &name, obj)?,
        },
        "audiofft" => InputType::AudioFft {
            max: parse_audio_max(ctx, &name, obj)?,
        },
        _ => {
            ctx.warn(
                type_j.off,
                format!("INPUTS[{index}] (\"{name}\") has unknown TYPE \"{type_text}\"; skipped"),
            );
            return Ok(None);
        }
    };
    Ok(Some((Input { name, label, ty }, name_off)))
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

// ---------------------------------------------------------------------------------------------
// PASSES and PERSISTENT_BUFFERS

struct SizeSpec {
    expr: SizeExpr,
    off: usize,
    /// `PASSES[0].WIDTH` or `PERSISTENT_BUFFERS.name.WIDTH`, for messages.
    label: String,
}

struct RawPass {
    target: Option<(String, usize)>,
    persistent: bool,
    float: Option<bool>,
    width: Option<SizeSpec>,
    height: Option<SizeSpec>,
}

impl RawPass {
    fn finish(self) -> Pass {
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

fn parse_passes(ctx: &mut Ctx, j: Option<&J>) -> Result<Vec<RawPass>, FormatError> {
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

fn apply_persistent_buffers(
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

fn check_passes(
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

// ---------------------------------------------------------------------------------------------
// IMPORTED

fn parse_imported(
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
                let name = match get(attrs, "NAME") {
                    Some(n) => match n.as_str() {
                        Some(s) => Some(s.to_owned()),
                        None => {
                            return Err(ctx.error(
                                n.off,
                                format!("{label}: NAME must be a string, found {}", n.describe()),
                            ))
                        }
                    },
                    None => key.map(str::to_owned),
                };
                let path = match get(attrs, "PATH") {
                    Some(p) => match p.as_str() {
                        Some(s) => Some(s.to_owned()),
                        None => {
                            return Err(ctx.error(
                                p.off,
                                format!("{label}: PATH must be a string, found {}", p.describe()),
                            ))
                        }
                    },
                    None => None,
                };
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
