//! Words a GLSL 1.10/1.20 shader may use as names but GLSL 4.50 (as naga reads it) may not.
//!
//! ISF shaders are written for desktop OpenGL 2.x, GLSL 1.10/1.20. Later GLSL versions took
//! more words as keywords and built-in names, so a 1.20 shader that names a local `sample` or a
//! function `texture` is legal where it was written and rejected (or misread) by a 4.50
//! front-end. The rewriter renames such user names to `isf_id_NAME` (see [`RENAME_PREFIX`])
//! and diagnostics turn the prefix back into the user's spelling.
//!
//! Sources (the lists below are copied from them, not from failures seen so far):
//! - *The OpenGL Shading Language 1.20* (rev. 8), section 3.6 "Keywords": the 1.20 keywords and
//!   the words reserved for future use ([`GLSL120_KEYWORDS`], [`GLSL120_RESERVED`]); a GLSL 1.20
//!   shader cannot use these as names, so they are never renamed in code.
//! - *The OpenGL Shading Language 4.50* (rev. 7), section 3.6 "Keywords": keywords and
//!   reserved words ([`GLSL450_NEW_KEYWORDS`], [`GLSL450_NEW_RESERVED`]: only the ones that
//!   are legal identifiers in 1.20).
//! - GLSL 4.50 chapter 8 "Built-in Functions" (8.1 angle and trigonometry, 8.3 common, 8.4
//!   floating-point pack/unpack, 8.6 matrix, 8.8 integer, 8.9 texture, 8.10 atomic counter,
//!   8.11 atomic memory, 8.12 image, 8.13 fragment processing, 8.14/8.15 geometry, 8.16/8.17
//!   shader invocation and memory control): the functions that did not exist in GLSL 1.20
//!   ([`GLSL450_NEW_FUNCTIONS`]). Built-in *variables* all start with `gl_`, which 1.20
//!   already reserves, so there is nothing to rename there.
//! - GL_KHR_vulkan_glsl "Changes to Chapter 3" (separate texture and sampler types) and
//!   GL_EXT_shader_explicit_arithmetic_types (`float16_t`, `f16vec*`): naga's GLSL front-end
//!   reads the Vulkan dialect, whose type names are otherwise legal 1.20 identifiers
//!   ([`VULKAN_TYPES`]).

/// Prefix of a renamed user name in generated code.
pub const RENAME_PREFIX: &str = "isf_id_";

/// GLSL 1.20 section 3.6: keywords.
pub const GLSL120_KEYWORDS: &[&str] = &[
    "attribute",
    "const",
    "uniform",
    "varying",
    "centroid",
    "break",
    "continue",
    "do",
    "for",
    "while",
    "if",
    "else",
    "in",
    "out",
    "inout",
    "float",
    "int",
    "void",
    "bool",
    "true",
    "false",
    "invariant",
    "discard",
    "return",
    "mat2",
    "mat3",
    "mat4",
    "mat2x2",
    "mat2x3",
    "mat2x4",
    "mat3x2",
    "mat3x3",
    "mat3x4",
    "mat4x2",
    "mat4x3",
    "mat4x4",
    "vec2",
    "vec3",
    "vec4",
    "ivec2",
    "ivec3",
    "ivec4",
    "bvec2",
    "bvec3",
    "bvec4",
    "sampler1D",
    "sampler2D",
    "sampler3D",
    "samplerCube",
    "sampler1DShadow",
    "sampler2DShadow",
    "struct",
];

/// GLSL 1.20 section 3.6: reserved for future use.
pub const GLSL120_RESERVED: &[&str] = &[
    "asm",
    "class",
    "union",
    "enum",
    "typedef",
    "template",
    "this",
    "packed",
    "goto",
    "switch",
    "default",
    "inline",
    "noinline",
    "volatile",
    "public",
    "static",
    "extern",
    "external",
    "interface",
    "long",
    "short",
    "double",
    "half",
    "fixed",
    "unsigned",
    "lowp",
    "mediump",
    "highp",
    "precision",
    "input",
    "output",
    "hvec2",
    "hvec3",
    "hvec4",
    "dvec2",
    "dvec3",
    "dvec4",
    "fvec2",
    "fvec3",
    "fvec4",
    "sampler2DRect",
    "sampler3DRect",
    "sampler2DRectShadow",
    "sizeof",
    "cast",
    "namespace",
    "using",
];

