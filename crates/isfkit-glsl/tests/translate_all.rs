//! Every shader of the ISF test suite (`tests/shaders`) must translate and pass naga's
//! validation; the bad ones must fail with diagnostics at the user's own lines.

use std::path::{Path, PathBuf};

use isfkit_format::IsfDocument;

fn shaders_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/shaders")
}

/// The `.vs` / `.vert` sibling of `fs`, if any.
fn vertex_sibling(fs: &Path) -> Option<PathBuf> {
    ["vs", "vert"]
        .iter()
        .map(|ext| fs.with_extension(ext))
        .find(|p| p.is_file())
}

fn fs_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "fs"))
        .collect();
    files.sort();
    files
}

/// Parses and compiles `fs` (with its vertex sibling); the rendered diagnostics on failure.
fn compile_file(fs: &Path) -> Result<isfkit_glsl::Program, String> {
    let doc =
        IsfDocument::parse_file(fs).map_err(|e| e.diagnostic.render(&fs.display().to_string()))?;
    let vs_path = vertex_sibling(fs);
    let vs = vs_path
        .as_ref()
        .map(|p| std::fs::read_to_string(p).unwrap());
    isfkit_glsl::compile(&doc, vs.as_deref()).map_err(|e| {
        let vs_name = vs_path
            .as_ref()
            .map_or("<built-in vertex shader>".to_owned(), |p| {
                p.display().to_string()
            });
        e.render(&fs.display().to_string(), &vs_name)
    })
}

#[test]
fn every_good_shader_compiles() {
    let files = fs_files(&shaders_dir());
    assert!(
        files.len() >= 18,
        "expected the test suite, found {files:?}"
    );
    let mut failures = Vec::new();
    for fs in &files {
        if let Err(msg) = compile_file(fs) {
            failures.push(msg);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} shaders failed:\n\n{}",
        failures.len(),
        files.len(),
        failures.join("\n\n")
    );
}

// ---------------------------------------------------------------------------------------------
// Bad files: the message, and the user's own line and column.

/// Compiles `bad/NAME`; the rendered error with the path shown as `bad/NAME`.
fn bad_file_error(name: &str) -> String {
    let path = shaders_dir().join("bad").join(name);
    let doc = IsfDocument::parse_file(&path).expect("the header is valid");
    match isfkit_glsl::compile(&doc, None) {
        Ok(_) => panic!("{name} compiled"),
        Err(e) => e.render(&format!("bad/{name}"), "<vertex>"),
    }
}

#[test]
fn compile_error_points_at_the_user_line() {
    assert_eq!(
        bad_file_error("compile_error.fs"),
        "bad/compile_error.fs:12:12: error: Unknown variable: brightness\n   \
         12 | \tfloat b = brightness * a;\n      \
         | \t          ^"
    );
}

#[test]
fn missing_main_is_reported_at_the_end_of_the_file() {
    assert_eq!(
        bad_file_error("missing_main.fs"),
        "bad/missing_main.fs:8:2: error: the fragment shader has no `void main()` function\n    \
         8 | }\n      \
         |  ^"
    );
}

#[test]
fn type_error_points_at_the_declaration_not_the_function() {
    assert_eq!(
        bad_file_error("type_error.fs"),
        "bad/type_error.fs:7:8: error: Function [0] 'main' is invalid: Local variable [0] 'x' \
         is invalid: Initializer doesn't match the variable type\n    \
         7 | \tfloat x = vec2(1.0);\n      \
         | \t      ^"
    );
}

#[test]
fn malformed_json_and_missing_header_fail_to_parse() {
    let dir = shaders_dir().join("bad");
    let e = IsfDocument::parse_file(&dir.join("malformed_json.fs")).unwrap_err();
    assert_eq!(
        e.diagnostic.render("bad/malformed_json.fs"),
        "bad/malformed_json.fs:4:11: error: invalid JSON in ISF header: expected `:`\n    \
         4 | \t\"INPUTS\" [\n      \
         | \t         ^"
    );
    let e = IsfDocument::parse_file(&dir.join("no_header.fs")).unwrap_err();
    assert!(
        e.message().starts_with("no ISF JSON header"),
        "{}",
        e.message()
    );
}

