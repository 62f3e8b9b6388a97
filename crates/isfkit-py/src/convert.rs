//! Python values -> ISF input values: the one conversion `isfkit.Shader.set`,
//! `Engine`-level calls and `isfkit.vvisf` all use.
//!
//! Strict (the `isfkit` API): a bool input takes a bool (or 0/1), a long an integer-valued
//! number or one of its labels, a float a number that is not a bool, point2D two numbers,
//! color three (alpha 1) or four. Lenient (`isfkit.vvisf`, as pyvvisf coerces Python
//! primitives): a bool or event input takes any number, long and float inputs take bools.
//! numpy scalars and arrays are accepted wherever numbers or sequences are.

use isfkit_render::format::{Input, InputType};
use isfkit_render::Value;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PySequence, PyString};

use crate::errors;

/// numpy scalars and arrays as Python scalars and lists (`.tolist()`); anything else as is.
fn plain<'py>(value: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    if value.is_instance_of::<PyString>() || value.is_instance_of::<PyBytes>() {
        return Ok(value.clone());
    }
    if value.hasattr("dtype")? && value.hasattr("tolist")? {
        return value.call_method0("tolist");
    }
    Ok(value.clone())
}

/// A number that is not a bool.
fn number(value: &Bound<'_, PyAny>) -> Option<f64> {
    if value.is_instance_of::<PyBool>() || value.is_instance_of::<PyString>() {
        return None;
    }
    value.extract::<f64>().ok()
}

fn describe(value: &Bound<'_, PyAny>) -> String {
    let repr = value
        .repr()
        .map_or_else(|_| "?".to_owned(), |r| r.to_string());
    let ty = value
        .get_type()
        .name()
        .map_or_else(|_| "?".to_owned(), |n| n.to_string());
    format!("{repr} ({ty})")
}

/// `counts` numbers from a sequence, or the InputError that says what was expected.
fn numbers(
    py: Python<'_>,
    value: &Bound<'_, PyAny>,
    counts: &[usize],
    name: &str,
    type_name: &str,
) -> PyResult<Vec<f64>> {
    let repr = value
        .repr()
        .map_or_else(|_| "?".to_owned(), |r| r.to_string());
    let seq = match value.cast::<PySequence>() {
        Ok(s) if !value.is_instance_of::<PyString>() && !value.is_instance_of::<PyBytes>() => s,
        _ => {
            return Err(errors::input_error(
                py,
                format!("input \"{name}\" is of type {type_name}, but the value given is {repr}"),
            ))
        }
    };
    let items: Vec<Bound<'_, PyAny>> = seq.try_iter()?.collect::<PyResult<_>>()?;
    let nums: Option<Vec<f64>> = items.iter().map(number).collect();
    match nums {
        Some(v) if counts.contains(&v.len()) => Ok(v),
        _ => {
            let want = counts
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" or ");
            Err(errors::input_error(
                py,
                format!(
                    "input \"{name}\" is of type {type_name} and takes {want} numbers, but the value given is {repr}"
                ),
            ))
        }
    }
}

/// `v` as the 32-bit float the shader gets; NaN, infinities and numbers past ±3.4e38 (which
/// would become infinite) raise InputError naming the input (the engine's own check).
fn finite(py: Python<'_>, name: &str, v: f64) -> PyResult<f32> {
    isfkit_render::finite_f32(&format!("input \"{name}\""), v)
        .map_err(|e| errors::to_py(py, e, None))
}

/// Converts `value` for `input`; `lenient` applies pyvvisf's coercions.
pub fn input_value(
    py: Python<'_>,
    input: &Input,
    value: &Bound<'_, PyAny>,
    lenient: bool,
) -> PyResult<Value> {
    let name = &input.name;
    let type_name = input.ty.type_name();
    let value = plain(value)?;
    let bad = || {
        errors::input_error(
            py,
            format!(
                "input \"{name}\" is of type {type_name}, but the value given is {}",
                describe(&value)
            ),
        )
    };
    let is_bool = value.is_instance_of::<PyBool>();
    match &input.ty {
        InputType::Event | InputType::Bool { .. } => {
            if is_bool {
                return Ok(Value::Bool(value.extract::<bool>()?));
            }
            match number(&value) {
                Some(v) if lenient => Ok(Value::Bool(v != 0.0)),
                Some(v) if v == 0.0 || v == 1.0 => Ok(Value::Bool(v == 1.0)),
                _ => Err(bad()),
            }
        }
        InputType::Long { values, labels, .. } => {
            if let Ok(label) = value.extract::<String>() {
                return match labels.iter().position(|l| *l == label) {
                    Some(i) => Ok(Value::Long(values[i])),
                    None => Err(errors::input_error(
                        py,
                        format!(
                            "input \"{name}\": no label \"{label}\" (labels: {})",
                            if labels.is_empty() {
                                "none".to_owned()
                            } else {
                                labels.join(", ")
                            }
                        ),
                    )),
                };
            }
            if is_bool && lenient {
                return Ok(Value::Long(i32::from(value.extract::<bool>()?)));
            }
            match number(&value) {
                Some(v) if v.fract() == 0.0 && (i32::MIN as f64..=i32::MAX as f64).contains(&v) => {
                    Ok(Value::Long(v as i32))
                }
                _ => Err(bad()),
            }
        }
        InputType::Float { .. } => {
            if is_bool && lenient {
                return Ok(Value::Float(f32::from(u8::from(value.extract::<bool>()?))));
            }
            let v = number(&value).ok_or_else(bad)?;
            Ok(Value::Float(finite(py, name, v)?))
        }
        InputType::Point2D { .. } => {
            let v = numbers(py, &value, &[2], name, type_name)?;
            Ok(Value::Point2D([
                finite(py, name, v[0])?,
                finite(py, name, v[1])?,
            ]))
        }
        InputType::Color { .. } => {
            let v = numbers(py, &value, &[3, 4], name, type_name)?;
            let a = v.get(3).copied().unwrap_or(1.0);
            Ok(Value::Color([
                finite(py, name, v[0])?,
                finite(py, name, v[1])?,
                finite(py, name, v[2])?,
                finite(py, name, a)?,
            ]))
        }
        _ => Err(errors::input_error(
            py,
            format!("input \"{name}\" is of type {type_name}: give an image or audio, not a value"),
        )),
    }
}
