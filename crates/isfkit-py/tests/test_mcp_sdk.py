"""`isf mcp` driven by the official MCP Python SDK's client (`pip install mcp`, the 1.x and
the 2.x line), the client agents actually use: initialize, list tools, validate a broken
shader (its diagnostic at its line), render two time codes and decode both images, read a
resource.

Needs the `mcp` package and the `isf` binary ($ISF_BIN, else target/release/isf or
target/debug/isf); skipped with the reason when either is missing. CI installs both SDK lines
in separate virtualenvs (see scripts/test-mcp-sdk.sh)."""

import asyncio
import base64
import io
import json
import os
from pathlib import Path

import pytest

mcp = pytest.importorskip("mcp", reason="the MCP Python SDK is not installed (pip install mcp)")
from mcp.client.stdio import StdioServerParameters, stdio_client  # noqa: E402

from isf_binary import REPO, isf_binary  # noqa: E402


BROKEN = """/*{ "ISFVSN": "2" }*/
void main() {
    float x = 1.0;
    gl_FragColor = vec4(x * brightness);
}
"""

ANIMATED = """/*{ "ISFVSN": "2" }*/
void main() {
    gl_FragColor = vec4(fract(TIME), isf_FragNormCoord, 1.0);
}
"""


def field(obj, *names):
    """A result field by its 2.x (snake_case) or 1.x (camelCase) name."""
    for n in names:
        if hasattr(obj, n):
            return getattr(obj, n)
    raise AttributeError(names)


async def session_run(transport):
    async with transport as streams:
        read, write = streams[0], streams[1]
        async with mcp.ClientSession(read, write) as session:
            init = await session.initialize()
            info = field(init, "server_info", "serverInfo")
            assert info.name == "isfkit"

            tools = await session.list_tools()
            names = [t.name for t in tools.tools]
            assert names == ["render_shader", "validate_shader", "get_shader_info"]
            schema = field(tools.tools[0], "input_schema", "inputSchema")
            assert schema["properties"]["width"]["default"] == 1920

            v = await session.call_tool("validate_shader", {"shader_content": BROKEN})
            assert field(v, "is_error", "isError") is False
            s = field(v, "structured_content", "structuredContent")
            if s is None:  # a client that keeps only the text
                s = json.loads(v.content[0].text)
            assert s["valid"] is False
            assert s["diagnostics"][0]["line"] == 4
            assert s["diagnostics"][0]["stage"] == "fragment"
            assert s["errors"][0].startswith("shader.fs:4:")

            r = await session.call_tool(
                "render_shader",
                {
                    "shader_content": ANIMATED,
                    "time_codes": [0.25, 0.75],
                    "width": 32,
                    "height": 16,
                    "format": "png",
                },
            )
            assert field(r, "is_error", "isError") is False
            images = [c for c in r.content if c.type == "image"]
            assert len(images) == 2
            reds = []
            for c in images:
                assert field(c, "mime_type", "mimeType") == "image/png"
                png = base64.b64decode(c.data)
                assert png[:8] == b"\x89PNG\r\n\x1a\n"
                try:
                    from PIL import Image
                except ImportError:
                    continue
                img = Image.open(io.BytesIO(png)).convert("RGBA")
                assert img.size == (32, 16)
                reds.append(img.getpixel((0, 0))[0])
            if reds:
                assert abs(reds[0] - 64) <= 2 and abs(reds[1] - 191) <= 2, reds

            res = await session.read_resource("isf://examples/plasma.fs")
            text = res.contents[0].text
            assert text == (REPO / "examples" / "plasma.fs").read_text()
            ref = await session.read_resource("isf://reference")
            assert "IMG_NORM_PIXEL" in ref.contents[0].text


def test_official_mcp_client_talks_to_isf_mcp():
    if isf_binary() is None:
        pytest.skip("no isf binary: build it (cargo build -p isfkit-cli) or set ISF_BIN")
    params = StdioServerParameters(command=isf_binary(), args=["mcp", "--workers", "1"])
    asyncio.run(asyncio.wait_for(session_run(stdio_client(params)), timeout=180))


def test_official_mcp_client_over_streamable_http():
    if isf_binary() is None:
        pytest.skip("no isf binary: build it (cargo build -p isfkit-cli) or set ISF_BIN")
    import socket
    import subprocess
    from mcp.client.streamable_http import streamable_http_client

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [isf_binary(), "mcp", "--http", f"127.0.0.1:{port}", "--workers", "1"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = server.stderr.readline()
        assert line.startswith(f"isf mcp: streamable HTTP on http://127.0.0.1:{port}/mcp"), line
        url = f"http://127.0.0.1:{port}/mcp"
        asyncio.run(asyncio.wait_for(session_run(streamable_http_client(url)), timeout=180))
    finally:
        server.terminate()
        try:
            rest = server.communicate(timeout=60)[1]
        except subprocess.TimeoutExpired:
            server.kill()
            raise
    assert server.returncode == 0, rest
    assert "clean shutdown" in rest, rest
