//! Renders a shader many times and prints the process's RSS as it goes, to spot growth.
//! `cargo run --release -p isfkit-output --example soak -- SHADER.fs [FRAMES] [WxH] [--png DIR] [--reinit-every N]`

use std::path::PathBuf;

use isfkit_output::FrameExt;
use isfkit_render::{Engine, EngineConfig, RenderOptions};

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let shader = PathBuf::from(
        args.first()
            .ok_or("usage: soak SHADER.fs [FRAMES] [WxH] [--png DIR] [--reinit-every N]")?,
    );
    let frames: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let (w, h) = args
        .get(2)
        .and_then(|s| s.split_once('x'))
        .and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?)))
        .unwrap_or((320, 180));
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let png = flag("--png").map(PathBuf::from);
    let reinit: Option<u64> = flag("--reinit-every").and_then(|s| s.parse().ok());
    let engine = Engine::new(EngineConfig::default())?;
    let scene = engine.load(&shader)?;
    for i in 0..frames {
        if reinit.is_some_and(|n| i > 0 && i % n == 0) {
            engine.reinitialize()?;
        }
        let frame = scene.render(&RenderOptions::new(w, h, i as f64 / 30.0))?;
        if let Some(dir) = &png {
            frame.save_png(&dir.join(format!("f_{i:05}.png")), 8)?;
        }
        if i % (frames / 10).max(1) == 0 || i + 1 == frames {
            println!(
                "frame {i:6}  rss {:8} KiB  live GPU objects {}  wgpu {:?}",
                rss_kib(),
                engine.resources().total_count(),
                engine.wgpu_live_objects()
            );
        }
    }
    drop(scene);
    let report = engine.shutdown();
    println!("{report}");
    Ok(())
}
