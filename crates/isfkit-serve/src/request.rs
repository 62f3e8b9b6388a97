//! Reading a request's arguments (MCP tool arguments and HTTP JSON bodies are the same
//! objects) into checked values. Every refusal names the field and what was expected.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::config::{Limits, ServeConfig};
use crate::error::ServiceError;

/// Where a shader came from: its text, and its file when it was read from one (so its
/// `.vs` sibling and IMPORTED images resolve).
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub text: String,
    pub vertex: Option<String>,
    /// The checked file, under the allowed folder (`shader_path`).
    pub path: Option<PathBuf>,
    /// The dialect the client named (`dialect`); `None`: detected from the text.
    pub dialect: Option<isfkit_render::format::dialect::Dialect>,
}

impl Source {
    /// The name diagnostics use: the path as the client gave it, or `shader.fs`.
    pub fn display_name(&self) -> String {
        self.path
            .as_ref()
            .and_then(|p| p.file_name())
            .map_or_else(|| "shader.fs".into(), |n| n.to_string_lossy().into_owned())
    }
}

/// Output image format of a render.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
// Inline in the tools' schemas (some agents do not follow `$ref`), without this comment.
#[schemars(inline, description = "")]
pub enum Format {
    Png,
    Jpeg,
}

impl Format {
    pub fn mime(self) -> &'static str {
        match self {
            Format::Png => "image/png",
            Format::Jpeg => "image/jpeg",
        }
    }
}

/// A checked render request (the shader itself is checked by compiling it).
#[derive(Debug, Clone, PartialEq)]
pub struct RenderParams {
    pub source: Source,
    pub time_codes: Vec<f64>,
    pub width: u32,
    pub height: u32,
    pub quality: u8,
    pub format: Format,
    /// Input values as JSON, checked against the shader later ([`crate::shader`]).
    pub inputs: BTreeMap<String, Value>,
    /// Image inputs: name to the encoded image bytes (PNG or JPEG).
    pub images: BTreeMap<String, Vec<u8>>,
    /// Frames per second of a stateful shader's lead-in.
    pub fps: f64,
    pub deadline: std::time::Duration,
}

fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean {b}"),
        Value::Number(n) => format!("number {n}"),
        Value::String(s) => {
            let short: String = s.chars().take(40).collect();
            if short.len() < s.len() {
                format!("string \"{short}...\"")
            } else {
                format!("string \"{short}\"")
            }
        }
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

fn bad(field: &str, message: impl Into<String>) -> ServiceError {
    ServiceError::BadRequest {
        field: Some(field.to_owned()),
        message: message.into(),
    }
}

/// `field` is not what it must be: `WHAT must be EXPECTED, not V`.
fn wrong_type(field: &str, what: &str, expected: &str, v: &Value) -> ServiceError {
    bad(
        field,
        format!("{what} must be {expected}, not {}", describe(v)),
    )
}

/// The arguments as an object; `null` or absent arguments are an empty object.
pub fn object(args: &Value) -> Result<&Map<String, Value>, ServiceError> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    match args {
        Value::Object(m) => Ok(m),
        Value::Null => Ok(EMPTY.get_or_init(Map::new)),
        other => Err(ServiceError::BadRequest {
            field: None,
            message: format!(
                "the request must be a JSON object with the fields named in the API, not {}",
                describe(other)
            ),
        }),
    }
}

/// Refuses fields this request does not know (a typo like `widht` must not pass silently).
pub fn known_fields(args: &Map<String, Value>, known: &[&str]) -> Result<(), ServiceError> {
    for k in args.keys() {
        if !known.contains(&k.as_str()) {
            return Err(bad(
                k,
                format!("unknown field \"{k}\" (fields: {})", known.join(", ")),
            ));
        }
    }
    Ok(())
}

