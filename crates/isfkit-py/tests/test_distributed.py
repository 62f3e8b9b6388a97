"""Batch jobs on Ray (isfkit.distributed), on a local Ray instance with 2 CPUs.

The job file is planned by isfkit's Rust job code (isfkit._native.plan_job/plan_chunks); the
pixels are compared with the real `isf batch` (target/debug/isf, built by cargo before the
Python tests run) when it exists, else with in-process runs of the same tasks.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, SHADERS

np = pytest.importorskip("numpy")
Image = pytest.importorskip("PIL.Image")

ISF = REPO / "target" / "debug" / "isf"

# The job file's jobs: (shader, frames); compile_error.fs fails to compile.
JOBS = [("gradient.fs", 7), ("builtins.fs", 5), ("persistent.fs", 6), ("compile_error.fs", 3)]
JOB = "defaults:\n  size: 24x16\n  fps: 10\njobs:\n" + "".join(
    f"  - shader: {shader}\n    frames: {frames}\n    output: out/{{name}}_%03d.png\n"
    for shader, frames in JOBS
)


def make_job(folder: Path, text: str = JOB) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("gradient.fs", "builtins.fs", "persistent.fs"):
        shutil.copy(SHADERS / name, folder / name)
    shutil.copy(SHADERS / "bad" / "compile_error.fs", folder / "compile_error.fs")
    job = folder / "job.yaml"
    job.write_text(text)
    return job


def pixels(path: Path):
    return np.asarray(Image.open(path))


def reference(job: Path) -> dict:
    """Renders `job` as `isf batch` does (the binary when built, else in process)."""
    if ISF.is_file():
        out = subprocess.run([str(ISF), "batch", str(job), "--json"], capture_output=True,
                             text=True, timeout=120)
        assert out.returncode in (0, 1), out.stderr
        return json.loads(out.stdout)
    from isfkit import _native

    runner = _native.BatchRunner()
    try:
        for t in _native.plan_job(str(job)):
            runner.run_task_json(t)
    finally:
        assert json.loads(runner.shutdown())["ok"]
    return {}


def files(folder: Path):
    return sorted(os.listdir(folder))


# --- The plan, from Rust (no Ray needed) ---------------------------------------------------


def test_plan_job_lists_every_problem_as_isf_batch_check(tmp_path):
    from isfkit import _native

    job = make_job(tmp_path, "jobs:\n  - shader: missing.fs\n  - shader: gradient.fs\n"
                             "    size: 0x5\n")
    with pytest.raises(ValueError) as info:
        _native.plan_job(str(job))
    problems = info.value.problems
    assert len(problems) == 2, problems
    assert str(info.value).startswith("the job file has 2 problem(s); nothing was rendered:")
    if ISF.is_file():
        out = subprocess.run([str(ISF), "batch", str(job), "--check"], capture_output=True,
                             text=True, timeout=60)
        assert out.returncode == 2
        assert out.stderr.strip() == f"error: {info.value}"
    # The command prints the same and exits 2, before touching Ray.
    out = subprocess.run([sys.executable, "-m", "isfkit.distributed", str(job), "--check"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2, out.stderr
    assert f"error: {info.value}" in out.stderr


def test_plan_chunks_cut_stateless_stills_and_keep_stateful_whole(tmp_path):
    from isfkit import _native

    job = make_job(tmp_path)
    pieces = _native.plan_chunks(str(job), 3)
    shape = [(i, [f["number"] for f in json.loads(t)["frames"]]) for i, t in pieces]
    # builtins.fs reads FRAMEINDEX and persistent.fs has persistent buffers: both whole.
    assert [json.loads(t)["stateful"] for t in _native.plan_job(str(job))] == \
        [False, True, True, False]
    assert shape == [(0, [0, 1, 2]), (0, [3, 4, 5]), (0, [6]), (1, [0, 1, 2, 3, 4]),
                     (2, [0, 1, 2, 3, 4, 5]), (3, [0, 1, 2])]


def test_stateful_chunks_render_their_lead_in(tmp_path):
    """With split_stateful, each chunk of persistent.fs renders its lead-in unwritten, so
    every frame equals the whole run's."""
    from isfkit import _native

    text = "defaults:\n  size: 24x16\njobs:\n  - shader: persistent.fs\n    frames: 6\n" \
           "    output: out/{name}_%03d.png\n"
    whole, split = tmp_path / "whole", tmp_path / "split"
    make_job(whole, text)
    make_job(split, text)
    runner = _native.BatchRunner(threads=1)
    try:
        for t in _native.plan_job(str(whole / "job.yaml")):
            assert json.loads(runner.run_task_json(t))["frames_written"] == 6
        pieces = _native.plan_chunks(str(split / "job.yaml"), 2, True)
        assert len(pieces) == 3
        for _, t in pieces:
            assert json.loads(runner.run_task_json(t))["frames_written"] == 2
    finally:
        assert json.loads(runner.shutdown())["ok"]
    names = files(whole / "out")
    assert names == files(split / "out") and len(names) == 6
    assert not all((pixels(whole / "out" / names[0]) == pixels(whole / "out" / n)).all()
                   for n in names[1:]), "persistent.fs should change over frames"
    for n in names:
        assert (pixels(whole / "out" / n) == pixels(split / "out" / n)).all(), n


