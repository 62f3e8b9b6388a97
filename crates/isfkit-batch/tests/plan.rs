//! Planning job files: expansion of entries and globs, defaults, every problem listed at
//! once, chunks for distributed runners, and tasks as JSON. Plans are made from job files in
//! temporary folders holding copies of the test shaders; nothing renders.

use std::path::{Path, PathBuf};

use isfkit_batch::{parse_size, FrameAt, Output, Plan, StillFormat, Task};
use serde_json::json;

fn shaders() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/shaders")
}

/// A fresh folder holding copies of the named test shaders, removed when dropped.
struct Dir(tempfile::TempDir);

impl Dir {
    fn new(name: &str, copies: &[&str]) -> Dir {
        let d = tempfile::Builder::new()
            .prefix(&format!("isfkit-batch-{name}-"))
            .tempdir()
            .unwrap();
        for c in copies {
            let from = shaders().join(c);
            std::fs::copy(&from, d.path().join(from.file_name().unwrap())).unwrap();
        }
        Dir(d)
    }
    fn path(&self) -> &Path {
        self.0.path()
    }
    fn job(&self, text: &str) -> PathBuf {
        let p = self.path().join("job.yaml");
        std::fs::write(&p, text).unwrap();
        p
    }
}

#[test]
fn sizes() {
    assert_eq!(parse_size("32x24"), Ok((32, 24)));
    assert_eq!(parse_size(" 8 X 4 "), Ok((8, 4)));
    assert_eq!(
        parse_size("big"),
        Err("size \"big\" is not WIDTHxHEIGHT".into())
    );
}

#[test]
fn every_problem_is_listed_at_once() {
    let d = Dir::new("problems", &["gradient.fs", "inputs_all.fs"]);
    let job = d.job(
        "jobs:\n  - shader: missing.fs\n  - shader: inputs_all.fs\n    inputs: {nope: 1, amount: \"lots\"}\n  - shader: gradient.fs\n    output: out/x.bmp\n  - shader: gradient.fs\n    size: 0x5\n  - shader: gradient.fs\n    frames: \"9..3\"\n  - shader: gradient.fs\n    bits: 12\n  - output: y.png\n  - shader: gradient.fs\n    output: out/ok.png\n",
    );
    let problems = Plan::load(&job).unwrap_err().problems;
    let has = |s: &str| problems.iter().any(|p| p.contains(s));
    assert_eq!(problems.len(), 8, "{problems:#?}");
    assert!(problems[0].starts_with("jobs[0] ("), "{problems:#?}");
    assert!(has("missing.fs): shader file not found"), "{problems:#?}");
    assert!(has("no input named \"nope\""), "{problems:#?}");
    assert!(
        has("input \"amount\" is of type float, but the value given is \"lots\""),
        "{problems:#?}"
    );
    assert!(
        has("has an unknown extension (png, jpg, webp, exr, gif, mp4, webm, mkv, wav)"),
        "{problems:#?}"
    );
    assert!(has("size 0x5 must be at least 1x1"), "{problems:#?}");
    assert!(
        has("frames \"9..3\" is not a count or a range like \"0..30\""),
        "{problems:#?}"
    );
    assert!(has("bits must be 8 or 16, not 12"), "{problems:#?}");
    assert!(
        has("jobs[6]: no `shader` (or `input`) given"),
        "{problems:#?}"
    );
    assert!(!d.path().join("out/ok.png").exists());
}

#[test]
fn a_job_without_entries_and_a_glob_without_matches_are_problems() {
    let d = Dir::new("empty", &[]);
    let problems = Plan::load(&d.job("defaults:\n  fps: 10\n"))
        .unwrap_err()
        .problems;
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].ends_with(": the job lists no shaders (add a `jobs:` or `shaders:` list)"),
        "{problems:?}"
    );
    let problems = Plan::load(&d.job("jobs:\n  - shader: \"*.fs\"\n"))
        .unwrap_err()
        .problems;
    assert_eq!(problems, ["jobs[0]: \"*.fs\" matches no file"]);
}

