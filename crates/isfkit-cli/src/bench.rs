//! `isf bench`: measurements of the engine, printed as text or JSON. Figures, not assertions.

use std::time::Instant;

use clap::{Args, ValueEnum};
use isfkit_render::{Engine, EngineConfig, RenderOptions};
use serde_json::json;

#[derive(Clone, Copy, ValueEnum)]
pub enum Which {
    /// A heavy generator rendered three ways: GPU only, with read-back, and the full
    /// pipeline to PNG files; ms per frame each and the pipeline/GPU-only ratio.
    Pipeline,
    /// Renders with re-initialisations between them: RSS, live resources, re-init time.
    Lifecycle,
    /// A trivial shader rendered GPU-only with a new bind group per pass per frame, then with
    /// bind groups reused across frames: ms per frame each, in one run.
    Bindgroups,
    /// Two threads on one engine: thread B loads and validates small shaders while thread A
    /// is idle, then while A renders the heavy generator at 3840x2160 (--size).
    Concurrency,
    /// Engines created and shut down in a loop (--renders cycles): RSS per cycle.
    Engines,
    /// A filter over a clip against the same render fed one still image (ms per frame, 1080p
    /// by default, --frames 60), and the peak RSS of `isf render` over a 5 s and a 60 s clip.
    Video,
    /// Where first frames go: per shader (--shaders, default tests/realworld/shaders) the
    /// parse, isfkit's translation, naga, the first frame (pipelines built) and the next,
    /// with Mesa's shader cache empty (cold) and full (warm); at 256x144 by default.
    Compile,
    /// The preview window's frame rate (--shader, default examples/plasma.fs, at --size,
    /// default 640x360, in a --window of 1000x560) against the window's limit (bare clear and
    /// present frames) and the headless render rate; needs a display (or Xvfb).
    Window,
    /// Load test of `isf serve` on 127.0.0.1: validate at 32 clients, render at 256x144, a
    /// mixed run of 2,000 requests with 5% hanging and 5% broken shaders (--quick: seconds).
    Serve,
}

