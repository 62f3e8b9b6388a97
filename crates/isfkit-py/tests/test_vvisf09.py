"""isfkit.vvisf's pyvvisf 0.9 API beyond what pyvvisf's own suite (tests/vendor/pyvvisf09) checks:
install_as_pyvvisf, the error hierarchy and positions, messages, state across renders and
the lifecycle."""

import sys

import pytest

import isfkit
import isfkit.vvisf as pv

COLOR = """/*{"INPUTS": [{"NAME": "c", "TYPE": "color", "DEFAULT": [1, 0, 0, 1]},
                     {"NAME": "x", "TYPE": "float", "DEFAULT": 0.5, "MIN": 0, "MAX": 1},
                     {"NAME": "n", "TYPE": "long", "VALUES": [0, 1, 2], "DEFAULT": 0}]}*/
void main() { gl_FragColor = vec4(c.r * x, float(n) / 2.0, 0.0, 1.0); }
"""


def test_install_as_pyvvisf_registers_the_package_and_its_submodules(vvisf_process):
    saved = {k: m for k, m in sys.modules.items() if k == "pyvvisf" or k.startswith("pyvvisf.")}
    pv.install_as_pyvvisf()
    try:
        import pyvvisf
        from pyvvisf.errors import ContextError, ISFParseError, ValidationError  # noqa: F401
        from pyvvisf.parser import ISFInput, ISFMetadata, ISFParser  # noqa: F401
        from pyvvisf.renderer import ShaderValidationError  # noqa: F401
        from pyvvisf.types import ISFColor, coerce_to_isf_value  # noqa: F401

        import pyvvisf.renderer

        assert pyvvisf is pv and pyvvisf.renderer.ShaderValidationError is pv.ShaderValidationError
        for name in ["ISFColor", "ISFError", "ISFMetadata", "ISFParseError", "ISFParser", "ISFPoint2D",
                     "ISFRenderer", "ISFValue", "RenderingError", "ShaderCompilationError", "__version__",
                     "get_supported_glsl_versions"]:  # fmt: skip
            assert name in pyvvisf.__all__ and hasattr(pyvvisf, name), name
        assert pyvvisf.__version__.startswith("0.9.")
        assert "330" in pyvvisf.get_supported_glsl_versions()
    finally:
        for key in [k for k in sys.modules if k == "pyvvisf" or k.startswith("pyvvisf.")]:
            del sys.modules[key]
        sys.modules.update(saved)


def test_errors_are_both_pyvvisf_and_isfkit_classes():
    assert issubclass(pv.ISFParseError, pv.ISFError) and issubclass(pv.ISFParseError, isfkit.ParseError)
    assert issubclass(pv.ShaderCompilationError, isfkit.CompileError)
    assert issubclass(pv.RenderingError, isfkit.RenderError)
    assert issubclass(pv.ISFError, isfkit.ISFError)
    e = pv.errors.ISFParseError("Parse failed", "invalid json", {"line": 5})
    assert "invalid json" in str(e) and "line: 5" in str(e) and e.line == 5


def test_empty_shader_message(vvisf_process):
    with pytest.raises(pv.ShaderCompilationError, match="Shader content is empty"):
        pv.ISFRenderer("")
    with pytest.raises(pv.ShaderCompilationError, match="Shader content is empty"):
        pv.ISFRenderer("  \n ")


def test_compile_error_carries_the_line_and_column_of_the_users_file(vvisf_process):
    src = '/*{"INPUTS": []}*/\n\nvoid main() {\n    gl_FragColor = vec4(1.0) + ;\n}\n'
    with pytest.raises(isfkit.CompileError) as info:
        pv.ISFRenderer(src)
    e = info.value
    assert isinstance(e, pv.ShaderCompilationError) and isinstance(e, pv.renderer.ShaderValidationError)
    assert "Shader compilation failed" in str(e)
    assert (e.line, e.column) == (4, 32)
    assert e.diagnostics[0].stage == "fragment" and e.context["shader_type"] == "fragment"


def test_header_errors_have_pyvvisf_messages_and_positions(vvisf_process):
    with pytest.raises(pv.ISFParseError, match="No ISF JSON metadata block found"):
        pv.ISFRenderer("void main() { gl_FragColor = vec4(1.0); }")
    bad = '/*{\n  "INPUTS": [\n    {"NAME": "a", "TYPE": "float",\n  ]\n}*/\nvoid main() {}'
    with pytest.raises(isfkit.ParseError) as info:
        pv.ISFRenderer(bad)
    assert "Failed to parse ISF JSON metadata" in str(info.value)
    assert info.value.line == 4
    with pytest.raises(pv.ShaderCompilationError, match="invalid ISF metadata"):
        pv.ISFRenderer('/*{"INPUTS": [{"NAME": "a", "TYPE": "nope"}]}*/\nvoid main() {}')


