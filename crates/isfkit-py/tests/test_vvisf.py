"""pyvvisf 0.2 scripts, written exactly as a pyvvisf user writes them, with only the import
line changed."""

import isfkit
import numpy as np
import isfkit.vvisf as pyvvisf
import pytest

from conftest import GREY


def grey_level(buffer):
    image = buffer.to_pil_image()
    assert image.size == (64, 64)
    return {tuple(int(c) for c in px) for px in np.asarray(image).reshape(-1, 4)}


def test_scenario_1_reinitialize_set_time_and_rendersize_render_twice(vvisf_process):
    pyvvisf.initialize_glfw_context()
    scene = pyvvisf.CreateISFSceneRef()
    doc = pyvvisf.CreateISFDocRefWith(GREY)
    scene.use_doc(doc)

    pyvvisf.reinitialize_glfw_context()
    scene.set_value_for_input_named(pyvvisf.ISFFloatVal(0.0), "TIME")
    scene.set_value_for_input_named(pyvvisf.ISFFloatVal(64.0), "RENDERSIZE.x")
    scene.set_value_for_input_named(pyvvisf.ISFFloatVal(64.0), "RENDERSIZE.y")
    buffer = scene.create_and_render_a_buffer(pyvvisf.Size(64, 64))
    first = grey_level(buffer)

    pyvvisf.reinitialize_glfw_context()
    scene.set_value_for_input_named(pyvvisf.ISFFloatVal(1.0), "TIME")
    buffer = scene.create_and_render_a_buffer(pyvvisf.Size(64, 64))
    second = grey_level(buffer)

    assert first == second == {(128, 128, 128, 255)}


def test_scenario_2_ten_reinitializations_each_followed_by_a_render(vvisf_process):
    pyvvisf.initialize_glfw_context()
    scene = pyvvisf.CreateISFSceneRef()
    scene.use_doc(pyvvisf.CreateISFDocRefWith(GREY))
    buffers = []
    for i in range(10):
        pyvvisf.reinitialize_glfw_context()
        buffer = scene.create_and_render_a_buffer(pyvvisf.Size(64, 64))
        assert buffer is not None
        buffers.append(buffer)
    assert all(b is not None for b in buffers)
    assert grey_level(buffers[-1]) == {(128, 128, 128, 255)}


def test_scenario_3_pool_cleanup_reinitialize_render_20_times(vvisf_process):
    pyvvisf.initialize_glfw_context()
    buffer_pool = pyvvisf.GLBufferPool()
    scene = pyvvisf.CreateISFSceneRef()
    scene.use_doc(pyvvisf.CreateISFDocRefWith(GREY))
    completed = 0
    for i in range(20):
        buffer_pool.cleanup()
        pyvvisf.reinitialize_glfw_context()
        buffer = scene.create_and_render_a_buffer(pyvvisf.Size(64, 64))
        image = buffer.to_pil_image()
        assert image.getpixel((10, 10)) == (128, 128, 128, 255)
        completed += 1
    assert completed == 20


def test_scenario_4_cleanup_leaves_zero_live_gpu_resources(vvisf_process):
    pyvvisf.initialize_glfw_context()
    buffer_pool = pyvvisf.GLBufferPool()
    scene = pyvvisf.CreateISFSceneRef()
    scene.use_doc(pyvvisf.CreateISFDocRefWith(GREY))
    buffer = scene.create_and_render_a_buffer(pyvvisf.Size(64, 64))
    assert buffer.to_pil_image().getpixel((0, 0)) == (128, 128, 128, 255)
    assert len(isfkit.live_resources()) > 0
    buffer_pool.cleanup()
    report = pyvvisf.cleanup_glfw_context()
    assert report.ok, str(report)
    assert report.leaks == []
    assert isinstance(report.to_dict(), dict) and report.to_dict()["ok"] is True
    assert isfkit.live_resources() == []


