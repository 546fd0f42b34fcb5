"""The package clean_lines' API against the built CLI: extract/clean with
HTML auto-detected, Result's fields, FileNotFoundError, pickling (in a
process pool), the datatrove-shaped extractor and the dolma-shaped tags.

Run by ctest from the build tree (PYTHONPATH=build/python) and, from a venv
it was pip-installed into, by tests/python/test_installed.py."""
import errno
import glob
import json
import multiprocessing
import os
import pathlib
import pickle
import subprocess
import tempfile
import unittest

import clean_lines

BINARY = os.environ["CLEAN_BINARY"]
ROOT = os.environ["CLEAN_ROOT"]
TEXT_PAGES = sorted(glob.glob(os.path.join(ROOT, "fixtures/upi/*/input.txt")))
HTML_PAGES = sorted(glob.glob(os.path.join(ROOT, "fixtures/*/*/input.html")))


CLASSES_KEYS = ["clean__" + c for c in clean_lines.CLASSES]


def cli(*args, stdin=None):
    return subprocess.run([BINARY, *args], input=stdin, capture_output=True, check=False)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def clean_in_child(args):
    cleaner, text = args
    return cleaner.clean(text).text


class PackageTest(unittest.TestCase):
    def test_extract_detects_html_as_the_cli(self):
        self.assertTrue(TEXT_PAGES and HTML_PAGES)
        for path in TEXT_PAGES[:3] + HTML_PAGES[:4]:
            with self.subTest(page=os.path.basename(os.path.dirname(path))):
                run = cli("-q", path)  # --input auto
                self.assertEqual(run.returncode, 0, run.stderr)
                data = read(path).decode("utf-8")
                self.assertEqual(clean_lines.extract(data).encode(), run.stdout)
                self.assertEqual(clean_lines.extract(pathlib.Path(path)).encode(), run.stdout)
                r = clean_lines.clean(data)
                self.assertEqual(r.html, path.endswith(".html"))
        # Told otherwise, HTML is read as text: the tags stay in the lines.
        html = read(HTML_PAGES[0]).decode()
        as_text = clean_lines.clean(html, html=False)
        self.assertFalse(as_text.html)
        self.assertEqual(as_text.text.encode(),
                         cli("-q", "--input", "text", HTML_PAGES[0]).stdout)

    def test_result_fields_match_the_cli_report(self):
        for path in [TEXT_PAGES[0], HTML_PAGES[0]]:
            with self.subTest(page=path), tempfile.TemporaryDirectory() as d:
                rep = os.path.join(d, "r.json")
                run = cli("-q", path, "--report", rep)
                self.assertEqual(run.returncode, 0, run.stderr)
                with open(rep, encoding="utf-8") as f:
                    want = json.load(f)
                r = clean_lines.clean(pathlib.Path(path))
                self.assertEqual(r.report, want)
                self.assertEqual(r.text.encode(), run.stdout)
                self.assertEqual(r.source, want["source"]["name"])
                self.assertEqual(r.language, want.get("language"))
                self.assertEqual(r.metadata, want.get("html", {}).get("metadata", {}))
        html = clean_lines.clean(pathlib.Path(HTML_PAGES[0]))
        self.assertTrue(html.metadata)  # an HTML page has a title at least
        self.assertEqual(clean_lines.clean(pathlib.Path(TEXT_PAGES[0])).metadata, {})

    def test_missing_file_raises_file_not_found(self):
        missing = pathlib.Path(tempfile.gettempdir()) / "clean_lines_no_such_page.html"
        for call in (clean_lines.clean, clean_lines.extract, clean_lines.Cleaner().clean):
            with self.assertRaises(FileNotFoundError) as e:
                call(missing)
            self.assertEqual(e.exception.errno, errno.ENOENT)
            self.assertEqual(e.exception.filename, str(missing))
        with self.assertRaises(FileNotFoundError):
            clean_lines.Cleaner().clean_jsonl(str(missing), os.devnull)
        with self.assertRaises(TypeError):
            clean_lines.clean(42)

    def test_cleaner_pickles_and_works_in_a_process_pool(self):
        c = clean_lines.Cleaner(keep=("title",))
        again = pickle.loads(pickle.dumps(c))
        self.assertIs(again._core, c._core)  # the rules loaded once per process
        self.assertEqual((again.keep, again.rules_dir), (("title",), c.rules_dir))
        texts = [read(p).decode("utf-8", "replace") for p in TEXT_PAGES[:6]]
        want = [c.clean(t).text for t in texts]
        with multiprocessing.get_context("spawn").Pool(2) as pool:
            got = pool.map(clean_in_child, [(c, t) for t in texts])
        self.assertEqual(got, want)

    def test_datatrove_extractor(self):
        e = clean_lines.DatatroveExtractor()
        self.assertIsInstance(e.name, str)
        for path in TEXT_PAGES[:2] + HTML_PAGES[:2]:
            data = read(path).decode()
            self.assertEqual(e.extract(data), clean_lines.extract(data))
        e2 = pickle.loads(pickle.dumps(e))
        self.assertEqual(e2.extract(read(TEXT_PAGES[0]).decode()),
                         e.extract(read(TEXT_PAGES[0]).decode()))

    def test_dolma_tags_are_the_cli_span_report(self):
        # Each page as a JSONL record (text, and HTML with --html-field):
        # tag() gives the attributes of the CLI's span report line, dolma's
        # [start, end, score] with the score 1.0, one attribute per class
        # and per rule, each line's span in one of each.
        tagger = clean_lines.DolmaTagger()
        for path, field in [(p, "text") for p in TEXT_PAGES[:3]] + \
                [(p, "html") for p in HTML_PAGES[:3]]:
            with self.subTest(page=path), tempfile.TemporaryDirectory() as d:
                data = read(path).decode()
                src = os.path.join(d, "in.jsonl")
                with open(src, "w", encoding="utf-8") as f:
                    f.write(json.dumps({"id": 1, field: data}) + "\n")
                rep = os.path.join(d, "r.jsonl")
                run = cli("--jsonl", "-q", "--html-field", "html", src, "-o", os.devnull,
                          "--report", rep)
                self.assertEqual(run.returncode, 0, run.stderr)
                with open(rep, encoding="utf-8") as f:
                    want = json.load(f)
                self.assertEqual(want["version"], 3)
                self.assertEqual(want["offsets"], "rendered" if field == "html" else "text")
                tags = tagger.predict(data, html=field == "html")
                self.assertEqual(tags, want["attributes"])
                by_class, by_rule = [], []
                for key, spans in tags.items():
                    for s in spans:
                        self.assertEqual(len(s), 3)
                        self.assertIsInstance(s[2], float)
                        self.assertEqual(s[2], 1.0)
                    (by_rule if key.startswith("clean__rule__") else by_class).extend(
                        (a, b) for a, b, _ in spans)
                self.assertEqual(sorted(by_rule), sorted(by_class))
                self.assertEqual(set(CLASSES_KEYS) - set(tags), set())

    def test_version(self):
        self.assertEqual(cli("--version").stdout.decode().split()[-1], clean_lines.__version__)


if __name__ == "__main__":
    unittest.main(verbosity=2)