def test_input_messages_and_coercion(vvisf_process):
    with pv.ISFRenderer(COLOR) as r:
        with pytest.raises(pv.RenderingError, match="Input 'nope' not found in shader inputs"):
            r.set_input("nope", 1)
        with pytest.raises(pv.RenderingError, match="Failed to set input 'c'") as info:
            r.set_input("c", 1.0)
        assert isinstance(info.value, isfkit.InputError)
        with pytest.raises(pv.RenderingError, match="above maximum"):
            r.set_input("x", 2.0)
        with pytest.raises(TypeError):
            r.set_inputs([("x", 1.0)])
        r.set_inputs({"c": pv.ISFColor(1, 0, 0), "x": 1, "n": True})
        assert tuple(r.render(2, 2).array[0, 0]) == (255, 128, 0, 255)
        r.set_input("c", [2.0, 0.0, 0.0])  # clamped as pyvvisf's ISFColor does
        assert r.get_current_inputs()["c"] == (1.0, 0.0, 0.0, 1.0)
    with pv.ISFRenderer('/*{"INPUTS": []}*/\nvoid main() { gl_FragColor = vec4(1.0); }') as r:
        with pytest.raises(pv.RenderingError, match="has no inputs"):
            r.set_input("x", 1.0)


def test_render_inputs_apply_to_one_frame(vvisf_process):
    with pv.ISFRenderer(COLOR) as r:
        assert r.render(2, 2, inputs={"x": 1.0}).array[0, 0, 0] == 255
        assert r.render(2, 2).array[0, 0, 0] == 128
        r.set_input("x", 0.0)
        assert r.render(2, 2, {"x": 1.0}).array[0, 0, 0] == 255
        assert r.render(2, 2).array[0, 0, 0] == 0


def test_frameindex_counts_and_persistent_buffers_carry_over(vvisf_process):
    # pyvvisf 0.9 renders FRAMEINDEX 0 every time and has no persistent buffers.
    src = """/*{"PASSES": [{"TARGET": "acc", "PERSISTENT": true}, {}]}*/
    void main() {
        if (PASSINDEX == 0)
            gl_FragColor = vec4(float(FRAMEINDEX) / 255.0, IMG_THIS_NORM_PIXEL(acc).g + 1.0 / 255.0, 0.0, 1.0);
        else
            gl_FragColor = IMG_THIS_NORM_PIXEL(acc);
    }"""
    with pv.ISFRenderer(src) as r:
        got = [tuple(r.render(4, 4, time_offset=i / 30).array[0, 0, :2]) for i in range(3)]
    assert got == [(0, 1), (1, 2), (2, 3)]


def test_isf_frag_norm_coord_origin_is_bottom_left(vvisf_process):
    src = '/*{}*/\nvoid main() { gl_FragColor = vec4(isf_FragNormCoord, 0.0, 1.0); }'
    with pv.ISFRenderer(src) as r:
        a = r.render(8, 8).array
    assert a[-1, 0, 0] < 20 and a[-1, 0, 1] < 20  # bottom-left row of the image
    assert a[0, -1, 0] > 235 and a[0, -1, 1] > 235  # top-right


def test_lifecycle_results_survive_and_renderers_reload(vvisf_process, tmp_path):
    r = pv.ISFRenderer(COLOR, vertex_shader_content="void main() { isf_vertShaderInit(); }")
    first = r.render(4, 4)
    r.cleanup()
    assert not r.is_valid()
    assert pv.cleanup_glfw_context().ok
    assert first.to_pil_image().getpixel((0, 0)) == (128, 0, 0, 255)  # plain memory
    assert (r.render(4, 4).array == first.array).all()  # reloads on a fresh engine
    assert r.is_valid()
    r.save_render(str(tmp_path / "out.png"), 8, 4)
    from PIL import Image

    assert Image.open(tmp_path / "out.png").size == (8, 4)
    with pytest.raises(pv.RenderingError, match="headless"):
        r.render_to_window()
    r.cleanup()


def test_load_shader_file_names_the_file_in_errors(vvisf_process, tmp_path):
    path = tmp_path / "broken.fs"
    path.write_text('/*{"INPUTS": []}*/\nvoid main() {\n  gl_FragColor = nope;\n}\n')
    with pytest.raises(pv.ShaderCompilationError) as info:
        pv.ISFRenderer(path=str(path))
    assert "broken.fs:3:" in str(info.value) and info.value.line == 3


def test_headers_with_brace_and_comment_end_on_different_lines(vvisf_process):
    # The 0.9 layer reads headers with isfkit's own header reader, which accepts VIDVOX's
    # layout (`}` and `*/` on different lines); pyvvisf's `/*{...}*/` pattern would miss it
    # and refuse shaders the engine renders.
    src = '/*\n{\n  "ISFVSN": "2",\n  "INPUTS": [{"NAME": "x", "TYPE": "float", "DEFAULT": 0.25}]\n}\n*/\n' \
          "void main() { gl_FragColor = vec4(x, 0.0, 0.0, 1.0); }\n"
    glsl, metadata = pv.ISFParser().parse_content(src)
    assert [i.name for i in metadata.inputs] == ["x"]
    assert "void main()" in glsl and "ISFVSN" not in glsl
    with pv.ISFRenderer(src) as renderer:
        px = renderer.render(4, 4).to_numpy()[0, 0]
    assert abs(int(px[0]) - 64) <= 1 and px[3] == 255
