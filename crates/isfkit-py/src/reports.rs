//! The engine's reports as Python classes made here, from the Rust values: the schema lives
//! once (in isfkit-render), nothing crosses as JSON to be rebuilt on the Python side.

use isfkit_render::{CleanupReport, LeakSource, LiveResource, PoolStats, ReinitReport};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// A dict of the fields `$field` of `$value`, each under its own name.
macro_rules! fields_dict {
    ($py:expr, $value:expr; $($field:ident),+) => {{
        let d = PyDict::new($py);
        $(d.set_item(stringify!($field), &$value.$field)?;)+
        d
    }};
}

/// How a field reads in a record's `__repr__`: numbers and flags as Rust prints them,
/// durations to the microsecond, text (and lists and options of it) quoted.
pub(crate) trait ReprField {
    fn repr(&self) -> String;
}

macro_rules! repr_display {
    ($($t:ty),+) => {$(impl ReprField for $t {
        fn repr(&self) -> String {
            self.to_string()
        }
    })+};
}
repr_display!(u8, u64, usize, bool);

macro_rules! repr_debug {
    ($($t:ty),+) => {$(impl ReprField for $t {
        fn repr(&self) -> String {
            format!("{self:?}")
        }
    })+};
}
repr_debug!(&str, String, Option<String>, Vec<String>);

impl ReprField for f64 {
    fn repr(&self) -> String {
        format!("{self:.3}")
    }
}

/// `__repr__` for the record `$ty`: `NAME(field=value, ...)` over `$field`s, in order.
macro_rules! record_repr {
    ($ty:ident, $name:literal; $($field:ident),+) => {
        #[pymethods]
        impl $ty {
            fn __repr__(&self) -> String {
                use $crate::reports::ReprField;
                let fields = [$(format!(concat!(stringify!($field), "={}"), self.$field.repr())),+];
                format!(concat!($name, "({})"), fields.join(", "))
            }
        }
    };
}
pub(crate) use record_repr;

/// One phase of a shutdown, in the order phases run.
#[pyclass(name = "PhaseReport", module = "isfkit", frozen, get_all, eq)]
#[derive(Clone, PartialEq)]
pub struct PyPhaseReport {
    /// 1 (stop workers) .. 6 (verify).
    pub phase: u8,
    pub name: String,
    pub duration_ms: f64,
    pub released_count: u64,
    pub released_bytes: u64,
    pub errors: Vec<String>,
}

record_repr!(PyPhaseReport, "PhaseReport"; phase, name, duration_ms, released_count, released_bytes, errors);

/// A GPU object that outlived shutdown. `source` is `"registry"` (isfkit's own registry,
/// with `created_at`) or `"wgpu"` (wgpu's allocation report).
#[pyclass(name = "Leak", module = "isfkit", frozen, get_all, eq)]
#[derive(Clone, PartialEq)]
pub struct PyLeak {
    pub source: &'static str,
    pub kind: String,
    pub label: String,
    pub bytes: u64,
    pub count: u64,
    pub created_at: Option<String>,
}

record_repr!(PyLeak, "Leak"; source, kind, label, bytes, count, created_at);

/// What `Engine.shutdown()` did: each phase (in order, timed) and every leak found.
#[pyclass(name = "CleanupReport", module = "isfkit", frozen)]
pub struct PyCleanupReport {
    report: CleanupReport,
}

impl PyCleanupReport {
    pub fn new(report: CleanupReport) -> Self {
        PyCleanupReport { report }
    }

    fn leak_objects(&self) -> Vec<PyLeak> {
        self.report
            .leaks
            .iter()
            .map(|l| PyLeak {
                source: match l.source {
                    LeakSource::Registry => "registry",
                    LeakSource::Wgpu => "wgpu",
                },
                kind: l.kind.clone(),
                label: l.label.clone(),
                bytes: l.bytes,
                count: l.count,
                created_at: l.created_at.clone(),
            })
            .collect()
    }

    fn phase_objects(&self) -> Vec<PyPhaseReport> {
        self.report
            .phases
            .iter()
            .map(|p| PyPhaseReport {
                phase: p.phase as u8,
                name: p.name.to_owned(),
                duration_ms: p.duration_ms,
                released_count: p.released_count,
                released_bytes: p.released_bytes,
                errors: p.errors.clone(),
            })
            .collect()
    }
}

#[pymethods]
impl PyCleanupReport {
    /// An empty report (no phase ran, nothing leaked): what shutting down nothing returns.
    #[new]
    fn empty() -> Self {
        PyCleanupReport::new(CleanupReport::default())
    }

    /// True when no phase failed, nothing leaked and no abandoned device still runs work.
    #[getter]
    fn ok(&self) -> bool {
        self.report.ok()
    }

    #[getter]
    fn phases(&self) -> Vec<PyPhaseReport> {
        self.phase_objects()
    }

    #[getter]
    fn leaks(&self) -> Vec<PyLeak> {
        self.leak_objects()
    }

    #[getter]
    fn total_ms(&self) -> f64 {
        self.report.total_ms
    }

