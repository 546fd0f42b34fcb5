#include "cleaner/cli/page_run.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <thread>

#include "cleaner/cli/inputs.h"
#include "cleaner/cli/ordered_pool.h"
#include "cleaner/cli/output_guard.h"
#include "cleaner/cli/progress.h"
#include "cleaner/io/byte_stream.h"
#include "cleaner/report/explain.h"
#include "cleaner/report/feature_rows.h"
#include "cleaner/report/report.h"

namespace clean {

namespace fs = std::filesystem;

namespace {

void Message(const std::string& s) { std::fprintf(stderr, "clean: %s\n", s.c_str()); }

// Results in flight per worker (done, not yet written in input order).
constexpr size_t kWindowPerJob = 4;

// Writes all of `data` to `f`; false on error (a closed pipe included).
bool WriteAll(FILE* f, const std::string& data) {
  return data.empty() || std::fwrite(data.data(), 1, data.size(), f) == data.size();
}

// What goes into an output: written to `out` (false with *why set on a
// write error).
using Content = std::function<bool(OutputStream& out, std::string* why)>;

Content Bytes(const std::string& data) {
  return [&data](OutputStream& out, std::string* why) { return out.Write(data, why); };
}

// r's report, written as it is made (WriteReport's sink), `buffer` holding
// a piece at a time: a large page's report is never whole in memory.
Content Report(const CleanResult& r, const KeepSet& keep, std::string* buffer) {
  return [&r, &keep, buffer](OutputStream& out, std::string* why) {
    bool ok = true;
    buffer->clear();
    WriteReport(r, keep, buffer, [&](std::string* piece) {
      ok = ok && out.Write(*piece, why);
      piece->clear();
    });
    return ok && out.Write(*buffer, why);
  };
}

// Through byte_stream's file output: written to a temporary file and
// renamed when complete (a run cut short or a failed write never leaves a
// truncated output), compressed when the name ends in .gz or .zst.
bool WriteFile(const fs::path& path, const Content& content, const OutputOptions& options,
               std::string* error) {
  std::string why;
  auto out = OpenOutput(path.string(), &why, options);
  if (out && content(*out, &why) && out->Close(&why)) return true;
  *error = "cannot write " + path.string() + ": " + why;
  return false;  // an unclosed output removes its temporary file
}

// The same for NAME in --out-dir (`shown`: the directory as given).
bool WriteFile(OutputDir& dir, const std::string& shown, const std::string& name,
               const Content& content, std::string* error) {
  std::string why;
  auto out = dir.OpenOutput(name, &why);
  if (out && content(*out, &why) && out->Close(&why)) return true;
  *error = "cannot write " + (fs::path(shown) / name).string() + ": " + why;
  return false;
}

// An input's NAME under --out-dir: its path under its given directory
// without the compression and file extensions ("sub/a.txt.gz" -> "sub/a").
std::string PageName(std::string_view name) {
  fs::path p(StripCompression(name));
  return (p.parent_path() / p.stem()).string();
}

// For --out-dir: 1 for each input whose NAME an earlier input already has
// (the first one wins). Worked out once, before the run, so that nothing
// grows with the number of inputs done.
std::vector<uint8_t> MarkDuplicateNames(const std::vector<Input>& inputs) {
  std::vector<uint32_t> order(inputs.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return inputs[a].name < inputs[b].name; });
  std::vector<uint8_t> dup(inputs.size(), 0);
  for (size_t i = 1; i < order.size(); ++i)
    if (inputs[order[i]].name == inputs[order[i - 1]].name) dup[order[i]] = 1;
  return dup;
}

// Refuses outputs that would replace an input or each other (output_guard.h):
// -o and --report, or --out-dir and the NAME.txt / NAME.report.json it gets.
bool CheckOutputs(const CliOptions& o, const std::vector<std::string>& given,
                  const std::vector<Input>& inputs, std::string* error) {
  OutputGuard guard(given);
  if (o.out_dir.empty())
    return (o.output.empty() || guard.AddFile("-o", o.output, error)) &&
           (o.report.empty() || guard.AddFile("--report", o.report, error));
  std::vector<std::string> in_dir;  // the given input files that lie in the out-dir
  if (!guard.AddDir("--out-dir", o.out_dir, &in_dir, error)) return false;
  for (const Input& in : inputs)
    for (const std::string& out : {in.name + ".txt", in.name + ".report.json"})
      if (std::find(in_dir.begin(), in_dir.end(), out) != in_dir.end()) {
        *error = "--out-dir " + o.out_dir + ": the output " + out + " of " + in.path +
                 " would replace an input; write the outputs elsewhere";
        return false;
      }
  return true;
}

// The warnings about a page that was cleaned, as "clean: ..." lines.
void AppendWarnings(const CleanResult& r, const std::string& shown, std::string* out) {
  auto say = [out](const std::string& s) { out->append("clean: ").append(s).append("\n"); };
  if (r.page->invalid_utf8)
    say(shown + ": warning: " + std::to_string(r.page->invalid_utf8) +
        " invalid UTF-8 sequence(s) replaced by U+FFFD");
  if (!r.work->scan.limits.empty())
    say(shown + ": warning: a rule regex hit the PCRE2 match limit on " +
        std::to_string(r.work->scan.limits.size()) + " line(s); see the report");
  if (r.html && r.html->stats.capped_tags > 0)
    say(shown + ": warning: " + std::to_string(r.html->stats.capped_attributes) +
        " attribute(s) of " + std::to_string(r.html->stats.capped_tags) +
        " tag(s) over html_max_attributes or html_max_tag_bytes dropped before "
        "parsing; see the report");
  if (r.over_time_budget)
    say(shown + ": warning: the page time budget (page_time_budget_ms " +
        std::to_string(r.time_budget_ms) +
        ") ran out; rule matching was cut short, see the report");
}

// One cleaner and its buffers.
struct PageWorker {
  PageWorker(const RuleSet& rules, const Options& base, const Source* source, const CliOptions& o,
             const PageModel& model)
      : cleaner(rules, base, source) {
    cleaner.set_prefilter(o.prefilter);
    cleaner.set_input_format(o.input);
    cleaner.set_encoding(o.encoding);
    cleaner.set_model(model.model.get(), model.decider);
    cleaner.set_features(o.features);
  }
  Cleaner cleaner;
  std::string bytes, report;
  double write_seconds = 0;
};

// What one input gave, emitted in input order.
struct PageOutcome {
  std::string messages;  // "clean: ..." lines for stderr
  std::string text;      // without --out-dir: the clean text or --explain rows
  bool failed = false;   // the input failed (its messages say why)
  bool resumed = false;  // --resume: its outputs were complete, skipped
  bool cleaned = false;  // text holds its clean text
  uint64_t bytes = 0;    // the input's bytes (uncompressed)
};

class PageRun {
 public:
  PageRun(const CliOptions& o, const RuleSet& rules, const Options& base, const Source* source,
          const PageModel& model)
      : o_(o), rules_(rules), base_(base), source_(source), model_(model) {}
  int Run();