# --- On Ray ---------------------------------------------------------------------------------


def _need_ray():
    """Ray, or a failure: the Ray tests may only be skipped on purpose, with
    ISFKIT_SKIP_RAY_TESTS=1, as for every test that needs a tool."""
    import os

    try:
        import ray
    except ImportError:
        if os.environ.get("ISFKIT_SKIP_RAY_TESTS") == "1":
            pytest.skip("ISFKIT_SKIP_RAY_TESTS=1")
        raise
    return ray



@pytest.fixture(scope="module")
def ray_local():
    ray = _need_ray()
    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False,
             configure_logging=False)
    yield ray
    ray.shutdown()


def test_ray_job_matches_isf_batch(tmp_path, ray_local):
    from isfkit.distributed import render_job

    job = make_job(tmp_path / "ray")
    ref_job = make_job(tmp_path / "ref")
    reports = []
    summary = render_job(job, workers=2, chunk_frames=2, reports=reports)
    expected = reference(ref_job)
    if expected:
        assert sorted(summary) == sorted(expected)
        assert summary["frames_written"] == expected["frames_written"] == 18
        assert [r["frames_written"] for r in summary["results"]] == \
            [r["frames_written"] for r in expected["results"]]
    assert summary["tasks"] == summary["tasks_run"] == 4
    # Every frame written exactly once: the per-task counts are exact and the files are
    # exactly the planned ones (no temporaries, nothing twice).
    assert [r["frames_written"] for r in summary["results"]] == [7, 5, 6, 0]
    assert [f["shader"].endswith("compile_error.fs") for f in summary["failures"]] == [True]
    assert "compile_error.fs:12:12: error:" in summary["failures"][0]["error"]
    names = files(tmp_path / "ray" / "out")
    assert names == files(tmp_path / "ref" / "out") and len(names) == 18
    for n in names:
        assert (pixels(tmp_path / "ray" / "out" / n) == pixels(tmp_path / "ref" / "out" / n)).all(), n
    # Every worker's engine shut down clean.
    assert summary["cleanup_ok"]
    assert len(reports) == 2 and all(r["ok"] and not r["leaks"] and not r["lost"] for r in reports)


def test_ray_killed_worker_loses_nothing(tmp_path, ray_local):
    from isfkit.distributed import render_job

    text = "defaults:\n  size: 96x64\n  fps: 30\njobs:\n  - shader: gradient.fs\n" \
           "    frames: 48\n    output: out/{name}_%03d.png\n  - shader: persistent.fs\n" \
           "    frames: 12\n    output: out/{name}_%03d.png\n"
    job = make_job(tmp_path / "ray", text)
    ref_job = make_job(tmp_path / "ref", text)
    killed = []

    def on_progress(done, total, pids):
        if not killed and done >= 4 and len(pids) == 2:
            killed.append(pids[0])
            os.kill(pids[0], signal.SIGKILL)

    reports = []
    summary = render_job(job, workers=2, chunk_frames=2, on_progress=on_progress,
                         reports=reports)
    assert killed, "no worker was killed"
    assert not summary["failures"], summary["failures"]
    # Frames the killed worker finished are kept (skipped on retry), none is missing.
    assert summary["frames_written"] + summary["frames_skipped"] == 60
    assert [r["frames_written"] + r["frames_skipped"] for r in summary["results"]] == [48, 12]
    reference(ref_job)
    names = files(tmp_path / "ray" / "out")
    assert names == files(tmp_path / "ref" / "out") and len(names) == 60
    for n in names:
        assert (pixels(tmp_path / "ray" / "out" / n) == pixels(tmp_path / "ref" / "out" / n)).all(), n
    lost = [r for r in reports if r["lost"]]
    assert [r["pid"] for r in lost] == killed
    # The killed worker was replaced while the other went on: two workers stopped clean at
    # the end, one of them new.
    stopped = [r for r in reports if not r["lost"]]
    assert len(stopped) == 2 and all(r["ok"] and not r["leaks"] for r in stopped)
    assert killed[0] not in [r["pid"] for r in stopped]
    assert summary["cleanup_ok"]