    /// Why wgpu's own report was not checked (another engine shared the wgpu instance), or
    /// None when it was.
    #[getter]
    fn wgpu_report_skipped(&self) -> Option<String> {
        self.report.wgpu_report_skipped.clone()
    }

    /// Devices given up on because a frame passed its deadline, as dicts
    /// `{"generation", "reason", "still_running"}`. While one still runs its work, `ok` is
    /// False; it is not a leak.
    #[getter]
    fn abandoned<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for a in &self.report.abandoned {
            list.append(fields_dict!(py, a; generation, reason, still_running))?;
        }
        Ok(list)
    }

    /// Every phase error as `"phase name: error"`.
    #[getter]
    fn errors(&self) -> Vec<String> {
        self.report
            .errors()
            .map(|(p, e)| format!("{}: {e}", p.name))
            .collect()
    }

    /// The report as plain dicts and lists (for JSON or logs).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("ok", self.report.ok())?;
        d.set_item("total_ms", self.report.total_ms)?;
        d.set_item("wgpu_report_skipped", &self.report.wgpu_report_skipped)?;
        let phases = PyList::empty(py);
        for p in self.phase_objects() {
            phases.append(fields_dict!(py, p; phase, name, duration_ms, released_count, released_bytes, errors))?;
        }
        d.set_item("phases", phases)?;
        let leaks = PyList::empty(py);
        for l in self.leak_objects() {
            leaks.append(fields_dict!(py, l; source, kind, label, bytes, count, created_at))?;
        }
        d.set_item("leaks", leaks)?;
        d.set_item("abandoned", self.abandoned(py)?)?;
        Ok(d)
    }

    /// The report as JSON, exactly as `isf render --json-report` prints it.
    fn to_json(&self) -> String {
        self.report.to_json()
    }

    /// A report is always a report, even an empty one.
    fn __bool__(&self) -> bool {
        true
    }

    /// The table `isf render --cleanup-report` prints.
    fn __str__(&self) -> String {
        self.report.to_string()
    }

    fn __repr__(&self) -> String {
        format!(
            "CleanupReport(ok={}, phases={}, leaks={}, total_ms={:.3})",
            if self.report.ok() { "True" } else { "False" },
            self.report.phases.len(),
            self.report.leaks.len(),
            self.report.total_ms
        )
    }
}

/// A live GPU object in the engine's registry.
#[pyclass(name = "LiveResource", module = "isfkit", frozen, get_all, eq)]
#[derive(Clone, PartialEq)]
pub struct PyLiveResource {
    pub kind: String,
    pub label: String,
    pub bytes: u64,
    pub generation: u64,
    pub order: u64,
    pub created_at: String,
}

record_repr!(PyLiveResource, "LiveResource"; kind, label, bytes, generation, order, created_at);

/// A kind's name as the engine serialises it (`texture`, `shader_module`, ...).
fn kind_name(kind: isfkit_render::ResourceKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| kind.to_string())
}

impl From<&LiveResource> for PyLiveResource {
    fn from(r: &LiveResource) -> Self {
        PyLiveResource {
            kind: kind_name(r.kind),
            label: r.label.clone(),
            bytes: r.bytes,
            generation: r.generation,
            order: r.order,
            created_at: r.created_at.clone(),
        }
    }
}

/// What `Engine.reinitialize()` did.
#[pyclass(name = "ReinitReport", module = "isfkit", frozen, get_all)]
pub struct PyReinitReport {
    /// The new device generation.
    pub generation: u64,
    pub duration_ms: f64,
    /// GPU objects of the old device that were released.
    pub released_count: u64,
    pub released_bytes: u64,
    /// Persistent buffers saved to memory and restored on the next render.
    pub persistent_saved: usize,
    pub adapter: String,
}

record_repr!(PyReinitReport, "ReinitReport"; generation, duration_ms, released_count, released_bytes, persistent_saved, adapter);

impl From<ReinitReport> for PyReinitReport {
    fn from(r: ReinitReport) -> Self {
        PyReinitReport {
            generation: r.generation,
            duration_ms: r.duration_ms,
            released_count: r.released.count,
            released_bytes: r.released.bytes,
            persistent_saved: r.persistent_saved,
            adapter: r.adapter,
        }
    }
}

/// Pool statistics as a dict (`hits`, `misses`, `live`, `idle`, `bytes`, `aged_out`).
pub fn pool_stats_dict(py: Python<'_>, s: PoolStats) -> PyResult<Bound<'_, PyDict>> {
    Ok(fields_dict!(py, s; hits, misses, live, idle, bytes, aged_out))
}

/// Live GPU objects by kind: `{"by_kind": {"texture": {"count": .., "bytes": ..}}}`.
pub fn resources_dict(
    py: Python<'_>,
    s: isfkit_render::ResourceSummary,
) -> PyResult<Bound<'_, PyDict>> {
    let by_kind = PyDict::new(py);
    for (kind, k) in &s.by_kind {
        by_kind.set_item(kind_name(*kind), fields_dict!(py, k; count, bytes))?;
    }
    let d = PyDict::new(py);
    d.set_item("by_kind", by_kind)?;
    Ok(d)
}
