//! isfkit-glsl: ISF GLSL into GLSL 450 for naga, with errors at the user's own lines.
//!
//! [`translate`] rewrites the fragment shader (and the optional vertex shader) token by token
//! (see [`rewrite`]); [`compile`] also parses and validates both stages with naga and maps
//! every error back to the line and column of the user's `.fs`/`.vs`. No GPU is involved.

mod amend;
mod blit;
mod emit;
pub mod layout;
pub mod lex;
mod lower;
mod naga_errors;
pub mod nesting;
mod program;
mod rename;
mod rewrite;
pub mod specialise;
mod validation;
pub mod words;

use std::fmt;

use isfkit_format::diag::MAX_DIAGNOSTICS;
use isfkit_format::{Diagnostic, IsfDocument, Severity};
use serde::Serialize;

pub use blit::blit_modules;
pub use emit::SourceMap;
pub use layout::{Field, FieldRole, FieldType, Layout, TextureSlot, TextureSource};
/// The nesting guard's limits, also reachable as `isfkit_glsl::limits` (the path
/// docs/limits.md names).
pub use nesting as limits;
pub use program::{vertex_shader_path, Facts, LoadError, Program};
pub use validation::{Finding, Validation};

/// A shader stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Vertex,
    Fragment,
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stage::Vertex => "vertex",
            Stage::Fragment => "fragment",
        })
    }
}

/// One translated stage: the generated GLSL and the map back to the user's file.
#[derive(Debug, Clone)]
pub struct StageSource {
    pub stage: Stage,
    pub glsl: String,
    pub map: SourceMap,
    /// The user's text of this stage (the `.fs` with its header blanked, or the `.vs`); empty
    /// for the built-in vertex shader.
    pub user_source: String,
}

impl StageSource {
    /// Puts each mend's text in place of its range (ranges that overlap an earlier one are
    /// left out), keeping the map to the user's file.
    fn apply(&mut self, mut mends: Vec<amend::Mend>) {
        mends.sort_by_key(|m| std::cmp::Reverse(m.range.start));
        let mut floor = usize::MAX;
        for m in mends {
            let fits = m.range.start <= m.range.end
                && self.glsl.is_char_boundary(m.range.start)
                && self.glsl.is_char_boundary(m.range.end);
            if m.range.end > floor || !fits {
                continue;
            }
            floor = m.range.start;
            self.glsl.replace_range(m.range.clone(), &m.text);
            self.map.splice(m.range, m.text.len());
        }
    }
}

/// Both stages, translated.
#[derive(Debug, Clone)]
pub struct Translation {
    pub layout: Layout,
    pub fragment: StageSource,
    pub vertex: StageSource,
}

/// A diagnostic of one stage, positioned in the user's file for that stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageDiagnostic {
    pub stage: Stage,
    #[serde(flatten)]
    pub diagnostic: Diagnostic,
}

/// Compilation failed; every error found, in the user's coordinates.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", render_list(.diagnostics))]
pub struct CompileError {
    pub diagnostics: Vec<StageDiagnostic>,
}

fn render_list(d: &[StageDiagnostic]) -> String {
    d.iter()
        .map(|d| format!("{} shader: {}", d.stage, d.diagnostic))
        .collect::<Vec<_>>()
        .join("\n")
}

impl CompileError {
    /// A panic inside the shader compiler (naga, or a back end wgpu runs it through) on some
    /// input: the shader's error, not the caller's crash. It is a bug, of ours or naga's.
    pub fn from_panic(payload: Box<dyn std::any::Any + Send>) -> CompileError {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        CompileError {
            diagnostics: vec![StageDiagnostic {
                stage: Stage::Fragment,
                diagnostic: Diagnostic::bare(
                    Severity::Error,
                    format!(
                        "the shader compiler failed on this shader ({what}); please report this"
                    ),
                ),
            }],
        }
    }

