//! The shader dialects people already have, converted to ISF v2: Shadertoy (its JSON, or a
//! `.glsl` with `mainImage`), GLSL Sandbox and gl-transitions. A converted file keeps the
//! original's code and comments as written, line for line, between a generated header and a
//! little commented glue; [`Origin`] maps its lines back to the original's, so an error in a
//! converted shader is reported at the user's own line (and pass).
//!
//! Conversion is text in, text out: [`crate::IsfDocument::parse`] converts a source that is
//! not ISF but one of these, so every face renders them directly.

mod sandbox;
mod scan;
mod shadertoy;
mod transition;

use std::collections::BTreeSet;
use std::fmt;

use serde::Serialize;

use crate::{Diagnostic, FormatError, Severity};

/// A dialect isfkit converts to ISF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Dialect {
    Shadertoy,
    GlslSandbox,
    GlTransition,
}

impl Dialect {
    /// The names `--from` takes.
    pub const NAMES: &'static str = "shadertoy, glslsandbox, gl-transition";

    /// [`Dialect::parse`], or the message every face gives for a name it does not know.
    pub fn from_name(name: &str) -> Result<Dialect, String> {
        Dialect::parse(name)
            .ok_or_else(|| format!("unknown dialect '{name}': one of {}", Dialect::NAMES))
    }

    pub fn parse(name: &str) -> Option<Dialect> {
        match name.to_ascii_lowercase().as_str() {
            "shadertoy" => Some(Dialect::Shadertoy),
            "glslsandbox" | "glsl-sandbox" => Some(Dialect::GlslSandbox),
            "gl-transition" | "gl-transitions" | "transition" => Some(Dialect::GlTransition),
            _ => None,
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Dialect::Shadertoy => "Shadertoy",
            Dialect::GlslSandbox => "GLSL Sandbox",
            Dialect::GlTransition => "gl-transition",
        })
    }
}

/// The inputs a converted Shadertoy shader's `iMouse` reads: the position (point2D, pixels),
/// where the button went down (point2D, pixels) and whether it is down (bool). A window sets
/// them as Shadertoy's page does.
pub const SHADERTOY_MOUSE: MouseInputs = MouseInputs {
    position: "iMouseXY",
    click: "iMouseZW",
    down: "iMouseDown",
};

/// The image input a converted Shadertoy shader's keyboard channels read: Shadertoy's 256x3
/// key texture (all keys up when unset). A window sets it from its keys.
pub const SHADERTOY_KEYBOARD: &str = "keyboard";

/// The names of [`SHADERTOY_MOUSE`].
#[derive(Debug, Clone, Copy)]
pub struct MouseInputs {
    pub position: &'static str,
    pub click: &'static str,
    pub down: &'static str,
}

/// What a conversion is asked for.
#[derive(Debug, Clone, Default)]
pub struct ConvertOptions {
    /// The dialect, when not detected from the content.
    pub from: Option<Dialect>,
    /// Shadertoy's Common code, for a bare `.glsl` with `mainImage`.
    pub common: Option<String>,
    /// Folders to find Shadertoy's media in, by file name (`tex00.jpg`): a texture channel
    /// whose file is there becomes an IMPORTED image instead of an input to set.
    pub media_dirs: Vec<std::path::PathBuf>,
    /// The folder the ISF file will be in: IMPORTED paths inside it are written relative
    /// to it (others as found).
    pub relative_to: Option<std::path::PathBuf>,
}

/// One converted shader.
#[derive(Debug, Clone, PartialEq)]
pub struct Converted {
    /// A name for the file (the shader's or the transition's), without extension.
    pub name: String,
    pub dialect: Dialect,
    /// The ISF v2 file.
    pub isf: String,
    /// Where its lines came from.
    pub origin: Origin,
    /// What the conversion could not carry over exactly, one sentence each.
    pub warnings: Vec<String>,
    /// A Shadertoy Sound pass (`mainSound`), as an ISF generator of its own (see
    /// [`SoundProgram`]).
    pub sound: Option<SoundProgram>,
}

/// A Shadertoy Sound pass as an ISF generator: Common and the pass's code, and a `main()`
/// that makes each pixel one stereo sample (red left, green right, clamped to -1..1). The
/// pixel in column x of row y, counted from the top of a frame W pixels wide, is sample
/// `firstSample + y * W + x` at [`SOUND_SAMPLE_RATE`]: `mainSound(int samp, float time)` (or
/// the older `mainSound(float time)`) is called with it and its time in seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct SoundProgram {
    pub isf: String,
    /// Where its lines came from.
    pub origin: Origin,
}

