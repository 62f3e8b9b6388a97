"""The pythonic API: inputs of every type, multi-frame state, numpy/PIL round trips,
validation with the user's line numbers, and every exception type."""

import math
import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

import isfkit

from conftest import GREY, REPO

STRIPES = 7


def stripe(frame, i):
    """The colour in the middle of stripe i of inputs_all.fs, as 0..255 RGB."""
    a = frame.to_numpy()
    w = a.shape[1]
    x = int((i + 0.5) * w / STRIPES)
    return tuple(int(v) for v in a[a.shape[0] // 2, x, :3])


def test_info_is_dataclasses(engine, shaders):
    shader = engine.load(shaders / "inputs_all.fs")
    info = shader.info
    assert info.kind == "generator"
    assert [i.name for i in info.inputs] == ["flash", "enabled", "mode", "level", "amount", "spot", "tint"]
    assert [i.type for i in info.inputs] == ["event", "bool", "long", "long", "float", "point2D", "color"]
    mode = info.input("mode")
    assert mode.values == (0, 1, 2) and mode.labels == ("Red", "Green", "Blue") and mode.default == 2
    assert info.input("amount").default == 0.25 and info.input("amount").max == 1.0
    assert info.input("spot").default == (0.75, 0.25)
    assert len(info.passes) == 1 and info.passes[0].target is None
    multi = engine.load(shaders / "multipass_sizes.fs").info
    assert len(multi.passes) == 3 and multi.passes[0].width is not None
    assert engine.load(shaders / "filter_invert.fs").info.kind == "filter"


def test_every_non_image_input_type(engine, shaders):
    shader = engine.load(shaders / "inputs_all.fs")
    size = (140, 8)
    frame = shader.render(*size)
    assert stripe(frame, 0) == (0, 0, 0)  # event false
    assert stripe(frame, 1) == (0, 255, 0)  # bool default true
    assert stripe(frame, 2) == (0, 0, 255)  # long default 2
    shader.set(flash=True, enabled=False, mode="Green", level=4, amount=1, spot=(1.0, 0.5), tint=(1, 0, 0))
    frame = shader.render(*size)
    assert stripe(frame, 0) == (255, 255, 255)
    assert stripe(frame, 1) == (255, 0, 0)
    assert stripe(frame, 2) == (0, 255, 0)
    assert stripe(frame, 3) == (255, 255, 255)
    assert stripe(frame, 4) == (255, 255, 255)
    assert stripe(frame, 5) == (255, 128, 0)
    assert stripe(frame, 6) == (255, 0, 0)
    # events reset after the frame; numpy scalars are accepted
    shader.set(mode=np.int64(0), amount=np.float32(0.0), enabled=np.bool_(True))
    frame = shader.render(*size)
    assert stripe(frame, 0) == (0, 0, 0)
    assert stripe(frame, 2) == (255, 0, 0)
    assert stripe(frame, 4) == (0, 0, 0)
    assert shader.get("tint") == (1.0, 0.0, 0.0, 1.0)
    assert shader.get("mode") == 0


@pytest.mark.parametrize(
    "kind",
    ["path", "pil", "uint8", "float", "rgb", "grey"],
)
def test_image_inputs_numpy_and_pil(engine, shaders, tmp_path, kind):
    shader = engine.load(shaders / "filter_invert.fs")
    rgb = np.zeros((6, 10, 3), np.uint8)
    rgb[:3, :5] = (255, 0, 0)  # top-left red
    rgb[3:, 5:] = (0, 0, 255)  # bottom-right blue
    rgba = np.concatenate([rgb, np.full((6, 10, 1), 255, np.uint8)], axis=2)
    if kind == "path":
        Image.fromarray(rgba, "RGBA").save(tmp_path / "in.png")
        value = tmp_path / "in.png"
    elif kind == "pil":
        value = Image.fromarray(rgb, "RGB")
    elif kind == "uint8":
        value = rgba
    elif kind == "float":
        value = rgba.astype(np.float32) / 255.0
    elif kind == "rgb":
        value = rgb
    else:
        value = rgb[:, :, 0]  # grey: red channel only
    shader.set(inputImage=value)
    out = shader.render(10, 6).to_numpy()
    expected = 255 - rgba
    expected[:, :, 3] = 255
    if kind == "grey":
        g = rgb[:, :, 0]
        expected = np.stack([255 - g] * 3 + [np.full_like(g, 255)], axis=2)
    assert out.shape == (6, 10, 4) and out.dtype == np.uint8
    assert np.abs(out.astype(int) - expected.astype(int)).max() <= 1


def _white_rows(a):
    """Rows of an RGBA frame (top = row 0) that are white in every column."""
    return [y for y in range(a.shape[0]) if (a[y, :, :3] == 255).all()]


def test_audio_input(engine, shaders):
    # Where the line is, not only that something is white. Samples are -1..1 and
    # reach the shader as 0..1 (s * 0.5 + 0.5); the line is at that height, 3 pixels thick
    # (|y - v * 32| < 1.5 covers two pixel centres), everything else black. A sound
    # is (samples, sample_rate) and each frame sees the 1,024 samples before its time, so
    # the render is at 2 s, after 2,000 samples at 1 kHz.
    shader = engine.load(shaders / "audio.fs")
    shader.set(wave=(np.full(2000, 0.5, np.float32), 1000))  # 0.75: 24 px up, rows 7-8
    a = shader.render(32, 32, time=2.0).to_numpy()
    assert _white_rows(a) == [7, 8], _white_rows(a)
    assert (np.delete(a, [7, 8], axis=0)[:, :, :3] == 0).all()
    # Two channels: the line follows the first (-0.5 -> 0.25: 8 px up), not the second.
    shader.set(wave=([[-0.5] * 2000, [0.9] * 2000], 1000))
    a = shader.render(32, 32, time=2.0).to_numpy()
    assert _white_rows(a) == [23, 24], _white_rows(a)
    assert (np.delete(a, [23, 24], axis=0)[:, :, :3] == 0).all()


def test_persistent_buffer_over_frames(engine, shaders):
    shader = engine.load(shaders / "persistent.fs")
    frames = list(shader.frames(range(5), fps=30, size=(32, 16)))
    assert len(frames) == 5 and shader.frame_index == 5
    for n, frame in enumerate(frames, start=1):
        left, right = frame.pixel(4, 8), frame.pixel(28, 8)
        assert left[0] == pytest.approx(min(0.1 * n, 1.0), abs=0.01), n
        assert right[1] == pytest.approx(left[0], abs=0.01), n
    engine.reinitialize()
    frame = shader.render(32, 16, time=0.2)
    assert frame.pixel(4, 8)[0] == pytest.approx(0.6, abs=0.01)


def test_float_render_numpy(engine, shaders):
    shader = engine.load(shaders / "float_target.fs")
    frame = shader.render(16, 16, float=True)
    a = frame.to_numpy()
    assert a.dtype == np.float32 and a.shape == (16, 16, 4) and frame.is_float
    assert frame.to_pil().mode == "RGBA"
    # The values. The shader stores 100*x and 0.001*y in a FLOAT pass and divides
    # them back, so the output is the gradient (red = x, green = y, row 0 at the top) with
    # float precision; an 8-bit buffer would give solid red.
    xs = (np.arange(16) + 0.5) / 16
    assert np.allclose(a[8, :, 0], xs, atol=1e-3), a[8, :, 0]
    assert np.allclose(a[:, 8, 1], xs[::-1], atol=1e-3), a[:, 8, 1]
    assert np.allclose(a[:, :, 2], 0) and np.allclose(a[:, :, 3], 1)
    # Not quantised to 8 bits.
    assert np.abs(a[8, :, 0] * 255 - np.round(a[8, :, 0] * 255)).max() > 0.01
    pil = np.asarray(frame.to_pil())
    assert np.abs(pil.astype(int) - np.round(a * 255).astype(int)).max() <= 1


def test_numpy_and_pil_round_trip(engine, shaders, tmp_path):
    shader = engine.load(shaders / "gradient.fs")
    frame = shader.render(33, 17)
    a = frame.to_numpy()
    assert a.shape == (17, 33, 4) and a.flags.writeable
    a[0, 0] = 0  # a fresh array: writing it changes nothing in the frame
    assert frame.to_numpy()[0, 0, 3] == 255
    img = frame.to_pil()
    assert img.size == (33, 17) and np.array_equal(np.asarray(img), frame.to_numpy())
    frame.save(tmp_path / "f.png")
    assert np.array_equal(np.asarray(Image.open(tmp_path / "f.png").convert("RGBA")), frame.to_numpy())
    frame.save(tmp_path / "f16.png", bits=16)
    frame.save(tmp_path / "f.bmp")
    # Both read back with the frame's pixels. The PNG's header says 16-bit RGBA,
    # and Pillow (which keeps the high byte of each 16-bit sample) reads the frame back.
    head = (tmp_path / "f16.png").read_bytes()[:33]
    assert head[12:16] == b"IHDR" and (head[24], head[25]) == (16, 6), head
    wide = np.asarray(Image.open(tmp_path / "f16.png").convert("RGBA"))
    assert wide.shape == (17, 33, 4)
    assert np.abs(wide.astype(int) - frame.to_numpy().astype(int)).max() <= 1
    bmp = np.asarray(Image.open(tmp_path / "f.bmp").convert("RGBA"))
    assert np.array_equal(bmp[..., :3], frame.to_numpy()[..., :3])
    assert np.array_equal(np.asarray(frame), frame.to_numpy())
    # the output, fed back in as an image input, is read back unchanged (inverted twice)
    inv = engine.load(shaders / "filter_invert.fs")
    once = inv.set(inputImage=frame.to_numpy()).render(33, 17).to_numpy()
    twice = inv.set(inputImage=once).render(33, 17).to_numpy()
    assert np.abs(twice.astype(int) - frame.to_numpy().astype(int)).max() <= 1


def test_gradient_orientation(engine, shaders):
    frame = engine.load(shaders / "gradient.fs").render(64, 64)
    r0, g0 = frame.pixel(0, 0)[:2]  # top-left: x = 0, y = 1
    r1, g1 = frame.pixel(63, 63)[:2]  # bottom-right: x = 1, y = 0
    assert r0 < 0.05 and g0 > 0.95 and r1 > 0.95 and g1 < 0.05


def test_validate_reports_user_lines(shaders):
    v = isfkit.validate(shaders / "bad" / "compile_error.fs")
    assert not v.valid and not v
    assert (v.errors[0].line, v.errors[0].column, v.errors[0].stage) == (12, 12, "fragment")
    v = isfkit.validate(str(shaders / "bad" / "type_error.fs"))
    assert v.errors[0].line == 7 and v.errors[0].stage == "fragment"
    v = isfkit.validate((shaders / "bad" / "malformed_json.fs").read_text())
    assert v.errors[0].stage == "header" and v.errors[0].line > 0
    v = isfkit.validate((shaders / "bad" / "unknown_type.fs"))
    assert v.valid and v.warnings
    assert isfkit.validate(shaders / "custom_vertex.fs").valid
    assert isfkit.validate(GREY).valid
    src = GREY.replace("gl_FragColor = vec4(0.5, 0.5, 0.5, 1.0);", "gl_FragColor = vec4(0.5, 0.5, 0.5, 1.0);\n    float x = undefined_thing;")
    v = isfkit.validate(src)
    assert [(d.line, d.stage) for d in v.errors] == [(8, "fragment")]
    with pytest.raises(FileNotFoundError):
        isfkit.validate("no/such/file.fs")


def test_exception_hierarchy(engine, shaders):
    for cls in (isfkit.ParseError, isfkit.CompileError, isfkit.InputError, isfkit.RenderError, isfkit.TimeoutError, isfkit.ResourceError):
        assert issubclass(cls, isfkit.ISFError)
    assert issubclass(isfkit.TimeoutError, TimeoutError)

    with pytest.raises(isfkit.ParseError) as e:
        engine.load(shaders / "bad" / "malformed_json.fs")
    assert e.value.diagnostics and e.value.diagnostics[0].stage == "header"
    with pytest.raises(isfkit.ParseError):
        engine.load_source("void main() {}")

    with pytest.raises(isfkit.CompileError) as e:
        engine.load(shaders / "bad" / "compile_error.fs")
    d = e.value.diagnostics[0]
    assert (d.line, d.column, d.stage) == (12, 12, "fragment")
    assert "compile_error.fs:12:12" in str(e.value)
    with pytest.raises(isfkit.CompileError):
        engine.load(shaders / "bad" / "missing_main.fs")

    shader = engine.load(shaders / "inputs_all.fs")
    with pytest.raises(isfkit.InputError, match="no input named"):
        shader.set(nope=1.0)
    with pytest.raises(isfkit.InputError, match="float"):
        shader.set(amount="loud")
    with pytest.raises(isfkit.InputError):
        shader.set(amount=True)
    with pytest.raises(isfkit.InputError):
        shader.set(spot=(1, 2, 3))
    with pytest.raises(isfkit.InputError):
        shader.set(tint=(1, 0))
    with pytest.raises(isfkit.InputError):
        shader.set(level=1.5)
    with pytest.raises(isfkit.InputError):
        shader.set(mode="Purple")
    with pytest.raises(isfkit.InputError):
        shader.set(enabled="yes")
    with pytest.raises(isfkit.InputError):
        engine.load(shaders / "filter_invert.fs").set(inputImage=np.zeros((2, 2, 5)))
    with pytest.raises(isfkit.InputError):
        engine.load(shaders / "filter_invert.fs").set(inputImage="no/such.png")

    with pytest.raises(isfkit.RenderError):
        shader.render(0, 10)
    with pytest.raises(isfkit.RenderError):
        shader.render(100000, 10)
    with pytest.raises(FileNotFoundError):
        engine.load("no/such/shader.fs")
    with pytest.raises(isfkit.InputError):
        isfkit.Engine(backend="glide")
    # the engine is fine after all of that
    assert shader.render(8, 8).width == 8


HEAVY = """/*{"INPUTS": []}*/
void main() {
    float acc = 0.0;
    for (int i = 0; i < 60000; i++) { acc += sin(float(i) * isf_FragNormCoord.x); }
    gl_FragColor = vec4(fract(acc), 0.0, 0.0, 1.0);
}"""


def test_timeout_error_then_recovery():
    with isfkit.Engine(deadline=0.001) as engine:
        shader = engine.load_source(HEAVY)
        with pytest.raises(isfkit.TimeoutError):
            shader.render(256, 256)
        engine.deadline = 30.0
        grey = engine.load_source(GREY)
        assert grey.render(4, 4).pixel(0, 0)[0] == pytest.approx(0.5, abs=0.01)


def test_use_after_shutdown_raises_resource_error(shaders):
    engine = isfkit.Engine()
    shader = engine.load(shaders / "inputs_all.fs")
    frame = shader.render(14, 4)
    report = engine.shutdown()
    assert report.ok and report.leaks == [] and engine.is_shut_down
    assert [p.phase for p in report.phases] == [1, 2, 3, 4, 5, 6]
    assert engine.shutdown() is report  # idempotent
    for call in (
        lambda: shader.render(8, 8),
        lambda: shader.set(amount=0.5),
        lambda: engine.load(shaders / "gradient.fs"),
        lambda: engine.load_source(GREY),
        lambda: engine.reinitialize(),
        lambda: engine.cleanup(),
        lambda: engine.force_cleanup(),
    ):
        with pytest.raises(isfkit.ResourceError):
            call()
    assert engine.live_resources() == []
    # frames are memory and stay readable
    assert frame.to_numpy().shape == (4, 14, 4)


def test_context_manager_shuts_down_and_force_cleanup_keeps_shaders_working(shaders):
    with isfkit.Engine() as engine:
        shader = engine.load(shaders / "persistent.fs")
        shader.render(8, 8)
        assert engine.live_resources()
        freed = engine.force_cleanup()
        assert freed["count"] > 0
        # persistent state restarts after a force_cleanup; the shader keeps rendering
        assert shader.render(8, 8).pixel(1, 1)[0] == pytest.approx(0.1, abs=0.01)
    assert engine.is_shut_down
    with pytest.raises(isfkit.ResourceError):
        shader.render(8, 8)


def test_leak_is_reported_by_label():
    # A private wgpu instance: the deliberate leak must not stay on the instance the other
    # tests' engines share (their reports would see it), and wgpu's own report is checked
    # whatever else is alive.
    engine = isfkit.Engine(private_instance=True)
    engine._native._debug_leak_texture("leaked on purpose")
    report = engine.shutdown()
    assert not report.ok
    assert any(leak.label == "leaked on purpose" for leak in report.leaks)
    assert any(leak.source == "wgpu" and leak.kind == "texture" for leak in report.leaks)
    assert report.wgpu_report_skipped is None
    assert report.to_dict()["leaks"]


def _ticks_inside(call):
    """Runs `call()` while a pure-Python thread ticks every 1 ms; returns (ticks that ran
    entirely inside the call, seconds the call took). The ticker reads the call's state
    before and after each 1 ms sleep and counts a tick only when both reads saw the call
    running: an order of events. A call that holds the GIL lets no such tick happen (the
    ticker cannot run while it holds the GIL), however long it takes."""
    import threading
    import time

    state = {"running": False}
    stop = threading.Event()
    ready = threading.Event()
    inside = [0]

    def tick():
        ready.set()
        while not stop.is_set():
            before = state["running"]
            time.sleep(0.001)
            if before and state["running"]:
                inside[0] += 1

    t = threading.Thread(target=tick)
    t.start()
    ready.wait()
    state["running"] = True
    t0 = time.perf_counter()
    call()
    took = time.perf_counter() - t0
    state["running"] = False
    stop.set()
    t.join()
    return inside[0], took


def test_gil_holding_call_gives_no_ticks():
    """The check below can fail: a C call holding the GIL (sum over a range runs in C and
    never lets another thread in) as long as a render gets at most a tick or two."""
    ticks, took = _ticks_inside(lambda: sum(range(30_000_000)))
    assert took > 0.1, took  # long enough to have ticked ~100 times were the GIL free
    assert ticks <= 2, (ticks, took)


def test_gil_is_released_during_renders(shaders):
    """render() and frames() release the GIL while they wait: a 1 ms ticker runs
    many times inside one call (test_concurrency.py measures the same for loads)."""
    with isfkit.Engine() as engine:
        heavy = engine.load(REPO / "examples" / "heavy.fs")
        heavy.render(64, 64)  # compile and warm up outside the measured calls
        ticks, took = _ticks_inside(lambda: heavy.render(1920, 1080, time=1.0))
        seq_ticks, seq_took = _ticks_inside(
            lambda: list(heavy.frames(range(3), fps=30, size=(1280, 720)))
        )
    print(f"\nticks inside render: {ticks} in {took * 1000:.0f} ms; frames(): {seq_ticks} in {seq_took * 1000:.0f} ms")
    # A fast GPU may finish within a few ms, leaving nothing to tell; where the call is
    # long (lavapipe: hundreds of ms), a GIL-holding render gives 0-2 ticks (see above).
    if took > 0.1:
        assert ticks > 20, (ticks, took)
    if seq_took > 0.1:
        assert seq_ticks > 20, (seq_ticks, seq_took)


def test_save_jpeg_drops_alpha(engine, shaders, tmp_path):
    # Pillow cannot write RGBA as JPEG; save() drops alpha.
    frame = engine.load(shaders / "gradient.fs").render(32, 24)
    frame.save(tmp_path / "f.jpg")
    img = Image.open(tmp_path / "f.jpg")
    assert img.size == (32, 24) and img.mode == "RGB"


def test_parse_reads_the_header_without_compiling_or_a_gpu(shaders):
    # A parse-only call; a shader whose code does not compile still parses.
    info = isfkit.parse(shaders / "inputs_all.fs")
    assert {"flash", "enabled", "mode", "level", "amount"} <= set(info.input_names)
    broken = '/*{ "ISFVSN": "2", "INPUTS": [{"NAME": "amount", "TYPE": "float"}] }*/\nvoid main() { nope; }\n'
    info = isfkit.parse(broken)
    assert info.input_names == ["amount"]
    assert info.kind == "generator"
    with pytest.raises(isfkit.ParseError) as e:
        isfkit.parse('/*{ "INPUTS": [ }*/\nvoid main() {}\n')
    assert "<source>:1:" in str(e.value)
    with pytest.raises(FileNotFoundError):
        isfkit.parse("no/such/file.fs")


def test_vvisf_isfdoc_does_not_start_the_engine(shaders):
    # Reading a document's inputs leaves the process-wide GPU engine unstarted.
    path = str(shaders / "inputs_all.fs")
    code = (
        "import isfkit, isfkit._process as p, isfkit.vvisf as v\n"
        f"doc = v.ISFDoc(open({path!r}).read())\n"
        f"print(len(doc.inputs()) == len(isfkit.parse({path!r}).inputs) > 0, p.last() is None)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True"], out.stdout + out.stderr


def test_one_conversion_strict_and_lenient(engine, shaders):
    # One Rust conversion serves isfkit (strict) and isfkit.vvisf (lenient).
    shader = engine.load(shaders / "inputs_all.fs")
    shader.set(amount=np.float32(0.5), tint=np.array([1.0, 0.0, 0.0]), spot=(0.25, 0.75))
    assert shader.get("amount") == pytest.approx(0.5)
    assert shader.get("tint") == (1.0, 0.0, 0.0, 1.0)
    shader.set(enabled=np.bool_(False), level=np.int64(3), mode="Green")
    assert (shader.get("enabled"), shader.get("level"), shader.get("mode")) == (False, 3, 1)
    with pytest.raises(isfkit.InputError, match=r'input "level" is of type long, but the value given is True \(bool\)'):
        shader.set(level=True)
    with pytest.raises(isfkit.InputError, match='input "tint" is of type color and takes 3 or 4 numbers'):
        shader.set(tint=(1, 0))
    with pytest.raises(isfkit.InputError, match='no label "Purple"'):
        shader.set(mode="Purple")
    # pyvvisf coerces Python primitives: True for a long, 2 for a bool, True for a float.
    shader._set_input("level", True, lenient=True)
    shader._set_input("enabled", 2, lenient=True)
    shader._set_input("amount", True, lenient=True)
    assert (shader.get("level"), shader.get("enabled"), shader.get("amount")) == (1, True, 1.0)


def test_frames_are_pipelined_and_equal_one_by_one(engine, shaders):
    # Shader.frames() renders through the pipelined path (several frames per call);
    # persistent buffers carry over exactly as when rendering one frame at a time.
    a = engine.load(shaders / "persistent.fs")
    b = engine.load(shaders / "persistent.fs")
    piped = [f.to_numpy() for f in a.frames(range(11), fps=30, size=(24, 16))]
    single = [b.render(24, 16, time=i / 30).to_numpy() for i in range(11)]
    assert len(piped) == 11
    for i, (p, s) in enumerate(zip(piped, single)):
        assert np.array_equal(p, s), f"frame {i} differs"
    assert a.frame_index == 11


_QUICK_CHILD = r"""
import ctypes, sys, isfkit
libc = ctypes.CDLL(None)
libc.getenv.restype = ctypes.c_char_p
first = sys.argv[1] == "quick-first"
if first:
    held = isfkit.quick_compiles()
with isfkit.Engine() as engine:
    if not first:
        held = isfkit.quick_compiles()
    shader = engine.load(sys.argv[2])
    frame = shader.render(32, 24, time=0.5)
    flags = libc.getenv(b"GALLIVM_PERF")
    print(held, (flags or b"").decode(), frame.tobytes(rgba8=True).hex())
"""


def test_quick_compiles_hold_when_chosen_before_the_first_engine_and_change_no_pixel():
    shader = str(REPO / "tests/shaders/persistent.fs")
    env = {k: v for k, v in os.environ.items() if k != "GALLIVM_PERF"}
    runs = {}
    for order in ["quick-first", "engine-first"]:
        out = subprocess.run(
            [sys.executable, "-c", _QUICK_CHILD, order, shader],
            capture_output=True, text=True, check=True, env=env,
        )
        runs[order] = out.stdout.split()
    held, flags, pixels = runs["quick-first"]
    assert (held, flags) == ("True", "nopt")
    # Asked for after the driver loaded: not held, the environment unchanged.
    assert runs["engine-first"][:1] == ["False"]
    assert len(runs["engine-first"]) == 2, "GALLIVM_PERF stays unset"
    assert runs["engine-first"][1] == pixels