fn integer(
    args: &Map<String, Value>,
    field: &str,
    default: u64,
    min: u64,
    max: u64,
    limit_name: &str,
) -> Result<u64, ServiceError> {
    let Some(v) = args.get(field).filter(|v| !v.is_null()) else {
        return Ok(default);
    };
    let n = match v {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 1e19)
                .map(|f| f as u64)
        }),
        _ => None,
    };
    match n {
        Some(n) if n >= min && n <= max => Ok(n),
        Some(n) if n > max => Err(bad(
            field,
            format!("{field} {n} is over the limit of {max}{limit_name}"),
        )),
        _ => Err(wrong_type(
            field,
            field,
            &format!("an integer from {min} to {max}"),
            v,
        )),
    }
}

fn string<'a>(args: &'a Map<String, Value>, field: &str) -> Result<Option<&'a str>, ServiceError> {
    match args.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(v) => Err(wrong_type(field, field, "a string", v)),
    }
}

fn check_length(field: &str, text: &str, limits: &Limits) -> Result<(), ServiceError> {
    if text.len() > limits.max_source {
        return Err(bad(
            field,
            format!(
                "{field} is {} bytes, over the limit of {} bytes (--max-source)",
                text.len(),
                limits.max_source
            ),
        ));
    }
    Ok(())
}

/// Reads a file the client named, refusing anything outside the allowed folder.
fn read_allowed(field: &str, given: &str, config: &ServeConfig) -> Result<PathBuf, ServiceError> {
    let forbidden = |message: String| ServiceError::Forbidden {
        field: field.to_owned(),
        message,
    };
    let Some(root) = &config.allow_dir else {
        return Err(forbidden(format!(
            "{field} is not allowed: this server gives no file access (start it with --allow-dir DIR)"
        )));
    };
    let root = root.canonicalize().map_err(|e| {
        forbidden(format!(
            "the allowed folder {} cannot be read: {e}",
            root.display()
        ))
    })?;
    let joined = root.join(given);
    let real = joined.canonicalize().map_err(|_| {
        // Do not say whether a path outside the root exists.
        if lexically_inside(&root, &joined) {
            bad(
                field,
                format!("{field} \"{given}\" does not exist under the allowed folder"),
            )
        } else {
            forbidden(format!("{field} \"{given}\" is outside the allowed folder"))
        }
    })?;
    if !real.starts_with(&root) {
        return Err(forbidden(format!(
            "{field} \"{given}\" is outside the allowed folder"
        )));
    }
    if !real.is_file() {
        return Err(bad(field, format!("{field} \"{given}\" is not a file")));
    }
    Ok(real)
}

/// Whether `path` stays under `root` without following links (no `..` climbing out).
fn lexically_inside(root: &Path, path: &Path) -> bool {
    let mut depth: i64 = 0;
    let Ok(rest) = path.strip_prefix(root) else {
        return false;
    };
    for c in rest.components() {
        match c {
            std::path::Component::ParentDir => depth -= 1,
            std::path::Component::Normal(_) => depth += 1,
            std::path::Component::CurDir => {}
            _ => return false,
        }
        if depth < 0 {
            return false;
        }
    }
    true
}

fn read_limited(field: &str, path: &Path, limits: &Limits) -> Result<String, ServiceError> {
    let len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if len > limits.max_source as u64 {
        return Err(bad(
            field,
            format!(
                "the file is {len} bytes, over the limit of {} bytes (--max-source)",
                limits.max_source
            ),
        ));
    }
    let bytes =
        std::fs::read(path).map_err(|e| bad(field, format!("cannot read the file: {e}")))?;
    String::from_utf8(bytes).map_err(|_| bad(field, "the file is not UTF-8 text"))
}

