//! The statement level of the rewriter at file scope: the pass [`Rewriter::run`] makes over
//! a stage's directives, declarations and function definitions, and the code it generates
//! after them.

use super::*;

impl<'a> Rewriter<'a> {
    /// Reports the first built-in of the other stage that the code names, and the first
    /// variable of the user's named like a built-in (`gl_...`).
    pub(super) fn check_stage_builtins(&mut self) {
        // `TYPE gl_Name ...`: the generated code reads the built-in, and a variable in its
        // place would make that code wrong. (`invariant gl_Position;` and `return gl_X;` are
        // no declarations.)
        let declared = (1..self.toks.len().saturating_sub(1)).find(|&k| {
            let (t, before) = (&self.toks[k], &self.toks[k - 1]);
            !t.directive
                && self.text(k).starts_with("gl_")
                && before.kind == Kind::Ident
                && !matches!(
                    self.text(k - 1),
                    "invariant" | "return" | "else" | "do" | "case"
                )
                && matches!(self.text(k + 1), ";" | "=" | "[" | "," | ")")
        });
        // A constructor without arguments: GLSL has none, and naga panics folding some
        // (`mat4() * mat4()`). The first one is said (a file may hold thousands).
        let empty = (0..self.toks.len().saturating_sub(2)).find(|&k| {
            !self.toks[k].directive
                && self.text(k + 1) == "("
                && self.text(k + 2) == ")"
                && expr::is_constructor_type(self.text(k))
        });
        if let Some(k) = empty {
            let name = self.text(k).to_owned();
            self.errors.push((
                self.toks[k].start,
                format!("{name}() constructs nothing: a constructor takes at least one argument"),
            ));
        }
        if let Some(k) = declared {
            let name = self.text(k).to_owned();
            self.errors.push((
                self.toks[k].start,
                format!("{name} cannot be declared: names starting with gl_ are GLSL's own"),
            ));
        }
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
    }

    /// Rewrites the file-scope item that starts at token `i`: a directive, a function
    /// definition or another braced declaration, or a statement ending in `;` (or the rest
    /// of the file, when no statement ends). Returns the index after it; sets `has_main` when
    /// the item defines `main`.
    pub(super) fn file_scope_item(
        &mut self,
        e: &mut Emitter,
        i: usize,
        varyings: &mut Varyings,
        has_main: &mut bool,
    ) -> usize {
        let n = self.toks.len();
        if self.toks[i].directive {
            return self.directive(e, i);
        }
        let end = self.statement_end(i);
        if end >= n {
            self.emit_range(e, i, n);
            return n;
        }
        let stmt: Vec<&'a str> = (i..end)
            .filter(|&k| !self.toks[k].directive)
            .map(|k| self.text(k))
            .collect();
        if self.text(end) == "{" {
            let close = self.matching(end, n).unwrap_or(n - 1);
            let is_function =
                stmt.contains(&"(") && !stmt.contains(&"struct") && !stmt.contains(&"uniform");
            if is_function {
                *has_main |= self.function_definition(e, i, end, close);
            } else {
                self.emit_range(e, i, close + 1);
            }
            return close + 1;
        }
        self.file_scope_statement(e, i, end, &stmt, varyings);
        end + 1
    }

    /// A directive starting at token `i`: `#version`, `#extension` and `#pragma` are dropped,
    /// `#include` and macros named like the generated code's functions are errors, others
    /// are kept with a lower-case name and a rewritten body. Returns the index after it.
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

    /// A function definition: its header `[i, end)`, its body from the `{` at `end` to the
    /// `}` at `close`. The user's `main` (which must be `void main()`) is renamed
    /// `isf_user_main`. Returns whether the function is `main`.
    fn function_definition(&mut self, e: &mut Emitter, i: usize, end: usize, close: usize) -> bool {
        let paren = (i..end).find(|&k| self.text(k) == "(").unwrap_or(end);
        let name_idx = paren.saturating_sub(1).max(i);
        let ret = (i..name_idx)
            .map(|k| self.text(k))
            .rfind(|t| !QUALIFIERS.contains(t))
            .unwrap_or("void");
        let is_main = self.text(name_idx) == "main";
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
        self.sampler_params.clear();
        self.emit_range(e, i, name_idx);
        if is_main {
            self.tok_replace(e, name_idx, "isf_user_main");
        } else {
            self.tok_verbatim(e, name_idx);
        }
        self.in_signature = true;
        self.emit_range(e, name_idx + 1, end + 1);
        self.in_signature = false;
        self.function_body(e, end + 1, close, ret);
        self.sampler_params.clear();
        self.tok_verbatim(e, close);
        is_main
    }

