//! A panic inside the shader compiler or pipeline creation is an error of that shader: the
//! engine goes on rendering other shaders and shuts down clean. (Its own test binary: the
//! panic is forced through an environment variable of the process.)

mod common;

use common::*;
use isfkit_render::RenderOptions;

const SHADER: &str =
    "/*{\"ISFVSN\":\"2\"}*/\nvoid main() { gl_FragColor = vec4(0.5, 0.25, 1.0, 1.0); }\n";

#[test]
fn a_panic_while_compiling_is_an_error_and_the_engine_goes_on() {
    let engine = test_engine();
    std::env::set_var("ISFKIT_TEST_PANIC", "translate");
    let err = engine
        .load_source(SHADER, None)
        .err()
        .expect("a forced panic");
    assert_eq!(
        err.to_string(),
        "fragment shader: the shader compiler failed on this shader (forced by ISFKIT_TEST_PANIC=translate); please report this"
    );
    std::env::set_var("ISFKIT_TEST_PANIC", "pipeline");
    let scene = engine.load_source(SHADER, None).unwrap();
    let err = scene
        .render(&RenderOptions::new(8, 8, 0.0))
        .expect_err("a forced panic");
    assert_eq!(
        err.to_string(),
        "fragment shader: the shader compiler failed on this shader (forced by ISFKIT_TEST_PANIC=pipeline); please report this"
    );
    std::env::remove_var("ISFKIT_TEST_PANIC");
    // The same scene, and a new one, render once the compiler behaves.
    let f = scene.render(&RenderOptions::new(8, 8, 0.0)).unwrap();
    assert_eq!(f.pixel(3, 3), [128.0 / 255.0, 64.0 / 255.0, 1.0, 1.0]);
    drop(scene);
    let other = engine.load_source(SHADER, None).unwrap();
    other.render(&RenderOptions::new(8, 8, 0.0)).unwrap();
    drop(other);
    let report = engine.shutdown();
    assert!(report.ok(), "{report:?}");
}
