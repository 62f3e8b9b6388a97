//! `isf doctor`: what isfkit finds on this machine and whether each part works.
//!
//! Exit 0 when a test render works (ffmpeg, a display or the Python package missing only
//! limits what else works, and is said); 1 with the reason when rendering does not work.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use clap::Args;
use isfkit_render::{probe_adapters, AdapterReport, Engine, EngineConfig, RenderOptions};
use serde::Serialize;
use serde_json::json;

#[derive(Args)]
pub struct DoctorArgs {
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

/// A two-pass shader with a persistent target: exercises targets, the pool and read-back.
const TEST_SHADER: &str = r#"/*{
  "ISFVSN": "2",
  "PASSES": [{ "TARGET": "half", "PERSISTENT": true }, {}]
}*/
void main() {
    if (PASSINDEX == 0)
        gl_FragColor = vec4(0.5, 0.25, 1.0, 1.0);
    else
        gl_FragColor = IMG_THIS_PIXEL(half);
}
"#;

#[derive(Serialize)]
struct RenderCheck {
    ok: bool,
    adapter: Option<String>,
    ms: Option<f64>,
    error: Option<String>,
    leaks: Option<usize>,
}

#[derive(Serialize)]
struct Ffmpeg {
    found: bool,
    version: Option<String>,
    h264: Vec<String>,
    vp9: Vec<String>,
}

#[derive(Serialize)]
struct Python {
    found: bool,
    version: Option<String>,
    location: Option<String>,
    error: Option<String>,
}

/// Runs `cmd` with `args` and a time limit; stdout when it exits 0.
fn output_of(cmd: &str, args: &[&str], limit: Duration) -> Result<String, String> {
    let mut child = Command::new(cmd)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{cmd}: {e}"))?;
    // Both pipes are read while the command runs: one that fills a pipe nobody reads
    // (about 64 KiB) would block and never exit.
    let stdout = child.stdout.take().map(|mut out| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = std::io::Read::read_to_end(&mut out, &mut bytes);
            bytes
        })
    });
    let stderr = child.stderr.take().map(isfkit_output::StderrTail::drain);
    let t0 = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if t0.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("{cmd} did not answer within {limit:?}"));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(format!("{cmd}: {e}")),
        }
    };
    let stdout = stdout.and_then(|t| t.join().ok()).unwrap_or_default();
    let stderr = stderr.map(|t| t.finish()).unwrap_or_default();
    if status.success() {
        Ok(String::from_utf8_lossy(&stdout).into_owned())
    } else {
        Err(format!("{cmd} failed ({status}): {stderr}"))
    }
}

fn test_render() -> RenderCheck {
    let t0 = Instant::now();
    let result = (|| -> Result<(String, usize), String> {
        let engine = Engine::new(EngineConfig::default()).map_err(|e| e.to_string())?;
        let adapter = engine.adapter_name();
        let scene = engine
            .load_source(TEST_SHADER, None)
            .map_err(|e| e.to_string())?;
        let frame = scene
            .render(&RenderOptions::new(64, 64, 0.0))
            .map_err(|e| e.to_string())?;
        let px = frame.pixel(10, 10);
        let want = [0.5, 0.25, 1.0, 1.0];
        if px.iter().zip(want).any(|(a, b)| (a - b).abs() > 0.02) {
            return Err(format!(
                "the test render on {adapter} gave {px:?} where {want:?} was expected"
            ));
        }
        drop(scene);
        let report = engine.shutdown();
        Ok((adapter, report.leaks.len()))
    })();
    let ms = t0.elapsed().as_secs_f64() * 1000.0;
    match result {
        Ok((adapter, leaks)) => RenderCheck {
            ok: leaks == 0,
            adapter: Some(adapter),
            ms: Some(ms),
            error: (leaks > 0).then(|| format!("{leaks} leak(s) at shutdown")),
            leaks: Some(leaks),
        },
        Err(e) => RenderCheck {
            ok: false,
            adapter: None,
            ms: None,
            error: Some(e),
            leaks: None,
        },
    }
}

fn ffmpeg() -> Ffmpeg {
    let limit = Duration::from_secs(10);
    let Ok(version) = output_of("ffmpeg", &["-hide_banner", "-version"], limit) else {
        return Ffmpeg {
            found: false,
            version: None,
            h264: Vec::new(),
            vp9: Vec::new(),
        };
    };
    let encoders = output_of("ffmpeg", &["-hide_banner", "-encoders"], limit).unwrap_or_default();
    // Lines look like ` V....D libx264   libx264 H.264 / AVC / ...`.
    let names = |pred: &dyn Fn(&str) -> bool| -> Vec<String> {
        encoders
            .lines()
            .filter_map(|l| {
                let mut parts = l.split_whitespace();
                let flags = parts.next()?;
                let name = parts.next()?;
                (flags.starts_with('V') && pred(l)).then(|| name.to_owned())
            })
            .collect()
    };
    Ffmpeg {
        found: true,
        version: version.lines().next().map(str::to_owned),
        h264: names(&|l| l.contains("H.264")),
        vp9: names(&|l| l.contains("VP9")),
    }
}

