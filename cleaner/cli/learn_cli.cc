#include "cleaner/cli/learn_cli.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>
#include <filesystem>
#include <thread>
#include <string>
#include <vector>

#include "cleaner/cli/batch.h"
#include "cleaner/cli/ordered_pool.h"
#include "cleaner/cli/progress.h"
#include "cleaner/io/byte_stream.h"
#include "cleaner/io/input_dir.h"
#include "cleaner/io/line_reader.h"
#include "cleaner/json/json_scan.h"
#include "cleaner/learn/learner.h"
#include "cleaner/learn/rule_writer.h"

namespace clean {

namespace {

namespace fs = std::filesystem;

// Messages about single pages; past this many, only the count at the end.
constexpr int kMaxPageMessages = 20;

struct LearnCli {
  std::vector<std::string> inputs;
  std::string out_dir, rules_dir, source;
  std::string url_field = "url", source_field, text_field = "text", html_field;
  bool jsonl = false, quiet = false, help = false;
  int jobs = 0;  // 0: the number of cores
  InputFormat input = InputFormat::kAuto;
  LearnOptions learn;
};

const char kHelp[] =
    "usage: clean learn [OPTIONS] -o DIR INPUT...\n"
    "\n"
    "Learns per-source rule files from a corpus: groups the pages by source (the\n"
    "registered domain of their URL, or a source field) and, for each source with\n"
    "enough pages, writes DIR/SOURCE.rules with a `line` rule for every line that\n"
    "recurs on its pages (exactly or up to digits and dates), its class guessed\n"
    "from the classifier and the line's place (navigation above the article,\n"
    "headline_list for runs of headlines below it, ad/meta from the vocabulary\n"
    "rules/learn/vocabulary.txt), a `section` rule where two recurring lines\n"
    "enclose a block of changing lines (a \"Most read\" header, its teasers, a fixed\n"
    "line after them), and an `expect` line for each. A recurring line\n"
    "the classifier kept as body on most pages, or that a section of the shipped\n"
    "rules decided there, is written commented out. Use the\n"
    "files with `clean --rules-extra DIR`. INPUTs: files (text or HTML),\n"
    "directories, or JSONL records (--jsonl, or names ending in .jsonl, .jsonl.gz,\n"
    ".jsonl.zst). Memory is bounded (--max-lines), whatever the corpus size.\n"
    "\n"
    "options:\n"
    "  -o, --out-dir DIR       write the rule files here (created if needed)\n"
    "  --jsonl                 inputs are JSONL records\n"
    "  --url-field NAME        JSONL: the field holding the page's URL (default: url)\n"
    "  --source-field NAME     JSONL: a field naming the source instead of the URL\n"
    "  --text-field NAME       JSONL: the page's text (default: text)\n"
    "  --html-field NAME       JSONL: the page's HTML, when records have one\n"
    "  --source NAME           every page is of source NAME (files without URLs)\n"
    "  --input FORMAT          files: html, text or auto (default, as clean)\n"
    "  --rules DIR             the rules the pages are classified with (as clean)\n"
    "  --min-pages N           sources with fewer pages get no file (default: 5)\n"
    "  --min-share S           a line recurs on at least this share of its source's\n"
    "                          pages, and on two at least (default: 0.3)\n"
    "  --body-share S          a recurring line kept as body on more than this share\n"
    "                          of its pages is written commented out (default: 0.5)\n"
    "  --mirror-share S        a source whose recurring lines make this share of its\n"
    "                          lines copies one page: no file (default: 0.9)\n"
    "  --max-lines N           distinct lines counted per source (default: 4096)\n"
    "  --max-lines-total N     distinct lines counted in all (default: 2000000)\n"
    "  --max-rules N           rules written per source at most (default: 400)\n"
    "  --section-min-lines N   a section is learned where two recurring lines enclose\n"
    "                          at least N changing lines, none body, title or prose,\n"
    "                          on --min-share of the pages (default: 2)\n"
    "  --section-max-lines N   ... and at most N of them (default: 40)\n"
    "  -j, --jobs N            pages are cleaned on N threads (default: the number of\n"
    "                          cores); the files are the same for any N\n"
    "  -q, --quiet             no progress line and no summary, only errors\n"
    "  -h, --help              show this help and exit\n"
    "\n"
    "exit status: 0 every page used; 1 some page or input could not be used (no\n"
    "URL, unreadable, bad JSON: the others still count); 2 usage or rule error.\n"
    "The learned file format is documented in rules/README.md.\n";

bool Number(const std::string& v, const char* flag, double lo, double hi, double* out,
            std::string* err) {
  char* end = nullptr;
  errno = 0;
  double x = std::strtod(v.c_str(), &end);
  if (v.empty() || *end || errno || !(x >= lo && x <= hi)) {
    *err = std::string(flag) + ": expected a number from " + std::to_string(lo) + " to " +
           std::to_string(hi) + ", got '" + v + "'";
    return false;
  }
  *out = x;
  return true;
}

// One branch per flag of `clean learn`, in --help's order: long because the
// flags are many, not because any branch is.
bool Parse(int argc, char** argv, LearnCli* o, std::string* err) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.empty() || a[0] != '-' || a == "-") {
      o->inputs.push_back(a);
      continue;
    }
    if (a == "-h" || a == "--help") {
      o->help = true;
      continue;
    }
    if (a == "-q" || a == "--quiet") {
      o->quiet = true;
      continue;
    }
    if (a == "--jsonl") {
      o->jsonl = true;
      continue;
    }
    if (a == "--") {
      for (++i; i < argc; ++i) o->inputs.push_back(argv[i]);
      break;
    }
    std::string v;
    if (size_t eq = a.find('='); a.rfind("--", 0) == 0 && eq != std::string::npos) {
      v = a.substr(eq + 1);
      a.resize(eq);
    } else if (i + 1 < argc) {
      v = argv[++i];
    } else {
      *err = "learn: option '" + a + "' needs a value (see clean learn --help)";
      return false;
    }
    double x = 0;
    if (a == "-o" || a == "--out-dir")
      o->out_dir = v;
    else if (a == "--url-field")
      o->url_field = v;
    else if (a == "--source-field")
      o->source_field = v;
    else if (a == "--text-field")
      o->text_field = v;
    else if (a == "--html-field")
      o->html_field = v;
    else if (a == "--source")
      o->source = v;
    else if (a == "--rules")
      o->rules_dir = v;
    else if (a == "--input") {
      if (v == "html")
        o->input = InputFormat::kHtml;
      else if (v == "text")
        o->input = InputFormat::kText;
      else if (v == "auto")
        o->input = InputFormat::kAuto;
      else {
        *err = "learn: --input: unknown format '" + v + "' (html, text, auto)";
        return false;
      }
    } else if (a == "--min-pages") {
      if (!Number(v, "learn: --min-pages", 2, 1e9, &x, err)) return false;
      o->learn.min_pages = static_cast<int>(x);
    } else if (a == "--min-share") {
      if (!Number(v, "learn: --min-share", 0, 1, &x, err)) return false;
      o->learn.min_share = x;
    } else if (a == "--body-share") {
      if (!Number(v, "learn: --body-share", 0, 1, &x, err)) return false;
      o->learn.body_share = x;
    } else if (a == "--mirror-share") {
      if (!Number(v, "learn: --mirror-share", 0, 1, &x, err)) return false;
      o->learn.mirror_share = x;
    } else if (a == "--max-lines") {
      if (!Number(v, "learn: --max-lines", 16, 1e9, &x, err)) return false;
      o->learn.max_lines_per_source = static_cast<size_t>(x);
    } else if (a == "--max-lines-total") {
      if (!Number(v, "learn: --max-lines-total", 16, 1e12, &x, err)) return false;
      o->learn.max_lines_total = static_cast<size_t>(x);
    } else if (a == "--max-rules") {
      if (!Number(v, "learn: --max-rules", 1, 10000, &x, err)) return false;
      o->learn.max_rules = static_cast<int>(x);
    } else if (a == "-j" || a == "--jobs") {
      if (!Number(v, "learn: --jobs", 1, 4096, &x, err)) return false;
      o->jobs = static_cast<int>(x);
    } else if (a == "--section-min-lines") {
      if (!Number(v, "learn: --section-min-lines", 1, 10000, &x, err)) return false;
      o->learn.section_min_lines = static_cast<int>(x);
    } else if (a == "--section-max-lines") {
      if (!Number(v, "learn: --section-max-lines", 1, 10000, &x, err)) return false;
      o->learn.section_max_lines = static_cast<int>(x);
    } else {
      *err = "learn: unknown option '" + a + "' (see clean learn --help)";
      return false;
    }
  }
  if (o->help) return true;
  if (o->out_dir.empty())
    *err = "learn: -o DIR is required (where the rule files go)";
  else if (o->inputs.empty())
    *err = "learn: no input (files, directories or JSONL)";
  else
    return true;
  return false;
}

