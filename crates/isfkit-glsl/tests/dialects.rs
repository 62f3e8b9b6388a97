//! Shaders in other dialects report their errors at the user's own lines: a bare file's
//! line, and a Shadertoy JSON file's pass and line within it.

use isfkit_glsl::{LoadError, Program};

fn error_of(source: &str) -> String {
    match Program::from_source(source, None) {
        Ok(_) => panic!("compiled: {source}"),
        Err(e @ LoadError::Compile { .. }) => e.render(),
        Err(e) => panic!("not a compile error: {e}"),
    }
}

#[test]
fn a_shadertoy_file_reports_errors_at_its_own_line() {
    let text = error_of(
        "// a Shadertoy shader\nvoid mainImage(out vec4 fragColor, in vec2 fragCoord) {\n    fragColor = vec4(brightness);\n}\n",
    );
    assert_eq!(
        text,
        "<source>:3:22: error: Unknown variable: brightness\n    3 |     fragColor = vec4(brightness);\n      |                      ^"
    );
}

#[test]
fn a_shadertoy_json_file_reports_errors_at_the_pass_and_its_line() {
    let buffer =
        "// Buffer B\\nvoid mainImage(out vec4 o, in vec2 c) {\\n    o = vec4(glow);\\n}\\n";
    let image =
        "void mainImage(out vec4 o, in vec2 c) { o = texture(iChannel0, c / iResolution.xy); }";
    let json = format!(
        r#"{{"Shader": {{"info": {{"id": "x", "name": "t"}}, "renderpass": [
            {{"type": "image", "name": "Image", "code": "{image}", "inputs": [{{"id": "XsXGR8", "ctype": "buffer", "channel": 0}}], "outputs": []}},
            {{"type": "buffer", "name": "Buffer B", "code": "{buffer}", "inputs": [], "outputs": [{{"id": "XsXGR8", "channel": 0}}]}}
        ]}}}}"#
    );
    assert_eq!(
        error_of(&json),
        "<source>:Buffer B:3:14: error: Unknown variable: glow\n    3 |     o = vec4(glow);\n      |              ^"
    );
}

/// A Sound pass that does not compile (or has no mainSound) leaves the shader without sound:
/// a warning at its own line, and the picture compiles.
#[test]
fn a_shadertoy_sound_pass_that_fails_is_a_warning_at_its_own_line() {
    let sound = "vec2 mainSound(int samp, float time) {\\n  float x = undefinedThing * 2.0;\\n  return vec2(x);\\n}";
    let image = "void mainImage(out vec4 o, in vec2 c) { o = vec4(1.0); }";
    let json = |sound: &str| {
        format!(
            r#"{{"Shader": {{"info": {{"id": "x", "name": "t"}}, "renderpass": [
            {{"type": "image", "name": "Image", "code": "{image}", "inputs": [], "outputs": []}},
            {{"type": "sound", "name": "Sound", "code": "{sound}", "inputs": [], "outputs": []}}
        ]}}}}"#
        )
    };
    let program = Program::from_source(&json(sound), None).unwrap();
    assert!(program.sound.is_none());
    let warnings: Vec<String> = program
        .doc
        .warnings
        .iter()
        .map(|w| w.render("<source>"))
        .collect();
    assert_eq!(
        warnings,
        ["<source>:Sound:2:13: warning: the Sound pass does not compile, so the shader has no sound: Unknown variable: undefinedThing\n    2 |   float x = undefinedThing * 2.0;\n      |             ^"]
    );
    let program =
        Program::from_source(&json("vec2 notSound(float t) { return vec2(t); }"), None).unwrap();
    assert!(program.sound.is_none());
    assert_eq!(
        program.doc.warnings[0].message,
        "pass \"Sound\" defines no vec2 mainSound(int samp, float time): the shader has no sound"
    );
    // With iMouse in Common, the Sound pass gets the mouse inputs too.
    let common = r#"{"type": "common", "name": "Common", "code": "float m() { return iMouse.x; }", "inputs": [], "outputs": []}"#;
    let with_mouse = json("vec2 mainSound(int s, float t) { return vec2(m()); }").replacen(
        "\"renderpass\": [",
        &format!("\"renderpass\": [{common},"),
        1,
    );
    let program = Program::from_source(&with_mouse, None).unwrap();
    assert!(program.sound.is_some(), "{:?}", program.doc.warnings);
}

#[test]
fn a_gl_transition_reports_errors_at_its_own_line() {
    let text = error_of(
        "uniform float amount; // = 0.5\nvec4 transition(vec2 uv) {\n  return mix(getFromColor(uv), getToColor(uv), progress * amount * gain);\n}\n",
    );
    assert_eq!(
        text,
        "<source>:3:68: error: Unknown variable: gain\n    3 |   return mix(getFromColor(uv), getToColor(uv), progress * amount * gain);\n      |                                                                    ^"
    );
}
