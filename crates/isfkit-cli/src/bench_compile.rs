//! `isf bench compile`: where a shader's first frame goes, cold and warm. Each shader of a set
//! is read and translated (isfkit), compiled by naga (parse, validation, SPIR-V), and drawn
//! twice at a small size: the first draw builds the GPU pipelines (wgpu's shader modules and
//! the driver's compile), the second is an ordinary frame. The set runs in two child
//! processes sharing a fresh Mesa shader cache folder: the first meets an empty cache (cold),
//! the second a full one (warm).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use isfkit_render::format::IsfDocument;
use isfkit_render::glsl::translate;
use isfkit_render::{Engine, EngineConfig, Program, RenderOptions};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The variable that makes `isf bench compile` the child that measures (its value: the file
/// holding the list of shaders).
const CHILD: &str = "ISFKIT_BENCH_COMPILE_LIST";

/// One shader's stages, in milliseconds.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Stages {
    shader: String,
    /// Reading the file and the ISF header.
    parse_ms: f64,
    /// isfkit's translation to GLSL 450.
    translate_ms: f64,
    /// naga: parse, validation and SPIR-V of both stages.
    naga_ms: f64,
    /// Building the pipelines ([`isfkit_render::Scene::prepare`]: wgpu's shader modules and
    /// pipelines, and what of the driver's compile happens there).
    pipelines_ms: f64,
    /// The first frame drawn (with a driver that compiles at the first draw, as Mesa's
    /// lavapipe does, its compile is here).
    first_frame_ms: f64,
    /// The second frame: what drawing alone takes.
    next_frame_ms: f64,
    /// The first frame of a second scene of the same shader, made while the first is alive
    /// (it shares the first one's modules and pipelines).
    #[serde(default)]
    again_ms: f64,
    error: Option<String>,
}

impl Stages {
    /// The time to a first frame.
    fn total(&self) -> f64 {
        self.parse_ms + self.translate_ms + self.naga_ms + self.pipelines_ms + self.first_frame_ms
    }
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

/// Measures one shader on `engine` at `size`.
fn measure(engine: &Engine, path: &Path, size: (u32, u32)) -> Stages {
    let mut s = Stages {
        shader: path.display().to_string(),
        ..Stages::default()
    };
    let t = Instant::now();
    let doc = match IsfDocument::parse_file(path) {
        Ok(d) => d,
        Err(e) => {
            s.error = Some(e.diagnostic.message);
            return s;
        }
    };
    s.parse_ms = ms(t);
    let vertex_path = isfkit_render::vertex_shader_path(path);
    let vertex = vertex_path
        .as_deref()
        .and_then(|p| std::fs::read_to_string(p).ok());
    let t = Instant::now();
    let translated = translate(&doc, vertex.as_deref());
    s.translate_ms = ms(t);
    if let Err(e) = translated {
        s.error = Some(e.to_string());
        return s;
    }
    // `compile` translates again before naga: its time less the translation's is naga's.
    let t = Instant::now();
    let program = Program::compile(
        doc,
        vertex,
        Some(path.to_owned()),
        vertex_path,
        "bench".into(),
    );
    s.naga_ms = (ms(t) - s.translate_ms).max(0.0);
    let program = match program {
        Ok(p) => p,
        Err(e) => {
            s.error = Some(e.render());
            return s;
        }
    };
    let scene = match engine.create_scene(program.clone()) {
        Ok(sc) => sc,
        Err(e) => {
            s.error = Some(e.to_string());
            return s;
        }
    };
    let opts = RenderOptions::new(size.0, size.1, 1.0);
    let t = Instant::now();
    if let Err(e) = scene.prepare(&opts) {
        s.error = Some(e.to_string());
        return s;
    }
    s.pipelines_ms = ms(t);
    let mut times = [0.0; 2];
    for slot in &mut times {
        let t = Instant::now();
        if let Err(e) = scene.render(&opts) {
            s.error = Some(e.to_string());
            return s;
        }
        *slot = ms(t);
    }
    [s.first_frame_ms, s.next_frame_ms] = times;
    let t = Instant::now();
    match engine
        .create_scene(program)
        .and_then(|again| again.render(&opts))
    {
        Ok(_) => s.again_ms = ms(t),
        Err(e) => s.error = Some(e.to_string()),
    }
    s
}

/// The shaders under `paths` (files, and the `.fs` files of folders), sorted.
fn shader_files(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == "fs"))
                .collect();
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    anyhow::ensure!(!out.is_empty(), "no shaders found in {paths:?}");
    Ok(out)
}

/// The child: measures every shader in the list file and prints the stages as JSON lines.
pub fn child(list: &Path, size: (u32, u32)) -> anyhow::Result<()> {
    let shaders: Vec<PathBuf> = std::fs::read_to_string(list)?
        .lines()
        .map(PathBuf::from)
        .collect();
    let engine = Engine::new(isfkit_batch::media::with_media_files(
        EngineConfig::default(),
    ))?;
    for path in &shaders {
        println!("{}", serde_json::to_string(&measure(&engine, path, size))?);
    }
    let report = engine.shutdown();
    anyhow::ensure!(report.ok(), "cleanup: {report}");
    Ok(())
}

