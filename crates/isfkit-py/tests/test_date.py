"""Reproducible DATE from a datetime.datetime in render() and frames()."""

import datetime

import numpy as np

# Left pixel (year - 2000, month, day), right pixel (hours, minutes, seconds), each n/255.
DATE_SHADER = """/*{ "ISFVSN": "2" }*/
void main() {
  vec3 ymd = vec3(DATE.x - 2000.0, DATE.y, DATE.z);
  vec3 hms = vec3(floor(DATE.w / 3600.0), mod(floor(DATE.w / 60.0), 60.0), mod(floor(DATE.w), 60.0));
  gl_FragColor = vec4((gl_FragCoord.x < 1.0 ? ymd : hms) / 255.0, 1.0);
}
"""


def date_pixels(frame):
    a = np.asarray(frame.to_numpy())
    return [int(v) for v in list(a[0, 0, :3]) + list(a[0, 1, :3])]


def test_render_and_frames_take_a_datetime(engine):
    shader = engine.load_source(DATE_SHADER)
    when = datetime.datetime(2024, 6, 15, 23, 59, 58)
    assert date_pixels(shader.render(2, 1, date=when)) == [24, 6, 15, 23, 59, 58]
    tuple_date = (2024.0, 6.0, 15.0, 3600.0)
    assert date_pixels(shader.render(2, 1, date=tuple_date)) == [24, 6, 15, 1, 0, 0]
    frames = list(shader.frames([0, 1], fps=0.5, size=(2, 1), date=when))
    assert [date_pixels(f) for f in frames] == [[24, 6, 15, 23, 59, 58], [24, 6, 16, 0, 0, 0]]
    del shader
