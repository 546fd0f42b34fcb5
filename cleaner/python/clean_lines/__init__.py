"""clean_lines: boilerplate removal for scraped news pages, with a report of
every removed line (the Python face of the `clean` CLI; see README.md).

    import clean_lines
    text = clean_lines.extract(html_or_text)          # the clean text
    r = clean_lines.clean(html_or_text)               # text, report, source, language, metadata
    r = clean_lines.clean(page_bytes, encoding="windows-1252")  # as clean --encoding
    c = clean_lines.Cleaner(source=None, rules_dir=None, keep=())   # rules loaded once
    c = clean_lines.Cleaner(rules_extra="learned/")   # as clean --rules-extra learned/

A str or bytes is the page itself (HTML detected as `clean --input auto`
does, unless html=True/False); an os.PathLike (pathlib.Path) is a file to
read, and a missing one raises FileNotFoundError. A Cleaner pickles as its
settings and is rebuilt on the other side from its rules' path, once per
process (multiprocessing pools, Dask workers).

Before 0.1.0's package, the extension was the top-level module `cleaner`
(build/python/cleaner*.so); that name is taken on PyPI, so it is
clean_lines now, with the same Cleaner.clean and Cleaner.clean_jsonl.
"""
import errno
import os
import threading

from . import _core

__version__ = _core.__version__
__all__ = ["Cleaner", "Result", "clean", "extract", "DatatroveExtractor", "DolmaTagger",
           "CLASSES", "RULES_DIR", "__version__"]

# The line classes, in the reports' order.
CLASSES = ("body", "title", "meta", "headline_list", "navigation", "caption", "ad")


def _package_rules():
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rules")
    return here if os.path.isfile(os.path.join(here, "generic.rules")) else None


# The rules used when no rules_dir is given: the installed package's own
# (package data), else (a build tree, PYTHONPATH=build/python) the CLI's.
RULES_DIR = _package_rules() or _core.default_rules_dir() or None


class Result:
    """One cleaned page: text (the kept lines, each ending in '\\n'),
    report (the per-page report as a dict, rules/README.md), source (the
    rules' source name or None), language (the stop-word language or None),
    metadata (an HTML page's title, date, author, canonical_url, site_name
    and domain, those it has; {} for text), html (read as HTML), charset
    (an HTML page's {"name": the charset it was decoded from, "found_by":
    "forced" for encoding=, else "bom", "utf-8", "declared", "detected" or
    "fallback"}; None for text)."""

    __slots__ = ("_r",)

    def __init__(self, core_result):
        self._r = core_result

    text = property(lambda self: self._r.text)
    report = property(lambda self: self._r.report)
    source = property(lambda self: self._r.source)
    language = property(lambda self: self._r.language)
    html = property(lambda self: self._r.html)

    @property
    def charset(self):
        c = self._r.report.get("html", {}).get("charset")
        return dict(c) if c is not None else None

    @property
    def metadata(self):
        return dict(self._r.report.get("html", {}).get("metadata", {}))

    def __repr__(self):
        return "<clean_lines.Result %d chars, source=%r>" % (len(self.text), self.source)


# Loaded rule sets, per process, by (rules_dir, source, keep): a Cleaner
# unpickled in a worker reuses the one loaded before.
_loaded = {}
_loaded_lock = threading.Lock()


def _core_cleaner(rules_dir, source, keep, model=None, rules_extra=None):
    key = (rules_dir, source, keep, model, rules_extra)
    with _loaded_lock:
        core = _loaded.get(key)
        if core is None:
            core = _core.Cleaner(source=source, rules_dir=rules_dir, keep=list(keep),
                                 model=model, rules_extra=rules_extra)
            _loaded[key] = core
        return core


def _read(page):
    """(bytes or str, name) of a page: a path is read (.gz/.zst too)."""
    if isinstance(page, os.PathLike):
        path = os.fspath(page)
        if not os.path.exists(path):
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), path)
        return _core.read_input(path), path
    if isinstance(page, (str, bytes, bytearray, memoryview)):
        return bytes(page) if not isinstance(page, str) else page, None
    raise TypeError("a page is a str, bytes or os.PathLike, not %s" % type(page).__name__)


