//! The resource interface of a translated shader: one block of ISF values (built-ins and
//! inputs), one texture per image-like name, and the samplers they are read through (the
//! default one, plus one per other `FILTER`/`WRAP` pair the file asks for). The engine fills the block from
//! this description.
//!
//! The block is a read-only *storage* buffer, not a uniform buffer. Measured: Mesa's lavapipe
//! specialises a shader for the values of a uniform buffer it can inline, and keeps every
//! variant, so a shader whose uniforms change each frame (TIME, FRAMEINDEX) grew the process
//! by about 650 KB per frame (1.2 GB over 2,000 frames). With a storage buffer memory is flat.
//! The block holds no arrays, so std430 lays it out exactly as std140 would.

use isfkit_format::{InputType, IsfDocument, Sampling};

use crate::words::glsl_name;
use serde::Serialize;

/// Binding of the uniform block (set 0).
pub const UNIFORM_BINDING: u32 = 0;
/// Binding of the default sampler (LINEAR, CLAMP_TO_EDGE), [`DEFAULT_SAMPLER`]: textures
/// without `FILTER`/`WRAP`, and textures the code reaches through a macro's parameter, are
/// read through it.
pub const SAMPLER_BINDING: u32 = 1;
/// First texture binding; texture `i` of [`Layout::textures`] is at `FIRST_TEXTURE_BINDING + i`.
/// The other samplers ([`Layout::samplers`]) follow the textures.
pub const FIRST_TEXTURE_BINDING: u32 = 2;
/// The GLSL name of the default sampler.
pub const DEFAULT_SAMPLER: &str = "isf_sampler";

/// Name of the uniform block member holding the built-in `PASSINDEX`, etc. are the GLSL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    Float,
    Int,
    Vec2,
    Vec4,
}

impl FieldType {
    fn size_align(self) -> (usize, usize) {
        match self {
            FieldType::Float | FieldType::Int => (4, 4),
            FieldType::Vec2 => (8, 8),
            FieldType::Vec4 => (16, 16),
        }
    }

    fn glsl(self) -> &'static str {
        match self {
            FieldType::Float => "float",
            FieldType::Int => "int",
            FieldType::Vec2 => "vec2",
            FieldType::Vec4 => "vec4",
        }
    }
}

/// What a uniform block member holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "camelCase")]
pub enum FieldRole {
    PassIndex,
    RenderSize,
    Time,
    TimeDelta,
    Date,
    FrameIndex,
    /// The value of the input with this name.
    Input(String),
    /// `_NAME_imgSize` of texture `NAME`.
    ImgSize(String),
    /// `_NAME_imgRect` of texture `NAME`.
    ImgRect(String),
    /// `_NAME_flip` of texture `NAME` (always 0: images are uploaded upright).
    ImgFlip(String),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    /// The member's name in the block (bool inputs use `isf_b_NAME`).
    pub glsl_name: String,
    pub ty: FieldType,
    pub offset: usize,
    pub role: FieldRole,
}

/// What a texture binding holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TextureSource {
    /// An `image` input.
    Input,
    /// An `audio` or `audioFFT` input.
    Audio,
    /// An `IMPORTED` image.
    Imported,
    /// A pass target buffer.
    Target,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TextureSlot {
    /// The ISF name (input, imported image or pass target).
    pub name: String,
    /// The texture's name in the generated GLSL: the ISF name, or `isf_id_NAME` when GLSL 4.50
    /// cannot use it (see [`crate::words::glsl_name`]).
    pub glsl_name: String,
    pub binding: u32,
    pub source: TextureSource,
    /// The GLSL name of the sampler it is read through ([`DEFAULT_SAMPLER`] or one of
    /// [`Layout::samplers`]).
    pub sampler: String,
}

/// A sampler other than the default one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SamplerSlot {
    pub glsl_name: String,
    pub binding: u32,
    pub sampling: Sampling,
}

