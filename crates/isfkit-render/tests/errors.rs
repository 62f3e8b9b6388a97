//! Every error a user can cause gets a clear message, and nothing crashes or leaks.

mod common;

use std::path::Path;

use common::*;
use isfkit_render::{Engine, EngineConfig, Error, ImageData, RenderOptions, Scene, Value};

/// Runs `check` on tests/shaders/`name` loaded by a test engine, then shuts the engine down
/// and asserts a clean report.
fn with_scene(name: &str, check: impl FnOnce(&Scene)) {
    let engine = test_engine();
    let scene = engine.load(&shader(name)).unwrap();
    check(&scene);
    drop(scene);
    shutdown_clean(&engine);
}

/// Asserts that `result` failed with the message `message`.
#[track_caller]
fn assert_error<T: std::fmt::Debug>(result: Result<T, Error>, message: &str) {
    assert_eq!(result.unwrap_err().to_string(), message);
}

/// The error of loading `source`, which must fail.
fn load_error(engine: &Engine, source: &str) -> Error {
    engine
        .load_source(source, None)
        .err()
        .expect("the source must fail to load")
}

#[test]
fn unknown_input_name_lists_the_inputs() {
    with_scene("transition.fs", |scene| {
        assert_error(
            scene.set("speed", Value::Float(1.0)),
            "no input named \"speed\" (inputs: startImage (image), endImage (image), progress (float))",
        );
    });
}

#[test]
fn wrong_value_type_names_input_and_both_types() {
    with_scene("inputs_all.fs", |scene| {
        assert_error(
            scene.set("tint", Value::Float(0.5)),
            "input \"tint\" is of type color, but the value given is float 0.5",
        );
        assert_error(
            scene.set_text("amount", "lots"),
            "input \"amount\" is of type float, but the value given is \"lots\"",
        );
        assert_error(
            scene.set_image("amount", solid_image([0, 0, 0, 255])),
            "input \"amount\" is of type float, but the value given is an image (4x4)",
        );
        // Coercions a user would expect work.
        scene.set("amount", Value::Long(1)).unwrap();
        assert_eq!(scene.value("amount"), Some(Value::Float(1.0)));
        scene.set_text("mode", "2").unwrap();
    });
}

#[test]
fn missing_image_file_names_the_path() {
    with_scene("filter_invert.fs", |scene| {
        let err = isfkit_batch::media::set_image_file(
            scene,
            "inputImage",
            Path::new("/nonexistent/photo.png"),
        )
        .unwrap_err();
        assert!(matches!(err, Error::Image { .. }));
        assert!(
            err.to_string()
                .starts_with("cannot read image /nonexistent/photo.png: "),
            "{err}"
        );
    });
}

/// The engine decodes no file itself: without a reader of image files, a shader with IMPORTED
/// images fails at load with a message that says what is missing.
#[test]
fn imported_images_need_the_engines_image_files() {
    let engine = Engine::new(EngineConfig {
        private_instance: true,
        ..EngineConfig::default()
    })
    .unwrap();
    let err = engine
        .load(&shader("imported.fs"))
        .err()
        .expect("no reader");
    assert_eq!(
        err.to_string(),
        format!(
            "cannot read image {}: this engine reads no image files (EngineConfig::image_files is not set)",
            shader("imported_checker.png").display()
        )
    );
    shutdown_clean(&engine);
}

#[test]
fn imported_image_that_is_missing_fails_the_load() {
    let dir = tempfile::tempdir().unwrap();
    let fs = dir.path().join("imp.fs");
    let imports_a_missing_file = "/*{ \"ISFVSN\": \"2\", \"IMPORTED\": { \"tex\": { \"PATH\": \"nope.png\" } } }*/\nvoid main() { gl_FragColor = IMG_NORM_PIXEL(tex, isf_FragNormCoord); }\n";
    std::fs::write(&fs, imports_a_missing_file).unwrap();
    let engine = test_engine();
    let err = engine
        .load(&fs)
        .err()
        .expect("missing IMPORTED file must fail");
    assert!(
        err.to_string().starts_with(&format!(
            "cannot read image {}: ",
            dir.path().join("nope.png").display()
        )),
        "{err}"
    );
    shutdown_clean(&engine);
}

