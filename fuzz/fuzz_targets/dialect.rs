//! The dialect readers (`isfkit_format::dialect`): Shadertoy JSON and GLSL, GLSL Sandbox and
//! gl-transitions sources, detected and forced, converted to ISF; what they write is parsed
//! and compiled as ISF (`isfkit_glsl::Program`). They take text from the network (`isf
//! serve`, MCP): no input may panic, and no error may be one isfkit cannot place ("please
//! report this"). Run: `cargo fuzz run dialect`.
#![no_main]

use isfkit_format::dialect::{convert_all, ConvertOptions, Dialect};
use isfkit_format::{decode_glsl, IsfDocument};
use isfkit_glsl::Program;
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: isfkit_fuzz::catch_stack_overflows(), |data: &[u8]| {
    let Ok(text) = decode_glsl(data) else {
        return;
    };
    let forced = [
        None,
        Some(Dialect::Shadertoy),
        Some(Dialect::GlslSandbox),
        Some(Dialect::GlTransition),
    ];
    for from in forced {
        let options = ConvertOptions {
            from,
            ..ConvertOptions::default()
        };
        let Ok(all) = convert_all(&text, &options) else {
            continue;
        };
        // A JSON file may hold many shaders: a few are enough to compile.
        for c in all.iter().take(4) {
            match IsfDocument::parse(&c.isf) {
                Ok(doc) => assert!(doc.origin.dialect.is_none(), "converted twice"),
                Err(e) => {
                    let _ = e.diagnostic.render("x.fs");
                }
            }
            if let Err(e) = Program::from_source(&c.isf, None) {
                let text = e.render();
                assert!(
                    !text.contains("please report this"),
                    "internal error for this input:\n{text}\n--- converted:\n{}",
                    c.isf
                );
            }
        }
    }
    // Read directly, as every face reads a file.
    if let Err(e) = Program::from_source(&text, None) {
        let text = e.render();
        assert!(!text.contains("please report this"), "internal error:\n{text}");
    }
});
