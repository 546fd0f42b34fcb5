// The cleaner: one page in, one decision stream out. Tests, the CLI and the
// batch runner all call this.
#pragma once
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "cleaner/classify/classifier.h"
#include "cleaner/classify/dom_heuristics.h"
#include "cleaner/classify/line_features_model.h"
#include "cleaner/classify/line_model.h"
#include "cleaner/html/html_page.h"
#include "cleaner/text/page.h"
#include "cleaner/match/regex.h"
#include "cleaner/ruleset/rule_set.h"

namespace clean {

// Which classes go to the clean text (body always).
struct KeepSet {
  bool keep[kNumClasses] = {true, false, false, false, false, false, false};
  bool Has(LineClass c) const { return keep[static_cast<int>(c)]; }
};

// The outcome for one page. Views into the Cleaner's buffers: valid until
// its next Clean call.
struct CleanResult {
  const RuleSet* rules = nullptr;
  const Page* page = nullptr;
  const PageWork* work = nullptr;
  const Source* source = nullptr;  // null: generic rules only
  std::string_view detected_by;    // "option", "field", "domain", "fingerprint" or "none"
  uint32_t detect_decider = 0;     // the fingerprint, when detected_by == "fingerprint"
  std::string_view language;       // stop-word language, or "" when unknown
  // Per line, the score the span report gives its span (a model's, where
  // one scored it); null, a NaN entry or a line past its end: 1.0.
  const std::vector<float>* line_scores = nullptr;
  const HtmlPage* html = nullptr;   // HTML input: the DOM side of the page; null for text
  const DomMatches* dom = nullptr;  // HTML input: what the DOM decisions matched
  int time_budget_ms = 0;           // the page_time_budget_ms that applied
  // It ran out: the stages after it were cut short (rule matches skipped,
  // the HTML reader's second rendering skipped).
  bool over_time_budget = false;
  // With set_features: the model's feature rows of the page, before the
  // model (null otherwise).
  const ModelFeatureExtractor* features = nullptr;
  // With a model: per line, the score of each line it scored (NaN: none);
  // the model, and the rows it scored (row() null for the lines it did not).
  const std::vector<float>* model_scores = nullptr;
  const LineModel* model = nullptr;
  const ModelFeatureExtractor* model_rows = nullptr;
  const std::vector<Decision>& decisions() const { return work->decisions; }
};

// How inputs are read: as plain text, as HTML, or by their name and bytes
// (LooksLikeHtml).
enum class InputFormat { kText, kHtml, kAuto };

class Cleaner {
 public:
  // `source`: clean every page with that source's rules; null: detect it
  // from the fingerprints (when `detect`), else use the generic rules only.
  Cleaner(const RuleSet& rules, const Options& base, const Source* source, bool detect = true);
  ~Cleaner();

  // Cleans one page. Returns false with *error set when the input cannot be
  // cleaned (binary, over the max_page_bytes or html_max_bytes budget, past
  // the stop budget); the page is then not classified. Every stage runs
  // under page_time_budget_ms, counted from the start of the call: past it,
  // the stages after are cut short (see CleanResult::over_time_budget).
  // `hint` (JSONL mode: a record's source field or URL domain) is the page's
  // source unless the Cleaner was given one; `hint_by` ("field", "domain")
  // is reported as detected_by and must be a string literal.
  bool Clean(std::string_view name, std::string_view bytes, CleanResult* out, std::string* error,
             const Source* hint = nullptr, std::string_view hint_by = {});

  // A budget (ms, JSONL's --time-budget; 0: none) on each Clean call from
  // its start: past it the cleaning stops at the next stage boundary (the
  // rule matching at once) and Clean fails with over_limit() "time_budget".
  void set_stop_budget_ms(double ms) { stop_budget_ms_ = ms; }
  // The limit that made the last Clean fail: "time_budget" (the stop
  // budget), "html_max_bytes", or empty (not over a limit).
  std::string_view over_limit() const { return over_limit_; }

