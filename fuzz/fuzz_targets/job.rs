//! Batch job files (`isfkit_batch`): parse the YAML and check it into a plan, as
//! `isf batch --check` does (shaders parsed and compiled, inputs type-checked, images and
//! output folders looked at; no GPU, nothing written), then use the plan (frames, chunks,
//! output files, the JSON round trip tasks make to isolated workers).
//!
//! The job's folder is a fixture made once per process in the temporary directory (a few
//! shaders of the test suite, an image, a sub-folder). Every input is tried twice: as raw
//! YAML, and as a generated job (`isfkit_fuzz::job::Job`: entries with random fields, output
//! patterns, frame counts and ranges, sizes, inputs, images). Jobs naming paths outside the
//! fixture (absolute, `..`) are skipped, so the fuzzer never reads the rest of the machine.
//! Run: `cargo fuzz run job`.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use arbitrary::{Arbitrary, Unstructured};
use isfkit_batch::{JobFile, Plan};
use libfuzzer_sys::fuzz_target;

fn fixture() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let tmp = std::env::temp_dir();
        // Fixtures of processes that ended (fork mode starts many).
        for entry in std::fs::read_dir(&tmp).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(pid) = name.strip_prefix("isfkit-fuzz-job-") {
                if !Path::new("/proc").join(pid).exists() {
                    let _ = std::fs::remove_dir_all(entry.path());
                }
            }
        }
        let dir = tmp.join(format!("isfkit-fuzz-job-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        let files: &[(&str, &[u8])] = &[
            ("a.fs", include_bytes!("../../tests/shaders/gradient.fs")),
            (
                "inputs.fs",
                include_bytes!("../../tests/shaders/inputs_all.fs"),
            ),
            (
                "broken.fs",
                include_bytes!("../../tests/shaders/bad/compile_error.fs"),
            ),
            (
                "stateful.fs",
                include_bytes!("../../tests/shaders/persistent.fs"),
            ),
            (
                "multi.fs",
                include_bytes!("../../tests/shaders/multipass_sizes.fs"),
            ),
            (
                "sub/x.fs",
                include_bytes!("../../tests/shaders/filter_invert.fs"),
            ),
            (
                "img.png",
                include_bytes!("../../tests/shaders/imported_checker.png"),
            ),
            ("notimg.png", b"not a PNG"),
        ];
        for (name, bytes) in files {
            std::fs::write(dir.join(name), bytes).unwrap();
        }
        dir
    })
}

/// Whether `p` stays inside the fixture folder.
fn inside(p: &str) -> bool {
    let path = Path::new(p);
    !path.has_root()
        && !p.starts_with('~')
        && !path.components().any(|c| {
            matches!(
                c,
                std::path::Component::ParentDir | std::path::Component::Prefix(_)
            )
        })
}

fn check(text: &str) {
    let Ok(job) = JobFile::parse(text) else {
        return;
    };
    let entries = job.jobs.iter().chain(&job.shaders).chain([&job.defaults]);
    let paths = entries.flat_map(|e| {
        e.shader
            .iter()
            .chain(&e.input)
            .chain(e.images.iter().flat_map(|m| m.values()))
    });
    if !paths.into_iter().all(|p| inside(p)) {
        return;
    }
    let dir = fixture();
    match Plan::from_job(&job, dir, "job.yaml") {
        Ok(plan) => {
            let frames = plan.frames();
            assert_eq!(
                frames,
                plan.tasks
                    .iter()
                    .map(|t| t.frames.len() as u64)
                    .sum::<u64>()
            );
            let pieces = plan.chunks(3, false);
            let pieced: u64 = pieces.iter().map(|(_, t)| t.frames.len() as u64).sum();
            assert_eq!(pieced, frames);
            if frames <= 10_000 {
                for t in &plan.tasks {
                    let files = t.output_files();
                    assert!(!files.is_empty());
                }
            }
            // Tasks travel to isolated workers as JSON and must come back unchanged.
            let json = serde_json::to_string(&plan).expect("a plan serialises");
            let back: Plan = serde_json::from_str(&json).expect("a plan deserialises");
            assert_eq!(back, plan);
        }
        Err(e) => {
            assert!(!e.problems.is_empty());
            let _ = e.to_string();
        }
    }
}

fuzz_target!(init: isfkit_fuzz::catch_stack_overflows(), |data: &[u8]| {
    check(&String::from_utf8_lossy(data));
    // The generators recurse per byte of nesting: only inputs of a fuzzing size (libFuzzer's
    // default -max_len is 4096) go through them, not a large file given on the command line.
    if data.len() > 1 << 16 {
        return;
    }
    if let Ok(job) = isfkit_fuzz::job::Job::arbitrary_take_rest(Unstructured::new(data)) {
        let text = job.text();
        isfkit_fuzz::dump("structured.yaml", &text);
        check(&text);
    }
});
