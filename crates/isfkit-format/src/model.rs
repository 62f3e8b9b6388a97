//! The ISF document model: what a parsed `.fs` file declares.
//!
//! Everything here is plain data: no GPU, no GLSL. Positions are 1-based line and column in
//! the user's own file.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use crate::diag::Diagnostic;
use crate::expr::SizeExpr;

/// The ISF version a file declares. Files without `ISFVSN` are version 1 and are upgraded on
/// load (PERSISTENT_BUFFERS become persistent pass targets, `vv_` names are accepted).
#[derive(Debug, Clone, PartialEq)]
pub enum IsfVersion {
    V1,
    /// Version 2 or later, with the version string as written (`"2.0"`, `2`).
    V2(String),
}

impl Serialize for IsfVersion {
    /// As the version string: `"1"` for v1 files, the written version otherwise.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            IsfVersion::V1 => s.serialize_str("1"),
            IsfVersion::V2(v) => s.serialize_str(v),
        }
    }
}

/// What a shader is, from VVISF's input conventions: a filter has an image input named
/// `inputImage`; a transition has `startImage`, `endImage` and a float `progress`; anything
/// else generates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ShaderKind {
    Generator,
    Filter,
    Transition,
}

/// One entry of `INPUTS`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Input {
    pub name: String,
    pub label: Option<String>,
    #[serde(flatten)]
    pub ty: InputType,
}

/// The type of an input with its type-specific attributes, already normalised the way
/// VVISF-GL normalises them (ranges defaulted, defaults clamped).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum InputType {
    Event,
    Bool {
        default: bool,
        identity: Option<bool>,
    },
    /// `values`/`labels` are non-empty only when both were given with equal length; then the
    /// input is a pop-up menu and `min`/`max` span the values.
    Long {
        default: i32,
        min: i32,
        max: i32,
        values: Vec<i32>,
        labels: Vec<String>,
        identity: Option<i32>,
    },
    Float {
        default: f32,
        min: f32,
        max: f32,
        identity: Option<f32>,
    },
    #[serde(rename = "point2D")]
    Point2D {
        default: [f32; 2],
        min: Option<[f32; 2]>,
        max: Option<[f32; 2]>,
        identity: Option<[f32; 2]>,
    },
    Color {
        default: [f32; 4],
        min: Option<[f32; 4]>,
        max: Option<[f32; 4]>,
        identity: Option<[f32; 4]>,
    },
    Image,
    /// `max`: number of samples per channel the shader asks for (`MAX`), if any.
    Audio {
        max: Option<u32>,
    },
    /// `max`: number of FFT bins the shader asks for (`MAX`), if any. `shadertoy`: isfkit's
    /// `"LAYOUT": "shadertoy"`, Shadertoy's 512x2 sound texture (row 0 the spectrum in Web
    /// Audio's decibel scale, row 1 the waveform, mono) instead of the ISF Editor's spectrum
    /// per channel; `MAX` does not apply to it.
    #[serde(rename = "audioFFT")]
    AudioFft {
        max: Option<u32>,
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        shadertoy: bool,
    },
}

impl InputType {
    /// The ISF spelling of the type (`"float"`, `"point2D"`, `"audioFFT"`, ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            InputType::Event => "event",
            InputType::Bool { .. } => "bool",
            InputType::Long { .. } => "long",
            InputType::Float { .. } => "float",
            InputType::Point2D { .. } => "point2D",
            InputType::Color { .. } => "color",
            InputType::Image => "image",
            InputType::Audio { .. } => "audio",
            InputType::AudioFft { .. } => "audioFFT",
        }
    }

    /// True for inputs that are sampled as textures (image, audio, audioFFT).
    pub fn is_texture(&self) -> bool {
        matches!(
            self,
            InputType::Image | InputType::Audio { .. } | InputType::AudioFft { .. }
        )
    }
}

/// One entry of `PASSES` (after the v1 upgrade merged `PERSISTENT_BUFFERS` into it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pass {
    /// The buffer this pass renders into; `None` for the final output.
    pub target: Option<String>,
    pub persistent: bool,
    /// 32-bit float target.
    pub float: bool,
    /// `WIDTH` expression; `None` means the render width.
    pub width: Option<SizeExpr>,
    /// `HEIGHT` expression; `None` means the render height.
    pub height: Option<SizeExpr>,
}

