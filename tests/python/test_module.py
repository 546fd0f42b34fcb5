"""The package clean_lines (the module `cleaner` before) against the built
CLI: same bytes, the report as a dict, sources, errors, JSONL files, and
threads in parallel.

Run by ctest with Debian's /usr/bin/python3: PYTHONPATH holds the package
(build/python), or it is installed (tests/python/test_installed.py runs
this file in a venv); CLEAN_BINARY the CLI, CLEAN_SHARED_DIR the datasets."""
import glob
import gzip
import json
import os
import re
import subprocess
import tempfile
import threading
import time
import unittest

import clean_lines

BINARY = os.environ["CLEAN_BINARY"]
# The dataset's text pages; without ../shared (a clone on its own), the
# fixtures' pages.
PAGES = sorted(glob.glob(os.path.join(os.environ["CLEAN_SHARED_DIR"],
                                      "datasets/trafilatura-eval/text/*.txt"))) or \
    sorted(glob.glob(os.path.join(os.environ["CLEAN_ROOT"], "fixtures/*/*/input.txt")))


def cli(*args, stdin=None):
    return subprocess.run([BINARY, *args], input=stdin, capture_output=True, check=False)


def read_text(path):
    with open(path, "rb") as f:
        return f.read().decode("utf-8", errors="replace")


def cp1252_page():
    """(bytes, words): the first dataset HTML page (else fixture) whose text
    windows-1252 encodes and that has accented words, re-encoded in
    windows-1252 with its charset declarations replaced by one for it;
    words: some of its words with a letter outside ASCII. None if none."""
    pages = sorted(glob.glob(os.path.join(os.environ["CLEAN_SHARED_DIR"],
                                          "datasets/trafilatura-eval/html/*.html.gz"))) or \
        sorted(glob.glob(os.path.join(os.environ["CLEAN_ROOT"], "fixtures/*/*/input.html")))
    for path in pages:
        with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
            html = f.read().decode("utf-8", errors="replace")
        words = sorted({w for w in re.findall(r"\w*[\u00c0-\u00ff]\w*", html) if len(w) > 4})
        if len(words) < 10:
            continue
        html = re.sub(r"(?i)charset\s*=\s*[\"']?[\w-]+", "charset=windows-1252", html)
        try:
            raw = ('<meta charset="windows-1252">\n' + html).encode("windows-1252")
        except UnicodeEncodeError:
            continue
        return raw, words[:50]
    return None


class ModuleTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.c = clean_lines.Cleaner()

    def test_same_text_and_report_as_the_cli(self):
        for path in PAGES[::40]:
            with self.subTest(page=os.path.basename(path)):
                text = read_text(path)
                with tempfile.TemporaryDirectory() as d:
                    page = os.path.join(d, "page.txt")
                    with open(page, "w", encoding="utf-8") as f:
                        f.write(text)
                    rep = os.path.join(d, "r.json")
                    run = cli("-q", page, "--report", rep)
                    self.assertEqual(run.returncode, 0, run.stderr)
                    r = self.c.clean(text, name=page)
                    self.assertEqual(r.text.encode("utf-8"), run.stdout)
                    with open(rep, encoding="utf-8") as f:
                        self.assertEqual(r.report, json.load(f))
                    name = r.report["source"]["name"]
                    self.assertEqual(r.source, name)

    def test_source_keep_and_url(self):
        page = read_text(PAGES[0])
        forced = clean_lines.Cleaner(source="upi", keep=("title", "meta"))
        r = forced.clean(page)
        self.assertEqual(r.source, "upi")
        self.assertEqual(r.report["source"]["detected_by"], "option")
        self.assertEqual(r.report["kept_classes"], ["body", "title", "meta"])
        run = cli("-q", "--source", "upi", "--keep", "title,meta", "-", stdin=page.encode())
        self.assertEqual(r.text.encode(), run.stdout)
        by_url = self.c.clean(page, url="https://www.upi.com/Top_News/x.html")
        self.assertEqual(by_url.source, "upi")
        self.assertEqual(by_url.report["source"]["detected_by"], "domain")
        run = cli("-q", "--source", "upi", "-", stdin=page.encode())
        self.assertEqual(by_url.text.encode(), run.stdout)
        self.assertIn("upi", self.c.sources)

    def test_errors(self):
        with self.assertRaisesRegex(ValueError, "unknown source 'nope'"):
            clean_lines.Cleaner(source="nope")
        with self.assertRaisesRegex(ValueError, "unknown class 'bogus'"):
            clean_lines.Cleaner(keep=("bogus",))
        with self.assertRaisesRegex(ValueError, "cannot load the rules"):
            clean_lines.Cleaner(rules_dir="/nonexistent")
        with self.assertRaisesRegex(ValueError, "binary"):
            self.c.clean("abc\0def")

    def test_html_same_as_the_cli(self):
        pages = sorted(glob.glob(os.path.join(os.environ["CLEAN_SHARED_DIR"],
                                              "datasets/trafilatura-eval/html/*.html.gz"))) or \
            sorted(glob.glob(os.path.join(os.environ["CLEAN_ROOT"], "fixtures/*/*/input.html")))
        self.assertTrue(pages)
        for path in pages[::max(1, len(pages) // 6)]:
            with self.subTest(page=os.path.basename(path)):
                run = cli("-q", "--input", "html", path)
                self.assertEqual(run.returncode, 0, run.stderr)
                with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
                    raw = f.read()
                # The module takes str: a page that is not UTF-8 is compared
                # only when it decodes.
                try:
                    html = raw.decode("utf-8")
                except UnicodeDecodeError:
                    continue
                r = self.c.clean(html, html=True, name=path)
                self.assertEqual(r.text.encode("utf-8"), run.stdout)
                self.assertIn("html", r.report)

    def test_encoding_forces_the_charset_as_the_cli(self):
        # A real page's text in windows-1252 bytes: its own declaration
        # replaced by windows-1252's (found by "declared"), then the same
        # bytes forced to windows-1251, as `clean --encoding windows-1251`.
        page = cp1252_page()
        self.assertIsNotNone(page, "no dataset page has text windows-1252 can encode")
        raw, words = page
        declared = self.c.clean(raw, html=True)
        self.assertEqual(declared.charset["name"], "windows-1252")
        self.assertEqual(declared.charset["found_by"], "declared")
        self.assertEqual(declared.charset, declared.report["html"]["charset"])
        self.assertTrue(any(w in declared.text for w in words), words)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "page.html")
            with open(path, "wb") as f:
                f.write(raw)
            for encoding in ("windows-1251", "windows-1252"):
                with self.subTest(encoding=encoding):
                    rep = os.path.join(d, "r.json")
                    run = cli("-q", "--encoding", encoding, path, "--report", rep)
                    self.assertEqual(run.returncode, 0, run.stderr)
                    r = self.c.clean(raw, html=True, name=path, encoding=encoding)
                    self.assertEqual(r.text.encode("utf-8"), run.stdout)
                    with open(rep, encoding="utf-8") as f:
                        self.assertEqual(r.report, json.load(f))
                    self.assertEqual(r.charset, {"name": encoding, "found_by": "forced",
                                                 "replaced": 0})
                    self.assertEqual(clean_lines.extract(raw, html=True, encoding=encoding),
                                     r.text)
                    self.assertEqual(clean_lines.clean(raw, html=True, encoding=encoding).text,
                                     r.text)
            forced = self.c.clean(raw, html=True, encoding="windows-1251")
            self.assertNotEqual(forced.text, declared.text)
            self.assertFalse(any(w in forced.text for w in words))
        # The pooled cleaner forgets a forced charset: the next call finds it.
        self.assertEqual(self.c.clean(raw, html=True).text, declared.text)
        with self.assertRaisesRegex(ValueError, "unknown charset 'no-such-charset'"):
            self.c.clean(raw, encoding="no-such-charset")

    def test_model_as_the_cli(self):
        # A one-split model that vetoes every line the heuristics keep
        # (threshold 1): model= gives `clean --model`'s bytes, pages and
        # JSONL alike, survives pickling, and a bad file is a ValueError.
        import pickle
        tiny = ("clean-model 1\nname tiny\ninput text\nthreshold 1\nbase 0.25\n"
                "features 1\nfeature chars_log\ntrees 1\ntree 3\n"
                "node 0 split 0 2.5 1 2\nnode 1 leaf -3\nnode 2 leaf 1\nend\n")
        with tempfile.TemporaryDirectory() as d:
            model = os.path.join(d, "tiny.model")
            with open(model, "w") as f:
                f.write(tiny)
            m = clean_lines.Cleaner(model=model)
            for path in PAGES[::60]:
                with self.subTest(page=os.path.basename(path)):
                    run = cli("-q", "--model", model, path)
                    self.assertEqual(run.returncode, 0, run.stderr)
                    self.assertEqual(m.clean(read_text(path), name=path).text.encode("utf-8"),
                                     run.stdout)
            page = read_text(PAGES[0])
            self.assertNotEqual(m.extract(page), self.c.extract(page))
            self.assertEqual(pickle.loads(pickle.dumps(m)).extract(page), m.extract(page))
            self.assertTrue(any(l["rule"] == "model.tiny" for l in m.clean(page).report["removed"]))
            src, out = os.path.join(d, "in.jsonl"), os.path.join(d, "out.jsonl")
            with open(src, "w", encoding="utf-8") as f:
                f.write(json.dumps({"id": "a", "text": page}) + "\n")
            m.clean_jsonl(src, out)
            with open(out, encoding="utf-8") as f:
                rec = json.loads(f.readline())
            self.assertEqual(rec["clean"]["model"]["name"], "model.tiny")
            self.assertEqual(rec["text"], m.extract(page))
            bad = os.path.join(d, "bad.model")
            with open(bad, "w") as f:
                f.write("clean-model 1\nname bad\n")
            with self.assertRaises(ValueError):
                clean_lines.Cleaner(model=bad)

    def test_rules_extra_as_the_cli(self):
        # rules_extra= is `clean --rules-extra DIR`: files `clean learn`
        # wrote from a small invented site decide its menu and footer lines
        # (the report names the learned rules), the text is the CLI's, the
        # setting survives pickling and reaches clean(); a missing
        # directory is a ValueError.
        import pickle
        import random
        rng = random.Random(5)
        words = ("river council budget school harbor mayor winter festival museum railway "
                 "bridge doctor farmer court storm market the of and to in a that is").split()
        records = []
        for p in range(8):
            lines = ["Gazette Home", "Sports", "Weather", "Opinion"]
            for _ in range(4):
                lines.append(" ".join(rng.choice(words) for _ in range(30)).capitalize() + ".")
            lines += ["About the Gazette", "Contact us", "Terms of use"]
            records.append({"url": "https://www.py-gazette.test/%d" % p,
                            "text": "\n".join(lines) + "\n"})
        with tempfile.TemporaryDirectory() as d:
            src, learned = os.path.join(d, "in.jsonl"), os.path.join(d, "learned")
            with open(src, "w", encoding="utf-8") as f:
                for r in records:
                    f.write(json.dumps(r) + "\n")
            run = cli("learn", "-q", "-o", learned, src)
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertTrue(os.path.isfile(os.path.join(learned, "py-gazette.test.rules")))
            out = os.path.join(d, "out.jsonl")
            run = cli("--jsonl", "-q", "--url-field", "url", "--rules-extra", learned, src,
                      "-o", out)
            self.assertEqual(run.returncode, 0, run.stderr)
            with open(out, encoding="utf-8") as f:
                cli_texts = [json.loads(line)["text"] for line in f]
            c = clean_lines.Cleaner(rules_extra=learned)
            self.assertIn("py-gazette.test", c.sources)
            self.assertNotIn("py-gazette.test", self.c.sources)
            for r, text in zip(records, cli_texts):
                res = c.clean(r["text"], url=r["url"])
                self.assertEqual(res.text, text)
                self.assertEqual(res.source, "py-gazette.test")
                rules = {l["rule"] for l in res.report["removed"]}
                self.assertIn("learned.py-gazette.test.1", rules)
                self.assertFalse(any(x.startswith("learned.") for x in
                                     {l["rule"] for l in self.c.clean(r["text"], url=r["url"])
                                      .report["removed"]}))
            again = pickle.loads(pickle.dumps(c))
            self.assertEqual(again.rules_extra, os.path.abspath(learned))
            page, url = records[0]["text"], records[0]["url"]
            self.assertEqual(again.clean(page, url=url).report, c.clean(page, url=url).report)
            self.assertEqual(clean_lines.clean(page, url=url, rules_extra=learned).report,
                             c.clean(page, url=url).report)
            with self.assertRaises(ValueError):
                clean_lines.Cleaner(rules_extra=os.path.join(d, "none"))

    def test_clean_jsonl_equals_the_cli(self):
        with tempfile.TemporaryDirectory() as d:
            src = os.path.join(d, "in.jsonl")
            with open(src, "w", encoding="utf-8") as f:
                for i, p in enumerate(PAGES[:30]):
                    f.write(json.dumps({"id": i, "text": read_text(p)}) + "\n")
                f.write('{"id": "bad"}\n')
            out = os.path.join(d, "out.jsonl.zst")
            stats = self.c.clean_jsonl(src, out, report=os.path.join(d, "r.jsonl"))
            self.assertEqual(stats["records"]["cleaned"], 30)
            self.assertEqual(stats["records"]["rejected"], 1)
            self.assertEqual(stats["rejects"], [src + ":31: no field 'text'"])
            run = cli("--jsonl", "-q", src, "-o", os.path.join(d, "cli.jsonl"),
                      "--report", os.path.join(d, "cli_r.jsonl"))
            self.assertEqual(run.returncode, 1)
            plain = subprocess.run(["zstd", "-qdc", out], capture_output=True, check=True).stdout
            with open(os.path.join(d, "cli.jsonl"), "rb") as f:
                self.assertEqual(plain, f.read())
            with open(os.path.join(d, "r.jsonl"), "rb") as a, \
                    open(os.path.join(d, "cli_r.jsonl"), "rb") as b:
                self.assertEqual(a.read(), b.read())
            with self.assertRaisesRegex(FileNotFoundError, "missing.jsonl"):
                self.c.clean_jsonl(os.path.join(d, "missing.jsonl"), out)

    def test_threads_share_one_cleaner(self):
        texts = [read_text(p) for p in PAGES[:60]]
        expected = [self.c.clean(t).text for t in texts]
        results = [None] * len(texts)

        def work(k):
            for i in range(k, len(texts), 4):
                results[i] = self.c.clean(texts[i]).text

        threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(results, expected)

    def test_gil_is_released(self):
        # While one thread cleans a large page, another Python thread runs.
        base = "\n".join(read_text(p) for p in PAGES)
        big = base * max(2, -(-12_000_000 // len(base)))  # some 12 MB
        ticks = []
        done = threading.Event()

        def ticker():
            while not done.is_set():
                ticks.append(time.perf_counter())
                time.sleep(0.001)

        t = threading.Thread(target=ticker)
        t.start()
        time.sleep(0.01)
        start = time.perf_counter()
        self.c.clean(big)
        end = time.perf_counter()
        done.set()
        t.join()
        during = [x for x in ticks if start < x < end]
        self.assertGreater(end - start, 0.05)  # long enough to tell
        self.assertGreater(len(during), 3)


if __name__ == "__main__":
    unittest.main(verbosity=2)
