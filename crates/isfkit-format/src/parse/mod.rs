//! Parsing and validating an ISF file: the JSON header between the first `/*` and the first
//! `*/`, the v1 upgrade (PERSISTENT_BUFFERS), and the normalisation of inputs the way VVISF-GL
//! does it. Every error and warning points at a line and column of the user's file. Here are
//! the entry points and the error type; each step and each header section is its own module.

mod ctx;
mod decode;
mod document;
mod header;
mod imported;
mod inputs;
mod json;
mod names;
mod passes;
mod sampling;

use std::path::Path;

use crate::diag::{Diagnostic, Severity};
use crate::model::IsfDocument;

use ctx::Ctx;
pub use decode::decode_glsl;
use document::build_document;
use header::{blank_header_lines, extract_header, header_comment};
use json::parse_json;

/// A fatal problem with an ISF file: an error diagnostic, positioned in the file where
/// possible.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", .diagnostic)]
pub struct FormatError {
    pub diagnostic: Diagnostic,
    /// What went wrong, for callers that act on it (the CLI maps it to an exit code).
    pub kind: FormatErrorKind,
}

/// The kind of a [`FormatError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FormatErrorKind {
    /// The file could not be read (missing, a directory, no permission): an I/O problem.
    Unreadable,
    /// The text is not a valid ISF document (no header, bad JSON, bad values).
    Invalid,
}

impl FormatError {
    /// An invalid-document error with `diagnostic`.
    pub fn invalid(diagnostic: Diagnostic) -> FormatError {
        FormatError {
            diagnostic,
            kind: FormatErrorKind::Invalid,
        }
    }

    /// The message without position.
    pub fn message(&self) -> &str {
        &self.diagnostic.message
    }
}

/// An ISF file's header as written: its JSON (strict, else tolerant of comments and trailing
/// commas, as [`IsfDocument::parse`] reads it) and the byte range of the comment's text
/// (between `/*` and `*/`), for readers with rules of their own (the pyvvisf layer).
#[derive(Debug, Clone, PartialEq)]
pub struct RawHeader {
    pub json: serde_json::Value,
    pub text: std::ops::Range<usize>,
}

impl IsfDocument {
    /// The header of `source` without building the document; `Ok(None)` when the file has
    /// no `/* */` comment at all, a positioned error when its JSON is invalid.
    pub fn raw_header(source: &str) -> Result<Option<RawHeader>, FormatError> {
        if header_comment(source).is_none() {
            return Ok(None);
        }
        let mut ctx = Ctx::new(source);
        let header = extract_header(source)?;
        let root = parse_json(&mut ctx, &header)?;
        Ok(Some(RawHeader {
            json: root.to_value(),
            text: header.start..header.close,
        }))
    }

    /// Parses an ISF file's text. `IMPORTED` paths stay as written.
    pub fn parse(source: &str) -> Result<IsfDocument, FormatError> {
        Self::parse_with_base(source, None)
    }

    /// Parses an ISF file's text; `IMPORTED` paths are resolved against `base_dir` (the file's
    /// folder) when given.
    pub fn parse_with_base(
        source: &str,
        base_dir: Option<&Path>,
    ) -> Result<IsfDocument, FormatError> {
        Self::parse_dialect(source, base_dir, None)
    }

    /// [`IsfDocument::parse_with_base`] of a source in `dialect` (Shadertoy, GLSL Sandbox,
    /// gl-transition), converted without detecting it; `None` detects the dialect, or reads
    /// ISF.
    pub fn parse_dialect(
        source: &str,
        base_dir: Option<&Path>,
        dialect: Option<crate::dialect::Dialect>,
    ) -> Result<IsfDocument, FormatError> {
        // Shadertoy, GLSL Sandbox and gl-transitions sources are read as the ISF they
        // convert to, their errors and warnings placed at the user's own lines.
        if dialect.is_some() || crate::dialect::is_foreign(source) {
            // Shadertoy's media, by file name: beside the file, or in `media/` there.
            let options = crate::dialect::ConvertOptions {
                media_dirs: base_dir
                    .map(|d| vec![d.to_owned(), d.join("media")])
                    .unwrap_or_default(),
                relative_to: base_dir.map(Path::to_owned),
                from: dialect,
                ..Default::default()
            };
            let converted = crate::dialect::convert(source, &options)?;
            let origin = converted.origin;
            let mut doc = Self::parse_isf(&converted.isf, base_dir).map_err(|mut e| {
                origin.locate(&mut e.diagnostic);
                e
            })?;
            for w in &mut doc.warnings {
                origin.locate(w);
            }
            doc.warnings.extend(
                converted
                    .warnings
                    .into_iter()
                    .map(|w| Diagnostic::bare(Severity::Warning, w)),
            );
            doc.origin = origin;
            if let Some(sound) = converted.sound {
                let mut program = Self::parse_isf(&sound.isf, base_dir).map_err(|mut e| {
                    sound.origin.locate(&mut e.diagnostic);
                    e
                })?;
                program.origin = sound.origin;
                doc.sound = Some(Box::new(program));
            }
            return Ok(doc);
        }
        Self::parse_isf(source, base_dir)
    }

    /// Parses ISF text (no dialect conversion).
    fn parse_isf(source: &str, base_dir: Option<&Path>) -> Result<IsfDocument, FormatError> {
        let mut ctx = Ctx::new(source);
        let header = extract_header(source)?;
        let root = parse_json(&mut ctx, &header)?;
        let doc = build_document(&mut ctx, &root, base_dir)?;
        Ok(IsfDocument {
            warnings: ctx.take_warnings(),
            sampling: ctx.sampling,
            flipped: ctx.flipped,
            code: blank_header_lines(source, header.close),
            source: source.to_owned(),
            ..doc
        })
    }

    /// Reads and parses the file at `path`; `IMPORTED` paths are resolved against its folder.
    pub fn parse_file(path: &Path) -> Result<IsfDocument, FormatError> {
        let bytes =
            crate::limits::read_file_capped(path, crate::limits::MAX_SHADER_BYTES, "shader file")
                .map_err(|err| FormatError {
                diagnostic: Diagnostic::bare(
                    Severity::Error,
                    format!("cannot read {}: {err}", path.display()),
                ),
                kind: FormatErrorKind::Unreadable,
            })?;
        let source = decode_glsl(&bytes).map_err(FormatError::invalid)?;
        Self::parse_with_base(&source, path.parent())
    }
}
