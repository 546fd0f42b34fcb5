// Every threshold of `clean learn`, with its default and why (each is a flag
// of the command, see cli/learn_cli.cc).
#pragma once
#include <cstddef>
#include <string>

namespace clean {

struct LearnOptions {
  // A source needs at least this many pages before any of its lines is
  // called recurring: with fewer, chance repeats look like templates.
  int min_pages = 5;
  // A line recurs when it is on at least this share of its source's pages
  // (and on at least two of them), exactly or up to digits and dates.
  double min_share = 0.3;
  // A recurring line that the classifier kept as body on more than this
  // share of its pages is written commented out, for a person to decide.
  double body_share = 0.5;
  // A source whose recurring lines make up at least this share of all its
  // pages' lines is a mirror of one page (every line repeats): no rules.
  double mirror_share = 0.9;
  // Distinct lines counted per source; past it the lines seen on fewest
  // pages are dropped (a line first seen after that needs to recur on two
  // pages within the next table's worth of lines to be kept).
  size_t max_lines_per_source = 4096;
  // Distinct lines counted over all sources together: past it, every
  // source drops its lines seen on one page only.
  size_t max_lines_total = 2000000;
  // Lines longer than this (bytes) are not counted: templates are short,
  // and the rule file must stay under kMaxRuleFileBytes.
  size_t max_line_bytes = 1000;
  // At most this many rules are written per source (the most frequent).
  int max_rules = 400;
  // A section is learned where two recurring lines enclose, on a page, a
  // block of at least section_min_lines and at most section_max_lines
  // lines that do not recur, none of them body, title or prose for the
  // classifier (a "Most read" header, its changing teasers, a fixed
  // footer line), on at least min_share of the source's pages. One line
  // between two recurring ones is most often the article's title.
  int section_min_lines = 2;
  int section_max_lines = 40;
};

}  // namespace clean