 private:
  // Inputs, output checks, the output directory and -o: false with the
  // exit code in *exit.
  bool Prepare(int* exit);
  // Reads and cleans input k; writes its files under --out-dir and its
  // --report; the rest goes into *out.
  void Clean(PageWorker& w, size_t k, PageOutcome* out);
  // Writes DIR/name under --out-dir: through out_dir_, or by path when in
  // a subdirectory (created as needed).
  bool WriteOut(const std::string& name, const Content& content, std::string* error);
  // Writes out's messages and text; false with the exit code in *exit when
  // the run must stop (the clean text cannot be written).
  bool Emit(size_t k, const PageOutcome& out, int* exit);
  int Finish();

  const CliOptions& o_;
  const RuleSet& rules_;
  const Options& base_;
  const Source* source_;
  const PageModel& model_;
  bool feature_header_ = false;  // --features: the header went to stdout or -o
  std::vector<Input> inputs_;
  std::vector<std::string> problems_;  // entries of input directories that cannot be read
  std::vector<uint8_t> duplicate_name_;
  OutputOptions file_options_;
  OutputDir out_dir_;                       // --out-dir: opened once for all the outputs
  std::unique_ptr<OutputStream> file_out_;  // -o FILE
  int failed_ = 0;
  size_t resumed_ = 0;
  std::unique_ptr<Progress> progress_;
  uint64_t bytes_ = 0;  // the inputs' bytes so far
  std::vector<std::unique_ptr<PageWorker>> workers_;
};

bool PageRun::Prepare(int* exit) {
  *exit = 2;
  std::vector<std::string> given = o_.inputs;
  if (given.empty()) given.push_back("-");
  ExpandInputs(given, {o_.out_dir}, "pages", &inputs_, &problems_);
  for (Input& in : inputs_) in.name = PageName(in.name);
  std::string error;
  if (!CheckOutputs(o_, given, inputs_, &error)) {
    Message(error);
    return false;
  }
  *exit = 1;  // an output that cannot be created: as a failed write (README)
  file_options_.durable = o_.durable;
  out_dir_.set_durable(o_.durable);
  if (!o_.out_dir.empty()) {
    std::error_code ec;
    fs::create_directories(o_.out_dir, ec);
    if (ec || !fs::is_directory(o_.out_dir, ec)) {
      Message("cannot create output directory " + o_.out_dir + ": " + ec.message());
      return false;
    }
    if (!out_dir_.Open(o_.out_dir, &error)) {
      Message("cannot open output directory " + o_.out_dir + ": " + error);
      return false;
    }
  }
  // -o FILE (byte_stream.h): written to a temporary file and renamed when
  // complete, compressed for NAME.gz / NAME.zst; else stdout.
  if (!o_.output.empty() && o_.out_dir.empty() &&
      !(file_out_ = OpenOutput(o_.output, &error, file_options_))) {
    Message("cannot write " + o_.output + ": " + error);
    return false;
  }
  duplicate_name_ = MarkDuplicateNames(inputs_);
  return true;
}

void PageRun::Clean(PageWorker& w, size_t k, PageOutcome* out) {
  const Input& in = inputs_[k];
  std::string shown = in.path == "-" ? "<stdin>" : in.path;
  auto fail = [&](const std::string& why) {
    out->messages += "clean: " + shown + ": " + why + "\n";
    out->failed = true;
  };
  if (!o_.out_dir.empty() && duplicate_name_[k])
    return fail("an earlier input has the same output name " + in.name + ".txt in " + o_.out_dir +
                "; skipped");
  // --resume: the report is renamed into place after the text, so its
  // presence means both outputs are complete.
  std::error_code ec;
  if (o_.resume && in.path != "-" &&
      fs::is_regular_file(fs::path(o_.out_dir) / (in.name + ".report.json"), ec) &&
      fs::is_regular_file(fs::path(o_.out_dir) / (in.name + ".txt"), ec)) {
    out->resumed = true;
    return;
  }
  std::string error;
  if (!ReadAnyInput(in.path, &w.bytes, &error)) return fail(error);  // .gz, .zst too
  out->bytes = w.bytes.size();
  CleanResult r;
  if (!w.cleaner.Clean(shown, w.bytes, &r, &error)) return fail(error);
  if (!o_.quiet) AppendWarnings(r, shown, &out->messages);
  auto write_start = std::chrono::steady_clock::now();
  if (o_.features) {
    if (!o_.out_dir.empty()) AppendFeatureHeader(&out->text);  // else once, in Emit
    AppendFeatureRows(r, in.name, &out->text);
  } else if (o_.explain) {
    WriteExplain(r, o_.keep, &out->text);
  } else {
    WriteCleanText(r, o_.keep, &out->text);
  }
  out->cleaned = true;
  // The report is written (streamed) after the clean text.
  if (!o_.out_dir.empty()) {
    if (!WriteOut(in.name + ".txt", Bytes(out->text), &error) ||
        !WriteOut(in.name + ".report.json", Report(r, o_.keep, &w.report), &error))
      fail(error);
    out->text.clear();
  } else if (!o_.report.empty() &&
             !WriteFile(o_.report, Report(r, o_.keep, &w.report), file_options_, &error)) {
    fail(error);
  }
  w.write_seconds +=
      std::chrono::duration<double>(std::chrono::steady_clock::now() - write_start).count();
}

bool PageRun::WriteOut(const std::string& name, const Content& content, std::string* error) {
  if (name.find('/') == std::string::npos)
    return WriteFile(out_dir_, o_.out_dir, name, content, error);
  fs::path path = fs::path(o_.out_dir) / name;
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) {
    *error = "cannot create directory " + path.parent_path().string() + ": " + ec.message();
    return false;
  }
  OutputOptions options = file_options_;
  options.regular_only = true;  // no FIFO or device under an output's name
  return WriteFile(path, content, options, error);
}

