//! Inputs found by fuzzing (`fuzz/`, target `glsl`), minimised; each was a crash, a hang or
//! an internal error ("please report this") and must stay a clear error at the user's line.

use isfkit_glsl::{LoadError, Program};

/// The rendered error of a shader that must not compile.
fn error_of(source: &str) -> String {
    match Program::from_source(source, None) {
        Ok(_) => panic!("compiled: {source}"),
        Err(e @ LoadError::Compile { .. }) => e.render(),
        Err(e) => panic!("not a compile error: {e}"),
    }
}

/// Asserts that the first line of `source`'s rendered error is `want`; the whole error.
fn assert_first_line(source: &str, want: &str) -> String {
    let text = error_of(source);
    assert_eq!(text.lines().next().unwrap(), want, "{text}");
    text
}

/// A character GLSL does not have: naga's lexer reports it without a position, which read
/// "UnexpectedCharacter (in code isfkit generated, line 0; please report this)".
#[test]
fn unexpected_characters_are_placed_in_the_users_code() {
    let src =
        "/*{\"ISFVSN\":\"2\"}*/\nvoid main() {\n\tfloat ` = 1.0;\n\tgl_FragColor = vec4(1.0);\n}\n";
    let text = error_of(src);
    assert!(
        text.starts_with("<source>:3:8: error: unexpected character '`'\n    3 | \tfloat ` = 1.0;"),
        "{text}"
    );
    assert!(!text.contains("please report"), "{text}");
    // In a comment it is no error; later, outside one, it is, at its place.
    for (code, line, col, c) in [
        (
            "// `\nvoid main() { gl_FragColor = vec4(1.0); } @",
            3,
            43,
            '@',
        ),
        (
            "/* $ */ void main() { float a = 1.0 $ 2.0; gl_FragColor = vec4(a); }",
            2,
            37,
            '$',
        ),
        ("void main() { gl_FragColor = vec4(\"1\"); }", 2, 35, '"'),
    ] {
        let text = error_of(&format!("/*{{}}*/\n{code}"));
        let want = format!("<source>:{line}:{col}: error: unexpected character '{c}'");
        assert!(text.starts_with(&want), "{code}: {text}");
    }
}

/// Numbers naga's lexer rejects, also reported without a position ("FloatParsingError (in
/// code isfkit generated, line 0; please report this)" for `3evc(...)`, a typo of `vec3`).
#[test]
fn malformed_numbers_are_placed_in_the_users_code() {
    for (expr, col, message) in [
        ("3evc(1.0)", 30, "malformed number: 3e"),
        ("vec4(1.5e+)", 35, "malformed number: 1.5e+"),
        (
            "vec4(099)",
            35,
            "invalid octal number (a leading 0 means octal): 099",
        ),
        (
            "vec4(float(99999999999999999999))",
            41,
            "the number is too large: 99999999999999999999",
        ),
        ("vec4(1.0lf)", 35, "64-bit numbers are not supported: 1.0"),
        ("vec4(float(2s))", 41, "16-bit numbers are not supported: 2"),
    ] {
        let src = format!("/*{{}}*/\nvoid main() {{ gl_FragColor = {expr}; }}");
        let text = error_of(&src);
        let want = format!("<source>:2:{col}: error: {message}");
        assert!(text.starts_with(&want), "{expr}: {text}");
        assert!(!text.contains("please report"), "{expr}: {text}");
    }
}