def _decoded(path: Path, stream: str, fmt: list) -> bytes:
    out = subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", str(path),
                          "-map", stream, *fmt, "-"], capture_output=True, check=True)
    return out.stdout


def _probe(path: Path) -> dict:
    out = subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-show_streams", "-of",
                          "json", str(path)], capture_output=True, text=True, check=True)
    return {s["codec_type"]: s for s in json.loads(out.stdout)["streams"]}


def test_a_filter_over_a_clip_splits_across_workers_and_joins_into_one_file(tmp_path, ray_local):
    if shutil.which("ffmpeg") is None:
        pytest.skip("no ffmpeg")
    from isfkit.distributed import render_job

    text = ("defaults:\n  size: 48x32\n  fps: 10\n  frames: 20\n"
            "  images: { inputImage: clip.mkv }\njobs:\n"
            "  - shader: filter_invert.fs\n    output: out/inv.mkv\n"
            "  - shader: filter_invert.fs\n    output: out/inv.mp4\n")
    for side in ("ray", "ref"):
        folder = tmp_path / side
        make_job(folder, text)
        shutil.copy(SHADERS / "filter_invert.fs", folder / "filter_invert.fs")
        subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
                        "-f", "lavfi", "-i", "testsrc2=size=48x32:rate=10:duration=2",
                        "-f", "lavfi", "-i", "sine=frequency=440:duration=2",
                        "-c:v", "ffv1", "-pix_fmt", "bgr0", "-c:a", "flac", "-shortest",
                        str(folder / "clip.mkv")], check=True)
    summary = render_job(tmp_path / "ray" / "job.yaml", workers=2, chunk_frames=6)
    assert not summary["failures"], summary["failures"]
    assert [r["frames_written"] for r in summary["results"]] == [20, 20]
    reference(tmp_path / "ref" / "job.yaml")
    # The parts are gone: only the joined files.
    assert files(tmp_path / "ray" / "out") == ["inv.mkv", "inv.mp4"]
    ray_mkv, ref_mkv = tmp_path / "ray" / "out" / "inv.mkv", tmp_path / "ref" / "out" / "inv.mkv"
    # Lossless: the pixels and the sound of a one-machine run, exactly.
    rgba = ["-f", "rawvideo", "-pix_fmt", "rgba"]
    assert _decoded(ray_mkv, "0:v", rgba) == _decoded(ref_mkv, "0:v", rgba)
    pcm = ["-f", "f32le"]
    assert _decoded(ray_mkv, "0:a", pcm) == _decoded(ref_mkv, "0:a", pcm)
    # H.264 joined by stream copy: the frame count, the size and the clip's sound.
    probe = _probe(tmp_path / "ray" / "out" / "inv.mp4")
    assert probe["video"]["nb_read_frames"] == "20"
    assert (probe["video"]["width"], probe["video"]["height"]) == (48, 32)
    assert probe["audio"]["codec_name"] == "aac"
    # Resumed, the joined videos are not rendered again.
    before = ray_mkv.stat().st_mtime_ns
    again = render_job(tmp_path / "ray" / "job.yaml", workers=2, chunk_frames=6, resume=True)
    assert again["frames_written"] == 0 and again["frames_skipped"] == 40
    assert ray_mkv.stat().st_mtime_ns == before


