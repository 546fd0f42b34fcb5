"""The package as a user installs it: `pip install --no-build-isolation` of
the checkout into a venv (--system-site-packages: Debian's setuptools,
wheel and dask) in a temporary directory, offline (--no-index). Then, with
the venv's python, from that directory and without PYTHONPATH:
test_module.py, test_package.py and test_dask.py (tools/dask_clean.py's
workers import the installed package) run against it.

Checks that the package is the installed one, that its rules are package
data found with no rules_dir, and that no path of the build machine (the
checkout, the CMake build directory) is compiled into the extension.
CLEAN_PIP_CMAKE_DIR (set by ctest) keeps CMake's build between runs."""
import glob
import os
import subprocess
import sys
import tempfile
import unittest

ROOT = os.environ["CLEAN_ROOT"]
HERE = os.path.dirname(os.path.abspath(__file__))


class InstalledTest(unittest.TestCase):
    def test_pip_install_into_a_venv_and_run_the_tests_there(self):
        with tempfile.TemporaryDirectory() as d:
            venv = os.path.join(d, "venv")
            subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", venv],
                           check=True)
            py = os.path.join(venv, "bin", "python")
            env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
            pip = subprocess.run(
                [py, "-m", "pip", "install", "--no-build-isolation", "--no-index", "--no-deps",
                 "--disable-pip-version-check", "-q", ROOT],
                cwd=d, env=env, capture_output=True, text=True, check=False)
            self.assertEqual(pip.returncode, 0, pip.stdout + pip.stderr)

            where = subprocess.run(
                [py, "-c", "import clean_lines, os; print(clean_lines.__file__); "
                           "print(clean_lines.RULES_DIR); print(clean_lines._core.__file__)"],
                cwd=d, env=env, capture_output=True, text=True, check=True).stdout.split("\n")
            package, rules, core = where[0], where[1], where[2]
            self.assertTrue(package.startswith(venv), package)
            self.assertEqual(rules, os.path.join(os.path.dirname(package), "rules"))
            self.assertTrue(os.path.isfile(os.path.join(rules, "generic.rules")))
            self.assertTrue(os.path.isfile(os.path.join(rules, "upi.rules")))
            with open(core, "rb") as f:
                so = f.read()
            for path in {ROOT, os.path.realpath(ROOT), os.environ.get("CLEAN_PIP_CMAKE_DIR")}:
                if path:
                    self.assertNotIn(path.encode(), so, "a build path in " + core)
            self.assertNotIn(b"/rules\x00", so.replace(b"share/clean/rules\x00", b""))

            for test in ("test_module.py", "test_package.py", "test_dask.py"):
                with self.subTest(test=test):
                    run = subprocess.run([py, os.path.join(HERE, test)], cwd=d, env=env,
                                         capture_output=True, text=True, timeout=600,
                                         check=False)
                    self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
                    self.assertIn("OK", run.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
