#include "cleaner/cli/batch.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>

#include "cleaner/cli/expectations.h"
#include "cleaner/report/explain.h"
#include "cleaner/report/feature_rows.h"
#include "cleaner/cli/jsonl_run.h"
#include "cleaner/io/byte_stream.h"
#include "cleaner/io/input_dir.h"
#include "cleaner/cli/output_guard.h"
#include "cleaner/ruleset/regex_lint.h"
#include "cleaner/report/report.h"

namespace clean {

namespace fs = std::filesystem;

namespace {

void Message(const std::string& s) { std::fprintf(stderr, "clean: %s\n", s.c_str()); }

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

struct Input {
  std::string path;  // "-" for stdin
  std::string name;  // file name without extension, for --out-dir
};

// Expands directories (their regular files, sorted, hidden ones skipped;
// an entry that cannot be read is a problem in *problems, input_dir.h).
bool ExpandInputs(const std::vector<std::string>& given, bool have_out_dir,
                  std::vector<Input>* out, std::vector<std::string>* problems,
                  std::string* error) {
  for (const auto& g : given) {
    std::error_code ec;
    if (g != "-" && fs::is_directory(g, ec)) {
      if (!have_out_dir) {
        *error = g + ": is a directory; give --out-dir DIR to clean every file in it";
        return false;
      }
      std::vector<std::string> files;
      ListInputDir(g, &files, problems);
      out->reserve(out->size() + files.size());
      for (auto& f : files) {
        std::string stem = fs::path(StripCompression(f)).stem().string();
        out->push_back({std::move(f), std::move(stem)});
      }
      continue;
    }
    out->push_back({g, g == "-" ? "stdin" : fs::path(StripCompression(g)).stem().string()});
  }
  return true;
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

}  // namespace

std::string DefaultRulesDir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path dir = exe.parent_path();
    for (const fs::path& c : {dir / "rules", dir.parent_path() / "rules",
                              dir.parent_path() / "share" / "clean" / "rules"})
      if (fs::is_regular_file(c / "generic.rules", ec)) return c.string();
  }
  return CLEAN_SOURCE_RULES_DIR;
}

namespace {
// The CLI's rule set lives until the process ends: freeing it (PCRE2's JIT
// code, the prefilter's tables) took about 3 ms of every run and gives
// nothing back. Parked in a static, so leak checkers still see it.
struct KeepUntilExit {
  void operator()(RuleSet* r) const {
    [[maybe_unused]] static RuleSet* volatile kept = nullptr;  // volatile: the store stays
    kept = r;
  }
};
}  // namespace

// Builds the prefilters before the first page (a large rule set takes a
// while when the cache is cold: better at start-up than mid-batch), and
// says so on stderr when the rules hold over kPrefilterNoticeRegexes
// regexes.
constexpr size_t kPrefilterNoticeRegexes = 2000;
static void BuildPrefilters(const RuleSet& rules, const Source* source, bool quiet) {
  const size_t n = rules.PrefilterRegexes(source);
  RuleSet::PrefilterProgress say = nullptr;
  if (n > kPrefilterNoticeRegexes && !quiet) {
    Message("compiling the prefilters of " + std::to_string(n) +
            " regexes (milliseconds each when not cached; cached for the next run)");
    say = [](size_t done, size_t total, const std::string& name, size_t regexes) {
      Message("prefilter " + std::to_string(done + 1) + "/" + std::to_string(total) + ": " + name +
              " (" + std::to_string(regexes) + " regexes)");
    };
  }
  rules.BuildPrefilters(source, say);
}

