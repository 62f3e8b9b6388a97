//! The token-level rewriter: ISF GLSL (GLSL 1.x style with ISF macros) into GLSL 450 that
//! naga accepts, keeping a map back to the user's file.
//!
//! Two levels. The statement level walks file-scope declarations and function bodies: it
//! gives varyings locations, drops uniforms the block already declares, moves global
//! initialisers into a function called at the start of `main` (naga silently drops
//! non-constant ones), wraps `return` values in their function's type and appends a missing
//! final `return`, and renames the user's `main` so a generated `main` can run set-up code
//! around it. The token level, used everywhere (including `#define` bodies), expands the
//! `IMG_*` macros, splits combined samplers (`sampler2D` becomes `texture2D`, and every
//! sampling call takes `sampler2D(tex, isf_sampler)`), and renames `gl_FragColor` and the
//! v1 `vv_` names. A token after `.` is never rewritten (an input named `r` must not touch
//! `.r` swizzles).

use crate::emit::Emitter;
use crate::layout::Layout;
use crate::lex::{Kind, Token};
use crate::Stage;

/// Varying names and their locations, shared by both stages so they link.
#[derive(Debug, Default, Clone)]
pub struct Varyings {
    /// (name, declaration text `TYPE name[N]` without qualifiers, location)
    pub entries: Vec<(String, String, u32)>,
    next: u32,
}

impl Varyings {
    pub fn new() -> Self {
        // isf_FragNormCoord is always location 0.
        Varyings {
            entries: Vec::new(),
            next: 1,
        }
    }

    /// A location for a varying isfkit itself passes (not in `entries`).
    pub fn reserve(&mut self) -> u32 {
        self.next += 1;
        self.next - 1
    }

    fn location(&mut self, name: &str, decl: &str, slots: u32) -> u32 {
        if let Some(e) = self.entries.iter().find(|e| e.0 == name) {
            return e.2;
        }
        let loc = self.next;
        self.next += slots.max(1);
        self.entries.push((name.to_owned(), decl.to_owned(), loc));
        loc
    }
}

pub struct Output {
    pub emitter: Emitter,
    pub has_main: bool,
    /// Names of the varyings this stage declared.
    pub varyings_declared: Vec<String>,
    /// Matrix varyings this stage declared: (name, type, columns). Each is a private global
    /// of its type plus one located column varying per column (see [`located_decls`]); the
    /// generated `main` copies between them.
    pub matrices: Vec<(String, String, u32)>,
    /// Exponents of the `isf_powN` helpers the code calls.
    pub pows: std::collections::BTreeSet<i32>,
    /// The code calls the general `isf_pow` wrapper (see [`POW_WRAPPER`]).
    pub pow_wrapper: bool,
    /// Matrix constructors routed through `isf_matCxR` helpers: (columns, rows, arguments).
    pub matrix_constructors: std::collections::BTreeSet<(usize, usize, usize)>,
    /// Built-ins called on floats that naga has only for vectors: their float overloads.
    pub float_overloads: Vec<&'static str>,
    /// Errors found while rewriting: (byte offset in the user's text, message).
    pub errors: Vec<(usize, String)>,
}

/// The helper that computes `pow(x, n)` for an integer literal `n`.
pub fn pow_helper(n: i32) -> String {
    if n < 0 {
        format!("isf_pow_neg{}", -n)
    } else {
        format!("isf_pow{n}")
    }
}

/// Definitions of the `pow(x, n)` helpers for `exponents`, for float and vectors: repeated
/// multiplication, `1 / x^n` for negative `n`, 1 for `n = 0`.
pub fn pow_helpers(exponents: &std::collections::BTreeSet<i32>) -> String {
    let mut s = String::new();
    for &n in exponents {
        let m = n.unsigned_abs();
        let product = if m == 0 {
            None
        } else {
            Some(vec!["x"; m as usize].join(" * "))
        };
        for ty in ["float", "vec2", "vec3", "vec4"] {
            let body = match (&product, n < 0) {
                (None, _) => format!("{ty}(1.0)"),
                (Some(p), false) => p.clone(),
                (Some(p), true) => format!("{ty}(1.0) / ({p})"),
            };
            s.push_str(&format!(
                "{ty} {}({ty} x) {{ return {body}; }}\n",
                pow_helper(n)
            ));
        }
    }
    s
}

/// The general `pow` wrapper: `pow(x, y)` for every genType, plus `pow(vecN, float)` as some
/// desktop drivers accept it, evaluated at run time so no constant argument is a compile error.
pub const POW_WRAPPER: &str = concat!(
    "float isf_pow(float x, float y) { return pow(x, y); }\n",
    "vec2 isf_pow(vec2 x, vec2 y) { return pow(x, y); }\n",
    "vec3 isf_pow(vec3 x, vec3 y) { return pow(x, y); }\n",
    "vec4 isf_pow(vec4 x, vec4 y) { return pow(x, y); }\n",
    "vec2 isf_pow(vec2 x, float y) { return pow(x, vec2(y)); }\n",
    "vec3 isf_pow(vec3 x, float y) { return pow(x, vec3(y)); }\n",
    "vec4 isf_pow(vec4 x, float y) { return pow(x, vec4(y)); }\n",
);

/// `(columns, column type)` of a matrix type: `mat3` -> `(3, "vec3")`, `mat2x4` -> `(2, "vec4")`.
pub fn matrix_columns(ty: &str) -> Option<(u32, String)> {
    let (dims, vec) = if let Some(r) = ty.strip_prefix("dmat") {
        (r, "dvec")
    } else {
        (ty.strip_prefix("mat")?, "vec")
    };
    let (c, r) = match dims.as_bytes() {
        [c] => (*c, *c),
        [c, b'x', r] => (*c, *r),
        _ => return None,
    };
    if !(b'2'..=b'4').contains(&c) || !(b'2'..=b'4').contains(&r) {
        return None;
    }
    Some(((c - b'0') as u32, format!("{vec}{}", r as char)))
}

/// The name of column `k` of matrix varying `name`.
pub fn column_name(name: &str, k: u32) -> String {
    format!("isf_{name}_col{k}")
}

/// The varying `IMG_THIS_PIXEL` / `IMG_THIS_NORM_PIXEL` sample at: the normalized position
/// on the quad, set by `isf_vertShaderInit()` (VVISF's `_NAME_normTexCoord`, which for a 2D
/// texture is this same value for every image).
pub const THIS_NORM_COORD: &str = "isf_ThisNormCoord";

/// Whether a stage's code (directives included) uses `IMG_THIS_PIXEL`/`IMG_THIS_NORM_PIXEL`.
pub fn uses_this_pixel(src: &str, toks: &[Token]) -> bool {
    toks.iter().any(|t| {
        matches!(
            &src[t.start..t.end],
            "IMG_THIS_PIXEL" | "IMG_THIS_NORM_PIXEL"
        )
    })
}

/// Locations a varying `TYPE name[N]` takes: N (1 without a size), times the columns of a
/// matrix.
fn varying_slots(ty: &str, suffix: &str) -> u32 {
    let len = suffix
        .trim_matches(|c| c == '[' || c == ']')
        .parse::<u32>()
        .unwrap_or(1);
    len * matrix_columns(ty).map_or(1, |m| m.0)
}

/// An integer scalar or vector type (`int`, `uint`, `ivecN`, `uvecN`): such a varying is
/// `flat`.
pub fn is_integer_type(ty: &str) -> bool {
    matches!(ty, "int" | "uint") || ty.starts_with("ivec") || ty.starts_with("uvec")
}