#[test]
fn unknown_input_type_is_a_warning_and_the_shader_compiles() {
    let path = shaders_dir().join("bad/unknown_type.fs");
    let doc = IsfDocument::parse_file(&path).unwrap();
    assert_eq!(doc.warnings.len(), 1, "{:?}", doc.warnings);
    assert!(doc.warnings[0].message.contains("texture3D"));
    assert_eq!((doc.warnings[0].line, doc.warnings[0].column), (5, 31));
    assert_eq!(doc.inputs.len(), 1);
    compile_file(&path).unwrap();
}

#[test]
fn errors_in_a_user_vertex_shader_point_at_the_vs_line() {
    let doc = IsfDocument::parse("/*{}*/\nvoid main() { gl_FragColor = vec4(1.0); }\n").unwrap();
    let vs = "void main() {\n\tisf_vertShaderInit();\n\tfloat k = nope;\n}\n";
    let err = isfkit_glsl::compile(&doc, Some(vs)).unwrap_err();
    assert_eq!(
        err.render("a.fs", "a.vs"),
        "a.vs:3:12: error: Unknown variable: nope\n    3 | \tfloat k = nope;\n      | \t          ^"
    );
}

// ---------------------------------------------------------------------------------------------
// Rewriter behaviours (DESIGN.md, "What real ISF shaders need from the rewriter"): each a tiny
// source in, assertions on the generated GLSL, and naga must accept it.

/// An ISF document from a JSON header (without the comment markers) and code.
fn doc(header: &str, code: &str) -> IsfDocument {
    IsfDocument::parse(&format!("/*{header}*/\n{code}")).unwrap()
}

/// Compiles (naga-validated) and returns the generated (fragment, vertex) GLSL.
fn compiled(doc: &IsfDocument, vs: Option<&str>) -> (String, String) {
    let t =
        isfkit_glsl::translate(doc, vs).unwrap_or_else(|e| panic!("{}", e.render("t.fs", "t.vs")));
    if let Err(e) = isfkit_glsl::compile(doc, vs) {
        panic!(
            "{}\n--- fragment:\n{}\n--- vertex:\n{}",
            e.render("t.fs", "t.vs"),
            t.fragment.glsl,
            t.vertex.glsl
        );
    }
    (t.fragment.glsl, t.vertex.glsl)
}

fn frag(header: &str, code: &str) -> String {
    compiled(&doc(header, code), None).0
}

/// The generated text without whitespace, so assertions do not depend on formatting.
fn squash(s: &str) -> String {
    s.split_whitespace().collect()
}

fn assert_has(glsl: &str, want: &str) {
    assert!(
        squash(glsl).contains(&squash(want)),
        "expected `{want}` in:\n{glsl}"
    );
}

fn assert_lacks(glsl: &str, unwanted: &str) {
    assert!(
        !squash(glsl).contains(&squash(unwanted)),
        "did not expect `{unwanted}` in:\n{glsl}"
    );
}

#[test]
fn non_constant_global_initialisers_move_into_main() {
    let g = frag(
        "{}",
        "float ratio = RENDERSIZE.x / RENDERSIZE.y;\n\
         float a = 1.0, b = TIME > 1.0 ? 2.0 : 3.0;\n\
         const float K = 2.0;\n\
         void main() { gl_FragColor = vec4(ratio * a * b * K); }\n",
    );
    assert_has(&g, "float ratio;");
    assert_has(&g, "float a, b;");
    assert_has(&g, "const float K = 2.0;");
    assert_has(
        &g,
        "void isf_init_user_globals() { ratio = RENDERSIZE.x / RENDERSIZE.y; a = 1.0; \
         b = TIME > 1.0 ? 2.0 : 3.0; }",
    );
    assert_has(&g, "isf_init_user_globals(); isf_user_main();");
}

#[test]
fn returns_are_typed_and_a_missing_final_return_is_added() {
    let g = frag(
        "{}",
        "float f(float x) { if (x > 0.0) return 1; }\n\
         vec2 g() { return vec2(0); }\n\
         float h(float x) { if (x > 0.0) { return 2.0; } else { return 3.0; } }\n\
         void main() { gl_FragColor = vec4(f(TIME) + g().x + h(TIME)); }\n",
    );
    assert_has(&g, "if (x > 0.0) return float(1); return float(0); }");
    assert_has(&g, "return vec2(vec2(0)); }");
    // A void function gets nothing; `main` is renamed.
    assert_has(&g, "void isf_user_main() { isf_FragColor = ");
}

