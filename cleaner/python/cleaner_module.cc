// The Python module `cleaner` (pybind11 adapter; nothing else includes
// pybind11). Rules are loaded once per cleaner.Cleaner; each call borrows a
// clean::Cleaner from a small pool and releases the GIL while it cleans, so
// Python threads clean in parallel.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cleaner/cli/batch.h"
#include "cleaner/jsonl/jsonl_html.h"
#include "cleaner/cli/jsonl_run.h"
#include "cleaner/report/report.h"
#include "cleaner/ruleset/url_source.h"

namespace py = pybind11;

namespace {

struct PyResult {
  std::string text;
  std::string report_json;  // parsed into a dict on first access (under the GIL)
  py::object report;        // null until then
  py::object source;        // str or None
  py::object Report() {
    if (!report) report = py::module_::import("json").attr("loads")(py::bytes(report_json));
    return report;
  }
};

class PyCleaner {
 public:
  PyCleaner(py::object source, py::object rules_dir, std::vector<std::string> keep) {
    std::string dir = rules_dir.is_none() ? clean::DefaultRulesDir() : py::str(rules_dir).cast<std::string>();
    clean::Diagnostics diags;
    rules_ = clean::RuleSet::Load(dir, base_, &diags);
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
  }

  PyResult Clean(const std::string& text, bool html, py::object url, const std::string& name) {
    const clean::Source* hint = nullptr;
    if (!url.is_none()) hint = clean::SourceForHost(*rules_, clean::UrlHost(url.cast<std::string>()));
    std::string out, report, error, source;
    bool ok, have_source = false;
    {
      py::gil_scoped_release release;
      std::unique_ptr<clean::Cleaner> c = Borrow();
      clean::CleanResult r;
      ok = html ? clean::CleanHtmlRecord(*c, name, text, hint, "domain", &r, &error)
                : c->Clean(name, text, &r, &error, hint, "domain");
      if (ok) {
        clean::WriteCleanText(r, keep_, &out);
        clean::WriteReport(r, keep_, &report);
        if (r.source) {
          have_source = true;
          source = r.source->name;
        }
      }
      Return(std::move(c));
    }
    if (!ok) throw py::value_error(name + ": " + error);
    PyResult res;
    res.text = std::move(out);
    res.report_json = std::move(report);
    res.source = have_source ? py::object(py::str(source)) : py::object(py::none());
    return res;
  }

  // Cleans a JSONL file (any compression) like `clean --jsonl`; returns the
  // run's stats (the --stats JSON) with the reject messages under "rejects".
  py::dict CleanJsonl(const std::string& input, const std::string& output, py::object report,
                      py::object rejects, const std::string& text_field,
                      const std::string& id_field, py::object url_field,
                      py::object source_field, const std::string& summary_key, int jobs) {
    clean::JsonlOptions o;
    o.enabled = true;
    o.text_field = text_field;
    o.id_field = id_field;
    o.summary_key = summary_key;
    if (!url_field.is_none()) o.url_field = url_field.cast<std::string>();
    if (!source_field.is_none()) o.source_field = source_field.cast<std::string>();
    std::string error;
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
    return std::make_unique<clean::Cleaner>(*rules_, base_, forced_);
  }
  void Return(std::unique_ptr<clean::Cleaner> c) {
    std::lock_guard<std::mutex> lock(mu_);
    pool_.push_back(std::move(c));
  }

  clean::Options base_;
  std::unique_ptr<clean::RuleSet> rules_;
  const clean::Source* forced_ = nullptr;
  clean::KeepSet keep_;
  std::mutex mu_;
  std::vector<std::unique_ptr<clean::Cleaner>> pool_;
};

}  // namespace

PYBIND11_MODULE(cleaner, m) {
  m.doc() = "clean: boilerplate removal for scraped news pages (see README.md)";
  m.attr("__version__") = CLEAN_VERSION;
  py::class_<PyResult>(m, "Result")
      .def_readonly("text", &PyResult::text, "the clean text (kept lines, each ending in \\n)")
      .def_property_readonly("report", &PyResult::Report,
                             "the removal report as a dict (rules/README.md)")
      .def_readonly("source", &PyResult::source, "the source whose rules cleaned it, or None")
      .def("__repr__", [](const PyResult& r) {
        return "<cleaner.Result " + std::to_string(r.text.size()) + " bytes>";
      });
  py::class_<PyCleaner>(m, "Cleaner")
      .def(py::init<py::object, py::object, std::vector<std::string>>(), py::arg("source") = py::none(),
           py::arg("rules_dir") = py::none(), py::arg("keep") = std::vector<std::string>(),
           "Loads the rules once. source: force a source's rules (default: detect); "
           "rules_dir: the rules directory; keep: classes to keep besides body.")
      .def("clean", &PyCleaner::Clean, py::arg("text"), py::arg("html") = false,
           py::arg("url") = py::none(), py::arg("name") = "<python>",
           "Cleans one page; releases the GIL. url: its host picks the source by the rule "
           "files' domains. name: the report's input name.")
      .def("clean_jsonl", &PyCleaner::CleanJsonl, py::arg("input"), py::arg("output"),
           py::arg("report") = py::none(), py::arg("rejects") = py::none(),
           py::arg("text_field") = "text", py::arg("id_field") = "id",
           py::arg("url_field") = py::none(), py::arg("source_field") = py::none(),
           py::arg("summary_key") = "clean", py::arg("jobs") = 1,
           "Cleans a JSONL file (.gz/.zst by extension) exactly like `clean --jsonl`; "
           "returns the run's stats dict (the --stats JSON) plus 'rejects'.")
      .def_property_readonly("sources", &PyCleaner::Sources);
}