    /// Renders every diagnostic like a compiler, naming `fs_path` or `vs_path` by stage.
    pub fn render(&self, fs_path: &str, vs_path: &str) -> String {
        self.diagnostics
            .iter()
            .map(|d| {
                d.diagnostic.render(if d.stage == Stage::Vertex {
                    vs_path
                } else {
                    fs_path
                })
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The vertex shader used when the ISF file has none: VVISF's passthrough.
const DEFAULT_VERTEX: &str = "void main()\n{\n\tisf_vertShaderInit();\n}\n";

/// Translates `doc` (and the user's vertex shader text, if any) into GLSL 450.
pub fn translate(doc: &IsfDocument, vertex: Option<&str>) -> Result<Translation, CompileError> {
    let layout = Layout::for_document(doc);
    let header_names = layout.isf_names();
    let fs_src = rename::blank_precision(&lex::strip_comments(&doc.code));
    let fs_toks = lex::tokenize(&fs_src);
    let vs_user = vertex.unwrap_or(DEFAULT_VERTEX);
    let vs_src = rename::blank_precision(&lex::strip_comments(vs_user));
    let vs_toks = lex::tokenize(&vs_src);
    // The nesting guard, before the rewriter or naga recurses over the code.
    for (stage, user, src, toks) in [
        (Stage::Fragment, doc.code.as_str(), &fs_src, &fs_toks),
        (Stage::Vertex, vs_user, &vs_src, &vs_toks),
    ] {
        if let Err(v) = nesting::check(src, toks) {
            return Err(CompileError {
                diagnostics: vec![StageDiagnostic {
                    stage,
                    diagnostic: Diagnostic::at_offset(Severity::Error, user, v.offset, v.message),
                }],
            });
        }
    }
    let fs_renames = rename::token_renames(&fs_src, &fs_toks, &header_names);
    let vs_renames = rename::token_renames(&vs_src, &vs_toks, &header_names);

    let mut varyings = rewrite::Varyings::new();
    rewrite::collect_varyings(
        &vs_src,
        &vs_toks,
        &vs_renames,
        Stage::Vertex,
        &mut varyings,
        &layout,
    );
    rewrite::collect_varyings(
        &fs_src,
        &fs_toks,
        &fs_renames,
        Stage::Fragment,
        &mut varyings,
        &layout,
    );

    let this_location = rewrite::uses_this_pixel(&fs_src, &fs_toks).then(|| varyings.reserve());

    let fs_out = rewrite::Rewriter::new(&fs_src, &fs_toks, &fs_renames, Stage::Fragment, &layout)
        .run(&mut varyings);
    let vs_out = rewrite::Rewriter::new(&vs_src, &vs_toks, &vs_renames, Stage::Vertex, &layout)
        .run(&mut varyings);

    let mut errors = Vec::new();
    for (stage, user, src, out) in [
        (Stage::Fragment, doc.code.as_str(), &fs_src, &fs_out),
        (Stage::Vertex, vs_user, &vs_src, &vs_out),
    ] {
        // A NUL byte outside comments: GL drivers stop reading there or reject it. A
        // comment never closed would hide the rest of the file.
        let found = [
            src.find('\0')
                .map(|off| (off, "a NUL byte is not allowed in GLSL source".to_owned())),
            lex::unclosed_comment(user).map(|off| {
                (
                    off,
                    "this comment is never closed (the */ is missing)".to_owned(),
                )
            }),
        ];
        let all: Vec<(usize, String)> = found
            .into_iter()
            .flatten()
            .chain(out.errors.iter().cloned())
            .collect();
        for (off, message) in all.iter().take(MAX_DIAGNOSTICS) {
            errors.push(StageDiagnostic {
                stage,
                diagnostic: Diagnostic::at_offset(Severity::Error, user, *off, message.clone()),
            });
        }
        if all.len() > MAX_DIAGNOSTICS {
            errors.push(StageDiagnostic {
                stage,
                diagnostic: Diagnostic::left_out(
                    Severity::Error,
                    all.len() - MAX_DIAGNOSTICS,
                    &format!("the {stage} shader's"),
                ),
            });
        }
    }
    if !fs_out.has_main {
        let (line, column) = end_position(&doc.code);
        errors.push(StageDiagnostic {
            stage: Stage::Fragment,
            diagnostic: Diagnostic::at(
                Severity::Error,
                &doc.code,
                line,
                column,
                "the fragment shader has no `void main()` function",
            ),
        });
    }
    if !vs_out.has_main {
        let (line, column) = end_position(vs_user);
        errors.push(StageDiagnostic {
            stage: Stage::Vertex,
            diagnostic: Diagnostic::at(
                Severity::Error,
                vs_user,
                line,
                column,
                "the vertex shader has no `void main()` function",
            ),
        });
    }
    if !errors.is_empty() {
        return Err(CompileError {
            diagnostics: errors,
        });
    }

    let fragment = assemble(
        Stage::Fragment,
        &layout,
        &varyings,
        this_location,
        fs_out,
        doc.code.clone(),
    );
    let vertex = assemble(
        Stage::Vertex,
        &layout,
        &varyings,
        this_location,
        vs_out,
        vertex.map(str::to_owned).unwrap_or_default(),
    );
    Ok(Translation {
        layout,
        fragment,
        vertex,
    })
}

fn end_position(text: &str) -> (u32, u32) {
    let trimmed = text.trim_end();
    isfkit_format::line_col(trimmed, trimmed.len())
}

/// Prelude + rewritten user code + generated `main`.
fn assemble(
    stage: Stage,
    layout: &Layout,
    varyings: &rewrite::Varyings,
    this_location: Option<u32>,
    out: rewrite::Output,
    user_source: String,
) -> StageSource {
    let mut e = emit::Emitter::default();
    let mut pre = String::from("#version 450\n");
    pre.push_str(&layout.declarations());
    let io = if stage == Stage::Vertex { "out" } else { "in" };
    pre.push_str(&format!(
        "layout(location = 0) {io} vec2 isf_FragNormCoord;\n"
    ));
    if let Some(loc) = this_location {
        pre.push_str(&format!(
            "layout(location = {loc}) {io} vec2 {};\n",
            rewrite::THIS_NORM_COORD
        ));
    }
    let mut bools = Vec::new();
    for f in &layout.fields {
        match &f.role {
            FieldRole::Input(name) if f.glsl_name == layout::bool_member(name) => {
                bools.push((words::glsl_name(name), f.glsl_name.clone()))
            }
            FieldRole::ImgFlip(name) => bools.push((format!("_{name}_flip"), f.glsl_name.clone())),
            _ => {}
        }
    }
    for (name, _) in &bools {
        pre.push_str(&format!("bool {name};\n"));
    }
    pre.push_str(&rewrite::pow_helpers(&out.pows));
    for (c, r, k) in &out.matrix_constructors {
        pre.push_str(&rewrite::matrix_constructor_helpers(*c, *r, *k));
    }
    for (name, helper) in rewrite::FLOAT_OVERLOADS {
        if out.float_overloads.contains(name) {
            pre.push_str(helper);
        }
    }
    if out.pow_wrapper {
        pre.push_str(rewrite::POW_WRAPPER);
    }
    match stage {
        Stage::Fragment => {
            pre.push_str("layout(location = 0) out vec4 isf_FragColor;\n");
        }
        Stage::Vertex => {
            // VVISF's quad is a triangle strip bottom-left, bottom-right, top-left,
            // top-right: triangles (bl, br, tl) and (tl, br, tr). Mesa's rasterizer takes
            // the bottom-right corner as the first vertex of both when it draws that strip
            // for GL, and interpolates from the first vertex: with the same first vertex (and
            // winding) here, interpolated varyings (isf_FragNormCoord) are bit for bit those
            // of desktop GL on the same rasterizer (tests/differential).
            pre.push_str(concat!(
                "vec2 isf_VertPos;\n",
                "void isf_vertShaderInit() {\n",
                "    vec2 isf_quad[6] = vec2[6](vec2(1.0, -1.0), vec2(-1.0, 1.0), vec2(-1.0, -1.0),\n",
                "                               vec2(1.0, -1.0), vec2(1.0, 1.0), vec2(-1.0, 1.0));\n",
                "    isf_VertPos = isf_quad[gl_VertexIndex % 6];\n",
                "    gl_Position = vec4(isf_VertPos, 0.0, 1.0);\n",
                "    isf_FragNormCoord = isf_VertPos * 0.5 + 0.5;\n",
            ));
            if this_location.is_some() {
                // Before the user's code can move the quad or change isf_FragNormCoord.
                pre.push_str(&format!(
                    "    {} = isf_FragNormCoord;\n",
                    rewrite::THIS_NORM_COORD
                ));
            }
            pre.push_str("}\n");
        }
    }
    e.generated(&pre);
    let matrices = out.matrices.clone();
    let declared = out.varyings_declared.clone();
    e.append(out.emitter);
    let mut post = String::new();
    if stage == Stage::Vertex {
        // Varyings only the fragment shader declares: outputs nobody writes, so the stages
        // link (the fragment shader then reads zeros or undefined values, as in GL).
        let laid_out = e_decl_names(&e.out);
        for (name, decl, loc) in &varyings.entries {
            if !declared.contains(name) && !laid_out.contains(&name.as_str()) {
                // An integer varying is `flat` in the fragment shader; the output must match.
                let ty = decl.split(' ').next().unwrap_or("");
                let flat = if rewrite::is_integer_type(ty) {
                    "flat "
                } else {
                    ""
                };
                post.push_str(&rewrite::located_decls(decl, *loc, flat, "out"));
                post.push('\n');
            }
        }
    }
    post.push_str("void main() {\n");
    for (name, member) in &bools {
        post.push_str(&format!("    {name} = {member} != 0;\n"));
    }
    if stage == Stage::Fragment {
        // Matrix varyings arrive as columns (naga has no matrix varyings).
        for (name, ty, cols) in &matrices {
            let columns: Vec<String> = (0..*cols).map(|k| rewrite::column_name(name, k)).collect();
            post.push_str(&format!(
                "#ifdef isf_matrix_{name}\n    {name} = {ty}({});\n#endif\n",
                columns.join(", ")
            ));
        }
    }
    post.push_str("    isf_init_user_globals();\n    isf_user_main();\n");
    if stage == Stage::Fragment {
        // A colour output the user declared (see the rewriter) is written out here.
        post.push_str("#ifdef isf_user_output\n    isf_FragColor = isf_user_output;\n#endif\n");
    }
    if stage == Stage::Vertex {
        // After the user's main, so early returns in it are covered too.
        for (name, _, cols) in &matrices {
            post.push_str(&format!("#ifdef isf_matrix_{name}\n"));
            for k in 0..*cols {
                post.push_str(&format!(
                    "    {} = {name}[{k}];\n",
                    rewrite::column_name(name, k)
                ));
            }
            post.push_str("#endif\n");
        }
        // GL's clip space has +y up and row 0 of a framebuffer at the bottom; flipping y here
        // makes row 0 of every wgpu target the GL bottom row, so gl_FragCoord, texture
        // coordinates and read-back rows all follow GL conventions.
        post.push_str("    gl_Position.y = -gl_Position.y;\n");
    }
    post.push_str("}\n");
    e.generated(&post);
    let (glsl, map) = e.finish();
    StageSource {
        stage,
        glsl,
        map,
        user_source,
    }
}

/// Names of `out` declarations with a `layout` already present in generated vertex code (the
/// user may write their own `layout(location = N) out ...`).
fn e_decl_names(glsl: &str) -> Vec<&str> {
    glsl.split(';')
        .filter(|s| s.contains(" out ") && s.contains("layout(location"))
        .filter_map(|s| s.split_whitespace().last())
        .map(|n| n.split('[').next().unwrap_or(n))
        .collect()
}

/// Translates, then parses and validates both stages with naga. (To load a file with its
/// `.vs`, or to compile a Shadertoy shader's Sound pass with it, use [`Program::load`] or
/// [`Program::compile`].)
pub fn compile(doc: &IsfDocument, vertex: Option<&str>) -> Result<Program, CompileError> {
    let (translation, fragment_module, vertex_module) = compile_stages(doc, vertex)?;
    Ok(Program {
        doc: doc.clone(),
        vertex_source: vertex.map(str::to_owned),
        fragment_path: None,
        vertex_path: None,
        label: "shader".into(),
        facts: Facts::of(doc, vertex),
        translation,
        fragment_module,
        vertex_module,
        sound: None,
    })
}

thread_local! {
    /// Set while this thread runs the shader compiler under [`catch_compiler_panic`].
    static IN_COMPILER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` (translation, naga, or wgpu creating shader modules and pipelines), turning a
/// panic into the payload [`CompileError::from_panic`] takes. While `f` runs, a panic is not
/// printed on stderr by the default hook: it is logged at debug level, and the user sees the
/// error at their file instead. Panics elsewhere go to the hook that was installed before.
pub fn catch_compiler_panic<T>(f: impl FnOnce() -> T) -> Result<T, Box<dyn std::any::Any + Send>> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if IN_COMPILER.with(|c| c.get()) {
                tracing::debug!("the shader compiler panicked: {info}");
            } else {
                previous(info);
            }
        }));
    });
    let outer = IN_COMPILER.with(|c| c.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    IN_COMPILER.with(|c| c.set(outer));
    result
}

/// Test hook: panics when the environment variable `ISFKIT_TEST_PANIC` equals `step`
/// (`translate`, or `pipeline` in the renderer), so tests can prove that a panic in the
/// compiler reaches the user as an error. Never set otherwise.
pub fn forced_panic_for_tests(step: &str) {
    if std::env::var("ISFKIT_TEST_PANIC").is_ok_and(|v| v == step) {
        panic!("forced by ISFKIT_TEST_PANIC={step}");
    }
}

/// Both stages translated, parsed and validated.
pub(crate) fn compile_stages(
    doc: &IsfDocument,
    vertex: Option<&str>,
) -> Result<(Translation, naga::Module, naga::Module), CompileError> {
    let mut translation = catch_compiler_panic(|| {
        forced_panic_for_tests("translate");
        translate(doc, vertex)
    })
    .map_err(CompileError::from_panic)??;
    let mut diagnostics = Vec::new();
    // naga recurses per level of nesting: it runs on a thread with a known, large stack, so
    // the guard's margin holds whatever thread called (see `nesting`).
    let (fragment_module, vertex_module) = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("isfkit-naga".into())
            .stack_size(nesting::NAGA_STACK_BYTES)
            .spawn_scoped(scope, || {
                catch_compiler_panic(|| {
                    let fragment = parse_stage(&mut translation.fragment, &mut diagnostics);
                    let vertex = parse_stage(&mut translation.vertex, &mut diagnostics);
                    (fragment, vertex)
                })
            })
            .map(|h| h.join())
    })
    .map_err(|e| CompileError {
        diagnostics: vec![StageDiagnostic {
            stage: Stage::Fragment,
            diagnostic: Diagnostic::bare(
                Severity::Error,
                format!("cannot start the compiler thread: {e}"),
            ),
        }],
    })?
    .and_then(|joined| joined)
    .map_err(CompileError::from_panic)?;
    // The built-in vertex shader holds the fragment shader's varyings: an error the user made
    // in one (placed there) also breaks the generated vertex code, and says nothing more.
    let placed_in_fragment = diagnostics
        .iter()
        .any(|d| d.stage == Stage::Fragment && d.diagnostic.line > 0);
    if placed_in_fragment && translation.vertex.user_source.is_empty() {
        diagnostics.retain(|d| d.stage == Stage::Fragment || d.diagnostic.line > 0);
    }
    match (fragment_module, vertex_module) {
        (Some(fragment_module), Some(vertex_module)) if diagnostics.is_empty() => {
            Ok((translation, fragment_module, vertex_module))
        }
        _ => Err(CompileError { diagnostics }),
    }
}

fn parse_stage(src: &mut StageSource, out: &mut Vec<StageDiagnostic>) -> Option<naga::Module> {
    let stage = match src.stage {
        Stage::Vertex => naga::ShaderStage::Vertex,
        Stage::Fragment => naga::ShaderStage::Fragment,
    };
    let mut options = naga::front::glsl::Options::from(stage);
    // Real shaders test `#if __VERSION__ <= 120`; the rewriter targets the GLSL 1.x forms.
    options.defines.insert("__VERSION__".into(), "120".into());
    let mut round = 0;
    let mut module = loop {
        round += 1;
        let mut frontend = naga::front::glsl::Frontend::default();
        let last = round == amend::MAX_ROUNDS;
        match frontend.parse(&options, &src.glsl) {
            Ok(m) => {
                let mends = amend::for_module(&src.glsl, &m);
                if mends.is_empty() || last {
                    break m;
                }
                src.apply(mends);
            }
            Err(errors) => {
                let mends = amend::for_parse_errors(&src.glsl, &errors.errors);
                if mends.is_empty() || last {
                    out.extend(naga_errors::parse_errors(src, errors.errors));
                    return None;
                }
                src.apply(mends);
            }
        }
    };
    lower::lower(&mut module);
    specialise::pass_index(&mut module);
    let mut validator = naga::valid::Validator::new(
        naga::valid::ValidationFlags::all(),
        naga::valid::Capabilities::all(),
    );
    let info = match validator.validate(&module) {
        Ok(info) => info,
        Err(err) => {
            out.push(naga_errors::validation_error(src, &err));
            return None;
        }
    };
    // The step a render takes next (wgpu writes SPIR-V for Vulkan): a shader that passes here
    // also gets that far when it is drawn.
    let pipeline = naga::back::spv::PipelineOptions {
        shader_stage: stage,
        entry_point: "main".into(),
    };
    // With the pass index set, as the engine sets it for each pass's pipeline.
    let mut constants = naga::back::PipelineConstants::default();
    if specialise::reads_pass_index_constant(&module) {
        constants.insert(specialise::PASS_INDEX_CONSTANT.into(), 0.0);
    }
    let specialised =
        naga::back::pipeline_constants::process_overrides(&module, &info, None, &constants);
    let written = specialised.map_err(|e| e.to_string()).and_then(|(m, i)| {
        naga::back::spv::write_vec(
            &m,
            &i,
            &naga::back::spv::Options::default(),
            Some(&pipeline),
        )
        .map_err(|e| e.to_string())
    });
    if let Err(e) = written {
        out.push(naga_errors::map_diagnostic(
            src,
            None,
            format!("cannot translate the shader to SPIR-V: {e}"),
        ));
        return None;
    }
    Some(module)
}
