"""Robustness: a randomised sequence of API calls in a child process must exit cleanly, and
a render loop must keep memory flat (a generous bound; benches/python_soak.py reports the
figure for 2,000 renders)."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

from conftest import SHADERS

RANDOM_SCRIPT = textwrap.dedent(
    r"""
    import os, random, sys
    import numpy as np
    import isfkit
    import isfkit.vvisf as pyvvisf

    seed = int(sys.argv[1]); steps = int(sys.argv[2]); shaders = sys.argv[3]
    rng = random.Random(seed)
    files = ["inputs_all.fs", "persistent.fs", "multipass_sizes.fs", "filter_invert.fs",
             "gradient.fs", "bad/compile_error.fs", "bad/malformed_json.fs", "audio.fs"]
    engine = isfkit.Engine()
    shaders_live = []
    frames = []
    buffers = []
    scene = None
    values = [0, 1, -3, 0.5, 1e9, True, "Red", (0.1, 0.2), (1, 0, 0), (1, 0, 0, 1), None,
              np.zeros((4, 4, 4), np.uint8), np.ones((3, 5)), "x", [0.5] * 16]
    errors = 0
    outcomes = {}  # op -> {"ok": n, "ErrorClass": n, ...}
    for step in range(steps):
        op = rng.choice(["load", "load", "set", "render", "render", "reinit", "cleanup",
                         "force", "shutdown", "frame", "validate", "vv_render", "vv_reinit",
                         "vv_cleanup", "vv_pool", "vv_buffer", "drop"])
        outcome = "ok"
        # The errors this call may raise: a shut-down engine answers ResourceError, a bad
        # file its parse or compile error, a bad value InputError, a zero size RenderError.
        # Any other error (or one of these where it does not belong) fails the run.
        allowed = {"ResourceError"} if engine.is_shut_down and not op.startswith("vv_") else set()
        try:
            if op == "load":
                f = rng.choice(files)
                allowed |= {"bad/compile_error.fs": {"CompileError"},
                            "bad/malformed_json.fs": {"ParseError"}}.get(f, set())
                shaders_live.append(engine.load(os.path.join(shaders, f)))
            elif op == "set" and shaders_live:
                s = rng.choice(shaders_live)
                names = [i.name for i in s.info.inputs] + ["nope"]
                allowed.add("InputError")
                s.set_input(rng.choice(names), rng.choice(values))
            elif op == "render" and shaders_live:
                s = rng.choice(shaders_live)
                w, h = rng.choice([(1, 1), (0, 4), (17, 9), (64, 32), (5, 300)])
                if w == 0 or h == 0:
                    allowed.add("LimitError")  # a size of 0
                frames.append(s.render(w, h, time=rng.random(), float=rng.random() < 0.2))
            elif op == "reinit":
                engine.reinitialize()
            elif op == "cleanup":
                engine.cleanup()
            elif op == "force":
                engine.force_cleanup()
            elif op == "shutdown":
                report = engine.shutdown()
                assert report.ok, str(report)
                if rng.random() < 0.5:
                    engine = isfkit.Engine()
                    shaders_live = []
            elif op == "frame" and frames:
                f = rng.choice(frames)
                f.to_numpy(); f.to_pil(); f.pixel(0, 0)
            elif op == "validate":
                isfkit.validate(os.path.join(shaders, rng.choice(files)))
            elif op == "vv_render":
                if scene is None:
                    scene = pyvvisf.CreateISFSceneRef()
                    scene.use_file(os.path.join(shaders, "inputs_all.fs"))
                scene.set_value_for_input_named(pyvvisf.ISFFloatVal(rng.random()), "amount")
                buffers.append(scene.create_and_render_a_buffer(pyvvisf.Size(rng.randint(1, 40), 7)))
            elif op == "vv_reinit":
                pyvvisf.reinitialize_glfw_context()
            elif op == "vv_cleanup":
                assert pyvvisf.cleanup_glfw_context().ok
            elif op == "vv_pool":
                rng.choice([pyvvisf.GLBufferPool().cleanup, pyvvisf.GLBufferPool().force_cleanup,
                            pyvvisf.GLBufferPool().housekeeping])()
            elif op == "vv_buffer" and buffers:
                allowed.add("ResourceError")  # its frame went with a vvisf cleanup
                rng.choice(buffers).to_pil_image()
            elif op == "drop":
                for lst in (shaders_live, frames, buffers):
                    if lst:
                        lst.pop(rng.randrange(len(lst)))
        except isfkit.ISFError as e:
            errors += 1
            outcome = type(e).__name__
            assert outcome in allowed, f"step {step}: {op} raised {outcome} ({e}); allowed: {allowed}"
        counts = outcomes.setdefault(op, {})
        counts[outcome] = counts.get(outcome, 0) + 1
    report = engine.shutdown()
    assert report.ok, str(report)
    assert pyvvisf.cleanup_glfw_context().ok
    import json
    print("outcomes", json.dumps(outcomes, sort_keys=True))
    print("done", steps, "steps", errors, "errors")
    """
)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_api_sequence_never_crashes(tmp_path, seed):
    script = tmp_path / "random_calls.py"
    script.write_text(RANDOM_SCRIPT)
    proc = subprocess.run(
        [sys.executable, str(script), str(seed), "150", str(SHADERS)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "done 150 steps" in proc.stdout
    # The run exercised the API (renders and loads succeeded, errors were raised
    # and each was one its call may raise: the script asserts that per call).
    outcomes = json.loads(proc.stdout.split("outcomes ", 1)[1].splitlines()[0])
    errors = int(proc.stdout.split(" steps ", 1)[1].split()[0])
    assert outcomes["render"]["ok"] > 0 and outcomes["load"]["ok"] > 0, outcomes
    assert 0 < errors < 150 / 2, (errors, outcomes)
    assert errors == sum(n for o in outcomes.values() for k, n in o.items() if k != "ok")


SOAK_SCRIPT = textwrap.dedent(
    r"""
    import sys
    import isfkit

    def rss_kb():
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    renders = int(sys.argv[1]); shaders = sys.argv[2]
    with isfkit.Engine() as engine:
        shader = engine.load(shaders + "/multipass_sizes.fs")
        for i in range(50):
            shader.render(128, 96, time=i / 30).to_numpy()
        start = rss_kb()
        for i in range(renders):
            shader.render(128, 96, time=i / 30).to_numpy()
        end = rss_kb()
    print(start, end)
    """
)


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads RSS from /proc")
def test_render_loop_keeps_rss_flat(tmp_path):
    script = tmp_path / "soak.py"
    script.write_text(SOAK_SCRIPT)
    proc = subprocess.run(
        [sys.executable, str(script), "400", str(SHADERS)], capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    start, end = (int(v) for v in proc.stdout.split())
    growth_mb = (end - start) / 1024
    assert growth_mb < 40, f"RSS grew {growth_mb:.1f} MB over 400 renders"
