#include "cleaner/cli/cli.h"

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <string_view>

namespace clean {

namespace {

struct Flag {
  std::string_view shorthand;  // "-o" or ""
  std::string_view name;       // "--output"
  std::string_view arg;        // "FILE", or "" for a switch
  std::string_view help;
  std::function<bool(CliOptions*, const std::string&, std::string*)> apply;
};

bool ParseKeep(CliOptions* o, const std::string& v, std::string* err) {
  size_t start = 0;
  while (start <= v.size()) {
    size_t comma = v.find(',', start);
    if (comma == std::string::npos) comma = v.size();
    std::string name = v.substr(start, comma - start);
    auto c = ParseClass(name);
    if (!c) {
      *err = "--keep: unknown class '" + name +
             "' (title, meta, headline_list, navigation, caption, ad)";
      return false;
    }
    o->keep.keep[static_cast<int>(*c)] = true;
    start = comma + 1;
  }
  return true;
}

// A whole number in [lo, hi] for a flag's value.
template <typename T>
bool ParseCount(const std::string& v, const char* flag, int64_t lo, int64_t hi, T* out,
                std::string* err) {
  char* end = nullptr;
  errno = 0;
  long long n = std::strtoll(v.c_str(), &end, 10);
  if (v.empty() || *end || errno || n < lo || n > hi) {
    *err = std::string(flag) + ": expected a whole number from " + std::to_string(lo) + ", got '" +
           v + "'";
    return false;
  }
  *out = static_cast<T>(n);
  return true;
}

// The flag table: one entry per flag (name, argument, help, setter). It is
// data, so it is long; --help, the man page and the completions read it.
const std::vector<Flag>& Flags() {
  static const std::vector<Flag> kFlags = {
      {"-o", "--output", "FILE",
       "write the clean text to FILE instead of stdout (not with --out-dir)",
       [](CliOptions* o, const std::string& v, std::string*) {
         o->output = v;
         return true;
       }},
      {"", "--source", "NAME",
       "use the rules of rules/NAME.rules (default: detect the source from the rule files' "
       "fingerprints, else generic rules only)",
       [](CliOptions* o, const std::string& v, std::string*) {
         o->source = v;
         return true;
       }},
      {"", "--rules", "DIR",
       "rules directory (default: the project's rules/ next to the executable, or the "
       "installed share/clean/rules)",
       [](CliOptions* o, const std::string& v, std::string*) {
         o->rules_dir = v;
         return true;
       }},
      {"", "--rules-extra", "DIR",
       "also load the source rule files of DIR (written by `clean learn`); a source that the "
       "rules directory has too keeps the rules directory's file",
       [](CliOptions* o, const std::string& v, std::string*) {
         o->rules_extra = v;
         return true;
       }},
      {"", "--report", "FILE",
       "write the removal report (JSON, see rules/README.md) of the one input to FILE "
       "(with --out-dir each input's report is DIR/NAME.report.json); JSONL: the span "
       "report, a directory with --out-dir",
       [](CliOptions* o, const std::string& v, std::string*) {
         o->report = v;
         return true;
       }},
      {"", "--explain", "",
       "instead of the clean text, print every input line with its class and the rule or "
       "heuristic that decided it (+ kept, - removed); for HTML, also its element's path "
       "(@ /html/body/...)",
       [](CliOptions* o, const std::string&, std::string*) {
         o->explain = true;
         return true;
       }},
      {"", "--input", "FORMAT",
       "html, text or auto (default): auto reads .html/.htm files and inputs that start like "
       "HTML as HTML, everything else as text",
       [](CliOptions* o, const std::string& v, std::string* err) {
         if (v == "html")
           o->input = InputFormat::kHtml;
         else if (v == "text")
           o->input = InputFormat::kText;
         else if (v == "auto")
           o->input = InputFormat::kAuto;
         else {
           *err = "--input: unknown format '" + v + "' (html, text, auto)";
           return false;
         }
         return true;
       }},
      {"", "--encoding", "NAME",
       "decode every page from the charset NAME (an iconv name: windows-1251, shift_jis, "
       "gb18030, ...) instead of finding it: HTML pages by BOM, UTF-8, declared charset, "
       "libuchardet's guess, else windows-1252; text pages as UTF-8",
       [](CliOptions* o, const std::string& v, std::string* err) {
         if (!CharsetKnown(v)) {
           *err = "--encoding: unknown charset '" + v + "' (see iconv --list)";
           return false;
         }
         o->encoding = v;
         return true;
       }},
      {"", "--model", "none|PATH",
       "the trained line scorer (rules/model/README.md): after every other stage it may veto "
       "lines kept as body, reported as model.NAME with their score (default: none, the "
       "heuristics alone)",
       [](CliOptions* o, const std::string& v, std::string*) {
         o->model = v;
         return true;
       }},
      {"", "--features", "",
       "instead of the clean text, print the line scorer's feature rows (tab-separated, a "
       "header first; README, Training the line scorer)",
       [](CliOptions* o, const std::string&, std::string*) {
         o->features = true;
         return true;
       }},
      {"", "--stage-times", "",
       "at the end, print the seconds spent per stage (decode, parse: prescan and gumbo, copy, "
       "xpath, linearize, classify, write) on stderr",
       [](CliOptions* o, const std::string&, std::string*) {
         o->stage_times = true;
         return true;
       }},
      {"", "--keep", "CLASSES",
       "also keep these classes in the clean text, comma-separated (e.g. title,meta)", ParseKeep},
      {"", "--out-dir", "DIR",
       "for several inputs or a directory (walked recursively; the outputs mirror its tree): "
       "write DIR/NAME.txt and DIR/NAME.report.json per input",
       [](CliOptions* o, const std::string& v, std::string*) {
         o->out_dir = v;
         return true;
       }},
      {"", "--no-prefilter", "",
       "match every rule regex with PCRE2 alone, without the one-pass Hyperscan prefilter "
       "(slower, same output; for checking and benchmarking); JSONL too",
       [](CliOptions* o, const std::string&, std::string*) {
         o->prefilter = false;
         return true;
       }},
      {"", "--resume", "",
       "with --out-dir: skip each input whose NAME.report.json is already in DIR (written "
       "last, so its NAME.txt is complete too); an interrupted batch goes on where it "
       "stopped; JSONL: skip each input whose DIR/NAME (and report) are there",
       [](CliOptions* o, const std::string&, std::string*) {
         o->resume = true;
         return true;
       }},
      {"", "--durable", "",
       "fsync each output file before renaming it into place, and its directory after, so "
       "that a complete output survives a power loss (slower: see README, Reliability)",
       [](CliOptions* o, const std::string&, std::string*) {
         o->durable = true;
         return true;
       }},
      {"", "--check-rules", "",
       "load and validate every rule file, run their embedded expectations, report all "
       "problems and exit (0 when all is well, 2 otherwise)",
       [](CliOptions* o, const std::string&, std::string*) {
         o->check_rules = true;
         return true;
       }},
      {"", "--list-sources", "", "list the sources of the rules directory and exit",
       [](CliOptions* o, const std::string&, std::string*) {
         o->list_sources = true;
         return true;
       }},
      // --- JSONL mode (jsonl_run.h) ---
      {"", "--jsonl", "",
       "inputs are JSONL records (one JSON object per line): clean each record's text field "
       "in place and add a summary object; other fields are kept as they are",
       [](CliOptions* o, const std::string&, std::string*) {
         o->jsonl.enabled = true;
         return true;
       }},
      {"", "--text-field", "NAME", "JSONL: the field holding the page's text (default: text)",
       [](CliOptions* o, const std::string& v, std::string*) {
         o->jsonl.text_field = v;
         return true;
       }},
      {"", "--html-field", "NAME",
       "JSONL: the field holding the page's HTML, when records have one",
       [](CliOptions* o, const std::string& v, std::string*) {
         o->jsonl.html_field = v;
         return true;
       }},
      {"", "--id-field", "NAME", "JSONL: the field that keys the report lines (default: id)",
       [](CliOptions* o, const std::string& v, std::string*) {
         o->jsonl.id_field = v;
         return true;
       }},
      {"", "--source-field", "NAME", "JSONL: a field naming the record's source (rules/NAME.rules)",
       [](CliOptions* o, const std::string& v, std::string*) {
         o->jsonl.source_field = v;
         return true;
       }},
      {"", "--url-field", "NAME",
       "JSONL: a field holding the page's URL; its host picks the source by the rule files' "
       "`domain`",
       [](CliOptions* o, const std::string& v, std::string*) {
         o->jsonl.url_field = v;
         return true;
       }},
      {"", "--summary-key", "NAME", "JSONL: where the summary object goes (default: clean)",
       [](CliOptions* o, const std::string& v, std::string*) {
         o->jsonl.summary_key = v;
         return true;
       }},
      {"", "--rejects", "FILE", "JSONL: write malformed lines, verbatim, to FILE",
       [](CliOptions* o, const std::string& v, std::string*) {
         o->jsonl.rejects = v;
         return true;
       }},
      {"", "--stats", "FILE", "JSONL: write counts per class, rule and source for the run to FILE",
       [](CliOptions* o, const std::string& v, std::string*) {
         o->jsonl.stats = v;
         return true;
       }},
      {"-j", "--jobs", "N",
       "worker threads, for pages and JSONL records (default: the number "
       "of cores); the output is the same for any N",
       [](CliOptions* o, const std::string& v, std::string* e) {
         return ParseCount(v, "--jobs", 1, 4096, &o->jsonl.jobs, e);
       }},
      {"", "--max-bytes", "N", "JSONL: a record whose text is longer is over the limit",
       [](CliOptions* o, const std::string& v, std::string* e) {
         int64_t n = 0;
         if (!ParseCount(v, "--max-bytes", 1, INT64_MAX, &n, e)) return false;
         o->jsonl.max_bytes = static_cast<size_t>(n);
         return true;
       }},
      {"", "--time-budget", "MS",
       "JSONL: a record whose cleaning (decoding, parsing, rules, heuristics) takes longer is "
       "over the limit; its cleaning stops at the next stage",
       [](CliOptions* o, const std::string& v, std::string* e) {
         int64_t n = 0;
         if (!ParseCount(v, "--time-budget", 1, INT64_MAX, &n, e)) return false;
         o->jsonl.time_budget_ms = static_cast<double>(n);
         return true;
       }},
      {"", "--over-limit", "pass|drop",
       "JSONL: a record over a limit (--max-bytes, --time-budget, html_max_bytes) is passed "
       "through unchanged (default) or dropped; both are marked in its summary and report line",
       [](CliOptions* o, const std::string& v, std::string* e) {
         if (v != "pass" && v != "drop") {
           *e = "--over-limit: expected pass or drop, got '" + v + "'";
           return false;
         }
         o->jsonl.drop_over_limit = v == "drop";
         return true;
       }},
      // --- end of JSONL mode ---
      {"-q", "--quiet", "", "no progress line and no warnings, only errors",
       [](CliOptions* o, const std::string&, std::string*) {
         o->quiet = true;
         return true;
       }},
      {"-h", "--help", "", "show this help and exit",
       [](CliOptions* o, const std::string&, std::string*) {
         o->help = true;
         return true;
       }},
      {"-V", "--version", "", "show the version and exit",
       [](CliOptions* o, const std::string&, std::string*) {
         o->version = true;
         return true;
       }},
  };
  return kFlags;
}

}  // namespace

bool ParseArgs(int argc, char** argv, CliOptions* out, std::string* error) {
  bool only_inputs = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (only_inputs || a == "-" || a.empty() || a[0] != '-') {
      out->inputs.push_back(a);
      continue;
    }
    if (a == "--") {
      only_inputs = true;
      continue;
    }
    std::string value;
    bool has_value = false;
    if (a.rfind("--", 0) == 0) {
      size_t eq = a.find('=');
      if (eq != std::string::npos) {
        value = a.substr(eq + 1);
        a.resize(eq);
        has_value = true;
      }
    } else if (a.size() > 2) {
      // A short option with its value attached: -j4, -oout.txt.
      for (const Flag& f : Flags())
        if (!f.shorthand.empty() && !f.arg.empty() && a.rfind(f.shorthand, 0) == 0) {
          value = a.substr(f.shorthand.size());
          a = f.shorthand;
          has_value = true;
          break;
        }
    }
    const Flag* flag = nullptr;
    for (const Flag& f : Flags())
      if (a == f.name || (!f.shorthand.empty() && a == f.shorthand)) flag = &f;
    if (!flag) {
      *error = "unknown option '" + a + "' (see clean --help)";
      return false;
    }
    if (!flag->arg.empty() && !has_value) {
      if (i + 1 >= argc) {
        *error = "option '" + a + "' needs a value: " + std::string(flag->arg);
        return false;
      }
      value = argv[++i];
    } else if (flag->arg.empty() && has_value) {
      *error = "option '" + a + "' takes no value";
      return false;
    }
    if (!flag->apply(out, value, error)) return false;
    out->given.emplace_back(flag->name, a);
  }
  return true;
}

