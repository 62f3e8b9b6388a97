#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks to run isfkit, or to test it:
#
#   bash scripts/install-deps.sh          # rendering: Mesa's lavapipe (Vulkan on the CPU)
#                                         # when no Vulkan driver is present, the Vulkan
#                                         # loader, ffmpeg (video in and out)
#   bash scripts/install-deps.sh --tests  # the same, and what only the tests use: Xvfb,
#                                         # xdotool, ImageMagick, Mesa's GL, g++ and
#                                         # cargo-fuzz, the Python tools (maturin, pytest,
#                                         # numpy, pillow, ray)
#
# Safe to run again: it only installs what is missing.
set -euo pipefail

tests=false
case "${1:-}" in
    "") ;;
    --tests) tests=true ;;
    *) echo "install-deps: unknown argument $1 (none, or --tests)" >&2; exit 2 ;;
esac

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "install-deps: not root and no sudo; install mesa-vulkan-drivers, libvulkan1, ffmpeg yourself" >&2
    fi
fi

apt_packages=()
if ! ls /usr/share/vulkan/icd.d/*.json >/dev/null 2>&1 && ! ls /etc/vulkan/icd.d/*.json >/dev/null 2>&1; then
    apt_packages+=(mesa-vulkan-drivers)
fi
dpkg -s libvulkan1 >/dev/null 2>&1 || apt_packages+=(libvulkan1)
command -v ffmpeg >/dev/null 2>&1 || apt_packages+=(ffmpeg)
if $tests; then
    # libFuzzer (cargo-fuzz's fuzz smoke run in scripts/test.sh) is C++.
    command -v c++ >/dev/null 2>&1 || apt_packages+=(g++)
    # The preview window's tests (isf preview): an X server, window control and capture.
    command -v Xvfb >/dev/null 2>&1 || apt_packages+=(xvfb)
    command -v xdotool >/dev/null 2>&1 || apt_packages+=(xdotool)
    command -v import >/dev/null 2>&1 || apt_packages+=(imagemagick)
    # The differential test against desktop OpenGL (scripts/test-differential.sh): Mesa's GL
    # (llvmpipe) through GLX, and xvfb-run's xauth.
    for p in libgl1-mesa-dri libglx-mesa0 libgl1 xauth; do
        dpkg -s "$p" >/dev/null 2>&1 || apt_packages+=("$p")
    done
fi

if [ ${#apt_packages[@]} -gt 0 ]; then
    echo "install-deps: installing ${apt_packages[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
fi

if ! $tests; then
    exit 0
fi

if command -v python3 >/dev/null 2>&1; then
    missing=()
    python3 -c "import maturin" 2>/dev/null || command -v maturin >/dev/null 2>&1 || missing+=(maturin)
    python3 -c "import pytest" 2>/dev/null || missing+=(pytest)
    python3 -c "import numpy" 2>/dev/null || missing+=(numpy)
    python3 -c "import PIL" 2>/dev/null || missing+=(pillow)
    # isfkit.distributed and its tests run batch jobs on a local Ray instance.
    python3 -c "import ray" 2>/dev/null || missing+=(ray)
    if [ ${#missing[@]} -gt 0 ]; then
        echo "install-deps: pip installing ${missing[*]}"
        # A Debian system Python refuses plain pip installs (PEP 668); fall back to the flag.
        python3 -m pip install -q --disable-pip-version-check "${missing[@]}" \
            || python3 -m pip install -q --disable-pip-version-check --break-system-packages "${missing[@]}"
    fi
fi

# cargo-fuzz, for the bounded fuzz smoke run of scripts/test.sh (stable Rust, no sanitizer).
if command -v cargo >/dev/null 2>&1 && ! cargo fuzz --version >/dev/null 2>&1; then
    echo "install-deps: cargo install cargo-fuzz"
    cargo install --quiet --locked cargo-fuzz
fi