#[test]
fn return_in_a_comment_is_not_rewritten() {
    let g = frag(
        "{}",
        "float f() {\n  // return 1;\n  /* return 2; */\n  return 3.0;\n}\n\
         void main() { gl_FragColor = vec4(f()); }\n",
    );
    assert_has(&g, "return float(3.0);");
    assert_lacks(&g, "float(1)");
    assert_lacks(&g, "float(2)");
}

#[test]
fn varyings_get_locations_and_arrays_take_one_per_element() {
    let vs = "varying vec2 offs[5];\nvarying float after;\n\
              void main() { isf_vertShaderInit(); for (int i = 0; i < 5; i++) offs[i] = vec2(float(i)); after = 1.0; }\n";
    let d = doc(
        "{}",
        "varying vec2 offs[5];\nvarying float after;\n\
         void main() { gl_FragColor = vec4(offs[4], after, 1.0); }\n",
    );
    let (f, v) = compiled(&d, Some(vs));
    assert_has(&f, "layout(location = 0) in vec2 isf_FragNormCoord;");
    assert_has(&f, "layout(location = 1) in vec2 offs[5];");
    assert_has(&f, "layout(location = 6) in float after;");
    assert_has(&v, "layout(location = 1) out vec2 offs[5];");
    assert_has(&v, "layout(location = 6) out float after;");
}

#[test]
fn a_varying_only_the_fragment_shader_declares_still_links() {
    let d = doc(
        "{}",
        "varying vec3 extra;\nvoid main() { gl_FragColor = vec4(extra, 1.0); }\n",
    );
    let (f, v) = compiled(&d, None);
    assert_has(&f, "layout(location = 1) in vec3 extra;");
    assert_has(&v, "layout(location = 1) out vec3 extra;");
}

#[test]
fn matrix_varyings_are_split_into_columns() {
    let vs = "varying mat2 rot;\nvarying mat3x2 m32;\n\
              void main() {\n  isf_vertShaderInit();\n  rot = mat2(1.0, 2.0, 3.0, 4.0);\n\
              if (TIME > 1.0) return;\n  m32 = mat3x2(1.0);\n}\n";
    let d = doc(
        "{}",
        "varying mat2 rot;\nvarying mat3x2 m32;\n\
         void main() { gl_FragColor = vec4(rot * isf_FragNormCoord, m32[2]); }\n",
    );
    let (f, v) = compiled(&d, Some(vs));
    assert_has(&v, "layout(location = 1) out vec2 isf_rot_col0;");
    assert_has(&v, "layout(location = 2) out vec2 isf_rot_col1;");
    assert_has(&v, "mat2 rot;");
    assert_has(&v, "layout(location = 5) out vec2 isf_m32_col2;");
    // Written after the user's main returns, so its early `return` is covered; only where
    // the declaration was compiled (it may sit in a false `#if` branch).
    assert_has(&v, "mat2 rot; #define isf_matrix_rot");
    assert_has(
        &v,
        "isf_user_main(); #ifdef isf_matrix_rot isf_rot_col0 = rot[0]; isf_rot_col1 = rot[1]; #endif #ifdef isf_matrix_m32 isf_m32_col0 = m32[0];",
    );
    assert_has(&f, "layout(location = 1) in vec2 isf_rot_col0;");
    assert_has(&f, "layout(location = 4) in vec2 isf_m32_col1;");
    assert_has(&f, "rot = mat2(isf_rot_col0, isf_rot_col1);");
    assert_has(
        &f,
        "m32 = mat3x2(isf_m32_col0, isf_m32_col1, isf_m32_col2); #endif isf_init_user_globals();",
    );
}

#[test]
fn image_names_are_replaced_only_where_used_as_images() {
    let g = frag(
        r#"{"PASSES": [{"TARGET": "buf"}, {}]}"#,
        "void main() {\n  vec2 c = gl_FragCoord.xy;\n  vec4 buf = IMG_PIXEL(buf, c);\n  \
         gl_FragColor = buf + texture2D(buf, c / RENDERSIZE);\n}\n",
    );
    assert_has(
        &g,
        "vec4 isf_local_buf = texture(sampler2D(buf, isf_sampler), (c) / _buf_imgSize);",
    );
    assert_has(
        &g,
        "isf_FragColor = isf_local_buf + texture(sampler2D(buf, isf_sampler), c / RENDERSIZE);",
    );
}

