"""Shared fixtures. These tests run against the *installed* isfkit package
(scripts/test-python.sh installs the wheel into a fresh virtualenv)."""

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
SHADERS = REPO / "tests" / "shaders"

GREY = """/*{
    "DESCRIPTION": "Every pixel 50% grey",
    "CREDIT": "isfkit tests",
    "INPUTS": []
}*/
void main() {
    gl_FragColor = vec4(0.5, 0.5, 0.5, 1.0);
}
"""


@pytest.fixture
def shaders() -> Path:
    return SHADERS


@pytest.fixture
def engine():
    import isfkit

    e = isfkit.Engine()
    yield e
    report = e.shutdown()
    assert report.ok, str(report)


@pytest.fixture
def vvisf_process():
    """Leaves the process-wide engine of isfkit.vvisf shut down after the test."""
    import isfkit.vvisf as pyvvisf

    yield pyvvisf
    report = pyvvisf.cleanup_glfw_context()
    assert report.ok, str(report)


def test_the_installed_package_is_tested():
    import isfkit

    if os.environ.get("ISFKIT_EXPECT_INSTALLED") == "1":
        assert "site-packages" in isfkit.__file__, isfkit.__file__