  const RuleSet& rules() const { return rules_; }
  // Off: PCRE2 alone matches the rule regexes (see matcher_scan.h).
  void set_prefilter(bool on) { classifier_.set_prefilter(on); }
  void set_input_format(InputFormat f) { format_ = f; }
  // On: the caller vouches that plain-text input is valid UTF-8 (JSONL text
  // decoded from a validated JSON string); the reader skips its repair pass.
  void set_input_valid_utf8(bool on) { valid_utf8_ = on; }
  // Not null: plain-text input vouched valid UTF-8 also has the code point
  // spans of its lines (LineCodePointSpans of it, all lines) written to
  // *spans by the reader, in the scan that splits the lines (JSONL reports:
  // no second scan of the text); line_spans_written() says whether the
  // last Clean did.
  void set_line_spans(std::vector<CodePointSpan>* spans) { line_spans_ = spans; }
  bool line_spans_written() const { return line_spans_written_; }
  InputFormat input_format() const { return format_; }
  // A charset (an iconv name, CharsetKnown) every page is decoded from,
  // HTML and text (--encoding); empty: HTML pages find theirs
  // (charset.h), text is UTF-8.
  void set_encoding(const std::string& name) {
    encoding_ = name;
    html_reader_.set_encoding(name);
  }
  // The trained line scorer (line_model.h), applied after every other stage;
  // its vetoes are decided by `decider` (RuleSet::AddDecider). Null: none.
  void set_model(const LineModel* model, uint32_t decider) {
    model_ = model;
    model_decider_ = decider;
  }
  // On: every page's model feature rows are computed (CleanResult::features).
  void set_features(bool on) { features_on_ = on; }
  // Time per stage over every page cleaned so far (HTML stages and classify).
  const StageTimes& times() const { return times_; }

 private:
  // The PCRE2 limits and the page's deadline (from `start`) of `o`, or the
  // stop time when that comes first.
  void ApplyLimits(const Options& o, std::chrono::steady_clock::time_point start);
  // Reads bytes into page_ (and html_): false with *error set when it cannot.
  bool Read(std::string_view bytes, const Options& o, bool html,
            std::chrono::steady_clock::time_point start, std::string* error);
  // The end of the stop budget for a call started at `start`.
  std::chrono::steady_clock::time_point StopTime(std::chrono::steady_clock::time_point start) const;
  const RuleSet& rules_;
  Options base_;
  const Source* forced_;
  bool detect_;
  MatchScratch scratch_;
  Classifier classifier_;
  Page page_;
  PageWork work_;
  InputFormat format_ = InputFormat::kText;
  std::string encoding_;      // set_encoding
  std::string encoded_text_;  // a text page decoded from encoding_
  bool valid_utf8_ = false;
  std::vector<CodePointSpan>* line_spans_ = nullptr;
  bool line_spans_written_ = false;
  double stop_budget_ms_ = 0;
  std::string_view over_limit_;
  HtmlReader html_reader_;
  HtmlPage html_;
  SectionBoxes section_boxes_{html_};  // the classifier's view of html_ (section_box.h)
  DomClassifier dom_;
  StageTimes times_;
  const LineModel* model_ = nullptr;
  uint32_t model_decider_ = 0;
  bool features_on_ = false;
  ModelFeatureExtractor model_features_;
  std::vector<float> model_scores_;
};

// Writes the kept lines, one per line, each ending in '\n'.
void WriteCleanText(const CleanResult& r, const KeepSet& keep, std::string* out);

// Calls run(begin, end) for each run of kept lines of r, in order: the
// bytes [begin, end) of r.page->text, kept lines that follow each other
// there one '\n' apart (consecutive lines mostly are), with those newlines
// between them. The clean text is each run followed by '\n'.
template <typename Run>
void ForEachCleanRun(const CleanResult& r, const KeepSet& keep, Run&& run) {
  const auto& ds = r.decisions();
  const LineSpan* const spans = r.page->lines.data();
  const char* const text = r.page->text.data();
  const size_t n = ds.size();
  for (size_t i = 0; i < n; ++i) {
    if (ds[i].blank || !keep.Has(ds[i].cls)) continue;
    const uint32_t begin = spans[i].begin;
    uint32_t end = spans[i].end;
    while (i + 1 < n && !ds[i + 1].blank && keep.Has(ds[i + 1].cls) &&
           spans[i + 1].begin == end + 1 && text[end] == '\n') {
      ++i;
      end = spans[i].end;
    }
    run(begin, end);
  }
}

}  // namespace clean
