#include "cleaner/learn/learner.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "cleaner/base/url.h"
#include "cleaner/classify/page_work.h"
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
    : rules_(rules), vocab_(vocab), options_(options), cleaner_(rules, Options(), nullptr) {
  section_decider_.assign(rules.deciders().size(), 0);
  auto mark = [&](const Layer& layer) {
    for (const CompiledRule& rule : layer.rules)
      if (rule.kind == RuleSpec::Kind::kSection && rule.decider < section_decider_.size())
        section_decider_[rule.decider] = 1;
  };
  mark(rules.generic().layer);
  for (const Source& s : rules.sources()) mark(s.layer);
}

std::unique_ptr<Cleaner> Learner::NewCleaner() const {
  return std::make_unique<Cleaner>(rules_, Options(), nullptr);
}

bool Learner::AddPage(std::string_view name, std::string_view bytes, InputFormat format,
                      std::string_view url, std::string_view source, std::string* error) {
  if (!Read(&cleaner_, name, bytes, format, valid_utf8_, url, source, &page_, error)) return false;
  Add(page_);
  return true;
}

bool Learner::Read(Cleaner* cleaner, std::string_view name, std::string_view bytes,
                   InputFormat format, bool valid_utf8, std::string_view url,
                   std::string_view source, PageLines* out, std::string* error) const {
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
  cleaner->set_input_format(format);
  cleaner->set_input_valid_utf8(valid_utf8);
  CleanResult r;
  if (!cleaner->Clean(name, bytes, &r, error, hint, hint ? "domain" : std::string_view()))
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
  out->source = std::move(src);
  out->domain = std::move(domain);
  out->text.clear();
  out->lines.clear();
  const auto& ds = r.decisions();
  const auto& kinds = r.work->kinds;
  for (size_t i = 0; i < ds.size(); ++i) {
    if (ds[i].blank) continue;
    const std::string_view line = r.page->line(i);
    PageLines::Line l;
    l.begin = static_cast<uint32_t>(out->text.size());
    l.size = static_cast<uint32_t>(line.size());
    l.cls = ds[i].cls;
    l.prose = i < kinds.size() && kinds[i] == LineKind::kProse;
    l.input = rules_.deciders()[ds[i].decider].kind == Decider::Kind::kInput;
    l.shipped = ds[i].decider < section_decider_.size() && section_decider_[ds[i].decider];
    out->text += line;
    out->lines.push_back(l);
  }
  return true;
}

void Learner::Add(const PageLines& p) {
  auto it = tables_.find(p.source);
  if (it == tables_.end()) it = tables_.emplace(p.source, SourceState{p.domain, {}}).first;
  Count(&it->second, p);
}

void Learner::Count(SourceState* s, const PageLines& page) {
  LineTable& table = s->table;
  const uint32_t page_no = ++table.pages;
  // The page's non-blank lines, their key hashes (0: not counted) and
  // whether each was seen on an earlier page of the source.
  int first_body = -1, last_body = -1;
  const size_t m = page.lines.size();
  for (size_t k = 0; k < m; ++k) {
    if (page.lines[k].cls == LineClass::kBody) {
      if (first_body < 0) first_body = static_cast<int>(k);
      last_body = static_cast<int>(k);
    }
  }
  // Each line's stats, made when new (node references stay valid while
  // the table grows), and whether it was seen on an earlier page.
  stats_.assign(m, kNone);
  known_.assign(m, 0);
  marked_.assign(m, 0);
  hashes_.assign(m, 0);
  table.Reserve(m);
  for (size_t k = 0; k < m; ++k) {
    // The scraper's date header (decided by the input stage) is no template.
    if (page.lines[k].input) continue;
    std::string_view line = page.line(k);
    bool marked = false;
    if (line.size() > options_.max_line_bytes ||
        !MakeLineKey(line, vocab_.date_words(), &key_, &marked))
      continue;
    bool added = false;
    hashes_[k] = LineHash(key_) | 1;
    stats_[k] = table.Get(hashes_[k], &added);
    const LineStats& st = table.at(stats_[k]);
    held_ += added;
    known_[k] = st.pages > 0 && st.last_page < page_no;
    marked_[k] = marked;
  }
  for (size_t k = 0; k < m; ++k) {
    if (stats_[k] == kNone) continue;
    LineStats& st = table.at(stats_[k]);
    if (st.last_page == page_no) continue;  // once a page
    std::string_view line = page.line(k);
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
    const int i = static_cast<int>(k);
    st.above += first_body >= 0 && i < first_body;
    st.below += first_body >= 0 && i > last_body;
    st.run += (k > 0 && known_[k - 1]) || (k + 1 < m && known_[k + 1]);
    ++st.votes[static_cast<int>(page.lines[k].cls)];
    st.shipped += page.lines[k].shipped;
  }
  VoteBlocks(&table, page);
  if (table.size() > options_.max_lines_per_source)
    held_ -= table.Prune(options_.max_lines_per_source / 2);
  if (held_ > options_.max_lines_total)
    for (auto& [name, other] : tables_) held_ -= other.table.DropSingles();
}

namespace {

size_t Words(std::string_view text) {
  size_t words = 0;
  for (size_t i = 0; i < text.size(); ++i)
    words += text[i] != ' ' && (i == 0 || text[i - 1] == ' ');
  return words;
}

}  // namespace

