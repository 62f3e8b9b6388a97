//! Loading a shader: one path from a file or source text to a compiled [`Program`].
//!
//! "Read the `.fs`, find its `.vs` sibling, parse, translate, compile" happens here and only
//! here; the engine, the CLI (render, validate, info, batch) and the Python package all load
//! through it. A program also states its [`Facts`] (persistent buffers, FRAMEINDEX, TIMEDELTA,
//! DATE, audio and image inputs), read from the tokens of the comment-free code, so a word in
//! a comment or inside a longer name does not count.

use std::path::{Path, PathBuf};

use isfkit_format::{Diagnostic, FormatError, InputType, IsfDocument};
use serde::Serialize;

use crate::{compile_stages, lex, CompileError, Translation};

/// What a shader uses, from its header and its code. No GPU involved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Facts {
    /// A pass renders into a PERSISTENT target.
    pub persistent_buffers: bool,
    /// The code reads `FRAMEINDEX`.
    pub frame_index: bool,
    /// The code reads `TIMEDELTA`.
    pub time_delta: bool,
    /// The code reads `TIME`.
    pub time: bool,
    /// The code reads `DATE`.
    pub date: bool,
    /// An input of type audio or audioFFT.
    pub audio_inputs: bool,
    /// An input of type image (IMPORTED images do not count: they come with the shader).
    pub image_inputs: bool,
    /// More than one pass.
    pub multipass: bool,
}

impl Facts {
    /// Whether a frame depends on the frames rendered before it: rendering frame N alone
    /// differs from rendering 0..=N and keeping the last. Batch ranges and resumed runs of such
    /// a shader render the earlier frames too.
    pub fn stateful(&self) -> bool {
        self.persistent_buffers || self.frame_index || self.time_delta
    }

    /// Reads the facts of `doc` and of its vertex shader, if any.
    pub fn of(doc: &IsfDocument, vertex: Option<&str>) -> Facts {
        let mut facts = Facts {
            persistent_buffers: doc.passes.iter().any(|p| p.persistent),
            audio_inputs: doc
                .inputs
                .iter()
                .any(|i| matches!(i.ty, InputType::Audio { .. } | InputType::AudioFft { .. })),
            image_inputs: doc.inputs.iter().any(|i| matches!(i.ty, InputType::Image)),
            multipass: doc.passes.len() > 1,
            ..Facts::default()
        };
        for code in std::iter::once(doc.code.as_str()).chain(vertex) {
            let code = lex::strip_comments(code);
            for token in lex::tokenize(&code) {
                if token.kind != lex::Kind::Ident {
                    continue;
                }
                match &code[token.start..token.end] {
                    "FRAMEINDEX" => facts.frame_index = true,
                    "TIMEDELTA" => facts.time_delta = true,
                    "TIME" => facts.time = true,
                    "DATE" => facts.date = true,
                    _ => {}
                }
            }
        }
        facts
    }
}