/// A varying of integer, bool or void type in the fragment shader: the built-in vertex shader's
/// matching output failed naga's validation, reported as "Entry point main at Vertex is
/// invalid: `@interpolate(flat) must be explicitly specified for integer I/O (in code isfkit
/// generated, line 0; please report this)".
#[test]
fn integer_and_bool_varyings() {
    for (decl, message) in [
        (
            "varying int x;",
            "<source>:2:9: error: a varying of integer type int needs the \"flat\" qualifier (flat varying int ...)",
        ),
        (
            "in ivec2 x;",
            "<source>:2:4: error: a varying of integer type ivec2 needs the \"flat\" qualifier (flat varying ivec2 ...)",
        ),
        (
            "varying bvec3 x;",
            "<source>:2:9: error: a varying cannot be of type bvec3: varyings are float, vec2-4, mat2-4 or flat integer types",
        ),
        (
            "varying void x;",
            "<source>:2:9: error: a varying cannot be of type void: varyings are float, vec2-4, mat2-4 or flat integer types",
        ),
    ] {
        let text = error_of(&format!(
            "/*{{}}*/\n{decl}\nvoid main() {{ gl_FragColor = vec4(1.0); }}\n"
        ));
        assert_eq!(text.lines().next().unwrap(), message, "{decl}: {text}");
        assert!(!text.contains("please report"), "{decl}: {text}");
    }
    // `flat` integers pass, also to the built-in vertex shader's matching output.
    for decl in [
        "flat varying int x;",
        "flat in ivec2 x;",
        "flat varying uint x;",
    ] {
        let src = format!("/*{{}}*/\n{decl}\nvoid main() {{ gl_FragColor = vec4(float(x)); }}\n");
        let src = src.replace(
            "float(x)",
            if decl.contains("ivec2") {
                "float(x.x)"
            } else {
                "float(x)"
            },
        );
        if let Err(e) = Program::from_source(&src, None) {
            panic!("{decl}: {}", e.render());
        }
    }
}

/// An invisible control character after the last `;` of `main`: naga's lexer drops it with
/// the two characters after it (the newline and `}`), and the next error, in the generated
/// code after the user's, read "Expected Semicolon, found LeftBrace (in code isfkit
/// generated, line 25; please report this)".
#[test]
fn errors_after_an_unexpected_character_are_the_users() {
    let text = error_of("/*{}*/\nvoid main() {\n\tgl_FragColor = vec4(1.0);\u{15}\n}\n");
    assert_eq!(
        text,
        "<source>:3:27: error: unexpected character '\\u{15}'\n    3 | \tgl_FragColor = vec4(1.0);\u{15}\n      | \t                         ^"
    );
}

/// A macro named `main` rewrote the generated code that calls the user's `main`: "Declaration
/// cannot have void type (in code isfkit generated, line 34; please report this)".
#[test]
fn macros_named_like_generated_functions() {
    for (define, col, name) in [
        ("#define main() vec4(1.0)", 9, "main"),
        ("#define main x", 9, "main"),
        ("#  define isf_vertShaderInit()", 11, "isf_vertShaderInit"),
    ] {
        let text = error_of(&format!(
            "/*{{}}*/\n{define}\nvoid main() {{ gl_FragColor = vec4(1.0); }}\n"
        ));
        let want = format!("<source>:2:{col}: error: a macro cannot be named \"{name}\": `main` and names starting with isf_ are the shader's entry point and isfkit's own");
        assert_eq!(text.lines().next().unwrap(), want, "{define}: {text}");
    }
}

/// naga panicked const-evaluating a texture read in a `const` global ("index out of bounds:
/// the len is 8 but the index is 20"), which aborted the fuzzer and, before the compiler
/// thread caught panics, the process.
#[test]
fn const_globals_cannot_read_textures() {
    let header = r#"/*{"INPUTS":[{"NAME":"inputImage","TYPE":"image"}]}*/"#;
    for (decl, col, read) in [
        (
            "const vec4 D = texture2D(inputImage, vec2(0.5));",
            16,
            "texture2D",
        ),
        (
            "const vec4 D = IMG_NORM_PIXEL(inputImage, vec2(0.5));",
            16,
            "IMG_NORM_PIXEL",
        ),
        (
            "const vec2 D = vec2(textureSize(inputImage, 0));",
            21,
            "textureSize",
        ),
        ("const vec4 D = texture(1);", 16, "texture"),
    ] {
        let text = error_of(&format!(
            "{header}\n{decl}\nvoid main() {{ gl_FragColor = D.xxxx; }}\n"
        ));
        let want = format!(
            "<source>:2:{col}: error: a const cannot be initialised with a texture read ({read}): drop `const`"
        );
        assert_eq!(text.lines().next().unwrap(), want, "{decl}: {text}");
    }
    // Without `const`, a global initialised from a texture is read in `main` (VVISF's way).
    let src = format!(
        "{header}\nvec4 D = texture2D(inputImage, vec2(0.5));\nvoid main() {{ gl_FragColor = D; }}\n"
    );
    assert!(Program::from_source(&src, None).is_ok());
}