#[test]
fn globs_expand_to_one_task_per_shader_in_path_order() {
    let d = Dir::new("glob", &["gradient.fs", "persistent.fs", "builtins.fs"]);
    let plan = Plan::load(&d.job(
        "defaults:\n  size: 8x4\njobs:\n  - shader: \"*.fs\"\n    frames: 5\n    output: out/{name}_%02d.png\n",
    ))
    .unwrap();
    let names: Vec<String> = plan.tasks.iter().map(Task::shader_name).collect();
    assert_eq!(names, ["builtins.fs", "gradient.fs", "persistent.fs"]);
    assert_eq!(plan.frames(), 15);
    let t = &plan.tasks[1];
    assert_eq!((t.width, t.height), (8, 4));
    assert!(t.origin.starts_with("jobs[0] ("), "{}", t.origin);
    let Output::Stills { template, format } = &t.output else {
        panic!("{:?}", t.output)
    };
    assert!(template.ends_with("out/gradient_%02d.png"), "{template}");
    assert_eq!(*format, StillFormat::Png { bits: 8 });
    assert!(t.output_files()[4].ends_with("out/gradient_04.png"));
    assert!(
        !d.path().join("out").exists(),
        "planning creates no folder (the executor does, when it renders)"
    );
}

/// `defaults: inputs` apply to the shaders that declare them; the others
/// render without them (the README's example: `speed` for a glob of mixed shaders).
#[test]
fn default_inputs_apply_only_to_shaders_that_declare_them() {
    let d = Dir::new("default-input", &["gradient.fs", "inputs_all.fs"]);
    let plan = Plan::load(&d.job(
        // Its own output: two tasks writing one file are a job error.
        "defaults:\n  inputs: { amount: 0.25 }\njobs:\n  - shader: \"*.fs\"\n  - shader: inputs_all.fs\n    inputs: { amount: 0.75 }\n    output: other.png\n",
    ))
    .unwrap();
    let inputs: Vec<(String, Option<&str>)> = plan
        .tasks
        .iter()
        .map(|t| (t.shader_name(), t.inputs.get("amount").map(String::as_str)))
        .collect();
    assert_eq!(
        inputs,
        [
            ("gradient.fs".into(), None),
            ("inputs_all.fs".into(), Some("0.25")),
            ("inputs_all.fs".into(), Some("0.75")),
        ]
    );
}

/// A default that no shader of the job declares is a typo, reported once
/// under `defaults`; a default of the wrong type for a shader that declares it is that
/// entry's problem.
#[test]
fn a_default_input_no_shader_declares_is_a_problem() {
    let d = Dir::new("default-typo", &["gradient.fs", "inputs_all.fs"]);
    let problems = Plan::load(&d.job(
        "defaults:\n  inputs: { amuont: 0.25 }\njobs:\n  - shader: inputs_all.fs\n  - shader: gradient.fs\n",
    ))
    .unwrap_err()
    .problems;
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with(
            "defaults: input \"amuont\" is not an input of any shader of the job (inputs: "
        ),
        "{problems:?}"
    );
    assert!(problems[0].contains("amount"), "{problems:?}");
    let problems = Plan::load(&d.job(
        "defaults:\n  inputs: { amount: \"lots\" }\njobs:\n  - shader: inputs_all.fs\n  - shader: gradient.fs\n",
    ))
    .unwrap_err()
    .problems;
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("jobs[0] (")
            && problems[0].ends_with(
                "input \"amount\" is of type float, but the value given is \"lots\" (from defaults)"
            ),
        "{problems:?}"
    );
}

