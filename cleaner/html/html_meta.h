// What an HTML page says about itself: title, publication date, author,
// canonical URL, site name and domain, and a JSON-LD articleBody. Read from
// <meta> tags, JSON-LD, <link rel=canonical>, <time datetime>, <h1> and
// <title>, in the order documented in rules/README.md.
#pragma once
#include <string>

#include "cleaner/html/dom_tree.h"
#include "cleaner/html/html_parse.h"

namespace clean {

struct HtmlMeta {
  std::string title, date, author, canonical_url, site_name, domain;
  std::string article_body;  // JSON-LD articleBody (JSON-unescaped, as is), "" when none
  void Clear();
};

void ReadHtmlMeta(const DomTree& tree, const HtmlHead& head, HtmlMeta* out);

// The host of an http(s) URL, lower-cased, without "www." ("" when none).
std::string UrlDomain(std::string_view url);

}  // namespace clean
