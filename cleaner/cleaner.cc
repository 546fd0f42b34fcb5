#include "cleaner/cleaner.h"

namespace clean {

Cleaner::Cleaner(const RuleSet& rules, const Options& base, const Source* source, bool detect)
    : rules_(rules),
      base_(base),
      forced_(source),
      detect_(detect),
      scratch_(base.regex_match_limit, base.regex_heap_limit_kib),
      classifier_(rules, scratch_) {}

Cleaner::~Cleaner() = default;

bool Cleaner::Clean(std::string_view name, std::string_view bytes, CleanResult* out,
                    std::string* error, const Source* hint, std::string_view hint_by) {
  page_.Clear();
  page_.name = std::string(name);
  // The reader runs before the source is known: it takes the generic
  // layer's options (base + generic.rules `set`), or the forced source's.
  const Source* known = forced_ ? forced_ : hint;
  const Options& read_options = known ? known->options : rules_.generic().options;
  if (!BuildPage(bytes, read_options, &page_, error)) return false;
  scratch_.SetLimits(read_options.regex_match_limit, read_options.regex_heap_limit_kib);
  out->rules = &rules_;
  out->page = &page_;
  out->work = &work_;
  out->source = forced_;
  out->detected_by = forced_ ? "option" : "none";
  out->detect_decider = 0;
  if (!forced_ && hint) {
    out->source = hint;
    out->detected_by = hint_by;
  } else if (!forced_ && detect_) {
    uint32_t d = 0;
    if (const Source* s = classifier_.Detect(page_, &d)) {
      out->source = s;
      out->detected_by = "fingerprint";
      out->detect_decider = d;
    }
  }
  const Options& o = out->source ? out->source->options : rules_.generic().options;
  scratch_.SetLimits(o.regex_match_limit, o.regex_heap_limit_kib);
  classifier_.Classify(page_, out->source, o, &work_);
  int lang = work_.features.language;
  out->language = lang >= 0 ? std::string_view(rules_.lexicon().languages()[lang]) : "";
  return true;
}

void WriteCleanText(const CleanResult& r, const KeepSet& keep, std::string* out) {
  const auto& ds = r.decisions();
  for (size_t i = 0; i < ds.size(); ++i) {
    if (ds[i].blank || !keep.Has(ds[i].cls)) continue;
    out->append(r.page->line(i));
    out->push_back('\n');
  }
}

}  // namespace clean
