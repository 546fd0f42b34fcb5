"""pip's build of the package clean_lines (metadata in pyproject.toml).

    python3 -m venv --system-site-packages venv
    venv/bin/pip install --no-build-isolation .

Offline with Debian's python3-setuptools, python3-wheel, pybind11-dev,
cmake and the libraries of tools/deps.sh: the extension clean_lines._core is
built by CMake (the target cleaner_python, with -DCLEAN_EMBED_SOURCE_RULES=OFF
so that no path of this machine is compiled in) and the rules/ directory is
copied into the package as its data. CLEAN_PIP_CMAKE_DIR names a CMake build
directory to reuse between installs (the tests do); CLEAN_PIP_JOBS the
parallel jobs (default: the cores)."""
import os
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = os.path.dirname(os.path.abspath(__file__))
os.makedirs(os.path.join(ROOT, "build-pip"), exist_ok=True)  # egg_base below


class CMakeExtension(Extension):
    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build_dir = os.environ.get("CLEAN_PIP_CMAKE_DIR") or os.path.join(
            os.path.abspath(self.build_temp), "cmake")
        os.makedirs(build_dir, exist_ok=True)
        configure = [
            "cmake", "-S", ROOT, "-B", build_dir, "-DCMAKE_BUILD_TYPE=Release",
            "-DCLEAN_TESTS=OFF", "-DCLEAN_PYTHON=ON", "-DCLEAN_EMBED_SOURCE_RULES=OFF",
            "-DPython_EXECUTABLE=" + sys.executable,
        ]
        if shutil.which("ccache"):
            configure += ["-DCMAKE_CXX_COMPILER_LAUNCHER=ccache",
                          "-DCMAKE_C_COMPILER_LAUNCHER=ccache"]
        subprocess.run(configure, check=True, stdout=subprocess.DEVNULL)
        jobs = os.environ.get("CLEAN_PIP_JOBS") or str(os.cpu_count() or 1)
        subprocess.run(["cmake", "--build", build_dir, "--target", "cleaner_python",
                        "clean_lines_py", "-j", jobs], check=True)
        built = os.path.join(build_dir, "python", "clean_lines")
        so = [f for f in os.listdir(built) if f.startswith("_core") and f.endswith(".so")]
        if len(so) != 1:
            raise RuntimeError("clean_lines: no single _core*.so in " + built)
        target = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(os.path.join(built, so[0]), target)
        # The rules, as package data beside the extension.
        rules = os.path.join(os.path.dirname(target), "rules")
        shutil.rmtree(rules, ignore_errors=True)
        shutil.copytree(os.path.join(ROOT, "rules"), rules)


setup(
    packages=["clean_lines"],
    package_dir={"clean_lines": "cleaner/python/clean_lines"},
    ext_modules=[CMakeExtension("clean_lines._core")],
    cmdclass={"build_ext": CMakeBuild},
    # setuptools' own build directory, away from CMake's build/.
    options={"build": {"build_base": "build-pip"}, "egg_info": {"egg_base": "build-pip"}},
    zip_safe=False,
)
