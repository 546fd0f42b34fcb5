// The PCRE2 adapter: the only file that includes pcre2.h. Patterns are
// compiled once (UTF, multiline, JIT) and matched with bounded effort.
#pragma once
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace clean {

// Per-thread matching state, reused across every match call of a thread:
// one match-data block, one match context carrying the limits, one JIT stack.
class MatchScratch {
 public:
  MatchScratch(int match_limit, int heap_limit_kib);
  // Changes the limits for the following match calls.
  void SetLimits(int match_limit, int heap_limit_kib);
  // Changes PCRE2's depth limit (the interpreter's; the JIT is bounded by
  // its stack) for the following match calls.
  void SetDepthLimit(int depth_limit);
  // Past `deadline`, Regex::Find returns kBudget at once without matching
  // (the clock is read on the first call after SetDeadline and every few
  // calls after that, so a few more calls may still match);
  // time_point::max() (the default) means no deadline.
  void SetDeadline(std::chrono::steady_clock::time_point deadline);
  ~MatchScratch();
  MatchScratch(const MatchScratch&) = delete;
  MatchScratch& operator=(const MatchScratch&) = delete;
  struct Impl;
  Impl* impl() const { return impl_.get(); }

 private:
  std::unique_ptr<Impl> impl_;
};

class Regex {
 public:
  // kLimit: a PCRE2 limit stopped this call; kBudget: the scratch's
  // deadline had passed, nothing was matched.
  enum class Result { kNoMatch, kMatch, kLimit, kBudget };

  // Compiles `pattern`. On failure returns null and fills *error and
  // *error_offset (byte offset into the pattern, from PCRE2).
  static std::unique_ptr<Regex> Compile(std::string_view pattern, bool caseless, std::string* error,
                                        size_t* error_offset);
  ~Regex();

  // True when the pattern can match an empty string (minimum length 0).
  bool CanMatchEmpty() const;

  // Finds the leftmost match in subject at or after `start`. ^ and $ match at
  // line boundaries ('\n'). The subject must be valid UTF-8 (not re-checked).
  Result Find(MatchScratch& scratch, std::string_view subject, size_t start, size_t* begin,
              size_t* end) const;

  const std::string& pattern() const { return pattern_; }

 private:
  Regex() = default;
  void* code_ = nullptr;  // pcre2_code*
  bool jit_ = false;      // JIT-compiled: matched by pcre2_jit_match
  std::string pattern_;
};

}  // namespace clean