#[test]
fn tokens_after_a_dot_are_never_rewritten() {
    let g = frag(
        r#"{"INPUTS": [{"NAME": "r", "TYPE": "bool"}, {"NAME": "inputImage", "TYPE": "image"}]}"#,
        "struct S { float inputImage; };\n\
         void main() {\n  vec4 c = IMG_THIS_PIXEL(inputImage);\n  S s; s.inputImage = c.r;\n  \
         gl_FragColor = r ? vec4(c.r, c.g, s.inputImage, 1.0) : c.rrrr;\n}\n",
    );
    assert_has(&g, "s.inputImage = c.r;");
    assert_has(&g, "r ? vec4(c.r, c.g, s.inputImage, 1.0) : c.rrrr");
}

#[test]
fn bool_and_event_inputs_are_ints_in_the_block_and_bools_in_the_shader() {
    let g = frag(
        r#"{"INPUTS": [{"NAME": "flag", "TYPE": "bool", "DEFAULT": 1}, {"NAME": "hit", "TYPE": "event"}]}"#,
        "void main() { gl_FragColor = (flag && !hit) ? vec4(1.0) : vec4(0.0); }\n",
    );
    assert_has(&g, "int isf_b_flag;");
    assert_has(&g, "int isf_b_hit;");
    assert_has(&g, "bool flag;");
    assert_has(&g, "flag = isf_b_flag != 0; hit = isf_b_hit != 0;");
}

#[test]
fn image_size_rect_and_flip_uniforms_are_readable() {
    let g = frag(
        r#"{"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]}"#,
        "void main() {\n  vec2 s = _inputImage_imgSize + _inputImage_imgRect.zw;\n  \
         gl_FragColor = _inputImage_flip ? vec4(s, 0.0, 1.0) : vec4(IMG_SIZE(inputImage), 0.0, 1.0);\n}\n",
    );
    assert_has(&g, "vec2 _inputImage_imgSize;");
    assert_has(&g, "vec4 _inputImage_imgRect;");
    assert_has(&g, "bool _inputImage_flip;");
    assert_has(&g, "vec4(_inputImage_imgSize, 0.0, 1.0)");
}

#[test]
fn version_blocks_and_uppercase_directives_work() {
    let g = frag(
        "{}",
        "#if __VERSION__ <= 120\nvarying vec2 uv2;\n#else\nin vec2 uv2;\n#ENDIF\n\
         #IFDEF GL_ES\nprecision mediump float;\n#Endif\n\
         #extension GL_OES_standard_derivatives : enable\n\
         void main() { gl_FragColor = vec4(uv2, 0.0, 1.0); }\n",
    );
    assert_has(&g, "#endif");
    assert_has(&g, "#ifdef GL_ES");
    assert_lacks(&g, "#ENDIF");
    assert_lacks(&g, "#extension");
}

#[test]
fn texture2d_calls_become_texture_with_split_samplers() {
    let g = frag(
        r#"{"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]}"#,
        "#define GRAB(uv) texture2D(inputImage, (uv))\n\
         vec4 fetch(sampler2D img, vec2 uv) { return texture2D(img, uv); }\n\
         vec4 twice(sampler2D img, vec2 uv) { return fetch(img, uv) + texture2DRect(img, uv * 4.0); }\n\
         void main() {\n  gl_FragColor = twice(inputImage, isf_FragNormCoord) + GRAB(vec2(0.5))\n    \
         + texture2DLod(inputImage, vec2(0.5), 0.0);\n}\n",
    );
    assert_has(
        &g,
        "#define GRAB(uv) texture(sampler2D(inputImage, isf_sampler), (uv))",
    );
    assert_has(
        &g,
        "vec4 fetch(texture2D img, sampler isf_smp_img, vec2 uv) { return vec4(texture(sampler2D(img, isf_smp_img), uv)); }",
    );
    // A sampler2D parameter is a texture and its sampler; calls pass both.
    assert_has(
        &g,
        "vec4(fetch(img, isf_smp_img, uv) + texture(sampler2D(img, isf_smp_img), ",
    );
    // Rectangle textures take pixel coordinates.
    assert_has(
        &g,
        "texture(sampler2D(img, isf_smp_img), ((uv * 4.0) / vec2(textureSize(sampler2D(img, isf_sampler), 0))))",
    );
    assert_has(
        &g,
        "textureLod(sampler2D(inputImage, isf_sampler), vec2(0.5), 0.0)",
    );
    assert_has(&g, "twice(inputImage, isf_sampler, isf_FragNormCoord)");
}

