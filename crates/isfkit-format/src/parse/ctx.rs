//! The validation context: the file's text and the warnings gathered so far, and the readers
//! of header values (numbers, 32-bit floats, longs, booleans, vectors, strings) that report
//! problems at the value's position.

use super::json::{J, JV};
use super::FormatError;
use crate::diag::{Diagnostic, Severity, MAX_DIAGNOSTICS};

pub(super) struct Ctx<'s> {
    pub(super) src: &'s str,
    /// The first [`MAX_DIAGNOSTICS`] warnings; `left_out` counts the others.
    warnings: Vec<Diagnostic>,
    left_out: usize,
    /// `FILTER`/`WRAP` read so far, by texture name.
    pub(super) sampling: std::collections::BTreeMap<String, crate::model::Sampling>,
    /// Images with `"FLIPPED": true` so far.
    pub(super) flipped: std::collections::BTreeSet<String>,
}

impl<'s> Ctx<'s> {
    pub(super) fn new(src: &'s str) -> Ctx<'s> {
        Ctx {
            src,
            warnings: Vec::new(),
            left_out: 0,
            sampling: Default::default(),
            flipped: Default::default(),
        }
    }

    pub(super) fn warn(&mut self, off: usize, message: impl Into<String>) {
        if self.warnings.len() == MAX_DIAGNOSTICS {
            self.left_out += 1;
            return;
        }
        self.warnings.push(Diagnostic::at_offset(
            Severity::Warning,
            self.src,
            off,
            message,
        ));
    }

    /// The warnings, and one more that says how many were left out, if any were.
    pub(super) fn take_warnings(&mut self) -> Vec<Diagnostic> {
        let mut w = std::mem::take(&mut self.warnings);
        if self.left_out > 0 {
            w.push(Diagnostic::left_out(
                Severity::Warning,
                self.left_out,
                "the header's",
            ));
            self.left_out = 0;
        }
        w
    }

    pub(super) fn error(&self, off: usize, message: impl Into<String>) -> FormatError {
        FormatError::invalid(Diagnostic::at_offset(
            Severity::Error,
            self.src,
            off,
            message,
        ))
    }

    /// The error for `j`, which is not the kind of value `expected` names: `WHAT must be
    /// EXPECTED, found J`.
    pub(super) fn wrong_type(&self, what: &str, expected: &str, j: &J) -> FormatError {
        self.error(
            j.off,
            format!("{what} must be {expected}, found {}", j.describe()),
        )
    }

    /// A number; numeric strings are accepted with a warning. `what` starts the message
    /// (`input "speed": DEFAULT`).
    pub(super) fn number(&mut self, what: &str, j: &J) -> Result<f64, FormatError> {
        match &j.v {
            JV::Num(v, _) if v.is_finite() => Ok(*v),
            // Only a literal past f64's range (`1e309`) reads as infinite.
            JV::Num(..) => Err(self.error(
                j.off,
                format!(
                    "{what}: {} is out of range (a number must be within ±1.7976931348623157e308)",
                    j.describe()
                ),
            )),
            JV::Str(s) => match s.trim().parse::<f64>() {
                Ok(v) if v.is_finite() => {
                    self.warn(
                        j.off,
                        format!("{what} is a string ({s:?}); read it as a number"),
                    );
                    Ok(v)
                }
                _ => Err(self.wrong_type(what, "a number", j)),
            },
            _ => Err(self.wrong_type(what, "a number", j)),
        }
    }

    /// A number for a float, point2D or color value, which the shader receives as a 32-bit
    /// float: beyond ±3.4028235e38 it would become infinite, so that is an error.
    pub(super) fn float32(&mut self, what: &str, j: &J) -> Result<f64, FormatError> {
        let v = self.number(what, j)?;
        if v.abs() > f32::MAX as f64 {
            return Err(self.error(
                j.off,
                format!(
                    "{what}: {} is out of range for a 32-bit float (within ±{:e})",
                    j.describe(),
                    f32::MAX
                ),
            ));
        }
        Ok(v)
    }

    pub(super) fn opt_float32(&mut self, what: &str, j: Option<&J>) -> Opt<f64> {
        j.map(|j| self.float32(what, j)).transpose()
    }

    /// A number for a long value (a 32-bit integer in the shader), rounded to the nearest
    /// integer; outside -2147483648..=2147483647 it is an error.
    pub(super) fn long(&mut self, what: &str, j: &J) -> Result<i32, FormatError> {
        let v = self.number(what, j)?.round();
        if !(i32::MIN as f64..=i32::MAX as f64).contains(&v) {
            return Err(self.error(
                j.off,
                format!(
                    "{what}: {} is out of range for a long ({} to {})",
                    j.describe(),
                    i32::MIN,
                    i32::MAX
                ),
            ));
        }
        Ok(v as i32)
    }

    pub(super) fn opt_long(&mut self, what: &str, j: Option<&J>) -> Opt<i32> {
        j.map(|j| self.long(what, j)).transpose()
    }

    /// A boolean given as a boolean, a number (`> 0`, or `!= 0` when `nonzero`) or a string
    /// (`true`/`1`/`yes`, `false`/`0`/`no`).
    pub(super) fn flag(&mut self, what: &str, j: &J, nonzero: bool) -> Result<bool, FormatError> {
        match &j.v {
            JV::Bool(b) => Ok(*b),
            JV::Num(v, _) => Ok(if nonzero { *v != 0.0 } else { *v > 0.0 }),
            JV::Str(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" => Ok(true),
                "false" | "0" | "no" => Ok(false),
                _ => Err(self.wrong_type(what, "a boolean", j)),
            },
            _ => Err(self.wrong_type(what, "a boolean", j)),
        }
    }

    /// An array of exactly `N` numbers; a wrong shape is a warning (`None`), a wrong element
    /// type an error.
    pub(super) fn vector<const N: usize>(
        &mut self,
        what: &str,
        j: &J,
        fallback: &str,
    ) -> Result<Option<[f32; N]>, FormatError> {
        match &j.v {
            JV::Arr(items) if items.len() == N => {
                let mut out = [0.0f32; N];
                for (i, item) in items.iter().enumerate() {
                    out[i] = self.float32(&format!("{what}[{i}]"), item)? as f32;
                }
                Ok(Some(out))
            }
            _ => {
                self.warn(
                    j.off,
                    format!(
                        "{what} must be an array of {N} numbers, found {}; {fallback}",
                        j.describe()
                    ),
                );
                Ok(None)
            }
        }
    }

    pub(super) fn opt_vector<const N: usize>(
        &mut self,
        what: &str,
        j: Option<&J>,
    ) -> Opt<[f32; N]> {
        match j {
            Some(j) => self.vector::<N>(what, j, "ignored"),
            None => Ok(None),
        }
    }

    /// An optional string attribute; other types are ignored with a warning.
    pub(super) fn opt_string(&mut self, what: &str, j: Option<&J>) -> Option<String> {
        let j = j?;
        match &j.v {
            JV::Str(s) => Some(s.clone()),
            _ => {
                self.warn(
                    j.off,
                    format!("{what} must be a string, found {}; ignored", j.describe()),
                );
                None
            }
        }
    }
}

/// An optional value read: None when it is absent.
type Opt<T> = Result<Option<T>, FormatError>;

pub(super) fn fmt_num(v: f64) -> String {
    format!("{v}")
}
