//! GLSL 1.x as desktop drivers read it, rendered: renamed GLSL 1.x names, `pow` with an integer literal exponent.

mod common;

use common::*;
use isfkit_render::{RenderOptions, Value};

#[test]
fn pow_of_a_negative_constant_base_is_a_product() {
    let (engine, scene) = test_scene(
        "/*{ \"ISFVSN\": \"2\" }*/\nvoid main() { gl_FragColor = vec4(-pow(-0.5, 3.0), pow(-0.5, 2.0), 1.0 / -pow(-2.0, -1.0) / 8.0, 1.0); }\n",
    );
    let f = scene.render(&RenderOptions::new(8, 8, 0.0)).unwrap();
    // 0.125 -> 32, 0.25 -> 64, 2/8 -> 64.
    assert_eq!(bytes(f.pixel(3, 3)), [32, 64, 64, 255]);
    drop(scene);
    shutdown_clean(&engine);
}

/// The heart curve `(x² + y² - 1)³ - x² y³ <= 0`: inside the unit circle its `pow` base is
/// negative. With `pow` as exp2(3 * log2(base)) that is NaN and the heart is not drawn; desktop
/// drivers multiply and draw all of it.
#[test]
fn heart_with_a_negative_non_constant_base_is_drawn_whole() {
    let (engine, scene) = test_scene(
        "/*{ \"ISFVSN\": \"2\" }*/\n\
             void main() {\n\
               vec2 p = (isf_FragNormCoord - 0.5) * 3.0;\n\
               float a = p.x * p.x + p.y * p.y - 1.0;\n\
               float h = pow(a, 3.0) - p.x * p.x * p.y * p.y * p.y;\n\
               gl_FragColor = vec4(h <= 0.0 ? 1.0 : 0.0, 0.0, 0.0, 1.0);\n\
             }\n",
    );
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
    shutdown_clean(&engine);
}

#[test]
fn texture_function_and_sample_names_render() {
    let (engine, scene) = test_scene(
        "/*{ \"ISFVSN\": \"2\", \"INPUTS\": [\n\
               { \"NAME\": \"inputImage\", \"TYPE\": \"image\" },\n\
               { \"NAME\": \"sample\", \"TYPE\": \"float\", \"DEFAULT\": 0.0 },\n\
               { \"NAME\": \"filter\", \"TYPE\": \"image\" } ] }*/\n\
             vec4 texture(sampler2D img, vec2 uv) { return texture2D(img, uv) * 0.5; }\n\
             void main() {\n\
               highp float smooth = 0.5;\n\
               gl_FragColor = vec4(texture(inputImage, isf_FragNormCoord).r, sample, smooth, IMG_THIS_PIXEL(filter).a);\n\
             }\n",
    );
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
    shutdown_clean(&engine);
}

/// Type words that come before a declared name (`float name = ...`, `vec3 name(...)`).
const DECL_TYPES: &[&str] = &[
    "void", "float", "int", "bool", "vec2", "vec3", "vec4", "ivec2", "ivec3", "ivec4", "bvec2",
    "bvec3", "bvec4", "mat2", "mat3", "mat4",
];

/// One user-declared local, global or function name of `code` (the GLSL after the header)
/// that is safe to rename everywhere it appears as a token: declared after a type word, not
/// `main`, not an interface variable, never after a `.`, absent from the header and from the
/// vertex shader (a varying's name must match across stages).
fn renamable_name(
    code: &str,
    header: &str,
    vertex: Option<&str>,
) -> Option<(String, Vec<(usize, usize)>)> {
    use isfkit_render::glsl::lex::{strip_comments, tokenize, Kind};
    let src = strip_comments(code);
    let toks = tokenize(&src);
    let text = |i: usize| &src[toks[i].start..toks[i].end];
    let vs_words: Vec<String> = vertex
        .map(|v| {
            let v = strip_comments(v);
            tokenize(&v)
                .iter()
                .map(|t| v[t.start..t.end].to_owned())
                .collect()
        })
        .unwrap_or_default();
    let mut candidates = Vec::new();
    for (i, t) in toks
        .iter()
        .enumerate()
        .take(toks.len().saturating_sub(1))
        .skip(1)
    {
        if t.kind != Kind::Ident || t.directive {
            continue;
        }
        let name = text(i);
        let interface = i >= 2
            && matches!(
                text(i - 2),
                "uniform" | "varying" | "in" | "out" | "attribute" | "inout" | "const"
            );
        if DECL_TYPES.contains(&text(i - 1))
            && matches!(text(i + 1), "(" | "=" | ";" | "," | "[")
            && !interface
            && name != "main"
            && !name.starts_with("gl_")
            && !name.starts_with("isf_")
            && !name.starts_with("vv_")
            && !header.contains(name)
            && !vs_words.iter().any(|w| w == name)
            && !candidates.contains(&name)
        {
            candidates.push(name);
        }
    }
    candidates.into_iter().find_map(|name| {
        let uses: Vec<usize> = (0..toks.len())
            .filter(|&i| toks[i].kind == Kind::Ident && text(i) == name)
            .collect();
        if uses.iter().any(|&i| i > 0 && text(i - 1) == ".") {
            return None;
        }
        Some((
            name.to_owned(),
            uses.iter().map(|&i| (toks[i].start, toks[i].end)).collect(),
        ))
    })
}