#[test]
fn textures_read_through_the_sampler_their_filter_and_wrap_name() {
    let g = frag(
        r#"{"ISFVSN": "2",
            "INPUTS": [{"NAME": "tiles", "TYPE": "image", "WRAP": "repeat"},
                       {"NAME": "plain", "TYPE": "image"}],
            "PASSES": [{"TARGET": "cells", "FILTER": "nearest", "WRAP": "repeat"},
                       {"TARGET": "edge", "FILTER": "nearest"}, {}]}"#,
        "vec4 look(sampler2D, vec2);\n\
         vec4 look(sampler2D s, vec2 uv) { return texture(s, uv); }\n\
         vec4 pass_on(sampler2D s) { return look(s, vec2(0.5)); }\n\
         #define PICK(t, uv) texture2D(t, uv)\n\
         void main() {\n  gl_FragColor = look(tiles, isf_FragNormCoord) + pass_on(cells)\n    \
         + IMG_NORM_PIXEL(edge, vec2(2.0)) + texture2D(plain, vec2(0.5)) + PICK(cells, vec2(0.0));\n}\n",
    );
    // One sampler per filter-and-wrap pair in use, after the textures (bindings 2 to 5).
    assert_has(
        &g,
        "layout(set = 0, binding = 6) uniform sampler isf_sampler_linear_repeat;",
    );
    assert_has(
        &g,
        "layout(set = 0, binding = 7) uniform sampler isf_sampler_nearest_repeat;",
    );
    assert_has(
        &g,
        "layout(set = 0, binding = 8) uniform sampler isf_sampler_nearest_clamp;",
    );
    assert_has(&g, "vec4 look(texture2D, sampler, vec2);");
    assert_has(
        &g,
        "vec4 look(texture2D s, sampler isf_smp_s, vec2 uv) { return vec4(texture(sampler2D(s, isf_smp_s), uv)); }",
    );
    assert_has(&g, "return vec4(look(s, isf_smp_s, vec2(0.5)));");
    assert_has(
        &g,
        "look(tiles, isf_sampler_linear_repeat, isf_FragNormCoord)",
    );
    assert_has(&g, "pass_on(cells, isf_sampler_nearest_repeat)");
    assert_has(&g, "texture(sampler2D(edge, isf_sampler_nearest_clamp), ");
    assert_has(&g, "texture(sampler2D(plain, isf_sampler), vec2(0.5))");
    // What the code reaches through a macro's parameter reads through the default sampler.
    assert_has(
        &g,
        "#define PICK(t, uv) texture(sampler2D(t, isf_sampler), uv)",
    );
}

#[test]
fn sampler_parameters_keep_to_their_function() {
    let g = frag(
        r#"{"ISFVSN": "2",
            "INPUTS": [{"NAME": "image", "TYPE": "image", "WRAP": "repeat"},
                       {"NAME": "other", "TYPE": "image", "FILTER": "nearest"}]}"#,
        "vec4 f(sampler2D s, vec2 uv) { return texture2D(s, uv); }\n\
         vec4 f(vec4 c, vec2 uv) { return c * uv.x; }\n\
         vec4 g(sampler2D ch, vec2 uv);\n\
         #define T(ch, uv) texture2D(ch, uv)\n\
         vec4 g(sampler2D image, vec2 uv) { return texture2D(image, uv); }\n\
         #define PICK other\n\
         void main() {\n  vec4 c = vec4(0.5);\n  gl_FragColor = f(c, vec2(0.5)) + f(image, vec2(0.5))\n    \
         + g(other, vec2(0.0)) + f(PICK, vec2(1.0)) + T(image, vec2(0.0));\n}\n",
    );
    // The overload without a sampler is called as written; the other gets the texture's.
    assert_has(
        &g,
        "f(c, vec2(0.5)) + f(image, isf_sampler_linear_repeat, vec2(0.5))",
    );
    // A parameter named like a texture reads through the parameter's sampler.
    assert_has(
        &g,
        "vec4 g(texture2D image, sampler isf_smp_image, vec2 uv) { return vec4(texture(sampler2D(image, isf_smp_image), uv)); }",
    );
    // A prototype's parameter names do not leak into a macro after it.
    assert_has(
        &g,
        "#define T(ch, uv) texture(sampler2D(ch, isf_sampler), uv)",
    );
    // A macro passed where a sampler2D is taken may be a texture: it gets the default
    // sampler (its text is not resolved).
    assert_has(
        &g,
        "g(other, isf_sampler_nearest_clamp, vec2(0.0)) + f(PICK, isf_sampler, vec2(1.0))",
    );
}

