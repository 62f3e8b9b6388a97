//! Behaviour tests of ISF parsing: headers, inputs, passes, v1 upgrade, IMPORTED, kinds,
//! size expressions and the rendering of diagnostics.

use std::path::{Path, PathBuf};

use isfkit_format::{
    Diagnostic, FormatError, ImportedImage, Input, InputType, IsfDocument, IsfVersion, Pass,
    Severity, ShaderKind, SizeExpr,
};

const MAIN: &str = "void main() {\n\tgl_FragColor = vec4(1.0);\n}\n";

/// An ISF file with `json` as its header and a small main().
fn isf(json: &str) -> String {
    format!("/*{json}*/\n{MAIN}")
}

fn parse(json: &str) -> IsfDocument {
    match IsfDocument::parse(&isf(json)) {
        Ok(doc) => doc,
        Err(e) => panic!("unexpected error: {e}"),
    }
}

fn parse_err(json: &str) -> FormatError {
    match IsfDocument::parse(&isf(json)) {
        Ok(doc) => panic!("expected an error, got {doc:?}"),
        Err(e) => e,
    }
}

/// Asserts that parsing the whole file `src` fails with `message` at (line, column) `at`.
fn assert_error_at(src: &str, message: &str, at: (u32, u32)) {
    let err = IsfDocument::parse(src).unwrap_err();
    assert_eq!(err.diagnostic.message, message);
    assert_eq!((err.diagnostic.line, err.diagnostic.column), at);
}

fn input_ty(doc: &IsfDocument, name: &str) -> InputType {
    doc.input(name)
        .unwrap_or_else(|| panic!("no input {name}"))
        .ty
        .clone()
}

/// Asserts that each named input of `doc` has the expected type.
fn assert_input_types(doc: &IsfDocument, expected: &[(&str, InputType)]) {
    for (name, want) in expected {
        assert_eq!(&input_ty(doc, name), want, "input {name}");
    }
}

/// A float input's type without IDENTITY.
fn float(default: f32, min: f32, max: f32) -> InputType {
    InputType::Float {
        default,
        min,
        max,
        identity: None,
    }
}

fn boolean(default: bool, identity: Option<bool>) -> InputType {
    InputType::Bool { default, identity }
}

/// A point2D input's type without IDENTITY.
fn point(default: [f32; 2], min: Option<[f32; 2]>, max: Option<[f32; 2]>) -> InputType {
    InputType::Point2D {
        default,
        min,
        max,
        identity: None,
    }
}

/// A color input's type without MIN and MAX.
fn color(default: [f32; 4], identity: Option<[f32; 4]>) -> InputType {
    InputType::Color {
        default,
        min: None,
        max: None,
        identity,
    }
}

/// The pass a file without PASSES (or with an empty one) gets: to the output, no flags.
fn output_pass() -> Pass {
    Pass {
        target: None,
        persistent: false,
        float: false,
        width: None,
        height: None,
    }
}

fn warnings(doc: &IsfDocument) -> Vec<String> {
    doc.warnings.iter().map(|w| w.message.clone()).collect()
}