/// `in`/`out` parameters of a function were collected as varyings: the built-in vertex
/// shader then declared `out v v;` for a parameter `in v v` of an unknown type, "Not
/// implemented: variable qualifier (in code isfkit generated, line 38; please report this)".
#[test]
fn function_parameters_are_not_varyings() {
    let text = error_of(
        "/*{}*/\nfloat f(in v v, out float w) { return 1.0; }\nvoid main() { gl_FragColor = vec4(1.0); }\n",
    );
    assert!(text.starts_with("<source>:2:"), "{text}");
    assert!(!text.contains("please report"), "{text}");
    let src = "/*{}*/\nfloat f(in vec2 p, out float w) { w = p.y; return p.x; }\n\
               void main() { float w; gl_FragColor = vec4(f(isf_FragNormCoord, w), w, 0.0, 1.0); }\n";
    let p = Program::from_source(src, None).unwrap();
    assert!(
        !p.translation.vertex.glsl.contains(" p;"),
        "{}",
        p.translation.vertex.glsl
    );
}

/// `gl_Position` in a fragment shader: "Entry point main at Fragment is invalid: Built-in
/// Position { invariant: false } is not available at this stage (in code isfkit generated,
/// line 0; please report this)".
#[test]
fn built_ins_of_the_other_stage() {
    assert_first_line(
        "/*{}*/\nvoid main() {\n\tgl_Position += 0.0;\n\tgl_FragColor = vec4(1.0);\n}\n",
        "<source>:3:2: error: gl_Position belongs to the vertex shader; this stage cannot use it",
    );
    let vs = "void main() {\n\tisf_vertShaderInit();\n\tgl_FragColor = vec4(1.0);\n}\n";
    match Program::from_source("/*{}*/\nvoid main() { gl_FragColor = vec4(1.0); }\n", Some(vs)) {
        Err(e @ LoadError::Compile { .. }) => assert_eq!(
            e.render().lines().next().unwrap(),
            "<vertex>:3:2: error: gl_FragColor belongs to the fragment shader; this stage cannot use it"
        ),
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("compiled"),
    }
}

/// A `#define` body nested 100,000 deep, never used: the nesting guard checked only code
/// and expansions, and the rewriter's bracket pairing took minutes on the body.
#[test]
fn deep_macro_bodies_are_refused_quickly() {
    let body = format!("{}1.0{}", "(true?".repeat(100_000), ":0.0)".repeat(100_000));
    let start = std::time::Instant::now();
    let text = error_of(&format!(
        "/*{{}}*/\n#define v {body}\nvoid main() {{ gl_FragColor = vec4(1.0); }}\n"
    ));
    assert!(start.elapsed() < std::time::Duration::from_secs(10));
    assert_eq!(
        text.lines().next().unwrap(),
        "<source>:2:1547: error: brackets, blocks and parentheses nest deeper than the limit of 256 levels"
    );
}

/// An `#if` without `#endif` hid `main` from the compiler: "Missing entry point (in code
/// isfkit generated, line 0; please report this)".
#[test]
fn an_unterminated_if_hiding_main() {
    let src = "/*{\"ISFVSN\":\"2\"}*/\n#if __VERSION__ <= 120\n#define B 1.0\n#else\n\
               void main() { gl_FragColor = vec4(1.0); }\n";
    let text = error_of(src);
    assert!(
        text.contains(
            "the compiler found no main() function: check that main is defined and that every \
             #if, #ifdef and #ifndef has its #endif"
        ),
        "{text}"
    );
    assert!(!text.contains("please report"), "{text}");
}

