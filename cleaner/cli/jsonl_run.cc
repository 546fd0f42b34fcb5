#include "cleaner/cli/jsonl_run.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <thread>

#include "cleaner/cli/inputs.h"
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
  ChunkCompressor chunk_compressor() const override { return s_->chunk_compressor(); }
  bool WriteChunk(std::string_view chunk, std::string* error) override {
    return s_->WriteChunk(chunk, error) || Keep(*error);
  }
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
                  const std::vector<Input>& inputs, std::string* error) {
  OutputGuard guard(given);
  if (!o.jsonl.rejects.empty() && !guard.AddFile("--rejects", o.jsonl.rejects, error)) return false;
  if (!o.jsonl.stats.empty() && !guard.AddFile("--stats", o.jsonl.stats, error)) return false;
  if (o.out_dir.empty())
    return (o.output.empty() || guard.AddFile("-o", o.output, error)) &&
           (o.report.empty() || guard.AddFile("--report", o.report, error));
  // --out-dir D (and --report R, a directory): D/NAME for each input NAME.
  for (const auto& [flag, dir] : {std::pair{"--out-dir", o.out_dir}, {"--report", o.report}}) {
    std::vector<std::string> in_dir;
    if (dir.empty()) continue;
    if (!guard.AddDir(flag, dir, &in_dir, error)) return false;
    for (const Input& in : inputs) {
      const std::string& name = in.name;
      if (std::find(in_dir.begin(), in_dir.end(), name) != in_dir.end()) {
        *error = std::string(flag) + " " + dir + ": the output " + name + " of " + in.path +
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

bool CleanJsonlFile(JsonlPipeline* pipeline, const std::string& in_path,
                    const std::string& out_path, const std::string& report_path,
                    OutputStream* rejects, std::string* error, const OutputOptions& options) {
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
    std::string failed =
        WriteFailure(out.get(), out_path) + WriteFailure(report.get(), report_path);
    *error = failed.empty() ? in_path + ": " + *error : failed;
    return false;
  }
  if (!out->Close(error) || (report && !report->Close(error))) {
    *error = WriteFailure(out.get(), out_path) + WriteFailure(report.get(), report_path);
    return false;
  }
  return true;
}

namespace {

// One run of JSONL mode: its inputs, outputs, pipeline and progress line.
class JsonlRun {
 public:
  JsonlRun(const CliOptions& o, const RuleSet& rules, const Options& base, const Source* source,
           const PageModel& model)
      : o_(o), rules_(rules), base_(base), source_(source), model_(model) {}
  int Run();

 private:
  // Inputs, output checks, the output directories and the shared outputs:
  // false with the exit code in *exit.
  bool Prepare(int* exit);
  // Sets up the pipeline and the progress line over `total` file bytes.
  void StartPipeline(uint64_t total);
  // Cleans one input into its own outputs (--out-dir), or into the shared
  // ones: false with the exit code in *exit when the run must stop.
  bool RunFile(const Input& in, int* exit);
  bool RunStream(const std::string& in, int* exit);
  // Closes the outputs, writes --stats and the summary line.
  int Finish();
  // The failed writes of the run's shared outputs, or empty.
  std::string OutputFailure() const;
  int Failed() const { return failed_ || pipeline_->stats().rejected ? 1 : 0; }

  const CliOptions& o_;
  const RuleSet& rules_;
  const Options& base_;
  const Source* source_;
  const PageModel& model_;
  std::vector<Input> inputs_;
  std::vector<std::string> problems_;  // entries of input directories that cannot be read
  OutputOptions file_options_;
  std::unique_ptr<JsonlPipeline> pipeline_;
  std::unique_ptr<Progress> progress_;
  std::unique_ptr<Watched> out_, report_, rejects_;
  std::string out_shown_;
  std::vector<std::string> used_;  // --out-dir: the output names written so far
  int failed_ = 0;
  size_t resumed_ = 0;         // --resume: inputs skipped, their outputs complete
  uint64_t raw_before_ = 0;    // file bytes of the inputs done
  uint64_t bytes_before_ = 0;  // uncompressed bytes of the inputs done
  LineReader* current_ = nullptr;
};

bool JsonlRun::Prepare(int* exit) {
  *exit = 2;
  // Inputs: files and "-"; a directory's regular files, sorted.
  std::vector<std::string> given = o_.inputs;
  if (given.empty()) given.push_back("-");
  ExpandInputs(given, {o_.out_dir, o_.report}, "JSONL files", &inputs_, &problems_);
  for (Input& in : inputs_)
    if (in.path == "-") in.name = "stdin.jsonl";
  std::string error;
  if (!CheckOutputs(o_, given, inputs_, &error)) {
    Message(error);
    return false;
  }
  *exit = 1;  // an output that cannot be created: as a failed write (README)
  file_options_.durable = o_.durable;
  if (!o_.out_dir.empty()) {
    for (const std::string& dir : {o_.out_dir, o_.report}) {
      if (dir.empty()) continue;
      std::error_code ec;
      fs::create_directories(dir, ec);
      if (ec || !fs::is_directory(dir, ec)) {
        Message("cannot create directory " + dir + ": " + ec.message());
        return false;
      }
    }
  }
  uint64_t total = 0;
  for (const auto& in : inputs_) {
    std::error_code ec;
    if (in.path == "-") {
      total = 0;
      break;
    }
    total += fs::file_size(in.path, ec);
  }
  StartPipeline(total);
  if (!o_.jsonl.rejects.empty() && !(rejects_ = Open(o_.jsonl.rejects, &error, file_options_))) {
    Message(error);
    return false;
  }
  if (o_.out_dir.empty()) {
    if (!(out_ = Open(o_.output.empty() ? "-" : o_.output, &error, file_options_)) ||
        (!o_.report.empty() && !(report_ = Open(o_.report, &error, file_options_)))) {
      Message(error);
      return false;
    }
  }
  out_shown_ = o_.output.empty() || o_.output == "-" ? "the clean text" : o_.output;
  return true;
}

void JsonlRun::StartPipeline(uint64_t total) {
  int jobs = o_.jsonl.jobs ? o_.jsonl.jobs : std::max(1u, std::thread::hardware_concurrency());
  JsonlOptions options = o_.jsonl;
  options.prefilter = o_.prefilter;
  options.model = model_.model.get();
  options.model_decider = model_.decider;
  pipeline_ = std::make_unique<JsonlPipeline>(rules_, base_, source_, o_.keep, options, jobs);
  progress_ = std::make_unique<Progress>(!o_.quiet && isatty(STDERR_FILENO), total);
  pipeline_->on_reject = [this](const std::string& m) {
    progress_->Finish();
    Message(m);
  };
  pipeline_->on_progress = [this](const RunStats& s, uint64_t bytes) {
    // The reader runs ahead of the written results by the window: scale its
    // file position by the share of what it read that is written.
    uint64_t raw = 0;
    if (current_ && current_->bytes())
      raw = static_cast<uint64_t>(static_cast<double>(current_->raw_position()) *
                                  static_cast<double>(bytes - bytes_before_) /
                                  static_cast<double>(current_->bytes()));
    progress_->Update(s, bytes, raw_before_ + raw);
  };
}

std::string JsonlRun::OutputFailure() const {
  // A failed write to one of the run's outputs: it stops the run, and no
  // file output of it is put in place (they are removed unclosed).
  return WriteFailure(out_.get(), out_shown_) + WriteFailure(report_.get(), o_.report) +
         WriteFailure(rejects_.get(), o_.jsonl.rejects);
}

bool JsonlRun::RunFile(const Input& input, int* exit) {
  const std::string& in = input.path;
  const std::string& name = input.name;
  if (std::find(used_.begin(), used_.end(), name) != used_.end()) {
    Message(in + ": another input already wrote " + name + " in " + o_.out_dir + "; skipped");
    ++failed_;
    return true;
  }
  used_.push_back(name);
  std::string out = (fs::path(o_.out_dir) / name).string();
  std::string report = o_.report.empty() ? "" : (fs::path(o_.report) / name).string();
  // --resume: CleanJsonlFile renames the report into place after the
  // output, so both there means both are complete.
  std::error_code ec;
  if (o_.resume && in != "-" && fs::is_regular_file(out, ec) &&
      (report.empty() || fs::is_regular_file(report, ec))) {
    ++resumed_;
    return true;
  }
  if (name.find('/') != std::string::npos) {  // --out-dir mirrors the input tree
    for (const std::string& path : {out, report})
      if (!path.empty()) fs::create_directories(fs::path(path).parent_path(), ec);
  }
  // current_ is not tracked here: progress counts whole files.
  OutputOptions options = file_options_;
  options.regular_only = true;  // no FIFO or device under an output's name
  std::string error;
  if (!CleanJsonlFile(pipeline_.get(), in, out, report, rejects_.get(), &error, options)) {
    progress_->Finish();
    std::string stop = OutputFailure();  // --rejects: shared by every input
    Message(stop.empty() ? error : stop);
    if (!stop.empty()) {
      *exit = 1;
      return false;
    }
    ++failed_;
  }
  if (in != "-") raw_before_ += fs::file_size(in, ec);
  return true;
}

bool JsonlRun::RunStream(const std::string& in, int* exit) {
  std::string shown = in == "-" ? "<stdin>" : in;
  std::string error;
  auto stream = OpenInput(in, &error);
  if (!stream) {
    Message(shown + ": " + error);
    ++failed_;
    return true;
  }
  LineReader reader(std::move(stream));
  current_ = &reader;
  JsonlPipeline::Sinks sinks{out_.get(), report_.get(), rejects_.get()};
  bool ok = pipeline_->Run(shown, &reader, sinks, &error);
  raw_before_ += reader.raw_position();
  bytes_before_ = pipeline_->input_bytes();
  current_ = nullptr;
  if (ok) return true;
  progress_->Finish();
  if (errno == EPIPE) {  // the reader went away: stop quietly
    *exit = Failed();
    return false;
  }
  std::string stop = OutputFailure();
  if (!stop.empty()) {
    Message(stop);
    *exit = 1;
    return false;
  }
  Message(shown + ": " + error);
  ++failed_;
  return true;
}

int JsonlRun::Finish() {
  progress_->Finish();
  std::string error;
  for (Watched* s : {out_.get(), report_.get(), rejects_.get()}) {
    if (s && !s->Close(&error)) {
      if (errno == EPIPE) return Failed();
      Message(OutputFailure());
      return 1;  // the outputs not closed yet are removed
    }
  }
  const RunStats& stats = pipeline_->stats();
  if (!o_.jsonl.stats.empty()) {
    std::string json;
    stats.WriteJson(rules_, &json);
    auto s = Open(o_.jsonl.stats, &error, file_options_);
    if (!s) {
      Message(error);
      return 1;
    }
    if (!s->Write(json, &error) || !s->Close(&error)) {
      Message(WriteFailure(s.get(), o_.jsonl.stats));
      return 1;
    }
  }
  if (resumed_ && !o_.quiet)
    Message("--resume: " + std::to_string(resumed_) + " input(s) already complete in " +
            o_.out_dir + ", skipped");
  if (!o_.quiet) Message(progress_->SummaryLine(stats, pipeline_->input_bytes()));
  return Failed();
}

int JsonlRun::Run() {
  int exit = 0;
  if (!Prepare(&exit)) return exit;
  for (const std::string& p : problems_) Message(p);
  failed_ = static_cast<int>(problems_.size());
  for (const Input& in : inputs_)
    if (!(o_.out_dir.empty() ? RunStream(in.path, &exit) : RunFile(in, &exit))) return exit;
  return Finish();
}

}  // namespace

int RunJsonl(const CliOptions& o, const RuleSet& rules, const Options& base, const Source* source,
             const PageModel& model) {
  return JsonlRun(o, rules, base, source, model).Run();
}

}  // namespace clean