fn python() -> Python {
    let code = "import isfkit; print(isfkit.__version__); print(isfkit.__file__)";
    match output_of("python3", &["-c", code], Duration::from_secs(20)) {
        Ok(out) => {
            let mut lines = out.lines();
            Python {
                found: true,
                version: lines.next().map(str::to_owned),
                location: lines.next().map(str::to_owned),
                error: None,
            }
        }
        Err(e) => Python {
            found: false,
            version: None,
            location: None,
            error: Some(
                e.lines()
                    .last()
                    .unwrap_or("python3 not found")
                    .trim()
                    .to_owned(),
            ),
        },
    }
}

fn display() -> Option<String> {
    ["WAYLAND_DISPLAY", "DISPLAY"].iter().find_map(|k| {
        std::env::var(k)
            .ok()
            .filter(|v| !v.is_empty())
            .map(|v| format!("{k}={v}"))
    })
}

fn adapter_line(a: &AdapterReport) -> String {
    format!(
        "{:<7} {} ({}; {}{}; max texture {}, 32-bit float filtering {})",
        a.backend,
        a.name,
        a.device_type,
        if a.software { "software" } else { "hardware" },
        if a.driver.is_empty() {
            String::new()
        } else {
            format!(", driver {} {}", a.driver, a.driver_info)
        },
        a.max_texture_size,
        if a.float32_filterable { "yes" } else { "no" },
    )
}

const AUTO_RULE: &str = "auto tries the native APIs (Vulkan, Metal, DX12) first, preferring a high-performance adapter, and GL only when none has an adapter; WGPU_BACKEND overrides";

pub fn run(args: DoctorArgs) -> Result<(), crate::Failure> {
    // Probing a backend the machine lacks (GL without a usable EGL driver, say) makes wgpu
    // log errors about that backend; they are what "no adapter" means here, not a failure.
    let adapters = tracing::subscriber::with_default(
        tracing::subscriber::NoSubscriber::default(),
        probe_adapters,
    );
    let render = test_render();
    let ffmpeg = ffmpeg();
    let python = python();
    let display = display();
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "version": env!("CARGO_PKG_VERSION"),
                "ok": render.ok,
                "adapters": adapters,
                "auto": { "adapter": render.adapter, "rule": AUTO_RULE },
                "render": render,
                "ffmpeg": ffmpeg,
                "display": display,
                "python": python,
            }))
            .unwrap_or_default()
        );
    } else {
        println!("isf {}", env!("CARGO_PKG_VERSION"));
        println!("adapters:");
        if adapters.is_empty() {
            println!("  none (on a machine without a GPU: apt-get install mesa-vulkan-drivers)");
        }
        for a in &adapters {
            println!("  {}", adapter_line(a));
        }
        match &render.adapter {
            Some(a) => println!("auto picks: {a}\n  ({AUTO_RULE})"),
            None => println!("auto picks: nothing"),
        }
        match (&render.ok, &render.ms, &render.error) {
            (true, Some(ms), _) => {
                println!(
                    "test render: ok (64x64, two passes, read back, clean shutdown; {ms:.0} ms)"
                )
            }
            (_, _, Some(e)) => println!("test render: FAILED: {e}"),
            _ => println!("test render: FAILED"),
        }
        match &ffmpeg.version {
            Some(v) => println!(
                "ffmpeg: {v}\n  H.264 encoders: {}\n  VP9 encoders: {}",
                list_or_none(&ffmpeg.h264),
                list_or_none(&ffmpeg.vp9)
            ),
            None => println!(
                "ffmpeg: not found (video output in `isf batch` needs it: apt-get install ffmpeg)"
            ),
        }
        println!(
            "display: {}",
            display.as_deref().unwrap_or(
                "none (DISPLAY and WAYLAND_DISPLAY unset; rendering is headless and needs none)"
            )
        );
        match (&python.version, &python.location, &python.error) {
            (Some(v), Some(l), _) => println!("python package: isfkit {v} ({l})"),
            // The reason is in `--json`; the text stays free of "error" words on a healthy
            // machine, where a missing Python package is normal.
            (_, _, Some(_)) => println!(
                "python package: not installed for python3 (pip install ./crates/isfkit-py)"
            ),
            _ => println!("python package: not found"),
        }
    }
    if render.ok {
        Ok(())
    } else {
        Err(crate::Failure {
            code: 1,
            message: format!(
                "isf doctor: rendering does not work: {}",
                render.error.as_deref().unwrap_or("unknown reason")
            ),
        })
    }
}

fn list_or_none(v: &[String]) -> String {
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}
