"""Footage and keys from Python: a video or an image sequence set on an image input shows the
clip's frame at each render's time (the same frames `isf render` shows), and `Keys` moves a
value over time, in `render` and in the pipelined `frames`."""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pytest

import isfkit

FILTER = """/*{ "ISFVSN": "2", "INPUTS": [ { "NAME": "inputImage", "TYPE": "image" } ] }*/
void main() { vec4 c = IMG_THIS_PIXEL(inputImage); gl_FragColor = vec4(1.0 - c.rgb, c.a); }
"""

LEVEL = """/*{ "ISFVSN": "2", "INPUTS": [ { "NAME": "level", "TYPE": "float", "DEFAULT": 0.0 } ] }*/
void main() { gl_FragColor = vec4(level, 0.0, 0.0, 1.0); }
"""


@pytest.fixture(scope="module")
def footage(tmp_path_factory):
    if shutil.which("ffmpeg") is None:
        pytest.skip("no ffmpeg")
    d = tmp_path_factory.mktemp("footage")
    src = "testsrc2=size=32x16:rate=10:duration=1"
    for args in (
        ["-start_number", "0", str(d / "f_%03d.png")],
        ["-c:v", "ffv1", "-pix_fmt", "bgr0", str(d / "clip.mkv")],
    ):
        subprocess.run(
            ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", src, *args],
            check=True,
        )
    return d


def pixels(path):
    from PIL import Image

    return np.asarray(Image.open(path).convert("RGBA"))


def test_a_filter_over_a_video_and_a_sequence(footage):
    with isfkit.Engine() as engine:
        # A sequence plays at 30 frames a second unless given its rate.
        for clip in (str(footage / "clip.mkv"), str(footage / "f_%03d.png#rate=10")):
            shader = engine.load_source(FILTER)
            shader.set(inputImage=clip)
            for k, frame in enumerate(shader.frames(10, fps=10, size=(32, 16))):
                src = pixels(footage / f"f_{k:03d}.png")
                want = np.concatenate([255 - src[..., :3], src[..., 3:]], axis=-1)
                assert np.array_equal(frame.to_numpy(), want), (clip, k)
            # One frame at a time, out of order: the frame at that time.
            src = pixels(footage / "f_004.png")
            assert np.array_equal(shader.render(32, 16, 0.45).to_numpy()[..., :3], 255 - src[..., :3])


def test_keys_move_a_value(footage):
    with isfkit.Engine() as engine:
        shader = engine.load_source(LEVEL)
        shader.set(level=isfkit.Keys([(0.1, 0.2), (0.3, 1.0)]))
        reds = [f.to_numpy()[0, 0, 0] for f in shader.frames(5, fps=10, size=(2, 2))]
        assert reds == [51, 51, 153, 255, 255]
        assert shader.render(2, 2, 0.2).to_numpy()[0, 0, 0] == 153
        shader.set(level=isfkit.Keys([(0.0, 0.0), (0.4, 1.0)], ease="ease-in"))
        assert shader.render(2, 2, 0.2).to_numpy()[0, 0, 0] == 32  # 0.125 of 255, rounded
        with pytest.raises(isfkit.InputError) as e:
            shader.set(level=isfkit.Keys([(0, 0)], ease="bouncy"))
        assert str(e.value) == (
            'input "level": unknown easing "bouncy" (easings: linear, ease-in, ease-out, ease-in-out)'
        )
        with pytest.raises(isfkit.InputError) as e:
            shader.set(level=isfkit.Keys([(0, "lots")]))
        assert str(e.value) == 'input "level" is of type float, but the value given is "lots"'
    with isfkit.Engine() as engine, pytest.raises(isfkit.InputError) as e:
        engine.load_source(FILTER).set(inputImage=str(footage / "gap_%03d.png"))
    assert str(e.value).endswith("no file matches the pattern")
