//! Valid GLSL that real shaders use and naga's front end lacks: each form renders the values
//! GLSL gives it (one pixel, read back as 8-bit values).

mod common;

use common::*;
use isfkit_render::RenderOptions;

/// Renders `code` (after a header with no inputs) at 8x8 and returns the pixel at (3, 3).
fn pixel(code: &str) -> [u8; 4] {
    let engine = test_engine();
    let source = format!("/*{{\"ISFVSN\":\"2\",\"INPUTS\":[]}}*/\n{code}");
    let scene = engine
        .load_source(&source, None)
        .unwrap_or_else(|e| panic!("{e}"));
    let f = scene.render(&RenderOptions::new(8, 8, 0.0)).unwrap();
    let px = bytes(f.pixel(3, 3));
    drop(scene);
    let report = engine.shutdown();
    assert!(report.ok(), "{report:?}");
    px
}

/// Each channel within one step of 8 bits (the GPU rounds x.5 either way).
#[track_caller]
fn assert_near(px: [u8; 4], want: [u8; 4]) {
    assert!(
        px.iter().zip(want).all(|(a, b)| a.abs_diff(b) <= 1),
        "pixel {px:?}, expected {want:?}"
    );
}

fn byte(v: f32) -> u8 {
    (v * 255.0).round() as u8
}

#[test]
fn a_vector_component_passed_to_inout_is_copied_in_and_out() {
    let px = pixel(
        "float halve(inout float p, float s) { p = p * 0.5; return s; }\n\
         void main() {\n\
             vec2 q = vec2(0.8, 0.6);\n\
             float r = halve(q.y, 0.25);\n\
             gl_FragColor = vec4(q.x, q.y, r, 1.0);\n\
         }\n",
    );
    assert_near(px, [byte(0.8), byte(0.3), byte(0.25), 255]);
}

#[test]
fn array_elements_and_struct_fields_passed_to_out_and_inout() {
    let px = pixel(
        "struct S { float a; vec2 b; };\n\
         void twice(inout float p) { p *= 2.0; }\n\
         void set(out float p, float v) { p = v; }\n\
         void main() {\n\
             float arr[2] = float[2](0.1, 0.2);\n\
             S s = S(0.2, vec2(0.0));\n\
             twice(arr[1]);\n\
             twice(s.a);\n\
             set(s.b.y, 0.5);\n\
             gl_FragColor = vec4(arr[1], s.a, s.b.y, 1.0);\n\
         }\n",
    );
    assert_near(px, [byte(0.4), byte(0.4), byte(0.5), 255]);
}

#[test]
fn a_matrix_from_one_vector_and_from_mixed_vectors_and_scalars() {
    let px = pixel(
        "#define rot(a) mat2(cos(a + vec4(0, 11, 33, 0)))\n\
         void main() {\n\
             mat2 m = mat2(vec4(0.1, 0.2, 0.3, 0.4));\n\
             mat2 n = mat2(vec3(0.5, 0.6, 0.7), 0.8);\n\
             mat2 r = rot(0.0);\n\
             mat3 k = mat3(vec2(0.1, 0.2), 0.3, vec4(0.4, 0.5, 0.6, 0.7), vec2(0.8, 0.9));\n\
             gl_FragColor = vec4(m[1][0], n[1][1], abs(r[0][0]), k[2][1]);\n\
         }\n",
    );
    assert_near(px, [byte(0.3), byte(0.8), byte(1.0), byte(0.8)]);
}

#[test]
fn a_function_declared_by_prototype_and_defined_after_its_use() {
    let px = pixel(
        "float f(in vec2 a, const in float b);\n\
         vec3 g(float x);\n\
         void main() { gl_FragColor = vec4(f(vec2(0.1, 0.2), 0.3), g(0.5).yz, 1.0); }\n\
         float f(in vec2 a, const in float b) { return a.x + a.y + b; }\n\
         vec3 g(float x) { return vec3(x, x * 0.5, f(vec2(x), 0.0) * 0.25); }\n",
    );
    assert_near(px, [byte(0.6), byte(0.25), byte(0.25), 255]);
}

#[test]
fn built_ins_on_floats_follow_gentype() {
    let px = pixel(
        "void main() {\n\
             float a = 0.5, b = 0.6;\n\
             gl_FragColor = vec4(dot(a, b), normalize(-a) + 1.0, length(-0.25), distance(a, b) * 2.0);\n\
         }\n",
    );
    assert_near(px, [byte(0.3), 0, byte(0.25), byte(0.2)]);
}

#[test]
fn return_with_a_parenthesis_and_no_space() {
    let px = pixel(
        "vec3 col(float x) { return(vec3(x, 0.5, 1.0)); }\n\
         void main() { gl_FragColor = vec4(col(0.25), 1.0); }\n",
    );
    assert_near(px, [byte(0.25), byte(0.5), 255, 255]);
}

#[test]
fn float_literals_beyond_the_range_are_infinity() {
    let px = pixel(
        "void main() {\n\
             float big = 1e39;\n\
             gl_FragColor = vec4(big > 3.0e38 ? 1.0 : 0.0, 1.0 / big, 1.0 / -2e40 + 0.5, 1.0);\n\
         }\n",
    );
    assert_near(px, [255, 0, byte(0.5), 255]);
}

#[test]
fn a_const_global_that_calls_built_ins() {
    let px = pixel(
        "const vec3 c = mix(vec3(0.0), vec3(1.0, 0.5, 0.25), 0.5);\n\
         const float k = sqrt(0.25) * max(0.5, 0.2);\n\
         void main() { gl_FragColor = vec4(c.x, c.y, k, 1.0); }\n",
    );
    assert_near(px, [byte(0.5), byte(0.25), byte(0.25), 255]);
}

