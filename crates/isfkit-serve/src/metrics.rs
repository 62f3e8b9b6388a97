//! Counters for `GET /metrics`, exposed with `prometheus-client` in the OpenMetrics text format
//! (which Prometheus scrapes; counters' samples end in `_total`).

use std::sync::atomic::{AtomicI64, AtomicU64};

use prometheus_client::encoding::{EncodeLabelSet, EncodeMetric, MetricEncoder};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::metrics::MetricType;
use prometheus_client::registry::Registry;

/// The content type of [`Metrics::render`]'s text.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// Upper bounds of the latency histogram's buckets, in seconds.
pub const BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
];

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

fn latency_histogram() -> Histogram {
    Histogram::new(BUCKETS.iter().copied())
}

/// A gauge that is exposed as never below 0: a decrement can overtake its increment for a
/// moment, and a negative queue depth or worker count means nothing to a reader.
#[derive(Debug, Clone, Default)]
struct Level(Gauge<i64, AtomicI64>);

impl EncodeMetric for Level {
    fn encode(&self, mut encoder: MetricEncoder) -> Result<(), std::fmt::Error> {
        encoder.encode_gauge(&self.0.get().max(0))
    }

    fn metric_type(&self) -> MetricType {
        MetricType::Gauge
    }
}

/// The server's counters. Shared by HTTP, MCP and the worker pool.
pub struct Metrics {
    registry: Registry,
    /// (route, outcome) -> requests.
    requests: Family<RequestLabels, Counter<u64, AtomicU64>>,
    /// route -> latency histogram.
    latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    queue_depth: Level,
    busy_workers: Level,
    workers: Level,
    worker_restarts: Counter<u64, AtomicU64>,
    timeouts: Counter<u64, AtomicU64>,
    frames: Counter<u64, AtomicU64>,
}

impl Default for Metrics {
    fn default() -> Metrics {
        let mut m = Metrics {
            registry: Registry::default(),
            requests: Family::default(),
            latency: Family::new_with_constructor(latency_histogram),
            queue_depth: Level::default(),
            busy_workers: Level::default(),
            workers: Level::default(),
            worker_restarts: Counter::default(),
            timeouts: Counter::default(),
            frames: Counter::default(),
        };
        // prometheus-client ends each help text with a period, and names a counter's samples
        // NAME_total.
        macro_rules! register {
            ($($name:literal, $help:literal, $metric:ident;)*) => {
                $(m.registry.register($name, $help, m.$metric.clone());)*
            };
        }
        register! {
            "isf_requests", "Requests answered, by route and outcome", requests;
            "isf_request_duration_seconds", "Time to answer a request, by route", latency;
            "isf_queue_depth", "Renders waiting for a worker", queue_depth;
            "isf_workers", "Render worker processes running", workers;
            "isf_workers_busy", "Render workers rendering now", busy_workers;
            "isf_worker_restarts", "Worker processes replaced (killed at a deadline, or exited)", worker_restarts;
            "isf_timeouts", "Renders stopped at their deadline", timeouts;
            "isf_frames_rendered", "Frames returned to clients", frames;
        }
        m
    }
}