/// A stray `)` in `main` let the varying collector think it was outside every block, so the
/// words `in the input` of a pasted sentence became a varying `the input` that the built-in
/// vertex shader declared: "Not implemented: variable qualifier (in code isfkit generated,
/// line 27; please report this)" beside the fragment's own error.
#[test]
fn a_stray_parenthesis_leaks_no_varying_into_the_vertex_shader() {
    let text = error_of(
        "/*{}*/\nvoid main() {\n\tgl_Fd by it, so it works at the right), read in the input's own pixels;\n\
         \tgl_FragColor = vec4(1.0);\n}\n",
    );
    assert!(text.starts_with("<source>:3:"), "{text}");
    assert!(!text.contains("please report"), "{text}");
    assert!(!text.contains("<vertex>"), "{text}");
}

/// A varying declared twice in one stage: naga took both and its validator said "Multiple
/// bindings at location 1 are present (in code isfkit generated, line 6; please report this)".
#[test]
fn a_varying_declared_twice() {
    assert_first_line(
        "/*{}*/\nvarying float v;\nvarying float v;\nvoid main() { gl_FragColor = vec4(v); }\n",
        "<source>:3:15: error: the varying \"v\" is declared more than once; GLSL allows one declaration of a name",
    );
    // Arrays too (the fuzzer's input).
    let text = error_of(
        "/*{}*/\nvarying float v[2];\nvarying float v[2];\nvoid main() { gl_FragColor = vec4(v[1]); }\n",
    );
    assert!(
        text.starts_with("<source>:3:15: error: the varying \"v\" is declared more than once"),
        "{text}"
    );
    // One declaration per branch of an #if is what web ports do: it compiles.
    let src = "/*{}*/\n#ifdef GL_ES\nvarying highp vec2 uv;\n#else\nvarying vec2 uv;\n#endif\n\
               void main() { gl_FragColor = vec4(uv, 0.0, 1.0); }\n";
    Program::from_source(src, None).unwrap();
    // The user's own location beside one isfkit chooses: no clash.
    let src = "/*{}*/\nlayout(location = 1) in vec2 uv;\nvarying float v;\n\
               void main() { gl_FragColor = vec4(uv, v, 1.0); }\n";
    Program::from_source(src, None).unwrap();
    // Two locations of the user's own that clash.
    assert_first_line(
        "/*{}*/\nlayout(location = 2) in float a;\nlayout(location = 2) in float b;\n\
         void main() { gl_FragColor = vec4(a, b, 0.0, 1.0); }\n",
        "<source>:3:31: error: the varyings \"a\" and \"b\" both use location 2",
    );
}

/// The array size written on the type (`varying float[2] v;`, GLSL 1.20) was dropped: the
/// varying became a float and `v[1]` read "Can't resolve type: InvalidSubAccess".
#[test]
fn an_array_size_on_a_varyings_type() {
    let vs = "varying float[2] v;\nvoid main() {\n\tisf_vertShaderInit();\n\
              \tv[0] = isf_FragNormCoord.x;\n\tv[1] = isf_FragNormCoord.y;\n}\n";
    let fs =
        "/*{}*/\nvarying float[2] v;\nvoid main() { gl_FragColor = vec4(v[0], v[1], 0.0, 1.0); }\n";
    let p = Program::from_source(fs, Some(vs)).unwrap();
    for glsl in [&p.translation.fragment.glsl, &p.translation.vertex.glsl] {
        assert!(glsl.contains("float v[2];"), "{glsl}");
    }
}

/// `discard` (or a derivative) in a vertex shader: "Entry point main at Vertex is invalid:
/// Uses operations forbidden at this stage (in code isfkit generated, line 0; please report
/// this)". GL compilers refuse it too; now it is an error at the user's line.
#[test]
fn fragment_only_operations_in_a_vertex_shader() {
    for (code, word) in [
        ("\tdiscard;", "discard"),
        ("\tfloat d = dFdx(isf_FragNormCoord.x);", "dFdx"),
        ("\tfloat d = fwidth(1.0);", "fwidth"),
    ] {
        let vs = format!("void main() {{\n\tisf_vertShaderInit();\n{code}\n}}\n");
        match Program::from_source("/*{}*/\nvoid main() { gl_FragColor = vec4(1.0); }\n", Some(&vs)) {
            Err(e @ LoadError::Compile { .. }) => assert_eq!(
                e.render().lines().next().unwrap(),
                format!("<vertex>:3:{}: error: {word} belongs to the fragment shader; this stage cannot use it", code.find(word).unwrap() + 1),
            ),
            Err(e) => panic!("{e}"),
            Ok(_) => panic!("compiled: {vs}"),
        }
    }
}

