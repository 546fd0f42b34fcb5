#include "cleaner/jsonl_run.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <thread>

#include "cleaner/progress.h"

namespace clean {

namespace fs = std::filesystem;

namespace {

void Message(const std::string& s) { std::fprintf(stderr, "clean: %s\n", s.c_str()); }

std::unique_ptr<OutputStream> Open(const std::string& path, std::string* error) {
  auto s = OpenOutput(path, error);
  if (!s) *error = "cannot write " + path + ": " + *error;
  return s;
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
                    OutputStream* rejects, std::string* error) {
  auto in = OpenInput(in_path, error);
  if (!in) {
    *error = in_path + ": " + *error;
    return false;
  }
  LineReader reader(std::move(in));
  auto out = Open(out_path, error);
  if (!out) return false;
  std::unique_ptr<OutputStream> report;
  if (!report_path.empty() && !(report = Open(report_path, error))) return false;
  JsonlPipeline::Sinks sinks{out.get(), report.get(), rejects};
  if (!pipeline->Run(in_path, &reader, sinks, error)) {
    *error = in_path + ": " + *error;
    return false;  // the unfinished outputs are removed with their streams
  }
  if (!out->Close(error)) {
    *error = "cannot write " + out_path + ": " + *error;
    return false;
  }
  if (report && !report->Close(error)) {
    *error = "cannot write " + report_path + ": " + *error;
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
  std::vector<std::string> given = o.inputs;
  if (given.empty()) given.push_back("-");
  for (const auto& g : given) {
    std::error_code ec;
    if (g != "-" && fs::is_directory(g, ec)) {
      std::vector<std::string> files;
      for (const auto& e : fs::directory_iterator(g, ec))
        if (e.is_regular_file() && e.path().filename().string()[0] != '.')
          files.push_back(e.path().string());
      std::sort(files.begin(), files.end());
      inputs.insert(inputs.end(), files.begin(), files.end());
    } else {
      inputs.push_back(g);
    }
  }
  bool per_file = !o.out_dir.empty();
  if (per_file) {
    for (const std::string& dir : {o.out_dir, o.report}) {
      if (dir.empty()) continue;
      std::error_code ec;
      fs::create_directories(dir, ec);
      if (ec || !fs::is_directory(dir)) {
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

  std::unique_ptr<OutputStream> out, report, rejects;
  if (!o.jsonl.rejects.empty() && !(rejects = Open(o.jsonl.rejects, &error))) {
    Message(error);
    return 2;
  }
  if (!per_file) {
    if (!(out = Open(o.output.empty() ? "-" : o.output, &error)) ||
        (!o.report.empty() && !(report = Open(o.report, &error)))) {
      Message(error);
      return 2;
    }
  }

  int failed = 0;
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
      if (!CleanJsonlFile(&pipeline, in, (fs::path(o.out_dir) / name).string(),
                          o.report.empty() ? "" : (fs::path(o.report) / name).string(),
                          rejects.get(), &error)) {
        progress.Finish();
        Message(error);
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
        Message((in == "-" ? "<stdin>" : in) + ": " + error);
        ++failed;
      }
    }
    std::error_code ec;
    if (in != "-" && per_file) raw_before += fs::file_size(in, ec);
  }
  progress.Finish();
  const std::pair<OutputStream*, std::string> outputs[] = {
      {out.get(), o.output.empty() || o.output == "-" ? "the clean text" : o.output},
      {report.get(), o.report},
      {rejects.get(), o.jsonl.rejects}};
  for (const auto& [s, shown] : outputs) {
    if (s && !s->Close(&error)) {
      if (errno == EPIPE) return failed || pipeline.stats().rejected ? 1 : 0;
      Message("cannot write " + shown + ": " + error);
      return 1;
    }
  }
  const RunStats& stats = pipeline.stats();
  if (!o.jsonl.stats.empty()) {
    std::string json;
    stats.WriteJson(rules, &json);
    auto s = Open(o.jsonl.stats, &error);
    if (!s) {
      Message(error);
      return 1;
    }
    if (!s->Write(json, &error) || !s->Close(&error)) {
      Message("cannot write " + o.jsonl.stats + ": " + error);
      return 1;
    }
  }
  if (!o.quiet) Message(progress.SummaryLine(stats, pipeline.input_bytes()));
  return failed || stats.rejected ? 1 : 0;
}

}  // namespace clean
