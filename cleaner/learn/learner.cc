#include "cleaner/learn/learner.h"

#include <algorithm>
#include <cmath>

#include "cleaner/base/url.h"
#include "cleaner/learn/line_key.h"
#include "cleaner/ruleset/url_source.h"

namespace clean {

std::string LearnedSourceName(std::string_view raw) {
  std::string out;
  for (char c : raw) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '-';
    out.push_back(ok ? c : '_');
  }
  return out;
}

Learner::Learner(const RuleSet& rules, const LearnVocabulary& vocab, const LearnOptions& options)
    : rules_(rules), vocab_(vocab), options_(options), cleaner_(rules, Options(), nullptr) {}

bool Learner::AddPage(std::string_view name, std::string_view bytes, InputFormat format,
                      std::string_view url, std::string_view source, std::string* error) {
  std::string src, domain;
  const std::string_view host = UrlHost(url);
  if (!source.empty()) {
    src = LearnedSourceName(source);
  } else if (!url.empty()) {
    if (host.empty()) {
      *error = "URL without a host: '" + std::string(url.substr(0, 200)) + "'";
      return false;
    }
    domain = vocab_.RegisteredDomain(host);
    src = LearnedSourceName(domain);
  }
  // Cleaned as `clean --url-field` would: a shipped source of the URL's domain applies.
  const Source* hint = host.empty() ? nullptr : SourceForHost(rules_, host);
  cleaner_.set_input_format(format);
  CleanResult r;
  if (!cleaner_.Clean(name, bytes, &r, error, hint, hint ? "domain" : std::string_view()))
    return false;
  if (src.empty() && r.html && !r.html->meta.domain.empty()) {
    domain = vocab_.RegisteredDomain(r.html->meta.domain);
    src = LearnedSourceName(domain);
  }
  if (src.empty()) {
    *error =
        "no URL, so no source (give records a URL field, --source-field or --source; "
        "HTML pages may name their canonical URL)";
    return false;
  }
  auto it = tables_.find(src);
  if (it == tables_.end()) it = tables_.emplace(src, SourceState{domain, {}}).first;
  Count(&it->second, r);
  return true;
}

void Learner::Count(SourceState* s, const CleanResult& r) {
  LineTable& table = s->table;
  const uint32_t page_no = ++table.pages;
  const auto& ds = r.decisions();
  const Page& page = *r.page;
  // The page's non-blank lines, their key hashes (0: not counted) and
  // whether each was seen on an earlier page of the source.
  std::vector<uint32_t>& idx = idx_;
  idx.clear();
  int first_body = -1, last_body = -1;
  for (size_t i = 0; i < ds.size(); ++i) {
    if (ds[i].blank) continue;
    idx.push_back(static_cast<uint32_t>(i));
    if (ds[i].cls == LineClass::kBody) {
      if (first_body < 0) first_body = static_cast<int>(i);
      last_body = static_cast<int>(i);
    }
  }
  const size_t m = idx.size();
  // Each line's stats, made when new (node references stay valid while
  // the table grows), and whether it was seen on an earlier page.
  stats_.assign(m, kNone);
  known_.assign(m, 0);
  marked_.assign(m, 0);
  table.Reserve(m);
  for (size_t k = 0; k < m; ++k) {
    // The scraper's date header (decided by the input stage) is no template.
    if (rules_.deciders()[ds[idx[k]].decider].kind == Decider::Kind::kInput) continue;
    std::string_view line = page.line(idx[k]);
    bool marked = false;
    if (line.size() > options_.max_line_bytes ||
        !MakeLineKey(line, vocab_.date_words(), &key_, &marked))
      continue;
    bool added = false;
    stats_[k] = table.Get(LineHash(key_) | 1, &added);
    const LineStats& st = table.at(stats_[k]);
    held_ += added;
    known_[k] = st.pages > 0 && st.last_page < page_no;
    marked_[k] = marked;
  }
  for (size_t k = 0; k < m; ++k) {
    if (stats_[k] == kNone) continue;
    LineStats& st = table.at(stats_[k]);
    if (st.last_page == page_no) continue;  // once a page
    std::string_view line = page.line(idx[k]);
    // A key without markers is its one text: only marked keys can vary.
    const uint64_t exact = marked_[k] ? LineHash(line) : 0;
    st.last_page = page_no;
    ++st.pages;
    ++table.line_total;
    if (st.pages == 1)
      st.exact = exact;
    else if (exact != st.exact)
      st.varies = true;
    if (st.pages >= 2 && st.text.empty()) st.text = std::string(line);
    st.pos_sum += m > 1 ? k * 1000 / (m - 1) : 0;
    const int i = static_cast<int>(idx[k]);
    st.above += first_body >= 0 && i < first_body;
    st.below += first_body >= 0 && i > last_body;
    st.run += (k > 0 && known_[k - 1]) || (k + 1 < m && known_[k + 1]);
    ++st.votes[static_cast<int>(ds[idx[k]].cls)];
  }
  if (table.size() > options_.max_lines_per_source)
    held_ -= table.Prune(options_.max_lines_per_source / 2);
  if (held_ > options_.max_lines_total)
    for (auto& [name, other] : tables_) held_ -= other.table.DropSingles();
}

