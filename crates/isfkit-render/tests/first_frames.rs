//! First frames: `PASSINDEX` as a pipeline constant (one pipeline per pass, each compiled
//! with only its own pass's code), and `Scene::prepare` building every pipeline of a first
//! frame ahead of it.

mod common;

use common::*;
use isfkit_render::glsl::specialise::reads_pass_index_constant;
use isfkit_render::{ResourceKind, Scene};

/// Three passes told apart by `PASSINDEX` in `main`, in a helper function and in the custom
/// vertex shader; the last pass shows the first two side by side.
const PASSES_FS: &str = r#"/*{
    "ISFVSN": "2",
    "PASSES": [
        {"TARGET": "first", "PERSISTENT": true, "FLOAT": true},
        {"TARGET": "second"},
        {}
    ]
}*/
varying float passFromVertex;

float passShade() {
    if (PASSINDEX == 0) return 0.25;
    if (PASSINDEX == 1) return 0.5;
    return 1.0;
}

void main() {
    if (PASSINDEX == 0) {
        gl_FragColor = vec4(passShade(), passFromVertex / 4.0, 0.0, 1.0);
    } else if (PASSINDEX == 1) {
        gl_FragColor = vec4(0.0, passFromVertex / 4.0, passShade(), 1.0);
    } else {
        vec2 uv = isf_FragNormCoord;
        gl_FragColor = uv.x < 0.5 ? IMG_NORM_PIXEL(first, uv) : IMG_NORM_PIXEL(second, uv);
        gl_FragColor.a = passShade() * (passFromVertex + 2.0) / 4.0;
    }
}
"#;

const PASSES_VS: &str = r#"
varying float passFromVertex;
void main() {
    isf_vertShaderInit();
    passFromVertex = float(PASSINDEX + 1);
}
"#;

fn passes_scene(engine: &isfkit_render::Engine) -> Scene {
    engine.load_source(PASSES_FS, Some(PASSES_VS)).unwrap()
}

fn pipelines(engine: &isfkit_render::Engine) -> usize {
    engine
        .live_resources()
        .iter()
        .filter(|r| r.kind == ResourceKind::RenderPipeline && r.label.contains("shader"))
        .count()
}

#[test]
fn each_pass_sees_its_own_index_in_both_stages_and_in_helpers() {
    let engine = test_engine();
    let scene = passes_scene(&engine);
    let frame = scene.render(&small_opts(0.0)).unwrap();
    let to_byte = |v: f32| (v * 255.0).round() as i32;
    let left = frame.pixel(5, 16).map(to_byte);
    let right = frame.pixel(40, 16).map(to_byte);
    // Pass 0: red 0.25, green 1/4; pass 1: blue 0.5, green 2/4; pass 2: alpha 1 * 5/4 -> 1.
    assert_eq!(left, [64, 64, 0, 255], "left half: the first pass");
    assert_eq!(right, [0, 128, 128, 255], "right half: the second pass");
    drop(scene);
    shutdown_clean(&engine);
}

#[test]
fn the_translation_reads_the_pass_index_as_a_pipeline_constant_only_where_it_is_read() {
    let program = isfkit_render::Program::from_source(PASSES_FS, Some(PASSES_VS)).unwrap();
    assert!(reads_pass_index_constant(&program.fragment_module));
    assert!(reads_pass_index_constant(&program.vertex_module));
    let plain = isfkit_render::Program::from_source(
        "/*{\"ISFVSN\":\"2\"}*/\nvoid main() { gl_FragColor = vec4(1.0); }\n",
        None,
    )
    .unwrap();
    assert!(!reads_pass_index_constant(&plain.fragment_module));
    assert!(!reads_pass_index_constant(&plain.vertex_module));
}

#[test]
fn a_multipass_shader_gets_one_pipeline_per_pass_and_a_single_pass_one_per_format() {
    let engine = test_engine();
    let scene = passes_scene(&engine);
    scene.render(&small_opts(0.0)).unwrap();
    assert_eq!(pipelines(&engine), 3);
    let plain = engine
        .load_source(
            "/*{\"ISFVSN\":\"2\",\"PASSES\":[{\"TARGET\":\"a\",\"FLOAT\":true},{}]}*/\nvoid main() { gl_FragColor = IMG_NORM_PIXEL(a, isf_FragNormCoord) + 0.1; }\n",
            None,
        )
        .unwrap();
    plain.render(&small_opts(0.0)).unwrap();
    // Two passes that do not read PASSINDEX share a module and differ only in format.
    assert_eq!(pipelines(&engine), 5);
    drop((scene, plain));
    shutdown_clean(&engine);
}

