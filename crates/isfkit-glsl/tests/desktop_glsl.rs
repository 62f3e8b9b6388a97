//! GLSL 1.x as desktop drivers read it (the rewriter's part): GLSL 1.x vocabulary, precision qualifiers, `pow` with an
//! integer literal exponent, ISF built-in names in the header, non-UTF-8 bytes, `#include`
//! and NUL bytes. GPU-free: translate and validate with naga.

use isfkit_format::IsfDocument;
use isfkit_glsl::{compile, words};

fn doc(header: &str, code: &str) -> IsfDocument {
    IsfDocument::parse(&format!("/*{header}*/\n{code}")).unwrap()
}

fn compiles(header: &str, code: &str) -> Result<(), String> {
    let d = doc(header, code);
    compile(&d, None).map(|_| ()).map_err(|e| e.to_string())
}

const V2: &str = r#"{ "ISFVSN": "2" }"#;

#[test]
fn every_renamed_word_works_in_every_role() {
    let mut failures = Vec::new();
    for w in words::all_renamed() {
        let cases = [
            ("local", V2.to_owned(), format!("void main() {{ float {w} = 0.5; gl_FragColor = vec4({w}); }}")),
            ("two locals", V2.to_owned(), format!("void main() {{ float a = 0.5, {w} = a; gl_FragColor = vec4({w}); }}")),
            ("global", V2.to_owned(), format!("float {w} = 0.25;\nvoid main() {{ {w} += 0.25; gl_FragColor = vec4({w}); }}")),
            ("function", V2.to_owned(), format!("float {w}(float x) {{ return x * 2.0; }}\nvoid main() {{ gl_FragColor = vec4({w}(0.25)); }}")),
            ("prototype", V2.to_owned(), format!("vec4 {w}(vec2 p);\nvoid main() {{ gl_FragColor = {w}(vec2(0.5)); }}\nvec4 {w}(vec2 p) {{ return vec4(p, 0.0, 1.0); }}")),
            ("parameter", V2.to_owned(), format!("float f(float {w}) {{ return {w} * 2.0; }}\nvoid main() {{ gl_FragColor = vec4(f(0.25)); }}")),
            ("struct field", V2.to_owned(), format!("struct S {{ float {w}; }};\nvoid main() {{ S s; s.{w} = 0.5; gl_FragColor = vec4(s.{w}); }}")),
            ("struct name", V2.to_owned(), format!("struct {w} {{ float a; }};\nvoid main() {{ {w} s; s.a = 0.5; gl_FragColor = vec4(s.a); }}")),
            ("macro", V2.to_owned(), format!("#define {w} 0.5\nvoid main() {{ gl_FragColor = vec4({w}); }}")),
            ("float input", format!(r#"{{ "ISFVSN": "2", "INPUTS": [{{ "NAME": "{w}", "TYPE": "float", "DEFAULT": 0.5 }}] }}"#), format!("void main() {{ gl_FragColor = vec4({w}); }}")),
            ("bool input", format!(r#"{{ "ISFVSN": "2", "INPUTS": [{{ "NAME": "{w}", "TYPE": "bool" }}] }}"#), format!("void main() {{ gl_FragColor = vec4({w} ? 1.0 : 0.0); }}")),
            ("image input", format!(r#"{{ "ISFVSN": "2", "INPUTS": [{{ "NAME": "{w}", "TYPE": "image" }}] }}"#), format!("void main() {{ gl_FragColor = IMG_THIS_PIXEL({w}) + texture2D({w}, vec2(0.5)) + IMG_PIXEL({w}, vec2(1.0)) * IMG_SIZE({w}).x; }}")),
            ("pass target", format!(r#"{{ "ISFVSN": "2", "PASSES": [{{ "TARGET": "{w}" }}, {{}}] }}"#), format!("void main() {{ gl_FragColor = PASSINDEX == 0 ? vec4(0.5) : IMG_NORM_PIXEL({w}, isf_FragNormCoord); }}")),
            ("varying", V2.to_owned(), format!("varying vec2 {w};\nvoid main() {{ gl_FragColor = vec4({w}, 0.0, 1.0); }}")),
        ];
        for (role, header, code) in cases {
            if let Err(e) = compiles(&header, &code) {
                failures.push(format!("{w} as {role}: {e}\n  {code}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn inputs_named_like_glsl_120_keywords_are_renamed_in_the_block() {
    for w in [
        "in",
        "float",
        "struct",
        "switch",
        "lowp",
        "precision",
        "gl_Thing",
    ] {
        let header = format!(
            r#"{{ "ISFVSN": "2", "INPUTS": [{{ "NAME": "{w}", "TYPE": "float" }}, {{ "NAME": "b{w}", "TYPE": "bool" }}, {{ "NAME": "i{w}", "TYPE": "image" }}] }}"#
        );
        compiles(&header, "void main() { gl_FragColor = vec4(1.0); }")
            .unwrap_or_else(|e| panic!("input {w}: {e}"));
    }
    // Reserved words naga reads as names, and gl_ names, are renamed in the code too.
    for w in ["half", "input", "output", "class", "long", "gl_Thing"] {
        let header = format!(
            r#"{{ "ISFVSN": "2", "INPUTS": [{{ "NAME": "{w}", "TYPE": "float" }}], "PASSES": [{{ "TARGET": "t{w}" }}, {{}}] }}"#
        );
        compiles(
            &header,
            &format!("void main() {{ gl_FragColor = vec4({w}) + IMG_THIS_PIXEL(t{w}); }}"),
        )
        .unwrap_or_else(|e| panic!("input {w}: {e}"));
        let header = format!(
            r#"{{ "ISFVSN": "2", "PASSES": [{{ "TARGET": "{w}", "PERSISTENT": true }}, {{}}] }}"#
        );
        compiles(
            &header,
            &format!("void main() {{ gl_FragColor = IMG_THIS_PIXEL({w}); }}"),
        )
        .unwrap_or_else(|e| panic!("target {w}: {e}"));
    }
}

#[test]
fn layout_keeps_isf_names_for_the_engine() {
    let d = doc(
        r#"{ "ISFVSN": "2", "INPUTS": [{ "NAME": "sample", "TYPE": "float" }, { "NAME": "texture", "TYPE": "image" }, { "NAME": "in", "TYPE": "bool" }] }"#,
        "void main() { gl_FragColor = vec4(sample) + IMG_THIS_PIXEL(texture); }",
    );
    let p = compile(&d, None).unwrap();
    let layout = &p.translation.layout;
    let f = layout
        .fields
        .iter()
        .find(|f| f.role == isfkit_glsl::FieldRole::Input("sample".into()))
        .unwrap();
    assert_eq!(f.glsl_name, "isf_id_sample");
    let t = layout.texture("texture").unwrap();
    assert_eq!(t.glsl_name, "isf_id_texture");
    assert!(layout
        .fields
        .iter()
        .any(|f| f.role == isfkit_glsl::FieldRole::Input("in".into())));
}

#[test]
fn user_function_named_texture_and_local_named_sample() {
    let header = r#"{ "ISFVSN": "2", "INPUTS": [{ "NAME": "inputImage", "TYPE": "image" }] }"#;
    let code = "vec4 texture(sampler2D img, vec2 uv) { return texture2D(img, uv) * 0.5; }\n\
                void main() {\n  float sample = 0.5;\n  gl_FragColor = texture(inputImage, isf_FragNormCoord) + sample;\n}\n";
    compiles(header, code).unwrap();
}

#[test]
fn diagnostics_name_renamed_words_as_written() {
    let d = doc(V2, "void main() {\n  float sample = 1.0;\n  vec3 v = sample.xyzw;\n  gl_FragColor = vec4(v, 1.0);\n}\n");
    let e = compile(&d, None).unwrap_err();
    let text = e.to_string();
    assert!(!text.contains("isf_id_"), "{text}");
    assert!(!text.contains("please report"), "{text}");
    assert_eq!(e.diagnostics[0].diagnostic.line, 4, "{text}");
}

#[test]
fn precision_qualifiers_everywhere() {
    let code = "precision highp float;\nprecision mediump int;\n\
                uniform lowp float unusedU;\n\
                highp float g = 0.5;\n\
                mediump vec2 f(highp float a, in lowp vec2 b) { lowp float c = a; return b * c; }\n\
                highp float h(const mediump float x) { return x; }\n\
                void main() { mediump vec2 v = f(g, vec2(1.0)); gl_FragColor = vec4(v, h(0.5), 1.0); }";
    compiles(V2, code).unwrap();
}

#[test]
fn pow_with_integer_literal_exponents() {
    let code = "void main() {\n\
                  float a = pow(-0.5, 3.0) + pow(-0.5, 2.) + pow(-2.0, 4) + pow(-0.5, -1.0) + pow(-3.0, 0.0);\n\
                  vec3 v = pow(vec3(-0.5, 0.25, 2.0), vec3(2.0)) + pow(vec3(-1.0), 3.0);\n\
                  vec2 w = pow(-isf_FragNormCoord, 5.0f) + pow(vec2(-1.5), +2.0);\n\
                  gl_FragColor = vec4(a, v.x, w);\n}\n";
    compiles(V2, code).unwrap();
    let d = doc(V2, code);
    let p = compile(&d, None).unwrap();
    let glsl = &p.translation.fragment.glsl;
    assert!(glsl.contains("isf_pow3(-0.5)"), "{glsl}");
    assert!(glsl.contains("isf_pow_neg1(-0.5)"), "{glsl}");
    assert!(
        glsl.contains("float isf_pow3(float x) { return x * x * x; }"),
        "{glsl}"
    );
    // `vecN(k)` counts as the literal k.
    assert!(glsl.contains("isf_pow2(vec3(-0.5, 0.25, 2.0))"), "{glsl}");
    assert!(
        glsl.contains("vec3 isf_pow2(vec3 x) { return x * x; }"),
        "{glsl}"
    );
    // Non-integer or large exponents stay pow.
    let d = doc(V2, "void main() { float x = isf_FragNormCoord.x; gl_FragColor = vec4(pow(x, 2.5), pow(x, 9.0), 0.0, 1.0); }");
    let p = compile(&d, None).unwrap();
    assert!(p.translation.fragment.glsl.contains("pow(x, 2.5)"));
    assert!(p.translation.fragment.glsl.contains("pow(x, 9.0)"));
}

fn header_error(header: &str) -> (u32, u32, String) {
    let e = IsfDocument::parse(&format!(
        "/*\n{header}\n*/\nvoid main() {{ gl_FragColor = vec4(1.0); }}\n"
    ))
    .unwrap_err();
    (e.diagnostic.line, e.diagnostic.column, e.diagnostic.message)
}

#[test]
fn isf_builtin_names_are_header_errors() {
    let builtins = "TIME TIMEDELTA RENDERSIZE PASSINDEX FRAMEINDEX DATE isf_FragNormCoord";
    for name in builtins.split(' ').chain(["vv_FragNormCoord", "main"]) {
        let why = if name == "main" {
            "the shader's `main` function"
        } else {
            "an ISF built-in"
        };
        let h = format!("{{ \"ISFVSN\": \"2\",\n  \"INPUTS\": [ {{ \"NAME\": \"{name}\", \"TYPE\": \"float\" }} ] }}");
        assert_eq!(
            header_error(&h),
            (
                3,
                25,
                format!("input \"{name}\" has the name of {why}; choose another name")
            )
        );
        let h = format!(
            "{{ \"ISFVSN\": \"2\",\n  \"PASSES\": [ {{ \"TARGET\": \"{name}\" }}, {{}} ] }}"
        );
        assert_eq!(
            header_error(&h),
            (
                3,
                27,
                format!("pass TARGET \"{name}\" has the name of {why}; choose another name")
            )
        );
        let h = format!(
            "{{ \"ISFVSN\": \"2\",\n  \"IMPORTED\": {{ \"{name}\": {{ \"PATH\": \"a.png\" }} }} }}"
        );
        let (line, _, msg) = header_error(&h);
        assert_eq!(
            (line, msg),
            (
                3,
                format!("imported image \"{name}\" has the name of {why}; choose another name")
            )
        );
        let h = format!("{{ \"ISFVSN\": \"2\",\n  \"IMPORTED\": [ {{ \"NAME\": \"{name}\", \"PATH\": \"a.png\" }} ] }}");
        assert_eq!(
            header_error(&h),
            (
                3,
                27,
                format!("imported image \"{name}\" has the name of {why}; choose another name")
            )
        );
    }
    // A GLSL keyword the rewriter renames is fine.
    IsfDocument::parse(
        "/*{ \"INPUTS\": [ { \"NAME\": \"sample\", \"TYPE\": \"float\" } ] }*/\nvoid main(){}",
    )
    .unwrap();
}

fn temp_file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("isfkit-desktop-glsl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn non_utf8_bytes_in_comments_are_ignored_elsewhere_an_error() {
    let mut ok = b"/*{ \"ISFVSN\": \"2\", \"DESCRIPTION\": \"caf\xE9\" }*/\n// caf\xE9 \xFF\n/* \xC3 */ void main() { gl_FragColor = vec4(1.0); }\n".to_vec();
    let p = temp_file("latin1_comment.fs", &ok);
    let d = IsfDocument::parse_file(&p).unwrap();
    assert_eq!(d.source.len(), ok.len(), "offsets are kept");
    compile(&d, None).unwrap();
    let prog = isfkit_glsl::Program::load(&p).unwrap();
    assert!(prog.translation.fragment.glsl.contains("isf_user_main"));

    ok.extend_from_slice(b"float x\xE9 = 1.0;\n");
    let p = temp_file("latin1_code.fs", &ok);
    let e = IsfDocument::parse_file(&p).unwrap_err();
    assert_eq!(
        (e.diagnostic.line, e.diagnostic.column),
        (4, 8),
        "{}",
        e.diagnostic
    );
    assert!(e.diagnostic.message.contains("0xE9"), "{}", e.diagnostic);
}

#[test]
fn include_and_nul_are_errors_at_the_users_line() {
    let d = doc(
        V2,
        "#include \"common.glsl\"\nvoid main() { gl_FragColor = vec4(1.0); }\n",
    );
    let e = compile(&d, None).unwrap_err();
    let dg = &e.diagnostics[0].diagnostic;
    assert_eq!((dg.line, dg.column), (2, 1), "{dg}");
    assert!(dg.message.contains("#include is not supported"), "{dg}");
    assert!(!e.to_string().contains("please report"));

    let d = doc(V2, "void main() {\n  gl_FragColor = vec4(1.0);\0\n}\n");
    let e = compile(&d, None).unwrap_err();
    let dg = &e.diagnostics[0].diagnostic;
    assert_eq!((dg.line, dg.column), (3, 28), "{dg}");
    assert!(dg.message.contains("NUL"), "{dg}");
    assert!(!e.to_string().contains("please report"));
}

/// Any `pow` not turned into products goes through `isf_pow`, so a negative constant
/// base with a non-integer or non-literal exponent compiles (naga folds built-in calls on
/// constants and rejects them; desktop GL compiles them, the value being undefined).
#[test]
fn pow_with_a_negative_constant_base_and_other_exponents_compiles() {
    for code in [
        "void main() { gl_FragColor = vec4(pow(-0.5, 2.5), 0.0, 0.0, 1.0); }\n",
        "const float e = 3.0;\nvoid main() { gl_FragColor = vec4(pow(-0.5, e), 0.0, 0.0, 1.0); }\n",
        "void main() { const float e = 2.5; vec3 v = pow(vec3(-0.5), vec3(e)) + pow(vec3(-1.0, 2.0, 3.0), 9.0);\n\
           vec2 w = pow(vec2(-0.5, 0.5), vec2(0.5, pow(-2.0, 1.5)));\n\
           gl_FragColor = vec4(v.x + w.y, pow(-isf_FragNormCoord, vec2(1.5)), 1.0); }\n",
        "float f(float b) { return pow(b, 0.5) + pow(-b, 10.0); }\n\
         void main() { float k = pow(2.0, pow(-1.0, 0.5)); gl_FragColor = vec4(f(-1.0), k, 0.0, 1.0); }\n",
    ] {
        compiles(V2, code).unwrap_or_else(|e| panic!("{code}\n{e}"));
        let p = compile(&doc(V2, code), None).unwrap();
        let glsl = &p.translation.fragment.glsl;
        assert!(
            glsl.contains("float isf_pow(float x, float y) { return pow(x, y); }"),
            "{glsl}"
        );
        assert!(!glsl.contains(" pow(-"), "{glsl}");
    }
    let p = compile(
        &doc(
            V2,
            "const float e = 3.0;\nvoid main() { gl_FragColor = vec4(pow(-0.5, e)); }\n",
        ),
        None,
    )
    .unwrap();
    assert!(p.translation.fragment.glsl.contains("isf_pow(-0.5, e)"));
    // A shader with only literal integer exponents gets no wrapper.
    let p = compile(
        &doc(V2, "void main() { gl_FragColor = vec4(pow(-0.5, 3.0)); }\n"),
        None,
    )
    .unwrap();
    assert!(!p.translation.fragment.glsl.contains("isf_pow("));
}
