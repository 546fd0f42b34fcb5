#include "cleaner/match/prefilter/multi_regex.h"

#include <hs.h>

#include <algorithm>
#include <cstdlib>

#include <cstdint>

#include "cleaner/match/prefilter/prefilter_cache.h"

namespace clean {

struct MultiScratch::Impl {
  hs_scratch_t* scratch = nullptr;
};

MultiScratch::MultiScratch() : impl_(new Impl) {}

MultiScratch::~MultiScratch() {
  if (impl_->scratch != nullptr) hs_free_scratch(impl_->scratch);
}

void MultiScratch::Fit(const MultiRegex& db) {
  if (db.db_ != nullptr) hs_alloc_scratch(static_cast<hs_database_t*>(db.db_), &impl_->scratch);
}

namespace {

unsigned FlagsFor(const MultiRegex::Pattern& p) {
  // A byte pattern is sound as it stands (Compile adds prefilter mode only
  // if Hyperscan cannot take it exactly); byte mode is much faster than
  // UTF-8 mode, which has to track the encoding.
  if (p.bytes) return HS_FLAG_MULTILINE;
  // Same semantics as Regex::Compile: UTF-8, ^ and $ at line breaks, no
  // Unicode classes for \w \d \s \b (PCRE2 runs without UCP). Prefilter
  // mode approximates what Hyperscan cannot do exactly (lookarounds,
  // large bounded repeats) by something that matches more, never less.
  unsigned f = HS_FLAG_UTF8 | HS_FLAG_MULTILINE | HS_FLAG_PREFILTER;
  if (p.caseless) f |= HS_FLAG_CASELESS;
  return f;
}

// Hyperscan compiles some PCRE constructs into huge automata, which costs
// seconds per pattern: bounded repeats with a large upper bound ({0,300}),
// and Unicode properties (\p{L}) in UTF-8 mode. The prefilter only needs a
// pattern that matches at least what the original does, so:
//   X{m,n} with n > kMaxRepeat   becomes X{min(m,kMaxRepeat),}
//   \p{L...} (letters)           becomes ASCII letters or any non-ASCII
//   \p{other}                    becomes any character
// A property inside a negated class, or \P, would shrink the set when
// widened: such a pattern is left to PCRE2 (Loosen returns false).
constexpr int kMaxRepeat = 8;
constexpr std::string_view kLetterish = "A-Za-z\\x{80}-\\x{10FFFF}";
constexpr std::string_view kAnyChar = "\\x{0}-\\x{10FFFF}";

bool Loosen(std::string_view p, std::string* out) {
  out->clear();
  bool in_class = false, negated = false;
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c == '\\' && i + 1 < p.size()) {
      char e = p[i + 1];
      size_t close = std::string_view::npos;
      if (std::string_view("pPxo").find(e) != std::string_view::npos && i + 2 < p.size() &&
          p[i + 2] == '{')
        close = p.find('}', i + 2);
      if (e == 'P' || (e == 'p' && in_class && negated)) return false;
      if (e == 'p') {
        // \pL or \p{...}: the property name.
        std::string_view name =
            close != std::string_view::npos ? p.substr(i + 3, close - i - 3) : p.substr(i + 2, 1);
        if (!name.empty() && name[0] == '^') return false;
        std::string_view set = (!name.empty() && name[0] == 'L') ? kLetterish : kAnyChar;
        if (in_class) {
          out->append(set);
        } else {
          *out += '[';
          out->append(set);
          *out += ']';
        }
        i = close != std::string_view::npos ? close : i + 2;
        continue;
      }
      size_t last = close != std::string_view::npos ? close : i + 1;
      out->append(p.substr(i, last - i + 1));
      i = last;
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      *out += c;
      continue;
    }
    if (c == '[') {
      in_class = true;
      *out += c;
      negated = i + 1 < p.size() && p[i + 1] == '^';
      if (negated) *out += p[++i];
      // A ']' right after '[' or '[^' is a literal.
      if (i + 1 < p.size() && p[i + 1] == ']') *out += p[++i];
      continue;
    }
    if (c == '{') {
      size_t j = i + 1, m = 0, n = 0;
      bool has_m = false, has_n = false, comma = false;
      while (j < p.size() && p[j] >= '0' && p[j] <= '9') m = m * 10 + (p[j++] - '0'), has_m = true;
      if (j < p.size() && p[j] == ',') {
        comma = true;
        ++j;
        while (j < p.size() && p[j] >= '0' && p[j] <= '9')
          n = n * 10 + (p[j++] - '0'), has_n = true;
      }
      if (has_m && j < p.size() && p[j] == '}') {
        size_t upper = comma ? (has_n ? n : SIZE_MAX) : m;
        if (upper > kMaxRepeat) {
          *out += '{';
          *out += std::to_string(std::min<size_t>(m, kMaxRepeat));
          *out += ",}";
          i = j;
          continue;
        }
      }
    }
    *out += c;
  }
  return true;
}

struct ScanCtx {
  MultiRegex::Sink sink;
  void* ctx;
};

int OnMatch(unsigned id, unsigned long long, unsigned long long to, unsigned, void* c) {
  auto* sc = static_cast<ScanCtx*>(c);
  sc->sink(sc->ctx, id, static_cast<size_t>(to));
  return 0;
}

}  // namespace

