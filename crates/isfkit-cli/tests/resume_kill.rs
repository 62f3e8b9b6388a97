//! `isf batch` killed at random moments 20 times, resumed each time, ends with
//! every frame decoding fully and equal to an uninterrupted run. Tiny frames, few of them:
//! the test takes seconds.

mod common;

use common::*;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SHADER: &str = "/*{ \"ISFVSN\": \"2\" }*/\nvoid main() {\n    gl_FragColor = vec4(isf_FragNormCoord.x, fract(TIME * 3.0), isf_FragNormCoord.y, 1.0);\n}\n";

const FRAMES: usize = 120;

fn job(d: &Dir, out: &str) {
    d.write("s.fs", SHADER);
    d.write(
        &format!("{out}.yaml"),
        format!("jobs:\n  - shader: s.fs\n    size: 32x24\n    frames: {FRAMES}\n    output: {out}/f_%03d.png\n"),
    );
}

/// `isf ARGS` in `d` with its output discarded, not started yet.
fn isf(d: &Dir, args: &[&str]) -> Command {
    let mut c = d.cmd(args);
    c.stdout(Stdio::null()).stderr(Stdio::null());
    c
}

/// The files in folder `sub` of `d`, sorted.
fn frames(d: &Dir, sub: &str) -> Vec<PathBuf> {
    d.files(sub).iter().map(|n| d.join(sub).join(n)).collect()
}

/// xorshift64*: a reproducible random sequence without a dependency; the seed is printed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

#[test]
fn killed_twenty_times_and_resumed_equals_an_uninterrupted_run() {
    let d = Dir::new("resume-kill");
    job(&d, "ref");
    job(&d, "out");
    // How long a whole run takes here sets the range of kill moments.
    let t = Instant::now();
    let reference = isf(&d, &["batch", "ref.yaml", "--quiet"]).status().unwrap();
    assert!(reference.success());
    let whole_run = t.elapsed().as_millis() as u64;
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    eprintln!("seed {seed}");
    let mut rng = Rng(seed);
    let mut killed_mid_run = 0;
    for _ in 0..20 {
        let mut child = isf(&d, &["batch", "out.yaml", "--resume", "--quiet"])
            .spawn()
            .unwrap();
        // Anywhere within an uninterrupted run's time (later runs have less left to do).
        let wait = rng.next() % whole_run.max(1);
        std::thread::sleep(Duration::from_millis(wait));
        if child.try_wait().unwrap().is_none() {
            killed_mid_run += 1;
        }
        let _ = child.kill();
        child.wait().unwrap();
        // Whatever the moment, no file in the output folder is a partial frame: it is a
        // temporary (removed by the next resume) or decodes fully.
        for f in frames(&d, "out") {
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            if !name.ends_with(".tmp") {
                image::open(&f).unwrap_or_else(|e| panic!("seed {seed}: {name}: {e}"));
            }
        }
    }
    let last = isf(&d, &["batch", "out.yaml", "--resume", "--quiet"])
        .status()
        .unwrap();
    assert!(last.success(), "seed {seed}");
    let (want, got) = (frames(&d, "ref"), frames(&d, "out"));
    assert_eq!(got.len(), FRAMES, "seed {seed}: {got:?}");
    assert_eq!(want.len(), FRAMES);
    for (w, g) in want.iter().zip(&got) {
        assert_eq!(w.file_name(), g.file_name(), "seed {seed}");
        let (a, b) = (
            image::open(w).unwrap().to_rgba8(),
            image::open(g).unwrap().to_rgba8(),
        );
        assert!(a == b, "seed {seed}: {} differs", g.display());
    }
    // The kills must have hit running processes, or nothing was tested.
    eprintln!("{killed_mid_run} of 20 kills hit a running batch ({whole_run} ms a run)");
    assert!(
        killed_mid_run >= 5,
        "seed {seed}: only {killed_mid_run} of 20 kills hit a running batch"
    );
}
