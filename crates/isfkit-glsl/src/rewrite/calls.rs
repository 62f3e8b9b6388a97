//! The token level of the rewriter: calls. ISF's image macros and texture reads (split
//! samplers), `pow` with an integer exponent, matrix constructors naga lacks.

use super::helpers::{component_splits, matrix_dims};
use super::*;

impl<'a> Rewriter<'a> {
    /// Rewrites a call `name(...)` whose `)` is at `close`; returns the index after it, or
    /// `None` when the call needs no rewrite.
    pub(super) fn rewrite_call(
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
                let sampler = self.sampler_for(&image);
                let sampled = format!("{sample_fn}(sampler2D({image}, {sampler}), ");
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
                let sampler = if b0 == a0 + 1 {
                    self.sampler_for(self.text(a0))
                } else {
                    DEFAULT_SAMPLER.to_owned()
                };
                e.replaced(&format!(", {sampler})"), self.toks[b0.min(close)].start);
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
            _ if self.sampler_fns.contains_key(&(name, args.len()))
                && !args.iter().any(|&(a, b)| {
                    // A prototype's parameter list, not a call.
                    (a..b).any(|k| matches!(self.text(k), "sampler2D" | "sampler2DRect"))
                }) =>
            {
                // A user function with sampler parameters: after each texture it is
                // passed, the sampler to read it through.
                let positions = self.sampler_fns[&(name, args.len())].clone();
                self.tok_verbatim(e, i);
                self.tok_verbatim(e, open);
                for (k, &(a, b)) in args.iter().enumerate() {
                    if k > 0 {
                        self.tok_verbatim(e, a - 1); // the comma
                    }
                    self.emit_range(e, a, b);
                    // Only a texture (or a macro, which may name one) is passed where a
                    // sampler2D is taken: an overload of the same arity that takes no
                    // sampler there gets nothing added.
                    let one = (b == a + 1).then(|| self.text(a));
                    let texture = one.is_some_and(|n| {
                        self.layout.texture_by_glsl(n).is_some()
                            || self.sampler_params.contains(&n)
                            || self.macros.contains(n)
                    });
                    if positions.contains(&k) && texture {
                        let sampler = self.sampler_for(one.unwrap_or_default());
                        e.generated(&format!(", {sampler}"));
                    }
                }
                self.tok_verbatim(e, close);
                Some(close + 1)
            }
            _ => None,
        }
    }

    /// The value of tokens `[a, b)` when they are an integer-valued literal from -8 to 8
    /// (`3.0`, `2.`, `4`, `-1.0`, `3.0f`).
    pub(super) fn integer_literal(&self, a: usize, b: usize) -> Option<i32> {
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
    pub(super) fn unsized_array_size(&self, open: usize) -> Option<usize> {
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
}

/// The prefix of the sampler parameter that goes with a `sampler2D` parameter.
pub(super) const PARAM_SAMPLER_PREFIX: &str = "isf_smp_";

impl<'a> Rewriter<'a> {
    /// The sampler that reads the texture the code names `name`: a texture's own, a
    /// `sampler2D` parameter's partner, else the default one.
    pub(super) fn sampler_for(&self, name: &str) -> String {
        // A parameter first: it shadows a texture of the same name.
        if self.sampler_params.contains(&name) {
            return format!("{PARAM_SAMPLER_PREFIX}{name}");
        }
        if let Some(slot) = self.layout.texture_by_glsl(name) {
            return slot.sampler.clone();
        }
        DEFAULT_SAMPLER.to_owned()
    }

    /// The user functions (definitions and prototypes) with `sampler2D` parameters: by name
    /// and number of parameters, the positions of those parameters.
    pub(super) fn functions_taking_samplers(
        &self,
    ) -> std::collections::HashMap<(&'a str, usize), Vec<usize>> {
        let mut found: std::collections::HashMap<(&'a str, usize), Vec<usize>> = Default::default();
        for i in 0..self.toks.len() {
            // A texture constructor `sampler2D(t, s)`, or an array parameter (which gets no
            // sampler of its own), is not one.
            if self.toks[i].directive
                || !matches!(self.text(i), "sampler2D" | "sampler2DRect")
                || self.is(i + 1, "(")
                || self.is(i + 2, "[")
            {
                continue;
            }
            // The parameter list it is in: the `(` before it, with no `;` or brace between.
            let Some(open) = (0..i)
                .rev()
                .take_while(|&k| !matches!(self.text(k), ";" | "{" | "}"))
                .find(|&k| self.text(k) == "(")
            else {
                continue;
            };
            let Some(close) = self.matching(open, self.toks.len()) else {
                continue;
            };
            if open == 0 || close < i {
                continue;
            }
            let commas =
                |from: usize, to: usize| (from..to).filter(|&k| self.text(k) == ",").count();
            let position = commas(open + 1, i);
            let count = commas(open + 1, close) + 1;
            let positions = found.entry((self.text(open - 1), count)).or_default();
            if !positions.contains(&position) {
                positions.push(position);
            }
        }
        found
    }
}