bool IsJsonlName(const std::string& path) {
  std::string_view p = StripCompression(path);
  return p.ends_with(".jsonl") || p.ends_with(".ndjson");
}

// With -j N, pages are read (cleaned) by N workers in batches of at most
// kBatchPagesPerJob pages or kBatchBytesPerJob input bytes per worker (the
// memory they hold), and counted on the calling thread in input order.
constexpr size_t kBatchPagesPerJob = 64;
constexpr size_t kBatchBytesPerJob = 8 << 20;

class Run {
 public:
  Run(const LearnCli& o, Learner* learner, int jobs, Progress* progress)
      : o_(o), learner_(learner), jobs_(jobs), progress_(progress) {
    for (int w = 0; w < jobs; ++w) cleaners_.push_back(learner->NewCleaner());
  }

  void Page(const std::string& name, std::string_view bytes, InputFormat format,
            std::string_view url, std::string_view source, bool valid_utf8) {
    ++pages_;
    bytes_ += bytes.size();
    if (jobs_ == 1) {
      std::string error;
      if (learner_->Read(cleaners_[0].get(), name, bytes, format, valid_utf8, url, source, &page_,
                         &error))
        Counted(bytes.size());
      else
        Report(name + ": " + error);
      return;
    }
    Item& item = batch_.emplace_back();
    item.name = name;
    item.bytes = bytes;
    item.format = format;
    item.valid_utf8 = valid_utf8;
    item.url = url;
    item.source = source;
    batch_bytes_ += bytes.size();
    if (batch_.size() >= kBatchPagesPerJob * jobs_ || batch_bytes_ >= kBatchBytesPerJob * jobs_)
      Flush();
  }

