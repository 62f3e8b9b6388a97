"""isfkit: render and validate ISF (Interactive Shader Format) shaders natively and headless.

    import isfkit
    with isfkit.Engine() as engine:
        shader = engine.load("plasma.fs")
        shader.set(speed=2.0, color=(1, 0, 0, 1))
        shader.render(1920, 1080, time=1.5).save("out.png")

``isfkit.validate(text_or_path)`` checks a shader without a GPU; ``isfkit.parse(text_or_path)``
reads its inputs, passes and kind without compiling it. Shadertoy, GLSL Sandbox and
gl-transitions sources load wherever ISF does; ``isfkit.convert(text_or_path)`` gives the ISF
file to keep. ``import isfkit.vvisf as pyvvisf`` runs code written for pyvvisf 0.2.
"""

from ._api import (
    CleanupReport,
    Engine,
    Frame,
    ImportedInfo,
    InputInfo,
    Keys,
    Leak,
    LiveResource,
    PassInfo,
    PhaseReport,
    ReinitReport,
    Shader,
    ShaderInfo,
    Validation,
    convert,
    convert_all,
    parse,
    validate,
)
from ._errors import (
    CompileError,
    Diagnostic,
    InputError,
    ISFError,
    ParseError,
    RenderError,
    ResourceError,
    FileError,
    LimitError,
    MissingFileError,
    TimeoutError,
)
from ._native import __version__, quick_compiles
from ._process import live_resources

__all__ = [
    "Engine",
    "Keys",
    "Shader",
    "Frame",
    "ShaderInfo",
    "InputInfo",
    "PassInfo",
    "ImportedInfo",
    "CleanupReport",
    "PhaseReport",
    "ReinitReport",
    "Leak",
    "LiveResource",
    "Validation",
    "Diagnostic",
    "validate",
    "parse",
    "convert",
    "convert_all",
    "live_resources",
    "quick_compiles",
    "ISFError",
    "ParseError",
    "CompileError",
    "InputError",
    "RenderError",
    "TimeoutError",
    "ResourceError",
    "FileError",
    "LimitError",
    "MissingFileError",
    "__version__",
]