/// Why a shader could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The file could not be read, or its header is not valid ISF.
    #[error(transparent)]
    Format(#[from] FormatError),
    /// The `.vs` next to the `.fs` exists but cannot be read.
    #[error("cannot read vertex shader {}: {source}", path.display())]
    ReadVertex {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A stage did not compile; `fragment` and `vertex` are the names to show the user,
    /// `warnings` the header's (the document itself parsed).
    #[error("{error}")]
    Compile {
        error: CompileError,
        fragment: String,
        vertex: String,
        warnings: Vec<Diagnostic>,
    },
}

impl LoadError {
    /// The message as a compiler prints it: `file:line:col: error: ...`, the line, a caret.
    pub fn render(&self) -> String {
        match self {
            LoadError::Format(e) => e.diagnostic.to_string(),
            LoadError::ReadVertex { .. } => self.to_string(),
            LoadError::Compile {
                error,
                fragment,
                vertex,
                ..
            } => error.render(fragment, vertex),
        }
    }

    /// The text every face prints for this error of the shader at `path`: header and
    /// compile errors compiler-style, placed in the file (`file:line:col: error: ...`, the
    /// line, a caret); a file that cannot be read as `error: cannot read PATH: why`.
    pub fn render_at(&self, path: &Path) -> String {
        match self {
            LoadError::Format(e) if e.kind == isfkit_format::FormatErrorKind::Unreadable => {
                format!("error: {}", e.diagnostic.message)
            }
            LoadError::Format(e) => e.diagnostic.render(&path.display().to_string()),
            LoadError::ReadVertex { path, source } => {
                format!("error: cannot read {}: {source}", path.display())
            }
            other => other.render(),
        }
    }
}

/// A loaded and compiled shader: the document, the vertex source, both stages validated by
/// naga, where it came from, and what it uses.
#[derive(Debug, Clone)]
pub struct Program {
    pub doc: IsfDocument,
    /// The user's vertex shader, when there is one.
    pub vertex_source: Option<String>,
    /// The `.fs` file, when loaded from a file.
    pub fragment_path: Option<PathBuf>,
    /// The `.vs` file that was used, when there was one.
    pub vertex_path: Option<PathBuf>,
    /// A short name for logs and GPU labels (the file name, or "shader").
    pub label: String,
    pub facts: Facts,
    pub translation: Translation,
    pub fragment_module: naga::Module,
    pub vertex_module: naga::Module,
    /// A Shadertoy shader's Sound pass, compiled (see [`IsfDocument::sound`]).
    pub sound: Option<Box<Program>>,
}

/// The vertex shader that goes with `fs`: `NAME.vs` or `NAME.vert` in the same folder.
pub fn vertex_shader_path(fs: &Path) -> Option<PathBuf> {
    ["vs", "vert"]
        .iter()
        .map(|ext| fs.with_extension(ext))
        .find(|p| p.is_file())
}

impl Program {
    /// Loads an ISF file, with its `.vs`/`.vert` sibling when there is one; `IMPORTED` paths
    /// resolve against the file's folder.
    pub fn load(path: &Path) -> Result<Program, LoadError> {
        let doc = IsfDocument::parse_file(path)?;
        let vertex_path = vertex_shader_path(path);
        let vertex = match &vertex_path {
            Some(p) => {
                let bytes = isfkit_format::limits::read_file_capped(
                    p,
                    isfkit_format::limits::MAX_SHADER_BYTES,
                    "shader file",
                )
                .map_err(|source| LoadError::ReadVertex {
                    path: p.clone(),
                    source,
                })?;
                // Non-UTF-8 bytes: ignored in comments, an error (with its position) elsewhere.
                let text =
                    isfkit_format::decode_glsl(&bytes).map_err(|d| LoadError::ReadVertex {
                        path: p.clone(),
                        source: std::io::Error::new(
                            std::io::ErrorKind::InvalidData,
                            format!("line {}, column {}: {}", d.line, d.column, d.message),
                        ),
                    })?;
                Some(text)
            }
            None => None,
        };
        let label = path
            .file_name()
            .map_or_else(|| "shader".into(), |n| n.to_string_lossy().into_owned());
        Program::compile(doc, vertex, Some(path.to_owned()), vertex_path, label)
    }

    /// Loads ISF source text with an optional vertex shader.
    pub fn from_source(source: &str, vertex: Option<&str>) -> Result<Program, LoadError> {
        let doc = IsfDocument::parse(source)?;
        Program::compile(doc, vertex.map(str::to_owned), None, None, "shader".into())
    }

    /// Compiles a parsed document (the step `load` and `from_source` end with).
    pub fn compile(
        doc: IsfDocument,
        vertex_source: Option<String>,
        fragment_path: Option<PathBuf>,
        vertex_path: Option<PathBuf>,
        label: String,
    ) -> Result<Program, LoadError> {
        let facts = Facts::of(&doc, vertex_source.as_deref());
        let mut doc = doc;
        // A Sound pass that does not compile leaves the shader without sound, said in a
        // warning at its line; the picture renders.
        let sound = match doc.sound.take() {
            Some(sound) => match Program::compile(
                *sound,
                None,
                fragment_path.clone(),
                None,
                format!("{label} (Sound)"),
            ) {
                Ok(program) => Some(Box::new(program)),
                Err(LoadError::Compile { error, .. }) => {
                    for d in error.diagnostics {
                        doc.warnings.push(isfkit_format::Diagnostic {
                            severity: isfkit_format::Severity::Warning,
                            message: format!(
                                "the Sound pass does not compile, so the shader has no sound: {}",
                                d.diagnostic.message
                            ),
                            ..d.diagnostic
                        });
                    }
                    None
                }
                Err(other) => return Err(other),
            },
            None => None,
        };
        doc.sound = sound.as_ref().map(|p| Box::new(p.doc.clone()));
        match compile_stages(&doc, vertex_source.as_deref()) {
            Ok((translation, fragment_module, vertex_module)) => Ok(Program {
                sound,
                doc,
                vertex_source,
                fragment_path,
                vertex_path,
                label,
                facts,
                translation,
                fragment_module,
                vertex_module,
            }),
            Err(mut error) => {
                // A converted Shadertoy, GLSL Sandbox or gl-transitions file: at the
                // original's lines.
                for d in &mut error.diagnostics {
                    if d.stage == crate::Stage::Fragment {
                        doc.origin.locate(&mut d.diagnostic);
                    }
                }
                let fragment = fragment_path
                    .as_ref()
                    .map_or_else(|| "<source>".into(), |p| p.display().to_string());
                let vertex = match (&vertex_path, &fragment_path) {
                    (Some(v), _) => v.display().to_string(),
                    (None, Some(f)) => f.with_extension("vs").display().to_string(),
                    (None, None) => "<vertex>".into(),
                };
                Err(LoadError::Compile {
                    error,
                    fragment,
                    vertex,
                    warnings: doc.warnings,
                })
            }
        }
    }
}