#[derive(Args)]
pub struct BenchArgs {
    #[arg(value_enum, default_value = "pipeline")]
    which: Which,
    /// Frames per mode (pipeline bench: default 8; video: 60).
    #[arg(long)]
    frames: Option<u64>,
    /// Shader for the pipeline bench (default: the bundled heavy generator).
    #[arg(long)]
    shader: Option<std::path::PathBuf>,
    /// Frames in flight (pipeline bench).
    #[arg(long, default_value_t = 3)]
    in_flight: usize,
    /// Renders in total (lifecycle bench).
    #[arg(long, default_value_t = 1000)]
    renders: u64,
    /// Re-initialisations, spread evenly between the renders.
    #[arg(long, default_value_t = 100)]
    reinits: u64,
    /// Render size (default 1920x1080 for pipeline, 64x64 for lifecycle).
    #[arg(long, value_parser = crate::parse_size)]
    size: Option<(u32, u32)>,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
    /// `serve`: a seconds-long smoke run instead of the full load test.
    #[arg(long)]
    quick: bool,
    /// `serve`: mixed requests (default 2000; 40 with --quick).
    #[arg(long)]
    requests: Option<usize>,
    /// `serve`: render worker processes (0 = one per core).
    #[arg(long)]
    workers: Option<usize>,
    /// `compile`: shaders to measure (files, or folders of .fs files); given again for more.
    #[arg(long)]
    shaders: Vec<std::path::PathBuf>,
    /// `window`: the window's size (default 1000x560).
    #[arg(long, value_parser = crate::parse_size)]
    window: Option<(u32, u32)>,
    /// `compile`: measure with quick compiles (as `isf batch --quick-compile`).
    #[arg(long)]
    quick_compile: bool,
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

/// A `/proc/self/status` memory figure in KiB (`VmRSS` now, `VmHWM` peak), 0 where unknown.
fn status_kib(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

fn rss_kib() -> u64 {
    status_kib("VmRSS:")
}

pub fn run(args: BenchArgs) -> anyhow::Result<()> {
    match args.which {
        Which::Lifecycle => lifecycle(args),
        Which::Pipeline => pipeline(args),
        Which::Bindgroups => bind_groups(args),
        Which::Concurrency => concurrency(args),
        Which::Engines => engines(args),
        Which::Serve => serve(args),
        Which::Video => crate::bench_video::run(args.size, args.frames, args.json),
        Which::Window => {
            crate::bench_window::run(args.shader, args.size, args.window, args.frames, args.json)
        }
        Which::Compile => {
            crate::bench_compile::run(&args.shaders, args.size, args.quick_compile, args.json)
        }
    }
}

/// `isf bench serve`: isfkit-serve's load test against a server in this process, its
/// workers this executable (`isf __serve-worker`). Exits 1 when a request went unanswered,
/// got a wrong answer, or a worker's cleanup report was not clean.
fn serve(args: BenchArgs) -> anyhow::Result<()> {
    use isfkit_serve::load;
    let exe = std::env::current_exe()?;
    let config = isfkit_serve::ServeConfig::new(exe, vec!["__serve-worker".into()]);
    let mut opts = if args.quick {
        load::LoadOptions::quick()
    } else {
        load::LoadOptions::full()
    };
    if let Some(n) = args.requests {
        opts.mixed_requests = n.clamp(1, 100_000);
    }
    if let Some(w) = args.workers {
        opts.workers = w.min(256);
    }
    if let Some(size) = args.size {
        opts.render_size = size;
    }
    let v = load::run(config, &opts, !args.json).map_err(anyhow::Error::msg)?;
    if args.json {
        println!("{v}");
    } else {
        print!("{}", load::text(&v));
    }
    if v["ok"] != true {
        anyhow::bail!("the load test found unanswered or wrong answers, or unclean workers");
    }
    Ok(())
}

/// The bundled heavy generator (also in examples/heavy.fs).
const HEAVY_SHADER: &str = include_str!("../../../examples/heavy.fs");

fn peak_rss_kib() -> u64 {
    status_kib("VmHWM:")
}

fn pipeline(args: BenchArgs) -> anyhow::Result<()> {
    use isfkit_output::{EncoderPool, ImageFormat, PngCompression};
    let (w, h) = args.size.unwrap_or((1920, 1080));
    let n = args.frames.unwrap_or(8).max(1);
    let engine = Engine::new(isfkit_batch::media::with_media_files(EngineConfig {
        deadline: std::time::Duration::from_secs(120),
        ..Default::default()
    }))?;
    let (scene, shader_name) = match &args.shader {
        Some(p) => (engine.load(p)?, p.display().to_string()),
        None => (
            engine.load_source(HEAVY_SHADER, None)?,
            "examples/heavy.fs (bundled)".to_owned(),
        ),
    };
    let opts = |i: u64| RenderOptions::new(w, h, i as f64 / 30.0);
    // Warm-up: pipelines compiled, pool filled.
    scene.render(&opts(0))?;

    let t = Instant::now();
    for i in 0..n {
        drop(engine.render_to_texture(&scene, &opts(i))?);
    }
    engine.wait_idle()?;
    let gpu_only_ms = t.elapsed().as_secs_f64() * 1000.0 / n as f64;

    let t = Instant::now();
    for i in 0..n {
        scene.render(&opts(i))?;
    }
    let readback_ms = t.elapsed().as_secs_f64() * 1000.0 / n as f64;

    let tmp = tempfile::Builder::new().prefix("isfkit-bench-").tempdir()?;
    let dir = tmp.path();
    let encoders = EncoderPool::new(0, args.in_flight.max(2).saturating_mul(2));
    let format = ImageFormat::Png {
        bits: 8,
        compression: PngCompression::Fast,
    };
    let t = Instant::now();
    engine.render_pipelined(&scene, (0..n).map(opts), args.in_flight, |i, frame| {
        encoders.submit(frame, dir.join(format!("frame_{i:05}.png")), format)?;
        anyhow::Ok(())
    })?;
    encoders.finish()?;
    let pipeline_ms = t.elapsed().as_secs_f64() * 1000.0 / n as f64;
    tmp.close()?;
    let ratio = pipeline_ms / gpu_only_ms;
    let adapter = engine.adapter_name();
    drop(scene);
    let report = engine.shutdown();
    let peak = peak_rss_kib();
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    if args.json {
        println!(
            "{}",
            json!({
                "adapter": adapter,
                "shader": shader_name,
                "size": format!("{w}x{h}"),
                "frames": n,
                "in_flight": args.in_flight,
                "cores": cores,
                "gpu_only_ms": gpu_only_ms,
                "readback_ms": readback_ms,
                "pipeline_ms": pipeline_ms,
                "ratio": ratio,
                "peak_rss_kib": peak,
                "leaks": report.leaks.len(),
            })
        );
    } else {
        println!(
            "pipeline bench: {shader_name}, {n} frames at {w}x{h} on {adapter} ({cores} cores)"
        );
        println!("  GPU only               {gpu_only_ms:9.1} ms/frame");
        println!("  render + read-back     {readback_ms:9.1} ms/frame");
        println!(
            "  full pipeline to PNG   {pipeline_ms:9.1} ms/frame  ({} in flight)",
            args.in_flight
        );
        println!("  ratio pipeline/GPU     {ratio:9.2}");
        println!("  peak RSS               {peak:9} KiB");
    }
    Ok(())
}

fn lifecycle(args: BenchArgs) -> anyhow::Result<()> {
    let (w, h) = args.size.unwrap_or((64, 64));
    let engine = Engine::new(isfkit_batch::media::with_media_files(
        EngineConfig::default(),
    ))?;
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

/// A one-pass shader whose cost is all per-frame overhead.
const TRIVIAL_SHADER: &str = r#"/*{ "ISFVSN": "2", "INPUTS": [] }*/
void main() { gl_FragColor = vec4(isf_FragNormCoord, fract(TIME), 1.0); }
"#;

fn bind_groups(args: BenchArgs) -> anyhow::Result<()> {
    let (w, h) = args.size.unwrap_or((64, 64));
    let n = args.frames.unwrap_or(8).max(1);
    let engine = Engine::new(isfkit_batch::media::with_media_files(
        EngineConfig::default(),
    ))?;
    let scene = match &args.shader {
        Some(p) => engine.load(p)?,
        None => engine.load_source(TRIVIAL_SHADER, None)?,
    };
    let adapter = engine.adapter_name();
    let run = |cache: bool| -> anyhow::Result<f64> {
        engine.set_bind_group_cache(cache);
        scene.render(&RenderOptions::new(w, h, 0.0))?;
        let t = Instant::now();
        for i in 0..n {
            drop(engine.render_to_texture(&scene, &RenderOptions::new(w, h, i as f64 / 60.0))?);
        }
        engine.wait_idle()?;
        Ok(t.elapsed().as_secs_f64() * 1000.0 / n as f64)
    };
    // Alternate twice so drift on a noisy machine hits both sides alike.
    let (a1, b1, a2, b2) = (run(false)?, run(true)?, run(false)?, run(true)?);
    let (uncached, cached) = ((a1 + a2) / 2.0, (b1 + b2) / 2.0);
    let live = engine.resources().total_count();
    drop(scene);
    let report = engine.shutdown();
    if args.json {
        println!(
            "{}",
            json!({ "adapter": adapter, "frames": n, "size": format!("{w}x{h}"),
                    "uncached_ms": uncached, "cached_ms": cached, "ratio": uncached / cached,
                    "live_resources": live, "leaks": report.leaks.len() })
        );
    } else {
        println!("bind-group bench: {n} frames x2 per mode at {w}x{h} on {adapter}");
        println!("  new bind group per pass per frame {uncached:8.3} ms/frame");
        println!("  bind groups reused across frames  {cached:8.3} ms/frame");
        println!(
            "  ratio                             {:8.2}",
            uncached / cached
        );
    }
    Ok(())
}

fn small_shader(k: u64) -> String {
    format!(
        "/*{{ \"ISFVSN\": \"2\", \"INPUTS\": [ {{ \"NAME\": \"level\", \"TYPE\": \"float\" }} ] }}*/\n\
         void main() {{ gl_FragColor = vec4(isf_FragNormCoord * level, float({k}) / 1000.0, 1.0); }}\n"
    )
}

/// Loads, translates, compiles and validates a small shader and sets an input: ms.
fn load_small(engine: &Engine, k: u64) -> anyhow::Result<f64> {
    let t = Instant::now();
    let scene = engine.load_source(&small_shader(k), None)?;
    scene.set_text("level", "0.25")?;
    Ok(t.elapsed().as_secs_f64() * 1000.0)
}

fn concurrency(args: BenchArgs) -> anyhow::Result<()> {
    let (w, h) = args.size.unwrap_or((3840, 2160));
    let frames = args.frames.unwrap_or(8).clamp(1, 8);
    let engine = std::sync::Arc::new(Engine::new(isfkit_batch::media::with_media_files(
        EngineConfig {
            deadline: std::time::Duration::from_secs(120),
            ..Default::default()
        },
    ))?);
    let heavy = engine.load_source(HEAVY_SHADER, None)?;
    heavy.render(&RenderOptions::new(w, h, 0.0))?;
    let idle: Vec<f64> = (0..20)
        .map(|k| load_small(&engine, k))
        .collect::<Result<_, _>>()?;
    let rendering = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let a = {
        let (heavy, rendering) = (heavy.clone(), rendering.clone());
        std::thread::spawn(move || -> anyhow::Result<f64> {
            let t = Instant::now();
            for i in 0..frames {
                heavy.render(&RenderOptions::new(w, h, 1.0 + i as f64))?;
            }
            rendering.store(false, std::sync::atomic::Ordering::SeqCst);
            Ok(t.elapsed().as_secs_f64() * 1000.0 / frames as f64)
        })
    };
    let mut busy = Vec::new();
    let mut k = 1000;
    std::thread::sleep(std::time::Duration::from_millis(20));
    while rendering.load(std::sync::atomic::Ordering::SeqCst) {
        busy.push(load_small(&engine, k)?);
        k += 1;
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let frame_ms = a
        .join()
        .map_err(|_| anyhow::anyhow!("render thread panicked"))??;
    let max = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(0.0)
    };
    let (idle_max, busy_max) = (max(&idle), max(&busy));
    let (mut idle_s, mut busy_s) = (idle.clone(), busy.clone());
    let (idle_med, busy_med) = (median(&mut idle_s), median(&mut busy_s));
    let adapter = engine.adapter_name();
    drop(heavy);
    let report = engine.shutdown();
    if args.json {
        println!(
            "{}",
            json!({ "adapter": adapter, "size": format!("{w}x{h}"), "frames": frames,
                    "frame_ms": frame_ms, "loads_idle": idle.len(), "loads_busy": busy.len(),
                    "load_idle_median_ms": idle_med, "load_idle_max_ms": idle_max,
                    "load_busy_median_ms": busy_med, "load_busy_max_ms": busy_max,
                    "leaks": report.leaks.len() })
        );
    } else {
        println!("concurrency bench: heavy generator at {w}x{h} on {adapter}");
        println!("  thread A frame                         {frame_ms:9.1} ms");
        println!(
            "  thread B load+validate, A idle         {idle_med:9.2} ms median, {idle_max:.2} ms max ({} loads)",
            idle.len()
        );
        println!(
            "  thread B load+validate, A rendering    {busy_med:9.2} ms median, {busy_max:.2} ms max ({} loads)",
            busy.len()
        );
    }
    Ok(())
}

fn engines(args: BenchArgs) -> anyhow::Result<()> {
    let cycles = args.renders.max(10);
    let warmup = (cycles / 10).max(5);
    // One loop of engines on the process's shared wgpu instance, one with an instance per
    // engine (what every engine had before the instance was shared): bytes of RSS per cycle.
    let run = |private: bool| -> anyhow::Result<(f64, u64, u64, f64)> {
        let mut rss_after_warmup = 0;
        let t = Instant::now();
        for i in 0..cycles {
            let engine = Engine::new(EngineConfig {
                private_instance: private,
                ..EngineConfig::default()
            })?;
            let report = engine.shutdown();
            anyhow::ensure!(report.ok(), "cycle {i}: {report}");
            drop(engine);
            if i + 1 == warmup {
                rss_after_warmup = rss_kib();
            }
        }
        let ms = t.elapsed().as_secs_f64() * 1000.0 / cycles as f64;
        let rss_end = rss_kib();
        let per_cycle =
            (rss_end as f64 - rss_after_warmup as f64) * 1024.0 / (cycles - warmup) as f64;
        Ok((ms, rss_after_warmup, rss_end, per_cycle))
    };
    // The instance-per-engine loop first, so the shared loop cannot hide behind its high-water mark.
    let private = run(true)?;
    let shared = run(false)?;
    if args.json {
        let j = |r: (f64, u64, u64, f64)| {
            json!({ "ms_per_cycle": r.0, "rss_after_warmup_kib": r.1, "rss_end_kib": r.2,
                    "bytes_per_cycle": r.3 })
        };
        println!(
            "{}",
            json!({ "cycles": cycles, "shared_instance": j(shared), "instance_per_engine": j(private) })
        );
    } else {
        println!("engines bench: {cycles} engines created and shut down, twice");
        for (name, r) in [
            ("shared instance", shared),
            ("instance per engine", private),
        ] {
            println!(
                "  {name:<20} {:6.2} ms/cycle, RSS {} KiB after {warmup} -> {} KiB ({:+.0} bytes per cycle)",
                r.0, r.1, r.2, r.3
            );
        }
    }
    Ok(())
}