/// The GLSL name of the sampler for `sampling`.
fn sampler_name(sampling: Sampling) -> String {
    if sampling == Sampling::default() {
        return DEFAULT_SAMPLER.to_owned();
    }
    format!(
        "{DEFAULT_SAMPLER}_{}_{}",
        sampling.filter.name(),
        sampling.wrap.name()
    )
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Layout {
    pub fields: Vec<Field>,
    /// Size of the uniform block in bytes (a multiple of 16).
    pub block_size: usize,
    pub textures: Vec<TextureSlot>,
    /// The samplers besides the default one, each used by at least one texture.
    pub samplers: Vec<SamplerSlot>,
}

impl Layout {
    pub fn for_document(doc: &IsfDocument) -> Layout {
        let mut fields: Vec<(String, FieldType, FieldRole)> = vec![
            ("RENDERSIZE".into(), FieldType::Vec2, FieldRole::RenderSize),
            ("DATE".into(), FieldType::Vec4, FieldRole::Date),
            ("PASSINDEX".into(), FieldType::Int, FieldRole::PassIndex),
            ("TIME".into(), FieldType::Float, FieldRole::Time),
            ("TIMEDELTA".into(), FieldType::Float, FieldRole::TimeDelta),
            ("FRAMEINDEX".into(), FieldType::Int, FieldRole::FrameIndex),
        ];
        let mut textures = Vec::new();
        for input in &doc.inputs {
            let role = FieldRole::Input(input.name.clone());
            match &input.ty {
                InputType::Event | InputType::Bool { .. } => {
                    fields.push((bool_member(&input.name), FieldType::Int, role))
                }
                InputType::Long { .. } => {
                    fields.push((glsl_name(&input.name), FieldType::Int, role))
                }
                InputType::Float { .. } => {
                    fields.push((glsl_name(&input.name), FieldType::Float, role))
                }
                InputType::Point2D { .. } => {
                    fields.push((glsl_name(&input.name), FieldType::Vec2, role))
                }
                InputType::Color { .. } => {
                    fields.push((glsl_name(&input.name), FieldType::Vec4, role))
                }
                InputType::Image => textures.push((input.name.clone(), TextureSource::Input)),
                InputType::Audio { .. } | InputType::AudioFft { .. } => {
                    textures.push((input.name.clone(), TextureSource::Audio))
                }
            }
        }
        for imp in &doc.imported {
            if !textures.iter().any(|(n, _)| n == &imp.name) {
                textures.push((imp.name.clone(), TextureSource::Imported));
            }
        }
        for pass in &doc.passes {
            if let Some(t) = &pass.target {
                if !textures.iter().any(|(n, _)| n == t) {
                    textures.push((t.clone(), TextureSource::Target));
                }
            }
        }
        for (name, _) in &textures {
            fields.push((
                format!("_{name}_imgSize"),
                FieldType::Vec2,
                FieldRole::ImgSize(name.clone()),
            ));
            fields.push((
                format!("_{name}_imgRect"),
                FieldType::Vec4,
                FieldRole::ImgRect(name.clone()),
            ));
            fields.push((
                format!("_{name}_flip_i"),
                FieldType::Int,
                FieldRole::ImgFlip(name.clone()),
            ));
        }

        // std140: members at their natural alignment, block size rounded to 16.
        let mut offset: usize = 0;
        let fields: Vec<Field> = fields
            .into_iter()
            .map(|(glsl_name, ty, role)| {
                let (size, align) = ty.size_align();
                offset = offset.div_ceil(align) * align;
                let f = Field {
                    glsl_name,
                    ty,
                    offset,
                    role,
                };
                offset += size;
                f
            })
            .collect();
        let block_size = offset.div_ceil(16).max(1) * 16;
        let mut samplers: Vec<SamplerSlot> = Vec::new();
        let after_textures = FIRST_TEXTURE_BINDING + textures.len() as u32;
        let textures = textures
            .into_iter()
            .enumerate()
            .map(|(i, (name, source))| {
                let sampling = doc.sampling_of(&name);
                let sampler = sampler_name(sampling);
                if sampler != DEFAULT_SAMPLER && !samplers.iter().any(|s| s.glsl_name == sampler) {
                    samplers.push(SamplerSlot {
                        glsl_name: sampler.clone(),
                        binding: after_textures + samplers.len() as u32,
                        sampling,
                    });
                }
                TextureSlot {
                    glsl_name: glsl_name(&name),
                    name,
                    binding: FIRST_TEXTURE_BINDING + i as u32,
                    source,
                    sampler,
                }
            })
            .collect();
        Layout {
            fields,
            block_size,
            textures,
            samplers,
        }
    }

    /// The GLSL declarations of the block, the sampler and the textures.
    pub fn declarations(&self) -> String {
        let mut s = format!(
            "layout(std430, set = 0, binding = {UNIFORM_BINDING}) readonly buffer ISFUniforms {{\n"
        );
        for f in &self.fields {
            s.push_str(&format!("    {} {};\n", f.ty.glsl(), f.glsl_name));
        }
        s.push_str("};\n");
        s.push_str(&format!(
            "layout(set = 0, binding = {SAMPLER_BINDING}) uniform sampler {DEFAULT_SAMPLER};\n"
        ));
        for sampler in &self.samplers {
            s.push_str(&format!(
                "layout(set = 0, binding = {}) uniform sampler {};\n",
                sampler.binding, sampler.glsl_name
            ));
        }
        for t in &self.textures {
            s.push_str(&format!(
                "layout(set = 0, binding = {}) uniform texture2D {};\n",
                t.binding, t.glsl_name
            ));
        }
        s
    }

    /// The texture with ISF name `name`.
    pub fn texture(&self, name: &str) -> Option<&TextureSlot> {
        self.textures.iter().find(|t| t.name == name)
    }

    /// The texture whose generated GLSL name is `name`.
    pub fn texture_by_glsl(&self, name: &str) -> Option<&TextureSlot> {
        self.textures.iter().find(|t| t.glsl_name == name)
    }

    /// Every ISF name the block or a texture carries (inputs, imported images, targets).
    pub fn isf_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .fields
            .iter()
            .filter_map(|f| match &f.role {
                FieldRole::Input(n) => Some(n.clone()),
                _ => None,
            })
            .collect();
        names.extend(self.textures.iter().map(|t| t.name.clone()));
        names
    }
}

/// The block member that stores bool/event input `name` as an int (bool is not
/// host-shareable); the shader reads a private `bool name` copied from it.
pub fn bool_member(name: &str) -> String {
    format!("isf_b_{name}")
}
