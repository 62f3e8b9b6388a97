//! A parsed ISF document as Python classes made from the Rust model (`isfkit-format`): the
//! schema lives once, nothing crosses as JSON to be rebuilt on the Python side.

use isfkit_render::format::{InputType, IsfDocument};
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use pyo3::IntoPyObjectExt;

use crate::reports::record_repr;

/// One declared input, normalised the way VVISF does it (ranges defaulted, defaults
/// clamped). Attributes that do not apply to the type are `None` (or empty).
#[pyclass(name = "InputInfo", module = "isfkit", frozen, get_all)]
pub struct PyInputInfo {
    pub name: String,
    #[pyo3(name = "type")]
    pub ty: &'static str,
    pub label: Option<String>,
    pub default: Py<PyAny>,
    pub min: Py<PyAny>,
    pub max: Py<PyAny>,
    pub identity: Py<PyAny>,
    pub values: Py<PyTuple>,
    pub labels: Py<PyTuple>,
}

#[pymethods]
impl PyInputInfo {
    fn __repr__(&self, py: Python<'_>) -> String {
        let r = |o: &Py<PyAny>| {
            o.bind(py)
                .repr()
                .map_or_else(|_| "?".into(), |s| s.to_string())
        };
        format!(
            "InputInfo(name={:?}, type={:?}, default={}, min={}, max={})",
            self.name,
            self.ty,
            r(&self.default),
            r(&self.min),
            r(&self.max)
        )
    }
}

/// One render pass. `width`/`height` are the size expressions as written, or None for the
/// render size.
#[pyclass(name = "PassInfo", module = "isfkit", frozen, get_all, eq)]
#[derive(PartialEq)]
pub struct PyPassInfo {
    pub target: Option<String>,
    pub persistent: bool,
    pub float: bool,
    pub width: Option<String>,
    pub height: Option<String>,
}

record_repr!(PyPassInfo, "PassInfo"; target, persistent, float, width, height);

/// One `IMPORTED` image: its name and its path as written.
#[pyclass(name = "ImportedInfo", module = "isfkit", frozen, get_all, eq)]
#[derive(PartialEq)]
pub struct PyImportedInfo {
    pub name: String,
    pub path: String,
}

/// A shader's header: kind (`generator`, `filter`, `transition`), inputs, passes, imported
/// images and metadata.
#[pyclass(name = "ShaderInfo", module = "isfkit", frozen, get_all)]
pub struct PyShaderInfo {
    pub kind: String,
    pub inputs: Py<PyTuple>,
    pub passes: Py<PyTuple>,
    pub imported: Py<PyTuple>,
    pub description: Option<String>,
    pub credit: Option<String>,
    pub categories: Py<PyTuple>,
    pub isf_version: String,
}

#[pymethods]
impl PyShaderInfo {
    /// The input named `name`, or None.
    fn input<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
        for i in self.inputs.bind(py).iter() {
            if i.cast::<PyInputInfo>()?.get().name == name {
                return Ok(Some(i));
            }
        }
        Ok(None)
    }

    /// The inputs' names, in declaration order.
    #[getter]
    fn input_names(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        self.inputs
            .bind(py)
            .iter()
            .map(|i| Ok(i.cast::<PyInputInfo>()?.get().name.clone()))
            .collect()
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "ShaderInfo(kind={:?}, inputs={}, passes={}, isf_version={:?})",
            self.kind,
            self.inputs.bind(py).len(),
            self.passes.bind(py).len(),
            self.isf_version
        )
    }
}

/// A serde name as a string (`generator`, a version string, ...).
fn serde_name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn obj<'py, T>(py: Python<'py>, v: T) -> PyResult<Py<PyAny>>
where
    T: IntoPyObject<'py>,
{
    v.into_py_any(py)
}

fn tuple_f32<const N: usize>(py: Python<'_>, v: Option<[f32; N]>) -> PyResult<Py<PyAny>> {
    match v {
        Some(a) => Ok(PyTuple::new(py, a.map(f64::from))?.into_any().unbind()),
        None => Ok(py.None()),
    }
}

/// The attributes of a point2D or color input: tuples of N floats (None where absent).
type Fields = (
    Py<PyAny>,
    Py<PyAny>,
    Py<PyAny>,
    Py<PyAny>,
    Py<PyTuple>,
    Py<PyTuple>,
);