#[test]
fn img_macros_take_nested_parentheses_and_commas() {
    let g = frag(
        r#"{"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]}"#,
        "void main() {\n  vec2 s = IMG_SIZE(inputImage);\n  \
         gl_FragColor = IMG_PIXEL(inputImage, vec2(max(s.x - 1.0, 0.0), (s.y)))\n    \
         + IMG_NORM_PIXEL(inputImage, vec2(mix(0.0, 1.0, 0.5), 0.5))\n    \
         + IMG_THIS_PIXEL(inputImage) + IMG_THIS_NORM_PIXEL(inputImage);\n}\n",
    );
    assert_has(
        &g,
        "texture(sampler2D(inputImage, isf_sampler), (vec2(max(s.x - 1.0, 0.0), (s.y))) / _inputImage_imgSize)",
    );
    assert_has(
        &g,
        "texture(sampler2D(inputImage, isf_sampler), (vec2(mix(0.0, 1.0, 0.5), 0.5)))",
    );
    assert_has(
        &g,
        "texture(sampler2D(inputImage, isf_sampler), isf_ThisNormCoord)",
    );
    assert_has(&g, "vec2 s = _inputImage_imgSize;");
}

/// IMG_THIS_PIXEL / IMG_THIS_NORM_PIXEL sample where VVISF samples them: at a varying that
/// isf_vertShaderInit() sets from the quad before the user's vertex code runs, so a vertex
/// shader that rotates the quad rotates the image with it (gl_FragCoord would not).
#[test]
fn img_this_pixel_follows_the_vertex_stage() {
    let d = doc(
        r#"{"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]}"#,
        "varying vec2 v;\nvoid main() { gl_FragColor = IMG_THIS_PIXEL(inputImage) + vec4(v, 0.0, 0.0); }\n",
    );
    let vs = "varying vec2 v;\nvoid main() {\n  isf_vertShaderInit();\n  v = vec2(1.0);\n  \
              gl_Position.xy = -gl_Position.yx;\n  isf_FragNormCoord = vec2(0.5);\n}\n";
    let (f, v) = compiled(&d, Some(vs));
    assert_has(&f, "layout(location = 2) in vec2 isf_ThisNormCoord;");
    assert_has(&v, "layout(location = 2) out vec2 isf_ThisNormCoord;");
    // Set inside isf_vertShaderInit (before the user's own assignments).
    let init = &v[v.find("void isf_vertShaderInit()").unwrap()..];
    let init = &init[..init.find('}').unwrap()];
    assert_has(init, "isf_ThisNormCoord = isf_FragNormCoord;");
    // A shader without them gets no such varying.
    let (f, v) = compiled(
        &doc(
            "{}",
            "void main() { gl_FragColor = vec4(isf_FragNormCoord, 0.0, 1.0); }\n",
        ),
        None,
    );
    assert_lacks(&f, "isf_ThisNormCoord");
    assert_lacks(&v, "isf_ThisNormCoord");
}

#[test]
fn fragcolor_fragdata_and_v1_names_are_mapped() {
    let g = frag(
        "{}",
        "void main() {\n  gl_FragColor = vec4(vv_FragNormCoord, 0.0, 1.0);\n  \
         gl_FragData[0].a = 1.0;\n}\n",
    );
    assert_has(&g, "layout(location = 0) out vec4 isf_FragColor;");
    assert_has(&g, "isf_FragColor = vec4(isf_FragNormCoord, 0.0, 1.0);");
    assert_has(&g, "isf_FragColor.a = 1.0;");
    assert_lacks(&g, "gl_FragData");
}

