// `clean learn`: reads pages one at a time, groups them by source and
// counts, per source, the lines that recur from page to page (exactly or
// up to digits and dates, line_key.h); Finish names the recurring lines
// of each source with enough pages and guesses their class. Each page is
// cleaned with the rule set as `clean` would (HTML rendered to lines the
// same way), so that a line's class and place come from the classifier.
// Memory is bounded by LearnOptions' caps, not by the pages read.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cleaner/cleaner.h"
#include "cleaner/learn/learn_options.h"
#include "cleaner/learn/learn_vocab.h"
#include "cleaner/learn/line_table.h"

namespace clean {

// One recurring line of a source, as a rule file will hold it.
struct LearnedLine {
  std::string text;     // an exact text of it, from a page
  std::string key;      // its key (line_key.h)
  bool varies = false;  // its pages held different texts: a regex rule
  std::string regex;    // then its regex (KeyRegex of the key)
  LineClass cls = LineClass::kNavigation;
  std::string why;  // what gave the class ("above the article", "vocabulary", ...)
  // Written commented out: the classifier kept it as body on most pages,
  // or a section of the shipped rules decided it there (`shipped`; a line
  // rule would take the line from that section's start or run).
  bool commented = false;
  uint32_t pages = 0, body = 0, shipped = 0;
};

// A block of changing lines between two recurring ones (a "Most read"
// header, its teasers, a fixed line after them), as a section rule: it
// starts after the opener and ends at the closer (or at a prose line).
struct LearnedSection {
  size_t opener = 0, closer = 0;  // indices into LearnedSource::lines
  LineClass cls = LineClass::kNavigation;
  uint32_t pages = 0;   // pages with the block, at least
  uint32_t lines = 0;   // lines in the opener's blocks, over all its pages
  std::string example;  // a line of a block, for the expect line ("": none)
};

struct LearnedSource {
  enum class Outcome { kRules, kTooFewPages, kMirror, kNothing };
  std::string name;    // the source's name, a valid rule id
  std::string domain;  // its registered domain ("" with --source-field)
  uint32_t pages = 0;
  uint32_t threshold = 0;  // pages a line must be on
  double coverage = 0;     // recurring lines' share of all its lines
  Outcome outcome = Outcome::kNothing;
  std::vector<LearnedLine> lines;        // in rule order (place on the page, then text)
  std::vector<LearnedSection> sections;  // by opener, then closer
};

// What counting needs of one cleaned page: its source and its non-blank
// lines in order, each with the classifier's class, whether it is prose
// and whether the input stage decided it (the scraper's date header).
struct PageLines {
  struct Line {
    uint32_t begin = 0, size = 0;  // in text
    LineClass cls = LineClass::kBody;
    bool prose = false, input = false;
    bool shipped = false;  // a section of the shipped rules decided it
  };
  std::string source, domain;
  std::string text;  // the lines' bytes, one after the other
  std::vector<Line> lines;
  std::string_view line(size_t k) const { return {text.data() + lines[k].begin, lines[k].size}; }
};

class Learner {
 public:
  Learner(const RuleSet& rules, const LearnVocabulary& vocab, const LearnOptions& options);

  // A cleaner as the learner's own (for Read on another thread).
  std::unique_ptr<Cleaner> NewCleaner() const;
  // The first half of AddPage, which touches no state of the learner, so
  // that pages can be read on several threads, each with its own cleaner:
  // cleans the page and names its source into *out. `valid_utf8`: as
  // set_input_valid_utf8. False with *error set as AddPage.
  bool Read(Cleaner* cleaner, std::string_view name, std::string_view bytes, InputFormat format,
            bool valid_utf8, std::string_view url, std::string_view source, PageLines* out,
            std::string* error) const;
  // The second half: counts a page Read gave. The learned files depend
  // on the order pages are added in, not on which thread read them.
  void Add(const PageLines& page);

  // Adds one page. `url`: its URL (the source is its registered domain);
  // `source`: a source name given instead (--source-field, --source); both
  // empty: an HTML page's own canonical URL or og:url, else the page is
  // refused. False with *error set when the page is not counted (no URL,
  // binary, over a size budget).
  bool AddPage(std::string_view name, std::string_view bytes, InputFormat format,
               std::string_view url, std::string_view source, std::string* error);

  // On: the caller vouches that text pages are valid UTF-8 (JSONL text
  // decoded from validated strings); the reader skips its repair pass.
  void set_input_valid_utf8(bool on) { valid_utf8_ = on; }

  // The sources in name order, with their recurring lines.
  std::vector<LearnedSource> Finish() const;

  // Keys held over all sources now (bounded by the options' caps).
  size_t lines_held() const { return held_; }
  size_t sources() const { return tables_.size(); }

 private:
  struct SourceState {
    std::string domain;
    LineTable table;
  };
  void Count(SourceState* s, const PageLines& p);
  LearnedSource Name(const std::string& name, const SourceState& s) const;
  LearnedLine Guess(const LineStats& st) const;
  void VoteBlocks(LineTable* table, const PageLines& p);
  void FindSections(const std::vector<std::pair<uint64_t, const LineStats*>>& found,
                    const std::vector<size_t>& place, LearnedSource* out) const;

  const RuleSet& rules_;
  const LearnVocabulary& vocab_;
  LearnOptions options_;
  std::vector<char> section_decider_;  // by decider: a section rule of the rules
  Cleaner cleaner_;
  bool valid_utf8_ = false;
  PageLines page_;  // AddPage's, reused
  std::map<std::string, SourceState, std::less<>> tables_;
  size_t held_ = 0;
  // Per-page scratch, reused.
  std::string key_;
  static constexpr uint32_t kNone = ~0u;
  std::vector<uint32_t> stats_;  // the table index of each line's stats, kNone: not counted
  std::vector<uint8_t> known_;
  std::vector<uint8_t> marked_;
  std::vector<uint64_t> hashes_;  // each line's key hash
};

// A source name made from a domain or a field's value: the characters a
// rule id may hold (letters, digits, '_', '.', '-'), others as '_'; empty
// stays empty.
std::string LearnedSourceName(std::string_view raw);

}  // namespace clean