/// As a property over every test shader (tests/shaders, not bad/): translation is
/// deterministic and naga validates it; renaming one user identifier everywhere (chosen with
/// the lexer) leaves the rendered pixels exactly as they were.
#[test]
fn property_translation_is_deterministic_and_renaming_keeps_pixels() {
    use isfkit_render::format::InputType;
    use isfkit_render::Program;

    let dir = repo_root().join("tests/shaders");
    let tmp =
        std::env::temp_dir().join(format!("isfkit-desktop-glsl-rename-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).unwrap();
    let mut shaders = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            // Siblings (.vs, IMPORTED images) go along so the renamed copy loads the same.
            std::fs::copy(&path, tmp.join(path.file_name().unwrap())).unwrap();
            if path.extension().is_some_and(|e| e == "fs") {
                shaders.push(path);
            }
        }
    }
    shaders.sort();
    assert!(shaders.len() >= 10, "{shaders:?}");
    let engine = test_engine();
    let mut opts = RenderOptions::new(32, 24, 0.5);
    opts.date = Some([2024.0, 6.0, 15.0, 3600.0]);
    let render = |path: &std::path::Path| {
        let scene = engine
            .load(path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for input in &scene.document().inputs {
            if matches!(input.ty, InputType::Image) {
                scene.set_image(&input.name, quadrant_image()).unwrap();
            }
        }
        let frame = scene.render(&opts).unwrap();
        (frame, scene.generated_glsl())
    };
    let mut renamed = Vec::new();
    for path in &shaders {
        let name = path.file_name().unwrap().to_str().unwrap();
        let a = Program::load(path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let b = Program::load(path).unwrap();
        assert_eq!(
            a.translation.fragment.glsl, b.translation.fragment.glsl,
            "{name}"
        );
        assert_eq!(
            a.translation.vertex.glsl, b.translation.vertex.glsl,
            "{name}"
        );

        let source = &a.doc.source;
        let code = &a.doc.code;
        // `code` is the header's lines blanked to newlines, then the rest of the file.
        let header_end = (0..=source.len())
            .find(|&end| {
                source.is_char_boundary(end)
                    && source[..end].matches('\n').count() + source.len() - end == code.len()
                    && code.ends_with(&source[end..])
            })
            .expect("the code is the file after its header");
        let blank = code.len() - (source.len() - header_end);
        let Some((word, uses)) =
            renamable_name(code, &source[..header_end], a.vertex_source.as_deref())
        else {
            continue;
        };
        let fresh = format!("zq_renamed_{word}");
        assert!(!source.contains(&fresh));
        let mut new_code = String::new();
        let mut at = 0;
        for &(s, e) in &uses {
            new_code.push_str(&code[at..s]);
            new_code.push_str(&fresh);
            at = e;
        }
        new_code.push_str(&code[at..]);
        let copy = tmp.join(name);
        std::fs::write(
            &copy,
            format!("{}{}", &source[..header_end], &new_code[blank..]),
        )
        .unwrap();
        let (fa, ga) = render(path);
        let (fb, gb) = render(&copy);
        assert_ne!(ga, gb, "{name}: renaming {word} changed nothing");
        assert_eq!(
            max_diff(&fa, &fb),
            0,
            "{name}: renaming {word} changed the pixels"
        );
        renamed.push(format!("{name}:{word}"));
    }
    let _ = std::fs::remove_dir_all(&tmp);
    shutdown_clean(&engine);
    // Most test shaders declare a renamable name; the property is vacuous otherwise.
    assert!(
        renamed.len() * 2 >= shaders.len(),
        "renamed only {renamed:?}"
    );
    eprintln!("renamed: {renamed:?}");
}

/// [`AdapterLimits::check`] names the limit each problem meets (GPU-free, with
/// made-up limits).
#[test]
fn limits_check_names_the_limit() {
    use isfkit_render::format::IsfDocument;
    use isfkit_render::AdapterLimits;
    let inputs: Vec<String> = (0..5)
        .map(|i| format!("{{ \"NAME\": \"img{i}\", \"TYPE\": \"image\" }}"))
        .collect();
    let doc = IsfDocument::parse(&format!(
        "/*{{ \"ISFVSN\": \"2\", \"INPUTS\": [{}], \"PASSES\": [ {{ \"TARGET\": \"t\", \"WIDTH\": \"$WIDTH * 2.0\", \"HEIGHT\": \"10\" }}, {{}} ] }}*/\n\
         void main() {{ gl_FragColor = IMG_THIS_PIXEL(img0) + IMG_THIS_PIXEL(t); }}\n",
        inputs.join(", ")
    ))
    .unwrap();
    let program = isfkit_render::glsl::compile(&doc, None).unwrap();
    let limits = AdapterLimits {
        adapter: "test".into(),
        max_texture_dimension_2d: 1000,
        max_sampled_textures_per_shader_stage: 4,
        max_uniform_buffer_binding_size: 65536,
    };
    assert_eq!(
        limits.check(&program, Some((600, 400)), &|_| None),
        [
            "the shader binds 6 textures in each pass (image and audio inputs, pass targets, IMPORTED images), but the adapter allows 4 (max_sampled_textures_per_shader_stage)",
            "pass 0 (t): WIDTH $WIDTH * 2.0 is 1200, over the adapter's 1000 pixels per side (max_texture_dimension_2d)",
        ]
    );
    assert_eq!(limits.check(&program, Some((400, 400)), &|_| None).len(), 1);
    assert_eq!(
        limits.check(&program, Some((1001, 1)), &|_| None).len(),
        3,
        "render size and pass 0"
    );
}

/// IMG_THIS_PIXEL follows the vertex stage, as in VVISF: a vertex shader that turns the quad
/// a quarter turn turns the image with it. (It sampled at `gl_FragCoord / RENDERSIZE`, so the
/// image stayed upright whatever the vertex shader did.)
#[test]
fn img_this_pixel_follows_a_rotating_vertex_shader() {
    let engine = test_engine();
    let fs = "/*{ \"ISFVSN\": \"2\", \"INPUTS\": [{ \"NAME\": \"inputImage\", \"TYPE\": \"image\" }] }*/\n\
              void main() { gl_FragColor = IMG_THIS_PIXEL(inputImage) * 0.5 + IMG_THIS_NORM_PIXEL(inputImage) * 0.5; }\n";
    // A quarter turn counter-clockwise: (x, y) -> (-y, x).
    let vs = "void main() {\n\tisf_vertShaderInit();\n\tgl_Position.xy = vec2(-gl_Position.y, gl_Position.x);\n}\n";
    let render = |vertex: Option<&str>| {
        let scene = engine.load_source(fs, vertex).unwrap();
        scene.set_image("inputImage", quadrant_image()).unwrap();
        let f = scene.render(&RenderOptions::new(32, 32, 0.0)).unwrap();
        // Quadrant colours at the four corners: (top-left, top-right, bottom-left, bottom-right).
        let corners = [(4, 4), (27, 4), (4, 27), (27, 27)].map(|(x, y)| bytes(f.pixel(x, y)));
        drop(scene);
        corners
    };
    let (red, green, blue, white) = (
        [255, 0, 0, 255],
        [0, 255, 0, 255],
        [0, 0, 255, 255],
        [255, 255, 255, 255],
    );
    assert_eq!(render(None), [red, green, blue, white], "upright");
    // Turned a quarter counter-clockwise, the top-right (green) corner is now top-left, etc.
    assert_eq!(
        render(Some(vs)),
        [green, white, red, blue],
        "turned with the quad"
    );
    shutdown_clean(&engine);
}
