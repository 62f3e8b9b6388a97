#!/usr/bin/env python3
"""Reference renderer for differential tests: one ISF frame through pyvvisf 0.9
(PyOpenGL + GLFW, desktop OpenGL 3.3 core, e.g. Mesa llvmpipe under Xvfb).

    python pyvvisf_render.py SHADER.fs OUT.png --size WxH [--time T]
        [--image NAME=PATH]... [--set NAME=VALUE]...

Writes OUT.png as RGBA8, top row first, exactly the framebuffer bytes.
Prints GL_RENDERER to stderr. Exit codes: 0 ok, 1 shader invalid / render
failed, 2 usage / I/O / bad value, 4 environment (pyvvisf missing, no GL context).

pyvvisf is corrected at runtime (the installed package is never edited):
  (a) its vertex skeleton flips y (isf_FragNormCoord.y = 1 - ...); we use the
      ISF/VVISF convention: normalized y = 0 is the bottom row of the output.
  (b) its header regex needs `}` and `*/` on one line; the header comment is
      normalised to `/*{...}*/` first (line count kept).
  (c) it has no image inputs at all (coercion of TYPE "image" raises); we upload
      each --image bottom row first (so it is upright under (a)), LINEAR filter,
      CLAMP_TO_EDGE, imgRect (0,0,1,1), flip false, and set the sampler uniforms.
  (d) its IMG_* macro regexes break on nested parentheses and IMG_PIXEL divides
      by RENDERSIZE instead of the image size; we expand the macros with a
      balanced-parenthesis scanner and ISF meanings (IMG_PIXEL: / IMG_SIZE).
  (e) GLSL 1.x compatibility for #version 330 core: texture2D -> texture,
      varying -> in/out, attribute -> in.
  (f) TYPE "event" inputs are declared as "bool" (pyvvisf rejects "event").
A companion SHADER.vs next to SHADER.fs is used as the vertex shader.
"""

import argparse
import os
import re
import sys

EXIT_RENDER, EXIT_USAGE, EXIT_ENV = 1, 2, 4


def die(code, msg):
    print(f"pyvvisf_render: {msg}", file=sys.stderr)
    sys.exit(code)


try:
    import numpy as np
    from OpenGL import GL
    from PIL import Image

    import pyvvisf
    import pyvvisf.renderer as pv_renderer
    import pyvvisf.shader_processor as pv_proc
    from pyvvisf.errors import ContextError
except ImportError as e:  # pragma: no cover - environment check
    die(EXIT_ENV, f"pyvvisf or a dependency is not installed ({e}); "
                  "pip install pyvvisf==0.9.0 in the Python that runs this script")

# ---- (a) vertex skeleton without the y flip ---------------------------------
_FLIPPED = "isf_FragNormCoord = vec2((gl_Position.x+1.0)/2.0, 1.0 - (gl_Position.y+1.0)/2.0);"
_UPRIGHT = "isf_FragNormCoord = vec2((gl_Position.x+1.0)/2.0, (gl_Position.y+1.0)/2.0);"
if _FLIPPED not in pv_proc.ISF_VERTEX_SHADER_SKELETON:
    die(EXIT_ENV, f"unexpected pyvvisf {pyvvisf.__version__}: vertex skeleton changed, "
                  "cannot apply the isf_FragNormCoord correction")
pv_proc.ISF_VERTEX_SHADER_SKELETON = pv_proc.ISF_VERTEX_SHADER_SKELETON.replace(_FLIPPED, _UPRIGHT)


# ---- (b) header normalisation ------------------------------------------------
def normalise_header(src):
    """Rewrite the first comment `/* {...} */` to `/*{...}*/`, moving the
    whitespace it drops (newlines) after `*/` so line numbers stay the same."""
    m = re.search(r"/\*(\s*)(\{[\s\S]*?\})(\s*)\*/", src)
    if not m:
        return src
    pad = re.sub(r"[^\n]", "", m.group(1) + m.group(3))
    # (f) pyvvisf's ISFInput rejects TYPE "event" (parser.py:29) although it maps
    # it to a bool uniform; for one frame an event is a bool that is false unless set.
    header = re.sub(r'("TYPE"\s*:\s*)"event"', r'\1"bool"', m.group(2))
    return src[:m.start()] + "/*" + header + "*/" + pad + src[m.end():]