  // An input or record that gives no page; reported in input order.
  void Failed(const std::string& what) {
    if (jobs_ == 1) return Report(what);
    batch_.emplace_back().failure = what;
  }

  // Reads and counts the pages held (with -j N).
  void Flush() {
    RunOrdered(
        batch_.size(), jobs_, std::max<size_t>(batch_.size(), 1),
        [&](int w, size_t i) {
          Item& it = batch_[i];
          if (it.failure.empty())
            it.ok = learner_->Read(cleaners_[w].get(), it.name, it.bytes, it.format, it.valid_utf8,
                                   it.url, it.source, &it.lines, &it.error);
        },
        [&](size_t i) {
          Item& it = batch_[i];
          if (!it.failure.empty())
            Report(it.failure);
          else if (!it.ok)
            Report(it.name + ": " + it.error);
          else
            learner_->Add(it.lines);
          if (it.failure.empty() && it.ok) Progressed(it.bytes.size());
          return true;
        });
    batch_.clear();
    batch_bytes_ = 0;
  }

  void File(const std::string& path) {
    std::string bytes, error;
    if (!ReadAnyInput(path, &bytes, &error)) return Failed(path + ": " + error);
    raw_before_ += bytes.size();
    Page(path, bytes, o_.input, {}, o_.source, false);
  }

