"""Type stub of the native extension ``isfkit._native`` (thin wrappers over isfkit-render).
Most code uses the pythonic layer in ``isfkit`` instead."""

from os import PathLike
from typing import Any, Dict, List, Optional, Tuple, Union

from ._errors import Diagnostic

__version__: str

class Engine:
    def __init__(self, backend: str = "auto", deadline: float = 120.0, private_instance: bool = False) -> None: ...
    def load(self, path: Union[str, PathLike[str]]) -> Scene: ...
    def load_source(self, source: str, vertex: Optional[str] = None) -> Scene: ...
    def shutdown(self) -> CleanupReport: ...
    @property
    def is_shut_down(self) -> bool: ...
    def reinitialize(self) -> ReinitReport: ...
    def cleanup(self) -> Tuple[int, int]: ...
    def force_cleanup(self) -> Tuple[int, int]: ...
    def live_resources(self) -> List[LiveResource]: ...
    def resources(self) -> Dict[str, Any]: ...
    def pool_stats(self) -> Dict[str, int]: ...
    def adapter_name(self) -> str: ...
    @property
    def generation(self) -> int: ...
    @property
    def deadline(self) -> float: ...
    @deadline.setter
    def deadline(self, seconds: float) -> None: ...
    def _debug_leak_texture(self, label: str) -> None: ...

class Scene:
    def info(self) -> ShaderInfo: ...
    def generated_glsl(self) -> Tuple[str, str]: ...
    @property
    def label(self) -> str: ...
    def set_input(self, name: str, value: Any, lenient: bool = False) -> None: ...
    def value(self, name: str) -> Union[bool, int, float, Tuple[float, ...], None]: ...
    def set_image(self, name: str, width: int, height: int, rgba: bytes) -> None: ...
    def set_image_file(self, name: str, path: Union[str, PathLike[str]]) -> None: ...
    def set_audio(self, name: str, channels: List[List[float]], sample_rate: int) -> None: ...
    def set_audio_file(self, name: str, path: str) -> None: ...
    def render(
        self,
        width: int,
        height: int,
        time: float = 0.0,
        float_output: bool = False,
        date: Optional[Tuple[float, float, float, float]] = None,
    ) -> Frame: ...
    def render_many(
        self,
        width: int,
        height: int,
        times: List[float],
        float_output: bool = False,
        in_flight: int = 3,
    ) -> List[Frame]: ...
    @property
    def frame_index(self) -> int: ...

class Frame:
    @property
    def width(self) -> int: ...
    @property
    def height(self) -> int: ...
    @property
    def is_float(self) -> bool: ...
    def pixel_bytes(self, rgba8: bool = False) -> bytearray: ...
    def pixel(self, x: int, y: int) -> Tuple[float, float, float, float]: ...
    def save_png(self, path: Union[str, PathLike[str]], bits: int = 8) -> None: ...

def validate(
    source: Optional[str] = None,
    path: Optional[Union[str, PathLike[str]]] = None,
    vertex: Optional[str] = None,
) -> Tuple[List[Diagnostic], List[Diagnostic]]: ...
def convert(
    source: str,
    dialect: Optional[str] = None,
    common: Optional[str] = None,
) -> List[Tuple[str, str, List[str]]]: ...
def parse_document(
    source: Optional[str] = None,
    path: Optional[Union[str, PathLike[str]]] = None,
) -> ShaderInfo: ...

class PhaseReport:
    phase: int
    name: str
    duration_ms: float
    released_count: int
    released_bytes: int
    errors: List[str]

class Leak:
    source: str
    kind: str
    label: str
    bytes: int
    count: int
    created_at: Optional[str]

class CleanupReport:
    def __init__(self) -> None: ...
    @property
    def ok(self) -> bool: ...
    @property
    def phases(self) -> List[PhaseReport]: ...
    @property
    def leaks(self) -> List[Leak]: ...
    @property
    def total_ms(self) -> float: ...
    @property
    def wgpu_report_skipped(self) -> Optional[str]: ...
    @property
    def abandoned(self) -> List[Dict[str, Any]]: ...
    @property
    def errors(self) -> List[str]: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self) -> str: ...

class LiveResource:
    kind: str
    label: str
    bytes: int
    generation: int
    order: int
    created_at: str

class ReinitReport:
    generation: int
    duration_ms: float
    released_count: int
    released_bytes: int
    persistent_saved: int
    adapter: str

class InputInfo:
    name: str
    type: str
    label: Optional[str]
    default: Any
    min: Any
    max: Any
    identity: Any
    values: Tuple[int, ...]
    labels: Tuple[str, ...]

class PassInfo:
    target: Optional[str]
    persistent: bool
    float: bool
    width: Optional[str]
    height: Optional[str]

class ImportedInfo:
    name: str
    path: str

class ShaderInfo:
    kind: str
    inputs: Tuple[InputInfo, ...]
    passes: Tuple[PassInfo, ...]
    imported: Tuple[ImportedInfo, ...]
    description: Optional[str]
    credit: Optional[str]
    categories: Tuple[str, ...]
    isf_version: str
    def input(self, name: str) -> Optional[InputInfo]: ...
    @property
    def input_names(self) -> List[str]: ...

# Batch plan and executor (isfkit-batch), used by isfkit.distributed. Tasks and results cross
# as JSON: they are the messages sent to workers.
def plan_job(path: Union[str, PathLike[str]]) -> List[str]: ...
def plan_chunks(
    path: Union[str, PathLike[str]], chunk_frames: int = 8, split_stateful: bool = False
) -> List[Tuple[int, str]]: ...
def task_output_files(task_json: str) -> List[str]: ...
def failed_result_json(task_json: str, error: str) -> str: ...
def summary_json(
    tasks_json: List[str],
    results: List[List[str]],
    seconds: float,
    interrupted: bool,
    cleanup_ok: bool,
) -> str: ...

class BatchRunner:
    def __init__(self, deadline: float = 120.0, threads: int = 0, in_flight: int = 3) -> None: ...
    def run_task_json(self, task_json: str, resume: bool = False, in_flight: int = 3) -> str: ...
    def shutdown(self) -> str: ...
def raw_header(source: str) -> Optional[Tuple[str, int, int]]: ...