// The page's template lines are those counted on at least min_share of the
// pages so far (and two); between two of them, a block of lines that are
// not is a vote for the first's closer when it has the allowed number of
// lines and none of them is body, title or prose (a section must not take
// article text, and a `body` end would cut it there).
void Learner::VoteBlocks(LineTable* table, const PageLines& page) {
  const double need = std::max(2.0, options_.min_share * table->pages - 1e-9);
  const size_t m = page.lines.size();
  auto is_template = [&](size_t k) {
    return stats_[k] != kNone && table->at(stats_[k]).pages >= need;
  };
  size_t open = m;    // the last template line, m: none yet
  bool clean = true;  // no body, title or prose line since it
  for (size_t k = 0; k < m; ++k) {
    if (!is_template(k)) {
      const PageLines::Line& l = page.lines[k];
      clean = clean && l.cls != LineClass::kBody && l.cls != LineClass::kTitle && !l.prose;
      continue;
    }
    const size_t gap = open < m ? k - open - 1 : 0;
    if (open < m && clean && gap >= static_cast<size_t>(options_.section_min_lines) &&
        gap <= static_cast<size_t>(options_.section_max_lines) && hashes_[open] != hashes_[k]) {
      LineStats& st = table->at(stats_[open]);
      if (st.block_page != table->pages) {
        st.block_page = table->pages;
        if (st.closer_votes == 0) st.closer = hashes_[k];
        if (st.closer == hashes_[k])
          ++st.closer_votes;
        else
          --st.closer_votes;
        st.block_lines += static_cast<uint32_t>(gap);
        for (size_t g = open + 1; g < k; ++g) st.block_long += Words(page.line(g)) >= 4;
        if (st.closer_votes >= 2 && st.block_text.empty())
          st.block_text = std::string(page.line(open + 1));
      }
    }
    open = k;
    clean = true;
  }
}

LearnedLine Learner::Guess(const LineStats& st) const {
  LearnedLine l;
  l.text = st.text;
  MakeLineKey(st.text, vocab_.date_words(), &l.key);
  l.varies = st.varies;
  if (l.varies) l.regex = KeyRegex(l.key, vocab_.date_words());
  l.pages = st.pages;
  l.body = st.votes[static_cast<int>(LineClass::kBody)];
  l.shipped = st.shipped;
  l.commented = l.body > options_.body_share * st.pages || st.shipped * 2 > st.pages;
  // The classifier's own non-body decision on most pages (a rule's ad or meta).
  int best = -1;
  for (int c = 1; c < kNumClasses; ++c)
    if (st.votes[c] * 2 > st.pages && (best < 0 || st.votes[c] > st.votes[best])) best = c;
  const size_t words = Words(st.text);
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
  std::vector<std::pair<uint64_t, const LineStats*>> found;
  uint64_t covered = 0;
  s.table.ForEachHashed([&](uint64_t hash, const LineStats& st) {
    if (st.pages >= out.threshold && !st.text.empty()) {
      found.emplace_back(hash, &st);
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
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return a.second->pages != b.second->pages ? a.second->pages > b.second->pages
                                              : a.second->text < b.second->text;
  });
  if (found.size() > static_cast<size_t>(options_.max_rules)) found.resize(options_.max_rules);
  for (const auto& [hash, st] : found) out.lines.push_back(Guess(*st));
  // Rule order: where the line sits on its pages, top first, then by text.
  std::vector<std::pair<uint64_t, size_t>> order;
  for (size_t i = 0; i < found.size(); ++i)
    order.emplace_back(found[i].second->pos_sum / found[i].second->pages, i);
  std::sort(order.begin(), order.end(), [&](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first
                              : out.lines[a.second].text < out.lines[b.second].text;
  });
  std::vector<LearnedLine> sorted;
  std::vector<size_t> place(found.size());  // found[i]'s index in the sorted lines
  for (const auto& [pos, i] : order) {
    place[i] = sorted.size();
    sorted.push_back(std::move(out.lines[i]));
  }
  out.lines = std::move(sorted);
  FindSections(found, place, &out);
  out.outcome = LearnedSource::Outcome::kRules;
  return out;
}

// A section for each recurring, active line whose majority closer is one
// too, with blocks on at least the source's threshold of pages. Its class:
// headline_list when most of its lines have four words or more, else
// navigation; its example line, unless a line rule would decide it.
void Learner::FindSections(const std::vector<std::pair<uint64_t, const LineStats*>>& found,
                           const std::vector<size_t>& place, LearnedSource* out) const {
  std::map<uint64_t, size_t> by_hash;
  for (size_t i = 0; i < found.size(); ++i) by_hash[found[i].first] = place[i];
  std::set<std::string> keys;
  for (const LearnedLine& l : out->lines) keys.insert(l.key);
  for (size_t i = 0; i < found.size(); ++i) {
    const LineStats& st = *found[i].second;
    auto c = by_hash.find(st.closer);
    if (st.closer_votes < out->threshold || c == by_hash.end()) continue;
    LearnedSection sec;
    sec.opener = place[i];
    sec.closer = c->second;
    if (out->lines[sec.opener].commented || out->lines[sec.closer].commented) continue;
    sec.pages = st.closer_votes;
    sec.lines = st.block_lines;
    sec.cls =
        st.block_long * 2 >= st.block_lines ? LineClass::kHeadlineList : LineClass::kNavigation;
    std::string key;
    if (MakeLineKey(st.block_text, vocab_.date_words(), &key) && !keys.count(key))
      sec.example = st.block_text;
    out->sections.push_back(std::move(sec));
  }
  std::sort(out->sections.begin(), out->sections.end(), [](const auto& a, const auto& b) {
    return a.opener != b.opener ? a.opener < b.opener : a.closer < b.closer;
  });
}

std::vector<LearnedSource> Learner::Finish() const {
  std::vector<LearnedSource> out;
  for (const auto& [name, s] : tables_) out.push_back(Name(name, s));
  return out;
}

}  // namespace clean
