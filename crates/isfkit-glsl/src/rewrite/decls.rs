//! The statement level of the rewriter: file-scope declarations. Varyings get locations
//! (matrices split into columns), uniforms the ISF block declares are dropped and others become
//! zero globals, non-constant initialisers (and `const`s naga cannot fold) move into
//! `isf_init_user_globals()`.

use super::*;

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

/// Locations a varying `TYPE name[N]` takes: N (1 without a size), times the columns of a
/// matrix.
pub(super) fn varying_slots(ty: &str, suffix: &str) -> u32 {
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
pub(super) fn is_varying_type(ty: &str) -> bool {
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

impl<'a> Rewriter<'a> {
    /// The built-ins of [`FLOAT_OVERLOADS`] this stage calls and does not define for a float
    /// itself.
    pub(super) fn float_overloads_needed(&self) -> Vec<&'static str> {
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
    pub(super) fn needs_run_time_value(&self, i: usize, end: usize) -> bool {
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
    pub(super) fn is_struct_name(&self, name: &str) -> bool {
        (1..self.toks.len()).any(|k| self.text(k) == name && self.text(k - 1) == "struct")
    }

    pub(super) fn is_generated_name(&self, name: &str) -> bool {
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
    pub(super) fn undeclared_uniform(
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
    pub(super) fn looks_like_declaration(&self, i: usize, end: usize) -> bool {
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
    pub(super) fn declarator_names(&self, i: usize, end: usize) -> Vec<String> {
        self.declarators(i, end)
            .into_iter()
            .map(|d| self.text(d.0).to_owned())
            .collect()
    }

    /// The array size written on a declaration's type (`[2]` of `float[2] a, b;`, which
    /// makes every name an array), from the type's token `ty`; empty without one.
    pub(super) fn type_array_suffix(&self, ty: usize, end: usize) -> String {
        match self
            .is(ty + 1, "[")
            .then(|| self.matching(ty + 1, end))
            .flatten()
        {
            Some(close) => (ty + 1..=close).map(|q| self.text(q)).collect(),
            None => String::new(),
        }
    }

    /// Each varying the declaration `[i, end)` with its type at token `ty` declares: (name
    /// token, name, array suffix: the type's then the name's own).
    pub(super) fn varying_declarators(
        &self,
        i: usize,
        ty: usize,
        end: usize,
    ) -> Vec<(usize, &'a str, String)> {
        let on_type = self.type_array_suffix(ty, end);
        self.declarators(i, end)
            .into_iter()
            .map(|(name, name_end, _, _)| {
                let suffix: String = (name + 1..name_end).map(|q| self.text(q)).collect();
                (name, self.text(name), format!("{on_type}{suffix}"))
            })
            .collect()
    }

    /// For each declarator: (name token, end of `name[..]` part, optional `=` token, end).
    pub(super) fn declarators(
        &self,
        i: usize,
        end: usize,
    ) -> Vec<(usize, usize, Option<usize>, usize)> {
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
    pub(super) fn move_initialisers(&mut self, e: &mut Emitter, i: usize, end: usize) {
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
    pub(super) fn varying_decl(
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
        for (name, nm, suffix) in self.varying_declarators(i, k, end) {
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
                // The macro says the declaration was compiled (not in a false `#if`
                // branch), so the generated copies are too.
                text.push_str(&format!("{decl}; \n#define isf_matrix_{nm}\n"));
                self.matrices.push((nm.to_owned(), ty.to_owned(), cols));
            }
            self.varyings_declared.push(nm.to_owned());
            e.replaced(&text, self.toks[name].start);
        }
    }
}