/// An entry's own `inputs` stay strict.
#[test]
fn per_entry_inputs_stay_strict() {
    let d = Dir::new("own-input", &["gradient.fs", "inputs_all.fs"]);
    let problems = Plan::load(&d.job(
        "jobs:\n  - shader: inputs_all.fs\n    inputs: { amount: 0.5 }\n  - shader: gradient.fs\n    inputs: { amount: 0.5 }\n",
    ))
    .unwrap_err()
    .problems;
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].starts_with("jobs[1] ("), "{problems:?}");
    assert!(
        problems[0].contains("gradient.fs): no input named \"amount\" (inputs: "),
        "{problems:?}"
    );
}

/// Checking a job, valid or not, creates no folder; an output folder under a
/// file is a problem.
#[test]
fn planning_creates_nothing() {
    let d = Dir::new("creates-nothing", &["gradient.fs"]);
    Plan::load(&d.job("jobs:\n  - shader: gradient.fs\n    output: a/b/x.png\n")).unwrap();
    let problems = Plan::load(
        &d.job("jobs:\n  - shader: gradient.fs\n    output: c/d/x.png\n  - shader: missing.fs\n"),
    )
    .unwrap_err()
    .problems;
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(!d.path().join("a").exists() && !d.path().join("c").exists());
    std::fs::write(d.path().join("file"), "").unwrap();
    let problems =
        Plan::load(&d.job("jobs:\n  - shader: gradient.fs\n    output: file/sub/x.png\n"))
            .unwrap_err()
            .problems;
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("cannot create output folder ")
            && problems[0].ends_with("file is not a folder"),
        "{problems:?}"
    );
}

#[test]
fn stateful_shaders_give_stateful_tasks() {
    let d = Dir::new("stateful", &["gradient.fs", "persistent.fs"]);
    let plan = Plan::load(&d.job(
        "jobs:\n  - shader: persistent.fs\n    frames: \"5..7\"\n  - shader: gradient.fs\n    frames: 2\n",
    ))
    .unwrap();
    assert!(plan.tasks[0].stateful);
    assert!(!plan.tasks[1].stateful);
    assert_eq!(
        plan.tasks[0]
            .frames
            .iter()
            .map(|f| f.number)
            .collect::<Vec<_>>(),
        [5, 6]
    );
}

/// Stateless stills are cut into chunks; stateful tasks, videos and broken
/// tasks stay whole unless stateful splitting is asked for.
#[test]
fn chunks_cut_stateless_stills_and_keep_stateful_whole() {
    let d = Dir::new("chunks", &["gradient.fs", "persistent.fs"]);
    let plan = Plan::load(&d.job(
        "jobs:\n  - shader: gradient.fs\n    frames: 5\n    output: out/g_%02d.png\n  - shader: persistent.fs\n    frames: 5\n    output: out/p_%02d.png\n  - shader: gradient.fs\n    frames: 5\n    output: out/g.gif\n",
    ))
    .unwrap();
    let shape = |pieces: Vec<(usize, Task)>| -> Vec<(usize, Vec<u64>)> {
        pieces
            .into_iter()
            .map(|(i, t)| (i, t.frames.iter().map(|f| f.number).collect()))
            .collect()
    };
    assert_eq!(
        shape(plan.chunks(2, false)),
        [
            (0, vec![0, 1]),
            (0, vec![2, 3]),
            (0, vec![4]),
            (1, vec![0, 1, 2, 3, 4]),
            (2, vec![0, 1, 2, 3, 4]),
        ]
    );
    let split = plan.chunks(3, true);
    assert_eq!(
        shape(split.clone())[..4],
        [
            (0, vec![0, 1, 2]),
            (0, vec![3, 4]),
            (1, vec![0, 1, 2]),
            (1, vec![3, 4])
        ]
    );
    assert!(split[3].1.stateful, "a stateful chunk renders its lead-in");
    assert_eq!(plan.chunks(0, true).len(), 3);
}