fn vector_fields<const N: usize>(
    py: Python<'_>,
    default: [f32; N],
    min: Option<[f32; N]>,
    max: Option<[f32; N]>,
    identity: Option<[f32; N]>,
) -> PyResult<Fields> {
    Ok((
        tuple_f32(py, Some(default))?,
        tuple_f32(py, min)?,
        tuple_f32(py, max)?,
        tuple_f32(py, identity)?,
        PyTuple::empty(py).unbind(),
        PyTuple::empty(py).unbind(),
    ))
}

fn input_info(py: Python<'_>, input: &isfkit_render::format::Input) -> PyResult<PyInputInfo> {
    let none = || py.None();
    let empty = || PyTuple::empty(py).unbind();
    let (default, min, max, identity, values, labels): Fields = match &input.ty {
        InputType::Event => (obj(py, false)?, none(), none(), none(), empty(), empty()),
        InputType::Bool { default, identity } => (
            obj(py, *default)?,
            none(),
            none(),
            identity.map_or_else(|| Ok(none()), |v| obj(py, v))?,
            empty(),
            empty(),
        ),
        InputType::Long {
            default,
            min,
            max,
            values,
            labels,
            identity,
        } => (
            obj(py, *default)?,
            obj(py, *min)?,
            obj(py, *max)?,
            identity.map_or_else(|| Ok(none()), |v| obj(py, v))?,
            PyTuple::new(py, values)?.unbind(),
            PyTuple::new(py, labels)?.unbind(),
        ),
        InputType::Float {
            default,
            min,
            max,
            identity,
        } => (
            obj(py, f64::from(*default))?,
            obj(py, f64::from(*min))?,
            obj(py, f64::from(*max))?,
            identity.map_or_else(|| Ok(none()), |v| obj(py, f64::from(v)))?,
            empty(),
            empty(),
        ),
        InputType::Point2D {
            default,
            min,
            max,
            identity,
        } => vector_fields(py, *default, *min, *max, *identity)?,
        InputType::Color {
            default,
            min,
            max,
            identity,
        } => vector_fields(py, *default, *min, *max, *identity)?,
        InputType::Image => (none(), none(), none(), none(), empty(), empty()),
        InputType::Audio { max } | InputType::AudioFft { max, .. } => (
            none(),
            none(),
            max.map_or_else(|| Ok(none()), |v| obj(py, v))?,
            none(),
            empty(),
            empty(),
        ),
    };
    Ok(PyInputInfo {
        name: input.name.clone(),
        ty: input.ty.type_name(),
        label: input.label.clone(),
        default,
        min,
        max,
        identity,
        values,
        labels,
    })
}

/// The Python view of `doc`.
pub fn shader_info(py: Python<'_>, doc: &IsfDocument) -> PyResult<PyShaderInfo> {
    let inputs = doc
        .inputs
        .iter()
        .map(|i| Py::new(py, input_info(py, i)?))
        .collect::<PyResult<Vec<_>>>()?;
    let passes = doc
        .passes
        .iter()
        .map(|p| {
            Py::new(
                py,
                PyPassInfo {
                    target: p.target.clone(),
                    persistent: p.persistent,
                    float: p.float,
                    width: p.width.as_ref().map(ToString::to_string),
                    height: p.height.as_ref().map(ToString::to_string),
                },
            )
        })
        .collect::<PyResult<Vec<_>>>()?;
    let imported = doc
        .imported
        .iter()
        .map(|i| {
            Py::new(
                py,
                PyImportedInfo {
                    name: i.name.clone(),
                    path: i.path.clone(),
                },
            )
        })
        .collect::<PyResult<Vec<_>>>()?;
    Ok(PyShaderInfo {
        kind: serde_name(&doc.kind),
        inputs: PyTuple::new(py, inputs)?.unbind(),
        passes: PyTuple::new(py, passes)?.unbind(),
        imported: PyTuple::new(py, imported)?.unbind(),
        description: doc.description.clone(),
        credit: doc.credit.clone(),
        categories: PyTuple::new(py, &doc.categories)?.unbind(),
        isf_version: serde_name(&doc.isf_version),
    })
}