#[test]
fn a_user_declared_output_is_kept() {
    let g = frag(
        "{}",
        "out vec4 fragColor;\nvoid main() { fragColor = vec4(1.0); }\n",
    );
    assert_has(&g, "vec4 fragColor;");
    assert_lacks(&g, "out vec4 fragColor;");
    assert_has(&g, "isf_FragColor = isf_user_output;");
}

#[test]
fn unsized_arrays_get_their_size() {
    let g = frag(
        "{}",
        "float a[] = float[](0.25, 0.5, 0.75);\nconst vec2 K[] = vec2[](vec2(1.0), vec2(2.0));\n\
         void main() {\n  float b[] = float[](1.0, max(2.0, 3.0));\n  float[] c = float[3](1.0, 2.0, 3.0);\n  \
         gl_FragColor = vec4(a[2], b[1], c[2], K[1].x);\n}\n",
    );
    assert_has(&g, "float a[3];");
    assert_has(&g, "a = float[3](0.25, 0.5, 0.75);");
    assert_has(&g, "const vec2 K[2] = vec2[2](vec2(1.0), vec2(2.0));");
    assert_has(&g, "float b[2] = float[2](1.0, max(2.0, 3.0));");
    assert_has(&g, "float[3] c = float[3](1.0, 2.0, 3.0);");
}

#[test]
fn header_inputs_redeclared_as_uniforms_are_dropped() {
    let g = frag(
        r#"{"INPUTS": [{"NAME": "amount", "TYPE": "float"}, {"NAME": "inputImage", "TYPE": "image"}]}"#,
        "uniform float amount;\nuniform sampler2D inputImage;\nuniform float TIME;\nuniform float mine;\n\
         void main() { gl_FragColor = vec4(amount + mine + TIME) + IMG_THIS_PIXEL(inputImage); }\n",
    );
    assert_lacks(&g, "uniform float amount;");
    assert_lacks(&g, "uniform float TIME;");
    assert_eq!(squash(&g).matches("uniformtexture2DinputImage;").count(), 1);
    // A uniform the header does not declare: nothing sets it, so it is a zero global (with a
    // constant initialiser: a later `#define mine TIME` must not turn it into a store).
    assert_lacks(&g, "uniform float mine;");
    assert_has(&g, "float mine = float(0);");
}

#[test]
fn constructs_naga_accepts_without_help() {
    frag(
        r#"{"INPUTS": [{"NAME": "n", "TYPE": "long", "VALUES": [0, 1], "LABELS": ["a", "b"]}]}"#,
        "precision highp float;\n\
         float round(float x) { return floor(x + 0.5); }\n\
         vec3 mix(vec3 a, vec3 b, bool t) { return t ? b : a; }\n\
         void main() {\n  float f = 1;\n  f = 2;\n  vec2 v = vec2(1, 2.0);\n  float s = 0.0f;\n  \
         for (float x = 0.0; x < 3.0; x += 1.0) s += x;\n  \
         switch (n) { case 0: s += 1.0; break; default: s += 2.0; break; }\n  \
         s += true ? 1 : 2.0;\n  s += max(f, 1);\n  \
         gl_FragColor = vec4(mix(vec3(0.0), vec3(1.0), s > 1.0), round(s * 0.1));\n}\n",
    );
}

#[test]
fn custom_vertex_shader_gets_the_vertex_prelude_and_flip() {
    let vs = "varying vec2 myCoord;\nvoid main() { vv_vertShaderInit(); myCoord = isf_FragNormCoord * 2.0 - 1.0; }\n";
    let d = doc(
        "{}",
        "varying vec2 myCoord;\nvoid main() { gl_FragColor = vec4(myCoord, 0.0, 1.0); }\n",
    );
    let (_, v) = compiled(&d, Some(vs));
    assert_has(&v, "void isf_vertShaderInit() {");
    assert_has(
        &v,
        "isf_vertShaderInit(); myCoord = isf_FragNormCoord * 2.0 - 1.0;",
    );
    assert_has(&v, "isf_user_main(); gl_Position.y = -gl_Position.y; }");
}