/// Samples a second of a Shadertoy Sound pass (Shadertoy's `iSampleRate`).
pub const SOUND_SAMPLE_RATE: u32 = 44_100;
/// The long input of a [`SoundProgram`] that says which sample the frame starts at.
pub const SOUND_FIRST_SAMPLE: &str = "firstSample";

/// Where the lines of a converted file came from: each run of the original's lines, with the
/// pass it belongs to (`Buffer A`, `Common`) when the original held several.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    pub dialect: Option<Dialect>,
    segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Segment {
    /// First line in the converted file (1-based) and how many lines.
    first: u32,
    count: u32,
    /// The pass, for a source with several.
    place: Option<String>,
    /// The original's lines, as written.
    lines: Vec<String>,
    /// First line in the original (1-based).
    source_first: u32,
}

impl Origin {
    /// `diagnostic` (at a line of the converted file) moved to the original: its line, the
    /// line's text as written, and the pass. A line of generated glue is said to be one.
    pub fn locate(&self, diagnostic: &mut Diagnostic) {
        if diagnostic.line == 0 || self.dialect.is_none() {
            return;
        }
        let line = diagnostic.line;
        match self
            .segments
            .iter()
            .find(|s| line >= s.first && line < s.first + s.count)
        {
            Some(s) => {
                let k = line - s.first;
                diagnostic.line = s.source_first + k;
                diagnostic.place.clone_from(&s.place);
                if let Some(text) = s.lines.get(k as usize) {
                    diagnostic.set_source_line(text);
                }
            }
            None => {
                diagnostic.message = format!(
                    "{} (in the glue isfkit wrote around the {} code, line {line} of `isf convert`'s output)",
                    diagnostic.message,
                    self.dialect.map_or_else(String::new, |d| d.to_string())
                );
                diagnostic.line = 0;
                diagnostic.column = 0;
                diagnostic.source_line = None;
            }
        }
    }
}

/// Builds a converted file: generated text, and the user's code with its origin.
struct Writer {
    text: String,
    line: u32,
    origin: Origin,
}

impl Writer {
    fn new(dialect: Dialect) -> Writer {
        Writer {
            text: String::new(),
            line: 1,
            origin: Origin {
                dialect: Some(dialect),
                segments: Vec::new(),
            },
        }
    }

    /// Generated text; a line break is added when it lacks one.
    fn glue(&mut self, text: &str) {
        self.text.push_str(text);
        if !text.ends_with('\n') {
            self.text.push('\n');
        }
        self.line = self.text.matches('\n').count() as u32 + 1;
    }

    /// The user's `code` (from line `source_first` of `original`, of pass `place`), as
    /// `written` after the converter's edits (which keep its lines).
    fn user(&mut self, written: &str, original: &str, place: Option<&str>, source_first: u32) {
        let lines: Vec<String> = original.lines().map(str::to_owned).collect();
        self.origin.segments.push(Segment {
            first: self.line,
            count: written.lines().count() as u32,
            place: place.map(str::to_owned),
            lines,
            source_first,
        });
        self.glue(written);
    }

    fn finish(self) -> (String, Origin) {
        (self.text, self.origin)
    }
}

/// An input of a generated ISF header.
#[derive(Debug, Clone, Serialize)]
struct InputDecl {
    #[serde(rename = "NAME")]
    name: String,
    #[serde(rename = "TYPE")]
    ty: &'static str,
    #[serde(rename = "LABEL", skip_serializing_if = "Option::is_none")]
    label: Option<String>,
    #[serde(rename = "DEFAULT", skip_serializing_if = "Option::is_none")]
    default: Option<serde_json::Value>,
    #[serde(rename = "MIN", skip_serializing_if = "Option::is_none")]
    min: Option<serde_json::Value>,
    #[serde(rename = "MAX", skip_serializing_if = "Option::is_none")]
    max: Option<serde_json::Value>,
    #[serde(rename = "LAYOUT", skip_serializing_if = "Option::is_none")]
    layout: Option<&'static str>,
}

impl InputDecl {
    fn new(name: &str, ty: &'static str) -> InputDecl {
        InputDecl {
            name: name.to_owned(),
            ty,
            label: None,
            default: None,
            min: None,
            max: None,
            layout: None,
        }
    }
}