int RunCli(const CliOptions& o) {
  std::signal(SIGPIPE, SIG_IGN);
  std::string rules_dir = o.rules_dir.empty() ? DefaultRulesDir() : o.rules_dir;
  Options base;
  Diagnostics diags;
  std::unique_ptr<RuleSet, KeepUntilExit> rules(RuleSet::Load(rules_dir, base, &diags).release());
  if (!rules) {
    std::fputs(diags.Format().c_str(), stderr);
    size_t errors = 0;
    for (const auto& d : diags.items) errors += !d.warning;
    Message(std::to_string(errors) + " error(s) in the rules of " + rules_dir);
    return 2;
  }
  if (!o.quiet && !diags.items.empty()) std::fputs(diags.Format().c_str(), stderr);

  if (o.check_rules) {
    Diagnostics lint;  // patterns likely to backtrack badly: warnings only
    LintRuleDir(rules_dir, &lint);
    std::fputs(lint.Format().c_str(), stderr);
    Diagnostics check;
    size_t n = CheckExpectations(*rules, base, &check);
    std::fputs(check.Format().c_str(), stderr);
    size_t rule_count = rules->generic().layer.rules.size();
    for (const auto& s : rules->sources()) rule_count += s.layer.rules.size();
    if (check.HasErrors()) {
      Message(std::to_string(check.items.size()) + " of " + std::to_string(n) +
              " expectation(s) failed");
      return 2;
    }
    std::fprintf(stdout, "clean: rules OK: %zu source(s) + generic, %zu rule(s), %zu expectation(s) passed\n",
                 rules->sources().size(), rule_count, n);
    return 0;
  }
  if (o.list_sources) {
    for (const auto& s : rules->sources()) {
      std::string domains;
      for (const auto& d : s.domains) domains += " " + d;
      std::printf("%-24s %s%s%s\n", s.name.c_str(), s.file.c_str(),
                  domains.empty() ? "" : "  domains:", domains.c_str());
    }
    return 0;
  }

  const Source* source = nullptr;
  if (!o.source.empty()) {
    source = rules->FindSource(o.source);
    if (!source) {
      std::string names;
      for (const auto& s : rules->sources()) names += (names.empty() ? "" : ", ") + s.name;
      Message("unknown source '" + o.source + "' (sources in " + rules_dir + ": " + names + ")");
      return 2;
    }
  }

  std::unique_ptr<LineModel> model;
  uint32_t model_decider = 0;
  if (o.model != "none") {
    if (o.jsonl.enabled) {
      Message("--model does not apply to --jsonl yet");
      return 2;
    }
    Diagnostics model_diags;
    if (!(model = LineModel::Load(o.model, &model_diags))) {
      std::fputs(model_diags.Format().c_str(), stderr);
      return 2;
    }
    model_decider = rules->AddDecider(
        Decider::Make(Decider::Kind::kModel, model->id(), model->file(), model->name_line()));
  }
  if (o.features && (o.jsonl.enabled || o.explain)) {
    Message("--features does not go with --jsonl or --explain");
    return 2;
  }

  if (o.prefilter) BuildPrefilters(*rules, source, o.quiet);
  if (o.jsonl.enabled) return RunJsonl(o, *rules, base, source);  // JSONL mode (jsonl_run.h)

  std::vector<std::string> given = o.inputs;
  if (given.empty()) given.push_back("-");
  std::vector<Input> inputs;
  std::vector<std::string> problems;  // entries of input directories that cannot be read
  std::string error;
  if (!ExpandInputs(given, !o.out_dir.empty() || o.features, &inputs, &problems, &error)) {
    Message(error);
    return 2;
  }
  if (o.resume && o.out_dir.empty()) {
    Message("--resume needs --out-dir DIR (it skips inputs whose outputs are in DIR)");
    return 2;
  }
  if (o.out_dir.empty() && !o.report.empty() && inputs.size() > 1) {
    Message("--report takes one input; for several, use --out-dir DIR (a report per input)");
    return 2;
  }
  if (!CheckOutputs(o, given, inputs, &error)) {
    Message(error);
    return 2;
  }
  OutputOptions file_options;
  file_options.durable = o.durable;
  OutputDir out_dir;  // --out-dir: opened once for all the outputs
  out_dir.set_durable(o.durable);
  if (!o.out_dir.empty()) {
    std::error_code ec;
    fs::create_directories(o.out_dir, ec);
    if (ec || !fs::is_directory(o.out_dir, ec)) {
      Message("cannot create output directory " + o.out_dir + ": " + ec.message());
      return 2;
    }
    if (!out_dir.Open(o.out_dir, &error)) {
      Message("cannot open output directory " + o.out_dir + ": " + error);
      return 2;
    }
  }

  // -o FILE (byte_stream.h): written to a temporary file and renamed when
  // complete, compressed for NAME.gz / NAME.zst; else stdout.
  std::unique_ptr<OutputStream> file_out;
  if (!o.output.empty() && o.out_dir.empty() &&
      !(file_out = OpenOutput(o.output, &error, file_options))) {
    Message("cannot write " + o.output + ": " + error);
    return 2;
  }
  for (const std::string& p : problems) Message(p);

  Cleaner cleaner(*rules, base, source);
  cleaner.set_prefilter(o.prefilter);
  cleaner.set_input_format(o.input);
  cleaner.set_model(model.get(), model_decider);
  cleaner.set_features(o.features);
  bool feature_header = false;  // written once to stdout or -o; per file with --out-dir
  double write_seconds = 0;
  bool progress = !o.quiet && !o.out_dir.empty() && isatty(STDERR_FILENO) && inputs.size() > 1;
  auto last_progress = std::chrono::steady_clock::now();
  int failed = static_cast<int>(problems.size());
  size_t resumed = 0;
  std::string bytes, text, report;
  std::vector<uint8_t> duplicate_name = MarkDuplicateNames(inputs);
  for (size_t k = 0; k < inputs.size(); ++k) {
    const Input& in = inputs[k];
    std::string shown = in.path == "-" ? "<stdin>" : in.path;
    if (!o.out_dir.empty() && duplicate_name[k]) {
      Message(shown + ": an earlier input has the same output name " + in.name + ".txt in " +
              o.out_dir + "; skipped");
      ++failed;
      continue;
    }
    // --resume: the report is renamed into place after the text, so its
    // presence means both outputs are complete.
    std::error_code ec;
    if (o.resume && in.path != "-" &&
        fs::is_regular_file(fs::path(o.out_dir) / (in.name + ".report.json"), ec) &&
        fs::is_regular_file(fs::path(o.out_dir) / (in.name + ".txt"), ec)) {
      ++resumed;
      continue;
    }
    if (!ReadAnyInput(in.path, &bytes, &error)) {  // .gz and .zst too (byte_stream.h)
      Message(shown + ": " + error);
      ++failed;
      continue;
    }
    CleanResult r;
    if (!cleaner.Clean(shown, bytes, &r, &error)) {
      Message(shown + ": " + error);
      ++failed;
      continue;
    }
    if (r.page->invalid_utf8 && !o.quiet)
      Message(shown + ": warning: " + std::to_string(r.page->invalid_utf8) +
              " invalid UTF-8 sequence(s) replaced by U+FFFD");
    if (!r.work->scan.limits.empty() && !o.quiet)
      Message(shown + ": warning: a rule regex hit the PCRE2 match limit on " +
              std::to_string(r.work->scan.limits.size()) + " line(s); see the report");
    if (r.html && r.html->stats.capped_tags > 0 && !o.quiet)
      Message(shown + ": warning: " + std::to_string(r.html->stats.capped_attributes) +
              " attribute(s) of " + std::to_string(r.html->stats.capped_tags) +
              " tag(s) over html_max_attributes or html_max_tag_bytes dropped before "
              "parsing; see the report");
    if (r.over_time_budget && !o.quiet)
      Message(shown + ": warning: the page time budget (page_time_budget_ms " +
              std::to_string(r.time_budget_ms) +
              ") ran out; rule matching was cut short, see the report");
    auto write_start = std::chrono::steady_clock::now();
    text.clear();
    if (o.features) {
      if (!feature_header || !o.out_dir.empty()) AppendFeatureHeader(&text);
      feature_header = true;
      AppendFeatureRows(r, in.name, &text);
    } else if (o.explain) {
      WriteExplain(r, o.keep, &text);
    } else {
      WriteCleanText(r, o.keep, &text);
    }
    // The report is written (streamed) after the clean text.
    if (!o.out_dir.empty()) {
      if (!WriteFile(out_dir, o.out_dir, in.name + ".txt", Bytes(text), &error) ||
          !WriteFile(out_dir, o.out_dir, in.name + ".report.json", Report(r, o.keep, &report),
                     &error)) {
        Message(shown + ": " + error);
        ++failed;
        continue;
      }
    } else {
      if (file_out ? !file_out->Write(text, &error) : !WriteAll(stdout, text)) {
        if (errno == EPIPE) return failed ? 1 : 0;  // the reader went away: stop quietly
        if (!file_out) error = std::strerror(errno);
        Message("cannot write " + (file_out ? o.output : "the clean text") + ": " + error);
        return 1;  // file_out, unclosed, removes its temporary file
      }
      if (!o.report.empty() &&
          !WriteFile(o.report, Report(r, o.keep, &report), file_options, &error)) {
        Message(shown + ": " + error);
        ++failed;
      }
    }
    write_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - write_start).count();
    if (progress) {
      auto now = std::chrono::steady_clock::now();
      if (now - last_progress > std::chrono::milliseconds(200) || k + 1 == inputs.size()) {
        std::fprintf(stderr, "\rclean: %zu/%zu inputs, %d failed", k + 1, inputs.size(), failed);
        last_progress = now;
      }
    }
  }
  if (progress) std::fputc('\n', stderr);
  if (o.stage_times) {
    const StageTimes& t = cleaner.times();
    std::fprintf(stderr,
                 "clean: stage seconds: decode %.3f parse %.3f copy %.3f xpath %.3f "
                 "linearize %.3f classify %.3f write %.3f\n",
                 t.decode, t.parse, t.copy, t.xpath, t.linearize, t.classify, write_seconds);
  }
  if (resumed && !o.quiet)
    Message("--resume: " + std::to_string(resumed) + " input(s) already complete in " + o.out_dir +
            ", skipped");
  if (file_out) {
    if (!file_out->Close(&error)) {
      Message("cannot write " + o.output + ": " + error);
      return 1;
    }
  } else if (std::fflush(stdout) != 0 && errno != EPIPE) {
    Message("cannot write the clean text: " + std::string(std::strerror(errno)));
    return 1;
  }
  return failed ? 1 : 0;
}

}  // namespace clean
