// Every tunable of the cleaner, with its default and why. A rule file may
// override a named value for its source with `set NAME VALUE`.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace clean {

struct Options {
  // --- Input ---------------------------------------------------------------
  // Bytes sniffed for NUL to tell binary input from text (git uses 8000).
  int binary_sniff_bytes = 8000;

  // --- Regex guards (PCRE2) ------------------------------------------------
  // Backtracking steps one match call may take before it gives up; the line
  // is then decided by the later stages and the report records the limit.
  int regex_match_limit = 2000000;
  // Heap (KiB) one match call may use for backtracking.
  int regex_heap_limit_kib = 20000;
  // Nested backtracking depth of one match call (PCRE2's depth limit; the
  // JIT, used whenever available, is bounded by its 1 MiB stack instead).
  int regex_depth_limit = 100000;

  // --- Per-page budgets ----------------------------------------------------
  // A page larger than this (bytes) is not cleaned: it fails with a message
  // and the batch goes on (0: no budget beyond the reader's 2 GB).
  int max_page_bytes = 64 << 20;
  // Wall time (ms) the rule matching of one page may take; past it the
  // remaining rule matches are skipped, the heuristics decide the rest, and
  // the report says so under "budget_exceeded" (0: no budget).
  int page_time_budget_ms = 10000;

  // --- Line features -------------------------------------------------------
  // A line at least this long (characters) with enough stop words is "long".
  int long_line_chars = 100;
  // A line shorter than this is "short" whatever its words.
  int short_line_chars = 30;
  // Stop-word share (stop words / words) above which text reads as prose.
  double stopword_high = 0.30;
  // Stop-word share below which a line reads as a label or a headline.
  double stopword_low = 0.15;
  // A line at least this long (characters) with enough stop words is prose
  // even without a sentence's punctuation (a paragraph that lost its full
  // stops, text scraped without them).
  int prose_unpunctuated_chars = 200;
  // Words a title-like line has at most.
  int title_max_words = 22;
  // Minimum words for a line to count as a sentence.
  int sentence_min_words = 5;
  // A title-like line without terminal punctuation of at least this many
  // words is headline-like (a headline run's item, a headline-list line).
  int headline_min_words = 4;
  // ... and of at least this many words has a title's shape (the title
  // above the main text may be shorter than a headline).
  int title_shape_min_words = 3;
  // A line of at most this many words has "few words" (a label, a menu
  // item, a section header).
  int few_words_max = 4;
  // The title is searched among this many non-blank lines above the main
  // region, nearest first.
  int title_lookback_lines = 8;

  // --- Main content region -------------------------------------------------
  // Score per character of a body-like line when locating the main region.
  double region_good_weight = 1.0;
  // Score per character of a medium line (a sentence or two), as a share of
  // region_good_weight.
  double region_medium_share = 0.5;
  // Penalty (in characters) of a boilerplate-like line inside the region.
  double region_bad_penalty = 60.0;
  // Penalty of a short, neutral line inside the region.
  double region_short_penalty = 25.0;
  // Other text blocks count as main text too when their score reaches this
  // share of the best block's (articles split by lists, images, quotes).
  double region_secondary_share = 0.2;
  // ... but a block starting more than region_secondary_far_lines lines below
  // the best block's end (comment threads, the footer's prose) needs this
  // share: the article's text resumes just after a box or an image.
  int region_secondary_far_lines = 15;
  double region_secondary_far_share = 0.5;
  // A body-like line this many characters long is kept even outside the
  // main region (a second article block, a long comment-free paragraph).
  int region_outside_keep_chars = 400;
  // A sentence ending in ':' introduces a list: up to this many short lines
  // after it are list items, which count for the main text instead of against
  // it (and are body inside it) rather than menus or headline runs.
  int lead_in_list_max = 30;
  // ... and at least this many, or the lines are no list.
  int lead_in_list_min = 2;
  // Score per character of such a list item when locating the main region.
  double region_list_weight = 0.5;