/// `shader_content` or `shader_path` (exactly one), and `vertex_content`.
pub fn source(args: &Map<String, Value>, config: &ServeConfig) -> Result<Source, ServiceError> {
    let limits = &config.limits;
    let content = string(args, "shader_content")?;
    let path = string(args, "shader_path")?;
    let vertex = string(args, "vertex_content")?;
    if let Some(v) = vertex {
        check_length("vertex_content", v, limits)?;
    }
    let dialect = string(args, "dialect")?
        .filter(|d| !d.eq_ignore_ascii_case("auto"))
        .map(|d| {
            isfkit_render::format::dialect::Dialect::parse(d).ok_or_else(|| {
                bad(
                    "dialect",
                    format!(
                        "unknown dialect \"{d}\": give {} or auto (detect it; ISF is read as ISF)",
                        isfkit_render::format::dialect::Dialect::NAMES
                    ),
                )
            })
        })
        .transpose()?;
    match (content, path) {
        (Some(_), Some(_)) => Err(bad(
            "shader_path",
            "give shader_content or shader_path, not both",
        )),
        (None, None) => Err(bad(
            "shader_content",
            "missing field shader_content (the ISF shader's text), or shader_path",
        )),
        (Some(text), None) => {
            check_length("shader_content", text, limits)?;
            Ok(Source {
                text: text.to_owned(),
                vertex: vertex.map(str::to_owned),
                path: None,
                dialect,
            })
        }
        (None, Some(p)) => {
            let real = read_allowed("shader_path", p, config)?;
            let text = read_limited("shader_path", &real, limits)?;
            let vertex = match vertex {
                Some(v) => Some(v.to_owned()),
                None => match isfkit_render::vertex_shader_path(&real) {
                    Some(vs) if vs.starts_with(real.parent().unwrap_or(Path::new("/"))) => {
                        Some(read_limited("shader_path", &vs, limits)?)
                    }
                    _ => None,
                },
            };
            Ok(Source {
                text,
                vertex,
                path: Some(real),
                dialect,
            })
        }
    }
}

// The typed parameters of the tools (MCP) and routes (HTTP). The MCP tools' JSON Schemas are
// derived from them (`mcp::tools`), and the fields a request may have are theirs
// (`source_fields`, `render_fields`); the reading below names each field in its messages, and
// the tests check that it reads every field with the schema's default.

/// Default `width`.
pub const DEFAULT_WIDTH: u32 = 1920;
/// Default `height`.
pub const DEFAULT_HEIGHT: u32 = 1080;
/// Default `quality`.
pub const DEFAULT_QUALITY: u8 = 95;
/// Default `format` of `render_shader`, as isf-shader-renderer's tool answers (PNG).
pub const DEFAULT_FORMAT: Format = Format::Png;
/// Default `format` of `POST /render` when it answers JSON, as the older HTTP server answers.
pub const DEFAULT_HTTP_FORMAT: Format = Format::Jpeg;
/// Default `fps`.
pub const DEFAULT_FPS: f64 = 30.0;
/// Default `time_codes`.
pub const DEFAULT_TIME_CODES: [f64; 1] = [0.0];

/// The arguments of `validate_shader` and `get_shader_info` (`POST /validate`, `POST /info`):
/// the shader.
#[derive(Debug, Clone, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceArgs {
    /// The shader's text: an ISF .fs file (JSON header comment, then GLSL), or Shadertoy code (mainImage, or its JSON), a GLSL Sandbox shader or a gl-transition, read as ISF.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub shader_content: Option<String>,
    /// A .fs file under the server's --allow-dir folder, instead of shader_content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub shader_path: Option<String>,
    /// Optional custom vertex shader (.vs text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub vertex_content: Option<String>,
    /// The shader's dialect: auto (default: detected from the text), shadertoy, glslsandbox or gl-transition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub dialect: Option<String>,
}