class Cleaner:
    """Loads the rules once. source: force a source's rules (default: detect
    by fingerprints, or by url); rules_dir: a rules directory (default: the
    package's); keep: classes to keep besides body; model: a trained line
    scorer's file (as `clean --model PATH`; default none); rules_extra: a
    directory of source rule files written by `clean learn` (as `clean
    --rules-extra DIR`: a source rules_dir has too keeps its file; default
    none). A missing directory or a bad file raises ValueError."""

    def __init__(self, source=None, rules_dir=None, keep=(), model=None, rules_extra=None):
        if isinstance(keep, str):
            keep = [k for k in keep.split(",") if k]
        self.source = source
        self.rules_dir = os.path.abspath(os.fspath(rules_dir)) if rules_dir else RULES_DIR
        self.keep = tuple(keep)
        self.model = os.path.abspath(os.fspath(model)) if model else None
        self.rules_extra = os.path.abspath(os.fspath(rules_extra)) if rules_extra else None
        self._core = _core_cleaner(self.rules_dir, self.source, self.keep, self.model,
                                   self.rules_extra)

    def __getstate__(self):
        return {"source": self.source, "rules_dir": self.rules_dir, "keep": self.keep,
                "model": self.model, "rules_extra": self.rules_extra}

    def __setstate__(self, state):
        self.source, self.rules_dir, self.keep = state["source"], state["rules_dir"], state["keep"]
        self.model = state.get("model")
        self.rules_extra = state.get("rules_extra")
        self._core = _core_cleaner(self.rules_dir, self.source, self.keep, self.model,
                                   self.rules_extra)

    def __repr__(self):
        return ("clean_lines.Cleaner(source=%r, rules_dir=%r, keep=%r, model=%r, "
                "rules_extra=%r)" % (self.source, self.rules_dir, self.keep, self.model,
                                     self.rules_extra))

    @property
    def sources(self):
        return self._core.sources

    def clean(self, page, html=None, url=None, name=None, encoding=None):
        """Cleans one page (str/bytes, or a path: os.PathLike); returns a
        Result. html: None detects HTML as `clean --input auto` (by a
        path's .html/.htm extension, else by the bytes), True/False force.
        url: its host picks the source by the rule files' domains.
        encoding: the charset (an iconv name: "windows-1252", "shift_jis",
        ...) bytes are decoded from, as `clean --encoding NAME`; None finds
        it (HTML: BOM, UTF-8, declared, libuchardet's guess, else
        windows-1252; text: UTF-8). An unknown name raises ValueError."""
        data, path = _read(page)
        return Result(self._core.clean(data, html=html, url=url,
                                       name=name or path or "<python>", encoding=encoding))

    def extract(self, page, html=None, url=None, encoding=None):
        """The clean text alone (trafilatura's extract shape)."""
        return self.clean(page, html=html, url=url, encoding=encoding).text

    def spans(self, page, html=None, url=None):
        """[(start, end, class, rule)] for every non-blank line of the page,
        in code points (str indices) of its text, or, for HTML, of the
        rendered text (the lines `--keep` with every class prints)."""
        data, path = _read(page)
        return self._core.clean(data, html=html, url=url, name=path or "<python>",
                                spans=True).spans

    def tag(self, page, html=None, url=None):
        """dolma-shaped attributes of the page, those of the CLI's span report
        (`--jsonl --report`, version 3): {"clean__CLASS": [[start, end, 1.0],
        ...] for every class, "clean__rule__RULE": [[start, end, 1.0], ...]
        for every rule or heuristic that decided a line}. The score is 1.0:
        rules decide, they do not weigh."""
        data, path = _read(page)
        return self._core.clean(data, html=html, url=url, name=path or "<python>",
                                spans=True).attributes

    def clean_jsonl(self, input, output, report=None, rejects=None, text_field="text",
                    id_field="id", html_field=None, url_field=None, source_field=None,
                    summary_key="clean", jobs=1):
        """Cleans a JSONL file (.gz/.zst by extension) exactly as `clean
        --jsonl`; returns the run's stats (the --stats JSON) plus "rejects"."""
        input = os.fspath(input)
        if input != "-" and not os.path.exists(input):
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), input)
        return self._core.clean_jsonl(
            input, os.fspath(output), report=None if report is None else os.fspath(report),
            rejects=None if rejects is None else os.fspath(rejects), text_field=text_field,
            id_field=id_field, html_field=html_field, url_field=url_field,
            source_field=source_field, summary_key=summary_key, jobs=jobs)


_default = None


def _default_cleaner():
    global _default
    if _default is None:
        _default = Cleaner()
    return _default


def clean(page, html=None, url=None, source=None, keep=(), encoding=None, rules_extra=None):
    """Cleans one page with the package's rules (and rules_extra's, as
    Cleaner's); see Cleaner.clean."""
    c = (Cleaner(source=source, keep=keep, rules_extra=rules_extra)
         if source or keep or rules_extra else _default_cleaner())
    return c.clean(page, html=html, url=url, encoding=encoding)


def extract(page, html=None, url=None, encoding=None):
    """The clean text of one page (HTML or text) with the package's rules;
    encoding: as Cleaner.clean's."""
    return _default_cleaner().extract(page, html=html, url=url, encoding=encoding)


class DatatroveExtractor:
    """The shape of a datatrove extractor: `name` and `extract(text) -> str`
    (datatrove's BaseExtractor subclasses call extract on each document's
    text). Picklable: it ships its settings, not its rules."""

    name = "clean_lines"

    def __init__(self, source=None, rules_dir=None, keep=()):
        self.cleaner = Cleaner(source=source, rules_dir=rules_dir, keep=keep)

    def extract(self, text):
        return self.cleaner.extract(text)


class DolmaTagger:
    """The shape of a dolma tagger's output: `predict(text)` gives the
    attributes of Cleaner.tag ({"clean__CLASS": [[start, end, 1.0], ...],
    "clean__rule__RULE": [...]}), to write as {"id": ..., "attributes": ...}
    lines of dolma's attribute files."""

    name = "clean"

    def __init__(self, source=None, rules_dir=None, keep=()):
        self.cleaner = Cleaner(source=source, rules_dir=rules_dir, keep=keep)

    def predict(self, text, html=None, url=None):
        return self.cleaner.tag(text, html=html, url=url)
