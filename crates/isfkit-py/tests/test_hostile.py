"""Hostile input from Python: what could kill the interpreter (a segfault from a deeply
nested size expression or GLSL) or render a silent black frame (NaN, 10**100, a size of
8.5) is an exception naming the limit or the bad value; the interpreter lives on."""

import math
import subprocess
import sys
import threading

import pytest

import isfkit

from conftest import GREY


def deep_expression_shader(depth):
    expr = "(" * depth + "$WIDTH" + ")" * depth
    return (
        '/*{"ISFVSN": "2", "PASSES": [{"TARGET": "a", "WIDTH": "' + expr + '"}, {}]}*/\n'
        "void main() { gl_FragColor = vec4(1.0); }\n"
    )


def deep_if_shader(depth):
    return (
        '/*{"ISFVSN": "2"}*/\nvoid main() {\n'
        + "if (TIME > 0.0) {\n" * depth
        + "gl_FragColor = vec4(1.0);\n"
        + "}\n" * depth
        + "}\n"
    )


def test_a_size_expression_nested_30000_deep_raises_parse_error():
    with pytest.raises(isfkit.ParseError) as e:
        isfkit.parse(deep_expression_shader(30_000))
    assert "the expression is 60006 characters long, over the limit of 1000" in str(e.value)
    with pytest.raises(isfkit.ParseError) as e:
        isfkit.parse(deep_expression_shader(40))
    assert "the expression nests deeper than the limit of 32 levels at column 33" in str(e.value)


def test_deep_glsl_is_a_compile_error_in_any_thread():
    """naga runs on a thread of its own with a large stack, so a Python thread's smaller
    stack does not matter: the guard's error comes back either way."""
    message = "brackets, blocks and parentheses nest deeper than the limit of 256 levels"
    result = isfkit.validate(deep_if_shader(3000))
    assert not result.valid
    assert [(d.line, d.column, d.message) for d in result.errors] == [(258, 4, message)]
    # Within the limit, in a thread with a small stack.
    seen = []
    threading.stack_size(512 * 1024)
    try:
        t = threading.Thread(target=lambda: seen.append(isfkit.validate(deep_if_shader(200)).valid))
        t.start()
        t.join()
    finally:
        threading.stack_size(0)
    assert seen == [True]


def test_the_interpreter_survives_every_case():
    """In a child interpreter, so a crash would show as its exit status, not kill pytest."""
    code = (
        "import isfkit\n"
        "expr = '(' * 30000 + '$WIDTH' + ')' * 30000\n"
        "src = '/*{\"PASSES\": [{\"TARGET\": \"a\", \"WIDTH\": \"' + expr + '\"}, {}]}*/ void main() {}'\n"
        "try:\n"
        "    isfkit.parse(src)\n"
        "except isfkit.ParseError:\n"
        "    pass\n"
        "src = '/*{}*/ void main() { float a = ' + '(' * 10000 + '1.0' + ')' * 10000 + '; }'\n"
        "assert not isfkit.validate(src).valid\n"
        "print('alive')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "alive"


FLOAT_SHADER = """/*{"ISFVSN": "2", "INPUTS": [
    {"NAME": "speed", "TYPE": "float", "MIN": 0.0, "MAX": 10.0, "DEFAULT": 1.0},
    {"NAME": "spot", "TYPE": "point2D"},
    {"NAME": "tint", "TYPE": "color"}
]}*/
void main() { gl_FragColor = vec4(speed * 0.1, spot, 1.0) * tint; }
"""


def test_non_finite_and_huge_input_values_raise_input_error(engine):
    shader = engine.load_source(FLOAT_SHADER)
    cases = [
        ("speed", float("nan"), 'input "speed": NaN is not a finite number'),
        ("speed", math.inf, 'input "speed": inf is not a finite number'),
        ("speed", 10**100, 'input "speed": 1e100 is out of range for a 32-bit float (within ±3.4028235e38)'),
        ("speed", 1e39, 'input "speed": 1e39 is out of range for a 32-bit float (within ±3.4028235e38)'),
        ("spot", (0.5, float("nan")), 'input "spot": NaN is not a finite number'),
        ("tint", (1.0, 0.0, 1e300, 1.0), 'input "tint": 1e300 is out of range for a 32-bit float (within ±3.4028235e38)'),
    ]
    for name, value, message in cases:
        with pytest.raises(isfkit.InputError) as e:
            shader.set_input(name, value)
        assert str(e.value) == message
    # The last good value stays.
    assert shader.get("speed") == 1.0


def test_a_non_finite_time_raises_instead_of_a_black_frame(engine):
    shader = engine.load_source(GREY)
    for time, shown in [(float("nan"), "NaN"), (math.inf, "inf"), (1e100, None)]:
        with pytest.raises(isfkit.InputError) as e:
            shader.render(4, 4, time=time)
        if shown:
            assert str(e.value) == f"time: {shown} is not a finite number"
        else:
            assert str(e.value) == "time: 1e100 is out of range for a 32-bit float (within ±3.4028235e38)"
    assert shader.render(4, 4, time=1.0).pixel(0, 0)[0] > 0.4


def test_render_sizes_must_be_whole_numbers(engine):
    shader = engine.load_source(GREY)
    with pytest.raises(isfkit.RenderError) as e:
        shader.render(8.5, 8)
    assert str(e.value) == "invalid render size 8.5x8: width and height must be whole numbers of pixels (int), not float"
    with pytest.raises(isfkit.RenderError) as e:
        shader.render(True, 8)
    assert "not bool" in str(e.value)
    with pytest.raises(isfkit.RenderError) as e:
        shader.render(10**100, 8)
    assert str(e.value).endswith("over the limit of 65536 pixels per side")
    with pytest.raises(isfkit.RenderError) as e:
        shader.render(-1, 8)
    assert str(e.value) == "invalid render size -1x8: width and height must be at least 1"
    with pytest.raises(isfkit.RenderError):
        next(shader.frames(2, size=(8.5, 8)))
    import numpy as np

    assert shader.render(np.int64(4), 4).size == (4, 4)
