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
use crate::lex::{self, Kind, Token};
use crate::Stage;

mod calls;
mod decls;
mod helpers;

pub use decls::{column_name, is_integer_type, located_decls};
use decls::{is_varying_type, varying_slots};
pub use helpers::{
    matrix_constructor_helpers, pow_helper, pow_helpers, FLOAT_OVERLOADS, POW_WRAPPER,
};
use helpers::{overflows_float, INFINITY};

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
    /// Per token: the end (exclusive) of the directive it belongs to, else `NONE`.
    directive_ends: Vec<usize>,
}

const NONE: usize = usize::MAX;

/// For each token of `toks`, the end of the directive it is part of (see
/// [`lex::directives`]), else `NONE`.
fn directive_ends(src: &str, toks: &[Token]) -> Vec<usize> {
    let mut ends = vec![NONE; toks.len()];
    for d in lex::directives(src, toks) {
        ends[d.clone()].fill(d.end);
    }
    ends
}

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
            directive_ends: directive_ends(src, toks),
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
    /// commas: token ranges `[a, b)` (none for `()`).
    fn split_args(&self, open: usize, close: usize) -> Vec<(usize, usize)> {
        let (args, _) = lex::split_args(|i| self.text(i), open, Some(close), close)
            .expect("the closing parenthesis is given");
        if let [only] = &args[..] {
            if only.is_empty() {
                return Vec::new();
            }
        }
        args.into_iter().map(|r| (r.start, r.end)).collect()
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

    /// The end (exclusive) of the directive token `i` belongs to (see
    /// [`lex::directive_spans`]).
    fn directive_end(&self, i: usize) -> usize {
        self.directive_ends[i]
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
