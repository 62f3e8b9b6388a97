//! isfkit-glsl: ISF GLSL into GLSL 450 for naga, with errors at the user's own lines.
//!
//! [`translate`] rewrites the fragment shader (and the optional vertex shader) token by token
//! (see [`rewrite`]); [`compile`] also parses and validates both stages with naga and maps
//! every error back to the line and column of the user's `.fs`/`.vs`. No GPU is involved.

mod blit;
mod emit;
pub mod layout;
pub mod lex;
mod program;
mod rename;
mod rewrite;
pub mod words;

use std::fmt;

use isfkit_format::{Diagnostic, IsfDocument, Severity};
use serde::Serialize;

pub use blit::blit_modules;
pub use emit::SourceMap;
pub use layout::{Field, FieldRole, FieldType, Layout, TextureSlot, TextureSource};
pub use program::{vertex_shader_path, Facts, LoadError, Program};

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
    let fs_renames = rename::token_renames(&fs_src, &fs_toks, &header_names);
    let vs_user = vertex.unwrap_or(DEFAULT_VERTEX);
    let vs_src = rename::blank_precision(&lex::strip_comments(vs_user));
    let vs_toks = lex::tokenize(&vs_src);
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

    let fs_out = rewrite::Rewriter::new(&fs_src, &fs_toks, &fs_renames, Stage::Fragment, &layout)
        .run(&mut varyings);
    let vs_out = rewrite::Rewriter::new(&vs_src, &vs_toks, &vs_renames, Stage::Vertex, &layout)
        .run(&mut varyings);

    let mut errors = Vec::new();
    for (stage, user, src, out) in [
        (Stage::Fragment, doc.code.as_str(), &fs_src, &fs_out),
        (Stage::Vertex, vs_user, &vs_src, &vs_out),
    ] {
        // A NUL byte outside comments: GL drivers stop reading there or reject it.
        if let Some(off) = src.find('\0') {
            errors.push(StageDiagnostic {
                stage,
                diagnostic: Diagnostic::at_offset(
                    Severity::Error,
                    user,
                    off,
                    "a NUL byte is not allowed in GLSL source",
                ),
            });
        }
        for (off, message) in &out.errors {
            errors.push(StageDiagnostic {
                stage,
                diagnostic: Diagnostic::at_offset(Severity::Error, user, *off, message.clone()),
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
        fs_out,
        doc.code.clone(),
    );
    let vertex = assemble(
        Stage::Vertex,
        &layout,
        &varyings,
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
    if out.pow_wrapper {
        pre.push_str(rewrite::POW_WRAPPER);
    }
    match stage {
        Stage::Fragment => {
            if !out.user_output {
                pre.push_str("layout(location = 0) out vec4 isf_FragColor;\n");
            }
        }
        Stage::Vertex => {
            pre.push_str(concat!(
                "vec2 isf_VertPos;\n",
                "void isf_vertShaderInit() {\n",
                "    vec2 isf_quad[6] = vec2[6](vec2(-1.0, -1.0), vec2(1.0, -1.0), vec2(-1.0, 1.0),\n",
                "                               vec2(-1.0, 1.0), vec2(1.0, -1.0), vec2(1.0, 1.0));\n",
                "    isf_VertPos = isf_quad[gl_VertexIndex % 6];\n",
                "    gl_Position = vec4(isf_VertPos, 0.0, 1.0);\n",
                "    isf_FragNormCoord = isf_VertPos * 0.5 + 0.5;\n",
                "}\n",
            ));
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
                post.push_str(&rewrite::located_decls(decl, *loc, "", "out"));
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
            post.push_str(&format!("    {name} = {ty}({});\n", columns.join(", ")));
        }
    }
    post.push_str("    isf_init_user_globals();\n    isf_user_main();\n");
    if stage == Stage::Vertex {
        // After the user's main, so early returns in it are covered too.
        for (name, _, cols) in &matrices {
            for k in 0..*cols {
                post.push_str(&format!(
                    "    {} = {name}[{k}];\n",
                    rewrite::column_name(name, k)
                ));
            }
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
/// `.vs`, use [`Program::load`].)
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
    })
}

/// Both stages translated, parsed and validated.
pub(crate) fn compile_stages(
    doc: &IsfDocument,
    vertex: Option<&str>,
) -> Result<(Translation, naga::Module, naga::Module), CompileError> {
    let translation = translate(doc, vertex)?;
    let mut diagnostics = Vec::new();
    let fragment_module = parse_stage(&translation.fragment, &mut diagnostics);
    let vertex_module = parse_stage(&translation.vertex, &mut diagnostics);
    match (fragment_module, vertex_module) {
        (Some(fragment_module), Some(vertex_module)) if diagnostics.is_empty() => {
            Ok((translation, fragment_module, vertex_module))
        }
        _ => Err(CompileError { diagnostics }),
    }
}

fn parse_stage(src: &StageSource, out: &mut Vec<StageDiagnostic>) -> Option<naga::Module> {
    let stage = match src.stage {
        Stage::Vertex => naga::ShaderStage::Vertex,
        Stage::Fragment => naga::ShaderStage::Fragment,
    };
    let mut options = naga::front::glsl::Options::from(stage);
    // Real shaders test `#if __VERSION__ <= 120`; the rewriter targets the GLSL 1.x forms.
    options.defines.insert("__VERSION__".into(), "120".into());
    let mut frontend = naga::front::glsl::Frontend::default();
    let module = match frontend.parse(&options, &src.glsl) {
        Ok(m) => m,
        Err(errors) => {
            for err in errors.errors {
                out.push(map_diagnostic(
                    src,
                    err.meta.to_range().map(|r| r.start),
                    words::unrename(&err.kind.to_string()),
                ));
            }
            return None;
        }
    };
    let mut validator = naga::valid::Validator::new(
        naga::valid::ValidationFlags::all(),
        naga::valid::Capabilities::all(),
    );
    if let Err(err) = validator.validate(&module) {
        // naga lists the outermost span (the function) first and the innermost (the
        // expression or local at fault) last: point at the innermost one in the user's code.
        let starts: Vec<usize> = err
            .spans()
            .filter_map(|(span, _)| span.to_range())
            .map(|r| r.start)
            .collect();
        let offset = starts
            .iter()
            .rev()
            .find(|&&o| src.map.lookup(o).is_some())
            .or(starts.first())
            .copied();
        let mut message = err.as_inner().to_string();
        let mut source = std::error::Error::source(err.as_inner());
        while let Some(s) = source {
            message.push_str(": ");
            message.push_str(&s.to_string());
            source = s.source();
        }
        // The user's `main` is renamed in the generated code; say so in their terms.
        let message = words::unrename(&message.replace("'isf_user_main'", "'main'"));
        out.push(map_diagnostic(src, offset, message));
        return None;
    }
    Some(module)
}

/// Moves a naga error at `offset` of the generated code to the user's file.
fn map_diagnostic(src: &StageSource, offset: Option<usize>, message: String) -> StageDiagnostic {
    let user = offset.and_then(|o| src.map.lookup(o));
    let diagnostic = match user {
        Some(u) if !src.user_source.is_empty() => {
            Diagnostic::at_offset(Severity::Error, &src.user_source, u, message)
        }
        _ => {
            let gen_line = offset
                .map(|o| isfkit_format::line_col(&src.glsl, o).0)
                .unwrap_or(0);
            Diagnostic::bare(
                Severity::Error,
                format!(
                    "{message} (in code isfkit generated, line {gen_line}; please report this)"
                ),
            )
        }
    };
    StageDiagnostic {
        stage: src.stage,
        diagnostic,
    }
}