  // --- Context -------------------------------------------------------------
  // Short lines after a list header that make a headline list.
  int headline_run_min = 2;
  // Lines of lookaround for the context pass (jusText uses the neighbours).
  int context_max_gap = 3;
  // A line that appears this many times in a page is boilerplate
  // (menus repeated top and bottom, teaser repeated as title and link).
  int repeat_min = 2;
  // Record lists after the article (comment threads, teaser cards): a
  // record is a group of marker lines (a rule's meta line: date, time,
  // byline, "Name says:") and the text after it. At least record_list_min records in a row, each at
  // most record_max_lines non-blank lines, make a record list, when the page has at least
  // record_min_article_chars of prose before it: its text is not the article's.
  int record_list_min = 3;
  int record_max_lines = 12;
  int record_min_article_chars = 400;
  // Card lists (cleaner/classify/card_list.h): at least card_list_min cards in a
  // row, each a headline of at most card_headline_max_chars and one
  // summary line of at most card_summary_max_chars, after at least
  // card_min_article_chars of body text, are teasers, not the article.
  int card_list_min = 3;
  int card_headline_max_chars = 100;
  int card_summary_max_chars = 260;
  int card_min_article_chars = 800;
  // Signature lines (comment_thread.h) are record markers too: a line of at
  // most signature_max_chars bytes and signature_max_tokens words with a
  // time or a year, whose shape record_list_min lines of the page have.
  int signature_max_chars = 120;
  int signature_max_tokens = 16;
  // Lowercase words up to this many bytes stay in a signature's shape
  // ("by", "at", "on"); longer ones are masked like names.
  int signature_word_max_chars = 4;
  // A comments heading (a rule line `as comments`: "12 Comments", "Leave a
  // Reply") after at least this many characters of body text opens the
  // comment section: the heuristics' body lines below it are not the article.
  int comment_section_min_article_chars = 400;
  // An "About NAME" line (a rule line `as about`) or a byline after at least
  // this many characters of body text names the subject of the blurb below
  // it: a body line within context_max_gap lines that starts with the name
  // ("Jane Doe is ...", "Jane covers ...") is the author's or the company's
  // blurb, not the article.
  int bio_min_article_chars = 400;

