// The extension `clean_lines._core` (pybind11 adapter; nothing else
// includes pybind11), wrapped by the package clean_lines
// (cleaner/python/clean_lines/__init__.py). Rules are loaded once per
// _core.Cleaner; each call borrows a clean::Cleaner from a small pool and
// releases the GIL while it cleans, so Python threads clean in parallel.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cleaner/classify/line_model.h"
#include "cleaner/cli/batch.h"
#include "cleaner/cli/jsonl_run.h"
#include "cleaner/html/charset.h"
#include "cleaner/io/byte_stream.h"
#include "cleaner/report/report.h"
#include "cleaner/report/span_report.h"
#include "cleaner/ruleset/url_source.h"

namespace py = pybind11;

namespace {

struct PyResult {
  std::string text;
  std::string report_json;  // parsed into a dict on first access (under the GIL)
  py::object report;        // null until then
  py::object source;        // str or None
  py::object language;      // str or None
  bool html = false;        // read as HTML
  // With spans=True: (start, end, class, rule) per non-blank line, in code
  // points of the text (HTML: of the rendered text); else None.
  py::object spans;
  // With spans=True: the "attributes" of the span report line of the page
  // (dolma's shape, README); else None.
  py::object attributes;
  py::object Report() {
    if (!report) report = py::module_::import("json").attr("loads")(py::bytes(report_json));
    return report;
  }
};

class PyCleaner {
 public:
  PyCleaner(py::object source, py::object rules_dir, std::vector<std::string> keep,
            py::object model, py::object rules_extra) {
    std::string dir =
        rules_dir.is_none() ? clean::DefaultRulesDir() : py::str(rules_dir).cast<std::string>();
    clean::Diagnostics diags;
    // rules_extra: as --rules-extra DIR (learned source files; a shipped
    // source of the same name wins).
    const std::string extra = rules_extra.is_none() ? "" : py::str(rules_extra).cast<std::string>();
    rules_ = clean::RuleSet::Load(dir, base_, &diags, extra);
    if (!rules_) throw py::value_error("cannot load the rules of " + dir + ":\n" + diags.Format());
    if (!source.is_none()) {
      std::string name = source.cast<std::string>();
      forced_ = rules_->FindSource(name);
      if (!forced_) throw py::value_error("unknown source '" + name + "'");
    }
    for (const auto& k : keep) {
      auto c = clean::ParseClass(k);
      if (!c) throw py::value_error("unknown class '" + k + "'");
      keep_.keep[static_cast<int>(*c)] = true;
    }
    if (!model.is_none()) {  // as --model PATH
      const std::string path = py::str(model).cast<std::string>();
      clean::Diagnostics model_diags;
      if (!(model_ = clean::LineModel::Load(path, &model_diags)))
        throw py::value_error("cannot load the model " + path + ":\n" + model_diags.Format());
      model_decider_ = rules_->AddDecider(clean::Decider::Make(
          clean::Decider::Kind::kModel, model_->id(), model_->file(), model_->name_line()));
    }
  }