LearnedLine Learner::Guess(const LineStats& st) const {
  LearnedLine l;
  l.text = st.text;
  MakeLineKey(st.text, vocab_.date_words(), &l.key);
  l.varies = st.varies;
  if (l.varies) l.regex = KeyRegex(l.key, vocab_.date_words());
  l.pages = st.pages;
  l.body = st.votes[static_cast<int>(LineClass::kBody)];
  l.commented = l.body > options_.body_share * st.pages;
  // The classifier's own non-body decision on most pages (a rule's ad or meta).
  int best = -1;
  for (int c = 1; c < kNumClasses; ++c)
    if (st.votes[c] * 2 > st.pages && (best < 0 || st.votes[c] > st.votes[best])) best = c;
  size_t words = 0;
  for (size_t i = 0; i < st.text.size(); ++i)
    words += st.text[i] != ' ' && (i == 0 || st.text[i - 1] == ' ');
  const uint32_t later = st.pages > 1 ? st.pages - 1 : 1;  // pages after its first
  if (auto c = vocab_.ClassOf(st.text)) {
    l.cls = *c;
    l.why = "vocabulary";
  } else if (best >= 0 && (best == static_cast<int>(LineClass::kAd) ||
                           best == static_cast<int>(LineClass::kMeta) ||
                           best == static_cast<int>(LineClass::kCaption))) {
    l.cls = static_cast<LineClass>(best);
    l.why = "the classifier's class";
  } else if (st.above * 2 > st.pages) {
    l.cls = LineClass::kNavigation;
    l.why = "above the article";
  } else if (st.run * 2 > later && words >= 4) {
    l.cls = LineClass::kHeadlineList;
    l.why = "a run of repeated headlines";
  } else {
    l.cls = LineClass::kNavigation;
    l.why = st.below * 2 > st.pages ? "below the article" : "around the article";
  }
  return l;
}

LearnedSource Learner::Name(const std::string& name, const SourceState& s) const {
  LearnedSource out;
  out.name = name;
  out.domain = s.domain;
  out.pages = s.table.pages;
  if (out.pages < static_cast<uint32_t>(options_.min_pages)) {
    out.outcome = LearnedSource::Outcome::kTooFewPages;
    return out;
  }
  out.threshold = std::max<uint32_t>(
      2, static_cast<uint32_t>(std::ceil(options_.min_share * out.pages - 1e-9)));
  std::vector<const LineStats*> found;
  uint64_t covered = 0;
  s.table.ForEach([&](const LineStats& st) {
    if (st.pages >= out.threshold && !st.text.empty()) {
      found.push_back(&st);
      covered += st.pages;
    }
  });
  out.coverage = s.table.line_total ? static_cast<double>(covered) / s.table.line_total : 0;
  if (out.coverage >= options_.mirror_share) {
    out.outcome = LearnedSource::Outcome::kMirror;
    return out;
  }
  if (found.empty()) return out;  // kNothing
  // The most frequent first (then by text), when there are more than max_rules.
  std::sort(found.begin(), found.end(), [](const LineStats* a, const LineStats* b) {
    return a->pages != b->pages ? a->pages > b->pages : a->text < b->text;
  });
  if (found.size() > static_cast<size_t>(options_.max_rules)) found.resize(options_.max_rules);
  for (const LineStats* st : found) out.lines.push_back(Guess(*st));
  // Rule order: where the line sits on its pages, top first, then by text.
  std::vector<std::pair<uint64_t, size_t>> order;
  for (size_t i = 0; i < found.size(); ++i)
    order.emplace_back(found[i]->pos_sum / found[i]->pages, i);
  std::sort(order.begin(), order.end(), [&](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first
                              : out.lines[a.second].text < out.lines[b.second].text;
  });
  std::vector<LearnedLine> sorted;
  for (const auto& [pos, i] : order) sorted.push_back(std::move(out.lines[i]));
  out.lines = std::move(sorted);
  out.outcome = LearnedSource::Outcome::kRules;
  return out;
}

std::vector<LearnedSource> Learner::Finish() const {
  std::vector<LearnedSource> out;
  for (const auto& [name, s] : tables_) out.push_back(Name(name, s));
  return out;
}

}  // namespace clean