/// A stateless video is cut into silent parts beside its file, named in order; a stateful
/// video and a video on standard output stay whole.
#[test]
fn chunks_cut_a_stateless_video_into_parts_of_its_file() {
    let d = Dir::new("video_parts", &["gradient.fs", "persistent.fs"]);
    let plan = Plan::load(&d.job(
        "jobs:\n  - shader: gradient.fs\n    frames: 5\n    output: out/g.mp4\n  - shader: persistent.fs\n    frames: 5\n    output: out/p.mkv\n",
    ))
    .unwrap();
    let pieces = plan.chunks(2, true);
    let outputs: Vec<(usize, String, Vec<u64>, bool)> = pieces
        .iter()
        .map(|(i, t)| {
            let Output::Video { path, .. } = &t.output else {
                panic!("{:?}", t.output)
            };
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (
                *i,
                name,
                t.frames.iter().map(|f| f.number).collect(),
                t.mute,
            )
        })
        .collect();
    assert_eq!(
        outputs,
        [
            (0, ".g.mp4.part0000.mp4".into(), vec![0, 1], true),
            (0, ".g.mp4.part0001.mp4".into(), vec![2, 3], true),
            (0, ".g.mp4.part0002.mp4".into(), vec![4], true),
            (1, "p.mkv".into(), vec![0, 1, 2, 3, 4], false),
        ]
    );
    let whole = match &plan.tasks[0].output {
        Output::Video { path, .. } => path.clone(),
        other => panic!("{other:?}"),
    };
    assert!(pieces[..3]
        .iter()
        .all(|(_, t)| t.part_of.as_ref() == Some(&whole)));
    assert_eq!(pieces[3].1.part_of, None);
}

/// A Shadertoy shader with a Sound pass carries that sound in its video: the video stays
/// whole (parts are muted and joined without it).
#[test]
fn a_video_with_a_sound_pass_stays_whole() {
    let d = Dir::new("sound_pass", &[]);
    let song = serde_json::json!({"Shader": {"info": {"id": "snd", "name": "song"}, "renderpass": [
        {"type": "image", "name": "Image", "inputs": [], "outputs": [],
         "code": "void mainImage(out vec4 c, in vec2 f) { c = vec4(0.5); }"},
        {"type": "sound", "name": "Sound", "inputs": [], "outputs": [],
         "code": "vec2 mainSound(int samp, float time) { return vec2(0.0); }"}]}});
    std::fs::write(d.path().join("song.json"), song.to_string()).unwrap();
    let plan =
        Plan::load(&d.job("jobs:\n  - shader: song.json\n    frames: 5\n    output: out/s.mp4\n"))
            .unwrap();
    assert!(plan.tasks[0].sound_pass);
    let pieces = plan.chunks(2, true);
    assert_eq!(pieces.len(), 1);
    assert_eq!(pieces[0].1.frames.len(), 5);
}

#[test]
fn a_broken_shader_is_a_broken_task_not_a_job_problem() {
    let d = Dir::new("broken", &["bad/compile_error.fs"]);
    let plan = Plan::load(&d.job("jobs:\n  - shader: compile_error.fs\n")).unwrap();
    let why = plan.tasks[0].broken.as_deref().unwrap();
    assert!(why.contains("compile_error.fs:12:12: error:"), "{why}");
}

#[test]
fn other_layout_numbers_times_and_adds_the_format() {
    let d = Dir::new("compat", &["gradient.fs"]);
    let job = d.path().join("job.json");
    std::fs::write(
        &job,
        r#"{"defaults": {"width": 40, "height": 20, "quality": 80, "output_format": "jpg"},
            "shaders": [{"input": "gradient.fs", "output": "out/grad", "times": [0.0, 0.5]}]}"#,
    )
    .unwrap();
    let plan = Plan::load(&job).unwrap();
    let t = &plan.tasks[0];
    assert_eq!(
        t.frames,
        [
            FrameAt {
                number: 0,
                time: 0.0
            },
            FrameAt {
                number: 1,
                time: 0.5
            }
        ]
    );
    let files = t.output_files();
    assert!(files[1].ends_with("out/grad_0001.jpg"), "{files:?}");
    assert!(matches!(
        t.output,
        Output::Stills {
            format: StillFormat::Jpeg { quality: 80 },
            ..
        }
    ));
}