  // `html`: None reads the input as `clean --input auto` does (by the name's
  // extension and the bytes), True as HTML, False as text. `encoding`: None
  // finds the charset as the CLI does, else the page is decoded from it (as
  // `--encoding NAME`; a charset iconv does not know is a ValueError).
  PyResult Clean(const std::string& text, py::object html, py::object url, const std::string& name,
                 bool want_spans, py::object encoding) {
    const clean::Source* hint = nullptr;
    if (!url.is_none())
      hint = clean::SourceForHost(*rules_, clean::UrlHost(url.cast<std::string>()));
    const clean::InputFormat format = html.is_none()      ? clean::InputFormat::kAuto
                                      : html.cast<bool>() ? clean::InputFormat::kHtml
                                                          : clean::InputFormat::kText;
    std::string charset = encoding.is_none() ? "" : encoding.cast<std::string>();
    if (!encoding.is_none() && !clean::CharsetKnown(charset))
      throw py::value_error("encoding: unknown charset '" + charset + "' (see iconv --list)");
    std::string out, report, error, source, language, span_line;
    std::vector<clean::CodePointSpan> spans;
    std::vector<std::pair<int, uint32_t>> decided;  // class, decider per spanned line
    bool ok, have_source = false, was_html = false;
    {
      py::gil_scoped_release release;
      std::unique_ptr<clean::Cleaner> c = Borrow();
      clean::CleanResult r;
      c->set_input_format(format);
      c->set_encoding(charset);  // "" for a pooled cleaner a forced one used before
      ok = c->Clean(name, text, &r, &error, hint, "domain");
      if (ok) {
        clean::WriteCleanText(r, keep_, &out);
        clean::WriteReport(r, keep_, &report);
        if (r.source) {
          have_source = true;
          source = r.source->name;
        }
        language = std::string(r.language);
        was_html = r.html != nullptr;
        if (want_spans) {
          std::vector<clean::CodePointSpan> all;
          Spans(r, text, &all, &spans, &decided);
          clean::WriteSpanReport("", all, r, &span_line);
        }
      }
      Return(std::move(c));
    }
    if (!ok) throw py::value_error(name + ": " + error);
    PyResult res;
    res.text = std::move(out);
    res.report_json = std::move(report);
    res.source = have_source ? py::object(py::str(source)) : py::object(py::none());
    res.language = language.empty() ? py::object(py::none()) : py::object(py::str(language));
    res.html = was_html;
    res.spans = py::none();
    res.attributes = py::none();
    if (want_spans) {
      res.attributes =
          py::module_::import("json").attr("loads")(py::bytes(span_line))["attributes"];
      py::list l;
      const auto& deciders = rules_->deciders();
      for (size_t i = 0; i < decided.size(); ++i)
        l.append(py::make_tuple(spans[i].start, spans[i].end,
                                clean::ClassName(static_cast<clean::LineClass>(decided[i].first)),
                                deciders[decided[i].second].id));
      res.spans = std::move(l);
    }
    return res;
  }

  // Cleans a JSONL file (any compression) like `clean --jsonl`; returns the
  // run's stats (the --stats JSON) with the reject messages under "rejects".
  py::dict CleanJsonl(const std::string& input, const std::string& output, py::object report,
                      py::object rejects, const std::string& text_field,
                      const std::string& id_field, py::object html_field, py::object url_field,
                      py::object source_field, const std::string& summary_key, int jobs) {
    clean::JsonlOptions o;
    o.enabled = true;
    o.text_field = text_field;
    o.id_field = id_field;
    o.summary_key = summary_key;
    if (!html_field.is_none()) o.html_field = html_field.cast<std::string>();
    if (!url_field.is_none()) o.url_field = url_field.cast<std::string>();
    if (!source_field.is_none()) o.source_field = source_field.cast<std::string>();
    std::string error;
    o.model = model_.get();
    o.model_decider = model_decider_;
    if (!clean::CheckJsonlOptions(o, &error)) throw py::value_error(error);
    std::string report_path = report.is_none() ? "" : report.cast<std::string>();
    std::string rejects_path = rejects.is_none() ? "" : rejects.cast<std::string>();
    std::vector<std::string> messages;
    std::string stats;
    bool ok;
    {
      py::gil_scoped_release release;
      clean::JsonlPipeline pipeline(*rules_, base_, forced_, keep_, o, jobs < 1 ? 1 : jobs);
      pipeline.on_reject = [&](const std::string& m) { messages.push_back(m); };
      std::unique_ptr<clean::OutputStream> rej;
      ok = rejects_path.empty() || (rej = clean::OpenOutput(rejects_path, &error));
      if (ok) ok = clean::CleanJsonlFile(&pipeline, input, output, report_path, rej.get(), &error);
      if (ok && rej) ok = rej->Close(&error);
      pipeline.stats().WriteJson(*rules_, &stats);
    }
    if (!ok) throw py::value_error(error);
    py::dict d = py::module_::import("json").attr("loads")(py::bytes(stats));
    d["rejects"] = messages;
    return d;
  }

  // The spans of r's lines (`all`) as the span report has them, and of
  // its non-blank lines, with each one's class and decider.
  static void Spans(const clean::CleanResult& r, const std::string& text,
                    std::vector<clean::CodePointSpan>* all_spans,
                    std::vector<clean::CodePointSpan>* spans,
                    std::vector<std::pair<int, uint32_t>>* decided) {
    std::vector<clean::CodePointSpan>& all = *all_spans;
    const auto& ds = r.decisions();
    if (r.html)
      clean::PageCodePointSpans(*r.page, &all);
    else
      clean::LineCodePointSpans(text, ds.size(), &all);
    for (size_t i = 0; i < ds.size() && i < all.size(); ++i) {
      if (ds[i].blank) continue;
      spans->push_back(all[i]);
      decided->emplace_back(static_cast<int>(ds[i].cls), ds[i].decider);
    }
  }

