#include "cleaner/match/prefilter/plan_prefilter.h"

#include <algorithm>
#include <optional>

#include "cleaner/match/prefilter/byte_pattern.h"
#include "cleaner/match/prefilter/prefilter_cache.h"
#include "cleaner/match/prefilter/prefilter_choice.h"

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
  if (std::optional<BytePattern> part = RarePart(*r.pattern); part && !part->Nullable()) {
    r.rare = ToHyperscan(*part);
    r.short_rare = MinBytes(*part) < PrefilterPlan::kMinDbBytes;
    if (r.short_rare)
      if (auto literals = ShortLiterals::LiteralsOf(*part)) r.short_literals = std::move(*literals);
  }
  r.alphabet = LineAlphabet(*r.pattern);
  return r;
}

namespace {

// What Build decides from the regexes' byte readings, before it compiles
// or loads the automaton and the database: cached on its own (keyed by the
// regexes and the build of this code), so that a run with a warm cache
// reads no regex at all (the readings took half of a run's start-up, about
// 11 ms for the shipped rules).
struct Layout {
  // The automaton's cache identity (LineHeadDfa::Identity; "": none): the
  // layout, checked against the regexes, vouches for the automaton's entry.
  std::string head_identity;
  std::vector<int> head_matchers;  // automaton pattern i -> matcher
  // Database patterns: expression, kind and matcher. kShortRare: the short
  // database; kShortLiterals: the literal scanner, the expression holding
  // its literals (EncodeLiterals).
  enum Kind : uint8_t { kPcre, kRare, kPcreCaseless, kShortRare, kShortLiterals };
  std::vector<std::string> exprs;
  std::vector<uint8_t> kinds;
  std::vector<int> db_matchers;
  std::vector<int> pcre_only;  // before the databases' refusals
  std::vector<PrefilterPlan::Alphabet> alphabets;
};

// A literal set as one string: each literal's length (one byte), then its
// bytes.
std::string EncodeLiterals(const std::vector<std::string>& literals) {
  std::string s;
  for (const std::string& l : literals) {
    s.push_back(static_cast<char>(l.size()));
    s += l;
  }
  return s;
}

// False when `bytes` is not a set EncodeLiterals wrote (of literals
// ShortLiterals may take).
bool DecodeLiterals(std::string_view bytes, std::vector<std::string>* literals) {
  literals->clear();
  for (size_t at = 0; at < bytes.size();) {
    const auto len = static_cast<unsigned char>(bytes[at++]);
    if (len == 0 || len > ShortLiterals::kMaxLiteralBytes || bytes.size() - at < len ||
        literals->size() == ShortLiterals::kMaxLiterals)
      return false;
    literals->emplace_back(bytes.substr(at, len));
    at += len;
  }
  return !literals->empty();
}

void PutU32(std::string* s, uint32_t v) {
  for (int i = 0; i < 4; ++i) s->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::string SaveLayout(const Layout& l) {
  std::string s;
  PutU32(&s, static_cast<uint32_t>(l.head_identity.size()));
  s += l.head_identity;
  auto ints = [&s](const std::vector<int>& v) {
    PutU32(&s, static_cast<uint32_t>(v.size()));
    for (int x : v) PutU32(&s, static_cast<uint32_t>(x));
  };
  ints(l.head_matchers);
  PutU32(&s, static_cast<uint32_t>(l.exprs.size()));
  for (size_t i = 0; i < l.exprs.size(); ++i) {
    s.push_back(static_cast<char>(l.kinds[i]));
    PutU32(&s, static_cast<uint32_t>(l.exprs[i].size()));
    s += l.exprs[i];
  }
  ints(l.db_matchers);
  ints(l.pcre_only);
  PutU32(&s, static_cast<uint32_t>(l.alphabets.size()));
  for (const auto& a : l.alphabets) {
    PutU32(&s, static_cast<uint32_t>(a.matcher));
    for (int b = 0; b < 256; b += 8) {
      uint8_t byte = 0;
      for (int k = 0; k < 8; ++k) byte |= static_cast<uint8_t>(a.allowed[b + k]) << k;
      s.push_back(static_cast<char>(byte));
    }
  }
  return s;
}

// False when `bytes` is not a layout SaveLayout wrote, or names a matcher
// that is not one of `matchers` (a damaged or foreign entry: built again).
bool ReadLayout(std::string_view bytes, const std::vector<int>& matchers, Layout* l) {
  size_t at = 0;
  auto u32 = [&](uint32_t* v) {
    if (bytes.size() - at < 4) return false;
    *v = 0;
    for (int i = 3; i >= 0; --i) *v = (*v << 8) | static_cast<unsigned char>(bytes[at + i]);
    at += 4;
    return true;
  };
  std::vector<bool> is_matcher;  // by id: one of `matchers`
  for (int m : matchers) {
    if (m < 0) continue;
    if (is_matcher.size() <= static_cast<size_t>(m)) is_matcher.resize(m + 1, false);
    is_matcher[m] = true;
  }
  auto known = [&is_matcher](uint32_t m) { return m < is_matcher.size() && is_matcher[m]; };
  auto ints = [&](std::vector<int>* v) {
    uint32_t n;
    if (!u32(&n) || n > matchers.size()) return false;
    for (uint32_t i = 0; i < n; ++i) {
      uint32_t x;
      if (!u32(&x) || !known(x)) return false;
      v->push_back(static_cast<int>(x));
    }
    return true;
  };
  uint32_t n;
  if (!u32(&n) || bytes.size() - at < n) return false;
  l->head_identity = std::string(bytes.substr(at, n));
  at += n;
  if (!ints(&l->head_matchers) || !u32(&n) || n > matchers.size()) return false;
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t len;
    if (at >= bytes.size()) return false;
    const auto kind = static_cast<uint8_t>(bytes[at++]);
    if (kind > Layout::kShortLiterals || !u32(&len) || bytes.size() - at < len) return false;
    l->kinds.push_back(kind);
    l->exprs.emplace_back(bytes.substr(at, len));
    std::vector<std::string> literals;
    if (kind == Layout::kShortLiterals && !DecodeLiterals(l->exprs.back(), &literals)) return false;
    at += len;
  }
  if (!ints(&l->db_matchers) || l->db_matchers.size() != l->exprs.size() || !ints(&l->pcre_only) ||
      !u32(&n) || n > matchers.size())
    return false;
  for (uint32_t i = 0; i < n; ++i) {
    PrefilterPlan::Alphabet a;
    uint32_t m;
    if (!u32(&m) || !known(m) || bytes.size() - at < 32) return false;
    a.matcher = static_cast<int>(m);
    for (int b = 0; b < 256; ++b)
      a.allowed[b] = (static_cast<unsigned char>(bytes[at + b / 8]) >> (b % 8)) & 1;
    at += 32;
    l->alphabets.push_back(a);
  }
  return at == bytes.size() && l->head_identity.empty() == l->head_matchers.empty();
}

// The layout's cache identity: the regexes as given, and this build of the
// code (its readings decide the layout); "" (no caching) without a cache
// directory or a build ID.
std::string LayoutIdentity(const std::vector<Prefilter::Regex>& regexes,
                           const std::string& cache_dir) {
  if (cache_dir.empty() || BuildId().empty()) return "";
  std::string id = "clean-prefilter-layout-5:" + BuildId() + ":" + std::to_string(kMaxHeadStates) +
                   ":" + std::to_string(kMinHeadPatterns) + "\n";
  for (const auto& r : regexes) {
    id += std::to_string(r.matcher) + (r.caseless ? "i" : "-") + (r.head_ok ? "h" : "-") + ":";
    id += r.pattern;
    id += '\0';
  }
  return id;
}

// Reads every regex and decides its route; builds (or loads) the automaton
// on the way, since whether it fits decides the routes of its patterns.
std::unique_ptr<LineHeadDfa> Decide(const std::vector<Prefilter::Regex>& regexes,
                                    const std::string& cache_dir, Layout* l) {
  std::vector<const RegexReading*> read;  // the head patterns
  std::vector<int> head;                  // their matchers
  ShortLiterals scanner;                  // what the literal scanner takes
  auto to_db = [&](const RegexReading& r, int matcher) {
    if (r.rare.empty()) {
      l->pcre_only.push_back(matcher);
      return;
    }
    if (r.short_rare && !r.short_literals.empty() && scanner.Add(r.short_literals)) {
      l->exprs.push_back(EncodeLiterals(r.short_literals));
      l->kinds.push_back(Layout::kShortLiterals);
    } else {
      l->exprs.push_back(r.rare);
      l->kinds.push_back(r.short_rare ? Layout::kShortRare : Layout::kRare);
    }
    l->db_matchers.push_back(matcher);
    if (r.alphabet) {
      PrefilterPlan::Alphabet a{matcher, {}};
      for (int b = 0; b < 256; ++b) a.allowed[b] = (*r.alphabet)[b];
      l->alphabets.push_back(a);
    }
  };
  std::vector<RegexReading> readings;
  readings.reserve(regexes.size());  // `read` points into it
  std::vector<const Prefilter::Regex*> legacy;
  for (const Prefilter::Regex& r : regexes) {
    const RegexReading& rd = readings.emplace_back(RegexReading::Of(r.pattern, r.caseless));
    if (!rd.pattern) {
      legacy.push_back(&r);
    } else if (rd.never) {
      continue;  // needs a '\n': no line can match
    } else if (rd.nullable) {
      l->pcre_only.push_back(r.matcher);
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
  std::unique_ptr<LineHeadDfa> dfa;
  while (!read.empty()) {
    std::vector<const BytePattern*> ptrs;
    for (const RegexReading* r : read) ptrs.push_back(&*r->pattern);
    dfa = LineHeadDfa::Build(ptrs, kMaxHeadStates, cache_dir);
    if (dfa) {
      l->head_identity = LineHeadDfa::Identity(ptrs, kMaxHeadStates);
      break;
    }
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
  l->head_matchers = head;
  for (const Prefilter::Regex* r : legacy) {
    l->exprs.emplace_back(r->pattern);
    l->kinds.push_back(r->caseless ? Layout::kPcreCaseless : Layout::kPcre);
    l->db_matchers.push_back(r->matcher);
  }
  return dfa;
}

}  // namespace

PrefilterPlan PrefilterPlan::Build(const std::vector<Prefilter::Regex>& regexes,
                                   const std::string& cache_dir) {
  Layout l;
  std::unique_ptr<LineHeadDfa> head;
  const std::string identity = LayoutIdentity(regexes, cache_dir);
  const uint64_t key = identity.empty() ? 0 : StableHash(identity);
  std::string saved;
  bool cached = false;
  if (key != 0 && CacheRead(cache_dir, key, &saved, identity)) {
    std::vector<int> matchers;
    for (const Prefilter::Regex& r : regexes) matchers.push_back(r.matcher);
    cached = ReadLayout(saved, matchers, &l) &&
             (l.head_identity.empty() || (head = LineHeadDfa::Load(l.head_identity, cache_dir)));
  }
  if (!cached) {
    l = Layout();
    head = Decide(regexes, cache_dir, &l);
    if (key != 0) CacheWrite(cache_dir, key, SaveLayout(l), kMaxCacheEntries, identity);
  }

  PrefilterPlan pf;
  pf.head = std::move(head);
  pf.head_matchers = std::move(l.head_matchers);
  pf.pcre_only = std::move(l.pcre_only);
  pf.alphabets = std::move(l.alphabets);
  for (size_t i = 0; i < pf.alphabets.size(); ++i) {
    const auto m = static_cast<size_t>(pf.alphabets[i].matcher);
    if (pf.alphabet_of.size() <= m) pf.alphabet_of.resize(m + 1, -1);
    if (pf.alphabet_of[m] < 0) pf.alphabet_of[m] = static_cast<int>(i);  // the first, as before
  }
  // The literal scanner. Decide took only what it takes, but a layout
  // from the cache is checked again: what it refuses is left to PCRE2.
  for (size_t i = 0; i < l.exprs.size(); ++i) {
    if (l.kinds[i] != Layout::kShortLiterals) continue;
    if (!pf.short_literals) pf.short_literals = std::make_unique<ShortLiterals>();
    std::vector<std::string> literals;
    if (DecodeLiterals(l.exprs[i], &literals) && pf.short_literals->Add(literals))
      pf.short_literal_matchers.push_back(l.db_matchers[i]);
    else
      pf.pcre_only.push_back(l.db_matchers[i]);
  }
  if (pf.short_literals && pf.short_literals->size() == 0) pf.short_literals.reset();
  // The two databases: the short rare parts', and every other pattern's.
  // A pattern Hyperscan refuses is left to PCRE2.
  auto build = [&](bool short_db, std::unique_ptr<MultiRegex>* db, std::vector<int>* db_matchers) {
    std::vector<MultiRegex::Pattern> patterns;
    std::vector<int> matchers;
    for (size_t i = 0; i < l.exprs.size(); ++i) {
      if (l.kinds[i] == Layout::kShortLiterals || (l.kinds[i] == Layout::kShortRare) != short_db)
        continue;
      patterns.push_back({l.exprs[i], l.kinds[i] == Layout::kPcreCaseless,
                          l.kinds[i] == Layout::kRare || l.kinds[i] == Layout::kShortRare});
      matchers.push_back(l.db_matchers[i]);
    }
    if (patterns.empty()) return;
    std::vector<bool> accepted;
    *db = MultiRegex::Build(patterns, &accepted, cache_dir);
    accepted.resize(patterns.size(), false);
    for (size_t i = 0; i < patterns.size(); ++i)
      if (!accepted[i]) pf.pcre_only.push_back(matchers[i]);
    if (*db) *db_matchers = std::move(matchers);  // database pattern i is patterns[i]
  };
  build(false, &pf.db, &pf.db_matchers);
  build(true, &pf.short_db, &pf.short_db_matchers);
  return pf;
}

PrefilterPlan::Route PrefilterPlan::RouteOf(int matcher) const {
  auto in = [matcher](const std::vector<int>& v) {
    return std::find(v.begin(), v.end(), matcher) != v.end();
  };
  // A pattern the database did not take is in db_matchers and pcre_only.
  if (in(pcre_only)) return Route::kPcreOnly;
  if (in(head_matchers)) return Route::kHead;
  if (in(db_matchers)) return Route::kDb;
  if (in(short_literal_matchers)) return Route::kShortLiterals;
  if (in(short_db_matchers)) return Route::kShortDb;
  return Route::kNone;
}

}  // namespace clean