/// Runs the child with the Mesa shader cache and isfkit's pipeline cache in `cache` (the
/// latter off when `ISFKIT_PIPELINE_CACHE=off` here): every shader's stages.
fn run_child(list: &Path, cache: &Path, size: (u32, u32)) -> anyhow::Result<Vec<Stages>> {
    let out = Command::new(std::env::current_exe()?)
        .args([
            "bench",
            "compile",
            "--size",
            &format!("{}x{}", size.0, size.1),
        ])
        .env(CHILD, list)
        .env("MESA_SHADER_CACHE_DIR", cache)
        .env("MESA_SHADER_CACHE_DISABLE", "false")
        .env("MESA_DISK_CACHE_SINGLE_FILE", "0")
        .env(
            isfkit_render::PIPELINE_CACHE_ENV,
            match isfkit_render::default_pipeline_cache_dir() {
                Some(_) => cache.join("isfkit-pipelines"),
                None => "off".into(),
            },
        )
        .output()?;
    anyhow::ensure!(
        out.status.success(),
        "the measuring process failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| Ok(serde_json::from_str(l)?))
        .collect()
}

/// Sums of each stage over the shaders that rendered.
fn sums(all: &[Stages]) -> serde_json::Value {
    let ok: Vec<&Stages> = all.iter().filter(|s| s.error.is_none()).collect();
    let sum = |f: fn(&Stages) -> f64| ok.iter().map(|s| f(s)).sum::<f64>();
    json!({
        "shaders": ok.len(),
        "parse_ms": sum(|s| s.parse_ms),
        "translate_ms": sum(|s| s.translate_ms),
        "naga_ms": sum(|s| s.naga_ms),
        "pipelines_ms": sum(|s| s.pipelines_ms),
        "first_frame_ms": sum(|s| s.first_frame_ms),
        "next_frame_ms": sum(|s| s.next_frame_ms),
        "again_ms": sum(|s| s.again_ms),
        "total_ms": sum(Stages::total),
    })
}

/// `isf bench compile [--shaders PATH]... [--size WxH] [--quick-compile] [--json]`.
pub fn run(
    shaders: &[PathBuf],
    size: Option<(u32, u32)>,
    quick: bool,
    as_json: bool,
) -> anyhow::Result<()> {
    let size = size.unwrap_or((256, 144));
    if let Some(list) = std::env::var_os(CHILD) {
        return child(Path::new(&list), size);
    }
    // This process opens no adapter; the children that measure inherit the choice.
    if quick && !isfkit_render::quick_compiles() {
        anyhow::bail!("--quick-compile came after the GPU driver loaded");
    }
    let default = [PathBuf::from("tests/realworld/shaders")];
    let files = shader_files(if shaders.is_empty() {
        &default
    } else {
        shaders
    })?;
    let dir = tempfile::tempdir()?;
    let list = dir.path().join("shaders.txt");
    let absolute: Vec<String> = files
        .iter()
        .map(|f| std::path::absolute(f).map(|p| p.display().to_string()))
        .collect::<Result<_, _>>()?;
    std::fs::write(&list, absolute.join("\n"))?;
    let cache = dir.path().join("mesa-cache");
    let cold = run_child(&list, &cache, size)?;
    let warm = run_child(&list, &cache, size)?;
    let (cold_sum, warm_sum) = (sums(&cold), sums(&warm));
    if as_json {
        println!(
            "{}",
            json!({ "size": [size.0, size.1], "quick_compile": quick, "cold": cold_sum, "warm": warm_sum,
                    "shaders": cold.iter().zip(&warm).map(|(c, w)| json!({"cold": c, "warm": w})).collect::<Vec<_>>() })
        );
        return Ok(());
    }
    println!(
        "isf bench compile: {} shaders at {}x{}{}, one process each run (Mesa's shader cache: empty, then full)",
        files.len(),
        size.0,
        size.1,
        if quick { ", quick compiles" } else { "" }
    );
    println!(
        "{:<6} {:>9} {:>11} {:>9} {:>11} {:>13} {:>12} {:>11} {:>17}",
        "run",
        "parse",
        "translate",
        "naga",
        "pipelines",
        "first frame",
        "next frame",
        "total",
        "same shader again"
    );
    for (name, v) in [("cold", &cold_sum), ("warm", &warm_sum)] {
        let f = |k: &str| v[k].as_f64().unwrap_or(0.0);
        println!(
            "{name:<6} {:>7.0}ms {:>9.0}ms {:>7.0}ms {:>9.0}ms {:>11.0}ms {:>10.0}ms {:>9.0}ms {:>15.0}ms",
            f("parse_ms"),
            f("translate_ms"),
            f("naga_ms"),
            f("pipelines_ms"),
            f("first_frame_ms"),
            f("next_frame_ms"),
            f("total_ms"),
            f("again_ms")
        );
    }
    let failed: Vec<&Stages> = cold.iter().filter(|s| s.error.is_some()).collect();
    for s in &failed {
        println!(
            "not measured: {}: {}",
            s.shader,
            s.error.as_deref().unwrap_or("")
        );
    }
    let mut slowest: Vec<&Stages> = cold.iter().filter(|s| s.error.is_none()).collect();
    slowest.sort_by(|a, b| b.total().total_cmp(&a.total()));
    println!("slowest cold first frames:");
    for s in slowest.iter().take(5) {
        println!(
            "  {:>7.0} ms  {} (naga {:.0} ms, pipelines {:.0} ms, first frame {:.0} ms)",
            s.total(),
            s.shader,
            s.naga_ms,
            s.pipelines_ms,
            s.first_frame_ms
        );
    }
    Ok(())
}
