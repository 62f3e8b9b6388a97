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
//! sampling call takes `sampler2D(tex, SAMPLER)` with the texture's own sampler; a
//! `sampler2D` parameter becomes a texture and a sampler parameter), and renames `gl_FragColor` and the
//! v1 `vv_` names. A token after `.` is never rewritten (an input named `r` must not touch
//! `.r` swizzles).
//!
//! The modules: `toplevel` walks file scope (directives, declarations, function
//! definitions), `body` function bodies, `expr` the token level, with `calls` for calls;
//! `decls` rewrites file-scope declarations, `varyings` gives varyings their locations,
//! `stream` holds the token-stream utilities, `names` the GLSL names the rewriter
//! recognises, and `helpers` the GLSL of the helper functions it calls.

use crate::emit::Emitter;
use crate::layout::{Layout, DEFAULT_SAMPLER};
use crate::lex::{self, Kind, Token};
use crate::Stage;

mod body;
mod calls;
mod decls;
mod expr;
mod helpers;
mod names;
mod stream;
mod toplevel;
mod varyings;

use calls::PARAM_SAMPLER_PREFIX;
pub use decls::{column_name, is_integer_type, located_decls};
pub use helpers::{
    matrix_constructor_helpers, pow_helper, pow_helpers, FLOAT_OVERLOADS, POW_WRAPPER,
};
use helpers::{overflows_float, wrapped_shift_amount, INFINITY};
use names::{builtin_value_type, CONST_FOLDED, QUALIFIERS, TEXTURE_READS};
use stream::{bracket_pairs, directive_ends};
pub use varyings::{collect_varyings, Varyings};

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
    /// User functions with `sampler2D` parameters, by (name, number of parameters): the
    /// positions of those parameters. Each such parameter becomes a texture and a sampler,
    /// and each call passes the sampler of the texture it passes.
    sampler_fns: std::collections::HashMap<(&'a str, usize), Vec<usize>>,
    /// The `sampler2D` parameters of the function being written: each one's sampler is the
    /// parameter `isf_smp_NAME`.
    sampler_params: Vec<&'a str>,
    /// Writing a function definition's parameter list.
    in_signature: bool,
    /// Names the file `#define`s: one passed where a function takes a `sampler2D` may stand
    /// for a texture.
    macros: std::collections::HashSet<&'a str>,
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
            sampler_fns: Default::default(),
            sampler_params: Vec::new(),
            in_signature: false,
            macros: Default::default(),
        }
    }

    /// Rewrites the whole stage; `varyings` must already hold every varying of both stages.
    pub fn run(mut self, varyings: &mut Varyings) -> Output {
        let mut e = Emitter::default();
        let mut has_main = false;
        self.check_stage_builtins();
        self.sampler_fns = self.functions_taking_samplers();
        self.macros = (2..self.toks.len())
            .filter(|&i| {
                self.toks[i].directive && self.text(i - 1) == "define" && self.text(i - 2) == "#"
            })
            .map(|i| self.text(i))
            .collect();
        let mut i = 0;
        while i < self.toks.len() {
            i = self.file_scope_item(&mut e, i, varyings, &mut has_main);
        }
        self.finish(e, has_main)
    }
}