def test_readme_style_script_with_values_and_context_manager(vvisf_process):
    shader_content = """
    /*{
        "DESCRIPTION": "Simple color shader",
        "INPUTS": [
            {"NAME": "color", "TYPE": "color", "DEFAULT": [1.0, 0.0, 0.0, 1.0]},
            {"NAME": "gain", "TYPE": "float", "DEFAULT": 1.0},
            {"NAME": "on", "TYPE": "bool", "DEFAULT": 1},
            {"NAME": "steps", "TYPE": "long", "MIN": 0, "MAX": 4, "DEFAULT": 4},
            {"NAME": "where", "TYPE": "point2D", "DEFAULT": [0, 0]}
        ]
    }*/
    void main() {
        gl_FragColor = on ? vec4(INPUTS_color.rgb * gain * float(steps) / 4.0 + vec3(where, 0.0) * 0.0, 1.0) : vec4(0.0);
    }
    """.replace("INPUTS_color", "color")
    with pyvvisf.GLContextManager() as ctx:
        scene = pyvvisf.CreateISFSceneRef()
        doc = pyvvisf.CreateISFDocRefWith(shader_content)
        scene.use_doc(doc)
        scene.set_value_for_input_named(pyvvisf.ISFColorVal(0.0, 1.0, 0.0, 1.0), "color")
        scene.set_value_for_input_named(pyvvisf.ISFFloatVal(1.0), "gain")
        scene.set_value_for_input_named(pyvvisf.ISFBoolVal(True), "on")
        scene.set_value_for_input_named(pyvvisf.ISFLongVal(4), "steps")
        scene.set_value_for_input_named(pyvvisf.ISFPoint2DVal(0.5, 0.5), "where")
        size = pyvvisf.Size(32, 16)
        buffer = scene.create_and_render_a_buffer(size)
        image = buffer.to_pil_image()
        assert image.size == (32, 16)
        assert image.getpixel((3, 3)) == (0, 255, 0, 255)
        assert ctx.is_valid()
        ctx.reinitialize()
        assert scene.create_and_render_a_buffer(size).to_pil_image().getpixel((3, 3)) == (0, 255, 0, 255)


def test_isf_renderer_context_manager_with_auto_coercion(vvisf_process):
    src = """/*{"INPUTS": [{"NAME": "color", "TYPE": "color", "DEFAULT": [1, 0, 0, 1]},
                        {"NAME": "intensity", "TYPE": "float", "DEFAULT": 1.0}]}*/
    void main() { gl_FragColor = vec4(color.rgb * intensity, 1.0); }"""
    with pyvvisf.ISFRenderer(src) as renderer:
        renderer.set_input("color", (0.0, 0.0, 1.0))
        renderer.set_input("intensity", pyvvisf.ISFFloatVal(1.0))
        buffer = renderer.render(16, 16)
        assert buffer.to_pil_image().getpixel((8, 8)) == (0, 0, 255, 255)
        assert buffer.to_numpy().shape == (16, 16, 4)
        info = renderer.get_shader_info()
        assert [i["name"] for i in info["inputs"]] == ["color", "intensity"]
        renderer.set_inputs({"intensity": 0})
        assert renderer.render(16, 16, time_offset=2.0).to_pil_image().getpixel((1, 1)) == (0, 0, 0, 255)


def test_use_file_and_scene_survives_cleanup_glfw_context(vvisf_process, shaders):
    scene = pyvvisf.CreateISFSceneRef()
    scene.use_file(str(shaders / "inputs_all.fs"))
    scene.set_value_for_input_named(pyvvisf.ISFFloatVal(1.0), "amount")
    a = scene.create_and_render_a_buffer(pyvvisf.Size(70, 8), 0.0).to_numpy()
    old = scene.create_and_render_a_buffer(pyvvisf.Size(70, 8), 0.0)
    pool = pyvvisf.GLBufferPool()
    report = pyvvisf.cleanup_glfw_context()
    assert report.ok
    with pytest.raises(isfkit.ResourceError):
        old.to_pil_image()
    with pytest.raises(isfkit.ResourceError):
        pool.cleanup()
    # The scene reloads its document, with its inputs, on a fresh engine.
    b = scene.create_and_render_a_buffer(pyvvisf.Size(70, 8), 0.0).to_numpy()
    assert (a == b).all()


def test_force_cleanup_invalidates_buffers_but_scenes_keep_rendering(vvisf_process):
    pool = pyvvisf.GLBufferPool()
    scene = pyvvisf.CreateISFSceneRef()
    scene.use_doc(pyvvisf.CreateISFDocRefWith(GREY))
    buffer = scene.create_and_render_a_buffer(pyvvisf.Size(8, 8))
    pool.housekeeping()
    pool.purge()
    assert buffer.to_pil_image().getpixel((0, 0)) == (128, 128, 128, 255)
    pool.force_cleanup()
    assert not buffer.is_valid()
    with pytest.raises(isfkit.ResourceError, match="force_cleanup"):
        buffer.to_pil_image()
    fresh = scene.create_and_render_a_buffer(pyvvisf.Size(8, 8))
    assert fresh.to_pil_image().getpixel((0, 0)) == (128, 128, 128, 255)


def test_bad_header_raises_parse_error_with_pyvvisf_name(vvisf_process):
    with pytest.raises(pyvvisf.ISFParseError):
        pyvvisf.CreateISFDocRefWith("void main() { gl_FragColor = vec4(1.0); }")
    scene = pyvvisf.CreateISFSceneRef()
    with pytest.raises(pyvvisf.ShaderCompilationError):
        scene.use_doc(pyvvisf.CreateISFDocRefWith("/*{}*/\nvoid main() { gl_FragColor = nope; }"))