/// A pass of a generated ISF header.
#[derive(Debug, Clone, Default, Serialize)]
struct PassDecl {
    #[serde(rename = "TARGET", skip_serializing_if = "Option::is_none")]
    target: Option<String>,
    #[serde(rename = "PERSISTENT", skip_serializing_if = "std::ops::Not::not")]
    persistent: bool,
    #[serde(rename = "FLOAT", skip_serializing_if = "std::ops::Not::not")]
    float: bool,
}

/// A generated ISF header.
#[derive(Debug, Clone, Default)]
struct Header {
    description: String,
    credit: Option<String>,
    categories: Vec<&'static str>,
    inputs: Vec<InputDecl>,
    passes: Vec<PassDecl>,
    /// IMPORTED images: name and path.
    imported: Vec<(String, String)>,
    /// `FILTER`/`WRAP` of the textures (inputs, pass targets, imported images) that are not
    /// read linearly, clamped.
    sampling: std::collections::BTreeMap<String, crate::model::Sampling>,
    /// Images read upside down (`FLIPPED`).
    flipped: BTreeSet<String>,
}

impl Header {
    /// The header comment: one key per line, one input or pass per line.
    fn render(&self) -> String {
        let mut out = String::from("/*{\n    \"ISFVSN\": \"2\",\n");
        out.push_str(&format!(
            "    \"DESCRIPTION\": {},\n",
            json(&self.description)
        ));
        if let Some(credit) = &self.credit {
            out.push_str(&format!("    \"CREDIT\": {},\n", json(credit)));
        }
        out.push_str(&format!(
            "    \"CATEGORIES\": {},\n",
            json(&self.categories)
        ));
        let list = |items: Vec<String>| {
            if items.is_empty() {
                "[]".to_owned()
            } else {
                format!("[\n        {}\n    ]", items.join(",\n        "))
            }
        };
        let inputs = self
            .inputs
            .iter()
            .map(|i| self.with_sampling(json(i), Some(&i.name), ""))
            .collect();
        out.push_str(&format!("    \"INPUTS\": {}", list(inputs)));
        if !self.passes.is_empty() {
            let passes = self
                .passes
                .iter()
                .map(|p| self.with_sampling(json(p), p.target.as_deref(), ""))
                .collect();
            out.push_str(&format!(",\n    \"PASSES\": {}", list(passes)));
        }
        if !self.imported.is_empty() {
            let imported: Vec<String> = self
                .imported
                .iter()
                .map(|(name, path)| {
                    let entry = format!("{{\"PATH\": {}}}", json(path));
                    format!(
                        "{}: {}",
                        json(name),
                        self.with_sampling(entry, Some(name), " ")
                    )
                })
                .collect();
            out.push_str(&format!(
                ",\n    \"IMPORTED\": {{\n        {}\n    }}",
                imported.join(",\n        ")
            ));
        }
        out.push_str("\n}*/\n");
        out
    }
}

impl Header {
    /// The JSON object `entry` with `FILTER`/`WRAP`/`FLIPPED` after its own keys when texture
    /// `name` has them, written as the entry is (`sep` between a key and its value, and after
    /// a comma).
    fn with_sampling(&self, mut entry: String, name: Option<&str>, sep: &str) -> String {
        let Some(name) = name else {
            return entry;
        };
        let mut keys = Vec::new();
        if let Some(s) = self.sampling.get(name) {
            if s.filter != crate::model::Filter::default() {
                keys.push(format!("\"FILTER\":{sep}{}", json(s.filter.name())));
            }
            if s.wrap != crate::model::Wrap::default() {
                keys.push(format!("\"WRAP\":{sep}{}", json(s.wrap.name())));
            }
        }
        if self.flipped.contains(name) {
            keys.push(format!("\"FLIPPED\":{sep}true"));
        }
        if entry.ends_with('}') && !keys.is_empty() {
            entry.pop();
            if !entry.ends_with('{') {
                entry.push(',');
                entry.push_str(sep);
            }
            entry.push_str(&keys.join(&format!(",{sep}")));
            entry.push('}');
        }
        entry
    }
}

/// Compact JSON of a piece of a header.
fn json<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).expect("header pieces serialise")
}

