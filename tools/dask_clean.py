#!/usr/bin/python3
"""Cleans JSONL shards on a dask.distributed cluster.

    tools/dask_clean.py INPUT... --out DIR [--scheduler ADDRESS] [--workers N]

Without --scheduler it starts a LocalCluster of N worker processes (default:
the number of cores); with one it joins an existing cluster (`dask-scheduler`
and `dask-worker ADDRESS` on the machines). One task per shard: the worker
reads the shard and writes DIR/<shard's file name> itself (and the span
report under --report DIR), so only file names and counts cross the network.
Each worker process loads the rules once. The output equals
`clean --jsonl --out-dir DIR` for the same shards. Workers need the package
clean_lines: installed (pip install, README.md), else the build tree's
(build/python, put on their PYTHONPATH), and the input and output paths
visible under the same names (a shared file system) - see README.md.
Exit status: 0 all records cleaned, 1 a shard failed or a line was
rejected, 2 usage error."""
import argparse
import importlib.util
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The package as installed (or already on PYTHONPATH), else the build tree's.
DEFAULT_MODULE_DIR = None if importlib.util.find_spec("clean_lines") else \
    os.path.join(ROOT, "build", "python")


def clean_shard(path, out_dir, report_dir, settings):
    """The task: cleans one whole shard on the worker, returns its stats."""
    module_dir = settings.get("module_dir")
    if module_dir and module_dir not in sys.path:
        sys.path.insert(0, module_dir)
    import clean_lines

    # A clean_lines.Cleaner loads its rules once per worker process (the
    # package keeps them between tasks).
    cleaner = clean_lines.Cleaner(source=settings.get("source"),
                                  rules_dir=settings.get("rules_dir"),
                                  keep=settings.get("keep", ()))
    name = os.path.basename(path)
    out = os.path.join(out_dir, name)
    report = os.path.join(report_dir, name) if report_dir else None
    try:
        stats = cleaner.clean_jsonl(
            path, out, report=report, text_field=settings["text_field"],
            id_field=settings["id_field"], url_field=settings.get("url_field"),
            source_field=settings.get("source_field"), summary_key=settings["summary_key"])
    except (ValueError, OSError) as e:
        return {"shard": path, "error": str(e)}
    stats["shard"] = path
    return stats


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="JSONL shards (.gz/.zst too)")
    p.add_argument("--out", required=True, metavar="DIR", help="output directory")
    p.add_argument("--report", metavar="DIR", help="span reports, one file per shard")
    p.add_argument("--scheduler", metavar="ADDRESS", help="join this cluster (tcp://host:8786)")
    p.add_argument("--workers", type=int, default=os.cpu_count(),
                   help="LocalCluster worker processes (default: the number of cores)")
    p.add_argument("--rules", metavar="DIR", help="rules directory (default: the package's)")
    p.add_argument("--source", metavar="NAME", help="force a source's rules")
    p.add_argument("--keep", default="", metavar="CLASSES", help="also keep these classes")
    p.add_argument("--text-field", default="text")
    p.add_argument("--id-field", default="id")
    p.add_argument("--url-field")
    p.add_argument("--source-field")
    p.add_argument("--summary-key", default="clean")
    p.add_argument("--module-dir", default=DEFAULT_MODULE_DIR,
                   help="where the workers find the package clean_lines (default: the "
                        "installed one, else build/python)")
    p.add_argument("-q", "--quiet", action="store_true", help="no summary line")
    return p.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    if args.workers < 1:
        print("dask_clean: --workers must be at least 1", file=sys.stderr)
        return 2
    names = [os.path.basename(p) for p in args.inputs]
    if len(set(names)) != len(names):
        print("dask_clean: two inputs have the same file name", file=sys.stderr)
        return 2
    for d in (args.out, args.report):
        if d:
            os.makedirs(d, exist_ok=True)
    settings = {
        "module_dir": args.module_dir and os.path.abspath(args.module_dir),
        "rules_dir": args.rules and os.path.abspath(args.rules),
        "source": args.source, "keep": [k for k in args.keep.split(",") if k],
        "text_field": args.text_field, "id_field": args.id_field, "url_field": args.url_field,
        "source_field": args.source_field, "summary_key": args.summary_key,
    }
    # Local worker processes inherit the environment: the package's path.
    if settings["module_dir"]:
        os.environ["PYTHONPATH"] = os.pathsep.join(
            [settings["module_dir"]] +
            [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])

    from dask.distributed import Client, LocalCluster  # Debian's python3-distributed

    start = time.monotonic()
    cluster = None
    if args.scheduler:
        client = Client(args.scheduler)
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        inputs = [os.path.abspath(p) for p in args.inputs]
        report = os.path.abspath(args.report) if args.report else None
        futures = client.map(clean_shard, inputs, out_dir=os.path.abspath(args.out),
                             report_dir=report, settings=settings, pure=False)
        results = client.gather(futures)
    finally:
        client.close()
        if cluster:
            cluster.close()
    failed = 0
    totals = {"read": 0, "cleaned": 0, "rejected": 0}
    for r in results:
        if "error" in r:
            print("dask_clean: " + r["error"], file=sys.stderr)
            failed += 1
            continue
        for m in r["rejects"]:
            print("dask_clean: " + m, file=sys.stderr)
        for k in totals:
            totals[k] += r["records"][k]
    if not args.quiet:
        print("dask_clean: %d shards (%d failed), %d records (%d cleaned, %d rejected) in %.1f s"
              % (len(results), failed, totals["read"], totals["cleaned"], totals["rejected"],
                 time.monotonic() - start), file=sys.stderr)
    return 1 if failed or totals["rejected"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