/// A sampler as an `out`/`inout` parameter: "Type [8] '' is invalid: Invalid type for
/// pointer target [6] (in code isfkit generated, line 14; please report this)".
#[test]
fn samplers_are_only_passed_in() {
    assert_first_line(
        "/*{}*/\nfloat f(inout sampler2D s, float a) { return a; }\nvoid main() { gl_FragColor = vec4(1.0); }\n",
        "<source>:2:9: error: a sampler2D cannot be \"inout\": samplers are only passed in",
    );
}

/// A comment that is never closed hid the rest of the file: "Type can't be void (in code
/// isfkit generated, line 20; please report this)".
#[test]
fn a_comment_that_is_never_closed() {
    let text = assert_first_line(
        "/*{}*/\nvoid main() {\n\tfloat a = 0.5;\n\twhile (f(/*, v)) {}\n}\n",
        "<source>:4:11: error: this comment is never closed (the */ is missing)",
    );
    assert!(!text.contains("please report"), "{text}");
}

/// A global with nothing after `=` was moved into the generated initialiser function:
/// "Expected LeftParen, integer literal, float literal or bool literal, found Semicolon (in
/// code isfkit generated, line 26; please report this)".
#[test]
fn a_global_with_no_value_after_the_equals_sign() {
    assert_first_line(
        "/*{}*/\nfloat active=;\nvoid main() { gl_FragColor = vec4(1.0); }\n",
        "<source>:2:13: error: a value is missing after \"=\"",
    );
}

/// A `main` with a return type or parameters: the generated code calls `isf_user_main()`,
/// so naga said "Unknown function 'isf_user_main' (in code isfkit generated, line 39; please
/// report this)". GL compilers refuse such a main too.
#[test]
fn main_must_be_void_without_parameters() {
    for (code, col) in [
        ("int main() { return 0; }", 5),
        ("void main(int a) { gl_FragColor = vec4(1.0); }", 6),
        ("float main(vec3 x) { return 1.0; }", 7),
    ] {
        let text = error_of(&format!("/*{{}}*/\n{code}\n"));
        assert_eq!(
            text.lines().next().unwrap(),
            format!("<source>:2:{col}: error: main must be declared \"void main()\": it returns nothing and takes no parameters"),
            "{code}"
        );
    }
    // `void main(void)` is GLSL's other spelling of the same.
    Program::from_source(
        "/*{}*/\nvoid main(void) { gl_FragColor = vec4(1.0); }\n",
        None,
    )
    .unwrap();
}

/// Forms mended after naga's first parse (a scalar's swizzle, `%` between a vector and a
/// scalar, a struct comparison) leave the positions of later errors at the user's text.
#[test]
fn errors_after_mended_code_stay_at_the_users_line_and_column() {
    let text = error_of(
        "/*{}*/\nstruct S { float a; };\nvoid main() {\n\tfloat f = 0.5;\n\tvec2 g = f.xx + vec2(ivec2(3) % 2);\n\tbool e = S(1.0) == S(1.0);\n\tfloat b = brightness * g.x;\n\tgl_FragColor = vec4(b);\n}\n",
    );
    assert_eq!(
        text,
        "<source>:7:12: error: Unknown variable: brightness\n    7 | \tfloat b = brightness * g.x;\n      | \t          ^"
    );
}

/// A math built-in applied to a bool folds to a constant naga cannot type, and naga's
/// front end reports it without a position: it is the user's error, at their call.
#[test]
fn math_built_ins_on_bools_are_errors_at_the_users_line() {
    let text = error_of(
        "/*{}*/\nvoid main() {\n\twhile(-clamp(-int(fract((0<0))))){}\n\tgl_FragColor = vec4(1.0);\n}\n",
    );
    assert!(!text.contains("please report this"), "{text}");
    assert_eq!(
        text,
        "<source>:3:9: error: Cannot apply math function to type: a math built-in function (such as fract, clamp or abs) was given a bool\n    3 | \twhile(-clamp(-int(fract((0<0))))){}\n      | \t       ^"
    );
}

