//! The runner renders a task's inputs as every face gives them: `*` feeds every image input
//! not named otherwise, a named one keeps its own file, and a name the shader does not
//! declare fails the task as an input error. Renders on whatever adapter the machine has
//! (Mesa's lavapipe without a GPU).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use isfkit_batch::{Output, RunOptions, Runner, RunnerConfig, StillFormat, Task};
use isfkit_render::ErrorKind;

fn shaders() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/shaders")
}

fn transition(dir: &Path, progress: &str, images: &[(&str, PathBuf)]) -> Task {
    let output = Output::Stills {
        template: dir
            .join(format!("out_{progress}.png"))
            .display()
            .to_string(),
        format: StillFormat::Png { bits: 8 },
    };
    Task {
        inputs: BTreeMap::from([("progress".to_owned(), progress.to_owned())]),
        images: images
            .iter()
            .map(|(n, p)| (n.to_string(), p.clone()))
            .collect(),
        ..Task::new(shaders().join("transition.fs"), (8, 8), 30.0, 1, output)
    }
}

#[test]
fn every_image_name_feeds_the_inputs_not_named() {
    let dir = tempfile::tempdir().unwrap();
    let red = dir.path().join("red.png");
    image::RgbaImage::from_pixel(8, 8, image::Rgba([255, 0, 0, 255]))
        .save(&red)
        .unwrap();
    let checker = shaders().join("imported_checker.png");
    let runner = Runner::new(RunnerConfig::default()).unwrap();
    let run = |task: &Task| {
        runner.run(
            task,
            &RunOptions::default(),
            &AtomicBool::new(false),
            &mut || {},
        )
    };
    let images = [("*", checker.clone()), ("endImage", red.clone())];
    // progress 1: exactly endImage, its own file; progress 0: startImage, fed by `*`.
    for (progress, expected) in [("1", red.as_path()), ("0", checker.as_path())] {
        let task = transition(dir.path(), progress, &images);
        let result = run(&task);
        assert_eq!(result.error, None, "progress {progress}");
        let out = image::open(dir.path().join(format!("out_{progress}.png")))
            .unwrap()
            .to_rgba8();
        let want = image::open(expected).unwrap().to_rgba8();
        assert_eq!(out.as_raw(), want.as_raw(), "progress {progress}");
    }
    // A name the shader does not declare is still an input error.
    let task = transition(dir.path(), "0", &[("*", checker), ("nope", red)]);
    let result = run(&task);
    assert_eq!(result.kind, Some(ErrorKind::Input));
    assert!(
        result
            .error
            .as_deref()
            .is_some_and(|e| e.starts_with("error: no input named \"nope\"")),
        "{:?}",
        result.error
    );
    let (written, report) = runner.finish();
    written.unwrap();
    assert!(report.ok(), "{report}");
}

fn still(dir: &Path, shader: &str, name: &str) -> Task {
    let output = Output::Stills {
        template: dir.join(format!("{name}.png")).display().to_string(),
        format: StillFormat::Png { bits: 8 },
    };
    Task::new(shaders().join(shader), (16, 8), 30.0, 1, output)
}

#[test]
fn a_runner_told_its_plan_renders_each_task_as_it_would_alone() {
    let dir = tempfile::tempdir().unwrap();
    let plan = vec![
        still(dir.path(), "gradient.fs", "gradient"),
        still(dir.path(), "no_such_shader.fs", "missing"),
        still(dir.path(), "persistent.fs", "passed_over"),
        still(dir.path(), "multipass_sizes.fs", "multipass"),
    ];
    let never = AtomicBool::new(false);
    let run =
        |runner: &Runner, task: &Task| runner.run(task, &RunOptions::default(), &never, &mut || {});
    let prepared = Runner::new(RunnerConfig::default()).unwrap();
    prepared.prepare(&plan);
    let ahead = [&plan[0], &plan[1], &plan[3]].map(|t| run(&prepared, t));
    let ahead_pixels = ["gradient", "multipass"]
        .map(|n| std::fs::read(dir.path().join(format!("{n}.png"))).unwrap());
    let (written, report) = prepared.finish();
    written.unwrap();
    assert!(report.ok(), "{report}");
    assert!(
        !dir.path().join("passed_over.png").exists(),
        "a task passed over is prepared, never run"
    );

    let alone = Runner::new(RunnerConfig::default()).unwrap();
    let plain = [&plan[0], &plan[1], &plan[3]].map(|t| run(&alone, t));
    for (a, p) in ahead.iter().zip(&plain) {
        assert_eq!(a.error, p.error, "{}", a.shader);
        assert_eq!(a.kind, p.kind, "{}", a.shader);
        assert_eq!(a.frames_written, p.frames_written, "{}", a.shader);
    }
    assert!(ahead[1]
        .error
        .as_deref()
        .unwrap()
        .contains("no_such_shader.fs"));
    for (n, bytes) in ["gradient", "multipass"].iter().zip(&ahead_pixels) {
        let again = std::fs::read(dir.path().join(format!("{n}.png"))).unwrap();
        assert_eq!(&again, bytes, "{n}");
    }
    let (written, report) = alone.finish();
    written.unwrap();
    assert!(report.ok(), "{report}");
}
