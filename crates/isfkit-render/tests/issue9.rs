//! Issue 9, rendered: renamed GLSL 1.x names, `pow` with an integer literal exponent.

mod common;

use common::*;
use isfkit_render::{RenderOptions, Value};

fn bytes(p: [f32; 4]) -> [u8; 4] {
    p.map(|c| (c * 255.0).round() as u8)
}

#[test]
fn issue9_pow_of_a_negative_constant_base_is_a_product() {
    let engine = test_engine();
    let scene = engine
        .load_source(
            "/*{ \"ISFVSN\": \"2\" }*/\nvoid main() { gl_FragColor = vec4(-pow(-0.5, 3.0), pow(-0.5, 2.0), 1.0 / -pow(-2.0, -1.0) / 8.0, 1.0); }\n",
            None,
        )
        .unwrap();
    let f = scene.render(&RenderOptions::new(8, 8, 0.0)).unwrap();
    // 0.125 -> 32, 0.25 -> 64, 2/8 -> 64.
    assert_eq!(bytes(f.pixel(3, 3)), [32, 64, 64, 255]);
    drop(scene);
    assert!(engine.shutdown().ok());
}

/// The heart curve `(x² + y² - 1)³ - x² y³ <= 0`: inside the unit circle its `pow` base is
/// negative. With `pow` as exp2(3 * log2(base)) that is NaN and the heart is not drawn; desktop
/// drivers multiply and draw all of it.
#[test]
fn issue9_heart_with_a_negative_non_constant_base_is_drawn_whole() {
    let engine = test_engine();
    let scene = engine
        .load_source(
            "/*{ \"ISFVSN\": \"2\" }*/\n\
             void main() {\n\
               vec2 p = (isf_FragNormCoord - 0.5) * 3.0;\n\
               float a = p.x * p.x + p.y * p.y - 1.0;\n\
               float h = pow(a, 3.0) - p.x * p.x * p.y * p.y * p.y;\n\
               gl_FragColor = vec4(h <= 0.0 ? 1.0 : 0.0, 0.0, 0.0, 1.0);\n\
             }\n",
            None,
        )
        .unwrap();
    let f = scene.render(&RenderOptions::new(60, 60, 0.0)).unwrap();
    // (x, y) = (-0.5, 0.3) and (0.5, 0.3) are inside, (0, -1.2) is outside.
    let px = |x: f32, y: f32| {
        let (u, v) = (x / 3.0 + 0.5, y / 3.0 + 0.5);
        f.pixel((u * 60.0) as u32, (v * 60.0) as u32)[0]
    };
    assert_eq!(px(-0.5, 0.3), 1.0, "left half");
    assert_eq!(px(0.5, 0.3), 1.0, "right half");
    assert_eq!(px(0.0, 0.0), 1.0, "centre");
    assert_eq!(px(0.0, -1.2), 0.0, "outside");
    drop(scene);
    assert!(engine.shutdown().ok());
}

#[test]
fn issue9_texture_function_and_sample_names_render() {
    let engine = test_engine();
    let scene = engine
        .load_source(
            "/*{ \"ISFVSN\": \"2\", \"INPUTS\": [\n\
               { \"NAME\": \"inputImage\", \"TYPE\": \"image\" },\n\
               { \"NAME\": \"sample\", \"TYPE\": \"float\", \"DEFAULT\": 0.0 },\n\
               { \"NAME\": \"filter\", \"TYPE\": \"image\" } ] }*/\n\
             vec4 texture(sampler2D img, vec2 uv) { return texture2D(img, uv) * 0.5; }\n\
             void main() {\n\
               highp float smooth = 0.5;\n\
               gl_FragColor = vec4(texture(inputImage, isf_FragNormCoord).r, sample, smooth, IMG_THIS_PIXEL(filter).a);\n\
             }\n",
            None,
        )
        .unwrap();
    scene
        .set_image("inputImage", solid_image([200, 100, 50, 255]))
        .unwrap();
    scene
        .set_image("filter", solid_image([0, 0, 0, 255]))
        .unwrap();
    scene.set("sample", Value::Float(0.25)).unwrap();
    let f = scene.render(&RenderOptions::new(8, 8, 0.0)).unwrap();
    assert_eq!(bytes(f.pixel(4, 4)), [100, 64, 128, 255]);
    drop(scene);
    assert!(engine.shutdown().ok());
}