  // --- HTML input ------------------------------------------------------------
  // Bytes (after decoding to UTF-8) an HTML page may have: a larger page is
  // not cleaned (it fails with a message; in JSONL mode the record is over
  // the limit, passed or dropped by --over-limit).
  int html_max_bytes = 32 << 20;
  // Nesting depth past which start tags are dropped before parsing (gumbo
  // slows to a crawl on deep nesting; real pages stay under ~60).
  int html_max_depth = 512;
  // Attributes one tag keeps before parsing; the rest are dropped and
  // counted (gumbo's tokenizer is quadratic in the attributes of one tag;
  // the dataset pages have at most ~170, duplicates included; the parse
  // costs in proportion: 32 MiB of tags at the cap take ~9 s of CPU).
  int html_max_attributes = 256;
  // Bytes one tag may span before parsing: attributes that end past this
  // many bytes from the tag's '<' are dropped and counted (the name and the
  // closing '>' stay; the datasets' longest tag is ~180 KB, an inline image).
  int html_max_tag_bytes = 1 << 20;
  // A page that declares no charset it is valid in, and is not UTF-8, has
  // its charset guessed by libuchardet only when it has at least this many
  // non-ASCII bytes (in its first 200 kB): a guess on a word or two is often
  // wrong ("na\xEFve" reads as IBM852); below, windows-1252 as before.
  int charset_detect_min_bytes = 8;
  // 1: the content of an inline <svg> (never rendered) is cut before
  // parsing when the parser would keep all of it inside the element; 0: it
  // is parsed (the same lines and report; the parse costs more).
  int html_cut_svg = 1;
  // 1: the attributes nobody reads (src, srcset, href of links, data-*...:
  // attribute_cut.h) are cut from start tags before parsing and are not
  // copied into the tree, unless a rule file has an xpath or container
  // directive; 0: all are parsed and copied (the same lines and report).
  int html_cut_attributes = 1;
  // 1: a run of whitespace between tags is given to the parser as its first
  // byte (the rendering collapses runs), except inside raw text and from the
  // first <pre> or <listing> on, unless a rule file has an xpath or
  // container directive; 0: runs are parsed whole (the same lines and report).
  int html_collapse_space = 1;
  // A page whose rendering has fewer non-space characters than this is
  // rendered again with its <noscript> content (pages that show their text
  // only without JavaScript, or whose markup leaves the body in <noscript>).
  int html_noscript_min_chars = 200;
  // A page whose JSON-LD articleBody has more than this many times the
  // non-space characters of its whole rendering shows only a teaser (a
  // paywall, an article rendered by JavaScript): the articleBody is rendered
  // at the end of the page, as the element <json-ld-article-body>.
  double html_article_body_ratio = 2.0;
  // Share of a line's characters inside links from which it is link-like
  // (menus, teasers); readability and boilerpipe use 0.25-0.5.
  double dom_link_density = 0.5;
  // The main content element is the deepest one holding this share of the
  // page's prose characters.
  double dom_main_share = 0.6;
  // The main content element holds at least this many prose lines (the
  // descent stops above smaller elements).
  int dom_main_min_blocks = 2;
  // A boilerplate-named element (comments, sidebar) is passed over in the
  // descent when a plainly named sibling holds this many prose characters.
  int dom_main_min_chars = 200;
  // An element whose class/id/role is boilerplate but that holds more than
  // this share of the page's prose is a layout wrapper, not a box.
  double dom_boiler_max_share = 0.25;
  // Boilerplate-named boxes that would leave a page with fewer body
  // characters than this, while holding at least as many of the text
  // heuristics' body characters, are its content (live blogs whose posts
  // are named "comment", galleries of "caption" slides) and are not removed.
  int dom_min_body_chars = 200;
  // Prose captions inside the main element holding more than this share of
  // its prose make a gallery: the captions are its text, not captions.
  double dom_gallery_caption_share = 0.5;
  // Below the main element, a prose line outside it stays body only from
  // this length (comment threads, sidebar blurbs and footer prose below
  // the article rarely reach it; a second block of the article's text
  // does). Above the main element, region_outside_keep_chars applies.
  int dom_after_main_keep_chars = 1500;

  // --- Trained line scorer (--model) ---------------------------------------
  // Score below which the model vetoes a kept line; negative: the threshold
  // written in the model file. A source's rule file may set its own.
  double model_threshold = -1;
};

// --- Rule-set limits ------------------------------------------------------
// They bound loading the rules (not settable with `set`); past one, the rules
// fail to load with a `file:line: error:` naming the limit (exit 2).
// A rule file larger than this (bytes) is refused: the shipped files are
// under 20 KB, and a cold compile costs about 3 ms of Hyperscan per regex.
inline constexpr size_t kMaxRuleFileBytes = 2 << 20;
// Rules (`line` and `section`, counted once per include that splices them
// in), fingerprints and include splices of a whole rule set: 20,000 rules
// like the shipped ones take minutes and about 300 MB to compile when the
// cache is cold. An include tree that doubles per level expands past it
// long before memory runs out (22 levels made 4.2 M rules).
inline constexpr size_t kMaxRules = 20000;
// Nested includes (a file including one that includes another...).
inline constexpr int kMaxIncludeDepth = 16;

// One named field of Options, for `set` in rule files and for documentation.
struct OptionField {
  std::string_view name;
  std::variant<int Options::*, double Options::*> member;
  std::string_view doc;
};
const std::vector<OptionField>& OptionFields();
const OptionField* FindOption(std::string_view name);

// Sets a field from text; false (and *error filled) when the value does not
// parse or is out of range.
bool SetOption(Options& o, const OptionField& f, std::string_view value, std::string* error);

}  // namespace clean
