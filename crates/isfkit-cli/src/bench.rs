//! `isf bench`: measurements of the engine, printed as text or JSON. Figures, not assertions.

use std::time::Instant;

use clap::{Args, ValueEnum};
use isfkit_render::{Engine, EngineConfig, RenderOptions};
use serde_json::json;

#[derive(Clone, Copy, ValueEnum)]
pub enum Which {
    /// Renders with re-initialisations between them: RSS, live resources, re-init time.
    Lifecycle,
}

#[derive(Args)]
pub struct BenchArgs {
    #[arg(value_enum, default_value = "lifecycle")]
    which: Which,
    /// Renders in total.
    #[arg(long, default_value_t = 1000)]
    renders: u64,
    /// Re-initialisations, spread evenly between the renders.
    #[arg(long, default_value_t = 100)]
    reinits: u64,
    /// Render size.
    #[arg(long, default_value = "64x64", value_parser = crate::parse_size)]
    size: (u32, u32),
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

/// A small two-pass shader with a persistent buffer: exercises targets, the pool and the
/// persistent save/restore on every re-initialisation.
const LIFECYCLE_SHADER: &str = r#"/*{
  "ISFVSN": "2",
  "INPUTS": [{"NAME": "speed", "TYPE": "float", "DEFAULT": 1.0}],
  "PASSES": [{"TARGET": "acc", "PERSISTENT": true}, {}]
}*/
void main() {
    vec4 prev = IMG_THIS_PIXEL(acc);
    if (PASSINDEX == 0) {
        gl_FragColor = vec4(fract(prev.r + 0.01 * speed), isf_FragNormCoord, 1.0);
    } else {
        gl_FragColor = prev;
    }
}
"#;

/// Resident set size of this process in KiB (Linux), or 0 where unknown.
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

pub fn run(args: BenchArgs) -> anyhow::Result<()> {
    match args.which {
        Which::Lifecycle => lifecycle(args),
    }
}

fn lifecycle(args: BenchArgs) -> anyhow::Result<()> {
    let (w, h) = args.size;
    let engine = Engine::new(EngineConfig::default())?;
    let adapter = engine.adapter_name();
    let scene = engine.load_source(LIFECYCLE_SHADER, None)?;
    let rss_start = rss_kib();
    // `reinits` re-initialisations between `renders` renders split them into
    // `reinits + 1` runs of (nearly) equal length.
    let every = if args.reinits == 0 {
        u64::MAX
    } else {
        (args.renders / (args.reinits + 1)).max(1)
    };
    let warmup = (args.renders / 10).max(every.min(args.renders));
    let mut rss_warm = rss_start;
    let mut reinit_ms = Vec::new();
    let started = Instant::now();
    for i in 0..args.renders {
        if i > 0 && i % every == 0 && (reinit_ms.len() as u64) < args.reinits {
            reinit_ms.push(engine.reinitialize()?.duration_ms);
        }
        scene.render(&RenderOptions::new(w, h, i as f64 / 60.0))?;
        if i + 1 == warmup {
            rss_warm = rss_kib();
        }
    }
    let total_s = started.elapsed().as_secs_f64();
    let rss_end = rss_kib();
    engine.cleanup();
    let live_after_cleanup = engine.resources().total_count();
    drop(scene);
    let report = engine.shutdown();
    let live_after_shutdown = engine.resources().total_count();
    reinit_ms.sort_by(f64::total_cmp);
    let mean = if reinit_ms.is_empty() {
        0.0
    } else {
        reinit_ms.iter().sum::<f64>() / reinit_ms.len() as f64
    };
    let median = reinit_ms.get(reinit_ms.len() / 2).copied().unwrap_or(0.0);
    let growth_kib = rss_end as i64 - rss_warm as i64;
    if args.json {
        println!(
            "{}",
            json!({
                "adapter": adapter,
                "renders": args.renders,
                "reinits": reinit_ms.len(),
                "size": format!("{w}x{h}"),
                "total_s": total_s,
                "rss_start_kib": rss_start,
                "rss_warm_kib": rss_warm,
                "rss_end_kib": rss_end,
                "rss_growth_after_warmup_kib": growth_kib,
                "live_resources_after_cleanup": live_after_cleanup,
                "live_resources_after_shutdown": live_after_shutdown,
                "reinit_mean_ms": mean,
                "reinit_median_ms": median,
                "leaks": report.leaks.len(),
            })
        );
    } else {
        println!(
            "lifecycle bench: {} renders at {w}x{h}, {} re-initialisations, on {adapter}",
            args.renders,
            reinit_ms.len()
        );
        println!("  total                 {total_s:.2} s");
        println!("  RSS start / warm / end {rss_start} / {rss_warm} / {rss_end} KiB (growth after warm-up {growth_kib} KiB)");
        println!("  re-init mean / median {mean:.2} / {median:.2} ms");
        println!("  live resources after cleanup (scene alive) {live_after_cleanup}, after shutdown {live_after_shutdown}");
        println!("  leaks at shutdown     {}", report.leaks.len());
    }
    Ok(())
}