/// The rendered error of a shader whose vertex stage must not compile.
fn vertex_error_of(vertex: &str) -> String {
    let fs = "/*{}*/\nvoid main() {\n\tgl_FragColor = vec4(1.0);\n}\n";
    match Program::from_source(fs, Some(vertex)) {
        Ok(_) => panic!("compiled: {vertex}"),
        Err(e @ LoadError::Compile { .. }) => e.render(),
        Err(e) => panic!("not a compile error: {e}"),
    }
}

/// A constructor without arguments: naga panicked folding `mat4() * mat4()` ("the shader
/// compiler failed ... please report this"); GLSL has no such constructor.
#[test]
fn constructors_without_arguments_are_the_users_error() {
    let text = vertex_error_of("const uint k = uint(mat4() * mat4());\nvoid main() {\n}\n");
    assert_eq!(
        text.lines().next().unwrap(),
        "<vertex>:1:21: error: mat4() constructs nothing: a constructor takes at least one argument"
    );
    // In a macro that is never used, it is no error.
    Program::from_source(
        "/*{}*/\n#define ZERO() vec4()\nvoid main() {\n\tgl_FragColor = vec4(1.0);\n}\n",
        None,
    )
    .unwrap();
}

/// A variable named `gl_Position` of the user's: the generated vertex code read its `.y`
/// ("in code isfkit generated ... please report this").
#[test]
fn variables_named_like_built_ins_are_the_users_error() {
    let text = vertex_error_of("mat4 gl_Position;\nvoid main() {\n}\n");
    assert_eq!(
        text.lines().next().unwrap(),
        "<vertex>:1:6: error: gl_Position cannot be declared: names starting with gl_ are GLSL's own"
    );
    let text = vertex_error_of("uniform sampler2D gl_Position;\nvoid main() {\n}\n");
    assert_eq!(
        text.lines().next().unwrap(),
        "<vertex>:1:19: error: gl_Position cannot be declared: names starting with gl_ are GLSL's own"
    );
    // `invariant gl_Position;` redeclares the built-in, as GLSL allows.
    Program::from_source(
        "/*{}*/\nvoid main() {\n\tgl_FragColor = vec4(1.0);\n}\n",
        Some("invariant gl_Position;\nvoid main() {\n\tisf_vertShaderInit();\n}\n"),
    )
    .unwrap();
}

/// A global's initialiser that ends too early (`float x = !;`) is moved into a generated
/// function, where naga found the `;` it did not expect: the error is the user's, at the end
/// of their text.
#[test]
fn an_initialiser_that_ends_too_early_is_placed_at_its_end() {
    assert_first_line(
        "/*{}*/\nfloat x = !;\nvoid main() {\n\tgl_FragColor = vec4(x);\n}\n",
        "<source>:2:11: error: Expected LeftParen, integer literal, float literal or bool literal, found Semicolon",
    );
}

/// A matrix varying in a false `#ifdef` branch: the generated copies into its columns read
/// "Unknown variable: isf_W_col0 (in code isfkit generated ...)". They follow the declaration.
#[test]
fn matrix_varyings_in_a_false_branch() {
    Program::from_source(
        "/*{}*/\nvoid main() {\n\tgl_FragColor = vec4(1.0);\n}\n",
        Some("#ifdef NOPE\nvarying mat3 W;\n#endif\nvoid main() {\n\tisf_vertShaderInit();\n}\n"),
    )
    .unwrap();
}

/// One name declared twice at file scope: the generated code that writes the varying met the
/// constant ("Variable cannot be used in LHS position (in code isfkit generated ...)").
#[test]
fn a_name_declared_twice_at_file_scope() {
    let text =
        vertex_error_of("varying mat3 buf;\nconst vec4 buf = vec4(1.0);\nvoid main() {\n}\n");
    assert_eq!(
        text.lines().next().unwrap(),
        "<vertex>:2:12: error: \"buf\" is declared more than once at file scope; GLSL allows one declaration of a name"
    );
}