/// What `render_shader` (`POST /render`) takes besides the shader.
#[derive(Debug, Clone, serde::Deserialize, schemars::JsonSchema)]
pub struct RenderOptions {
    /// Times in seconds to render, one frame each (default [0]; at most 10).
    #[serde(default = "default_time_codes")]
    pub time_codes: Vec<f64>,
    // No description: the name says it.
    #[serde(default = "default_width")]
    #[schemars(range(min = 1, max = 4096))]
    pub width: u32,
    #[serde(default = "default_height")]
    #[schemars(range(min = 1, max = 4096))]
    pub height: u32,
    /// JPEG quality.
    #[serde(default = "default_quality")]
    #[schemars(range(min = 1, max = 100))]
    pub quality: u8,
    /// Image format of the frames: png (default) or jpeg.
    #[serde(default = "default_format")]
    pub format: Format,
    /// Input values by name: numbers, booleans, [x, y], [r, g, b, a], or a long's label; or
    /// keys that move a value over the time codes.
    // One line for the schema's description (schemars keeps a doc comment's line breaks).
    #[schemars(
        description = "Input values by name: numbers, booleans, [x, y], [r, g, b, a], or a long's label; or keys that move a value over the time codes: {\"keys\": [[0, 0.0], [2, 1.0]], \"ease\": \"linear|ease-in|ease-out|ease-in-out\"}."
    )]
    #[serde(default)]
    pub inputs: BTreeMap<String, Value>,
    /// Image inputs by name: base64 PNG or JPEG.
    #[serde(default)]
    pub images: BTreeMap<String, String>,
    /// Frame rate of the frames a stateful shader renders before a requested time.
    #[serde(default = "default_fps")]
    pub fps: f64,
    /// Seconds the render may take (default 10, capped by the server).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "f64")]
    pub deadline: Option<f64>,
}

/// The arguments of `render_shader` (`POST /render`).
#[derive(Debug, Clone, serde::Deserialize, schemars::JsonSchema)]
#[schemars(extend("additionalProperties" = false))]
pub struct RenderArgs {
    #[serde(flatten)]
    pub source: SourceArgs,
    #[serde(flatten)]
    pub options: RenderOptions,
}

fn default_time_codes() -> Vec<f64> {
    DEFAULT_TIME_CODES.to_vec()
}
fn default_width() -> u32 {
    DEFAULT_WIDTH
}
fn default_height() -> u32 {
    DEFAULT_HEIGHT
}
fn default_quality() -> u8 {
    DEFAULT_QUALITY
}
fn default_format() -> Format {
    DEFAULT_FORMAT
}
fn default_fps() -> f64 {
    DEFAULT_FPS
}

/// The field names of a struct in the order it declares them, as its `Deserialize` derive
/// lists them (asked for with a deserializer that only records them).
fn field_names<T: serde::de::DeserializeOwned>() -> &'static [&'static str] {
    use serde::de::{Deserializer, Error, Visitor};
    use serde::forward_to_deserialize_any;
    struct Fields<'a>(&'a mut &'static [&'static str]);
    impl<'de> Deserializer<'de> for Fields<'_> {
        type Error = serde::de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(Self::Error::custom("not a struct"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            *self.0 = fields;
            Err(Self::Error::custom("fields recorded"))
        }
        forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }
    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(Fields(&mut fields));
    fields
}

/// The fields `validate_shader` and `get_shader_info` take ([`SourceArgs`]).
pub fn source_fields() -> &'static [&'static str] {
    static FIELDS: std::sync::OnceLock<&'static [&'static str]> = std::sync::OnceLock::new();
    FIELDS.get_or_init(field_names::<SourceArgs>)
}

/// The fields `render_shader` takes ([`RenderArgs`]: the shader's, then the options').
pub fn render_fields() -> &'static [&'static str] {
    static FIELDS: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    FIELDS.get_or_init(|| [source_fields(), field_names::<RenderOptions>()].concat())
}

fn number(v: &Value) -> Option<f64> {
    v.as_f64().filter(|f| f.is_finite())
}

/// Decodes base64 (standard or URL-safe alphabet; a `data:...;base64,` prefix is allowed).
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    let t = text.trim();
    let t = match t.strip_prefix("data:") {
        Some(rest) => rest.split_once(',').map(|(_, d)| d)?,
        None => t,
    };
    let t: String = t.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(&t)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(&t))
        .or_else(|_| base64::engine::general_purpose::URL_SAFE.decode(&t))
        .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(&t))
        .ok()
}