fn expr(text: &str) -> SizeExpr {
    SizeExpr::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

// ---------------------------------------------------------------------------------------------
// Header

#[test]
fn minimal_v2_file() {
    let src = "/*{\n\t\"ISFVSN\": \"2\",\n\t\"DESCRIPTION\": \"red\",\n\t\"CREDIT\": \"me\",\n\t\"VSN\": 3,\n\t\"CATEGORIES\": [\"Generator\", 5]\n}*/\nvoid main() { gl_FragColor = vec4(1,0,0,1); }\n";
    let doc = IsfDocument::parse(src).unwrap();
    assert_eq!(doc.isf_version, IsfVersion::V2("2".into()));
    assert_eq!(doc.description.as_deref(), Some("red"));
    assert_eq!(doc.credit.as_deref(), Some("me"));
    assert_eq!(doc.vsn.as_deref(), Some("3"));
    assert_eq!(doc.categories, vec!["Generator".to_string()]);
    assert_eq!(
        warnings(&doc),
        vec!["CATEGORIES[1] must be a string, found number 5; skipped"]
    );
    assert_eq!((doc.warnings[0].line, doc.warnings[0].column), (6, 30));
    assert!(doc.inputs.is_empty());
    assert_eq!(doc.passes, vec![output_pass()]);
    assert_eq!(doc.kind, ShaderKind::Generator);
    assert_eq!(doc.source, src);
    assert_eq!(
        doc.code,
        "\n\n\n\n\n\n\nvoid main() { gl_FragColor = vec4(1,0,0,1); }\n"
    );
}

#[test]
fn version_forms() {
    assert_eq!(parse("{}").isf_version, IsfVersion::V1);
    assert_eq!(
        parse(r#"{"ISFVSN": 2}"#).isf_version,
        IsfVersion::V2("2".into())
    );
    assert_eq!(
        parse(r#"{"ISFVSN": 2.0}"#).isf_version,
        IsfVersion::V2("2.0".into())
    );
    assert_eq!(
        parse(r#"{"ISFVSN": "2.0"}"#).isf_version,
        IsfVersion::V2("2.0".into())
    );
    assert_eq!(
        parse(r#"{"isfvsn": "2"}"#).isf_version,
        IsfVersion::V2("2".into())
    );
    assert_eq!(parse(r#"{"ISFVSN": "1"}"#).isf_version, IsfVersion::V1);
}

#[test]
fn brace_and_comment_end_on_different_lines() {
    let src = "/*\n{\n  \"ISFVSN\": \"2\"\n}\n*/\n\nvoid main() {}\n";
    let doc = IsfDocument::parse(src).unwrap();
    assert_eq!(doc.isf_version, IsfVersion::V2("2".into()));
    assert_eq!(doc.code, "\n\n\n\n\n\nvoid main() {}\n");
}

#[test]
fn code_keeps_line_numbers_and_strips_cr_of_header_lines_only() {
    let src = "/*{\r\n\"ISFVSN\": \"2\"\r\n}*/ trailing\r\nvoid main() {\r\n}\r\n";
    let doc = IsfDocument::parse(src).unwrap();
    assert_eq!(doc.code, "\n\n\nvoid main() {\r\n}\r\n");
    assert_eq!(doc.code.lines().count(), src.lines().count());
    let main_line = doc
        .code
        .lines()
        .position(|l| l.starts_with("void main"))
        .unwrap();
    let src_line = src
        .lines()
        .position(|l| l.starts_with("void main"))
        .unwrap();
    assert_eq!(main_line, src_line);
}

#[test]
fn code_when_header_closes_at_end_of_file() {
    let doc = IsfDocument::parse("/*{}*/").unwrap();
    assert_eq!(doc.code, "");
}

#[test]
fn tolerant_json_with_trailing_comma_and_line_comment() {
    let src = "/*{\n\t\"ISFVSN\": \"2\", // the version\n\t\"INPUTS\": [\n\t\t{\"NAME\": \"a\", \"TYPE\": \"float\"},\n\t],\n}*/\nvoid main() {}\n";
    let doc = IsfDocument::parse(src).unwrap();
    assert_eq!(doc.inputs.len(), 1);
    assert_eq!(doc.warnings.len(), 1);
    let w = &doc.warnings[0];
    assert_eq!(w.severity, Severity::Warning);
    assert_eq!(
        w.message,
        "header is not strict JSON (key must be a string); parsed it tolerantly"
    );
    // serde_json stops at the `/` of the comment, where it wanted a key.
    assert_eq!((w.line, w.column), (2, 17));
}

#[test]
fn malformed_json_is_an_error_at_the_file_position() {
    let src = "// a shader\n/*{\n\t\"ISFVSN\": \"2\",\n\t\"INPUTS\": [ {\"NAME\": \"a\" \"TYPE\": } ]\n}*/\nvoid main() {}\n";
    let err = IsfDocument::parse(src).unwrap_err();
    let d = &err.diagnostic;
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(d.message, "invalid JSON in ISF header: expected `,` or `}`");
    assert_eq!((d.line, d.column), (4, 27));
    assert_eq!(
        err.to_string(),
        "4:27: invalid JSON in ISF header: expected `,` or `}`"
    );
}

#[test]
fn malformed_json_on_the_first_header_line_is_offset_by_the_comment_start() {
    assert_error_at(
        "  /*{\"A\": @}*/\n",
        "invalid JSON in ISF header: expected value",
        (1, 11),
    );
}

#[test]
fn missing_header_is_an_error() {
    for src in [
        "void main() {}\n",
        "/* {\"ISFVSN\": \"2\"}\nvoid main() {}\n",
        "",
    ] {
        assert_error_at(
            src,
            "no ISF JSON header: the file must start with a /* { ... } */ comment",
            (1, 1),
        );
    }
}

#[test]
fn empty_header_and_non_object_header_are_errors() {
    let err = IsfDocument::parse("/*  \n */\nvoid main(){}").unwrap_err();
    assert_eq!(err.diagnostic.message, "the ISF JSON header is empty");
    assert_error_at(
        &isf("[1, 2]"),
        "the ISF header must be a JSON object, found array of 2",
        (1, 3),
    );
}

#[test]
fn parse_file_reads_and_resolves_against_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("shader.fs");
    let text = isf(r#"{"IMPORTED": {"tex": {"PATH": "img/a.png"}}}"#);
    std::fs::write(&file, text).unwrap();
    let doc = IsfDocument::parse_file(&file).unwrap();
    assert_eq!(doc.imported[0].resolved_path, dir.path().join("img/a.png"));

    let missing = dir.path().join("nope.fs");
    let err = IsfDocument::parse_file(&missing).unwrap_err();
    assert_eq!(err.diagnostic.line, 0);
    assert!(
        err.diagnostic
            .message
            .starts_with(&format!("cannot read {}: ", missing.display())),
        "{}",
        err.diagnostic.message
    );
}

// ---------------------------------------------------------------------------------------------
// Inputs

#[test]
fn float_inputs() {
    let doc = parse(
        r#"{"INPUTS": [
        {"NAME": "a", "TYPE": "float", "MIN": 0, "MAX": 10, "DEFAULT": 4, "LABEL": "Amount", "IDENTITY": 1},
        {"NAME": "mid", "TYPE": "float", "MIN": -2, "MAX": 4},
        {"NAME": "plain", "TYPE": "float"},
        {"NAME": "clamped", "TYPE": "float", "DEFAULT": 3},
        {"NAME": "onlymin", "TYPE": "float", "MIN": 5, "DEFAULT": 0.25},
        {"NAME": "swapped", "TYPE": "float", "MIN": 1, "MAX": -1},
        {"NAME": "text", "TYPE": "float", "DEFAULT": "0.5"}
    ]}"#,
    );
    assert_eq!(
        doc.inputs[0],
        Input {
            name: "a".into(),
            label: Some("Amount".into()),
            ty: InputType::Float {
                default: 4.0,
                min: 0.0,
                max: 10.0,
                identity: Some(1.0)
            }
        }
    );
    assert_input_types(
        &doc,
        &[
            ("mid", float(1.0, -2.0, 4.0)),
            ("plain", float(0.5, 0.0, 1.0)),
            ("clamped", float(1.0, 0.0, 1.0)),
            ("onlymin", float(0.25, 0.0, 1.0)),
            ("swapped", float(0.0, -1.0, 1.0)),
            ("text", float(0.5, 0.0, 1.0)),
        ],
    );
    assert_eq!(
        warnings(&doc),
        vec![
            "input \"clamped\": DEFAULT 3 is outside 0..1; clamped to 1",
            "input \"onlymin\": MIN without MAX; using the range 0..1",
            "input \"swapped\": MIN 1 is greater than MAX -1; swapped them",
            "input \"text\": DEFAULT is a string (\"0.5\"); read it as a number",
        ]
    );
    // The clamping warning points at the DEFAULT value.
    let w = &doc.warnings[0];
    assert_eq!(w.line, 5);
    assert_eq!(
        w.source_line
            .as_deref()
            .unwrap()
            .chars()
            .nth(w.column as usize - 1),
        Some('3')
    );
}

#[test]
fn bool_and_event_inputs() {
    let doc = parse(
        r#"{"INPUTS": [
        {"NAME": "on", "TYPE": "bool"},
        {"NAME": "off", "TYPE": "bool", "DEFAULT": false, "IDENTITY": true},
        {"NAME": "num1", "TYPE": "bool", "DEFAULT": 1.0},
        {"NAME": "num0", "TYPE": "bool", "DEFAULT": 0},
        {"NAME": "neg", "TYPE": "bool", "DEFAULT": -1},
        {"NAME": "bang", "TYPE": "event"}
    ]}"#,
    );
    assert_input_types(
        &doc,
        &[
            ("on", boolean(true, None)),
            ("off", boolean(false, Some(true))),
            ("num1", boolean(true, None)),
            ("num0", boolean(false, None)),
            ("neg", boolean(false, None)),
            ("bang", InputType::Event),
        ],
    );
    assert!(doc.warnings.is_empty());
}

#[test]
fn long_inputs() {
    let doc = parse(
        r#"{"INPUTS": [
        {"NAME": "menu", "TYPE": "long", "VALUES": [2, 0, 5.6], "LABELS": ["two", "zero", "six"], "DEFAULT": 5},
        {"NAME": "menu_nodef", "TYPE": "long", "VALUES": [3, 4], "LABELS": ["a", "b"]},
        {"NAME": "menu_baddef", "TYPE": "long", "VALUES": [3, 4], "LABELS": ["a", "b"], "DEFAULT": 7},
        {"NAME": "only_values", "TYPE": "long", "VALUES": [1, 2, 3], "MIN": 0, "MAX": 9, "DEFAULT": 4},
        {"NAME": "mismatch", "TYPE": "long", "VALUES": [1, 2], "LABELS": ["x"]},
        {"NAME": "range", "TYPE": "long", "MIN": 2, "MAX": 8},
        {"NAME": "clamped", "TYPE": "long", "MIN": 0, "MAX": 3, "DEFAULT": 9.7},
        {"NAME": "bare", "TYPE": "long"}
    ]}"#,
    );
    let long = |default, min, max, values: &[i32], labels: &[&str]| InputType::Long {
        default,
        min,
        max,
        values: values.to_vec(),
        labels: labels.iter().map(|s| s.to_string()).collect(),
        identity: None,
    };
    assert_eq!(
        input_ty(&doc, "menu"),
        long(2, 0, 6, &[2, 0, 6], &["two", "zero", "six"])
    );
    assert_eq!(
        input_ty(&doc, "menu_nodef"),
        long(3, 3, 4, &[3, 4], &["a", "b"])
    );
    assert_eq!(
        input_ty(&doc, "menu_baddef"),
        long(3, 3, 4, &[3, 4], &["a", "b"])
    );
    assert_eq!(input_ty(&doc, "only_values"), long(4, 0, 9, &[], &[]));
    assert_eq!(input_ty(&doc, "mismatch"), long(0, 0, 1, &[], &[]));
    assert_eq!(input_ty(&doc, "range"), long(2, 2, 8, &[], &[]));
    assert_eq!(input_ty(&doc, "clamped"), long(3, 0, 3, &[], &[]));
    assert_eq!(input_ty(&doc, "bare"), long(0, 0, 1, &[], &[]));
    assert_eq!(
        warnings(&doc),
        vec![
            "input \"menu\": DEFAULT 5 is not one of VALUES; using 2",
            "input \"menu_baddef\": DEFAULT 7 is not one of VALUES; using 3",
            "input \"only_values\": VALUES and LABELS must both be arrays of the same length; using MIN/MAX instead",
            "input \"mismatch\": VALUES and LABELS must both be arrays of the same length; using MIN/MAX instead",
            "input \"clamped\": DEFAULT 10 is outside 0..3; clamped to 3",
        ]
    );
}

#[test]
fn point_and_color_inputs() {
    let doc = parse(
        r#"{"INPUTS": [
        {"NAME": "p", "TYPE": "point2D", "DEFAULT": [0.5, 0.25], "MIN": [0, 0], "MAX": [1, 1]},
        {"NAME": "p0", "TYPE": "point2D"},
        {"NAME": "pbad", "TYPE": "point2D", "DEFAULT": [1, 2, 3]},
        {"NAME": "c", "TYPE": "color", "DEFAULT": [1, 0.5, 0, 1], "IDENTITY": [0, 0, 0, 0]},
        {"NAME": "c0", "TYPE": "color"},
        {"NAME": "c3", "TYPE": "color", "DEFAULT": [1, 1, 1]}
    ]}"#,
    );
    assert_input_types(
        &doc,
        &[
            ("p", point([0.5, 0.25], Some([0.0, 0.0]), Some([1.0, 1.0]))),
            ("p0", point([0.0; 2], None, None)),
            ("pbad", point([0.0; 2], None, None)),
            ("c", color([1.0, 0.5, 0.0, 1.0], Some([0.0; 4]))),
            ("c0", color([0.0; 4], None)),
            ("c3", color([0.0; 4], None)),
        ],
    );
    assert_eq!(
        warnings(&doc),
        vec![
            "input \"pbad\": DEFAULT must be an array of 2 numbers, found array of 3; using [0, 0]",
            "input \"c3\": DEFAULT must be an array of 4 numbers, found array of 3; using [0, 0, 0, 0]",
        ]
    );
}

