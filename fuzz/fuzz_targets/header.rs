//! ISF header parser (`isfkit_format::IsfDocument`): decode and parse a whole `.fs` file,
//! then use what it returns (size expressions, diagnostics, the document as JSON).
//!
//! Every input is tried twice: as the raw bytes of a file, and as a generated file
//! (`isfkit_fuzz::header::Header`: INPUTS, PASSES, PERSISTENT_BUFFERS and IMPORTED of random
//! shapes, deep JSON, strict and tolerant syntax). Run: `cargo fuzz run header`.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use isfkit_format::{decode_glsl, IsfDocument};
use libfuzzer_sys::fuzz_target;

fn check(source: &str) {
    let _ = IsfDocument::raw_header(source);
    match IsfDocument::parse_with_base(source, Some(std::path::Path::new("/nonexistent"))) {
        Ok(doc) => {
            let vars = |name: &str| match name {
                "WIDTH" => Some(640.0),
                "HEIGHT" => Some(360.0),
                _ => doc.inputs.iter().find(|i| i.name == name).map(|_| 3.0),
            };
            for p in &doc.passes {
                for e in [&p.width, &p.height].into_iter().flatten() {
                    let _ = e.eval(&vars);
                    let _ = e.symbols();
                }
            }
            for w in &doc.warnings {
                let _ = w.render("x.fs");
            }
            let _ = serde_json::to_string(&doc);
            // Line numbers in `code` are those of the file (of the ISF it converts to, for
            // another dialect).
            if doc.origin.dialect.is_none() {
                assert_eq!(doc.code.matches('\n').count(), source.matches('\n').count());
            }
        }
        Err(e) => {
            let _ = e.diagnostic.render("x.fs");
            let _ = e.to_string();
        }
    }
}

fuzz_target!(init: isfkit_fuzz::catch_stack_overflows(), |data: &[u8]| {
    if let Ok(text) = decode_glsl(data) {
        check(&text);
    }
    // The generators recurse per byte of nesting: only inputs of a fuzzing size (libFuzzer's
    // default -max_len is 4096) go through them, not a large file given on the command line.
    if data.len() > 1 << 16 {
        return;
    }
    let mut u = Unstructured::new(data);
    if let Ok(h) = isfkit_fuzz::header::Header::arbitrary(&mut u) {
        let body = String::arbitrary_take_rest(u).unwrap_or_default();
        let file = h.file(&body);
        isfkit_fuzz::dump("structured.fs", &file);
        check(&file);
    }
});