/// GLSL 4.50 section 3.6: keywords that GLSL 1.20 neither has nor reserves.
pub const GLSL450_NEW_KEYWORDS: &[&str] = &[
    "buffer",
    "shared",
    "coherent",
    "restrict",
    "readonly",
    "writeonly",
    "atomic_uint",
    "layout",
    "flat",
    "smooth",
    "noperspective",
    "patch",
    "sample",
    "case",
    "subroutine",
    "precise",
    "uint",
    "uvec2",
    "uvec3",
    "uvec4",
    "dmat2",
    "dmat3",
    "dmat4",
    "dmat2x2",
    "dmat2x3",
    "dmat2x4",
    "dmat3x2",
    "dmat3x3",
    "dmat3x4",
    "dmat4x2",
    "dmat4x3",
    "dmat4x4",
    "samplerCubeShadow",
    "sampler1DArray",
    "sampler2DArray",
    "sampler1DArrayShadow",
    "sampler2DArrayShadow",
    "isampler1D",
    "isampler2D",
    "isampler3D",
    "isamplerCube",
    "isampler1DArray",
    "isampler2DArray",
    "usampler1D",
    "usampler2D",
    "usampler3D",
    "usamplerCube",
    "usampler1DArray",
    "usampler2DArray",
    "isampler2DRect",
    "usampler2DRect",
    "samplerBuffer",
    "isamplerBuffer",
    "usamplerBuffer",
    "sampler2DMS",
    "isampler2DMS",
    "usampler2DMS",
    "sampler2DMSArray",
    "isampler2DMSArray",
    "usampler2DMSArray",
    "samplerCubeArray",
    "samplerCubeArrayShadow",
    "isamplerCubeArray",
    "usamplerCubeArray",
    "image1D",
    "iimage1D",
    "uimage1D",
    "image2D",
    "iimage2D",
    "uimage2D",
    "image3D",
    "iimage3D",
    "uimage3D",
    "image2DRect",
    "iimage2DRect",
    "uimage2DRect",
    "imageCube",
    "iimageCube",
    "uimageCube",
    "imageBuffer",
    "iimageBuffer",
    "uimageBuffer",
    "image1DArray",
    "iimage1DArray",
    "uimage1DArray",
    "image2DArray",
    "iimage2DArray",
    "uimage2DArray",
    "imageCubeArray",
    "iimageCubeArray",
    "uimageCubeArray",
    "image2DMS",
    "iimage2DMS",
    "uimage2DMS",
    "image2DMSArray",
    "iimage2DMSArray",
    "uimage2DMSArray",
];

/// GLSL 4.50 section 3.6: reserved words that GLSL 1.20 does not reserve.
pub const GLSL450_NEW_RESERVED: &[&str] = &[
    "common",
    "partition",
    "active",
    "resource",
    "superp",
    "filter",
];

/// GL_KHR_vulkan_glsl and explicit arithmetic types: type names naga knows.
pub const VULKAN_TYPES: &[&str] = &[
    "sampler",
    "samplerShadow",
    "texture1DArray",
    "texture2DArray",
    "texture2DMS",
    "texture2DMSArray",
    "textureCubeArray",
    "textureBuffer",
    "itexture1D",
    "itexture2D",
    "itexture3D",
    "itextureCube",
    "itexture1DArray",
    "itexture2DArray",
    "itexture2DMS",
    "itexture2DMSArray",
    "itextureCubeArray",
    "itextureBuffer",
    "utexture1D",
    "utexture2D",
    "utexture3D",
    "utextureCube",
    "utexture1DArray",
    "utexture2DArray",
    "utexture2DMS",
    "utexture2DMSArray",
    "utextureCubeArray",
    "utextureBuffer",
    "subpassInput",
    "isubpassInput",
    "usubpassInput",
    "subpassInputMS",
    "isubpassInputMS",
    "usubpassInputMS",
    "float16_t",
    "f16vec2",
    "f16vec3",
    "f16vec4",
];