#[test]
fn image_and_audio_inputs() {
    let doc = parse(
        r#"{"INPUTS": [
        {"NAME": "img", "TYPE": "image"},
        {"NAME": "wave", "TYPE": "audio", "MAX": 256},
        {"NAME": "fft", "TYPE": "audiofft"},
        {"NAME": "fft2", "TYPE": "audioFFT", "MAX": 0}
    ]}"#,
    );
    assert_eq!(input_ty(&doc, "img"), InputType::Image);
    assert_eq!(input_ty(&doc, "wave"), InputType::Audio { max: Some(256) });
    let fft = InputType::AudioFft {
        max: None,
        shadertoy: false,
    };
    assert_eq!(input_ty(&doc, "fft"), fft);
    assert_eq!(input_ty(&doc, "fft2"), fft);
    assert_eq!(
        warnings(&doc),
        vec!["input \"fft2\": MAX must be a positive integer, found 0; ignored"]
    );
}

#[test]
fn lowercase_and_mixed_case_keys() {
    let doc = parse(
        r#"{"inputs": [
        {"name": "speed", "type": "Float", "default": 2, "min": 0, "max": 4, "label": "Speed"},
        {"Name": "on", "Type": "BOOL", "Default": 0}
    ], "description": "lower", "passes": [{"target": "buf", "persistent": true}]}"#,
    );
    assert_eq!(
        doc.inputs[0],
        Input {
            name: "speed".into(),
            label: Some("Speed".into()),
            ty: float(2.0, 0.0, 4.0)
        }
    );
    assert_eq!(input_ty(&doc, "on"), boolean(false, None));
    assert_eq!(doc.description.as_deref(), Some("lower"));
    assert_eq!(doc.passes[0].target.as_deref(), Some("buf"));
    assert!(doc.passes[0].persistent);
}