bool PageRun::Emit(size_t k, const PageOutcome& out, int* exit) {
  if (!out.messages.empty()) progress_->Clear();
  std::fputs(out.messages.c_str(), stderr);
  failed_ += out.failed;
  resumed_ += out.resumed;
  if (out.cleaned && o_.out_dir.empty()) {
    std::string error;
    std::string header;
    if (o_.features && !feature_header_) AppendFeatureHeader(&header);
    feature_header_ = feature_header_ || o_.features;
    const std::string& text = header.empty() ? out.text : header.append(out.text);
    if (file_out_ ? !file_out_->Write(text, &error) : !WriteAll(stdout, text)) {
      *exit = failed_ ? 1 : 0;
      if (errno == EPIPE) return false;  // the reader went away: stop quietly
      if (!file_out_) error = std::strerror(errno);
      Message("cannot write " + (file_out_ ? o_.output : "the clean text") + ": " + error);
      *exit = 1;
      return false;  // file_out_, unclosed, removes its temporary file
    }
  }
  bytes_ += out.bytes;
  progress_->UpdatePages(k + 1, inputs_.size(), failed_, bytes_, k + 1 == inputs_.size());
  return true;
}

int PageRun::Finish() {
  progress_->Finish();
  if (o_.stage_times) {  // summed over the workers
    StageTimes t;
    double write = 0;
    for (const auto& w : workers_) {
      const StageTimes& s = w->cleaner.times();
      t.decode += s.decode, t.parse += s.parse, t.copy += s.copy, t.xpath += s.xpath;
      t.prescan += s.prescan, t.gumbo += s.gumbo;
      t.linearize += s.linearize, t.classify += s.classify, write += w->write_seconds;
    }
    std::fprintf(stderr,
                 "clean: stage seconds: decode %.3f parse %.3f (prescan %.3f gumbo %.3f) "
                 "copy %.3f xpath %.3f linearize %.3f classify %.3f write %.3f\n",
                 t.decode, t.parse, t.prescan, t.gumbo, t.copy, t.xpath, t.linearize, t.classify,
                 write);
  }
  if (resumed_ && !o_.quiet)
    Message("--resume: " + std::to_string(resumed_) + " input(s) already complete in " +
            o_.out_dir + ", skipped");
  std::string error;
  if (file_out_) {
    if (!file_out_->Close(&error)) {
      Message("cannot write " + o_.output + ": " + error);
      return 1;
    }
  } else if (std::fflush(stdout) != 0 && errno != EPIPE) {
    Message("cannot write the clean text: " + std::string(std::strerror(errno)));
    return 1;
  }
  return failed_ ? 1 : 0;
}