/// Reads a render request.
pub fn render(args: &Value, config: &ServeConfig) -> Result<RenderParams, ServiceError> {
    let limits = &config.limits;
    let args = object(args)?;
    known_fields(args, render_fields())?;
    let source = source(args, config)?;
    let width = integer(
        args,
        "width",
        DEFAULT_WIDTH as u64,
        1,
        limits.max_width as u64,
        " (--max-width)",
    )? as u32;
    let height = integer(
        args,
        "height",
        DEFAULT_HEIGHT as u64,
        1,
        limits.max_height as u64,
        " (--max-height)",
    )? as u32;
    let quality = integer(args, "quality", DEFAULT_QUALITY as u64, 1, 100, "")? as u8;
    let format = match string(args, "format")?
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None => DEFAULT_FORMAT,
        Some("png") => Format::Png,
        Some("jpeg" | "jpg") => Format::Jpeg,
        Some(other) => {
            return Err(bad(
                "format",
                format!("format must be \"png\" or \"jpeg\", not \"{other}\""),
            ))
        }
    };
    let time_codes: Vec<f64> = match args.get("time_codes") {
        None | Some(Value::Null) => DEFAULT_TIME_CODES.to_vec(),
        Some(Value::Array(a)) => {
            let mut out = Vec::with_capacity(a.len());
            for (i, v) in a.iter().enumerate() {
                match number(v) {
                    Some(t) if t.abs() <= 1e6 => out.push(t),
                    _ => {
                        return Err(wrong_type(
                            "time_codes",
                            &format!("time_codes[{i}]"),
                            "a number of seconds from -1e6 to 1e6",
                            v,
                        ))
                    }
                }
            }
            out
        }
        Some(v) => match number(v) {
            Some(t) if t.abs() <= 1e6 => vec![t],
            _ => {
                return Err(wrong_type(
                    "time_codes",
                    "time_codes",
                    "a list of times in seconds, like [0, 0.5]",
                    v,
                ))
            }
        },
    };
    if time_codes.is_empty() {
        return Err(bad(
            "time_codes",
            "time_codes is empty: give at least one time",
        ));
    }
    if time_codes.len() > limits.max_frames {
        return Err(bad(
            "time_codes",
            format!(
                "time_codes has {} times, over the limit of {} frames per request (--max-frames)",
                time_codes.len(),
                limits.max_frames
            ),
        ));
    }
    let pixels = width as u64 * height as u64 * time_codes.len() as u64;
    if pixels > limits.max_pixels {
        return Err(bad(
            "time_codes",
            format!(
                "{width}x{height} x {} frames is {pixels} pixels, over the limit of {} pixels per request (--max-pixels)",
                time_codes.len(),
                limits.max_pixels
            ),
        ));
    }
    let fps = match args.get("fps") {
        None | Some(Value::Null) => DEFAULT_FPS,
        Some(v) => match number(v) {
            Some(f) if f > 0.0 && f <= 1000.0 => f,
            _ => {
                return Err(wrong_type(
                    "fps",
                    "fps",
                    "a number above 0 and up to 1000",
                    v,
                ))
            }
        },
    };
    let deadline = match args.get("deadline") {
        None | Some(Value::Null) => limits.deadline,
        Some(v) => {
            let max = limits.max_deadline.as_secs_f64();
            match number(v) {
                Some(s) if s > 0.0 && s <= max => std::time::Duration::from_secs_f64(s),
                _ => {
                    return Err(wrong_type(
                        "deadline",
                        "deadline",
                        &format!("a number of seconds above 0 and up to {max} (--max-deadline)"),
                        v,
                    ))
                }
            }
        }
    };
    let inputs = match args.get("inputs") {
        None | Some(Value::Null) => BTreeMap::new(),
        Some(Value::Object(m)) => m.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        Some(v) => {
            return Err(wrong_type(
                "inputs",
                "inputs",
                "an object of input names to values, like {\"speed\": 0.5}",
                v,
            ))
        }
    };
    let images = match args.get("images") {
        None | Some(Value::Null) => BTreeMap::new(),
        Some(Value::Object(m)) => {
            let mut out = BTreeMap::new();
            for (k, v) in m {
                let field = format!("images.{k}");
                let Value::String(s) = v else {
                    return Err(wrong_type(&field, &field, "a base64 PNG or JPEG string", v));
                };
                let bytes = decode_base64(s)
                    .ok_or_else(|| bad(&field, format!("{field} is not valid base64")))?;
                out.insert(k.clone(), bytes);
            }
            out
        }
        Some(v) => {
            return Err(wrong_type(
                "images",
                "images",
                "an object of image input names to base64 PNG or JPEG",
                v,
            ))
        }
    };
    Ok(RenderParams {
        source,
        time_codes,
        width,
        height,
        quality,
        format,
        inputs,
        images,
        fps,
        deadline,
    })
}

