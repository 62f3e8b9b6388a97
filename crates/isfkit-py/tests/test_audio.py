"""Audio that follows time: a sound given as (samples, sample_rate) or as a file
(WAV, or mp3/flac decoded by ffmpeg) feeds audio and audioFFT inputs; each frame sees the
window of samples that ends at its time, so an FFT's peak follows a sine sweep frame by
frame. The ffmpeg half is skipped only when ISFKIT_SKIP_FFMPEG_TESTS=1."""

import os
import shutil
import subprocess
import wave

import numpy as np
import pytest

import isfkit

RATE = 44100

FFT = """/*{ "INPUTS": [ { "NAME": "fft", "TYPE": "audioFFT", "MAX": 64 } ] }*/
void main() {
    float v = IMG_NORM_PIXEL(fft, vec2(isf_FragNormCoord.x, 0.5)).r;
    gl_FragColor = vec4(v, v, v, 1.0);
}
"""


def sweep(seconds=2.0, f0=500.0, f1=15000.0):
    t = np.arange(int(RATE * seconds)) / RATE
    return (np.sin(2 * np.pi * (f0 * t + 0.5 * (f1 - f0) / seconds * t * t)) * 0.8).astype(np.float32)


def peak_columns(shader, times):
    out = []
    for t in times:
        a = shader.render(64, 8, time=t, float=True).to_numpy()
        out.append(int(np.argmax(a[0, :, 0])))
    return out


def expected_column(t, f0=500.0, f1=15000.0, seconds=2.0):
    centre = t - 512 / RATE
    f = f0 + (f1 - f0) / seconds * centre
    return f / (RATE / 1024) / 8


def test_fft_peak_follows_the_sweep(engine):
    shader = engine.load_source(FFT)
    shader.set(fft=(sweep(), RATE))
    times = [i / 10 for i in range(1, 20)]
    peaks = peak_columns(shader, times)
    assert peaks == sorted(peaks) and len(set(peaks)) == len(peaks), peaks
    for t, p in zip(times, peaks):
        assert abs(p - expected_column(t)) <= 1, (t, p, expected_column(t))
    # Before the start: silence, an empty spectrum.
    a = shader.render(64, 8, time=0.0, float=True).to_numpy()
    assert (a[:, :, 0] == 0).all()


def test_wav_file_and_stereo_rows(engine, shaders, tmp_path):
    # audio.fs draws row 0 (the first channel): left 0.5 -> 0.75 (24 px up of 32), right -0.5.
    path = tmp_path / "two.wav"
    n = RATE
    stereo = np.stack([np.full(n, 0.5), np.full(n, -0.5)], axis=1)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes((stereo * 32768).astype("<i2").tobytes())  # 0.5 exactly: 16384
    shader = engine.load(shaders / "audio.fs")
    shader.set(wave=path)
    a = shader.render(32, 32, time=0.5).to_numpy()
    white = [y for y in range(32) if (a[y, :, :3] == 255).all()]
    assert white == [7, 8], white
    # Past the end: silence, the line at mid-height (0.5 -> 16 px up: rows 15-16).
    a = shader.render(32, 32, time=5.0).to_numpy()
    white = [y for y in range(32) if (a[y, :, :3] == 255).all()]
    assert white == [15, 16], white


def test_bad_audio_values(engine, shaders):
    shader = engine.load(shaders / "audio.fs")
    with pytest.raises(isfkit.InputError) as e:
        shader.set(wave=np.zeros(64))
    assert str(e.value) == (
        'input "wave" is audio: give a sound file (WAV, mp3, flac, ...) or '
        "(samples, sample_rate), e.g. (array, 44100); it follows the render time"
    )
    with pytest.raises(isfkit.InputError) as e:
        shader.set(wave="/nonexistent/song.mp3")
    assert str(e.value) == 'input "wave": no such sound file: /nonexistent/song.mp3'
    with pytest.raises(isfkit.InputError) as e:
        shader.set(wave=([[0.0, 0.1], [0.2]], RATE))
    assert str(e.value) == (
        'input "wave" is of type audio, but the value given is invalid sound: channel 1 has 1 '
        "samples but channel 0 has 2; every channel must have the same number"
    )


def _ffmpeg_or_skip():
    if shutil.which("ffmpeg") is None:
        if os.environ.get("ISFKIT_SKIP_FFMPEG_TESTS") == "1":
            pytest.skip("ISFKIT_SKIP_FFMPEG_TESTS=1 and ffmpeg is not installed")
        pytest.fail("ffmpeg is not installed: install it or set ISFKIT_SKIP_FFMPEG_TESTS=1")


@pytest.mark.parametrize("ext", ["mp3", "flac"])
def test_compressed_files_through_ffmpeg(engine, tmp_path, ext):
    _ffmpeg_or_skip()
    wav = tmp_path / "sweep.wav"
    with wave.open(str(wav), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes((sweep() * 32767).astype("<i2").tobytes())
    out = tmp_path / f"sweep.{ext}"
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", str(wav), str(out)], check=True)
    shader = engine.load_source(FFT)
    shader.set(fft=str(out))
    times = [0.5, 1.0, 1.5]
    for t, p in zip(times, peak_columns(shader, times)):
        assert abs(p - expected_column(t)) <= 1, (ext, t, p)