#[test]
fn errors_in_rewritten_code_map_to_the_user_token() {
    // The error is inside text the rewriter generated (an IMG_PIXEL expansion): it must still
    // point at the user's line, never at a generated one.
    let d = doc(
        r#"{"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]}"#,
        "void main() {\n  gl_FragColor = IMG_PIXEL(inputImage, undefinedCoord);\n}\n",
    );
    let err = isfkit_glsl::compile(&d, None).unwrap_err();
    let d0 = &err.diagnostics[0].diagnostic;
    assert_eq!(d0.line, 3, "{}", err.render("t.fs", "t.vs"));
    assert!(d0.message.contains("undefinedCoord"), "{}", d0.message);
}

/// `IMG_PIXEL( , uv)` with an empty image argument is a compile error at the user's line,
/// not a panic in the rewriter (a slice whose start is after its end).
#[test]
fn empty_image_argument_is_a_compile_error_not_a_panic() {
    let src = "/*{ \"ISFVSN\": \"2\", \"INPUTS\": [{\"NAME\": \"inputImage\", \"TYPE\": \"image\"}] }*/\nvoid main() {\n    gl_FragColor = IMG_PIXEL( , gl_FragCoord.xy);\n}\n";
    let doc = isfkit_format::IsfDocument::parse(src).unwrap();
    let err = isfkit_glsl::compile(&doc, None).expect_err("an empty image argument cannot compile");
    assert_eq!(err.diagnostics[0].diagnostic.line, 3, "{err}");
}

/// Texture reads in a vertex shader (legal in GL 2.x, where the base level is read): naga
/// refused the implicit level at that stage ("Uses operations forbidden at this stage ...
/// please report this"). They read level 0 explicitly now.
#[test]
fn vertex_shaders_read_textures_at_the_base_level() {
    let d = doc(
        r#"{"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]}"#,
        "varying vec4 c;\nvoid main() { gl_FragColor = c + IMG_NORM_PIXEL(inputImage, vec2(0.5)); }\n",
    );
    let vs = "varying vec4 c;\nvoid main() {\n  isf_vertShaderInit();\n  \
              c = IMG_NORM_PIXEL(inputImage, isf_FragNormCoord) + IMG_PIXEL(inputImage, vec2(1.0))\n    \
              + texture2D(inputImage, vec2(0.5)) + texture2DProj(inputImage, vec3(0.5, 0.5, 1.0));\n}\n";
    let (f, v) = compiled(&d, Some(vs));
    assert_has(
        &v,
        "textureLod(sampler2D(inputImage, isf_sampler), (isf_FragNormCoord), 0.0)",
    );
    assert_has(
        &v,
        "textureLod(sampler2D(inputImage, isf_sampler), (vec2(1.0)) / _inputImage_imgSize, 0.0)",
    );
    assert_has(
        &v,
        "textureLod(sampler2D(inputImage, isf_sampler), vec2(0.5), 0.0)",
    );
    assert_has(
        &v,
        "textureProjLod(sampler2D(inputImage, isf_sampler), vec3(0.5, 0.5, 1.0), 0.0)",
    );
    // The fragment shader keeps implicit levels.
    assert_has(
        &f,
        "texture(sampler2D(inputImage, isf_sampler), (vec2(0.5)))",
    );
}

/// IMG_THIS_PIXEL in a vertex shader (VVISF does not expand it there either): a clear error
/// at its place, not "Unknown function 'textureLod'".
#[test]
fn img_this_pixel_in_a_vertex_shader_is_an_error() {
    let d = doc(
        r#"{"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]}"#,
        "varying vec4 c;\nvoid main() { gl_FragColor = c; }\n",
    );
    let vs = "varying vec4 c;\nvoid main() {\n  isf_vertShaderInit();\n  c = IMG_THIS_PIXEL(inputImage);\n}\n";
    let e = isfkit_glsl::translate(&d, Some(vs)).unwrap_err();
    assert_eq!(
        e.render("t.fs", "t.vs").lines().next().unwrap(),
        "t.vs:4:7: error: IMG_THIS_PIXEL belongs to the fragment shader (a vertex has no pixel of its own); use IMG_NORM_PIXEL(inputImage, isf_FragNormCoord)"
    );
}
