"""One error vocabulary across the faces: the same bad input gets the same kind of error,
and where the faces print a message, the same message, from `isf` (exit code and stderr),
the Python package (exception class and ``.kind``), `isf serve` (``error.kind`` and HTTP
status) and `isf preview` (exit code and stderr, under Xvfb). The table is docs/errors.md.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

import isfkit

from isf_binary import isf_binary

GOOD = """/*{ "ISFVSN": "2", "INPUTS": [ { "NAME": "level", "TYPE": "float", "DEFAULT": 0.5 } ] }*/
void main() { gl_FragColor = vec4(level, isf_FragNormCoord, 1.0); }
"""

BROKEN = """/*{ "ISFVSN": "2" }*/
void main() {
    gl_FragColor = vec4(nope);
}
"""

NEVER_ENDS = """/*{ "ISFVSN": "2" }*/
void main() {
    float a = 0.0;
    for (int i = 0; i < 60000; i++) { a += sin(a + float(i) * 0.001 + gl_FragCoord.x); }
    gl_FragColor = vec4(fract(a), 0.0, 0.0, 1.0);
}
"""

# Each kind's mapping in every face: isf's exit code, Python's class, serve's kind and status.
TABLE = {
    "file": (2, isfkit.FileError, "bad_request", 400),
    "invalid_shader": (1, isfkit.CompileError, "invalid_shader", 422),
    "input": (2, isfkit.InputError, "bad_request", 400),
    "limit": (2, isfkit.LimitError, "bad_request", 400),
    "timeout": (1, isfkit.TimeoutError, "timeout", 504),
}


@pytest.fixture(scope="module")
def isf():
    exe = isf_binary()
    if exe is None:
        pytest.skip("no isf binary: build it (cargo build -p isfkit-cli) or set ISF_BIN")
    return exe


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("error-classes")
    (d / "good.fs").write_text(GOOD)
    (d / "broken.fs").write_text(BROKEN)
    (d / "hang.fs").write_text(NEVER_ENDS)
    return d


@pytest.fixture(scope="module")
def server(isf, folder):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [isf, "serve", "--bind", f"127.0.0.1:{port}", "--allow-dir", str(folder), "--workers", "1"],
        stderr=subprocess.PIPE,
        text=True,
    )
    line = proc.stderr.readline()
    assert line.startswith("isf serve: listening on"), line
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.communicate(timeout=60)


def cli(isf, folder, *args):
    """``isf ARGS`` in ``folder``: the exit code and the last line of stderr."""
    o = subprocess.run([isf, *args], cwd=folder, capture_output=True, text=True, timeout=120)
    return o.returncode, o.stderr


def post(server, body):
    req = urllib.request.Request(
        f"{server}/render",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def preview(isf, folder, *args):
    if shutil.which("xvfb-run") is None:
        pytest.skip("no xvfb-run")
    o = subprocess.run(
        ["xvfb-run", "-a", isf, "preview", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return o.returncode, o.stderr


def check(kind, code, stderr, exc, status, answer):
    exit_code, cls, serve_kind, serve_status = TABLE[kind]
    assert code == exit_code, stderr
    assert isinstance(exc, cls), repr(exc)
    assert exc.kind == kind
    assert (status, answer["error"]["kind"]) == (serve_status, serve_kind), answer


def test_input_errors(isf, folder, server):
    code, err = cli(isf, folder, "render", "good.fs", "-o", "x.png", "--size", "8x8", "--set", "nope=1")
    with isfkit.Engine() as engine, pytest.raises(isfkit.ISFError) as e:
        engine.load(folder / "good.fs").set_input("nope", 1.0)
    status, answer = post(server, {"shader_path": "good.fs", "width": 8, "height": 8, "inputs": {"nope": 1}})
    check("input", code, err, e.value, status, answer)
    message = 'no input named "nope" (inputs: level (float))'
    assert err == f"error: {message}\n"
    assert str(e.value) == message
    assert answer["error"]["message"] == message
    assert preview(isf, folder, "good.fs", "--set", "nope=1") == (2, err)


def test_file_errors(isf, folder, server):
    missing = folder / "missing.fs"
    code, err = cli(isf, folder, "render", str(missing), "-o", "x.png")
    with isfkit.Engine() as engine, pytest.raises(isfkit.ISFError) as e:
        engine.load(missing)
    status, answer = post(server, {"shader_path": "missing.fs", "width": 8, "height": 8})
    check("file", code, err, e.value, status, answer)
    assert isinstance(e.value, FileNotFoundError)
    assert err == f"error: {e.value}\n"
    assert str(e.value).startswith(f"cannot read {missing}: ")
    assert preview(isf, folder, str(missing))[0] == 2


def test_invalid_shader_errors(isf, folder, server):
    broken = folder / "broken.fs"
    code, err = cli(isf, folder, "render", str(broken), "-o", "x.png", "--size", "8x8")
    with isfkit.Engine() as engine, pytest.raises(isfkit.ISFError) as e:
        engine.load(broken)
    status, answer = post(server, {"shader_path": "broken.fs", "width": 8, "height": 8})
    check("invalid_shader", code, err, e.value, status, answer)
    # Compiler-style, at the user's line: the same text from the CLI and Python.
    assert err == f"{e.value}\n"
    assert err.startswith(f"{broken}:3:"), err
    (d,) = [d for d in answer["diagnostics"] if d["severity"] == "error"]
    assert (d["line"], d["stage"]) == (3, "fragment")
    assert d["message"] in err


def test_limit_errors(isf, folder, server):
    code, err = cli(isf, folder, "render", "good.fs", "-o", "x.png", "--size", "20000x8")
    with isfkit.Engine() as engine, pytest.raises(isfkit.ISFError) as e:
        engine.load(folder / "good.fs").render(20000, 8)
    status, answer = post(server, {"shader_path": "good.fs", "width": 20000, "height": 8})
    check("limit", code, err, e.value, status, answer)
    assert isinstance(e.value, isfkit.RenderError)
    # Each face names the size (the limits differ: the adapter's, the engine's, the
    # service's own --max-width).
    for text in (err, str(e.value), answer["error"]["message"]):
        assert "20000" in text, text


def test_timeout_errors(isf, folder, server):
    started = time.monotonic()
    code, err = cli(isf, folder, "render", "hang.fs", "-o", "x.png", "--size", "1024x1024", "--deadline", "2")
    with isfkit.Engine(deadline=2.0, private_instance=True) as engine, pytest.raises(isfkit.ISFError) as e:
        engine.load(folder / "hang.fs").render(1024, 1024)
    status, answer = post(server, {"shader_path": "hang.fs", "width": 1024, "height": 1024, "deadline": 2})
    check("timeout", code, err, e.value, status, answer)
    message = "the GPU did not finish within 2s; the device was marked tainted and will be replaced"
    assert err.endswith(f"error: {message}\n"), err
    assert str(e.value) == message
    assert time.monotonic() - started < 60
