#include "cleaner/batch.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "cleaner/expectations.h"
#include "cleaner/explain.h"
#include "cleaner/jsonl_run.h"
#include "cleaner/byte_stream.h"
#include "cleaner/regex_lint.h"
#include "cleaner/report.h"

namespace clean {

namespace fs = std::filesystem;

namespace {

void Message(const std::string& s) { std::fprintf(stderr, "clean: %s\n", s.c_str()); }

// Writes all of `data` to `f`; false on error (a closed pipe included).
bool WriteAll(FILE* f, const std::string& data) {
  return data.empty() || std::fwrite(data.data(), 1, data.size(), f) == data.size();
}

// Through byte_stream's file output: written to NAME.tmp and renamed when
// complete (a run cut short never leaves a truncated output), compressed
// when the name ends in .gz or .zst.
bool WriteFile(const fs::path& path, const std::string& data, std::string* error) {
  std::string why;
  auto out = OpenOutput(path.string(), &why);
  if (out && out->Write(data, &why) && out->Close(&why)) return true;
  *error = "cannot write " + path.string() + ": " + why;
  return false;  // an unclosed output removes its temporary file
}

// The same for NAME in --out-dir (`shown`: the directory as given).
bool WriteFile(const OutputDir& dir, const std::string& shown, const std::string& name,
               const std::string& data, std::string* error) {
  std::string why;
  auto out = dir.OpenOutput(name, &why);
  if (out && out->Write(data, &why) && out->Close(&why)) return true;
  *error = "cannot write " + (fs::path(shown) / name).string() + ": " + why;
  return false;
}

struct Input {
  std::string path;  // "-" for stdin
  std::string name;  // file name without extension, for --out-dir
};

// Expands directories (their regular files, sorted, hidden ones skipped).
bool ExpandInputs(const std::vector<std::string>& given, bool have_out_dir,
                  std::vector<Input>* out, std::string* error) {
  for (const auto& g : given) {
    std::error_code ec;
    if (g != "-" && fs::is_directory(g, ec)) {
      if (!have_out_dir) {
        *error = g + ": is a directory; give --out-dir DIR to clean every file in it";
        return false;
      }
      // Plain strings, not fs::path (which keeps a parsed copy of every
      // component): a directory may hold millions of files.
      std::vector<std::string> files;
      for (const auto& e : fs::directory_iterator(g, ec))
        if (e.is_regular_file() && e.path().filename().string()[0] != '.')
          files.push_back(e.path().string());
      std::sort(files.begin(), files.end());
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

  if (o.jsonl.enabled) return RunJsonl(o, *rules, base, source);  // JSONL mode (jsonl_run.h)

  std::vector<std::string> given = o.inputs;
  if (given.empty()) given.push_back("-");
  std::vector<Input> inputs;
  std::string error;
  if (!ExpandInputs(given, !o.out_dir.empty(), &inputs, &error)) {
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
  OutputDir out_dir;  // --out-dir: opened once for all the outputs
  if (!o.out_dir.empty()) {
    std::error_code ec;
    fs::create_directories(o.out_dir, ec);
    if (ec || !fs::is_directory(o.out_dir)) {
      Message("cannot create output directory " + o.out_dir + ": " + ec.message());
      return 2;
    }
    if (!out_dir.Open(o.out_dir, &error)) {
      Message("cannot open output directory " + o.out_dir + ": " + error);
      return 2;
    }
  }

  FILE* text_out = stdout;
  std::unique_ptr<OutputStream> packed_out;  // -o NAME.gz / NAME.zst (byte_stream.h)
  if (!o.output.empty() && o.out_dir.empty() && CompressionOf(o.output) != Compression::kNone) {
    if (!(packed_out = OpenOutput(o.output, &error))) {
      Message("cannot write " + o.output + ": " + error);
      return 2;
    }
  } else if (!o.output.empty() && o.out_dir.empty()) {
    text_out = std::fopen(o.output.c_str(), "wb");
    if (!text_out) {
      Message("cannot write " + o.output + ": " + std::strerror(errno));
      return 2;
    }
  }

  Cleaner cleaner(*rules, base, source);
  cleaner.set_prefilter(o.prefilter);
  cleaner.set_input_format(o.input);
  double write_seconds = 0;
  bool progress = !o.quiet && !o.out_dir.empty() && isatty(STDERR_FILENO) && inputs.size() > 1;
  auto last_progress = std::chrono::steady_clock::now();
  int failed = 0;
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
    if (o.resume && in.path != "-" &&
        fs::is_regular_file(fs::path(o.out_dir) / (in.name + ".report.json")) &&
        fs::is_regular_file(fs::path(o.out_dir) / (in.name + ".txt"))) {
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
    if (o.explain) WriteExplain(r, o.keep, &text);
    else WriteCleanText(r, o.keep, &text);
    bool want_report = !o.report.empty() || !o.out_dir.empty();
    report.clear();
    if (want_report) WriteReport(r, o.keep, &report);

    if (!o.out_dir.empty()) {
      if (!WriteFile(out_dir, o.out_dir, in.name + ".txt", text, &error) ||
          !WriteFile(out_dir, o.out_dir, in.name + ".report.json", report, &error)) {
        Message(shown + ": " + error);
        ++failed;
        continue;
      }
    } else {
      if (packed_out ? !packed_out->Write(text, &error) : !WriteAll(text_out, text)) {
        if (errno == EPIPE) return failed ? 1 : 0;  // the reader went away: stop quietly
        Message("cannot write " + (text_out == stdout ? "the clean text" : o.output) + ": " +
                std::strerror(errno));
        return 1;
      }
      if (!o.report.empty() && !WriteFile(o.report, report, &error)) {
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
  if (packed_out) {
    if (!packed_out->Close(&error)) {
      Message("cannot write " + o.output + ": " + error);
      return 1;
    }
  } else if (text_out != stdout) {
    if (std::fclose(text_out) != 0) {
      Message("cannot write " + o.output + ": " + std::strerror(errno));
      return 1;
    }
  } else if (std::fflush(stdout) != 0 && errno != EPIPE) {
    Message("cannot write the clean text: " + std::string(std::strerror(errno)));
    return 1;
  }
  return failed ? 1 : 0;
}

}  // namespace clean
