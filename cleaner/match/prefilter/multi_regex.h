// The Hyperscan adapter: the only file that includes hs.h. A set of patterns
// is compiled into one database and scanned over a whole page in one pass.
// It is a prefilter: it reports candidate (pattern, end offset) pairs, a
// superset of the matches PCRE2 finds, which the caller confirms with PCRE2
// (regex.h) on the candidate line. A pattern is either a rule regex, loosened
// and compiled in UTF-8 mode, or already a sound byte-level pattern
// (byte_pattern.h). Patterns Hyperscan cannot take, even in prefilter mode,
// are left out and stay with PCRE2 alone.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace clean {

class MultiRegex;

// Per-thread scan state, fitted to every database it will scan.
class MultiScratch {
 public:
  MultiScratch();
  ~MultiScratch();
  MultiScratch(const MultiScratch&) = delete;
  MultiScratch& operator=(const MultiScratch&) = delete;
  // Grows the scratch so that `db` can be scanned with it.
  void Fit(const MultiRegex& db);
  struct Impl;
  Impl* impl() const { return impl_.get(); }

 private:
  std::unique_ptr<Impl> impl_;
};

class MultiRegex {
 public:
  struct Pattern {
    std::string_view expr;  // PCRE syntax, as given to Regex::Compile
    bool caseless = false;
    // expr is in Hyperscan's byte syntax already (byte_pattern.h
    // ToHyperscan): compiled as it is, without the UTF-8 flag; text is
    // matched byte by byte.
    bool bytes = false;
  };
  // Compiles the patterns Hyperscan accepts; (*accepted)[i] says whether
  // pattern i is in the database. Returns null when none is (or Hyperscan
  // is not usable on this machine). With a cache directory (see
  // prefilter_cache.h), a database compiled before is loaded from there.
  static std::unique_ptr<MultiRegex> Build(const std::vector<Pattern>& patterns,
                                           std::vector<bool>* accepted,
                                           const std::string& cache_dir = "");
  ~MultiRegex();

  // Calls sink(pattern index, end offset) for every match end in `text`, in
  // increasing end offset. `text` must be valid UTF-8. Returns false if the
  // scan failed (the caller then falls back to PCRE2 for every pattern).
  using Sink = void (*)(void* ctx, uint32_t pattern, size_t end);
  bool Scan(MultiScratch& scratch, std::string_view text, Sink sink, void* ctx) const;

  size_t size() const { return count_; }

 private:
  MultiRegex() = default;
  void* db_ = nullptr;  // hs_database_t*
  size_t count_ = 0;
  friend class MultiScratch;
};

}  // namespace clean
