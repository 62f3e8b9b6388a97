//! Inputs found by fuzzing (`fuzz/`, targets `header` and `glsl`), minimised; each was a
//! crash, a hang or an internal error and must stay a clear error at the user's line.

use isfkit_format::IsfDocument;

fn error_of(source: &str) -> String {
    match IsfDocument::parse(source) {
        Ok(_) => panic!("parsed: {source}"),
        Err(e) => e.diagnostic.render("x.fs"),
    }
}

/// An input NAME with spaces (here from bytes that are not UTF-8, which a header comment
/// ignores) became a uniform declaration naga could not parse: "Expected Semicolon, found
/// Identifier(\"inputImage_imgSize\") (in code isfkit generated, line 9; please report this)".
#[test]
fn names_that_cannot_be_glsl_identifiers_are_header_errors() {
    let bytes = b"/*{\n\"INPUTS\": [{\"NAME\": \"\xa2\xa2inputImage\", \"TYPE\": \"image\"}]\n}*/\nvoid main() { gl_FragColor = IMG_THIS_PIXEL(inputImage); }\n";
    let source = isfkit_format::decode_glsl(bytes).unwrap();
    assert_eq!(
        error_of(&source).lines().next().unwrap(),
        "x.fs:2:21: error: input \"  inputImage\" is not a valid name: use letters, digits and _, not starting with a digit"
    );
    for (header, what, name) in [
        (
            r#""INPUTS": [{"NAME": "my value", "TYPE": "float"}]"#,
            "input",
            "my value",
        ),
        (
            r#""INPUTS": [{"NAME": "2x", "TYPE": "float"}]"#,
            "input",
            "2x",
        ),
        (
            r#""PASSES": [{"TARGET": "buf-1"}, {}]"#,
            "pass TARGET",
            "buf-1",
        ),
        (
            r#""IMPORTED": {"a.b": {"PATH": "x.png"}}"#,
            "imported image",
            "a.b",
        ),
    ] {
        let text = error_of(&format!("/*{{\n{header}\n}}*/\nvoid main() {{}}\n"));
        let want = format!(
            "error: {what} \"{name}\" is not a valid name: use letters, digits and _, not starting with a digit"
        );
        assert!(
            text.lines().next().unwrap().ends_with(&want),
            "{header}: {text}"
        );
    }
    // Names that are identifiers still parse, non-ASCII letters included.
    for name in ["amount", "_x2", "Größe"] {
        let src = format!("/*{{\"INPUTS\": [{{\"NAME\": \"{name}\", \"TYPE\": \"float\"}}]}}*/\n");
        assert!(IsfDocument::parse(&src).is_ok(), "{name}");
    }
}