/// GLSL 4.50 chapter 8: built-in functions that GLSL 1.20 does not have.
pub const GLSL450_NEW_FUNCTIONS: &[&str] = &[
    // 8.1
    "sinh",
    "cosh",
    "tanh",
    "asinh",
    "acosh",
    "atanh",
    // 8.3
    "trunc",
    "round",
    "roundEven",
    "modf",
    "isnan",
    "isinf",
    "floatBitsToInt",
    "floatBitsToUint",
    "intBitsToFloat",
    "uintBitsToFloat",
    "fma",
    "frexp",
    "ldexp",
    // 8.4
    "packUnorm2x16",
    "packSnorm2x16",
    "packUnorm4x8",
    "packSnorm4x8",
    "unpackUnorm2x16",
    "unpackSnorm2x16",
    "unpackUnorm4x8",
    "unpackSnorm4x8",
    "packHalf2x16",
    "unpackHalf2x16",
    "packDoubleUint2x32",
    "unpackDoubleUint2x32",
    // 8.6
    "determinant",
    "inverse",
    // 8.8
    "uaddCarry",
    "usubBorrow",
    "umulExtended",
    "imulExtended",
    "bitfieldExtract",
    "bitfieldInsert",
    "bitfieldReverse",
    "bitCount",
    "findLSB",
    "findMSB",
    // 8.9
    "textureSize",
    "textureQueryLod",
    "textureQueryLevels",
    "textureSamples",
    "texture",
    "textureProj",
    "textureLod",
    "textureOffset",
    "texelFetch",
    "texelFetchOffset",
    "textureProjOffset",
    "textureLodOffset",
    "textureProjLod",
    "textureProjLodOffset",
    "textureGrad",
    "textureGradOffset",
    "textureProjGrad",
    "textureProjGradOffset",
    "textureGather",
    "textureGatherOffset",
    "textureGatherOffsets",
    // 8.10, 8.11
    "atomicCounterIncrement",
    "atomicCounterDecrement",
    "atomicCounter",
    "atomicAdd",
    "atomicMin",
    "atomicMax",
    "atomicAnd",
    "atomicOr",
    "atomicXor",
    "atomicExchange",
    "atomicCompSwap",
    // 8.12
    "imageSize",
    "imageSamples",
    "imageLoad",
    "imageStore",
    "imageAtomicAdd",
    "imageAtomicMin",
    "imageAtomicMax",
    "imageAtomicAnd",
    "imageAtomicOr",
    "imageAtomicXor",
    "imageAtomicExchange",
    "imageAtomicCompSwap",
    // 8.13
    "dFdxFine",
    "dFdyFine",
    "dFdxCoarse",
    "dFdyCoarse",
    "fwidthFine",
    "fwidthCoarse",
    "interpolateAtCentroid",
    "interpolateAtSample",
    "interpolateAtOffset",
    // 8.14, 8.15, 8.16, 8.17
    "EmitStreamVertex",
    "EndStreamPrimitive",
    "EmitVertex",
    "EndPrimitive",
    "barrier",
    "memoryBarrier",
    "memoryBarrierAtomicCounter",
    "memoryBarrierBuffer",
    "memoryBarrierShared",
    "memoryBarrierImage",
    "groupMemoryBarrier",
];

/// Every word a 1.20 shader may use as a name and the generated GLSL 4.50 may not.
pub fn all_renamed() -> impl Iterator<Item = &'static str> {
    GLSL450_NEW_KEYWORDS
        .iter()
        .chain(GLSL450_NEW_RESERVED)
        .chain(VULKAN_TYPES)
        .chain(GLSL450_NEW_FUNCTIONS)
        .copied()
}

/// A word (not a built-in function) that user declarations must not keep in GLSL 4.50.
pub fn is_new_keyword(w: &str) -> bool {
    GLSL450_NEW_KEYWORDS.contains(&w)
        || GLSL450_NEW_RESERVED.contains(&w)
        || VULKAN_TYPES.contains(&w)
}

/// A built-in function of GLSL 4.50 that GLSL 1.20 lacks.
pub fn is_new_function(w: &str) -> bool {
    GLSL450_NEW_FUNCTIONS.contains(&w)
}

/// Renamed when the user declares it.
pub fn needs_rename(w: &str) -> bool {
    is_new_keyword(w) || is_new_function(w)
}

/// A keyword or reserved word of GLSL 1.20: no 1.20 shader can use it as a name.
pub fn is_glsl120_reserved(w: &str) -> bool {
    GLSL120_KEYWORDS.contains(&w) || GLSL120_RESERVED.contains(&w)
}

/// The GLSL name of an ISF name (input, pass target, imported image): the name itself, or
/// `isf_id_NAME` when GLSL 4.50 (or already GLSL 1.20: `in`, `float`) cannot use it as a
/// name. Shader code refers to the renamed ones through the same rename (see the rewriter);
/// 1.20 keywords cannot be referred to in code at all, as in GL.
pub fn glsl_name(isf_name: &str) -> String {
    if needs_rename(isf_name) || is_glsl120_reserved(isf_name) || isf_name.starts_with("gl_") {
        format!("{RENAME_PREFIX}{isf_name}")
    } else {
        isf_name.to_owned()
    }
}

/// Words a GLSL 1.20 shader cannot use as names that the code of ISF shaders still uses in
/// their own meaning (1.20 keywords; reserved words naga reads as keywords or types; precision
/// qualifiers). An ISF name that is one of these is renamed in the block only; any other
/// renamed ISF name (`half`, `input`, `gl_Thing`, `sample`) is renamed in the code as well.
pub fn code_uses_as_keyword(w: &str) -> bool {
    GLSL120_KEYWORDS.contains(&w)
        || matches!(
            w,
            "switch"
                | "default"
                | "volatile"
                | "double"
                | "dvec2"
                | "dvec3"
                | "dvec4"
                | "lowp"
                | "mediump"
                | "highp"
                | "precision"
                | "sampler2DRect"
                | "sampler2DRectShadow"
        )
}

/// Turns renamed names in a message back into the user's spelling.
pub fn unrename(message: &str) -> String {
    message.replace(RENAME_PREFIX, "")
}