/// One entry of `IMPORTED`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportedImage {
    pub name: String,
    /// `PATH` as written in the file.
    pub path: String,
    /// `PATH` resolved against the shader file's folder (as written when the document has no
    /// folder).
    pub resolved_path: PathBuf,
}

/// How a texture is sampled: isfkit's extension keys `FILTER` and `WRAP` on an image, audio
/// or audioFFT input, an `IMPORTED` image or a pass with a `TARGET`. Without them a texture is
/// read as VVISF reads it, linearly and clamped to the edge; hosts that do not know the keys
/// ignore them and sample that way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Sampling {
    pub filter: Filter,
    pub wrap: Wrap,
}

/// `FILTER`: how a read between texel centres is filtered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Filter {
    #[default]
    Linear,
    Nearest,
    /// Linear, from a chain of mip levels made when the image is uploaded (trilinear), for
    /// an image input or an imported image; a pass target has one level and reads linearly.
    Mipmap,
}

/// `WRAP`: what a read outside 0..1 returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Wrap {
    /// The edge texel (GL's CLAMP_TO_EDGE).
    #[default]
    Clamp,
    /// The texture tiles (GL's REPEAT).
    Repeat,
    /// The texture tiles, every other copy mirrored (GL's MIRRORED_REPEAT).
    Mirror,
}

impl Filter {
    /// Every value, in the order messages list them.
    pub const ALL: [Filter; 3] = [Filter::Linear, Filter::Nearest, Filter::Mipmap];

    /// The value as written in a file.
    pub fn name(self) -> &'static str {
        match self {
            Filter::Linear => "linear",
            Filter::Nearest => "nearest",
            Filter::Mipmap => "mipmap",
        }
    }
}

impl Wrap {
    /// Every value, in the order messages list them.
    pub const ALL: [Wrap; 3] = [Wrap::Clamp, Wrap::Repeat, Wrap::Mirror];

    /// The value as written in a file.
    pub fn name(self) -> &'static str {
        match self {
            Wrap::Clamp => "clamp",
            Wrap::Repeat => "repeat",
            Wrap::Mirror => "mirror",
        }
    }
}

/// A parsed ISF document.
#[derive(Debug, Clone, Serialize)]
pub struct IsfDocument {
    pub isf_version: IsfVersion,
    pub vsn: Option<String>,
    pub description: Option<String>,
    pub credit: Option<String>,
    pub categories: Vec<String>,
    pub inputs: Vec<Input>,
    /// Always at least one pass: a file without `PASSES` has one pass to the output.
    pub passes: Vec<Pass>,
    pub imported: Vec<ImportedImage>,
    pub kind: ShaderKind,
    /// Textures (by ISF name) whose `FILTER`/`WRAP` differ from the default; every other
    /// texture is sampled linearly, clamped.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub sampling: BTreeMap<String, Sampling>,
    /// Image inputs and imported images with isfkit's `"FLIPPED": true`: read upside down,
    /// the image's top row at y = 0 (Shadertoy's `vflip` off), where every other image is
    /// upright.
    #[serde(skip_serializing_if = "std::collections::BTreeSet::is_empty")]
    pub flipped: std::collections::BTreeSet<String>,
    /// Non-fatal problems (tolerant JSON, skipped inputs, odd values), with positions.
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
    /// The GLSL code of the file with the header lines (everything up to and including the line
    /// holding the closing `*/`) replaced by empty lines, so line and column numbers in it are
    /// those of the file.
    #[serde(skip)]
    pub code: String,
    /// The whole file as given (for a file in another dialect, the ISF it converts to).
    #[serde(skip)]
    pub source: String,
    /// For a file in another dialect (Shadertoy, GLSL Sandbox, gl-transitions): which, and
    /// where the lines of `source` came from, to report errors at the user's own lines.
    #[serde(skip)]
    pub origin: crate::dialect::Origin,
    /// A Shadertoy shader's Sound pass, as the ISF generator of its samples (see
    /// [`crate::dialect::SoundProgram`]); `None` for every other file.
    #[serde(skip)]
    pub sound: Option<Box<IsfDocument>>,
}

impl IsfDocument {
    /// How the texture named `name` (input, imported image or pass target) is sampled.
    pub fn sampling_of(&self, name: &str) -> Sampling {
        self.sampling.get(name).copied().unwrap_or_default()
    }

    /// The input named `name`, if declared.
    pub fn input(&self, name: &str) -> Option<&Input> {
        self.inputs.iter().find(|i| i.name == name)
    }
}
