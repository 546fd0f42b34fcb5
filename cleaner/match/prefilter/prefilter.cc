#include "cleaner/match/prefilter/prefilter.h"

#include <algorithm>
#include <bit>

#include "cleaner/match/prefilter/multi_regex.h"
#include "cleaner/match/prefilter/plan_prefilter.h"
#include "cleaner/match/prefilter/prefilter_cache.h"
#include "cleaner/match/prefilter/short_literals.h"

namespace clean {

struct Prefilter::Scratch::Impl {
  MultiScratch multi;
  std::vector<const MultiRegex*> fitted;  // databases `multi` fits
  // Candidate collection during a Hyperscan pass.
  const Page* page = nullptr;
  size_t line = 0;
  const std::vector<int>* matchers = nullptr;  // database pattern -> matcher
  std::vector<uint32_t> last_line;             // per database pattern: last candidate line + 1
  std::vector<Candidate>* found = nullptr;
  std::vector<ShortLiterals::Found> short_found;  // the literal scanner's, reused

  static void OnMatch(void* ctx, uint32_t pattern, size_t end);
};

Prefilter::Scratch::Scratch() : impl_(std::make_unique<Impl>()) {}
Prefilter::Scratch::~Scratch() = default;

void Prefilter::Scratch::Impl::OnMatch(void* ctx, uint32_t pattern, size_t end) {
  auto* self = static_cast<Impl*>(ctx);
  const Page& page = *self->page;
  // The line of the match's last byte ('\n' belongs to its line). Ends
  // come in increasing order, so the line only moves forward.
  size_t last = end - 1;
  size_t& li = self->line;
  if (last < page.lines[li].begin) li = page.LineAt(last);
  while (li + 1 < page.lines.size() && page.lines[li + 1].begin <= last) ++li;
  uint32_t line = static_cast<uint32_t>(li);
  if (self->last_line[pattern] == line + 1) return;
  self->last_line[pattern] = line + 1;
  self->found->push_back({line, (*self->matchers)[pattern]});
}

Prefilter::Prefilter() : plan_(std::make_unique<PrefilterPlan>()) {}
Prefilter::~Prefilter() = default;
Prefilter::Prefilter(Prefilter&&) noexcept = default;
Prefilter& Prefilter::operator=(Prefilter&&) noexcept = default;

Prefilter Prefilter::Build(const std::vector<Regex>& regexes, const std::string& cache_dir) {
  Prefilter pf;
  *pf.plan_ = PrefilterPlan::Build(regexes, cache_dir);
  const PrefilterPlan& p = *pf.plan_;
  for (const auto* ms :
       {&p.db_matchers, &p.short_db_matchers, &p.short_literal_matchers, &p.head_matchers})
    for (int m : *ms)
      if (std::find(p.pcre_only.begin(), p.pcre_only.end(), m) == p.pcre_only.end())
        pf.prefiltered_.push_back(m);
  return pf;
}

std::string Prefilter::DefaultCacheDir() { return clean::DefaultCacheDir(); }

Prefilter::Route Prefilter::RouteOf(int matcher) const { return plan_->RouteOf(matcher); }

bool Prefilter::MayMatch(int matcher, std::string_view line) const {
  return plan_->MayMatch(matcher, line);
}

const std::vector<int>& Prefilter::pcre_only() const { return plan_->pcre_only; }

bool Prefilter::FindCandidates(const Page& page, Scratch& scratch,
                               std::vector<Candidate>* found) const {
  const PrefilterPlan& pf = *plan_;
  Scratch::Impl& s = *scratch.impl_;
  found->clear();
  if (page.lines.empty()) return true;
  for (auto [db, matchers] : {std::pair{pf.db.get(), &pf.db_matchers},
                              std::pair{pf.short_db.get(), &pf.short_db_matchers}}) {
    if (db == nullptr) continue;
    if (std::find(s.fitted.begin(), s.fitted.end(), db) == s.fitted.end()) {
      s.multi.Fit(*db);
      s.fitted.push_back(db);
    }
    s.page = &page;
    s.line = 0;
    s.matchers = matchers;
    s.found = found;
    s.last_line.assign(matchers->size(), 0);
    if (!db->Scan(s.multi, page.text, &Scratch::Impl::OnMatch, &s)) {
      found->clear();
      return false;
    }
  }
  // After the short database's, as when the literal scanner's patterns
  // were in it: the confirmations see the candidates in the same order
  // (which the page's time budget could make matter).
  if (pf.short_literals) {
    s.short_found.clear();
    pf.short_literals->Scan(page.text, page.lines.data(), page.lines.size(), &s.short_found);
    for (const ShortLiterals::Found& f : s.short_found)
      found->push_back({f.line, pf.short_literal_matchers[f.pattern]});
  }
  if (pf.head) {
    const std::vector<int>& matchers = pf.head_matchers;
    pf.head->EachLine(
        page.text.data(), page.lines.data(), page.lines.size(),
        [found, &matchers](size_t i, uint64_t bits) {
          for (; bits != 0; bits &= bits - 1)
            found->push_back({static_cast<uint32_t>(i), matchers[std::countr_zero(bits)]});
        });
  }
  return true;
}

}  // namespace clean
