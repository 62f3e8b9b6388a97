//! `isf convert`, and the other commands reading Shadertoy, GLSL Sandbox and gl-transitions
//! files directly.

mod common;

use common::*;

fn dialects_dir() -> std::path::PathBuf {
    shaders_dir().join("../dialects")
}

const SHADERTOY: &str = "// A Shadertoy shader\nvoid mainImage(out vec4 fragColor, in vec2 fragCoord) {\n    fragColor = vec4(fragCoord / iResolution.xy, 0.5, 1.0);\n}\n";

#[test]
fn the_gl_transitions_package_converts_into_a_folder_of_valid_isf_files() {
    let dir = Dir::new("convert-package");
    let package = dialects_dir().join("gl-transitions/gl-transitions.json");
    let package = package.to_str().unwrap();
    let o = dir.output(&["convert", package, "-o", "out/"]);
    assert_success(&o);
    assert!(
        stderr(&o).ends_with("wrote 125 ISF files to out/\n"),
        "{}",
        stderr(&o)
    );
    let files = std::fs::read_dir(dir.join("out")).unwrap().count();
    assert_eq!(files, 125);
    for name in ["fade.fs", "GridFlip.fs", "Mosaic.fs", "luma.fs"] {
        let o = dir.output(&["validate", &format!("out/{name}")]);
        assert_success(&o);
    }
    let mosaic = std::fs::read_to_string(dir.join("out/Mosaic.fs")).unwrap();
    assert!(
        mosaic.contains(r#"{"NAME":"endx","TYPE":"long","DEFAULT":2,"MIN":0,"MAX":10}"#),
        "{mosaic}"
    );
    // Many shaders and no folder: nothing is written.
    let o = dir.output(&["convert", package, "-o", "one.fs"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        format!("error: {package} holds 125 shaders: -o must name a folder (end it with /)\n")
    );
    assert!(!dir.join("one.fs").exists());
}

#[test]
fn a_shadertoy_file_converts_to_stdout_or_a_file_and_renders_directly() {
    let dir = Dir::new("convert-shadertoy");
    dir.write("wave.glsl", SHADERTOY);
    let o = dir.output(&["convert", "wave.glsl"]);
    assert_success(&o);
    let isf = String::from_utf8(o.stdout).unwrap();
    assert!(isf.starts_with("/*{\n    \"ISFVSN\": \"2\","), "{isf}");
    assert!(isf.contains("\n// A Shadertoy shader\n"), "{isf}");
    assert_success(&dir.output(&["convert", "wave.glsl", "-o", "wave.fs"]));
    assert_eq!(std::fs::read_to_string(dir.join("wave.fs")).unwrap(), isf);
    // Rendered directly and converted: the same picture.
    assert_success(&dir.output(&[
        "render",
        "wave.glsl",
        "-o",
        "direct.png",
        "--size",
        "32x16",
        "-q",
    ]));
    assert_success(&dir.output(&[
        "render",
        "wave.fs",
        "-o",
        "converted.png",
        "--size",
        "32x16",
        "-q",
    ]));
    let a = image::open(dir.join("direct.png")).unwrap().to_rgba8();
    let b = image::open(dir.join("converted.png")).unwrap().to_rgba8();
    assert_eq!(a, b);
    // Bottom-left pixel centre: fragCoord (0.5, 0.5) of 32x16.
    assert_eq!(a.get_pixel(0, 15).0, [4, 8, 128, 255]);
}

#[test]
fn convert_errors_name_the_problem_and_write_nothing() {
    let dir = Dir::new("convert-errors");
    dir.write("plain.glsl", "void main() { gl_FragColor = vec4(1.0); }\n");
    let o = dir.output(&["convert", "plain.glsl", "-o", "plain.fs"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("plain.glsl: error: cannot tell which dialect this is"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.join("plain.fs").exists());
    // --from names it: a GLSL Sandbox shader that declares none of the page's uniforms.
    assert_success(&dir.output(&[
        "convert",
        "plain.glsl",
        "--from",
        "glslsandbox",
        "-o",
        "plain.fs",
    ]));
    assert!(dir.join("plain.fs").exists());
    let o = dir.output(&["convert", "missing.glsl"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("error: cannot read missing.glsl: "),
        "{}",
        stderr(&o)
    );
    let o = dir.output(&["convert", "plain.glsl", "--from", "hlsl"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown dialect 'hlsl'"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn common_code_joins_a_bare_shadertoy_file() {
    let dir = Dir::new("convert-common");
    dir.write(
        "common.glsl",
        "float half_of(float x) { return x * 0.5; }\n",
    );
    dir.write(
        "image.glsl",
        "void mainImage(out vec4 c, in vec2 f) { c = vec4(half_of(1.0)); }\n",
    );
    let o = dir.output(&[
        "convert",
        "image.glsl",
        "--common",
        "common.glsl",
        "-o",
        "image.fs",
    ]);
    assert_success(&o);
    assert_success(&dir.output(&["validate", "image.fs"]));
    // Without it the function is unknown, at the user's line.
    let o = dir.output(&["validate", "image.glsl"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("image.glsl:1:50: error: Unknown function 'half_of'"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_transition_renders_directly_with_its_images() {
    let dir = Dir::new("convert-transition");
    dir.write(
        "wipe.glsl",
        "// Author: test\n// License: MIT\nuniform float edge; // = 0.5\nvec4 transition(vec2 uv) {\n  return uv.x < progress ? getToColor(uv) : getFromColor(uv);\n}\n",
    );
    let red = dir.join("red.png");
    let blue = dir.join("blue.png");
    image::RgbaImage::from_pixel(4, 4, image::Rgba([255, 0, 0, 255]))
        .save(&red)
        .unwrap();
    image::RgbaImage::from_pixel(4, 4, image::Rgba([0, 0, 255, 255]))
        .save(&blue)
        .unwrap();
    let o = dir.output(&[
        "render",
        "wipe.glsl",
        "-o",
        "mid.png",
        "--size",
        "20x10",
        "-q",
        "--image",
        "startImage=red.png",
        "--image",
        "endImage=blue.png",
        "--set",
        "progress=0.5",
    ]);
    assert_success(&o);
    let img = image::open(dir.join("mid.png")).unwrap().to_rgba8();
    assert_eq!(img.get_pixel(2, 5).0, [0, 0, 255, 255]);
    assert_eq!(img.get_pixel(17, 5).0, [255, 0, 0, 255]);
    let info = json(&dir.output(&["info", "wipe.glsl"]));
    assert_eq!(info["credit"], "test (license: MIT)");
    assert_eq!(info["dialect"], "gl-transition");
    assert_eq!(info["soundPass"], false);
    assert_eq!(info["inputs"][3]["name"], "edge");
}

#[test]
fn a_batch_job_renders_shadertoy_and_transition_entries() {
    let dir = Dir::new("convert-batch");
    dir.write("wave.glsl", SHADERTOY);
    dir.write(
        "fade.glsl",
        "vec4 transition(vec2 uv) {\n  return mix(getFromColor(uv), getToColor(uv), progress);\n}\n",
    );
    dir.write(
        "job.yaml",
        "defaults:\n  size: 32x16\njobs:\n  - shader: wave.glsl\n    output: out/wave.png\n  - shader: fade.glsl\n    output: out/fade.png\n    inputs: {progress: 1.0}\n",
    );
    let o = dir.output(&["batch", "job.yaml", "--quiet"]);
    assert_success(&o);
    let wave = image::open(dir.join("out/wave.png")).unwrap().to_rgba8();
    assert_eq!(wave.get_pixel(0, 15).0, [4, 8, 128, 255]);
    // No images set: both are transparent black, and so is the mix.
    let fade = image::open(dir.join("out/fade.png")).unwrap().to_rgba8();
    assert_eq!(fade.get_pixel(5, 5).0, [0, 0, 0, 0]);
}

#[test]
fn validate_names_the_pass_of_a_shadertoy_json_error() {
    let dir = Dir::new("convert-validate");
    let src = dialects_dir().join("shadertoy/broken_buffer.json");
    std::fs::copy(&src, dir.join("broken.json")).unwrap();
    let o = dir.output(&["validate", "broken.json"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "broken.json:Buffer B:3:14: error: Unknown variable: glow\n    3 |     o = vec4(glow);\n      |              ^\n"
    );
    let v = json(&dir.output(&["validate", "broken.json", "--json"]));
    assert_eq!(v["errors"][0]["place"], "Buffer B");
    assert_eq!(v["errors"][0]["line"], 3);
}

#[test]
fn a_bare_shadertoy_files_channels_are_image_inputs() {
    let dir = Dir::new("convert-channels");
    dir.write(
        "tex.glsl",
        "void mainImage(out vec4 c, in vec2 f) { c = texture(iChannel1, f / iResolution.xy); }\n",
    );
    image::RgbaImage::from_pixel(2, 2, image::Rgba([0, 255, 0, 255]))
        .save(dir.join("green.png"))
        .unwrap();
    let o = dir.output(&[
        "render",
        "tex.glsl",
        "-o",
        "out.png",
        "--size",
        "8x8",
        "-q",
        "--image",
        "iChannel1=green.png",
    ]);
    assert_success(&o);
    let img = image::open(dir.join("out.png")).unwrap().to_rgba8();
    assert_eq!(img.get_pixel(4, 4).0, [0, 255, 0, 255]);
}

#[test]
fn shadertoy_media_beside_the_file_are_imported_images() {
    let dir = Dir::new("convert-media");
    let code =
        "void mainImage(out vec4 c, in vec2 f) { c = texture(iChannel0, f / iResolution.xy); }";
    let json = serde_json::json!({"Shader": {"info": {"id": "media", "name": "media"}, "renderpass": [
        {"type": "image", "name": "Image", "code": code, "outputs": [],
         "inputs": [{"id": "1", "src": "/media/a/red.png", "ctype": "texture", "channel": 0,
                     "sampler": {"filter": "mipmap", "wrap": "repeat", "vflip": "true"}}]}]}});
    dir.write("shader.json", json.to_string());
    // Not there: one warning names the input to set, and it is black.
    let o = dir.output(&[
        "render",
        "shader.json",
        "-o",
        "none.png",
        "--size",
        "8x8",
        "-q",
    ]);
    assert_success(&o);
    assert!(stderr(&o).contains("iChannel0 (red.png)"), "{}", stderr(&o));
    std::fs::create_dir_all(dir.join("media")).unwrap();
    image::RgbaImage::from_pixel(2, 2, image::Rgba([255, 0, 0, 255]))
        .save(dir.join("media/red.png"))
        .unwrap();
    // In media/ beside the file: found by its name.
    let o = dir.output(&[
        "render",
        "shader.json",
        "-o",
        "red.png",
        "--size",
        "8x8",
        "-q",
    ]);
    assert_success(&o);
    let img = image::open(dir.join("red.png")).unwrap().to_rgba8();
    assert_eq!(img.get_pixel(4, 4).0, [255, 0, 0, 255]);
    // Converted next to it: the IMPORTED path is relative, and renders the same.
    assert_success(&dir.output(&["convert", "shader.json", "-o", "shader.fs"]));
    let isf = std::fs::read_to_string(dir.join("shader.fs")).unwrap();
    assert!(
        isf.contains(
            "\"IMPORTED\": {\n        \"iChannel0\": {\"PATH\": \"media/red.png\", \"FILTER\": \"mipmap\", \"WRAP\": \"repeat\"}\n    }"
        ),
        "{isf}"
    );
    assert_success(&dir.output(&[
        "render",
        "shader.fs",
        "-o",
        "again.png",
        "--size",
        "8x8",
        "-q",
    ]));
    let again = image::open(dir.join("again.png")).unwrap().to_rgba8();
    assert_eq!(again, img);
    // Converted into another folder from a bare file name: the media is found beside the
    // source (the current folder), and the path still reaches it from the ISF file.
    std::fs::create_dir_all(dir.join("out")).unwrap();
    assert_success(&dir.output(&["convert", "shader.json", "-o", "out/shader.fs"]));
    assert_success(&dir.output(&[
        "render",
        "out/shader.fs",
        "-o",
        "out.png",
        "--size",
        "8x8",
        "-q",
    ]));
    let out = image::open(dir.join("out.png")).unwrap().to_rgba8();
    assert_eq!(out, img);
}
