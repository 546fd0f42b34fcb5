#include "cleaner/plan_prefilter.h"

#include <algorithm>
#include <optional>

#include "cleaner/byte_pattern.h"
#include "cleaner/prefilter_choice.h"

namespace clean {

namespace {
// The line-head automaton of a plan stays far below this (a few thousand
// states for the generic rules); a pattern set that would exceed it gives
// its widest patterns to the Hyperscan database instead.
constexpr size_t kMaxHeadStates = 60000;
// Fewer line-head patterns than this go to the Hyperscan database.
constexpr size_t kMinHeadPatterns = 8;
}  // namespace

RegexReading RegexReading::Of(std::string_view regex, bool caseless) {
  RegexReading r;
  r.pattern = BytePattern::Parse(regex, caseless);
  if (!r.pattern) return r;
  r.never = r.pattern->Never();
  r.nullable = r.pattern->Nullable();
  if (r.never || r.nullable) return r;
  r.suits_head = SuitsLineHead(*r.pattern);
  // Without a rare part, Hyperscan would report nearly every byte: PCRE2
  // finds the lines faster on its own.
  if (std::optional<BytePattern> part = RarePart(*r.pattern); part && !part->Nullable())
    r.rare = ToHyperscan(*part);
  r.alphabet = LineAlphabet(*r.pattern);
  return r;
}

Prefilter Prefilter::Build(const std::vector<Regex>& regexes, const std::string& cache_dir) {
  Prefilter pf;
  std::vector<const RegexReading*> read;  // the head patterns
  std::vector<int> head;                  // their matchers
  std::vector<std::string> exprs;
  std::vector<MultiRegex::Pattern> patterns;
  std::vector<int> matchers;  // of `patterns`
  auto to_db = [&](const RegexReading& r, int matcher) {
    if (r.rare.empty()) {
      pf.pcre_only.push_back(matcher);
      return;
    }
    exprs.push_back(r.rare);
    matchers.push_back(matcher);
    if (r.alphabet) {
      Alphabet a{matcher, {}};
      for (int b = 0; b < 256; ++b) a.allowed[b] = (*r.alphabet)[b];
      pf.alphabets.push_back(a);
    }
  };
  std::vector<RegexReading> readings;
  readings.reserve(regexes.size());  // `read` points into it
  std::vector<const Regex*> legacy;
  for (const Regex& r : regexes) {
    const RegexReading& rd = readings.emplace_back(RegexReading::Of(r.pattern, r.caseless));
    if (!rd.pattern) {
      legacy.push_back(&r);
    } else if (rd.never) {
      continue;  // needs a '\n': no line can match
    } else if (rd.nullable) {
      pf.pcre_only.push_back(r.matcher);
    } else if (r.head_ok && rd.suits_head && read.size() < LineHeadDfa::kMaxPatterns) {
      read.push_back(&rd);
      head.push_back(r.matcher);
    } else {
      to_db(rd, r.matcher);
    }
  }
  // The automaton reads every line, whatever it holds: for a few patterns
  // one Hyperscan pass over the page costs less.
  if (read.size() < kMinHeadPatterns) {
    for (size_t i = 0; i < read.size(); ++i) to_db(*read[i], head[i]);
    read.clear();
    head.clear();
  }
  // The automaton; should it grow too large, the patterns with the largest
  // automata of their own go to the database until it fits.
  while (!read.empty()) {
    std::vector<const BytePattern*> ptrs;
    for (const RegexReading* r : read) ptrs.push_back(&*r->pattern);
    pf.head = LineHeadDfa::Build(ptrs, kMaxHeadStates, cache_dir);
    if (pf.head) break;
    size_t worst = 0, worst_states = 0;
    for (size_t i = 0; i < read.size(); ++i) {
      auto one = LineHeadDfa::Build({ptrs[i]}, kMaxHeadStates);
      size_t states = one ? one->states() : kMaxHeadStates;
      if (states >= worst_states) worst = i, worst_states = states;
    }
    to_db(*read[worst], head[worst]);
    read.erase(read.begin() + static_cast<long>(worst));
    head.erase(head.begin() + static_cast<long>(worst));
  }
  pf.head_matchers = head;

  for (size_t i = 0; i < exprs.size(); ++i) patterns.push_back({exprs[i], false, true});
  for (const Regex* r : legacy) {
    patterns.push_back({r->pattern, r->caseless, false});
    matchers.push_back(r->matcher);
  }
  if (!patterns.empty()) {
    std::vector<bool> accepted;
    auto db = MultiRegex::Build(patterns, &accepted, cache_dir);
    accepted.resize(patterns.size(), false);
    for (size_t i = 0; i < patterns.size(); ++i)
      if (!accepted[i]) pf.pcre_only.push_back(matchers[i]);
    pf.db = std::move(db);
    if (pf.db) pf.db_matchers = matchers;  // database pattern i is patterns[i]
  }
  return pf;
}

Prefilter::Route Prefilter::RouteOf(int matcher) const {
  auto in = [matcher](const std::vector<int>& v) {
    return std::find(v.begin(), v.end(), matcher) != v.end();
  };
  // A pattern the database did not take is in db_matchers and pcre_only.
  if (in(pcre_only)) return Route::kPcreOnly;
  if (in(head_matchers)) return Route::kHead;
  if (in(db_matchers)) return Route::kDb;
  return Route::kNone;
}

}  // namespace clean