/// The dialect `source` is written in, or `None` for ISF (a file whose first `/* */` comment
/// holds a JSON object) and for text that is none of them.
pub fn detect(source: &str) -> Option<Dialect> {
    if starts_as_isf(source) {
        return None;
    }
    if is_json(source) {
        return json_dialect(source);
    }
    if is_isf(source) {
        return None;
    }
    let names = scan::top_level_names(source);
    if names.contains("mainImage") {
        return Some(Dialect::Shadertoy);
    }
    if names.contains("transition")
        && scan::identifiers(source)
            .iter()
            .any(|w| matches!(*w, "getFromColor" | "getToColor"))
    {
        return Some(Dialect::GlTransition);
    }
    let sandbox_names = [
        "time",
        "resolution",
        "mouse",
        "backbuffer",
        "surfacePosition",
    ];
    let declared = scan::interface_declarations(source)
        .into_iter()
        .flat_map(|d| d.names)
        .any(|n| sandbox_names.contains(&n.as_str()));
    if names.contains("main") && declared {
        return Some(Dialect::GlslSandbox);
    }
    None
}

/// Whether `source` is read by converting it: one of the dialects, or JSON (which only a
/// dialect can be; the conversion says what is wrong with it). ISF files answer at once.
pub fn is_foreign(source: &str) -> bool {
    !starts_as_isf(source) && (is_json(source) || detect(source).is_some())
}

/// An ISF file's usual start, told without reading the rest: `/*` then a JSON object.
fn starts_as_isf(source: &str) -> bool {
    source.trim_start().starts_with("/*") && is_isf(source)
}

/// Whether `source` is JSON (a Shadertoy export or gl-transitions' package, or neither) rather
/// than shader code.
pub fn is_json(source: &str) -> bool {
    let masked = crate::mask_comments(source);
    let t = masked.trim_start();
    t.starts_with('{') || t.starts_with('[')
}

/// Whether `source` starts like an ISF file: its first `/* */` comment holds a JSON object.
fn is_isf(source: &str) -> bool {
    source
        .find("/*")
        .is_some_and(|open| source[open + 2..].trim_start().starts_with('{'))
}

/// The dialect of a JSON source: Shadertoy's (the API's `{"Shader": ...}`, the site's array
/// of shaders, one shader object) or gl-transitions' (the package's array, one transition).
fn json_dialect(source: &str) -> Option<Dialect> {
    let value: serde_json::Value = serde_json::from_str(source).ok()?;
    let first = match &value {
        serde_json::Value::Array(items) => items.first()?,
        other => other,
    };
    let obj = first.as_object()?;
    if obj.contains_key("Shader") || obj.contains_key("renderpass") {
        Some(Dialect::Shadertoy)
    } else if obj.contains_key("glsl") {
        Some(Dialect::GlTransition)
    } else {
        None
    }
}

/// Converts `source` (every shader it holds: a Shadertoy JSON file or the gl-transitions
/// package can hold many) to ISF.
pub fn convert_all(source: &str, options: &ConvertOptions) -> Result<Vec<Converted>, FormatError> {
    let dialect = match options.from {
        Some(d) => d,
        None => detect(source).ok_or_else(|| {
            error(if is_isf(source) {
                "this is already an ISF file".to_owned()
            } else if is_json(source) {
                "this JSON is neither a Shadertoy shader (an object with \"Shader\" or \"renderpass\", \
                 or an array of them) nor gl-transitions (objects with \"glsl\")"
                    .to_owned()
            } else {
                format!(
                    "cannot tell which dialect this is ({}): a Shadertoy shader defines mainImage, \
                     a gl-transition defines transition() and calls getFromColor/getToColor, a GLSL \
                     Sandbox shader declares uniforms named time, resolution or mouse (name one with --from)",
                    Dialect::NAMES
                )
            })
        })?,
    };
    match dialect {
        Dialect::Shadertoy => shadertoy::convert_all(source, options),
        Dialect::GlslSandbox => sandbox::convert(source).map(|c| vec![c]),
        Dialect::GlTransition => transition::convert_all(source),
    }
}

/// Converts `source`, which must hold one shader.
pub fn convert(source: &str, options: &ConvertOptions) -> Result<Converted, FormatError> {
    let mut all = convert_all(source, options)?;
    if all.len() != 1 {
        return Err(error(format!(
            "this file holds {} shaders; convert them with `isf convert FILE -o DIR/` and render one",
            all.len()
        )));
    }
    Ok(all.remove(0))
}

/// An error about the source as a whole.
fn error(message: impl Into<String>) -> FormatError {
    FormatError::invalid(Diagnostic::bare(Severity::Error, message))
}