  void Jsonl(const std::string& path) {
    std::string error;
    auto in = OpenInput(path, &error);
    if (!in) return Failed(path + ": " + error);
    LineReader reader(std::move(in));
    reader_ = &reader;
    std::string_view line;
    JsonObjectScan scan;
    size_t line_no = 0;
    std::string read_error;
    while (reader.Next(&line, &read_error)) {
      ++line_no;
      const std::string where = path + ":" + std::to_string(line_no);
      if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      if (!ScanJsonObject(line, &scan, &error)) {
        ++pages_;
        Failed(where + ": bad JSON: " + error);
        continue;
      }
      auto field = [&](const std::string& key) -> std::string_view {
        const JsonMember* m = key.empty() ? nullptr : FindMember(line, scan, key);
        return m && m->type == JsonType::kString ? scan.Decoded(*m) : std::string_view();
      };
      const JsonMember* html =
          o_.html_field.empty() ? nullptr : FindMember(line, scan, o_.html_field);
      const JsonMember* text = FindMember(line, scan, o_.text_field);
      const JsonMember* page = html && html->type == JsonType::kString ? html : text;
      if (!page || page->type != JsonType::kString) {
        ++pages_;
        Failed(where + ": no string field '" + o_.text_field + "'" +
               (o_.html_field.empty() ? "" : " or '" + o_.html_field + "'"));
        continue;
      }
      std::string_view source = o_.source.empty() ? field(o_.source_field) : o_.source;
      // Text decoded from validated JSON strings is valid UTF-8.
      Page(where, scan.Decoded(*page), page == html ? InputFormat::kHtml : InputFormat::kText,
           field(o_.url_field), source, true);
    }
    raw_before_ += reader.raw_position();
    reader_ = nullptr;
    if (!read_error.empty()) Failed(path + ": " + read_error);
  }

  void Input(const std::string& path) {
    std::error_code ec;
    if (path != "-" && fs::is_directory(path, ec)) {
      std::vector<std::string> files, problems;
      ListInputDir(path, &files, &problems);
      for (const auto& p : problems) Failed(p);
      for (const auto& f : files) Input(f);
      return;
    }
    if (o_.jsonl || IsJsonlName(path))
      Jsonl(path);
    else
      File(path);
  }

  size_t pages() const { return pages_; }
  size_t failed() const { return failed_; }

 private:
  struct Item {
    std::string name, bytes, url, source;
    InputFormat format = InputFormat::kAuto;
    bool valid_utf8 = false, ok = false;
    std::string failure;  // not a page: the message
    std::string error;    // Read's
    PageLines lines;
  };

  void Counted(size_t bytes) {
    learner_->Add(page_);
    Progressed(bytes);
  }

  // A page of `bytes` counted. The reader runs ahead of the counted pages
  // by a batch: its file position is scaled by the share of what it read
  // that is counted.
  void Progressed(size_t bytes) {
    ++counted_;
    counted_bytes_ += bytes;
    RunStats stats;
    stats.records = counted_;
    const uint64_t raw = raw_before_ + (reader_ ? reader_->raw_position() : 0);
    progress_->Update(stats, counted_bytes_,
                      bytes_ ? static_cast<uint64_t>(static_cast<double>(raw) * counted_bytes_ /
                                                     static_cast<double>(bytes_))
                             : 0);
  }

  void Report(const std::string& what) {
    if (++failed_ > kMaxPageMessages) return;
    progress_->Clear();
    std::fprintf(stderr, "clean: %s\n", what.c_str());
  }

  const LearnCli& o_;
  Learner* learner_;
  const int jobs_;
  Progress* progress_;
  std::vector<std::unique_ptr<Cleaner>> cleaners_;
  PageLines page_;
  std::vector<Item> batch_;
  size_t batch_bytes_ = 0;
  size_t pages_ = 0, failed_ = 0, counted_ = 0;
  uint64_t bytes_ = 0, counted_bytes_ = 0, raw_before_ = 0;  // bytes_: read
  const LineReader* reader_ = nullptr;
};

// The inputs' file sizes, for the progress line's ETA; 0 (none) when one
// is not a regular file (a directory, stdin).
uint64_t InputBytes(const std::vector<std::string>& inputs) {
  uint64_t total = 0;
  for (const auto& in : inputs) {
    std::error_code ec;
    if (in == "-" || !fs::is_regular_file(in, ec)) return 0;
    total += fs::file_size(in, ec);
  }
  return total;
}

