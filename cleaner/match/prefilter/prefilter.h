// The prefilter: the one entry point of match/prefilter/ (the other headers
// of this folder are its parts, included only here). Given a set of
// regexes, it names for a page the candidate lines each regex may match,
// a superset of the lines it matches; the caller confirms each candidate
// with PCRE2 (regex.h) on that line alone, and scans the page with PCRE2
// for the regexes the prefilter leaves to it (pcre_only).
// How it finds them (plan_prefilter.h): one automaton run from the start of
// each line, one Hyperscan pass over the page (two when some regexes have
// only very short rare parts) and a literal scan for the shortest rare
// parts. The compiled parts are cached on disk (prefilter_cache.h).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cleaner/text/page.h"

namespace clean {

struct PrefilterPlan;

class Prefilter {
 public:
  struct Regex {
    int matcher = -1;
    std::string_view pattern;
    bool caseless = false;
    bool head_ok = true;  // false: never in the line-head automaton
  };
  // With a cache directory, the automaton and the Hyperscan databases are
  // cached there.
  static Prefilter Build(const std::vector<Regex>& regexes, const std::string& cache_dir);
  // The cache directory from the environment ("" when there is none):
  //   $CLEAN_CACHE_DIR, else $XDG_CACHE_HOME/clean, else $HOME/.cache/clean;
  //   CLEAN_CACHE_DIR set to the empty string turns the cache off.
  static std::string DefaultCacheDir();

  Prefilter();  // of no regex
  ~Prefilter();
  Prefilter(Prefilter&&) noexcept;
  Prefilter& operator=(Prefilter&&) noexcept;

  // How the candidate lines of `matcher` are found. A regex taking the same
  // route in two prefilters gets the same candidates (and so the same hits
  // and limits) from both.
  enum class Route { kNone, kHead, kDb, kShortLiterals, kShortDb, kPcreOnly };
  Route RouteOf(int matcher) const;

  // Per-thread scan state (Hyperscan scratch fitted to every database it
  // scanned, and buffers reused from page to page).
  class Scratch {
   public:
    Scratch();
    ~Scratch();
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
    struct Impl;

   private:
    std::unique_ptr<Impl> impl_;
    friend class Prefilter;
  };

  struct Candidate {
    uint32_t line;
    int32_t matcher;
  };
  // The candidate lines of every regex of the prefilter on `page` into
  // *found: those of the Hyperscan databases in order of match end, then
  // those of the literal scan, then those of the line-head automaton. False
  // when Hyperscan failed on the page: *found is empty, and every regex of
  // Prefiltered() must be scanned by PCRE2 instead.
  bool FindCandidates(const Page& page, Scratch& scratch, std::vector<Candidate>* found) const;

  // False when `line` cannot match `matcher`: it holds a byte no match of a
  // whole-line regex (/^...$/) holds. Checked before PCRE2 confirms a
  // candidate.
  bool MayMatch(int matcher, std::string_view line) const;
  // The regexes whose candidates FindCandidates names (each once).
  const std::vector<int>& Prefiltered() const { return prefiltered_; }
  // The regexes it leaves to PCRE2 (no candidates: scan the page for them).
  const std::vector<int>& pcre_only() const;

  // The routes in detail (plan_prefilter.h), for the prefilter's own tests.
  const PrefilterPlan& plan() const { return *plan_; }

 private:
  std::unique_ptr<PrefilterPlan> plan_;
  std::vector<int> prefiltered_;
};

}  // namespace clean
