//! GLSL rewriter with naga validation of its output (`isfkit_glsl::Program::from_source`: the
//! path `isf validate` takes, nesting guard included; no GPU): header, translation to GLSL
//! 4.50, naga parse and validation of both stages, errors mapped back to the user's lines.
//!
//! Every input is tried twice: as a raw `.fs` file, and as a generated one (a fixed or
//! generated header, `isfkit_fuzz::glsl::Shader`: nested blocks, `if`s, loops, parentheses,
//! long sums, macro chains and bombs, ISF macros, renamed keywords; sometimes a vertex
//! shader). Run: `cargo fuzz run glsl`.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use isfkit_glsl::{LoadError, Program};
use libfuzzer_sys::fuzz_target;

/// Headers of real shapes, so that generated bodies meet inputs, images and passes.
const HEADERS: &[&str] = &[
    r#"/*{"ISFVSN":"2"}*/"#,
    r#"/*{"ISFVSN":"2","INPUTS":[{"NAME":"amount","TYPE":"float","DEFAULT":0.5},{"NAME":"level","TYPE":"long","VALUES":[0,1],"LABELS":["a","b"]},{"NAME":"tint","TYPE":"color"},{"NAME":"spot","TYPE":"point2D"},{"NAME":"flash","TYPE":"event"},{"NAME":"enabled","TYPE":"bool"}]}*/"#,
    r#"/*{"ISFVSN":"2","INPUTS":[{"NAME":"inputImage","TYPE":"image"},{"NAME":"input","TYPE":"float"},{"NAME":"sample","TYPE":"audio"}]}*/"#,
    r#"/*{"ISFVSN":"2","PASSES":[{"TARGET":"buf","PERSISTENT":true,"FLOAT":true,"WIDTH":"$WIDTH/2"},{}]}*/"#,
    r#"/*{"PERSISTENT_BUFFERS":["buf"],"PASSES":[{"TARGET":"buf"},{}]}*/"#,
    r#"/*{"ISFVSN":"2","INPUTS":[{"NAME":"startImage","TYPE":"image"},{"NAME":"endImage","TYPE":"image"},{"NAME":"progress","TYPE":"float"}]}*/"#,
];

#[derive(Debug, Arbitrary)]
enum HeaderChoice {
    Fixed(u8),
    Generated(Box<isfkit_fuzz::header::Header>),
}

#[derive(Debug, Arbitrary)]
struct Input {
    header: HeaderChoice,
    fragment: isfkit_fuzz::glsl::Shader,
    vertex: Option<isfkit_fuzz::glsl::Vertex>,
}

fn check(source: &str, vertex: Option<&str>) {
    match Program::from_source(source, vertex) {
        Ok(p) => {
            let _ = p.facts.stateful();
        }
        Err(e) => {
            let text = e.render();
            if let LoadError::Compile { error, .. } = &e {
                let _ = error.render("x.fs", "x.vs");
            }
            // An error isfkit cannot place in the user's code is a bug of the rewriter
            // (it says "please report this"), unless allowed while hunting other bugs.
            if text.contains("please report this")
                && std::env::var_os("ISFKIT_FUZZ_ALLOW_REPORT").is_none()
            {
                panic!("internal error for this input:\n{text}");
            }
        }
    }
}

fuzz_target!(init: isfkit_fuzz::catch_stack_overflows(), |data: &[u8]| {
    if let Ok(text) = isfkit_format::decode_glsl(data) {
        check(&text, None);
    }
    // The generators recurse per byte of nesting: only inputs of a fuzzing size (libFuzzer's
    // default -max_len is 4096) go through them, not a large file given on the command line.
    if data.len() > 1 << 16 {
        return;
    }
    if let Ok(input) = Input::arbitrary_take_rest(Unstructured::new(data)) {
        let body = input.fragment.text();
        let source = match &input.header {
            HeaderChoice::Fixed(i) => format!("{}\n{body}", HEADERS[*i as usize % HEADERS.len()]),
            HeaderChoice::Generated(h) => h.file(&body),
        };
        let vertex = input.vertex.as_ref().map(|v| v.text());
        isfkit_fuzz::dump("structured.fs", &source);
        if let Some(v) = &vertex {
            isfkit_fuzz::dump("structured.vs", v);
        }
        check(&source, vertex.as_deref());
    }
});