    /// A file-scope statement `[i, end)` ending in the `;` at `end`; `stmt` is the text of its
    /// tokens, directives left out.
    fn file_scope_statement(
        &mut self,
        e: &mut Emitter,
        i: usize,
        end: usize,
        stmt: &[&'a str],
        varyings: &mut Varyings,
    ) {
        // `invariant gl_Position;` redeclares a built-in as invariant: a hint for programs
        // that draw one thing twice, which naga's output would declare twice. Dropped.
        if stmt.first() == Some(&"invariant")
            && stmt[1..].iter().all(|w| *w == "," || w.starts_with("gl_"))
        {
            self.gap(e, self.toks[i].start);
            self.cursor = self.toks[end].end;
            return;
        }
        let has_layout = stmt.contains(&"layout");
        if let Some((kind, dir)) = self.in_out_kind(stmt).filter(|_| !has_layout) {
            // The fragment stage's own output becomes a private global; a varying gets its
            // location.
            if kind == "out" && self.stage == Stage::Fragment {
                self.fragment_output(e, i, end);
            } else {
                self.varying_decl(e, i, end, varyings, dir);
            }
            return;
        }
        if stmt.contains(&"uniform") && !has_layout && self.uniform_declaration(e, i, end) {
            return;
        }
        if self.initialised_global(e, i, end, stmt) {
            return;
        }
        self.emit_range(e, i, end + 1);
    }

    /// Whether the statement `stmt` declares a varying, or the fragment stage's own `out` (it
    /// has `varying`, `in`, `out` or `attribute`, and is no prototype and no uniform): its
    /// qualifier as written and the direction it takes in this stage; None for any other
    /// statement.
    fn in_out_kind(&self, stmt: &[&'a str]) -> Option<(&'a str, &'static str)> {
        let io = stmt
            .iter()
            .position(|t| matches!(*t, "varying" | "in" | "out" | "attribute"));
        // A prototype's parameters (`float f(in vec2 a);`) are no varyings.
        let prototype = stmt.contains(&"(");
        let q = io.filter(|_| !prototype && !stmt.contains(&"uniform"))?;
        let kind = stmt[q];
        let dir = match (kind, self.stage) {
            ("varying", Stage::Vertex) | ("out", Stage::Vertex) => "out",
            ("varying", Stage::Fragment) | ("in", Stage::Fragment) => "in",
            ("out", Stage::Fragment) => "out",
            _ => return None,
        };
        Some((kind, dir))
    }

    /// The user's colour output `[i, end)` becomes a private global that the generated main
    /// copies into `isf_FragColor`, which always exists: the declaration may sit in a block
    /// the preprocessor drops (`#ifdef GRIMOIRE ... #endif`), and the rewriter does not
    /// evaluate `#if`s. The `#define` is dropped with it.
    fn fragment_output(&mut self, e: &mut Emitter, i: usize, end: usize) {
        let out_tok = (i..end).find(|&k| self.text(k) == "out").unwrap_or(i);
        self.emit_range(e, i, out_tok);
        self.gap(e, self.toks[out_tok].start);
        self.cursor = self.toks[out_tok].end;
        self.emit_range(e, out_tok + 1, end + 1);
        if let Some(&(name, ..)) = self.declarators(i, end).first() {
            e.generated(&format!("\n#define isf_user_output {}\n", self.text(name)));
        }
    }

    /// A `uniform` declaration `[i, end)` without `layout`: dropped when the ISF header
    /// declares all its names, else handled by [`Rewriter::undeclared_uniform`]. Returns
    /// whether it was written (or dropped).
    fn uniform_declaration(&mut self, e: &mut Emitter, i: usize, end: usize) -> bool {
        // Uniforms the ISF header declares live in the generated block: drop them.
        let names = self.declarator_names(i, end);
        if !names.is_empty() && names.iter().all(|n| self.is_generated_name(n)) {
            self.gap(e, self.toks[i].start);
            self.cursor = self.toks[end].end;
            return true;
        }
        self.undeclared_uniform(e, i, end, &names)
    }

    /// A global declaration `[i, end)` with an initialiser: a `const` naga cannot fold loses
    /// `const`, and it and any other global's initialisers move into
    /// `isf_init_user_globals()`. Returns whether it was written.
    fn initialised_global(
        &mut self,
        e: &mut Emitter,
        i: usize,
        end: usize,
        stmt: &[&'a str],
    ) -> bool {
        let first = stmt.first().copied().unwrap_or("");
        let has_init = (i..end).any(|k| self.text(k) == "=");
        if has_init && first == "const" {
            self.const_texture_read(i, end);
        }
        if has_init && first == "const" && self.needs_run_time_value(i, end) {
            // `const vec3 c = mix(...)`: GLSL folds it, naga cannot; a global set before
            // the user's main has the same value.
            for (name, ..) in self.declarators(i, end) {
                self.demoted_consts.push(self.text(name));
            }
            self.gap(e, self.toks[i].start);
            self.cursor = self.toks[i].end; // drop `const`
            self.move_initialisers(e, i + 1, end);
            return true;
        }
        if has_init
            && first != "const"
            && !stmt.contains(&"uniform")
            && self.looks_like_declaration(i, end)
        {
            self.move_initialisers(e, i, end);
            return true;
        }
        false
    }

    /// Reports a texture read in the initialiser of the `const` declaration `[i, end)`.
    fn const_texture_read(&mut self, i: usize, end: usize) {
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

    /// The second file-scope declaration of a name, when one name is declared twice in the
    /// same branch of the `#if`s (`TYPE NAME` followed by `;`, `=`, `[` or `,` outside braces
    /// and parentheses): its offset and the message. GLSL refuses it, and the generated code
    /// that reads one of the two would meet the other.
    fn duplicate_global(&self) -> Option<(usize, String)> {
        let text = |i: usize| self.toks.get(i).map_or("", |t| &self.src[t.start..t.end]);
        let mut seen: Vec<(&str, usize)> = Vec::new();
        let (mut depth, mut branch) = (0i32, 0usize);
        for (i, t) in self.toks.iter().enumerate() {
            if t.directive {
                let conditional = matches!(
                    text(i + 1),
                    "if" | "ifdef" | "ifndef" | "else" | "elif" | "endif"
                );
                if text(i) == "#" && conditional {
                    branch += 1;
                }
                continue;
            }
            match text(i) {
                "{" | "(" => depth += 1,
                "}" | ")" => depth -= 1,
                _ => {}
            }
            let declares = depth == 0
                && i > 0
                && t.kind == Kind::Ident
                && self.toks[i - 1].kind == Kind::Ident
                && !self.toks[i - 1].directive
                && !matches!(text(i - 1), "return" | "invariant" | "else" | "struct")
                && matches!(text(i + 1), ";" | "=" | "[" | ",");
            if !declares {
                continue;
            }
            let name = text(i);
            if !seen.contains(&(name, branch)) {
                seen.push((name, branch));
                continue;
            }
            let varying = (0..i)
                .rev()
                .map(text)
                .take_while(|w| !matches!(*w, ";" | "}"))
                .any(|w| matches!(w, "varying" | "in" | "out" | "attribute"));
            let message = if varying {
                format!("the varying \"{name}\" is declared more than once; GLSL allows one declaration of a name")
            } else {
                format!("\"{name}\" is declared more than once at file scope; GLSL allows one declaration of a name")
            };
            return Some((t.start, message));
        }
        None
    }

    /// Ends the stage: the rest of the text, then `isf_init_user_globals()` with the
    /// initialisers moved out of global declarations.
    pub(super) fn finish(mut self, mut e: Emitter, has_main: bool) -> Output {
        // A name declared twice (when nothing more particular was found).
        if self.errors.is_empty() {
            self.errors.extend(self.duplicate_global());
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
}