#[test]
fn zero_and_absurd_sizes_are_errors() {
    with_scene("gradient.fs", |scene| {
        assert_error(
            scene.render(&RenderOptions::new(0, 10, 0.0)),
            "invalid render size 0x10: width and height must be at least 1",
        );
        let err = scene
            .render(&RenderOptions::new(1_000_000, 10, 0.0))
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("invalid render size 1000000x10: the device allows at most "),
            "{err}"
        );
        // The scene still renders afterwards.
        scene.render(&RenderOptions::new(8, 8, 0.0)).unwrap();
    });
}

#[test]
fn compile_error_points_at_the_users_line() {
    let engine = test_engine();
    let err = load_error(
        &engine,
        "/*{ \"ISFVSN\": \"2\" }*/\nvoid main() {\n    gl_FragColor = vec4(undefinedThing, 1.0);\n}\n",
    );
    let Error::Compile(c) = &err else {
        panic!("expected a compile error, got {err}")
    };
    let d = &c.diagnostics[0].diagnostic;
    assert_eq!((d.line, d.column), (3, 25));
    assert!(d.message.contains("undefinedThing"), "{}", d.message);
    shutdown_clean(&engine);
}

#[test]
fn header_errors_come_from_the_format_crate_with_positions() {
    let engine = test_engine();
    let err = load_error(&engine, "void main() { gl_FragColor = vec4(1.0); }");
    assert_eq!(
        err.to_string(),
        "1:1: no ISF JSON header: the file must start with a /* { ... } */ comment"
    );
    let err = load_error(
        &engine,
        "/*{\n  \"ISFVSN\": \"2\",\n  \"INPUTS\": [ { \"NAME\": } ]\n}*/\nvoid main(){}",
    );
    assert_eq!(
        err.to_string(),
        "3:25: invalid JSON in ISF header: expected value"
    );
    shutdown_clean(&engine);
}

#[test]
fn in_memory_image_of_wrong_length_is_an_error() {
    let err = ImageData::new(4, 4, vec![0; 10]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot read image <memory>: 4x4 RGBA needs 64 bytes, got 10"
    );
}

#[test]
fn unset_image_input_samples_transparent_black() {
    with_scene("sampler_param.fs", |scene| {
        let frame = scene.render(&RenderOptions::new(8, 8, 0.0)).unwrap();
        assert!(
            frame.to_rgba8().iter().all(|&b| b == 0),
            "an unset image must read as (0,0,0,0)"
        );
    });
}

#[test]
fn odd_width_reads_back_without_row_padding() {
    with_scene("gradient.fs", |scene| {
        let frame = scene.render(&RenderOptions::new(1001, 333, 0.0)).unwrap();
        assert_eq!(frame.to_rgba8().len(), 1001 * 333 * 4);
        // Top-left is green (y = 1 at the top), bottom-right is red.
        let tl = frame.pixel(0, 0);
        let br = frame.pixel(1000, 332);
        assert!(tl[0] < 0.01 && tl[1] > 0.99, "{tl:?}");
        assert!(br[0] > 0.99 && br[1] < 0.01, "{br:?}");
    });
}

#[test]
fn float_output_reads_back_values_above_one() {
    let engine = test_engine();
    let scene = engine
        .load_source("/*{ \"ISFVSN\": \"2\" }*/\nvoid main() { gl_FragColor = vec4(2.5, 0.001, -1.0, 1.0); }\n", None)
        .unwrap();
    let mut opts = RenderOptions::new(4, 4, 0.0);
    opts.float_output = true;
    let frame = scene.render(&opts).unwrap();
    let p = frame.pixel(1, 1);
    assert!(
        (p[0] - 2.5).abs() < 1e-3 && (p[1] - 0.001).abs() < 1e-4 && (p[2] + 1.0).abs() < 1e-3,
        "{p:?}"
    );
    drop(scene);
    shutdown_clean(&engine);
}
