"""Debian programs and fonts the export tests use: found, or installed where the tests may install them.

They are installed with apt-get when missing and the tests run as root or in CI (``CI`` set), as
``.ci/run`` does first; elsewhere a test that needs one is skipped with a message saying how to
install it. ``make demo`` never installs anything.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import cache

import pytest

from mixer.export.fonts import system_fonts

APT_TIMEOUT = 600


def _may_install() -> bool:
    return shutil.which("apt-get") is not None and (os.geteuid() == 0 or bool(os.environ.get("CI")))


@cache
def _apt_updated() -> bool:
    return subprocess.run(["apt-get", "update", "-qq"], capture_output=True, timeout=APT_TIMEOUT).returncode == 0


@cache
def _installed(package: str) -> bool:
    if not _may_install() or not _apt_updated():
        return False
    done = subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", package],
                          capture_output=True, timeout=APT_TIMEOUT, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    return done.returncode == 0


def require_program(program: str, package: str) -> str:
    """The path of ``program``, installing Debian's ``package`` if it is missing and allowed; else skip the test."""
    path = shutil.which(program)
    if path is None and _installed(package):
        path = shutil.which(program)
    if path is None:
        pytest.skip(f"{program} is not installed and cannot be installed here: `sudo apt-get install {package}`")
    return path


def has_cjk_font() -> bool:
    if shutil.which("fc-list") is None:
        return False
    return bool(subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout.strip())


def require_cjk_font() -> None:
    """A Chinese font on the system (Debian's fonts-noto-cjk), installed if allowed; in CI never skipped."""
    if not has_cjk_font() and _installed("fonts-noto-cjk"):
        subprocess.run(["fc-cache", "-f"], capture_output=True)
        system_fonts.cache_clear()  # the fonts mixer found before the install
    if not has_cjk_font():
        if os.environ.get("CI"):
            pytest.fail("CI must have a CJK font: .ci/run installs fonts-noto-cjk")
        pytest.skip("no Chinese font on this computer: `sudo apt-get install fonts-noto-cjk`")