/// A GLSL number, as ISF's JSON writes it.
fn number(v: f64) -> serde_json::Value {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        serde_json::json!(v as i64)
    } else {
        serde_json::json!(v)
    }
}

/// A file name made of `name` (letters, digits, `-` and `_` kept; others become `_`).
fn file_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if stem.is_empty() {
        "shader".to_owned()
    } else {
        stem
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_dialect_by_content() {
        let st = "void mainImage(out vec4 c, in vec2 f) { c = vec4(1.0); }";
        assert_eq!(detect(st), Some(Dialect::Shadertoy));
        let gt =
            "vec4 transition(vec2 uv) { return mix(getFromColor(uv), getToColor(uv), progress); }";
        assert_eq!(detect(gt), Some(Dialect::GlTransition));
        let gs = "uniform float time;\nuniform vec2 resolution;\nvoid main() { gl_FragColor = vec4(time); }";
        assert_eq!(detect(gs), Some(Dialect::GlslSandbox));
        let isf = "/*{\"INPUTS\": []}*/\nvoid main() { gl_FragColor = vec4(1.0); }";
        assert_eq!(detect(isf), None);
        assert_eq!(
            detect(r#"{"Shader": {"renderpass": []}}"#),
            Some(Dialect::Shadertoy)
        );
        assert_eq!(
            detect(r#"[{"name": "fade", "glsl": ""}]"#),
            Some(Dialect::GlTransition)
        );
        assert_eq!(detect("void main() { gl_FragColor = vec4(1.0); }"), None);
    }

    fn error_of(source: &str) -> String {
        match convert_all(source, &ConvertOptions::default()) {
            Ok(c) => panic!("converted: {}", c[0].isf),
            Err(e) => e.diagnostic.message,
        }
    }

    fn shadertoy_json(passes: &str) -> String {
        format!(r#"{{"Shader": {{"info": {{"id": "x", "name": "t"}}, "renderpass": [{passes}]}}}}"#)
    }

    const IMAGE: &str = r#"{"type": "image", "name": "Image", "code": "void mainImage(out vec4 c, in vec2 f) { c = vec4(1.0); }", "inputs": [INPUTS], "outputs": []}"#;

    #[test]
    fn a_buffer_read_with_two_samplings_keeps_the_one_that_is_not_the_default() {
        let read = |channel: u32, filter: &str| {
            format!(
                r#"{{"id": "a", "channel": {channel}, "type": "buffer", "sampler": {{"filter": "{filter}", "wrap": "clamp"}}}}"#
            )
        };
        let buffer = r#"{"type": "buffer", "name": "Buffer A", "code": "void mainImage(out vec4 c, in vec2 f) { c = vec4(1.0); }", "inputs": [], "outputs": [{"id": "a", "channel": 0}]}"#;
        let image = |first: &str, second: &str| {
            format!(
                r#"{{"type": "image", "name": "Image", "code": "void mainImage(out vec4 c, in vec2 f) {{ c = texture(iChannel0, f) + texture(iChannel1, f); }}", "inputs": [{}, {}], "outputs": []}}"#,
                read(0, first),
                read(1, second)
            )
        };
        let sampled =
            "{\"TARGET\":\"bufferA\",\"PERSISTENT\":true,\"FLOAT\":true,\"FILTER\":\"nearest\"}";
        let warning = "pass \"Image\" iChannel1 reads bufferA with another filter or wrap than another channel does; isfkit reads it one way: nearest, clamp";
        // The channel that asks for something other than the default wins, first or not.
        for (first, second) in [("nearest", "linear"), ("linear", "nearest")] {
            let c = convert(
                &shadertoy_json(&format!("{buffer}, {}", image(first, second))),
                &ConvertOptions::default(),
            )
            .unwrap();
            assert!(c.isf.contains(sampled), "{}", c.isf);
            assert_eq!(c.warnings, vec![warning]);
        }
    }

    #[test]
    fn a_texture_with_vflip_off_is_flipped() {
        let image = IMAGE.replace(
            "INPUTS",
            r#"{"id": "t", "channel": 0, "type": "texture", "filepath": "/media/a/rock.png",
                "sampler": {"filter": "mipmap", "wrap": "repeat", "vflip": "false"}}"#,
        );
        let c = convert(&shadertoy_json(&image), &ConvertOptions::default()).unwrap();
        assert!(
            c.isf.contains(
                r#"{"NAME":"iChannel0","TYPE":"image","LABEL":"Image iChannel0: texture rock.png","FILTER":"mipmap","WRAP":"repeat","FLIPPED":true}"#
            ),
            "{}",
            c.isf
        );
        let doc = crate::IsfDocument::parse(&c.isf).unwrap();
        assert!(doc.flipped.contains("iChannel0"));
    }

    #[test]
    fn bad_sources_get_a_clear_error() {
        assert_eq!(
            error_of(r#"{"name": "not a shader"}"#),
            "this JSON is neither a Shadertoy shader (an object with \"Shader\" or \"renderpass\", \
             or an array of them) nor gl-transitions (objects with \"glsl\")"
        );
        let missing = IMAGE.replace(
            "INPUTS",
            r#"{"id": "4dXGR8", "ctype": "buffer", "channel": 0}"#,
        );
        assert_eq!(
            error_of(&shadertoy_json(&missing)),
            "t: pass \"Image\" reads buffer 4dXGR8 on iChannel0, and no pass writes it"
        );
        let unknown = IMAGE.replace(
            "INPUTS",
            r#"{"id": "1", "ctype": "hologram", "channel": 1}"#,
        );
        assert_eq!(
            error_of(&shadertoy_json(&unknown)),
            "t: pass \"Image\" iChannel1 has type \"hologram\", which Shadertoy does not have"
        );
        let cube = IMAGE.replace("INPUTS", r#"{"id": "1", "ctype": "cubemap", "channel": 0}"#);
        assert_eq!(
            error_of(&shadertoy_json(&cube)),
            "t: pass \"Image\" reads a cubemap on iChannel0, which isf convert does not support yet"
        );
        let no_main = shadertoy_json(
            r#"{"type": "image", "name": "Image", "code": "void main() {}", "inputs": [], "outputs": []}"#,
        );
        assert_eq!(
            error_of(&no_main),
            "t: pass \"Image\" defines no mainImage(out vec4 fragColor, in vec2 fragCoord)"
        );
        assert_eq!(
            error_of(r#"[{"name": "fade", "glsl": "vec4 f(vec2 uv) { return vec4(0.0); }"}]"#),
            "fade: a gl-transition defines `vec4 transition(vec2 uv)`, and this code does not"
        );
        assert!(error_of("void main() { gl_FragColor = vec4(1.0); }")
            .starts_with("cannot tell which dialect this is"));
    }

    #[test]
    fn common_code_beside_a_bare_file_is_its_own_place() {
        let options = ConvertOptions {
            common: Some("// Common\nfloat f() { return glow; }\n".to_owned()),
            ..ConvertOptions::default()
        };
        let c = convert(
            "void mainImage(out vec4 o, in vec2 p) { o = vec4(f()); }\n",
            &options,
        )
        .unwrap();
        let line = c.isf.lines().position(|l| l.contains("glow")).unwrap() as u32 + 1;
        let mut d = Diagnostic::at(Severity::Error, &c.isf, line, 20, "Unknown variable: glow");
        c.origin.locate(&mut d);
        assert_eq!((d.place.as_deref(), d.line), (Some("Common"), 2));
        let line = c
            .isf
            .lines()
            .position(|l| l.contains("mainImage(out"))
            .unwrap() as u32
            + 1;
        let mut d = Diagnostic::at(Severity::Error, &c.isf, line, 1, "x");
        c.origin.locate(&mut d);
        assert_eq!((d.place.as_deref(), d.line), (None, 1));
    }

    #[test]
    fn diagnostics_move_to_the_original_line_and_pass() {
        let mut w = Writer::new(Dialect::Shadertoy);
        w.glue("/*{}*/\n#define X 1");
        w.user("a;\nb;\n", "a;\nb;\n", Some("Buffer A"), 10);
        w.glue("void main() {}");
        let (_, origin) = w.finish();
        let mut d = Diagnostic::at(Severity::Error, "", 4, 2, "bad");
        origin.locate(&mut d);
        assert_eq!((d.line, d.place.as_deref()), (11, Some("Buffer A")));
        assert_eq!(d.source_line.as_deref(), Some("b;"));
        let mut glue = Diagnostic::at(Severity::Error, "", 5, 1, "bad");
        origin.locate(&mut glue);
        assert_eq!(glue.line, 0);
        assert!(glue.message.contains("glue"), "{}", glue.message);
    }
}