#[test]
fn tasks_round_trip_through_json() {
    let d = Dir::new("json", &["persistent.fs", "inputs_all.fs"]);
    let plan = Plan::load(&d.job(
        "defaults:\n  fps: 7\n  time: 0.3\njobs:\n  - shader: persistent.fs\n    frames: \"3..9\"\n    output: out/p.webm\n  - shader: inputs_all.fs\n    inputs: { amount: 0.1 }\n    output: out/a.gif\n    frames: 2\n  - shader: inputs_all.fs\n    float: true\n    output: out/f_{frame}.png\n    frames: 2\n",
    ))
    .unwrap();
    for task in &plan.tasks {
        let text = serde_json::to_string(task).unwrap();
        let back: Task = serde_json::from_str(&text).unwrap();
        assert_eq!(&back, task, "{text}");
    }
    let v = serde_json::to_value(&plan.tasks[0]).unwrap();
    assert_eq!(v["output"]["kind"], "video");
    assert_eq!(v["output"]["codec"], "webm");
    assert_eq!(v["stateful"], true);
    assert_eq!(v["frames"][0]["number"], 3);
    let v = serde_json::to_value(&plan.tasks[2]).unwrap();
    assert_eq!(v["output"]["format"], json!({"type": "png", "bits": 16}));
    let back: Plan = serde_json::from_str(&serde_json::to_string(&plan).unwrap()).unwrap();
    assert_eq!(back, plan);
}

/// `defaults: images` feed the shaders that declare each image input (a glob of filters
/// and transitions shares one test card); `*` feeds every image input not named otherwise;
/// an image name no shader declares is still a problem, and an entry's own names are strict.
#[test]
fn default_images_and_the_every_image_name() {
    let d = Dir::new(
        "default-images",
        &[
            "filter_invert.fs",
            "transition.fs",
            "gradient.fs",
            "imported_checker.png",
        ],
    );
    let images = |plan: &Plan| -> Vec<(String, Vec<String>)> {
        plan.tasks
            .iter()
            .map(|t| (t.shader_name(), t.images.keys().cloned().collect()))
            .collect()
    };
    let plan = Plan::load(&d.job(
        "defaults:\n  images: { inputImage: imported_checker.png }\njobs:\n  - shader: \"*.fs\"\n",
    ))
    .unwrap();
    assert_eq!(
        images(&plan),
        [
            ("filter_invert.fs".into(), vec!["inputImage".to_owned()]),
            ("gradient.fs".into(), vec![]),
            ("transition.fs".into(), vec![]),
        ]
    );
    let plan = Plan::load(&d.job(
        "defaults:\n  images: { \"*\": imported_checker.png }\njobs:\n  - shader: \"*.fs\"\n",
    ))
    .unwrap();
    assert_eq!(
        images(&plan),
        [
            ("filter_invert.fs".into(), vec!["inputImage".to_owned()]),
            ("gradient.fs".into(), vec![]),
            (
                "transition.fs".into(),
                vec!["endImage".to_owned(), "startImage".to_owned()]
            ),
        ]
    );
    assert!(plan.tasks[2].images["endImage"].ends_with("imported_checker.png"));
    let problems = Plan::load(&d.job(
        "defaults:\n  images: { \"*\": imported_checker.png, inputImgae: imported_checker.png }\njobs:\n  - shader: \"*.fs\"\n",
    ))
    .unwrap_err()
    .problems;
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with(
            "defaults: input \"inputImgae\" is not an input of any shader of the job (inputs: "
        ),
        "{problems:?}"
    );
    let problems =
        Plan::load(&d.job(
            "jobs:\n  - shader: gradient.fs\n    images: { inputImage: imported_checker.png }\n",
        ))
        .unwrap_err()
        .problems;
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].ends_with("\"inputImage\" is not an image input of this shader"),
        "{problems:?}"
    );
}
