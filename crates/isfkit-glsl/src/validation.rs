//! The validation report: the errors and warnings of loading a shader (parse, translate,
//! compile both stages; no GPU), each at the user's own line and column with the stage it
//! belongs to. `isf validate`, Python's `validate()` and the service's `validate_shader` all
//! answer from it.

use isfkit_format::{Diagnostic, FormatErrorKind, Severity};

use crate::program::{LoadError, Program};

/// One error or warning of a shader: where, what, and in which stage (`header`, `fragment`,
/// `vertex`, or `limits` for a check against an adapter).
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub stage: String,
    pub diagnostic: Diagnostic,
}

impl Finding {
    /// `{line, column, message, stage, severity}` (line and column 0 when there is no
    /// position).
    pub fn fields(&self) -> (u32, u32, &str, &str, &'static str) {
        let d = &self.diagnostic;
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        (
            d.line,
            d.column,
            d.message.as_str(),
            self.stage.as_str(),
            severity,
        )
    }
}

/// What loading a shader found.
#[derive(Debug)]
pub struct Validation {
    pub errors: Vec<Finding>,
    /// The header's warnings (the document parsed).
    pub warnings: Vec<Finding>,
    /// The loaded shader, when it loaded.
    pub program: Option<Program>,
    /// The load's error, for its compiler-style text ([`LoadError::render_at`]).
    pub error: Option<LoadError>,
}

impl Validation {
    /// The report of a load. A file that cannot be read is reported as an error without a
    /// position (see [`Validation::unreadable`] for telling it from an invalid shader).
    pub fn of(loaded: Result<Program, LoadError>) -> Validation {
        let header = |d: &Diagnostic| Finding {
            stage: "header".into(),
            diagnostic: d.clone(),
        };
        match loaded {
            Ok(program) => Validation {
                errors: Vec::new(),
                warnings: program.doc.warnings.iter().map(header).collect(),
                program: Some(program),
                error: None,
            },
            Err(e) => {
                let (errors, warnings) = Validation::findings(&e);
                Validation {
                    errors,
                    warnings,
                    program: None,
                    error: Some(e),
                }
            }
        }
    }

    /// The errors and warnings of a failed load.
    fn findings(e: &LoadError) -> (Vec<Finding>, Vec<Finding>) {
        let header = |d: &Diagnostic| Finding {
            stage: "header".into(),
            diagnostic: d.clone(),
        };
        match e {
            LoadError::Format(e) => (vec![header(&e.diagnostic)], Vec::new()),
            LoadError::Compile {
                error, warnings, ..
            } => (
                error
                    .diagnostics
                    .iter()
                    .map(|d| Finding {
                        stage: d.stage.to_string(),
                        diagnostic: d.diagnostic.clone(),
                    })
                    .collect(),
                warnings.iter().map(header).collect(),
            ),
            e => (
                vec![Finding {
                    stage: "vertex".into(),
                    diagnostic: Diagnostic::bare(Severity::Error, e.to_string()),
                }],
                Vec::new(),
            ),
        }
    }

    /// Whether a load failed because a file could not be read (the shader or its vertex
    /// shader), not because the shader is invalid: a command reports that as the user's
    /// file error instead of a validation report.
    pub fn unreadable(e: &LoadError) -> bool {
        matches!(e, LoadError::Format(f) if f.kind == FormatErrorKind::Unreadable)
            || matches!(e, LoadError::ReadVertex { .. })
    }

    pub fn valid(&self) -> bool {
        self.errors.is_empty()
    }

    /// Adds problems found against an adapter's limits (stage `limits`, no position).
    pub fn add_limit_problems(&mut self, problems: impl IntoIterator<Item = String>) {
        self.errors.extend(problems.into_iter().map(|m| Finding {
            stage: "limits".into(),
            diagnostic: Diagnostic::bare(Severity::Error, m),
        }));
    }
}