std::vector<std::string> FlagNames() {
  std::vector<std::string> names;
  for (const Flag& f : Flags()) names.emplace_back(f.name);
  return names;
}

std::string HelpText() {
  std::string s =
      "usage: clean [OPTIONS] [FILE|DIR|-]...\n"
      "\n"
      "Removes boilerplate (navigation, headline lists, captions, ads, metadata) from\n"
      "scraped news pages given as HTML or as plain text (one page block per line),\n"
      "and accounts for every removed line in a report: its class and the rule or\n"
      "heuristic that removed it (for HTML, also the element's path). With no input,\n"
      "or '-', reads stdin. The clean text holds the body lines in order, each as in\n"
      "the input less surrounding whitespace.\n"
      "\n"
      "options:\n";
  for (const Flag& f : Flags()) {
    std::string left = "  ";
    left += f.shorthand.empty() ? "    " : std::string(f.shorthand) + ", ";
    left += f.name;
    if (!f.arg.empty()) left.append(" ").append(f.arg);
    if (left.size() < 26)
      left.append(26 - left.size(), ' ');
    else
      left.append("\n").append(26, ' ');
    // Wrap the help text within 80 columns (at most 79 characters a line).
    std::string_view h = f.help;
    size_t col = 26;
    std::string line = left;
    while (!h.empty()) {
      size_t sp = h.find(' ');
      std::string_view word = h.substr(0, sp);
      if (col > 26 && col + 1 + word.size() > 79) {
        line.append("\n").append(26, ' ');
        col = 26;
      } else if (col > 26) {
        line += ' ';
        ++col;
      }
      line += word;
      col += word.size();
      if (sp == std::string_view::npos) break;
      h.remove_prefix(sp + 1);
    }
    s.append(line).append("\n");
  }
  s += "\n"
       "classes: body, title, meta, headline_list, navigation, caption, ad\n"
       "\n"
       "modes: page mode (each input a page; -o or stdout), page mode with --out-dir,\n"
       "JSONL mode (--jsonl; the flags marked JSONL need it), JSONL mode with\n"
       "--out-dir, --check-rules, --list-sources. A flag that has no effect in the\n"
       "chosen mode is a usage error naming the flag and the mode.\n"
       "\n"
       "exit status: 0 every input cleaned; 1 some input failed (the others are still\n"
       "cleaned); 2 usage or rule-file error. Messages on stderr start with 'clean:'.\n"
       "\n"
       "limits per page (rule-file options: set NAME VALUE; README: Reliability):\n"
       "  max_page_bytes (64 MiB), html_max_bytes (32 MiB of HTML as UTF-8): a larger\n"
       "    page fails with a message (JSONL: the record is over the limit)\n"
       "  html_max_attributes (256), html_max_tag_bytes (1 MiB): a tag's attributes\n"
       "    past them are dropped before parsing (report: parse_limits)\n"
       "  html_max_depth (512): start tags nested deeper are dropped (text kept)\n"
       "  page_time_budget_ms (10 s), over every stage: past it, rule matching and\n"
       "    an HTML page's second rendering are skipped (report: budget_exceeded)\n"
       "\n"
       "examples:\n"
       "  clean --source upi page.txt         clean one page with the UPI rules\n"
       "  clean page.txt --report page.json   auto-detect the source, write a report\n"
       "  clean --explain page.txt | less     see why each line was kept or removed\n"
       "  clean --out-dir out/ pages/         clean a directory\n"
       "  clean --check-rules                 validate the rule files\n"
       "  clean --jsonl -j 4 in.jsonl.zst -o out.jsonl.zst --report spans.jsonl\n"
       "                                      clean JSONL records (README: JSONL mode)\n"
       "\n"
       "The rule format and the report are documented in rules/README.md.\n";
  return s;
}

}  // namespace clean