  std::vector<std::string> Sources() const {
    std::vector<std::string> names;
    for (const auto& s : rules_->sources()) names.push_back(s.name);
    return names;
  }

 private:
  std::unique_ptr<clean::Cleaner> Borrow() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!pool_.empty()) {
        auto c = std::move(pool_.back());
        pool_.pop_back();
        return c;
      }
    }
    auto c = std::make_unique<clean::Cleaner>(*rules_, base_, forced_);
    if (model_) c->set_model(model_.get(), model_decider_);
    return c;
  }
  void Return(std::unique_ptr<clean::Cleaner> c) {
    std::lock_guard<std::mutex> lock(mu_);
    pool_.push_back(std::move(c));
  }

  clean::Options base_;
  std::unique_ptr<clean::RuleSet> rules_;
  std::unique_ptr<clean::LineModel> model_;  // model=, or none
  uint32_t model_decider_ = 0;
  const clean::Source* forced_ = nullptr;
  clean::KeepSet keep_;
  std::mutex mu_;
  std::vector<std::unique_ptr<clean::Cleaner>> pool_;
};

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "clean_lines._core: the C++ side of the package clean_lines (see README.md)";
  m.attr("__version__") = CLEAN_VERSION;
  m.attr("span_report_version") = clean::kSpanReportVersion;
  m.def("default_rules_dir", &clean::DefaultRulesDir,
        "the rules the CLI would read: beside the running executable, else the source tree's "
        "(empty in a build without it)");
  m.def(
      "read_input",
      [](const std::string& path) {
        std::string bytes, error;
        bool ok;
        {
          py::gil_scoped_release release;
          ok = clean::ReadAnyInput(path, &bytes, &error);
        }
        if (!ok) throw py::value_error(error);
        return py::bytes(bytes);
      },
      "the bytes of a file, .gz and .zst decompressed (as the CLI reads a page)");
  py::class_<PyResult>(m, "Result")
      .def_readonly("text", &PyResult::text, "the clean text (kept lines, each ending in \\n)")
      .def_property_readonly("report", &PyResult::Report,
                             "the removal report as a dict (rules/README.md)")
      .def_readonly("source", &PyResult::source, "the source whose rules cleaned it, or None")
      .def_readonly("language", &PyResult::language, "the stop-word language, or None")
      .def_readonly("html", &PyResult::html, "whether it was read as HTML")
      .def_readonly("spans", &PyResult::spans, "(start, end, class, rule) per line, or None")
      .def_readonly("attributes", &PyResult::attributes,
                    "with spans=True, the span report's attributes (dolma's shape), or None");
  py::class_<PyCleaner>(m, "Cleaner")
      .def(py::init<py::object, py::object, std::vector<std::string>, py::object, py::object>(),
           py::arg("source") = py::none(), py::arg("rules_dir") = py::none(),
           py::arg("keep") = std::vector<std::string>(), py::arg("model") = py::none(),
           py::arg("rules_extra") = py::none(),
           "Loads the rules once. source: force a source's rules (default: detect); "
           "rules_dir: the rules directory; keep: classes to keep besides body; model: "
           "a trained line scorer's file (as --model PATH; default none); rules_extra: a "
           "directory of learned source files (as --rules-extra DIR; default none).")
      .def("clean", &PyCleaner::Clean, py::arg("text"), py::arg("html") = py::none(),
           py::arg("url") = py::none(), py::arg("name") = "<python>", py::arg("spans") = false,
           py::arg("encoding") = py::none(),
           "Cleans one page; releases the GIL. html: None detects it (as --input auto), "
           "True/False force it. url: its host picks the source by the rule files' domains. "
           "name: the report's input name. spans: also the lines' spans. encoding: the "
           "charset the page is decoded from (as --encoding NAME; None: found as the CLI "
           "does).")
      .def("clean_jsonl", &PyCleaner::CleanJsonl, py::arg("input"), py::arg("output"),
           py::arg("report") = py::none(), py::arg("rejects") = py::none(),
           py::arg("text_field") = "text", py::arg("id_field") = "id",
           py::arg("html_field") = py::none(), py::arg("url_field") = py::none(),
           py::arg("source_field") = py::none(), py::arg("summary_key") = "clean",
           py::arg("jobs") = 1,
           "Cleans a JSONL file (.gz/.zst by extension) exactly like `clean --jsonl`; "
           "returns the run's stats dict (the --stats JSON) plus 'rejects'.")
      .def_property_readonly("sources", &PyCleaner::Sources);
}