namespace {

hs_database_t* Compile(std::vector<std::string>* exprs, std::vector<unsigned>* flags,
                       std::vector<unsigned>* ids) {
  // A pattern Hyperscan rejects is named by the error: drop it and compile
  // the rest again.
  while (!exprs->empty()) {
    std::vector<const char*> ptrs;
    for (const auto& e : *exprs) ptrs.push_back(e.c_str());
    hs_database_t* db = nullptr;
    hs_compile_error_t* err = nullptr;
    if (hs_compile_multi(ptrs.data(), flags->data(), ids->data(),
                         static_cast<unsigned>(ptrs.size()), HS_MODE_BLOCK, nullptr, &db,
                         &err) == HS_SUCCESS)
      return db;
    int bad = err->expression;
    hs_free_compile_error(err);
    if (bad < 0 || static_cast<size_t>(bad) >= exprs->size()) return nullptr;
    if (!((*flags)[bad] & HS_FLAG_PREFILTER)) {
      (*flags)[bad] |= HS_FLAG_PREFILTER;  // taken approximately, if at all
      continue;
    }
    exprs->erase(exprs->begin() + bad);
    flags->erase(flags->begin() + bad);
    ids->erase(ids->begin() + bad);
  }
  return nullptr;
}

// Cache entry: the accepted pattern count, their ids (4 bytes each), then
// the serialized database.
bool Load(std::string_view entry, size_t n, std::vector<bool>* accepted, hs_database_t** db) {
  auto u32 = [&](size_t at) {
    uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(entry[at + i]);
    return v;
  };
  if (entry.size() < 4) return false;
  size_t count = u32(0), off = 4 + 4 * count;
  if (entry.size() < off) return false;
  std::vector<bool> acc(n, false);
  for (size_t i = 0; i < count; ++i) {
    uint32_t id = u32(4 + 4 * i);
    if (id >= n) return false;
    acc[id] = true;
  }
  if (hs_deserialize_database(entry.data() + off, entry.size() - off, db) != HS_SUCCESS)
    return false;
  *accepted = std::move(acc);
  return true;
}

void Store(const std::string& dir, uint64_t key, std::string_view identity,
           const std::vector<unsigned>& ids, const hs_database_t* db) {
  char* bytes = nullptr;
  size_t len = 0;
  if (hs_serialize_database(db, &bytes, &len) != HS_SUCCESS) return;
  std::string entry;
  auto put = [&](uint32_t v) {
    for (int i = 0; i < 4; ++i) entry.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  };
  put(static_cast<uint32_t>(ids.size()));
  for (unsigned id : ids) put(id);
  entry.append(bytes, len);
  free(bytes);
  CacheWrite(dir, key, entry, kMaxCacheEntries, identity);
}

}  // namespace

std::unique_ptr<MultiRegex> MultiRegex::Build(const std::vector<Pattern>& patterns,
                                              std::vector<bool>* accepted,
                                              const std::string& cache_dir) {
  accepted->assign(patterns.size(), false);
  if (hs_valid_platform() != HS_SUCCESS) return nullptr;
  std::vector<std::string> exprs;  // NUL-terminated, loosened
  std::vector<unsigned> flags, ids;
  exprs.reserve(patterns.size());
  // The entry format and the reading of the patterns (Loosen, byte
  // patterns) are part of the key, with every expression and its flags, and
  // the machine the database is compiled for (one compiled for AVX2 cannot
  // run, or runs slowly, where Hyperscan finds other features).
  hs_platform_info_t platform{};
  hs_populate_platform(&platform);
  // The identity the cache entry is checked against, byte for byte.
  std::string identity = std::string("clean-prefilter-2:") + hs_version() + ":" +
                         std::to_string(platform.tune) + ":" +
                         std::to_string(platform.cpu_features);
  for (size_t i = 0; i < patterns.size(); ++i) {
    std::string e;
    unsigned f = FlagsFor(patterns[i]);
    bool ok = patterns[i].bytes ? (e = patterns[i].expr, true) : Loosen(patterns[i].expr, &e);
    identity += std::to_string(ok ? f : 0) + ":" + e + '\0';
    if (!ok) continue;
    exprs.push_back(std::move(e));
    flags.push_back(f);
    ids.push_back(static_cast<unsigned>(i));
  }
  if (exprs.empty()) return nullptr;
  hs_database_t* db = nullptr;
  std::string entry;
  const uint64_t key = StableHash(identity);
  if (!(CacheRead(cache_dir, key, &entry, identity) &&
        Load(entry, patterns.size(), accepted, &db))) {
    db = Compile(&exprs, &flags, &ids);
    if (db == nullptr) return nullptr;
    for (unsigned id : ids) (*accepted)[id] = true;
    Store(cache_dir, key, identity, ids, db);
  }
  std::unique_ptr<MultiRegex> r(new MultiRegex);
  r->db_ = db;
  r->count_ = static_cast<size_t>(std::count(accepted->begin(), accepted->end(), true));
  return r;
}

MultiRegex::~MultiRegex() { hs_free_database(static_cast<hs_database_t*>(db_)); }

bool MultiRegex::Scan(MultiScratch& scratch, std::string_view text, Sink sink, void* ctx) const {
  ScanCtx sc{sink, ctx};
  return hs_scan(static_cast<hs_database_t*>(db_), text.data(), static_cast<unsigned>(text.size()),
                 0, scratch.impl()->scratch, OnMatch, &sc) == HS_SUCCESS;
}

}  // namespace clean