/// A type a varying can have: float, vec2-4, matrices, integer types (`flat`).
fn is_varying_type(ty: &str) -> bool {
    matches!(ty, "float" | "vec2" | "vec3" | "vec4")
        || matrix_columns(ty).is_some()
        || is_integer_type(ty)
}

/// Located declarations of varying `decl` (`TYPE name[N]`) starting at `loc`. naga rejects
/// matrix varyings, so a matrix becomes one vector varying per column.
pub fn located_decls(decl: &str, loc: u32, qualifiers: &str, dir: &str) -> String {
    let (ty, name) = decl.split_once(' ').unwrap_or(("", decl));
    match matrix_columns(ty) {
        Some((cols, col_ty)) if !name.contains('[') => (0..cols)
            .map(|k| {
                format!(
                    "layout(location = {}) {qualifiers}{dir} {col_ty} {}; ",
                    loc + k,
                    column_name(name, k)
                )
            })
            .collect(),
        _ => format!("layout(location = {loc}) {qualifiers}{dir} {decl}; "),
    }
}

/// Functions and ISF macros that read a texture.
const TEXTURE_READS: &[&str] = &[
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

const QUALIFIERS: &[&str] = &[
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

/// GLSL's genType built-ins that naga has for vectors only, with their float versions (the
/// values GLSL defines for a one-component vector).
pub const FLOAT_OVERLOADS: &[(&str, &str)] = &[
    ("dot", "float dot(float a, float b) { return a * b; }\n"),
    ("length", "float length(float x) { return abs(x); }\n"),
    ("distance", "float distance(float a, float b) { return abs(a - b); }\n"),
    ("normalize", "float normalize(float x) { return sign(x); }\n"),
    (
        "faceforward",
        "float faceforward(float n, float i, float nref) { return nref * i < 0.0 ? n : -n; }\n",
    ),
    (
        "reflect",
        "float reflect(float i, float n) { return i - 2.0 * n * i * n; }\n",
    ),
    (
        "refract",
        "float refract(float i, float n, float eta) { float k = 1.0 - eta * eta * (1.0 - n * i * n * i); return k < 0.0 ? 0.0 : eta * i - (eta * n * i + sqrt(k)) * n; }\n",
    ),
];

/// Columns and rows of a matrix type's name (`mat3` -> (3, 3), `mat2x4` -> (2, 4)).
fn matrix_dims(name: &str) -> Option<(usize, usize)> {
    let rest = name.strip_prefix("mat")?;
    let digit = |s: &str| match s {
        "2" => Some(2),
        "3" => Some(3),
        "4" => Some(4),
        _ => None,
    };
    match rest.split_once('x') {
        Some((c, r)) => Some((digit(c)?, digit(r)?)),
        None => digit(rest).map(|n| (n, n)),
    }
}

/// Every way to fill `total` components with `k` arguments of 1 to 4 components each.
fn component_splits(total: usize, k: usize) -> Vec<Vec<usize>> {
    fn go(left: usize, k: usize, prefix: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if k == 0 {
            if left == 0 {
                out.push(prefix.clone());
            }
            return;
        }
        for n in 1..=4.min(left) {
            if left - n <= 4 * (k - 1) && left - n >= k - 1 {
                prefix.push(n);
                go(left - n, k - 1, prefix, out);
                prefix.pop();
            }
        }
    }
    let mut out = Vec::new();
    go(total, k, &mut Vec::new(), &mut out);
    out
}

/// The `isf_matCxR` overloads for matrices of `c` columns and `r` rows built from `k`
/// arguments: one per way to fill it from floats and vectors, and for one argument the
/// forms naga has (a scalar on the diagonal, a matrix) plus a `vec4` for a 2x2.
pub fn matrix_constructor_helpers(c: usize, r: usize, k: usize) -> String {
    let ty = format!("mat{c}x{r}");
    let name = format!("isf_mat{c}x{r}");
    let mut out = String::new();
    if k == 1 {
        out.push_str(&format!("{ty} {name}(float s) {{ return {ty}(s); }}\n"));
        for m in ["mat2", "mat3", "mat4"] {
            out.push_str(&format!("{ty} {name}({m} m) {{ return {ty}(m); }}\n"));
        }
    }
    for split in component_splits(c * r, k) {
        let mut params = Vec::new();
        let mut comps = Vec::new();
        for (j, n) in split.iter().enumerate() {
            if *n == 1 {
                params.push(format!("float a{j}"));
                comps.push(format!("a{j}"));
            } else {
                params.push(format!("vec{n} a{j}"));
                comps.extend(
                    ["x", "y", "z", "w"][..*n]
                        .iter()
                        .map(|s| format!("a{j}.{s}")),
                );
            }
        }
        out.push_str(&format!(
            "{ty} {name}({}) {{ return {ty}({}); }}\n",
            params.join(", "),
            comps.join(", ")
        ));
    }
    out
}

/// Positive infinity, written so naga takes it (a literal must be finite there).
const INFINITY: &str = "uintBitsToFloat(0x7F800000u)";

/// Whether `literal` is a floating-point literal whose value is beyond the float range.
fn overflows_float(literal: &str) -> bool {
    let lower = literal.to_ascii_lowercase();
    if lower.starts_with("0x") || !(lower.contains('.') || lower.contains('e')) {
        return false;
    }
    let digits = lower.trim_end_matches("lf").trim_end_matches('f');
    digits
        .parse::<f64>()
        .is_ok_and(|v| v.is_finite() && (v as f32).is_infinite())
}

/// Built-in functions naga's constant evaluator folds (naga 30), in their GLSL spelling.
const CONST_FOLDED: &[&str] = &[
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

fn builtin_value_type(t: &str) -> bool {
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

pub struct Rewriter<'a> {
    src: &'a str,
    toks: &'a [Token],
    stage: Stage,
    layout: &'a Layout,
    cursor: usize,
    /// Globals whose initialisers moved into `isf_init_globals()`.
    inits: Emitter,
    /// Locals that share a texture's name, with the block depth they were declared at. Such a
    /// local is renamed `isf_local_NAME` so the texture stays reachable for image macros.
    shadowed: Vec<(String, i32)>,
    varyings_declared: Vec<String>,
    matrices: Vec<(String, String, u32)>,
    /// Per token: its generated spelling when renamed (see [`crate::rename`]).
    renames: &'a [Option<String>],
    /// Exponents of `pow(x, N)` calls turned into `isf_powN(x)`.
    pows: std::collections::BTreeSet<i32>,
    /// File-scope `const`s whose value naga cannot fold at compile time: declared without
    /// `const` and set in `isf_init_user_globals()` instead.
    demoted_consts: Vec<&'a str>,
    /// Some other `pow(x, y)` was turned into `isf_pow(x, y)`.
    pow_wrapper: bool,
    /// Matrix constructors routed through helpers (see [`Output::matrix_constructors`]).
    matrix_constructors: std::collections::BTreeSet<(usize, usize, usize)>,
    /// Errors found while rewriting: (byte offset in the user's text, message).
    errors: Vec<(usize, String)>,
    /// Per token: the index of its closing bracket when it opens one (`(`, `[`, `{`, each
    /// kind paired apart), else `NONE`. Found once, so pairing a bracket is not a scan (a
    /// scan per call made a 1 MB expression take 26 s).
    pairs: Vec<usize>,
}

const NONE: usize = usize::MAX;

/// The closing bracket of each opening one, per kind, as a depth count of that kind finds
/// it; an opening bracket never closed gets `NONE`.
fn bracket_pairs(src: &str, toks: &[Token], renames: &[Option<String>]) -> Vec<usize> {
    let mut pairs = vec![NONE; toks.len()];
    let mut open: [Vec<usize>; 3] = Default::default();
    for (i, t) in toks.iter().enumerate() {
        if matches!(renames.get(i), Some(Some(_))) {
            continue;
        }
        let text = &src[t.start..t.end];
        if let Some(k) = ["(", "[", "{"].iter().position(|o| *o == text) {
            open[k].push(i);
        } else if let Some(k) = [")", "]", "}"].iter().position(|c| *c == text) {
            if let Some(o) = open[k].pop() {
                pairs[o] = i;
            }
        }
    }
    pairs
}

impl<'a> Rewriter<'a> {
    pub fn new(
        src: &'a str,
        toks: &'a [Token],
        renames: &'a [Option<String>],
        stage: Stage,
        layout: &'a Layout,
    ) -> Self {
        Rewriter {
            renames,
            pows: Default::default(),
            demoted_consts: Vec::new(),
            matrix_constructors: Default::default(),
            pow_wrapper: false,
            errors: Vec::new(),
            src,
            toks,
            stage,
            layout,
            cursor: 0,
            inits: Emitter::default(),
            shadowed: Vec::new(),
            varyings_declared: Vec::new(),
            matrices: Vec::new(),
            pairs: bracket_pairs(src, toks, renames),
        }
    }

    fn text(&self, i: usize) -> &'a str {
        if let Some(Some(r)) = self.renames.get(i) {
            return r;
        }
        let t = self.toks[i];
        &self.src[t.start..t.end]
    }

    fn is(&self, i: usize, s: &str) -> bool {
        i < self.toks.len() && self.text(i) == s
    }

    /// Copies the whitespace between the cursor and `upto`.
    fn gap(&mut self, e: &mut Emitter, upto: usize) {
        if upto > self.cursor {
            let ws = &self.src[self.cursor..upto];
            e.verbatim(ws, self.cursor);
        }
        self.cursor = self.cursor.max(upto);
    }

    fn tok_verbatim(&mut self, e: &mut Emitter, i: usize) {
        let t = self.toks[i];
        self.gap(e, t.start);
        match self.renames.get(i) {
            Some(Some(r)) => e.replaced(r, t.start),
            _ => e.verbatim(&self.src[t.start..t.end], t.start),
        }
        self.cursor = t.end;
    }

    /// Writes token `i`'s (possibly renamed) text into `e` without moving the cursor.
    fn name_into(&self, e: &mut Emitter, i: usize) {
        match self.renames.get(i) {
            Some(Some(r)) => e.replaced(r, self.toks[i].start),
            _ => e.verbatim(self.text(i), self.toks[i].start),
        }
    }

    fn tok_replace(&mut self, e: &mut Emitter, i: usize, with: &str) {
        let t = self.toks[i];
        self.gap(e, t.start);
        e.replaced(with, t.start);
        self.cursor = t.end;
    }

    /// Index of the token closing the bracket opened at `open`, within `end`.
    fn matching(&self, open: usize, end: usize) -> Option<usize> {
        self.pairs
            .get(open)
            .copied()
            .filter(|&c| c != NONE && c < end)
    }

    /// Splits the arguments of the call whose `(` is at `open` and `)` at `close` at top-level
    /// commas: token ranges `[a, b)`.
    fn split_args(&self, open: usize, close: usize) -> Vec<(usize, usize)> {
        let mut args = Vec::new();
        let mut depth = 0;
        let mut start = open + 1;
        for i in open + 1..close {
            match self.text(i) {
                "(" | "[" | "{" => depth += 1,
                ")" | "]" | "}" => depth -= 1,
                "," if depth == 0 => {
                    args.push((start, i));
                    start = i + 1;
                }
                _ => {}
            }
        }
        if start < close || !args.is_empty() {
            args.push((start, close));
        }
        args
    }

    /// Token-level rewrite of tokens `[from, to)`.
    pub fn emit_range(&mut self, e: &mut Emitter, from: usize, to: usize) {
        let mut i = from;
        while i < to {
            let t = self.toks[i];
            let after_dot = i > 0 && self.text(i - 1) == ".";
            if self.text(i) == "[" && i + 1 < to && self.is(i + 1, "]") {
                if let Some(n) = self.unsized_array_size(i) {
                    // naga has no unsized arrays: `float a[] = float[](x, y)` gets its size.
                    self.tok_replace(e, i, &format!("[{n}"));
                    self.tok_verbatim(e, i + 1);
                    i += 2;
                    continue;
                }
            }
            if t.kind == Kind::Number && overflows_float(self.text(i)) {
                // GLSL: a float literal too large for a float is infinity (naga rejects it).
                self.tok_replace(e, i, INFINITY);
                i += 1;
                continue;
            }
            if self.text(i) == "const" && matches!(self.text(i + 1), "in" | "out" | "inout") {
                // `const in` parameters: naga takes `in`, and the `const` changes nothing a
                // caller sees.
                self.tok_replace(e, i, "");
                i += 1;
                continue;
            }
            if t.kind != Kind::Ident || after_dot {
                self.tok_verbatim(e, i);
                i += 1;
                continue;
            }
            let name = self.text(i);
            let call = self.is(i + 1, "(");
            if call {
                if let Some(close) = self.matching(i + 1, to) {
                    if let Some(next) = self.rewrite_call(e, i, name, close) {
                        i = next;
                        continue;
                    }
                }
            }
            match name {
                "sampler2D" | "sampler2DRect" => {
                    // GLSL passes samplers into functions only (naga's error on the split
                    // texture names no place in the user's code).
                    if i > 0 && matches!(self.text(i - 1), "out" | "inout") {
                        self.errors.push((
                            self.toks[i - 1].start,
                            format!(
                                "a {name} cannot be \"{}\": samplers are only passed in",
                                self.text(i - 1)
                            ),
                        ));
                    }
                    self.tok_replace(e, i, "texture2D")
                }
                "gl_FragColor" if self.stage == Stage::Fragment => {
                    self.tok_replace(e, i, "isf_FragColor")
                }
                "gl_FragData"
                    if self.stage == Stage::Fragment
                        && i + 3 < to
                        && self.is(i + 1, "[")
                        && self.is(i + 2, "0")
                        && self.is(i + 3, "]") =>
                {
                    // The one colour output; other indices stay unknown to naga (an error
                    // at the user's line).
                    self.tok_replace(e, i, "isf_FragColor");
                    self.cursor = self.toks[i + 3].end;
                    i += 4;
                    continue;
                }
                "vv_FragNormCoord" => self.tok_replace(e, i, "isf_FragNormCoord"),
                "vv_vertShaderInit" => self.tok_replace(e, i, "isf_vertShaderInit"),
                _ if self.shadowed.iter().any(|(n, _)| n == name) => {
                    self.tok_replace(e, i, &format!("isf_local_{name}"))
                }
                _ => self.tok_verbatim(e, i),
            }
            i += 1;
        }
    }

    /// Rewrites a call `name(...)` whose `)` is at `close`; returns the index after it, or
    /// `None` when the call needs no rewrite.
    fn rewrite_call(
        &mut self,
        e: &mut Emitter,
        i: usize,
        name: &str,
        close: usize,
    ) -> Option<usize> {
        let open = i + 1;
        let args = self.split_args(open, close);
        let start = self.toks[i].start;
        match name {
            "IMG_PIXEL"
            | "IMG_NORM_PIXEL"
            | "IMG_THIS_PIXEL"
            | "IMG_THIS_NORM_PIXEL"
            | "IMG_SIZE" => {
                let want = if matches!(name, "IMG_PIXEL" | "IMG_NORM_PIXEL") {
                    2
                } else {
                    1
                };
                if args.len() != want {
                    // Leave it for naga to report as an unknown function at this position.
                    return None;
                }
                let (ia, ib) = args[0];
                if ia == ib {
                    // `IMG_PIXEL( , uv)`: no image named; naga reports the call.
                    return None;
                }
                self.gap(e, start);
                let image = if ib == ia + 1 {
                    self.text(ia).to_owned()
                } else {
                    self.src[self.toks[ia].start..self.toks[ib - 1].end]
                        .trim()
                        .to_owned()
                };
                let size = match self.layout.texture_by_glsl(&image) {
                    Some(slot) => format!("_{}_imgSize", slot.name),
                    None => format!("vec2(textureSize(sampler2D({image}, isf_sampler), 0))"),
                };
                // A vertex shader has no derivatives to choose a mip level: GL samples the
                // base level there, naga wants it said (textureLod 0).
                let (sample_fn, lod) = if self.stage == Stage::Vertex {
                    ("textureLod", ", 0.0")
                } else {
                    ("texture", "")
                };
                let sampled = format!("{sample_fn}(sampler2D({image}, isf_sampler), ");
                match name {
                    "IMG_SIZE" => e.replaced(&size, start),
                    // As in VVISF: the coordinate isf_vertShaderInit() computed from the
                    // quad (THIS_NORM_COORD), so the image follows a vertex shader that moves
                    // the quad.
                    "IMG_THIS_PIXEL" | "IMG_THIS_NORM_PIXEL" if self.stage == Stage::Fragment => {
                        e.replaced(&format!("{sampled}{THIS_NORM_COORD})"), start)
                    }
                    "IMG_THIS_PIXEL" | "IMG_THIS_NORM_PIXEL" => {
                        self.errors.push((
                            start,
                            format!("{name} belongs to the fragment shader (a vertex has no pixel of its own); use IMG_NORM_PIXEL({image}, isf_FragNormCoord)"),
                        ));
                        e.replaced(&format!("{sampled}vec2(0.0){lod})"), start)
                    }
                    _ => {
                        e.replaced(&format!("{sampled}("), start);
                        let (ca, cb) = args[1];
                        self.cursor = self.toks[ca].start;
                        self.emit_range(e, ca, cb);
                        if name == "IMG_PIXEL" {
                            e.replaced(&format!(") / {size}{lod})"), self.toks[close].start);
                        } else {
                            e.replaced(&format!("){lod})"), self.toks[close].start);
                        }
                    }
                }
                self.cursor = self.toks[close].end;
                Some(close + 1)
            }
            "texture2D" | "texture2DRect" | "texture2DProj" | "texture2DLod"
            | "texture2DRectProj" | "texture" | "textureLod" | "textureProj" | "textureGrad"
            | "textureOffset" | "texelFetch" | "texelFetchOffset" | "textureSize"
            | "textureLodOffset" | "textureProjLod" | "textureGather" | "textureQueryLevels" => {
                if args.is_empty() {
                    return None;
                }
                // `sampler2D(t, s)` already combined (Vulkan-style GLSL): leave it.
                if self.text(args[0].0) == "sampler2D" && self.is(args[0].0 + 1, "(") {
                    return None;
                }
                let mut new_name = match name {
                    "texture2D" | "texture2DRect" => "texture",
                    "texture2DProj" | "texture2DRectProj" => "textureProj",
                    "texture2DLod" => "textureLod",
                    other => other,
                };
                // In a vertex shader GL samples the base level (no derivatives there); naga
                // refuses an implicit level at this stage, so say it: textureLod(.., 0.0).
                let base_level = self.stage == Stage::Vertex
                    && args.len() == 2
                    && matches!(new_name, "texture" | "textureProj");
                if base_level {
                    new_name = if new_name == "texture" {
                        "textureLod"
                    } else {
                        "textureProjLod"
                    };
                }
                let rect = name.starts_with("texture2DRect");
                self.gap(e, start);
                e.replaced(&format!("{new_name}(sampler2D("), start);
                let (a0, b0) = args[0];
                self.cursor = self.toks[a0].start;
                let tex_from = e.out.len();
                if b0 == a0 + 1 && self.layout.texture_by_glsl(self.text(a0)).is_some() {
                    // A texture's name here is the texture, even where a local shadows it.
                    self.tok_verbatim(e, a0);
                } else {
                    self.emit_range(e, a0, b0);
                }
                let tex = e.out[tex_from..].trim().to_owned();
                e.replaced(", isf_sampler)", self.toks[b0.min(close)].start);
                for (k, &(a, b)) in args.iter().enumerate().skip(1) {
                    self.gap(e, self.toks[a - 1].start);
                    self.tok_verbatim(e, a - 1); // the comma
                    if rect && k == 1 {
                        // GL rectangle textures take pixel coordinates.
                        e.replaced(" ((", self.toks[a].start);
                        self.cursor = self.toks[a].start;
                        self.emit_range(e, a, b);
                        e.replaced(
                            &format!(") / vec2(textureSize(sampler2D({tex}, isf_sampler), 0)))"),
                            self.toks[b - 1].start,
                        );
                    } else {
                        self.emit_range(e, a, b);
                    }
                }
                if base_level {
                    self.gap(e, self.toks[close].start);
                    e.replaced(", 0.0", self.toks[close].start);
                }
                self.tok_verbatim(e, close);
                Some(close + 1)
            }
            _ if matrix_dims(name).is_some_and(|(c, r)| {
                let k = args.len();
                let total = c * r;
                ((2..total).contains(&k) || (k == 1 && c == 2 && r == 2))
                    && args.iter().all(|&(a, b)| a < b)
                    && !component_splits(total, k).is_empty()
            }) =>
            {
                // naga builds a matrix from columns, from scalars, from one scalar or from a
                // matrix; GLSL also takes any mix of vectors and scalars that fills it in
                // column order (`mat2(vec4)`, `mat2(vec3, float)`). Overloads of a helper per
                // shape do it (see [`matrix_constructor_helpers`]).
                let (c, r) = matrix_dims(name)?;
                self.matrix_constructors.insert((c, r, args.len()));
                self.gap(e, start);
                e.replaced(&format!("isf_mat{c}x{r}"), start);
                self.cursor = self.toks[i].end;
                Some(i + 1)
            }
            "pow" if args.len() == 2 => {
                let Some(n) = self.integer_literal(args[1].0, args[1].1) else {
                    // Any other `pow` goes through a function: naga folds built-in calls on
                    // constants and rejects `pow(-0.5, 2.5)` (or a negative constant base with
                    // a `const` exponent) as a compile error, where desktop GL compiles it
                    // (the value is undefined, as GLSL says). naga does not fold through
                    // user functions; the arguments are rewritten as usual.
                    self.pow_wrapper = true;
                    self.gap(e, start);
                    e.replaced("isf_pow", start);
                    self.cursor = self.toks[i].end;
                    return Some(i + 1);
                };
                // Desktop GL compilers turn `pow(x, n)` with a small integer literal into
                // multiplications (defined for a negative x, never a constant-folding error).
                self.pows.insert(n);
                self.gap(e, start);
                e.replaced(&format!("{}(", pow_helper(n)), start);
                let (a0, b0) = args[0];
                self.cursor = self.toks[a0].start;
                self.emit_range(e, a0, b0);
                e.replaced(")", self.toks[close].start);
                self.cursor = self.toks[close].end;
                Some(close + 1)
            }
            _ => None,
        }
    }

    /// The value of tokens `[a, b)` when they are an integer-valued literal from -8 to 8
    /// (`3.0`, `2.`, `4`, `-1.0`, `3.0f`).
    fn integer_literal(&self, a: usize, b: usize) -> Option<i32> {
        // `vecN(k)`: the same literal in every component.
        if b >= a + 4
            && matches!(self.text(a), "vec2" | "vec3" | "vec4")
            && self.is(a + 1, "(")
            && self.matching(a + 1, b) == Some(b - 1)
        {
            return self.integer_literal(a + 2, b - 1);
        }
        let (neg, k) = match self.text(a) {
            "-" => (true, a + 1),
            "+" => (false, a + 1),
            _ => (false, a),
        };
        if k + 1 != b || self.toks[k].kind != Kind::Number {
            return None;
        }
        let t = self.text(k);
        let t = t.trim_end_matches(['f', 'F', 'u', 'U']);
        if t.starts_with("0x")
            || t.starts_with("0X")
            || (t.len() > 1 && t.starts_with('0') && !t.contains(['.', 'e', 'E']))
        {
            return None;
        }
        let v: f64 = t.parse().ok()?;
        let v = if neg { -v } else { v };
        (v.fract() == 0.0 && v.abs() <= 8.0).then_some(v as i32)
    }

    /// The size of the unsized array whose `[` `]` are at `open`, `open + 1`, when an array
    /// constructor gives it: `T[](a, b)`, `T name[] = T[](a, b)`, `T[] name = T[N](..)`.
    fn unsized_array_size(&self, open: usize) -> Option<usize> {
        let n = self.toks.len();
        let mut k = open + 2;
        if self.is(k, "(") {
            let close = self.matching(k, n)?;
            return Some(self.split_args(k, close).len());
        }
        if k < n && self.toks[k].kind == Kind::Ident {
            k += 1; // `T[] name = ...`
        }
        if !self.is(k, "=") || k + 2 >= n || self.toks[k + 1].kind != Kind::Ident {
            return None;
        }
        k += 2;
        if !self.is(k, "[") {
            return None;
        }
        if self.is(k + 1, "]") && self.is(k + 2, "(") {
            let close = self.matching(k + 2, n)?;
            return Some(self.split_args(k + 2, close).len());
        }
        if self.is(k + 2, "]") && self.toks.get(k + 1)?.kind == Kind::Number {
            return self.text(k + 1).parse().ok();
        }
        None
    }

    /// Index of the first token at or after `from` that is `;` or `{` at bracket depth 0.
    fn statement_end(&self, from: usize) -> usize {
        let mut depth = 0i32;
        let mut i = from;
        while i < self.toks.len() {
            if !self.toks[i].directive {
                match self.text(i) {
                    "(" | "[" => depth += 1,
                    ")" | "]" => depth -= 1,
                    ";" | "{" if depth <= 0 => return i,
                    _ => {}
                }
            }
            i += 1;
        }
        self.toks.len()
    }

    /// The end (exclusive) of the directive starting at `i` (a `#` token).
    fn directive_end(&self, i: usize) -> usize {
        let mut j = i + 1;
        while j < self.toks.len() && self.toks[j].directive && self.text(j) != "#" {
            j += 1;
        }
        j
    }

    fn directive(&mut self, e: &mut Emitter, i: usize) -> usize {
        let end = self.directive_end(i);
        let name = if i + 1 < end {
            self.text(i + 1).to_ascii_lowercase()
        } else {
            String::new()
        };
        match name.as_str() {
            // We set the version, extensions do not apply to naga, pragmas are hints.
            "include" => {
                self.errors.push((
                    self.toks[i].start,
                    "#include is not supported: GLSL 1.x has no #include (ARB_shading_language_include is not available to ISF shaders); paste the code in".into(),
                ));
                self.gap(e, self.toks[i].start);
                self.cursor = self.toks[end - 1].end;
            }
            "version" | "extension" | "pragma" => {
                self.gap(e, self.toks[i].start);
                self.cursor = self.toks[end - 1].end;
            }
            // A macro named like a function of the generated code would rewrite that code.
            "define"
                if i + 2 < end && {
                    let t = self.toks[i + 2];
                    let written = &self.src[t.start..t.end];
                    written == "main" || written.starts_with("isf_")
                } =>
            {
                let t = self.toks[i + 2];
                let macro_name = self.src[t.start..t.end].to_owned();
                self.errors.push((
                    self.toks[i + 2].start,
                    format!("a macro cannot be named \"{macro_name}\": `main` and names starting with isf_ are the shader's entry point and isfkit's own"),
                ));
                self.gap(e, self.toks[i].start);
                self.cursor = self.toks[end - 1].end;
            }
            _ => {
                self.tok_verbatim(e, i);
                if i + 1 < end {
                    let lower = self.text(i + 1).to_ascii_lowercase();
                    self.tok_replace(e, i + 1, &lower);
                    self.emit_range(e, i + 2, end);
                }
            }
        }
        end
    }

    /// Rewrites the whole stage; `varyings` must already hold every varying of both stages.
    pub fn run(mut self, varyings: &mut Varyings) -> Output {
        let mut e = Emitter::default();
        let mut has_main = false;
        let n = self.toks.len();
        // A built-in of the other stage: naga's error has no place in the user's code.
        let (other, wrong): (&str, &[&str]) = match self.stage {
            Stage::Fragment => (
                "vertex",
                &[
                    "gl_Position",
                    "gl_PointSize",
                    "gl_VertexID",
                    "gl_VertexIndex",
                    "gl_InstanceID",
                    "gl_InstanceIndex",
                ],
            ),
            Stage::Vertex => (
                "fragment",
                &[
                    "gl_FragCoord",
                    "gl_FragColor",
                    "gl_FragData",
                    "gl_FragDepth",
                    "gl_FrontFacing",
                    "gl_PointCoord",
                    // Fragment-only statements and functions (GL compilers refuse them in a
                    // vertex shader; naga's "Uses operations forbidden at this stage" names
                    // no place).
                    "discard",
                    "dFdx",
                    "dFdy",
                    "fwidth",
                ],
            ),
        };
        if let Some(t) = self
            .toks
            .iter()
            .find(|t| !t.directive && wrong.contains(&&self.src[t.start..t.end]))
        {
            let name = &self.src[t.start..t.end];
            self.errors.push((
                t.start,
                format!("{name} belongs to the {other} shader; this stage cannot use it"),
            ));
        }
        let mut i = 0;
        while i < n {
            if self.toks[i].directive {
                i = self.directive(&mut e, i);
                continue;
            }
            let end = self.statement_end(i);
            if end >= n {
                self.emit_range(&mut e, i, n);
                break;
            }
            let stmt: Vec<&str> = (i..end)
                .filter(|&k| !self.toks[k].directive)
                .map(|k| self.text(k))
                .collect();
            if self.text(end) == "{" {
                let close = self.matching(end, n).unwrap_or(n - 1);
                let is_function =
                    stmt.contains(&"(") && !stmt.contains(&"struct") && !stmt.contains(&"uniform");
                if is_function {
                    let paren = (i..end).find(|&k| self.text(k) == "(").unwrap_or(end);
                    let name_idx = paren.saturating_sub(1).max(i);
                    let ret = (i..name_idx)
                        .map(|k| self.text(k))
                        .rfind(|t| !QUALIFIERS.contains(t))
                        .unwrap_or("void");
                    let is_main = self.text(name_idx) == "main";
                    has_main |= is_main;
                    if is_main {
                        // GLSL's entry point: `void main()` (or `main(void)`). The generated
                        // code calls it so; another signature is the user's error.
                        let params: Vec<&str> = (paren + 1..end).map(|k| self.text(k)).collect();
                        let no_params = matches!(params.as_slice(), [")"] | ["void", ")"]);
                        if ret != "void" || !no_params {
                            self.errors.push((
                                self.toks[name_idx].start,
                                "main must be declared \"void main()\": it returns nothing and takes no parameters".to_owned(),
                            ));
                        }
                    }
                    self.emit_range(&mut e, i, name_idx);
                    if is_main {
                        self.tok_replace(&mut e, name_idx, "isf_user_main");
                    } else {
                        self.tok_verbatim(&mut e, name_idx);
                    }
                    self.emit_range(&mut e, name_idx + 1, end + 1);
                    self.function_body(&mut e, end + 1, close, ret);
                    self.tok_verbatim(&mut e, close);
                } else {
                    self.emit_range(&mut e, i, close + 1);
                }
                i = close + 1;
                continue;
            }
            // A file-scope statement ending in `;`.
            let first = stmt.first().copied().unwrap_or("");
            let io = stmt
                .iter()
                .position(|t| matches!(*t, "varying" | "in" | "out" | "attribute"));
            let has_layout = stmt.contains(&"layout");
            // A prototype's parameters (`float f(in vec2 a);`) are no varyings.
            let prototype = stmt.contains(&"(");
            if let Some(q) = io.filter(|_| !has_layout && !prototype && !stmt.contains(&"uniform"))
            {
                let kind = stmt[q];
                let dir = match (kind, self.stage) {
                    ("varying", Stage::Vertex) | ("out", Stage::Vertex) => "out",
                    ("varying", Stage::Fragment) | ("in", Stage::Fragment) => "in",
                    ("out", Stage::Fragment) => "out",
                    _ => "",
                };
                if !dir.is_empty() {
                    if kind == "out" && self.stage == Stage::Fragment {
                        // The user's colour output becomes a private global that the
                        // generated main copies into `isf_FragColor`, which always exists: the
                        // declaration may sit in a block the preprocessor drops (`#ifdef
                        // GRIMOIRE ... #endif`), and the rewriter does not evaluate `#if`s.
                        // The `#define` is dropped with it.
                        let out_tok = (i..end).find(|&k| self.text(k) == "out").unwrap_or(i);
                        self.emit_range(&mut e, i, out_tok);
                        self.gap(&mut e, self.toks[out_tok].start);
                        self.cursor = self.toks[out_tok].end;
                        self.emit_range(&mut e, out_tok + 1, end + 1);
                        if let Some(&(name, ..)) = self.declarators(i, end).first() {
                            e.generated(&format!(
                                "\n#define isf_user_output {}\n",
                                self.text(name)
                            ));
                        }
                    } else {
                        self.varying_decl(&mut e, i, end, varyings, dir);
                    }
                    i = end + 1;
                    continue;
                }
            }
            if stmt.contains(&"uniform") && !has_layout {
                // Uniforms the ISF header declares live in the generated block: drop them.
                let names = self.declarator_names(i, end);
                if !names.is_empty() && names.iter().all(|n| self.is_generated_name(n)) {
                    self.gap(&mut e, self.toks[i].start);
                    self.cursor = self.toks[end].end;
                    i = end + 1;
                    continue;
                }
                if self.undeclared_uniform(&mut e, i, end, &names) {
                    i = end + 1;
                    continue;
                }
            }
            let has_init = (i..end).any(|k| self.text(k) == "=");
            if has_init && first == "const" {
                // naga panics const-evaluating a texture read (found by fuzzing); GLSL
                // rejects it too: a constant is a constant expression.
                let read = (i..end).find(|&k| {
                    let t = self.toks[k];
                    TEXTURE_READS.contains(&&self.src[t.start..t.end]) && self.is(k + 1, "(")
                });
                if let Some(k) = read {
                    let t = self.toks[k];
                    self.errors.push((
                        t.start,
                        format!(
                            "a const cannot be initialised with a texture read ({}): drop `const`",
                            &self.src[t.start..t.end]
                        ),
                    ));
                }
            }
            if has_init && first == "const" && self.needs_run_time_value(i, end) {
                // `const vec3 c = mix(...)`: GLSL folds it, naga cannot; a global set before
                // the user's main has the same value.
                for (name, ..) in self.declarators(i, end) {
                    self.demoted_consts.push(self.text(name));
                }
                self.gap(&mut e, self.toks[i].start);
                self.cursor = self.toks[i].end; // drop `const`
                self.move_initialisers(&mut e, i + 1, end);
                i = end + 1;
                continue;
            }
            if has_init
                && first != "const"
                && !stmt.contains(&"uniform")
                && self.looks_like_declaration(i, end)
            {
                self.move_initialisers(&mut e, i, end);
                i = end + 1;
                continue;
            }
            self.emit_range(&mut e, i, end + 1);
            i = end + 1;
        }
        self.gap(&mut e, self.src.len());
        let float_overloads = self.float_overloads_needed();
        let inits = std::mem::take(&mut self.inits);
        e.generated("\nvoid isf_init_user_globals() {\n");
        e.append(inits);
        e.generated("}\n");
        Output {
            emitter: e,
            has_main,
            varyings_declared: self.varyings_declared,
            matrices: self.matrices,
            pows: self.pows,
            pow_wrapper: self.pow_wrapper,
            float_overloads,
            matrix_constructors: self.matrix_constructors,
            errors: self.errors,
        }
    }

    /// The built-ins of [`FLOAT_OVERLOADS`] this stage calls and does not define for a float
    /// itself.
    fn float_overloads_needed(&self) -> Vec<&'static str> {
        FLOAT_OVERLOADS
            .iter()
            .filter(|(name, _)| {
                let called =
                    (0..self.toks.len()).any(|k| self.text(k) == *name && self.is(k + 1, "("));
                let defined = (1..self.toks.len()).any(|k| {
                    self.text(k) == *name && self.text(k - 1) == "float" && self.is(k + 1, "(")
                });
                called && !defined
            })
            .map(|(name, _)| *name)
            .collect()
    }

    /// Whether the initialiser of the `const` declaration `[i, end)` calls a function naga's
    /// constant evaluator lacks (or one the rewriter replaces, as `pow` and `mod`), a user
    /// function, or names a `const` already found so.
    fn needs_run_time_value(&self, i: usize, end: usize) -> bool {
        let Some(eq) = (i..end).find(|&k| self.text(k) == "=") else {
            return false;
        };
        (eq + 1..end).any(|k| {
            let t = self.text(k);
            if self.toks[k].kind == Kind::Number {
                return overflows_float(t);
            }
            if self.toks[k].kind != Kind::Ident || (k > 0 && self.text(k - 1) == ".") {
                return false;
            }
            if self.demoted_consts.contains(&t) {
                return true;
            }
            self.is(k + 1, "(")
                && !builtin_value_type(t)
                && !CONST_FOLDED.contains(&t)
                && !self.is_struct_name(t)
        })
    }

    /// Whether `name` is declared as a struct (`struct name {`) in this stage.
    fn is_struct_name(&self, name: &str) -> bool {
        (1..self.toks.len()).any(|k| self.text(k) == name && self.text(k - 1) == "struct")
    }

    fn is_generated_name(&self, name: &str) -> bool {
        matches!(
            name,
            "TIME" | "TIMEDELTA" | "RENDERSIZE" | "PASSINDEX" | "FRAMEINDEX" | "DATE"
        ) || self.layout.fields.iter().any(|f| f.glsl_name == name)
            || self.layout.texture_by_glsl(name).is_some()
            || self
                .layout
                .fields
                .iter()
                .any(|f| matches!(&f.role, crate::layout::FieldRole::Input(n) if n == name || crate::words::glsl_name(n) == name))
    }

    /// `uniform T a, b;` of a value type the ISF header does not declare: nothing would ever
    /// set it (GL leaves it 0) and naga wants a binding for it, so it becomes a private global
    /// set to zero in `isf_init_user_globals()`. Returns false (leaving the statement alone)
    /// for anything else.
    fn undeclared_uniform(
        &mut self,
        e: &mut Emitter,
        i: usize,
        end: usize,
        names: &[String],
    ) -> bool {
        let mut k = i;
        while k < end && QUALIFIERS.contains(&self.text(k)) {
            k += 1;
        }
        if !self.is(k, "uniform") {
            return false;
        }
        let mut t = k + 1;
        while t < end && QUALIFIERS.contains(&self.text(t)) {
            t += 1;
        }
        let ty = if t < end { self.text(t) } else { "" };
        let decls = self.declarators(i, end);
        if !builtin_value_type(ty)
            || names.iter().any(|n| self.is_generated_name(n))
            || decls.iter().any(|d| d.2.is_some() || d.1 != d.0 + 1)
        {
            return false;
        }
        self.emit_range(e, i, k);
        self.gap(e, self.toks[k].start);
        self.cursor = self.toks[k].end; // drop `uniform`
                                        // A constant initialiser in the declaration (not a store in isf_init_user_globals,
                                        // which a later `#define time TIME` would turn into a store into TIME).
        let mut from = k + 1;
        for (name, ..) in decls {
            self.emit_range(e, from, name + 1);
            e.generated(&format!(" = {ty}(0)"));
            from = name + 1;
        }
        self.emit_range(e, from, end + 1);
        true
    }

    /// `T a = x, b[2] = y` is a declaration when it starts with a type and a name.
    fn looks_like_declaration(&self, i: usize, end: usize) -> bool {
        let mut k = i;
        while k < end && QUALIFIERS.contains(&self.text(k)) {
            k += 1;
        }
        if k >= end || self.toks[k].kind != Kind::Ident {
            return false;
        }
        k += 1;
        if self.is(k, "[") {
            // `float[3] a = ...`
            k = self.matching(k, end).map_or(end, |c| c + 1);
        }
        k < end && self.toks[k].kind == Kind::Ident
    }

    /// Names declared by a declaration statement `[qualifiers] TYPE a, b[2] = ..;`.
    fn declarator_names(&self, i: usize, end: usize) -> Vec<String> {
        self.declarators(i, end)
            .into_iter()
            .map(|d| self.text(d.0).to_owned())
            .collect()
    }

    /// For each declarator: (name token, end of `name[..]` part, optional `=` token, end).
    /// The array size written on a declaration's type (`[2]` of `float[2] a, b;`, which
    /// makes every name an array), from the type's token `ty`; empty without one.
    fn type_array_suffix(&self, ty: usize, end: usize) -> String {
        match self
            .is(ty + 1, "[")
            .then(|| self.matching(ty + 1, end))
            .flatten()
        {
            Some(close) => (ty + 1..=close).map(|q| self.text(q)).collect(),
            None => String::new(),
        }
    }

    fn declarators(&self, i: usize, end: usize) -> Vec<(usize, usize, Option<usize>, usize)> {
        // The type is the last identifier before the first declarator name: find the first
        // identifier followed by `=`, `,`, `[` or `;` after at least one type token.
        let mut k = i;
        while k < end
            && (QUALIFIERS.contains(&self.text(k))
                || matches!(
                    self.text(k),
                    "uniform" | "const" | "varying" | "in" | "out" | "attribute"
                ))
        {
            k += 1;
        }
        // Skip the type (and an array size on it: `float[3] a`).
        k += 1;
        if self.is(k, "[") {
            k = self.matching(k, end).map_or(end, |c| c + 1);
        }
        let mut out = Vec::new();
        let mut depth = 0;
        let mut start = k;
        for j in k..=end {
            let s = if j < end { self.text(j) } else { "," };
            match s {
                "(" | "[" | "{" => depth += 1,
                ")" | "]" | "}" => depth -= 1,
                "," if depth == 0 => {
                    if start < j && self.toks[start].kind == Kind::Ident {
                        let eq = (start..j).find(|&q| self.text(q) == "=");
                        let name_end = eq.unwrap_or(j);
                        out.push((start, name_end, eq, j));
                    }
                    start = j + 1;
                }
                _ => {}
            }
        }
        out
    }

    /// `vec2 a = x, b;` at file scope -> `vec2 a, b;` plus `a = x;` in isf_init_user_globals().
    fn move_initialisers(&mut self, e: &mut Emitter, i: usize, end: usize) {
        let decls = self.declarators(i, end);
        if decls.is_empty() {
            self.emit_range(e, i, end + 1);
            return;
        }
        self.emit_range(e, i, decls[0].0);
        for (n, &(name, name_end, eq, dend)) in decls.iter().enumerate() {
            if n > 0 {
                e.generated(", ");
                self.cursor = self.toks[name].start;
            }
            self.emit_range(e, name, name_end);
            if let Some(eq) = eq.filter(|&eq| {
                // `float x = ;`: moved into isf_init_user_globals, naga's error would point
                // at the generated code.
                let empty = eq + 1 >= dend;
                if empty {
                    self.errors.push((
                        self.toks[eq].start,
                        "a value is missing after \"=\"".to_owned(),
                    ));
                }
                !empty
            }) {
                let mut inits = std::mem::take(&mut self.inits);
                let saved = self.cursor;
                inits.generated("    ");
                self.name_into(&mut inits, name);
                inits.generated(" =");
                self.cursor = self.toks[eq].end;
                self.emit_range(&mut inits, eq + 1, dend);
                inits.generated(";\n");
                self.inits = inits;
                self.cursor = saved.max(self.toks[dend.min(end) - 1].end);
            }
            self.cursor = self.cursor.max(self.toks[dend - 1].end);
        }
        self.gap(e, self.toks[end].start);
        self.tok_verbatim(e, end);
    }

    /// `varying vec2 a, b[3];` -> one located declaration per name.
    fn varying_decl(
        &mut self,
        e: &mut Emitter,
        i: usize,
        end: usize,
        varyings: &mut Varyings,
        dir: &str,
    ) {
        let mut k = i;
        let mut interp = Vec::new();
        while k < end
            && (QUALIFIERS.contains(&self.text(k))
                || matches!(self.text(k), "varying" | "in" | "out"))
        {
            if matches!(
                self.text(k),
                "flat" | "noperspective" | "centroid" | "smooth"
            ) {
                interp.push(self.text(k));
            }
            k += 1;
        }
        if k >= end {
            self.emit_range(e, i, end + 1);
            return;
        }
        let ty = self.text(k);
        // naga (like GLSL) passes only numbers between the stages, integers `flat`.
        if !is_varying_type(ty) {
            self.errors.push((
                self.toks[k].start,
                format!("a varying cannot be of type {ty}: varyings are float, vec2-4, mat2-4 or flat integer types"),
            ));
        } else if is_integer_type(ty) && !interp.contains(&"flat") {
            self.errors.push((
                self.toks[k].start,
                format!("a varying of integer type {ty} needs the \"flat\" qualifier (flat varying {ty} ...)"),
            ));
        }
        self.gap(e, self.toks[i].start);
        self.cursor = self.toks[end].end;
        let on_type = self.type_array_suffix(k, end);
        for (name, name_end, _, _) in self.declarators(i, end) {
            let nm = self.text(name);
            let suffix: String = (name + 1..name_end).map(|q| self.text(q)).collect();
            let suffix = format!("{on_type}{suffix}");
            let slots = varying_slots(ty, &suffix);
            let decl = format!("{ty} {nm}{suffix}");
            let loc = varyings.location(nm, &decl, slots);
            let q = if interp.is_empty() {
                String::new()
            } else {
                format!("{} ", interp.join(" "))
            };
            let mut text = located_decls(&decl, loc, &q, dir);
            if let Some((cols, _)) = matrix_columns(ty).filter(|_| suffix.is_empty()) {
                // The shader keeps using the matrix: a private global the generated `main`
                // fills from (fragment) or copies into (vertex) the column varyings.
                text.push_str(&format!("{decl}; "));
                self.matrices.push((nm.to_owned(), ty.to_owned(), cols));
            }
            self.varyings_declared.push(nm.to_owned());
            e.replaced(&text, self.toks[name].start);
        }
    }

    /// A function body `[from, close)`: wraps return values in the function's type and adds a
    /// final `return T(0);` when the body does not end in a return.
    fn function_body(&mut self, e: &mut Emitter, from: usize, close: usize, ret: &str) {
        let typed = builtin_value_type(ret);
        let mut i = from;
        let mut last_stmt_start = from;
        let mut depth = 0;
        while i < close {
            let s = self.text(i);
            if self.toks[i].directive {
                let end = self.directive_end(i).min(close);
                self.emit_range(e, i, end);
                i = end;
                continue;
            }
            match s {
                "{" => depth += 1,
                "}" => {
                    depth -= 1;
                    self.shadowed.retain(|(_, d)| *d <= depth);
                    if depth == 0 {
                        last_stmt_start = i + 1;
                    }
                }
                ";" if depth == 0 => last_stmt_start = i + 1,
                _ => {}
            }
            if builtin_value_type(s)
                && i + 2 < close
                && self.toks[i + 1].kind == Kind::Ident
                && self.layout.texture_by_glsl(self.text(i + 1)).is_some()
                && matches!(self.text(i + 2), "=" | ";" | "," | "[")
            {
                self.shadowed.push((self.text(i + 1).to_owned(), depth));
            }
            if typed && s == "return" && !self.is(i + 1, ";") {
                let semi = (i + 1..close).find(|&k| {
                    self.text(k) == ";" && {
                        // at bracket depth 0 relative to the return
                        let mut d = 0;
                        for q in i + 1..k {
                            match self.text(q) {
                                "(" | "[" => d += 1,
                                ")" | "]" => d -= 1,
                                _ => {}
                            }
                        }
                        d == 0
                    }
                });
                if let Some(semi) = semi {
                    if depth == 0 {
                        last_stmt_start = semi + 1;
                    }
                    self.tok_verbatim(e, i);
                    self.gap(e, self.toks[i + 1].start);
                    // `return(x);` has no space to keep `return` apart from the type.
                    let space = if self.toks[i].end == self.toks[i + 1].start {
                        " "
                    } else {
                        ""
                    };
                    e.replaced(&format!("{space}{ret}("), self.toks[i + 1].start);
                    self.emit_range(e, i + 1, semi);
                    e.replaced(")", self.toks[semi].start);
                    self.tok_verbatim(e, semi);
                    i = semi + 1;
                    continue;
                }
            }
            // A call is rewritten whole (its arguments hold no statements), and so are the
            // multi-token forms `emit_range` rewrites (`[]`, `gl_FragData[0]`).
            let next = if self.toks[i].kind == Kind::Ident && self.is(i + 1, "(") {
                self.matching(i + 1, close).map_or(i + 1, |m| m + 1)
            } else if s == "[" && self.is(i + 1, "]") {
                i + 2
            } else if s == "gl_FragData" && self.is(i + 1, "[") {
                self.matching(i + 1, close).map_or(i + 1, |m| m + 1)
            } else {
                i + 1
            };
            self.emit_range(e, i, next);
            i = next;
        }
        self.shadowed.clear();
        let ends_with_return = last_stmt_start < close && self.text(last_stmt_start) == "return"
            || (last_stmt_start == close && close > from && self.ends_in_return(from, close));
        if typed && !ends_with_return {
            self.gap(e, self.toks[close].start);
            e.generated(&format!(" return {ret}(0); "));
        }
    }

    /// Whether the last statement at depth 0 of `[from, close)` is a return.
    fn ends_in_return(&self, from: usize, close: usize) -> bool {
        let mut depth = 0;
        let mut start = from;
        for i in from..close {
            match self.text(i) {
                "{" => depth += 1,
                "}" => {
                    depth -= 1;
                    if depth == 0 {
                        start = i + 1
                    }
                }
                ";" if depth == 0 && i + 1 < close => start = i + 1,
                _ => {}
            }
        }
        self.text(start) == "return"
    }
}

/// Collects every varying of a stage into `varyings` (first pass, so both stages agree).
pub fn collect_varyings(
    src: &str,
    toks: &[Token],
    renames: &[Option<String>],
    stage: Stage,
    varyings: &mut Varyings,
    layout: &Layout,
) {
    let rw = Rewriter::new(src, toks, renames, stage, layout);
    let n = toks.len();
    let mut i = 0;
    // Braces and parentheses, counted apart and never below zero: `in`/`out` of a
    // function's parameters are no varyings, nor is an `in` in a body that a stray `)`
    // unbalanced (the fragment's own error; the vertex shader must not declare it).
    let (mut braces, mut parens) = (0u32, 0u32);
    while i < n {
        if toks[i].directive {
            i += 1;
            continue;
        }
        let s = rw.text(i);
        if s == "{" {
            braces += 1;
        } else if s == "}" {
            braces = braces.saturating_sub(1);
        } else if s == "(" {
            parens += 1;
        } else if s == ")" {
            parens = parens.saturating_sub(1);
        } else if braces == 0 && parens == 0 && matches!(s, "varying" | "in" | "out") {
            let is_input_or_output = matches!(
                (s, stage),
                ("varying", _) | ("out", Stage::Vertex) | ("in", Stage::Fragment)
            );
            let start = (0..i)
                .rev()
                .take_while(|&k| QUALIFIERS.contains(&rw.text(k)))
                .last()
                .unwrap_or(i);
            let end = rw.statement_end(i);
            let has_layout = (start..end).any(|k| rw.text(k) == "layout");
            if is_input_or_output && !has_layout && end < n {
                let mut k = i + 1;
                while k < end && QUALIFIERS.contains(&rw.text(k)) {
                    k += 1;
                }
                // Only the types a varying can have: anything else is an error the stage's
                // rewriter reports, and must not reach the other stage as a declaration.
                if k < end && is_varying_type(rw.text(k)) {
                    let ty = rw.text(k);
                    let on_type = rw.type_array_suffix(k, end);
                    for (name, name_end, _, _) in rw.declarators(start, end) {
                        let nm = rw.text(name);
                        let suffix: String = (name + 1..name_end).map(|q| rw.text(q)).collect();
                        let suffix = format!("{on_type}{suffix}");
                        let slots = varying_slots(ty, &suffix);
                        varyings.location(nm, &format!("{ty} {nm}{suffix}"), slots);
                    }
                }
            }
            i = end;
            continue;
        }
        i += 1;
    }
}
