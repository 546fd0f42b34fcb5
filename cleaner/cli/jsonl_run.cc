#include "cleaner/cli/jsonl_run.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <thread>

#include "cleaner/io/input_dir.h"
#include "cleaner/cli/output_guard.h"
#include "cleaner/cli/progress.h"

namespace clean {

namespace fs = std::filesystem;

namespace {

void Message(const std::string& s) { std::fprintf(stderr, "clean: %s\n", s.c_str()); }

// An output that keeps its first write error, so that the run can name the
// output that failed ("FILE: write failed: REASON").
class Watched : public OutputStream {
 public:
  explicit Watched(std::unique_ptr<OutputStream> s) : s_(std::move(s)) {}
  bool Write(std::string_view data, std::string* error) override {
    return s_->Write(data, error) || Keep(*error);
  }
  bool Close(std::string* error) override { return s_->Close(error) || Keep(*error); }
  const std::string& failure() const { return failure_; }

 private:
  bool Keep(const std::string& error) {
    if (failure_.empty()) failure_ = error.empty() ? "unknown error" : error;
    return false;
  }
  std::unique_ptr<OutputStream> s_;
  std::string failure_;
};

std::unique_ptr<Watched> Open(const std::string& path, std::string* error,
                              const OutputOptions& options = {}) {
  auto s = OpenOutput(path, error, options);
  if (!s) {
    *error = "cannot write " + path + ": " + *error;
    return nullptr;
  }
  return std::make_unique<Watched>(std::move(s));
}

// The message for an output whose write failed, or empty.
std::string WriteFailure(const Watched* s, const std::string& shown) {
  return s && !s->failure().empty() ? shown + ": write failed: " + s->failure() : "";
}

// Refuses outputs that would replace an input or each other (output_guard.h).
bool CheckOutputs(const CliOptions& o, const std::vector<std::string>& given,
                  const std::vector<std::string>& inputs, std::string* error) {
  OutputGuard guard(given);
  if (!o.jsonl.rejects.empty() && !guard.AddFile("--rejects", o.jsonl.rejects, error))
    return false;
  if (!o.jsonl.stats.empty() && !guard.AddFile("--stats", o.jsonl.stats, error)) return false;
  if (o.out_dir.empty())
    return (o.output.empty() || guard.AddFile("-o", o.output, error)) &&
           (o.report.empty() || guard.AddFile("--report", o.report, error));
  // --out-dir D (and --report R, a directory): D/NAME for each input NAME.
  for (const auto& [flag, dir] : {std::pair{"--out-dir", o.out_dir}, {"--report", o.report}}) {
    std::vector<std::string> in_dir;
    if (dir.empty()) continue;
    if (!guard.AddDir(flag, dir, &in_dir, error)) return false;
    for (const std::string& in : inputs) {
      std::string name = in == "-" ? "stdin.jsonl" : fs::path(in).filename().string();
      if (std::find(in_dir.begin(), in_dir.end(), name) != in_dir.end()) {
        *error = std::string(flag) + " " + dir + ": the output " + name + " of " + in +
                 " would replace an input; write the outputs elsewhere";
        return false;
      }
    }
  }
  if (!o.out_dir.empty() && !o.report.empty()) {
    std::error_code ec;
    auto normal = [](const std::string& d) { return fs::path(d + "/").lexically_normal(); };
    if (fs::equivalent(o.out_dir, o.report, ec) || normal(o.out_dir) == normal(o.report)) {
      *error = "--out-dir " + o.out_dir + " and --report " + o.report +
               " are the same directory; give the reports their own";
      return false;
    }
  }
  return true;
}

}  // namespace

bool CheckJsonlOptions(const JsonlOptions& o, std::string* error) {
  if (o.text_field.empty()) *error = "--text-field must not be empty";
  else if (o.summary_key.empty()) *error = "--summary-key must not be empty";
  else if (o.summary_key == o.text_field || o.summary_key == o.html_field)
    *error = "--summary-key must differ from the text and HTML fields";
  else if (o.jobs < 0) *error = "--jobs must be at least 1";
  else return true;
  return false;
}

bool CleanJsonlFile(JsonlPipeline* pipeline, const std::string& in_path,
                    const std::string& out_path, const std::string& report_path,
                    OutputStream* rejects, std::string* error,
                    const OutputOptions& options) {
  auto in = OpenInput(in_path, error);
  if (!in) {
    *error = in_path + ": " + *error;
    return false;
  }
  LineReader reader(std::move(in));
  auto out = Open(out_path, error, options);
  if (!out) return false;
  std::unique_ptr<Watched> report;
  if (!report_path.empty() && !(report = Open(report_path, error, options))) return false;
  JsonlPipeline::Sinks sinks{out.get(), report.get(), rejects};
  // On an error the unfinished outputs are removed with their streams.
  if (!pipeline->Run(in_path, &reader, sinks, error)) {
    std::string failed = WriteFailure(out.get(), out_path) + WriteFailure(report.get(), report_path);
    *error = failed.empty() ? in_path + ": " + *error : failed;
    return false;
  }
  if (!out->Close(error) || (report && !report->Close(error))) {
    *error = WriteFailure(out.get(), out_path) + WriteFailure(report.get(), report_path);
    return false;
  }
  return true;
}

int RunJsonl(const CliOptions& o, const RuleSet& rules, const Options& base,
             const Source* source) {
  std::string error;
  if (!CheckJsonlOptions(o.jsonl, &error)) {
    Message(error);
    return 2;
  }
  if (o.explain) {
    Message("--explain does not apply to --jsonl (use --report FILE for the spans)");
    return 2;
  }
  // Inputs: files and "-"; a directory's regular files, sorted.
  std::vector<std::string> inputs;
  std::vector<std::string> problems;  // entries of input directories that cannot be read
  std::vector<std::string> given = o.inputs;
  if (given.empty()) given.push_back("-");
  for (const auto& g : given) {
    std::error_code ec;
    if (g != "-" && fs::is_directory(g, ec)) ListInputDir(g, &inputs, &problems);
    else inputs.push_back(g);
  }
  if (!CheckOutputs(o, given, inputs, &error)) {
    Message(error);
    return 2;
  }
  bool per_file = !o.out_dir.empty();
  OutputOptions file_options;
  file_options.durable = o.durable;
  if (per_file) {
    for (const std::string& dir : {o.out_dir, o.report}) {
      if (dir.empty()) continue;
      std::error_code ec;
      fs::create_directories(dir, ec);
      if (ec || !fs::is_directory(dir, ec)) {
        Message("cannot create directory " + dir + ": " + ec.message());
        return 2;
      }
    }
  }
  uint64_t total = 0;
  for (const auto& in : inputs) {
    std::error_code ec;
    if (in == "-") {
      total = 0;
      break;
    }
    total += fs::file_size(in, ec);
  }

  int jobs = o.jsonl.jobs ? o.jsonl.jobs : std::max(1u, std::thread::hardware_concurrency());
  JsonlPipeline pipeline(rules, base, source, o.keep, o.jsonl, jobs);
  bool live = !o.quiet && isatty(STDERR_FILENO);
  Progress progress(live, total);
  uint64_t raw_before = 0;  // file bytes of the inputs done
  LineReader* current = nullptr;
  pipeline.on_reject = [&](const std::string& m) {
    progress.Finish();
    Message(m);
  };
  uint64_t bytes_before = 0;  // uncompressed bytes of the inputs done
  pipeline.on_progress = [&](const RunStats& s, uint64_t bytes) {
    // The reader runs ahead of the written results by the window: scale its
    // file position by the share of what it read that is written.
    uint64_t raw = 0;
    if (current && current->bytes())
      raw = static_cast<uint64_t>(static_cast<double>(current->raw_position()) *
                                  static_cast<double>(bytes - bytes_before) /
                                  static_cast<double>(current->bytes()));
    progress.Update(s, bytes, raw_before + raw);
  };

  std::unique_ptr<Watched> out, report, rejects;
  if (!o.jsonl.rejects.empty() && !(rejects = Open(o.jsonl.rejects, &error, file_options))) {
    Message(error);
    return 2;
  }
  if (!per_file) {
    if (!(out = Open(o.output.empty() ? "-" : o.output, &error, file_options)) ||
        (!o.report.empty() && !(report = Open(o.report, &error, file_options)))) {
      Message(error);
      return 2;
    }
  }
  const std::string out_shown =
      o.output.empty() || o.output == "-" ? "the clean text" : o.output;
  // A failed write to one of the run's outputs: it stops the run, and no
  // file output of it is put in place (they are removed unclosed).
  auto output_failure = [&] {
    return WriteFailure(out.get(), out_shown) + WriteFailure(report.get(), o.report) +
           WriteFailure(rejects.get(), o.jsonl.rejects);
  };

  for (const std::string& p : problems) Message(p);
  int failed = static_cast<int>(problems.size());
  std::vector<std::string> used;
  for (const std::string& in : inputs) {
    if (per_file) {
      std::string name = in == "-" ? "stdin.jsonl" : fs::path(in).filename().string();
      if (std::find(used.begin(), used.end(), name) != used.end()) {
        Message(in + ": another input already wrote " + name + " in " + o.out_dir + "; skipped");
        ++failed;
        continue;
      }
      used.push_back(name);
      // current is not tracked here: progress counts whole files.
      OutputOptions per_file_options = file_options;
      per_file_options.regular_only = true;  // no FIFO or device under an output's name
      if (!CleanJsonlFile(&pipeline, in, (fs::path(o.out_dir) / name).string(),
                          o.report.empty() ? "" : (fs::path(o.report) / name).string(),
                          rejects.get(), &error, per_file_options)) {
        progress.Finish();
        std::string stop = output_failure();  // --rejects: shared by every input
        Message(stop.empty() ? error : stop);
        if (!stop.empty()) return 1;
        ++failed;
      }
    } else {
      auto stream = OpenInput(in, &error);
      if (!stream) {
        Message((in == "-" ? "<stdin>" : in) + ": " + error);
        ++failed;
        continue;
      }
      LineReader reader(std::move(stream));
      current = &reader;
      JsonlPipeline::Sinks sinks{out.get(), report.get(), rejects.get()};
      bool ok = pipeline.Run(in == "-" ? "<stdin>" : in, &reader, sinks, &error);
      raw_before += reader.raw_position();
      bytes_before = pipeline.input_bytes();
      current = nullptr;
      if (!ok) {
        progress.Finish();
        if (errno == EPIPE) return failed || pipeline.stats().rejected ? 1 : 0;  // reader gone: stop quietly
        std::string stop = output_failure();
        if (!stop.empty()) {
          Message(stop);
          return 1;
        }
        Message((in == "-" ? "<stdin>" : in) + ": " + error);
        ++failed;
      }
    }
    std::error_code ec;
    if (in != "-" && per_file) raw_before += fs::file_size(in, ec);
  }
  progress.Finish();
  for (Watched* s : {out.get(), report.get(), rejects.get()}) {
    if (s && !s->Close(&error)) {
      if (errno == EPIPE) return failed || pipeline.stats().rejected ? 1 : 0;
      Message(output_failure());
      return 1;  // the outputs not closed yet are removed
    }
  }
  const RunStats& stats = pipeline.stats();
  if (!o.jsonl.stats.empty()) {
    std::string json;
    stats.WriteJson(rules, &json);
    auto s = Open(o.jsonl.stats, &error, file_options);
    if (!s) {
      Message(error);
      return 1;
    }
    if (!s->Write(json, &error) || !s->Close(&error)) {
      Message(WriteFailure(s.get(), o.jsonl.stats));
      return 1;
    }
  }
  if (!o.quiet) Message(progress.SummaryLine(stats, pipeline.input_bytes()));
  return failed || stats.rejected ? 1 : 0;
}

}  // namespace clean