/// Reads the shader of a validate or info request.
pub fn shader_only(args: &Value, config: &ServeConfig) -> Result<Source, ServiceError> {
    let args = object(args)?;
    known_fields(args, source_fields())?;
    source(args, config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn config() -> ServeConfig {
        ServeConfig::new("isf".into(), vec![])
    }

    fn err(args: Value) -> String {
        match render(&args, &config()) {
            Err(e) => e.to_string(),
            Ok(p) => panic!("accepted: {p:?}"),
        }
    }

    #[test]
    fn defaults_match_the_older_server() {
        let p = render(&json!({"shader_content": "x"}), &config()).unwrap();
        assert_eq!((p.width, p.height, p.quality), (1920, 1080, 95));
        // The tool's frames are PNG; `POST /render` asks for its JPEG default itself.
        assert_eq!(p.format, Format::Png);
        assert_eq!(p.time_codes, vec![0.0]);
    }

    /// The tools' JSON Schemas come from [`SourceArgs`] and [`RenderArgs`]; the reading here
    /// must take exactly their fields, with their defaults and bounds.
    #[test]
    fn the_reading_takes_the_schema_fields_defaults_and_bounds() {
        let schema = serde_json::to_value(schemars::schema_for!(RenderArgs)).unwrap();
        let props = schema["properties"].as_object().unwrap();
        let mut schema_fields: Vec<&str> = props.keys().map(String::as_str).collect();
        let mut fields = render_fields().to_vec();
        schema_fields.sort_unstable();
        fields.sort_unstable();
        assert_eq!(schema_fields, fields);
        let source_schema = serde_json::to_value(schemars::schema_for!(SourceArgs)).unwrap();
        let mut source: Vec<&str> = source_schema["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        source.sort_unstable();
        assert_eq!(
            source,
            ["dialect", "shader_content", "shader_path", "vertex_content"]
        );
        // Each field is read: a value of the wrong type is refused, naming the field.
        for field in render_fields() {
            let mut args = json!({ "shader_content": "x" });
            if *field == "shader_content" {
                args = json!({});
            }
            args[*field] = json!(true);
            match render(&args, &config()) {
                Err(ServiceError::BadRequest { field: f, .. }) => {
                    assert_eq!(f.as_deref(), Some(*field))
                }
                other => panic!("{field}: {other:?}"),
            }
        }
        // The schema's defaults are the reading's.
        let p = render(&json!({"shader_content": "x"}), &config()).unwrap();
        assert_eq!(props["width"]["default"], json!(p.width));
        assert_eq!(props["height"]["default"], json!(p.height));
        assert_eq!(props["quality"]["default"], json!(p.quality));
        assert_eq!(props["format"]["default"], json!(p.format));
        assert_eq!(props["time_codes"]["default"], json!(p.time_codes));
        assert_eq!(props["fps"]["default"], json!(p.fps));
        // Its bounds are the reading's with the default limits.
        let limits = Limits::default();
        for (field, min, max) in [
            ("width", 1, limits.max_width as u64),
            ("height", 1, limits.max_height as u64),
            ("quality", 1, 100),
        ] {
            assert_eq!(props[field]["minimum"], json!(min), "{field}");
            assert_eq!(props[field]["maximum"], json!(max), "{field}");
            for (n, ok) in [(min - 1, false), (min, true), (max, true), (max + 1, false)] {
                let args = json!({ "shader_content": "x", "width": 1, "height": 1, field: n });
                assert_eq!(render(&args, &config()).is_ok(), ok, "{field} {n}");
            }
        }
        let formats: Vec<Value> = ["png", "jpeg"]
            .iter()
            .filter(|f| render(&json!({"shader_content": "x", "format": f}), &config()).is_ok())
            .map(|f| json!(f))
            .collect();
        let mut schema_formats = props["format"]["enum"].as_array().unwrap().clone();
        schema_formats.sort_by_key(|v| v.to_string());
        let mut formats = formats;
        formats.sort_by_key(|v| v.to_string());
        assert_eq!(schema_formats, formats);
    }

    #[test]
    fn bad_fields_are_named() {
        assert_eq!(
            err(json!({"shader_content": "x", "width": "big"})),
            "width must be an integer from 1 to 4096, not string \"big\""
        );
        assert_eq!(
            err(json!({"shader_content": "x", "width": 100000})),
            "width 100000 is over the limit of 4096 (--max-width)"
        );
        assert_eq!(
            err(json!({"width": 10})),
            "missing field shader_content (the ISF shader's text), or shader_path"
        );
        assert_eq!(
            err(json!({"shader_content": "x", "widht": 10})),
            "unknown field \"widht\" (fields: shader_content, shader_path, vertex_content, dialect, time_codes, width, height, quality, format, inputs, images, fps, deadline)"
        );
        assert_eq!(
            err(json!({"shader_content": "x", "time_codes": [0, "a"]})),
            "time_codes[1] must be a number of seconds from -1e6 to 1e6, not string \"a\""
        );
        assert_eq!(
            err(json!({"shader_content": "x", "time_codes": [0,1,2,3,4,5,6,7,8,9,10]})),
            "time_codes has 11 times, over the limit of 10 frames per request (--max-frames)"
        );
        assert_eq!(
            err(json!({"shader_content": "x", "images": {"img": "%%%"}})),
            "images.img is not valid base64"
        );
        assert_eq!(
            err(json!([1, 2])),
            "the request must be a JSON object with the fields named in the API, not an array"
        );
        assert_eq!(
            err(json!({"shader_content": "x", "shader_path": "a.fs"})),
            "give shader_content or shader_path, not both"
        );
    }

    #[test]
    fn paths_need_an_allowed_root_and_stay_in_it() {
        assert_eq!(
            err(json!({"shader_path": "a.fs"})),
            "shader_path is not allowed: this server gives no file access (start it with --allow-dir DIR)"
        );
        let dir = std::env::temp_dir().join(format!("isfkit-serve-req-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("in")).unwrap();
        std::fs::write(dir.join("in/a.fs"), "void main(){}").unwrap();
        std::fs::write(dir.join("secret.fs"), "x").unwrap();
        let mut c = config();
        c.allow_dir = Some(dir.join("in"));
        let p = render(&json!({"shader_path": "a.fs"}), &c).unwrap();
        assert_eq!(p.source.text, "void main(){}");
        for outside in ["../secret.fs", "/etc/passwd", "../nope.fs"] {
            match render(&json!({ "shader_path": outside }), &c) {
                Err(e) => assert_eq!(
                    e.to_string(),
                    format!("shader_path \"{outside}\" is outside the allowed folder")
                ),
                Ok(_) => panic!("{outside} accepted"),
            }
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn base64_takes_data_urls() {
        assert_eq!(
            decode_base64("data:image/png;base64,aGk="),
            Some(b"hi".to_vec())
        );
    }
}