# ---- (d) + (e) macro expansion -----------------------------------------------
def _args(src, i):
    """src[i] == '('; return (list of top-level args, index after ')')."""
    depth, start, out = 0, i + 1, []
    for j in range(i, len(src)):
        c = src[j]
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                out.append(src[start:j].strip())
                return out, j + 1
        elif c == "," and depth == 1:
            out.append(src[start:j].strip())
            start = j + 1
    raise pyvvisf.ShaderCompilationError("unbalanced parentheses in an IMG_* macro call")


_MACROS = {
    "IMG_THIS_PIXEL": lambda a: f"texture({a[0]}, isf_FragNormCoord)",
    "IMG_THIS_NORM_PIXEL": lambda a: f"texture({a[0]}, isf_FragNormCoord)",
    "IMG_NORM_PIXEL": lambda a: f"texture({a[0]}, {a[1]})",
    "IMG_PIXEL": lambda a: f"texture({a[0]}, ({a[1]}) / _{a[0]}_imgSize)",
    "IMG_SIZE": lambda a: f"_{a[0]}_imgSize",
}
_MACRO_RE = re.compile(r"\b(" + "|".join(_MACROS) + r")\s*\(")


def expand_macros(src):
    while True:
        m = _MACRO_RE.search(src)
        if not m:
            return src
        args, end = _args(src, m.end() - 1)
        src = src[:m.start()] + _MACROS[m.group(1)](args) + src[end:]


def _replace_special_functions(self, source):
    return "#define texture2D texture\n#define varying in\n" + expand_macros(source)


pv_proc.ISFShaderProcessor._replace_special_functions = _replace_special_functions
_orig_vs = pv_proc.ISFShaderProcessor.process_vertex_shader


def _process_vertex_shader(self, raw, metadata):
    if raw:
        raw = ("#define texture2D texture\n#define varying out\n#define attribute in\n"
               + expand_macros(raw))
    return _orig_vs(self, raw, metadata)


pv_proc.ISFShaderProcessor.process_vertex_shader = _process_vertex_shader

# ---- (c) image inputs ----------------------------------------------------------
IMAGE_UNIT0 = 8  # pyvvisf binds pass targets from unit 1 upwards
_images = {}  # name -> (texture id, width, height)


def upload_image(path):
    try:
        img = Image.open(path).convert("RGBA")
    except OSError as e:
        die(EXIT_USAGE, f"cannot read image {path}: {e}")
    w, h = img.size
    rows = np.ascontiguousarray(np.flipud(np.asarray(img, dtype=np.uint8)))  # bottom row first
    tex = GL.glGenTextures(1)
    GL.glBindTexture(GL.GL_TEXTURE_2D, tex)
    GL.glPixelStorei(GL.GL_UNPACK_ALIGNMENT, 1)
    GL.glTexImage2D(GL.GL_TEXTURE_2D, 0, GL.GL_RGBA8, w, h, 0, GL.GL_RGBA,
                    GL.GL_UNSIGNED_BYTE, rows)
    for p, v in ((GL.GL_TEXTURE_MIN_FILTER, GL.GL_LINEAR), (GL.GL_TEXTURE_MAG_FILTER, GL.GL_LINEAR),
                 (GL.GL_TEXTURE_WRAP_S, GL.GL_CLAMP_TO_EDGE),
                 (GL.GL_TEXTURE_WRAP_T, GL.GL_CLAMP_TO_EDGE)):
        GL.glTexParameteri(GL.GL_TEXTURE_2D, p, v)
    return tex, w, h


_orig_set_inputs = pv_renderer.ISFRenderer._set_input_uniforms


def _set_input_uniforms(self, inputs):
    _orig_set_inputs(self, inputs)
    sc = self.shader_compiler
    for k, (name, (tex, w, h)) in enumerate(sorted(_images.items())):
        GL.glActiveTexture(int(GL.GL_TEXTURE0) + IMAGE_UNIT0 + k)
        GL.glBindTexture(GL.GL_TEXTURE_2D, tex)
        for uname in (f"_{name}_imgSize", f"_{name}_imgRect", f"_{name}_flip"):
            if uname not in sc.uniform_locations:  # only active ones were cached
                sc.uniform_locations[uname] = GL.glGetUniformLocation(sc.program, uname)
        sc.set_uniform(name, IMAGE_UNIT0 + k)
        sc.set_uniform(f"_{name}_imgSize", [float(w), float(h)])
        sc.set_uniform(f"_{name}_imgRect", [0.0, 0.0, 1.0, 1.0])
        sc.set_uniform(f"_{name}_flip", False)
    GL.glActiveTexture(GL.GL_TEXTURE0)