impl Metrics {
    /// Counts one finished request of `route` (`validate`, `render`, `info`, `mcp:...`) with its
    /// outcome (`ok`, or an error kind) and how long it took.
    pub fn request(&self, route: &str, outcome: &str, seconds: f64) {
        self.requests
            .get_or_create(&RequestLabels {
                route: route.to_owned(),
                outcome: outcome.to_owned(),
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels {
                route: route.to_owned(),
            })
            .observe(seconds);
    }

    pub fn queue_add(&self, n: i64) {
        self.queue_depth.0.inc_by(n);
    }
    pub fn queue_depth(&self) -> i64 {
        self.queue_depth.0.get()
    }
    pub fn busy_add(&self, n: i64) {
        self.busy_workers.0.inc_by(n);
    }
    pub fn workers_add(&self, n: i64) {
        self.workers.0.inc_by(n);
    }
    pub fn workers(&self) -> i64 {
        self.workers.0.get()
    }
    pub fn restart(&self) {
        self.worker_restarts.inc();
    }
    pub fn restarts(&self) -> u64 {
        self.worker_restarts.get()
    }
    pub fn timeout(&self) {
        self.timeouts.inc();
    }
    pub fn timeouts(&self) -> u64 {
        self.timeouts.get()
    }
    pub fn frames_add(&self, n: u64) {
        self.frames.inc_by(n);
    }

    /// The exposition, in the OpenMetrics text format ([`CONTENT_TYPE`]).
    pub fn render(&self) -> String {
        let mut s = String::new();
        // Writing into a String does not fail.
        let _ = prometheus_client::encoding::text::encode(&mut s, &self.registry);
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The exposition read back with a Prometheus text parser.
    fn parse(text: &str) -> prometheus_parse::Scrape {
        prometheus_parse::Scrape::parse(text.lines().map(|l| Ok(l.to_owned()))).unwrap()
    }

    /// The value of the sample `name` with exactly `labels`.
    fn value(scrape: &prometheus_parse::Scrape, name: &str, labels: &[(&str, &str)]) -> f64 {
        let s = scrape
            .samples
            .iter()
            .find(|s| {
                s.metric == name
                    && s.labels.len() == labels.len()
                    && labels.iter().all(|(k, v)| s.labels.get(k) == Some(v))
            })
            .unwrap_or_else(|| panic!("no sample {name} {labels:?}"));
        match &s.value {
            prometheus_parse::Value::Counter(v)
            | prometheus_parse::Value::Gauge(v)
            | prometheus_parse::Value::Untyped(v) => *v,
            other => panic!("{name} is not a single value: {other:?}"),
        }
    }

    #[test]
    fn exposition_has_counters_histogram_and_gauges() {
        let m = Metrics::default();
        m.request("validate", "ok", 0.003);
        m.request("validate", "ok", 0.2);
        m.request("render", "timeout", 10.5);
        m.queue_add(2);
        m.busy_add(-1);
        m.timeout();
        m.frames_add(3);
        let text = m.render();
        let scrape = parse(&text);
        let requests = |route, outcome| {
            value(
                &scrape,
                "isf_requests_total",
                &[("route", route), ("outcome", outcome)],
            )
        };
        assert_eq!(requests("validate", "ok"), 2.0);
        assert_eq!(requests("render", "timeout"), 1.0);
        let histogram = |route: &str| {
            scrape
                .samples
                .iter()
                .find_map(|s| match &s.value {
                    prometheus_parse::Value::Histogram(h)
                        if s.metric == "isf_request_duration_seconds"
                            && s.labels.get("route") == Some(route) =>
                    {
                        Some(h.clone())
                    }
                    _ => None,
                })
                .unwrap_or_else(|| panic!("no histogram for {route} in\n{text}"))
        };
        let bucket = |route: &str, le: f64| {
            histogram(route)
                .iter()
                .find(|b| b.less_than == le)
                .map(|b| b.count)
                .unwrap_or_else(|| panic!("no bucket le={le} for {route}"))
        };
        assert_eq!(bucket("validate", 0.005), 1.0);
        assert_eq!(bucket("validate", 0.25), 2.0);
        assert_eq!(bucket("validate", f64::INFINITY), 2.0);
        assert_eq!(bucket("render", 10.0), 0.0);
        assert_eq!(bucket("render", f64::INFINITY), 1.0);
        // Every bucket bound, then +Inf.
        assert_eq!(histogram("render").len(), BUCKETS.len() + 1);
        let render = [("route", "render")];
        assert_eq!(
            value(&scrape, "isf_request_duration_seconds_count", &render),
            1.0
        );
        assert_eq!(
            value(&scrape, "isf_request_duration_seconds_sum", &render),
            10.5
        );
        assert_eq!(value(&scrape, "isf_queue_depth", &[]), 2.0);
        assert_eq!(value(&scrape, "isf_workers", &[]), 0.0);
        assert_eq!(
            value(&scrape, "isf_workers_busy", &[]),
            0.0,
            "never below 0"
        );
        assert_eq!(value(&scrape, "isf_timeouts_total", &[]), 1.0);
        assert_eq!(value(&scrape, "isf_worker_restarts_total", &[]), 0.0);
        assert_eq!(value(&scrape, "isf_frames_rendered_total", &[]), 3.0);
        // Names, types and help texts.
        for (name, kind, help) in [
            (
                "isf_requests",
                "counter",
                "Requests answered, by route and outcome.",
            ),
            (
                "isf_request_duration_seconds",
                "histogram",
                "Time to answer a request, by route.",
            ),
            ("isf_queue_depth", "gauge", "Renders waiting for a worker."),
            ("isf_workers", "gauge", "Render worker processes running."),
            ("isf_workers_busy", "gauge", "Render workers rendering now."),
            (
                "isf_worker_restarts",
                "counter",
                "Worker processes replaced (killed at a deadline, or exited).",
            ),
            (
                "isf_timeouts",
                "counter",
                "Renders stopped at their deadline.",
            ),
            (
                "isf_frames_rendered",
                "counter",
                "Frames returned to clients.",
            ),
        ] {
            assert_eq!(scrape.docs.get(name).map(String::as_str), Some(help));
            assert!(
                text.contains(&format!("# TYPE {name} {kind}\n")),
                "{name} {kind} in\n{text}"
            );
        }
    }
}
