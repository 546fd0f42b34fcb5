"""tools/dask_clean.py on a real LocalCluster with 2 worker processes over a
few shards (plain, .gz, .zst): the output equals `clean --jsonl --out-dir`.
Run by ctest with Debian's /usr/bin/python3."""
import glob
import gzip
import json
import os
import subprocess
import sys
import tempfile
import unittest

ROOT = os.environ["CLEAN_ROOT"]
BINARY = os.environ["CLEAN_BINARY"]
# The dataset's text pages; without ../shared (a clone on its own), the
# fixtures' pages.
PAGES = sorted(glob.glob(os.path.join(os.environ["CLEAN_SHARED_DIR"],
                                      "datasets/trafilatura-eval/text/*.txt"))) or \
    sorted(glob.glob(os.path.join(os.environ["CLEAN_ROOT"], "fixtures/*/*/input.txt")))


def read_text(path):
    with open(path, "rb") as f:
        return f.read().decode("utf-8", errors="replace")


class DaskTest(unittest.TestCase):
    def test_local_cluster_equals_the_cli(self):
        with tempfile.TemporaryDirectory() as d:
            shards = []
            for k, name in enumerate(["s0.jsonl", "s1.jsonl.gz", "s2.jsonl", "s3.jsonl.zst"]):
                lines = "".join(
                    json.dumps({"id": "%d-%d" % (k, i), "text": read_text(p),
                                "url": "https://www.upi.com/x" if i % 4 == 0 else None}) + "\n"
                    for i, p in enumerate(PAGES[(k * 20 + j) % len(PAGES)] for j in range(20)))
                if k == 2:
                    lines += "not json\n"
                path = os.path.join(d, name)
                if name.endswith(".gz"):
                    with gzip.open(path, "wt", encoding="utf-8") as f:
                        f.write(lines)
                elif name.endswith(".zst"):
                    subprocess.run(["zstd", "-q", "-o", path], input=lines.encode(), check=True)
                else:
                    with open(path, "w", encoding="utf-8") as f:
                        f.write(lines)
                shards.append(path)
            dask_out, cli_out = os.path.join(d, "dask"), os.path.join(d, "cli")
            run = subprocess.run(
                [sys.executable, os.path.join(ROOT, "tools/dask_clean.py"), *shards,
                 "--out", dask_out, "--report", dask_out + "_r", "--workers", "2",
                 "--url-field", "url"],
                capture_output=True, text=True, timeout=120, check=False)
            self.assertEqual(run.returncode, 1, run.stderr)  # the "not json" line
            self.assertIn("s2.jsonl:21: bad JSON", run.stderr)
            self.assertIn("4 shards (0 failed), 81 records (80 cleaned, 1 rejected)", run.stderr)
            cli = subprocess.run([BINARY, "--jsonl", "-q", "--url-field", "url", "--out-dir",
                                  cli_out, "--report", cli_out + "_r", *shards],
                                 capture_output=True, text=True, check=False)
            self.assertEqual(cli.returncode, 1, cli.stderr)
            for s in shards:
                name = os.path.basename(s)
                for a, b in ((dask_out, cli_out), (dask_out + "_r", cli_out + "_r")):
                    with self.subTest(file=os.path.join(os.path.basename(a), name)):
                        with open(os.path.join(a, name), "rb") as fa, \
                                open(os.path.join(b, name), "rb") as fb:
                            self.assertEqual(fa.read(), fb.read())

    def test_usage_errors(self):
        run = subprocess.run([sys.executable, os.path.join(ROOT, "tools/dask_clean.py"),
                              "a/x.jsonl", "b/x.jsonl", "--out", "/tmp/none"],
                             capture_output=True, text=True, check=False)
        self.assertEqual(run.returncode, 2)
        self.assertIn("same file name", run.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