def test_collect_workers_send_frames_and_the_driver_writes_them(tmp_path, ray_local):
    from isfkit import _native
    from isfkit.distributed import render_job

    job = make_job(tmp_path / "ray")
    ref_job = make_job(tmp_path / "ref")
    reports = []
    summary = render_job(job, workers=2, chunk_frames=2, reports=reports, collect=True)
    reference(ref_job)
    assert [r["frames_written"] for r in summary["results"]] == [7, 5, 6, 0]
    assert "compile_error.fs:12:12: error:" in summary["failures"][0]["error"]
    names = files(tmp_path / "ray" / "out")
    assert names == files(tmp_path / "ref" / "out") and len(names) == 18
    for n in names:
        assert (pixels(tmp_path / "ray" / "out" / n) == pixels(tmp_path / "ref" / "out" / n)).all(), n
    assert summary["cleanup_ok"] and all(r["ok"] for r in reports)
    # No scratch folder is left behind by the workers.
    import tempfile

    assert not [d for d in os.listdir(tempfile.gettempdir()) if d.startswith("isfkit-collect-")
                and os.path.isdir(os.path.join(tempfile.gettempdir(), d))
                and int(d.split("-")[2]) in [r["pid"] for r in reports]]

    # Resume on the driver: a deleted frame and a truncated one are rendered again, the
    # rest skipped; the stateful shader's frames after its first missing one are rendered
    # (its lead-in) but not written again.
    out = tmp_path / "ray" / "out"
    (out / "gradient_003.png").unlink()
    data = (out / "persistent_004.png").read_bytes()
    (out / "persistent_004.png").write_bytes(data[: len(data) // 2])
    assert not _native.frame_complete(str(out / "persistent_004.png"), 24, 16)
    again = render_job(job, workers=2, chunk_frames=2, resume=True, collect=True)
    assert [r["frames_written"] for r in again["results"]] == [1, 0, 1, 0]
    assert [r["frames_skipped"] for r in again["results"]] == [6, 5, 5, 0]
    for n in names:
        assert (pixels(out / n) == pixels(tmp_path / "ref" / "out" / n)).all(), n


# Never ends on lavapipe within a test's time: its loop cut (65,535 iterations) bounds one
# pixel, so the pixel count does it (a 60,000-step loop at 2048x2048 takes many minutes).
HANG = """/*{ "ISFVSN": "2" }*/
void main() {
    float a = 0.0;
    for (int i = 0; i < 60000; i++) {
        a = fract(a * 1.0001 + float(i) * 0.37 + gl_FragCoord.x);
    }
    gl_FragColor = vec4(a);
}
"""


def test_task_timeout_stops_a_hung_piece_and_replaces_its_worker(tmp_path, ray_local):
    from isfkit.distributed import render_job

    text = "defaults:\n  size: 16x16\n  fps: 10\njobs:\n  - shader: hang.fs\n" \
           "    size: 2048x2048\n    output: out/{name}.png\n  - shader: gradient.fs\n    frames: 6\n" \
           "    output: out/{name}_%02d.png\n"
    job = make_job(tmp_path, text)
    (tmp_path / "hang.fs").write_text(HANG)
    reports = []
    started = time.monotonic()
    summary = render_job(job, workers=2, chunk_frames=2, deadline=600, task_timeout=4,
                         reports=reports)
    took = time.monotonic() - started
    assert took < 90, took
    assert [f["shader"].endswith("hang.fs") for f in summary["failures"]] == [True]
    assert summary["failures"][0]["error"] == (
        "error: the task ran past its deadline of 4 s (--task-timeout); its worker was stopped")
    assert [r["frames_written"] for r in summary["results"]] == [0, 6]
    assert files(tmp_path / "out") == [f"gradient_{i:02d}.png" for i in range(6)]
    lost = [r for r in reports if r["lost"]]
    assert len(lost) == 1 and lost[0]["error"] == "stopped: its task ran past 4 s"
    stopped = [r for r in reports if not r["lost"]]
    assert len(stopped) == 2 and all(r["ok"] and not r["leaks"] for r in stopped)


def test_resume_after_the_driver_is_killed(tmp_path):
    _need_ray()
    text = "defaults:\n  size: 160x120\n  fps: 30\njobs:\n  - shader: gradient.fs\n" \
           "    frames: 400\n    output: out/{name}_%03d.png\n"
    job = make_job(tmp_path, text)
    cmd = [sys.executable, "-m", "isfkit.distributed", str(job), "--workers", "1", "--json",
           "--chunk-frames", "4"]
    driver = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              start_new_session=True)
    out = tmp_path / "out"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and driver.poll() is None:
        if out.is_dir() and len(os.listdir(out)) >= 8:
            break
        time.sleep(0.05)
    assert driver.poll() is None, "the driver finished before it could be killed"
    # The driver and everything it started (its local Ray) die at once.
    os.killpg(driver.pid, signal.SIGKILL)
    driver.wait()
    before = len([n for n in os.listdir(out) if not n.startswith(".")])
    assert 0 < before < 400
    done = subprocess.run(cmd + ["--resume"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["frames_skipped"] >= before - 4
    assert summary["frames_written"] + summary["frames_skipped"] == 400
    assert files(out) == [f"gradient_{i:03d}.png" for i in range(400)]


def test_without_ray_the_command_says_how_to_install_it(tmp_path):
    job = make_job(tmp_path)
    code = (
        "import sys; sys.modules['ray'] = None\n"
        "from isfkit import distributed\n"
        f"sys.exit(distributed.main([{str(job)!r}]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 2, out.stderr
    assert "pip install 'isfkit[ray]'" in out.stderr
    assert not (tmp_path / "out").exists()