#[test]
fn exact_uppercase_key_wins_over_other_case() {
    let doc = parse(r#"{"INPUTS": [{"NAME": "a", "type": "bool", "TYPE": "float"}]}"#);
    assert!(matches!(input_ty(&doc, "a"), InputType::Float { .. }));
}

#[test]
fn bad_inputs_are_skipped_with_warnings() {
    let doc = parse(
        r#"{"INPUTS": [
        {"TYPE": "float"},
        {"NAME": "notype"},
        {"NAME": "ok", "TYPE": "float"},
        {"NAME": "v", "TYPE": "vec3"},
        42
    ]}"#,
    );
    assert_eq!(doc.inputs.len(), 1);
    assert_eq!(doc.inputs[0].name, "ok");
    assert_eq!(
        warnings(&doc),
        vec![
            "INPUTS[0] has no NAME; skipped",
            "INPUTS[1] (\"notype\") has no TYPE; skipped",
            "INPUTS[3] (\"v\") has unknown TYPE \"vec3\"; skipped",
            "INPUTS[4] is not an object; skipped",
        ]
    );
    let unknown = &doc.warnings[2];
    assert_eq!((unknown.line, unknown.column), (5, 31));
}

#[test]
fn wrong_value_type_is_an_error_at_the_value() {
    let src = isf(
        "{\n\"INPUTS\": [\n  {\"NAME\": \"speed\", \"TYPE\": \"float\", \"DEFAULT\": \"abc\"}\n]}",
    );
    assert_error_at(
        &src,
        "input \"speed\": DEFAULT must be a number, found string \"abc\"",
        (3, 49),
    );

    let err =
        parse_err(r#"{"INPUTS": [{"NAME": "c", "TYPE": "color", "DEFAULT": [1, true, 0, 1]}]}"#);
    assert_eq!(
        err.diagnostic.message,
        "input \"c\": DEFAULT[1] must be a number, found boolean true"
    );
    let err = parse_err(r#"{"INPUTS": [{"NAME": "b", "TYPE": "bool", "DEFAULT": [1]}]}"#);
    assert_eq!(
        err.diagnostic.message,
        "input \"b\": DEFAULT must be a boolean, found array of 1"
    );
    let err = parse_err(r#"{"INPUTS": [{"NAME": "n", "TYPE": "long", "MAX": {}}]}"#);
    assert_eq!(
        err.diagnostic.message,
        "input \"n\": MAX must be a number, found object"
    );
}

#[test]
fn duplicate_input_name_is_an_error() {
    let err =
        parse_err(r#"{"INPUTS": [{"NAME": "x", "TYPE": "float"}, {"NAME": "x", "TYPE": "bool"}]}"#);
    assert_eq!(err.diagnostic.message, "duplicate input name \"x\"");
    assert_eq!(err.diagnostic.column, 56);
}

// ---------------------------------------------------------------------------------------------
// Passes

#[test]
fn passes_with_expressions_and_flags() {
    let doc = parse(
        r#"{"INPUTS": [{"NAME": "scale", "TYPE": "float", "DEFAULT": 0.5}],
        "PASSES": [
            {"TARGET": "half", "WIDTH": "floor($WIDTH/2.0)", "HEIGHT": "$HEIGHT * $scale", "FLOAT": "true"},
            {"TARGET": "fixed", "WIDTH": 64, "HEIGHT": 32.5, "FLOAT": 1, "PERSISTENT": "YES"},
            {"TARGET": "f0", "FLOAT": 0, "PERSISTENT": false},
            {}
        ]}"#,
    );
    assert_eq!(doc.passes.len(), 4);
    let p0 = &doc.passes[0];
    assert_eq!(p0.target.as_deref(), Some("half"));
    assert!(p0.float && !p0.persistent);
    assert_eq!(p0.width.as_ref().unwrap().source(), "floor($WIDTH/2.0)");
    let vars = |n: &str| match n {
        "WIDTH" => Some(101.0),
        "HEIGHT" => Some(80.0),
        "scale" => Some(0.5),
        _ => None,
    };
    assert_eq!(p0.width.as_ref().unwrap().eval(&vars), Ok(50.0));
    assert_eq!(p0.height.as_ref().unwrap().eval(&vars), Ok(40.0));
    let p1 = &doc.passes[1];
    assert!(p1.float && p1.persistent);
    assert_eq!(p1.width, Some(SizeExpr::constant(64.0)));
    assert_eq!(p1.width.as_ref().unwrap().source(), "64");
    assert_eq!(p1.height.as_ref().unwrap().eval(&vars), Ok(32.5));
    let p2 = &doc.passes[2];
    assert!(!p2.float && !p2.persistent);
    assert_eq!(doc.passes[3], output_pass());
    assert!(doc.warnings.is_empty());
}

#[test]
fn empty_passes_array_gives_one_output_pass() {
    let doc = parse(r#"{"PASSES": []}"#);
    assert_eq!(doc.passes, vec![output_pass()]);
}

#[test]
fn unknown_symbol_in_size_is_an_error() {
    let err = parse_err(r#"{"PASSES": [{"TARGET": "a"}, {"WIDTH": "$foo * 2"}]}"#);
    assert_eq!(
        err.diagnostic.message,
        "PASSES[1].WIDTH refers to unknown input \"$foo\""
    );
    assert_eq!(err.diagnostic.column, 42);

    let err = parse_err(
        r#"{"INPUTS": [{"NAME": "img", "TYPE": "image"}], "PASSES": [{"HEIGHT": "$img"}]}"#,
    );
    assert_eq!(
        err.diagnostic.message,
        "PASSES[0].HEIGHT refers to input \"$img\" of type image; only float, long, bool and event inputs can be used"
    );
}

#[test]
fn invalid_size_expression_and_flag_are_errors() {
    let err = parse_err(r#"{"PASSES": [{"WIDTH": "$WIDTH / "}]}"#);
    assert_eq!(
        err.diagnostic.message,
        "PASSES[0].WIDTH \"$WIDTH / \" is not a valid expression: expected a number, a $name, a function or '(', found the end of the expression"
    );
    let err = parse_err(r#"{"PASSES": [{"FLOAT": "maybe"}]}"#);
    assert_eq!(
        err.diagnostic.message,
        "PASSES[0].FLOAT must be a boolean, found string \"maybe\""
    );
    let err = parse_err(r#"{"PASSES": [{"WIDTH": true}]}"#);
    assert_eq!(
        err.diagnostic.message,
        "PASSES[0].WIDTH must be a number or an expression string, found boolean true"
    );
}

#[test]
fn target_named_like_an_input_is_an_error_but_repeated_targets_are_fine() {
    let err = parse_err(
        r#"{"INPUTS": [{"NAME": "buf", "TYPE": "image"}], "PASSES": [{"TARGET": "buf"}]}"#,
    );
    assert_eq!(
        err.diagnostic.message,
        "pass TARGET \"buf\" has the same name as an input"
    );
    let doc = parse(r#"{"PASSES": [{"TARGET": "blur"}, {"TARGET": "blur"}, {}]}"#);
    assert_eq!(doc.passes.len(), 3);
}

#[test]
fn persistent_buffers_array_form_upgrades_passes() {
    let doc = parse(
        r#"{"PERSISTENT_BUFFERS": ["accum", "unused"],
        "PASSES": [{"TARGET": "accum"}, {"TARGET": "tmp"}, {}]}"#,
    );
    assert_eq!(doc.isf_version, IsfVersion::V1);
    assert!(doc.passes[0].persistent);
    assert!(!doc.passes[1].persistent);
    assert!(!doc.passes[2].persistent);
    assert_eq!(
        warnings(&doc),
        vec!["persistent buffer \"unused\" is never rendered to"]
    );
}

#[test]
fn persistent_buffers_dict_form_gives_sizes_and_float() {
    let doc = parse(
        r#"{"ISFVSN": "2",
        "INPUTS": [{"NAME": "n", "TYPE": "long"}],
        "PERSISTENT_BUFFERS": {
            "state": {"WIDTH": "$n", "HEIGHT": 1, "FLOAT": true},
            "own": {"WIDTH": 10, "HEIGHT": 10}
        },
        "PASSES": [{"TARGET": "state"}, {"TARGET": "own", "WIDTH": 5, "FLOAT": false}, {}]}"#,
    );
    let p0 = &doc.passes[0];
    assert!(p0.persistent && p0.float);
    assert_eq!(p0.width.as_ref().unwrap().source(), "$n");
    assert_eq!(p0.height, Some(SizeExpr::constant(1.0)));
    let p1 = &doc.passes[1];
    assert!(p1.persistent && !p1.float);
    assert_eq!(p1.width, Some(SizeExpr::constant(5.0)));
    assert_eq!(p1.height, Some(SizeExpr::constant(10.0)));
    assert!(doc.warnings.is_empty());

    let err =
        parse_err(r#"{"PERSISTENT_BUFFERS": {"s": {"WIDTH": "$q"}}, "PASSES": [{"TARGET": "s"}]}"#);
    assert_eq!(
        err.diagnostic.message,
        "PERSISTENT_BUFFERS.s.WIDTH refers to unknown input \"$q\""
    );
}

// ---------------------------------------------------------------------------------------------
// IMPORTED

#[test]
fn imported_object_form() {
    let src = isf(
        r#"{"IMPORTED": {"noise": {"PATH": "noise.png"}, "other": {"NAME": "renamed", "PATH": "sub/o.jpg"}}}"#,
    );
    let doc = IsfDocument::parse_with_base(&src, Some(Path::new("/shaders"))).unwrap();
    assert_eq!(
        doc.imported,
        vec![
            ImportedImage {
                name: "noise".into(),
                path: "noise.png".into(),
                resolved_path: PathBuf::from("/shaders/noise.png")
            },
            ImportedImage {
                name: "renamed".into(),
                path: "sub/o.jpg".into(),
                resolved_path: PathBuf::from("/shaders/sub/o.jpg")
            },
        ]
    );
}

#[test]
fn imported_array_form_without_base() {
    let doc = parse(r#"{"IMPORTED": [{"NAME": "tex", "PATH": "../t.png"}]}"#);
    assert_eq!(
        doc.imported,
        vec![ImportedImage {
            name: "tex".into(),
            path: "../t.png".into(),
            resolved_path: PathBuf::from("../t.png")
        }]
    );
}

#[test]
fn imported_errors() {
    let err = parse_err(r#"{"IMPORTED": {"noise": {"NAME": "noise"}}}"#);
    assert_eq!(err.diagnostic.message, "IMPORTED \"noise\" has no PATH");
    assert_eq!(err.diagnostic.column, 26);
    let err = parse_err(r#"{"IMPORTED": [{"PATH": "a.png"}]}"#);
    assert_eq!(err.diagnostic.message, "IMPORTED[0] has no NAME");
    let err = parse_err(
        r#"{"INPUTS": [{"NAME": "t", "TYPE": "image"}], "IMPORTED": {"t": {"PATH": "a.png"}}}"#,
    );
    assert_eq!(
        err.diagnostic.message,
        "imported image \"t\" has the same name as an input"
    );
}

// ---------------------------------------------------------------------------------------------
// Kinds

#[test]
fn shader_kinds() {
    const START_END: &str = r#"{"NAME": "startImage", "TYPE": "image"},
        {"NAME": "endImage", "TYPE": "image"}"#;
    let cases = [
        (
            r#"{"INPUTS": [{"NAME": "x", "TYPE": "float"}]}"#.to_string(),
            ShaderKind::Generator,
        ),
        (
            r#"{"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]}"#.to_string(),
            ShaderKind::Filter,
        ),
        // inputImage of the wrong type does not make a filter.
        (
            r#"{"INPUTS": [{"NAME": "inputImage", "TYPE": "float"}]}"#.to_string(),
            ShaderKind::Generator,
        ),
        (
            format!(r#"{{"INPUTS": [{START_END}, {{"NAME": "progress", "TYPE": "float"}}]}}"#),
            ShaderKind::Transition,
        ),
        // Without progress it is no transition.
        (
            format!(r#"{{"INPUTS": [{START_END}, {{"NAME": "inputImage", "TYPE": "image"}}]}}"#),
            ShaderKind::Filter,
        ),
    ];
    for (json, kind) in cases {
        assert_eq!(parse(&json).kind, kind, "{json}");
    }
}

// ---------------------------------------------------------------------------------------------
// Size expressions

fn wh(name: &str) -> Option<f64> {
    match name {
        "WIDTH" => Some(640.0),
        "HEIGHT" => Some(480.0),
        "scale" => Some(0.25),
        _ => None,
    }
}

#[test]
fn expression_evaluation() {
    let cases: &[(&str, f64)] = &[
        ("floor($WIDTH/3.0)", 213.0),
        ("max(1, $HEIGHT*$scale)", 120.0),
        ("max(1, $HEIGHT*$scale*0.001)", 1.0),
        ("1 + 2 * 3", 7.0),
        ("(1 + 2) * 3", 9.0),
        ("10 - 4 - 3", 3.0),
        ("16 / 4 / 2", 2.0),
        ("-3 + 5", 2.0),
        ("-(2 * 3)", -6.0),
        ("2 * -3", -6.0),
        ("--2", 2.0),
        ("pow(2, 10)", 1024.0),
        ("sqrt(16) + abs(-2)", 6.0),
        ("ceil(1.2) + round(2.5) + floor(-0.5)", 4.0),
        ("min(3, 1, 2)", 1.0),
        ("7 % 4", 3.0),
        ("1e3", 1000.0),
        ("2.5E-1 * 4", 1.0),
        (".5 + 2.", 2.5),
        ("WIDTH / 2", 320.0),
        ("  $WIDTH  ", 640.0),
    ];
    for (text, want) in cases {
        assert_eq!(expr(text).eval(&wh), Ok(*want), "{text}");
    }
}

#[test]
fn expression_symbols_and_source() {
    let e = expr("max($WIDTH, $scale * HEIGHT) + $WIDTH");
    assert_eq!(e.symbols(), vec!["WIDTH", "scale", "HEIGHT"]);
    assert_eq!(e.source(), "max($WIDTH, $scale * HEIGHT) + $WIDTH");
    assert_eq!(
        serde_json::to_string(&e).unwrap(),
        "\"max($WIDTH, $scale * HEIGHT) + $WIDTH\""
    );
    assert!(SizeExpr::constant(3.0).symbols().is_empty());
    assert_eq!(SizeExpr::constant(0.5).source(), "0.5");
}

#[test]
fn expression_errors() {
    let cases: &[(&str, &str)] = &[
        ("", "the expression is empty"),
        (
            "1 +",
            "expected a number, a $name, a function or '(', found the end of the expression",
        ),
        ("(1 + 2", "expected ')', found the end of the expression"),
        ("1 2", "unexpected '2' at column 3"),
        ("foo(1)", "unknown function \"foo\" at column 1"),
        ("pow(2)", "pow() takes 2 arguments, got 1"),
        ("floor(1, 2)", "floor() takes 1 argument, got 2"),
        ("max(1)", "max() takes at least 2 arguments, got 1"),
        ("$", "expected a name after '$' at column 1"),
        ("1.2.3", "invalid number \"1.2.3\" at column 1"),
        ("2 ^ 3", "unexpected '^' at column 3"),
        ("min(1; 2)", "expected ',' or ')', found ';' at column 6"),
    ];
    for (text, want) in cases {
        assert_eq!(SizeExpr::parse(text).unwrap_err(), *want, "{text}");
    }
    assert_eq!(
        expr("$WIDTH + $missing").eval(&wh),
        Err("missing".to_string())
    );
    assert!(expr("1 / 0").eval(&wh).unwrap().is_infinite());
}

// ---------------------------------------------------------------------------------------------
// Rendering

#[test]
fn diagnostic_render_snapshot() {
    let src = "/*{\n\t\"INPUTS\": [\n\t\t{\"NAME\": \"speed\", \"TYPE\": \"float\", \"DEFAULT\": \"fast\"}\n\t]\n}*/\nvoid main() {}\n";
    let err = IsfDocument::parse(src).unwrap_err();
    assert_eq!(
        err.diagnostic.render("shaders/wave.fs"),
        "shaders/wave.fs:3:49: error: input \"speed\": DEFAULT must be a number, found string \"fast\"\n    \
         3 | \t\t{\"NAME\": \"speed\", \"TYPE\": \"float\", \"DEFAULT\": \"fast\"}\n      \
         | \t\t                                              ^"
    );

    let doc = IsfDocument::parse(&isf(r#"{"INPUTS": [{"NAME": "v", "TYPE": "vec3"}]}"#)).unwrap();
    assert_eq!(
        doc.warnings[0].render("a.fs"),
        "a.fs:1:37: warning: INPUTS[0] (\"v\") has unknown TYPE \"vec3\"; skipped\n    \
         1 | /*{\"INPUTS\": [{\"NAME\": \"v\", \"TYPE\": \"vec3\"}]}*/\n      \
         |                                     ^"
    );

    let bare = Diagnostic::bare(Severity::Error, "cannot read x.fs: gone");
    assert_eq!(bare.render("x.fs"), "x.fs: error: cannot read x.fs: gone");
}

#[test]
fn unterminated_json_points_at_the_end_of_the_header() {
    assert_error_at(
        "/*{\n\t\"ISFVSN\": \"2\"\n*/\nvoid main() {}\n",
        "invalid JSON in ISF header: EOF while parsing an object",
        (3, 1),
    );
}

#[test]
fn tolerant_json_accepts_unquoted_keys_and_bare_decimals_but_not_missing_commas() {
    let doc = parse("{ISFVSN: '2', INPUTS: [{NAME: \"a\", TYPE: \"float\", DEFAULT: .25}]}");
    assert_eq!(doc.isf_version, IsfVersion::V2("2".into()));
    assert_eq!(input_ty(&doc, "a"), float(0.25, 0.0, 1.0));
    assert_eq!(
        warnings(&doc),
        vec!["header is not strict JSON (key must be a string); parsed it tolerantly"]
    );

    assert_error_at(
        &isf("{\"ISFVSN\": \"2\"\n \"INPUTS\": []}"),
        "invalid JSON in ISF header: expected `,` or `}`",
        (2, 2),
    );
}

#[test]
fn filter_wrap_and_flipped_name_how_a_texture_is_read() {
    use isfkit_format::{Filter, Sampling, Wrap};
    let doc = parse(
        r#"{"ISFVSN": "2",
            "INPUTS": [{"NAME": "noise", "TYPE": "image", "FILTER": "Nearest", "WRAP": "repeat"},
                       {"NAME": "plain", "TYPE": "image"},
                       {"NAME": "level", "TYPE": "float", "WRAP": "repeat"}],
            "IMPORTED": {"tile": {"PATH": "tile.png", "WRAP": "mirror", "FLIPPED": true}},
            "PASSES": [{"TARGET": "cells", "FILTER": "nearest", "FLIPPED": true},
                       {"FILTER": "nearest"}, {"TARGET": "blurred", "FILTER": "mipmap"}]}"#,
    );
    assert_eq!(
        doc.sampling_of("noise"),
        Sampling {
            filter: Filter::Nearest,
            wrap: Wrap::Repeat
        }
    );
    assert_eq!(doc.sampling_of("plain"), Sampling::default());
    assert_eq!(doc.sampling_of("tile").wrap, Wrap::Mirror);
    assert_eq!(doc.sampling_of("cells").filter, Filter::Nearest);
    assert_eq!(doc.sampling.len(), 3);
    assert_eq!(doc.flipped, ["tile".to_owned()].into());
    assert_eq!(
        warnings(&doc),
        vec![
            "input \"level\": WRAP applies only to a texture (an image or audio input, an imported image, a pass with a TARGET); ignored",
            "PASSES[0]: FLIPPED applies only to an image input or an imported image; ignored",
            "PASSES[1]: FILTER applies only to a texture (an image or audio input, an imported image, a pass with a TARGET); ignored",
            "PASSES[2]: FILTER \"mipmap\" applies to an image input or an imported image; this texture has one level and is read linearly",
        ]
    );
    assert_error_at(
        &isf(r#"{"INPUTS": [{"NAME": "a", "TYPE": "image", "WRAP": "tile"}]}"#),
        r#"input "a": WRAP must be "clamp", "repeat", or "mirror", found string "tile""#,
        (1, 54),
    );
    assert_error_at(
        &isf(r#"{"PASSES": [{"TARGET": "b", "FILTER": 1}]}"#),
        r#"PASSES[0]: FILTER must be "linear", "nearest", or "mipmap", found number 1"#,
        (1, 41),
    );
}

#[test]
fn an_audio_fft_input_can_take_shadertoys_layout() {
    let doc = parse(
        r#"{"INPUTS": [{"NAME": "snd", "TYPE": "audioFFT", "LAYOUT": "shadertoy", "MAX": 256},
                       {"NAME": "fft", "TYPE": "audioFFT", "LAYOUT": "isf", "MAX": 64}]}"#,
    );
    assert_eq!(
        input_ty(&doc, "snd"),
        InputType::AudioFft {
            max: None,
            shadertoy: true
        }
    );
    assert_eq!(
        input_ty(&doc, "fft"),
        InputType::AudioFft {
            max: Some(64),
            shadertoy: false
        }
    );
    assert_eq!(
        warnings(&doc),
        vec!["input \"snd\": MAX 256 does not apply to Shadertoy's sound texture (512 wide); ignored"]
    );
    assert_error_at(
        &isf(r#"{"INPUTS": [{"NAME": "s", "TYPE": "audioFFT", "LAYOUT": "webaudio"}]}"#),
        r#"input "s": LAYOUT must be "isf" or "shadertoy", found string "webaudio""#,
        (1, 59),
    );
}

#[test]
fn a_header_reports_its_first_hundred_warnings_and_counts_the_rest() {
    let inputs: Vec<String> = (0..130)
        .map(|i| format!(r#"{{"NAME": "a{i}", "TYPE": "float", "FILTER": "nearest"}}"#))
        .collect();
    let doc = parse(&format!(r#"{{"INPUTS": [{}]}}"#, inputs.join(", ")));
    let w = warnings(&doc);
    assert_eq!(w.len(), 101);
    assert_eq!(
        w[99],
        r#"input "a99": FILTER applies only to a texture (an image or audio input, an imported image, a pass with a TARGET); ignored"#
    );
    assert_eq!(
        w[100],
        "30 more warnings are not shown (the header's first 100 are)"
    );
    assert_eq!(doc.warnings[100].line, 0, "the count has no position");
}