/// A character GLSL does not have in a varying's declaration: the built-in vertex shader,
/// which holds the varyings, read "unexpected character (in code isfkit generated ...; please
/// report this)" beside the user's own error. Only the user's error is said.
#[test]
fn a_broken_varying_is_said_once_in_the_users_code() {
    let text =
        error_of("/*{}*/\nvarying vec2 su`v;\nvoid main() {\n\tgl_FragColor = vec4(1.0);\n}\n");
    // The varying is rewritten: the error is at its name.
    assert!(
        text.starts_with("<source>:2:14: error: unexpected character '`'"),
        "{text}"
    );
    assert!(!text.contains("please report"), "{text}");
}

/// Thousands of empty constructors on one long line: one error each, each holding the line,
/// ran the fuzzer out of memory (8 GB). The first is said.
#[test]
fn many_empty_constructors_are_one_error() {
    let list = vec!["float()"; 20_000].join(",");
    let e = Program::from_source(
        &format!("/*{{}}*/\nconst float k = ({list});\nvoid main() {{\n}}\n"),
        None,
    )
    .unwrap_err();
    let LoadError::Compile { error, .. } = e else {
        panic!("not a compile error");
    };
    assert_eq!(error.diagnostics.len(), 1);
}

/// A file ending in a `gl_` name after a type (`float gl_x`, no `;`): the check for
/// declared built-ins read past the last token (a caught panic, "please report this").
#[test]
fn a_file_ending_in_a_declared_gl_name() {
    let text = error_of("/*{}*/\nvoid main() {\n\tgl_FragColor = vec4(1.0);\n}\nfloat gl_x");
    assert!(!text.contains("please report"), "{text}");
}

/// A stage reports its first hundred errors and counts the rest; each quotes a window of its
/// line, not the whole line (a fuzzed 1 MB one-line vertex shader with 10,000 of the same
/// mistake took 24 GB).
#[test]
fn a_stage_reports_its_first_hundred_errors_and_counts_the_rest() {
    let fs = "/*{\"PASSES\": [{\"TARGET\": \"buf\"}, {}]}*/\nvoid main() { gl_FragColor = vec4(1.0); }\n";
    let vs = format!(
        "#define S float({}0)\nvoid main() {{}}\n",
        "(v(IMG_THIS_NORM_PIXEL(buf)).x)&".repeat(150)
    );
    let doc = isfkit_format::IsfDocument::parse(fs).unwrap();
    let err = isfkit_glsl::translate(&doc, Some(&vs)).unwrap_err();
    let d = &err.diagnostics;
    assert_eq!(d.len(), 101);
    assert!(d[..100]
        .iter()
        .all(|d| d.diagnostic.source_line.as_ref().unwrap().chars().count() <= 161));
    assert_eq!(
        d[100].diagnostic.message,
        "50 more errors are not shown (the vertex shader's first 100 are)"
    );
}

/// A file that ends inside a block (its last `}` missing) is the user's error at the `{`
/// left open, not "Expected Semicolon, found LeftBrace (in code isfkit generated ...; please
/// report this)": the code isfkit adds after the user's landed inside the block. Found by
/// fuzzing a vertex shader cut at the 1 MiB limit.
#[test]
fn a_block_the_file_never_closes_is_an_error_at_its_brace() {
    let text = assert_first_line(
        "/*{}*/\nvoid main() {\n\tif (true) {\n\t\tgl_FragColor = vec4(1.0);\n\t}\n",
        "<source>:2:13: error: this `{` is never closed: the file ends first (a `}` is missing)",
    );
    assert!(!text.contains("please report"), "{text}");
    // The vertex shader too; a brace in a comment or a directive is not counted.
    let vs = "#define OPEN {\n// }\nvoid main() {\n\tisf_vertShaderInit();\n";
    match Program::from_source(
        "/*{}*/\nvoid main() { gl_FragColor = vec4(1.0); }\n",
        Some(vs),
    ) {
        Err(e @ LoadError::Compile { .. }) => assert_eq!(
            e.render().lines().next().unwrap(),
            "<vertex>:3:13: error: this `{` is never closed: the file ends first (a `}` is missing)"
        ),
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("compiled"),
    }
}
