//! The GLSL names the rewriter recognises: functions and macros that read a texture, type
//! qualifiers, the built-ins naga's constant evaluator folds, and the built-in value types.

/// Functions and ISF macros that read a texture.
pub(super) const TEXTURE_READS: &[&str] = &[
    "texture2D",
    "texture2DRect",
    "texture2DProj",
    "texture2DLod",
    "texture2DRectProj",
    "texture",
    "textureLod",
    "textureProj",
    "textureGrad",
    "textureOffset",
    "texelFetch",
    "texelFetchOffset",
    "textureSize",
    "textureLodOffset",
    "textureProjLod",
    "textureGather",
    "textureQueryLevels",
    "IMG_PIXEL",
    "IMG_NORM_PIXEL",
    "IMG_THIS_PIXEL",
    "IMG_THIS_NORM_PIXEL",
    "IMG_SIZE",
];

pub(super) const QUALIFIERS: &[&str] = &[
    "flat",
    "smooth",
    "noperspective",
    "centroid",
    "invariant",
    "highp",
    "mediump",
    "lowp",
    "precise",
];

/// Built-in functions naga's constant evaluator folds (naga 30), in their GLSL spelling.
pub(super) const CONST_FOLDED: &[&str] = &[
    "abs",
    "acos",
    "acosh",
    "asin",
    "asinh",
    "atan",
    "atanh",
    "ceil",
    "clamp",
    "cos",
    "cosh",
    "cross",
    "degrees",
    "distance",
    "dot",
    "exp",
    "floor",
    "fma",
    "fract",
    "inversesqrt",
    "length",
    "log",
    "max",
    "min",
    "normalize",
    "radians",
    "round",
    "sign",
    "sin",
    "sinh",
    "sqrt",
    "step",
    "tan",
    "tanh",
    "trunc",
];

pub(super) fn builtin_value_type(t: &str) -> bool {
    matches!(t, "float" | "int" | "uint" | "bool" | "double")
        || ["vec", "ivec", "uvec", "bvec", "dvec", "mat", "dmat"]
            .iter()
            .any(|p| {
                t.strip_prefix(p).is_some_and(|rest| {
                    matches!(
                        rest,
                        "2" | "3"
                            | "4"
                            | "2x2"
                            | "2x3"
                            | "2x4"
                            | "3x2"
                            | "3x3"
                            | "3x4"
                            | "4x2"
                            | "4x3"
                            | "4x4"
                    )
                })
            })
}