#[test]
fn a_uniform_renamed_by_a_macro_to_time() {
    let px = pixel(
        "uniform float time;\n\
         #define time (TIME + 0.5)\n\
         void main() { gl_FragColor = vec4(time, 0.0, 0.0, 1.0); }\n",
    );
    assert_near(px, [byte(0.5), 0, 0, 255]);
}

#[test]
fn a_function_that_can_reach_its_end_without_return() {
    let px = pixel(
        "float f(float x) { if (x > 0.0) { return 0.5; } }\n\
         void main() { gl_FragColor = vec4(f(1.0), 0.0, 0.0, 1.0); }\n",
    );
    assert_near(px, [byte(0.5), 0, 0, 255]);
}

#[test]
fn a_global_of_a_struct_type_is_not_a_varying() {
    let px = pixel(
        "struct SDObject { float d; vec3 c; };\n\
         SDObject best;\n\
         void main() { best = SDObject(0.5, vec3(0.25)); gl_FragColor = vec4(best.d, best.c.x, 0.0, 1.0); }\n",
    );
    assert_near(px, [byte(0.5), byte(0.25), 0, 255]);
}

#[test]
fn nested_conditionals_with_comments_on_directive_lines() {
    let px = pixel(
        "#define QUALITY 2 // medium\n\
         #if QUALITY > 1 /* high\n\
            and more */\n\
         #ifdef NOPE // off\n\
         float pick() { return 0.1; }\n\
         #else // on\n\
         float pick() { return 0.5; }\n\
         #endif\n\
         #else\n\
         float pick() { return 0.9; }\n\
         #endif // QUALITY\n\
         void main() { gl_FragColor = vec4(pick(), 0.0, 0.0, 1.0); }\n",
    );
    assert_near(px, [byte(0.5), 0, 0, 255]);
}

#[test]
fn equality_of_structs_nested_structs_and_arrays_compares_every_member() {
    let px = pixel(
        "struct Inner { vec2 p; int k; };\n\
         struct Hit { float d; Inner i; };\n\
         Hit make(float d) { return Hit(d, Inner(vec2(d), 3)); }\n\
         void main() {\n\
             Hit a = make(1.0);\n\
             Hit b = make(1.0);\n\
             float r = 0.0;\n\
             if (a == b) r = 1.0;\n\
             bool ne = a != make(2.0);\n\
             float x[2] = float[2](1.0, 2.0);\n\
             float y[2] = float[2](1.0, 2.5);\n\
             gl_FragColor = vec4(r, ne ? 1.0 : 0.0, float(make(1.0) == make(2.0)), x == y ? 1.0 : 0.5);\n\
         }\n",
    );
    assert_near(px, [255, 255, 0, byte(0.5)]);
}

#[test]
fn a_swizzle_of_a_scalar() {
    let px = pixel(
        "float f(float v) { return v; }\n\
         void main() {\n\
             float s = 0.25;\n\
             vec2 g = s.xx;\n\
             gl_FragColor = vec4(s.x, g.y, f(0.5).r, vec3(1.0).z.x);\n\
         }\n",
    );
    assert_near(px, [byte(0.25), byte(0.25), byte(0.5), 255]);
}

#[test]
fn a_component_of_a_matrix_column_as_an_assignment_target() {
    let px = pixel(
        "void main() {\n\
             mat2 m = mat2(1.0);\n\
             m[0].y = 0.5;\n\
             m[1].x += 0.25;\n\
             m[1][1] = 0.75;\n\
             gl_FragColor = vec4(m[0].y, m[1].x, m[1].y, m[0].x);\n\
         }\n",
    );
    assert_near(px, [byte(0.5), byte(0.25), byte(0.75), 255]);
}

#[test]
fn modulo_between_a_vector_and_a_scalar() {
    let px = pixel(
        "void main() {\n\
             ivec2 m = ivec2(7, 9) % 4;\n\
             ivec2 k = 10 % ivec2(4, 3);\n\
             gl_FragColor = vec4(vec2(m) / 4.0, float(k.x) / 4.0 + float(k.y) / 8.0, 1.0);\n\
         }\n",
    );
    assert_near(px, [byte(0.75), byte(0.25), byte(0.625), 255]);
}

#[test]
fn a_shift_by_a_constant_of_32_or_more_shifts_by_its_remainder() {
    // As Mesa's desktop GL computes it (GLSL leaves it undefined): 1 << 33 is 1 << 1.
    let px = pixel(
        "void main() {\n\
             int a = 1 << 33;\n\
             int b = 64 >> 34;\n\
             int c = 3;\n\
             c <<= 0x21;\n\
             gl_FragColor = vec4(float(a) / 4.0, float(b) / 32.0, float(c) / 8.0, 1.0);\n\
         }\n",
    );
    assert_near(px, [byte(0.5), byte(0.5), byte(0.75), 255]);
}

#[test]
fn a_function_header_chosen_by_ifdef_with_one_body() {
    let px = pixel(
        "#define AA 1\n\
         #ifdef AA\n\
         vec3 shade(vec2 p, float s) {\n\
         #else\n\
         vec3 shade(vec2 p) {\n\
             float s = 0.0;\n\
         #endif\n\
             return vec3(p, s);\n\
         }\n\
         void main() {\n\
             gl_FragColor = vec4(shade(vec2(0.25, 0.5), 0.75), 1.0);\n\
         }\n",
    );
    assert_near(px, [byte(0.25), byte(0.5), byte(0.75), 255]);
}
