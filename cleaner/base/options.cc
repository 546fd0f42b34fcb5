#include "cleaner/base/options.h"

#include <charconv>
#include <cstdlib>

namespace clean {

const std::vector<OptionField>& OptionFields() {
  static const std::vector<OptionField> kFields = {
#define CLEAN_OPT(name, doc) {#name, &Options::name, doc}
      CLEAN_OPT(binary_sniff_bytes, "bytes sniffed for NUL to detect binary input"),
      CLEAN_OPT(regex_match_limit, "PCRE2 match limit per match call"),
      CLEAN_OPT(regex_heap_limit_kib, "PCRE2 heap limit per match call (KiB)"),
      CLEAN_OPT(regex_depth_limit, "PCRE2 depth limit per match call"),
      CLEAN_OPT(max_page_bytes, "bytes a page may have to be cleaned (0: no budget)"),
      CLEAN_OPT(page_time_budget_ms, "ms the rule matching of a page may take (0: no budget)"),
      CLEAN_OPT(long_line_chars, "characters from which a prose line is long"),
      CLEAN_OPT(short_line_chars, "characters under which a line is short"),
      CLEAN_OPT(stopword_high, "stop-word share from which a line reads as prose"),
      CLEAN_OPT(stopword_low, "stop-word share under which a line reads as a label"),
      CLEAN_OPT(prose_unpunctuated_chars, "prose line length without sentence punctuation"),
      CLEAN_OPT(title_max_words, "words a title-like line has at most"),
      CLEAN_OPT(sentence_min_words, "words a sentence has at least"),
      CLEAN_OPT(headline_min_words, "words a headline-like line has at least"),
      CLEAN_OPT(title_shape_min_words, "words a line with a title's shape has at least"),
      CLEAN_OPT(few_words_max, "words a line of few words (a label) has at most"),
      CLEAN_OPT(title_lookback_lines,
                "non-blank lines above the main region searched for the title"),
      CLEAN_OPT(region_good_weight, "main-region score per character of a body-like line"),
      CLEAN_OPT(region_medium_share,
                "share of region_good_weight a medium line scores per character"),
      CLEAN_OPT(region_bad_penalty, "main-region penalty of a boilerplate-like line"),
      CLEAN_OPT(region_short_penalty, "main-region penalty of a short neutral line"),
      CLEAN_OPT(region_secondary_share,
                "score share of the best block from which another block is main text too"),
      CLEAN_OPT(region_secondary_far_lines,
                "lines below the best block's end past which a block is far below it"),
      CLEAN_OPT(region_secondary_far_share,
                "score share of the best block from which a block far below it is main text"),
      CLEAN_OPT(region_outside_keep_chars,
                "prose line kept outside the main region from this length"),
      CLEAN_OPT(lead_in_list_max, "list items a sentence ending in ':' introduces at most"),
      CLEAN_OPT(lead_in_list_min, "list items a sentence ending in ':' introduces at least"),
      CLEAN_OPT(region_list_weight, "region score per character of a list item after a lead-in"),
      CLEAN_OPT(headline_run_min, "short lines after a list header that make a headline list"),
      CLEAN_OPT(context_max_gap, "lines of lookaround in the context pass"),
      CLEAN_OPT(record_list_min, "records in a row that make a record list"),
      CLEAN_OPT(record_max_lines, "non-blank lines a record of a record list has at most"),
      CLEAN_OPT(record_min_article_chars, "prose characters before a record list"),
      CLEAN_OPT(card_list_min,
                "teaser cards in a row at the end of the body that make a card list"),
      CLEAN_OPT(card_headline_max_chars, "characters a card's headline has at most"),
      CLEAN_OPT(card_summary_max_chars, "characters a card's summary line has at most"),
      CLEAN_OPT(card_min_article_chars, "body characters before a card list"),
      CLEAN_OPT(signature_max_chars, "bytes a comment signature line has at most"),
      CLEAN_OPT(signature_max_tokens, "words a comment signature line has at most"),
      CLEAN_OPT(signature_word_max_chars, "bytes of a lowercase word kept in a signature shape"),
      CLEAN_OPT(comment_section_min_article_chars,
                "body characters before a comments heading that opens the comment section"),
      CLEAN_OPT(bio_min_article_chars,
                "body characters before an \"About NAME\" line or byline that names a blurb"),
      CLEAN_OPT(repeat_min, "occurrences in a page that make a line boilerplate"),
      CLEAN_OPT(html_max_bytes, "bytes (as UTF-8) an HTML page may have to be cleaned"),
      CLEAN_OPT(html_max_depth, "HTML nesting depth past which start tags are dropped"),
      CLEAN_OPT(html_max_attributes, "attributes one HTML tag keeps; the rest are dropped"),
      CLEAN_OPT(html_max_tag_bytes, "bytes of one HTML tag past which its attributes are dropped"),
      CLEAN_OPT(charset_detect_min_bytes, "non-ASCII bytes an undeclared page needs for detection"),
      CLEAN_OPT(
          html_cut_svg,
          "1: cut inline <svg> content before parsing where the parser keeps it in the element"),
      CLEAN_OPT(html_cut_attributes,
                "1: cut attributes nobody reads before parsing (kept when a rule uses XPath)"),
      CLEAN_OPT(html_collapse_space,
                "1: give the HTML parser each whitespace run as one byte (kept when a rule uses XPath)"),
      CLEAN_OPT(html_noscript_min_chars,
                "rendered characters below which <noscript> content is rendered too"),
      CLEAN_OPT(
          html_article_body_ratio,
          "times the rendering's characters above which a JSON-LD articleBody is rendered too"),
      CLEAN_OPT(dom_link_density, "share of link text from which a line is link-like"),
      CLEAN_OPT(dom_boiler_max_share,
                "prose share above which a boilerplate-named element is a layout wrapper"),
      CLEAN_OPT(dom_main_share, "share of the page's prose the main content element holds"),
      CLEAN_OPT(dom_main_min_blocks, "prose lines the main content element holds at least"),
      CLEAN_OPT(
          dom_main_min_chars,
          "prose of a plain element that outranks a boilerplate-named sibling in the main search"),
      CLEAN_OPT(dom_min_body_chars,
                "body characters below which boilerplate-named boxes that took more are kept as "
                "the content"),
      CLEAN_OPT(
          dom_gallery_caption_share,
          "share of the main element's prose in captions from which they are its text (a gallery)"),
      CLEAN_OPT(dom_after_main_keep_chars,
                "prose line kept outside and below the main element from this length"),
      CLEAN_OPT(model_threshold,
                "score below which --model vetoes a kept line (default: the model file's)"),
#undef CLEAN_OPT
  };
  return kFields;
}

const OptionField* FindOption(std::string_view name) {
  for (const auto& f : OptionFields())
    if (f.name == name) return &f;
  return nullptr;
}

bool SetOption(Options& o, const OptionField& f, std::string_view value, std::string* error) {
  if (auto p = std::get_if<int Options::*>(&f.member)) {
    int v = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
    if (ec != std::errc() || end != value.data() + value.size() || v < 0) {
      *error = "expected a non-negative whole number for '" + std::string(f.name) + "'";
      return false;
    }
    o.*(*p) = v;
    return true;
  }
  std::string s(value);
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || v < 0) {
    *error = "expected a non-negative number for '" + std::string(f.name) + "'";
    return false;
  }
  o.*(std::get<double Options::*>(f.member)) = v;
  return true;
}

}  // namespace clean
