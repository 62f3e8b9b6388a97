//! Loading through `Program`: the `.vs` sibling, error names, and the facts read
//! from the parsed code rather than from a substring search.

use std::path::Path;

use isfkit_glsl::{Facts, LoadError, Program};

fn shaders() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/shaders"))
}

fn facts(code: &str) -> Facts {
    let src = format!("/*{{ \"ISFVSN\": \"2\" }}*/\n{code}");
    Program::from_source(&src, None).unwrap().facts
}

#[test]
fn facts_come_from_tokens_not_substrings() {
    let f = facts("void main() { gl_FragColor = vec4(float(FRAMEINDEX) * TIMEDELTA); }");
    assert!(f.frame_index && f.time_delta && f.stateful());
    assert!(!f.date && !f.time && !f.persistent_buffers);

    // The facts come from tokens, not `code.contains("FRAMEINDEX")`: a comment, or a longer
    // name that contains the word, does not make a shader stateful.
    let f = facts(
        "// uses FRAMEINDEX? no.\n/* TIMEDELTA */\nfloat MY_FRAMEINDEX_COPY = 1.0;\n\
         void main() { gl_FragColor = vec4(MY_FRAMEINDEX_COPY, TIME, DATE.x, 1.0); }",
    );
    assert!(!f.frame_index && !f.time_delta && !f.stateful(), "{f:?}");
    assert!(f.time && f.date);
}

#[test]
fn facts_of_the_header_and_the_vertex_shader() {
    let p = Program::load(&shaders().join("persistent.fs")).unwrap();
    assert!(p.facts.persistent_buffers && p.facts.multipass && p.facts.stateful());
    let p = Program::load(&shaders().join("audio.fs")).unwrap();
    assert!(p.facts.audio_inputs && !p.facts.image_inputs);
    let p = Program::load(&shaders().join("filter_invert.fs")).unwrap();
    assert!(p.facts.image_inputs && !p.facts.stateful());
    // A vertex shader reading FRAMEINDEX makes the shader stateful too.
    let src = "/*{ \"ISFVSN\": \"2\" }*/\nvoid main() { gl_FragColor = vec4(1.0); }";
    let vs = "void main() { isf_vertShaderInit(); float f = float(FRAMEINDEX); }";
    let p = Program::from_source(src, Some(vs)).unwrap();
    assert!(p.facts.frame_index);
}

#[test]
fn load_finds_the_vertex_shader_next_to_the_file() {
    let p = Program::load(&shaders().join("custom_vertex.fs")).unwrap();
    assert_eq!(
        p.vertex_path.as_deref(),
        Some(shaders().join("custom_vertex.vs").as_path())
    );
    assert!(p.vertex_source.is_some());
    assert_eq!(p.label, "custom_vertex.fs");
    let p = Program::load(&shaders().join("gradient.fs")).unwrap();
    assert_eq!(p.vertex_path, None);
}

#[test]
fn load_errors_name_the_users_files() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let fs = dir.join("broken.fs");
    let broken = "/*{ \"ISFVSN\": \"2\" }*/\nvoid main() {\n    gl_FragColor = vec4(nope);\n}\n";
    std::fs::write(&fs, broken).unwrap();
    match Program::load(&fs) {
        Err(e @ LoadError::Compile { .. }) => {
            let text = e.render();
            assert!(
                text.starts_with(&format!("{}:3:", fs.display())),
                "the error is not at the user's line: {text}"
            );
        }
        other => panic!("expected a compile error, got {other:?}"),
    }
    // A `.vs` that exists but cannot be read (a directory here) is its own error.
    let fs2 = dir.join("vsdir.fs");
    std::fs::write(
        &fs2,
        "/*{ \"ISFVSN\": \"2\" }*/\nvoid main() { gl_FragColor = vec4(1.0); }\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("vsdir.vs")).unwrap();
    // `vertex_shader_path` only takes files, so a directory named like one is ignored.
    assert!(Program::load(&fs2).unwrap().vertex_path.is_none());
    match Program::load(&dir.join("missing.fs")) {
        Err(LoadError::Format(e)) => assert!(e.to_string().contains("cannot read"), "{e}"),
        other => panic!("expected a read error, got {other:?}"),
    }
}