int PageRun::Run() {
  int exit = 0;
  if (!Prepare(&exit)) return exit;
  for (const std::string& p : problems_) Message(p);
  failed_ = static_cast<int>(problems_.size());
  // The progress line: for several inputs whose clean text does not go to
  // the terminal.
  bool live = !o_.quiet && isatty(STDERR_FILENO) && inputs_.size() > 1 &&
              (!o_.out_dir.empty() || !o_.output.empty() || !isatty(STDOUT_FILENO));
  progress_ = std::make_unique<Progress>(live, 0);
  // -j N: N cleaners (no more than inputs), results written in input order.
  size_t jobs = o_.jsonl.jobs ? o_.jsonl.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = std::max<size_t>(1, std::min(jobs, inputs_.size()));
  for (size_t w = 0; w < jobs; ++w)
    workers_.push_back(std::make_unique<PageWorker>(rules_, base_, source_, o_, model_));
  std::vector<PageOutcome> window(kWindowPerJob * jobs);
  bool stopped = false;
  RunOrdered(
      inputs_.size(), static_cast<int>(jobs), window.size(),
      [&](int w, size_t k) {
        PageOutcome& out = window[k % window.size()];
        out.messages.clear();  // cleared, not replaced: the buffers are reused
        out.text.clear();
        out.failed = out.resumed = out.cleaned = false;
        out.bytes = 0;
        Clean(*workers_[w], k, &out);
      },
      [&](size_t k) { return Emit(k, window[k % window.size()], &exit) || !(stopped = true); });
  return stopped ? exit : Finish();
}

}  // namespace

int RunPages(const CliOptions& o, const RuleSet& rules, const Options& base, const Source* source,
             const PageModel& model) {
  return PageRun(o, rules, base, source, model).Run();
}

}  // namespace clean
