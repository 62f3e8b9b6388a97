"""Shadertoy, GLSL Sandbox and gl-transitions sources from Python: loaded directly, and
converted to ISF with isfkit.convert / convert_all."""

import json

import pytest

import isfkit
from conftest import REPO

SHADERTOY = """void mainImage(out vec4 fragColor, in vec2 fragCoord) {
    fragColor = vec4(fragCoord / iResolution.xy, iResolution.z * 0.5, 1.0);
}
"""


def test_a_shadertoy_source_loads_directly_and_converts_alike(engine):
    direct = engine.load_source(SHADERTOY).render(16, 8)
    isf = isfkit.convert(SHADERTOY)
    assert isf.startswith('/*{\n    "ISFVSN": "2",')
    assert isfkit.validate(isf).valid
    converted = engine.load_source(isf).render(16, 8)
    assert (direct.to_numpy() == converted.to_numpy()).all()
    # Bottom-left pixel centre of 16x8; iResolution.z is 1.
    r, g, b, a = direct.pixel(0, 7)
    assert (round(r * 255), round(g * 255), round(b * 255), a) == (8, 16, 128, 1.0)


def test_the_gl_transitions_package_converts_to_named_sources(tmp_path):
    package = REPO / "tests" / "dialects" / "gl-transitions" / "gl-transitions.json"
    shaders = isfkit.convert_all(package)
    assert len(shaders) == 125
    assert isfkit.parse(shaders["fade"]).kind == "transition"
    names = [i.name for i in isfkit.parse(shaders["GridFlip"]).inputs]
    assert names[:3] == ["startImage", "endImage", "progress"]
    assert "size" in names
    with pytest.raises(isfkit.ParseError, match="holds 125 shaders"):
        isfkit.convert(package)


def test_conversion_warnings_and_errors():
    path = REPO / "tests" / "dialects" / "shadertoy" / "four_buffers.json"
    isf = isfkit.convert(path)
    assert '"TARGET":"bufferD","PERSISTENT":true,"FLOAT":true' in isf
    textured = json.dumps({"Shader": {"info": {"name": "t"}, "renderpass": [
        {"type": "image", "name": "Image", "code": "void mainImage(out vec4 c, in vec2 f) { c = texture(iChannel0, f); }",
         "inputs": [{"id": "1", "ctype": "texture", "channel": 0, "src": "/media/a/rock.png"}], "outputs": []}]}})
    with pytest.warns(UserWarning, match=r"media files are not included; set these image inputs .*: iChannel0 \(rock.png\)"):
        isfkit.convert(textured)
    with pytest.raises(isfkit.ParseError, match="cannot tell which dialect"):
        isfkit.convert("void main() { gl_FragColor = vec4(1.0); }\n")
    assert isfkit.convert("void main() { gl_FragColor = vec4(1.0); }\n", dialect="glslsandbox")
    with pytest.raises(ValueError, match="unknown dialect"):
        isfkit.convert(SHADERTOY, dialect="hlsl")
    bad = json.dumps({"Shader": {"info": {"name": "t"}, "renderpass": [
        {"type": "image", "name": "Image", "code": "void mainImage(out vec4 c, in vec2 f) { c = vec4(1.0); }",
         "inputs": [{"id": "4dXGR8", "ctype": "buffer", "channel": 0}], "outputs": []}]}})
    with pytest.raises(isfkit.ParseError, match="no pass writes it"):
        isfkit.convert(bad)


def test_a_shadertoy_sound_pass_renders_into_samples(engine):
    import numpy as np

    song = json.dumps({"Shader": {"info": {"id": "snd", "name": "song"}, "renderpass": [
        {"type": "image", "name": "Image", "inputs": [], "outputs": [],
         "code": "void mainImage(out vec4 c, in vec2 f) { c = vec4(0.5); }"},
        {"type": "sound", "name": "Sound", "inputs": [], "outputs": [],
         "code": "vec2 mainSound(int samp, float time) { return vec2(sin(6.2831853 * 440.0 * time), 0.25); }"},
    ]}})
    samples, rate = engine.load_source(song).sound(0.5)
    assert rate == 44100
    assert samples.shape == (2, 22050) and samples.dtype == np.float32
    t = np.arange(22050) / 44100.0
    assert np.abs(samples[0] - np.sin(2 * np.pi * 440.0 * t)).max() < 2e-3
    assert np.all(samples[1] == 0.25)
    assert engine.load_source(SHADERTOY).sound(1.0) is None