#[test]
fn prepare_builds_every_pipeline_of_the_first_frame_and_changes_no_pixel() {
    let engine = test_engine();
    let prepared = passes_scene(&engine);
    prepared.prepare(&small_opts(0.0)).unwrap();
    assert_eq!(
        pipelines(&engine),
        3,
        "every pass's pipeline, before any frame"
    );
    // Preparing again builds nothing more, and neither does the first frame.
    prepared.prepare(&small_opts(0.0)).unwrap();
    let a = prepared.render(&small_opts(0.5)).unwrap();
    assert_eq!(pipelines(&engine), 3);
    assert_eq!(prepared.frame_index(), 1, "preparing draws no frame");
    let plain = passes_scene(&engine);
    let b = plain.render(&small_opts(0.5)).unwrap();
    assert_eq!(a.to_rgba8(), b.to_rgba8());
    drop((prepared, plain));
    shutdown_clean(&engine);
}

#[test]
fn prepare_reports_the_error_the_first_frame_would() {
    let engine = test_engine();
    let scene = passes_scene(&engine);
    let mut opts = small_opts(0.0);
    opts.width = 0;
    let prepared = scene.prepare(&opts).unwrap_err().to_string();
    let rendered = scene.render(&opts).unwrap_err().to_string();
    assert_eq!(prepared, rendered);
    drop(scene);
    shutdown_clean(&engine);
}

#[test]
fn scenes_prepared_on_other_threads_while_one_renders_leak_nothing() {
    let engine = test_engine();
    let rendering = passes_scene(&engine);
    let others: Vec<Scene> = (0..3).map(|_| passes_scene(&engine)).collect();
    std::thread::scope(|s| {
        for scene in &others {
            s.spawn(|| scene.prepare(&small_opts(0.0)).unwrap());
        }
        for t in 0..3 {
            rendering.render(&small_opts(f64::from(t))).unwrap();
        }
    });
    let first = others[0].render(&small_opts(0.0)).unwrap();
    for scene in &others[1..] {
        assert_eq!(
            scene.render(&small_opts(0.0)).unwrap().to_rgba8(),
            first.to_rgba8()
        );
    }
    drop((rendering, others));
    shutdown_clean(&engine);
}

#[test]
fn quick_compiles_asked_for_after_the_driver_loaded_change_nothing() {
    let engine = test_engine();
    let before = std::env::var_os("GALLIVM_PERF");
    assert!(!isfkit_render::quick_compiles());
    assert_eq!(std::env::var_os("GALLIVM_PERF"), before);
    shutdown_clean(&engine);
}

/// Live shader modules, bind group layouts, pipeline layouts and render pipelines.
fn program_objects(engine: &isfkit_render::Engine) -> [usize; 4] {
    let live = engine.live_resources();
    [
        ResourceKind::ShaderModule,
        ResourceKind::BindGroupLayout,
        ResourceKind::PipelineLayout,
        ResourceKind::RenderPipeline,
    ]
    .map(|k| live.iter().filter(|r| r.kind == k).count())
}

#[test]
fn a_scene_of_a_source_already_loaded_shares_its_modules_and_pipelines() {
    let engine = test_engine();
    let now = program_objects;
    let baseline = now(&engine);
    let first = passes_scene(&engine);
    let a = first.render(&small_opts(0.5)).unwrap();
    let one = now(&engine);
    assert_eq!(
        one.iter()
            .zip(&baseline)
            .map(|(n, b)| n - b)
            .collect::<Vec<_>>(),
        [2, 1, 1, 3],
        "two modules, the layouts, a pipeline per pass"
    );
    // Loaded again: nothing compiled again, and its own frame state (frame 0 here).
    let second = passes_scene(&engine);
    second.prepare(&small_opts(0.0)).unwrap();
    assert_eq!(now(&engine), one);
    let b = second.render(&small_opts(0.5)).unwrap();
    assert_eq!(a.to_rgba8(), b.to_rgba8());
    assert_eq!(second.frame_index(), 1);
    assert_eq!(first.frame_index(), 1);
    // On a new device the two share again.
    engine.reinitialize().unwrap();
    first.render(&small_opts(0.5)).unwrap();
    second.render(&small_opts(0.5)).unwrap();
    assert_eq!(now(&engine), one);
    // Another source has objects of its own.
    let other = engine
        .load_source(&PASSES_FS.replace("0.25", "0.75"), Some(PASSES_VS))
        .unwrap();
    other.render(&small_opts(0.5)).unwrap();
    assert_eq!(now(&engine)[3], one[3] + 3);
    drop(other);
    // The objects live while a scene of the program does.
    drop(first);
    assert_eq!(now(&engine), one);
    assert_eq!(
        second.render(&small_opts(0.5)).unwrap().to_rgba8().len(),
        a.to_rgba8().len()
    );
    drop(second);
    assert_eq!(now(&engine), baseline);
    shutdown_clean(&engine);
}
