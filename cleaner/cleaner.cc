#include "cleaner/cleaner.h"

#include "cleaner/ruleset/url_source.h"

#include <algorithm>
#include <chrono>

namespace clean {

Cleaner::Cleaner(const RuleSet& rules, const Options& base, const Source* source, bool detect)
    : rules_(rules),
      base_(base),
      forced_(source),
      detect_(detect),
      scratch_(base.regex_match_limit, base.regex_heap_limit_kib),
      classifier_(rules, scratch_),
      dom_(rules) {
  // An XPath rule may read any attribute or text: the markup is parsed whole.
  bool xpath = !rules.generic().xpaths.empty();
  for (const Source& s : rules.sources()) xpath = xpath || !s.xpaths.empty();
  html_reader_.set_keep_markup(xpath);
}

Cleaner::~Cleaner() = default;

bool Cleaner::Clean(std::string_view name, std::string_view bytes, CleanResult* out,
                    std::string* error, const Source* hint, std::string_view hint_by) {
  page_.Clear();
  line_spans_written_ = false;
  over_limit_ = {};
  work_.scanned = nullptr;
  work_.prefiltered = false;
  page_.name = std::string(name);
  // The reader runs before the source is known: it takes the generic
  // layer's options (base + generic.rules `set`), or the forced source's.
  const Source* known = forced_ ? forced_ : hint;
  const Options& read_options = known ? known->options : rules_.generic().options;
  if (read_options.max_page_bytes > 0 &&
      bytes.size() > static_cast<size_t>(read_options.max_page_bytes)) {
    *error = std::to_string(bytes.size()) + " bytes is over the page size budget (max_page_bytes " +
             std::to_string(read_options.max_page_bytes) + "), not cleaned";
    return false;
  }
  auto start = std::chrono::steady_clock::now();
  bool html = format_ == InputFormat::kHtml ||
              (format_ == InputFormat::kAuto && LooksLikeHtml(name, bytes));
  out->html = html ? &html_ : nullptr;
  out->dom = nullptr;
  if (!Read(bytes, read_options, html, start, error)) return false;
  ApplyLimits(read_options, start);
  out->rules = &rules_;
  out->page = &page_;
  out->work = &work_;
  out->source = forced_;
  out->detected_by = forced_ ? "option" : "none";
  out->detect_decider = 0;
  if (!forced_ && hint) {
    out->source = hint;
    out->detected_by = hint_by;
  }
  if (!forced_ && detect_ && html && !out->source) {
    // HTML names its own domain (canonical URL or og:url).
    if (const Source* s = SourceForHost(rules_, html_.meta.domain)) {
      out->source = s;
      out->detected_by = "domain";
    }
  }
  if (!forced_ && detect_ && !out->source) {
    uint32_t d = 0;
    if (const Source* s = classifier_.DetectAndScan(page_, &d, &work_)) {
      out->source = s;
      out->detected_by = "fingerprint";
      out->detect_decider = d;
    }
  }
  const Options& o = out->source ? out->source->options : rules_.generic().options;
  ApplyLimits(o, start);
  auto t0 = std::chrono::steady_clock::now();
  work_.section_boxes = html ? &section_boxes_ : nullptr;
  classifier_.Classify(page_, out->source, o, &work_);
  if (html) {
    dom_.Apply(page_, html_, out->source, o, &work_, &times_);
    out->dom = &dom_.matches();
  }
  out->features = nullptr;
  out->model_scores = nullptr;
  out->model = nullptr;
  out->model_rows = nullptr;
  out->line_scores = nullptr;
  if (features_on_ || (model_ && model_->Covers(html))) {
    model_features_.Compute(page_, work_, rules_, html ? &html_ : nullptr,
                            html ? &dom_.in_main() : nullptr, /*all_lines=*/features_on_);
    if (features_on_) out->features = &model_features_;
    if (model_ && model_->Covers(html)) {
      model_->Apply(model_features_, html, rules_, model_decider_, o.model_threshold, &work_,
                    &model_scores_);
      out->model_scores = &model_scores_;
      out->model = model_;
      out->model_rows = &model_features_;
      out->line_scores = &model_scores_;  // the span report's scores (NaN: 1.0)
    }
  }
  auto done = std::chrono::steady_clock::now();
  times_.classify += std::chrono::duration<double>(done - t0).count();
  if (done > StopTime(start)) {
    over_limit_ = "time_budget";
    *error = "the time budget ran out while cleaning the page";
    return false;
  }
  out->time_budget_ms = o.page_time_budget_ms;
  out->over_time_budget = work_.scan.out_of_time || (html && html_.late) ||
                          (o.page_time_budget_ms > 0 &&
                           done > start + std::chrono::milliseconds(o.page_time_budget_ms));
  int lang = work_.features.language;
  out->language = lang >= 0 ? std::string_view(rules_.lexicon().languages()[lang]) : "";
  return true;
}

bool Cleaner::Read(std::string_view bytes, const Options& o, bool html,
                   std::chrono::steady_clock::time_point start, std::string* error) {
  if (html) {
    html_.Clear();
    ReadDeadlines when;
    if (o.page_time_budget_ms > 0)
      when.deadline = start + std::chrono::milliseconds(o.page_time_budget_ms);
    when.stop = StopTime(start);
    if (html_reader_.Read(bytes, o, &page_, &html_, &times_, error, when)) return true;
    over_limit_ = html_.over_limit;
    return false;
  }
  if (!encoding_.empty()) {
    size_t replaced = 0;
    if (DecodeCharset(bytes, CanonicalCharset(encoding_), false, &encoded_text_, &replaced))
      bytes = encoded_text_;
  }
  std::vector<CodePointSpan>* spans = valid_utf8_ ? line_spans_ : nullptr;
  if (!BuildPage(bytes, o, &page_, error, valid_utf8_, spans)) return false;
  line_spans_written_ = spans != nullptr;
  if (std::chrono::steady_clock::now() <= StopTime(start)) return true;
  over_limit_ = "time_budget";
  *error = "the time budget ran out while reading the page";
  return false;
}

std::chrono::steady_clock::time_point Cleaner::StopTime(
    std::chrono::steady_clock::time_point start) const {
  // (Over a year: none, and no overflow of the clock's range.)
  if (stop_budget_ms_ <= 0 || stop_budget_ms_ > 3.6e10)
    return std::chrono::steady_clock::time_point::max();
  return start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                     std::chrono::duration<double, std::milli>(stop_budget_ms_));
}

void Cleaner::ApplyLimits(const Options& o, std::chrono::steady_clock::time_point start) {
  scratch_.SetLimits(o.regex_match_limit, o.regex_heap_limit_kib);
  scratch_.SetDepthLimit(o.regex_depth_limit);
  auto deadline = o.page_time_budget_ms > 0
                      ? start + std::chrono::milliseconds(o.page_time_budget_ms)
                      : std::chrono::steady_clock::time_point::max();
  scratch_.SetDeadline(std::min(deadline, StopTime(start)));
}

void WriteCleanText(const CleanResult& r, const KeepSet& keep, std::string* out) {
  // A run at a time: the same bytes in fewer appends.
  const char* const text = r.page->text.data();
  ForEachCleanRun(r, keep, [&](uint32_t begin, uint32_t end) {
    out->append(text + begin, end - begin);
    out->push_back('\n');
  });
}

}  // namespace clean
