//! Counters for `GET /metrics`, in Prometheus' text format (written by hand: a handful of
//! counters, one histogram and three gauges need no library).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Mutex;

/// Upper bounds of the latency histogram's buckets, in seconds.
pub const BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
];

#[derive(Default)]
struct Histogram {
    counts: Vec<u64>,
    sum: f64,
    count: u64,
}

/// The server's counters. Shared by HTTP, MCP and the worker pool.
#[derive(Default)]
pub struct Metrics {
    /// (route, outcome) -> requests.
    requests: Mutex<BTreeMap<(String, String), u64>>,
    /// route -> latency histogram.
    latency: Mutex<BTreeMap<String, Histogram>>,
    queue_depth: AtomicI64,
    busy_workers: AtomicI64,
    workers: AtomicI64,
    worker_restarts: AtomicU64,
    timeouts: AtomicU64,
    frames: AtomicU64,
}

impl Metrics {
    /// Counts one finished request of `route` (`validate`, `render`, `info`, `mcp:...`) with its
    /// outcome (`ok`, or an error kind) and how long it took.
    pub fn request(&self, route: &str, outcome: &str, seconds: f64) {
        *self
            .requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry((route.to_owned(), outcome.to_owned()))
            .or_default() += 1;
        let mut lat = self.latency.lock().unwrap_or_else(|e| e.into_inner());
        let h = lat.entry(route.to_owned()).or_insert_with(|| Histogram {
            counts: vec![0; BUCKETS.len()],
            ..Default::default()
        });
        for (i, b) in BUCKETS.iter().enumerate() {
            if seconds <= *b {
                h.counts[i] += 1;
            }
        }
        h.sum += seconds;
        h.count += 1;
    }

    pub fn queue_add(&self, n: i64) {
        self.queue_depth.fetch_add(n, Ordering::Relaxed);
    }
    pub fn queue_depth(&self) -> i64 {
        self.queue_depth.load(Ordering::Relaxed)
    }
    pub fn busy_add(&self, n: i64) {
        self.busy_workers.fetch_add(n, Ordering::Relaxed);
    }
    pub fn workers_add(&self, n: i64) {
        self.workers.fetch_add(n, Ordering::Relaxed);
    }
    pub fn workers(&self) -> i64 {
        self.workers.load(Ordering::Relaxed)
    }
    pub fn restart(&self) {
        self.worker_restarts.fetch_add(1, Ordering::Relaxed);
    }
    pub fn restarts(&self) -> u64 {
        self.worker_restarts.load(Ordering::Relaxed)
    }
    pub fn timeout(&self) {
        self.timeouts.fetch_add(1, Ordering::Relaxed);
    }
    pub fn timeouts(&self) -> u64 {
        self.timeouts.load(Ordering::Relaxed)
    }
    pub fn frames_add(&self, n: u64) {
        self.frames.fetch_add(n, Ordering::Relaxed);
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "# HELP isf_requests_total Requests answered, by route and outcome."
        );
        let _ = writeln!(s, "# TYPE isf_requests_total counter");
        for ((route, outcome), n) in self
            .requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
        {
            let _ = writeln!(
                s,
                "isf_requests_total{{route=\"{route}\",outcome=\"{outcome}\"}} {n}"
            );
        }
        let _ = writeln!(
            s,
            "# HELP isf_request_duration_seconds Time to answer a request, by route."
        );
        let _ = writeln!(s, "# TYPE isf_request_duration_seconds histogram");
        for (route, h) in self
            .latency
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
        {
            for (b, n) in BUCKETS.iter().zip(&h.counts) {
                let _ = writeln!(
                    s,
                    "isf_request_duration_seconds_bucket{{route=\"{route}\",le=\"{b}\"}} {n}"
                );
            }
            let _ = writeln!(
                s,
                "isf_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                s,
                "isf_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                h.sum
            );
            let _ = writeln!(
                s,
                "isf_request_duration_seconds_count{{route=\"{route}\"}} {}",
                h.count
            );
        }
        let gauges = [
            (
                "isf_queue_depth",
                "Renders waiting for a worker.",
                self.queue_depth(),
            ),
            (
                "isf_workers",
                "Render worker processes running.",
                self.workers(),
            ),
            (
                "isf_workers_busy",
                "Render workers rendering now.",
                self.busy_workers.load(Ordering::Relaxed),
            ),
        ];
        for (name, help, v) in gauges {
            let _ = writeln!(
                s,
                "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {}",
                v.max(0)
            );
        }
        let counters = [
            (
                "isf_worker_restarts_total",
                "Worker processes replaced (killed at a deadline, or exited).",
                self.restarts(),
            ),
            (
                "isf_timeouts_total",
                "Renders stopped at their deadline.",
                self.timeouts(),
            ),
            (
                "isf_frames_rendered_total",
                "Frames returned to clients.",
                self.frames.load(Ordering::Relaxed),
            ),
        ];
        for (name, help, v) in counters {
            let _ = writeln!(s, "# HELP {name} {help}\n# TYPE {name} counter\n{name} {v}");
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exposition_has_counters_histogram_and_gauges() {
        let m = Metrics::default();
        m.request("validate", "ok", 0.003);
        m.request("validate", "ok", 0.2);
        m.request("render", "timeout", 10.5);
        m.queue_add(2);
        m.timeout();
        let text = m.render();
        assert!(text.contains("isf_requests_total{route=\"validate\",outcome=\"ok\"} 2\n"));
        assert!(text.contains("isf_requests_total{route=\"render\",outcome=\"timeout\"} 1\n"));
        assert!(text
            .contains("isf_request_duration_seconds_bucket{route=\"validate\",le=\"0.005\"} 1\n"));
        assert!(text
            .contains("isf_request_duration_seconds_bucket{route=\"validate\",le=\"0.25\"} 2\n"));
        assert!(text.contains("isf_request_duration_seconds_count{route=\"render\"} 1\n"));
        assert!(text.contains("\nisf_queue_depth 2\n"));
        assert!(text.contains("\nisf_timeouts_total 1\n"));
    }
}