// Writes the rule files; returns the files written, or -1 on a write error.
int WriteFiles(const LearnCli& o, const std::vector<LearnedSource>& sources) {
  std::error_code ec;
  fs::create_directories(o.out_dir, ec);
  OutputDir dir;
  std::string error;
  if (!dir.Open(o.out_dir, &error)) {
    std::fprintf(stderr, "clean: cannot open output directory %s: %s\n", o.out_dir.c_str(),
                 error.c_str());
    return -1;
  }
  std::string corpus;
  for (const auto& in : o.inputs) {
    if (!corpus.empty()) corpus += ' ';
    for (char c : in) corpus.push_back(static_cast<unsigned char>(c) < 0x20 ? '?' : c);
  }
  int written = 0;
  for (const LearnedSource& s : sources) {
    if (s.outcome != LearnedSource::Outcome::kRules) continue;
    const std::string name = s.name + ".rules";
    const std::string text = WriteLearnedRules(s, o.learn, corpus);
    auto out = dir.OpenOutput(name, &error);
    if (!out || !out->Write(text, &error) || !out->Close(&error)) {
      std::fprintf(stderr, "clean: cannot write %s: %s\n", (fs::path(o.out_dir) / name).c_str(),
                   error.c_str());
      return -1;
    }
    ++written;
  }
  return written;
}

}  // namespace

int RunLearn(int argc, char** argv) {
  LearnCli o;
  std::string error;
  if (!Parse(argc, argv, &o, &error)) {
    std::fprintf(stderr, "clean: %s\n", error.c_str());
    return 2;
  }
  if (o.help) {
    std::fputs(kHelp, stdout);
    return 0;
  }
  const std::string rules_dir = o.rules_dir.empty() ? DefaultRulesDir() : o.rules_dir;
  Diagnostics diags;
  std::unique_ptr<RuleSet> rules = RuleSet::Load(rules_dir, Options(), &diags);
  LearnVocabulary vocab;
  const fs::path vocab_path = fs::path(rules_dir) / "learn" / "vocabulary.txt";
  vocab.Load(vocab_path.string(), vocab_path.string(), &diags);
  if (!rules || diags.HasErrors()) {
    std::fputs(diags.Format().c_str(), stderr);
    std::fprintf(stderr, "clean: errors in the rules of %s\n", rules_dir.c_str());
    return 2;
  }
  Learner learner(*rules, vocab, o.learn);
  const int jobs =
      o.jobs ? o.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  Progress progress(!o.quiet && isatty(STDERR_FILENO), InputBytes(o.inputs));
  Run run(o, &learner, jobs, &progress);
  for (const auto& in : o.inputs) run.Input(in);
  run.Flush();
  progress.Finish();
  const std::vector<LearnedSource> sources = learner.Finish();
  size_t few = 0, nothing = 0;
  for (const LearnedSource& s : sources) {
    few += s.outcome == LearnedSource::Outcome::kTooFewPages;
    nothing += s.outcome == LearnedSource::Outcome::kNothing;
    if (s.outcome == LearnedSource::Outcome::kMirror)
      std::fprintf(stderr,
                   "clean: learn: %s: recurring lines make %.0f%% of its %u pages' lines (copies "
                   "of one page?): no rules written\n",
                   s.name.c_str(), 100 * s.coverage, s.pages);
  }
  const int written = WriteFiles(o, sources);
  if (written < 0) return 1;
  if (run.failed() > static_cast<size_t>(kMaxPageMessages))
    std::fprintf(stderr, "clean: learn: %zu more pages or inputs could not be used\n",
                 run.failed() - kMaxPageMessages);
  if (!o.quiet)
    std::fprintf(stderr,
                 "clean: learn: %zu pages (%zu not used), %zu sources: %d rule files written to "
                 "%s, %zu with fewer than %d pages, %zu without recurring lines\n",
                 run.pages(), run.failed(), sources.size(), written, o.out_dir.c_str(), few,
                 o.learn.min_pages, nothing);
  return run.failed() ? 1 : 0;
}

}  // namespace clean