pv_renderer.ISFRenderer._set_input_uniforms = _set_input_uniforms


# ---- CLI -------------------------------------------------------------------------
def parse_value(typ, text):
    """--set value by the input's ISF TYPE."""
    nums = [float(x) for x in text.split(",")] if typ in ("point2D", "color") else None
    if typ == "float":
        return float(text)
    if typ == "long":
        return int(text)
    if typ in ("bool", "event"):
        if text.lower() not in ("true", "false", "1", "0"):
            raise ValueError("expected true/false/1/0")
        return text.lower() in ("true", "1")
    if typ == "point2D" and len(nums) == 2 or typ == "color" and len(nums) in (3, 4):
        return nums
    raise ValueError(f"cannot set an input of TYPE {typ!r} to {text!r}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("shader")
    ap.add_argument("out")
    ap.add_argument("--size", required=True, help="WxH")
    ap.add_argument("--time", type=float, default=0.0)
    ap.add_argument("--image", action="append", default=[], metavar="NAME=PATH")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    a = ap.parse_args()

    m = re.fullmatch(r"(\d+)x(\d+)", a.size)
    if not m or int(m.group(1)) < 1 or int(m.group(2)) < 1:
        die(EXIT_USAGE, f"--size must be WxH with positive integers, got {a.size!r}")
    w, h = int(m.group(1)), int(m.group(2))
    try:
        with open(a.shader, encoding="utf-8") as f:
            src = normalise_header(f.read())
        vs_path = os.path.splitext(a.shader)[0] + ".vs"
        vs = open(vs_path, encoding="utf-8").read() if os.path.exists(vs_path) else ""
    except OSError as e:
        die(EXIT_USAGE, f"cannot read shader: {e}")

    try:
        r = pyvvisf.ISFRenderer(shader_content=src, vertex_shader_content=vs)
    except Exception as e:
        # pyvvisf wraps a ContextError from GLFW in ShaderValidationError: walk the chain.
        cause = e
        while cause is not None and not isinstance(cause, ContextError):
            cause = cause.__cause__
        if cause is not None:
            die(EXIT_ENV, f"cannot create an OpenGL context ({cause}); run under Xvfb, e.g. "
                          "xvfb-run -a -s '-screen 0 1280x1024x24' python pyvvisf_render.py ...")
        if isinstance(e, pyvvisf.ISFError):
            die(EXIT_RENDER, f"shader rejected: {e}")
        raise
    print("GL_RENDERER: " + GL.glGetString(GL.GL_RENDERER).decode(), file=sys.stderr)

    types = {i.name: i.type for i in (r.metadata.inputs or [])}
    inputs = {}
    for item in a.set:
        name, _, text = item.partition("=")
        if name not in types or types[name] == "image":
            die(EXIT_USAGE, f"--set {item!r}: the shader has no non-image input named {name!r}")
        try:
            inputs[name] = parse_value(types[name], text)
        except ValueError as e:
            die(EXIT_USAGE, f"--set {item!r}: {e}")
    for item in a.image:
        name, _, path = item.partition("=")
        if types.get(name) != "image" and name not in (r.metadata.imports or {}):
            die(EXIT_USAGE, f"--image {item!r}: the shader has no image input named {name!r}")
        _images[name] = upload_image(path)

    try:
        arr = np.asarray(r.render(w, h, inputs=inputs, time_offset=a.time))  # top row first
    except pyvvisf.ISFError as e:
        die(EXIT_RENDER, f"render failed: {e}")
    finally:
        r.context.make_current()
        if _images:
            GL.glDeleteTextures(len(_images), [t for t, _, _ in _images.values()])
    try:
        Image.fromarray(np.ascontiguousarray(arr), "RGBA").save(a.out)
    except OSError as e:
        die(EXIT_USAGE, f"cannot write {a.out}: {e}")
    r.cleanup()


if __name__ == "__main__":
    main()
