#include "cleaner/html/html_meta.h"

#include "cleaner/base/url.h"

#include <algorithm>

#include "cleaner/base/text_util.h"

namespace clean {

void HtmlMeta::Clear() { *this = HtmlMeta(); }

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The first YYYY-MM-DD (years 19xx/20xx) in s, or "".
std::string FindIsoDate(std::string_view s) {
  for (size_t i = 0; i + 10 <= s.size(); ++i) {
    std::string_view d = s.substr(i, 10);
    if (!((d[0] == '1' && d[1] == '9') || (d[0] == '2' && d[1] == '0'))) continue;
    bool ok = IsDigit(d[2]) && IsDigit(d[3]) && d[4] == '-' && IsDigit(d[5]) && IsDigit(d[6]) &&
              d[7] == '-' && IsDigit(d[8]) && IsDigit(d[9]);
    if (ok) return std::string(d);
  }
  return {};
}

std::string_view MetaValue(const HtmlHead& head, std::string_view key) {
  for (const auto& [k, v] : head.metas)
    if (k == key) return v;
  return {};
}

// Unescapes a JSON string body starting at s[i] (just after the opening
// quote); stops at the closing quote.
std::string JsonString(std::string_view s, size_t i) {
  std::string out;
  while (i < s.size() && s[i] != '"') {
    char c = s[i++];
    if (c != '\\' || i >= s.size()) {
      out.push_back(c);
      continue;
    }
    char e = s[i++];
    switch (e) {
      case 'n': out.push_back('\n'); break;
      case 't': out.push_back('\t'); break;
      case 'r': out.push_back('\r'); break;
      case 'b':
      case 'f': out.push_back(' '); break;
      case 'u': {
        if (i + 4 > s.size()) return out;
        uint32_t cp = 0;
        for (int k = 0; k < 4; ++k) {
          char h = s[i + k];
          cp = cp * 16 + (IsDigit(h)                           ? h - '0'
                          : (h | 32) >= 'a' && (h | 32) <= 'f' ? (h | 32) - 'a' + 10
                                                               : 0);
        }
        i += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 <= s.size() && s[i] == '\\' && s[i + 1] == 'u') {
          uint32_t lo = 0;
          for (int k = 0; k < 4; ++k) {
            char h = s[i + 2 + k];
            lo = lo * 16 + (IsDigit(h)                           ? h - '0'
                            : (h | 32) >= 'a' && (h | 32) <= 'f' ? (h | 32) - 'a' + 10
                                                                 : 0);
          }
          if (lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            i += 6;
          }
        }
        if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
        Utf8Append(cp, &out);
        break;
      }
      default: out.push_back(e);
    }
  }
  return out;
}

// The string value of "key": "..." in JSON text, or "" (first occurrence).
std::string JsonField(std::string_view json, std::string_view key, size_t from = 0) {
  std::string quoted;  // built by appends: GCC 12 warns (-Wrestrict) on "x" + std::string
  quoted.reserve(key.size() + 2);
  quoted.push_back('"');
  quoted.append(key);
  quoted.push_back('"');
  size_t k = json.find(quoted, from);
  while (k != std::string_view::npos) {
    size_t p = k + quoted.size();
    while (p < json.size() &&
           (json[p] == ' ' || json[p] == '\n' || json[p] == '\t' || json[p] == '\r'))
      ++p;
    if (p < json.size() && json[p] == ':') {
      ++p;
      while (p < json.size() &&
             (json[p] == ' ' || json[p] == '\n' || json[p] == '\t' || json[p] == '\r'))
        ++p;
      if (p < json.size() && json[p] == '"') return JsonString(json, p + 1);
      if (p < json.size() && (json[p] == '{' || json[p] == '[') && key == "author") {
        // "author": {"name": "..."} or [{"name": "..."}]
        size_t n = json.find("\"name\"", p);
        if (n != std::string_view::npos && n < p + 400) return JsonField(json, "name", n);
      }
    }
    k = json.find(quoted, k + 1);
  }
  return {};
}

// Whitespace runs as one space, none at either end.
std::string Collapse(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (IsAsciiSpace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

// Text content of an element, whitespace collapsed.
std::string TextOf(const DomTree& t, uint32_t n) {
  std::string raw;
  std::vector<uint32_t> stack{n};
  while (!stack.empty()) {
    uint32_t x = stack.back();
    stack.pop_back();
    if (!t.is_element(x)) {
      raw.append(t.text(x));
      continue;
    }
    size_t mark = stack.size();
    for (uint32_t c = t.node(x).first_child; c != kNoNode; c = t.node(c).next_sibling)
      stack.push_back(c);
    std::reverse(stack.begin() + mark, stack.end());
  }
  return Collapse(raw);
}

}  // namespace

std::string UrlDomain(std::string_view url) {
  std::string host(UrlHost(url));
  for (char& c : host) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  if (host.rfind("www.", 0) == 0) host.erase(0, 4);
  return host;
}

void ReadHtmlMeta(const DomTree& tree, const HtmlHead& head, HtmlMeta* out) {
  out->Clear();
  // Date: the meta keys of render_text.py in its order, JSON-LD, <time>.
  static constexpr std::string_view kDateKeys[] = {"article:published_time",
                                                   "og:published_time",
                                                   "datepublished",
                                                   "article.published",
                                                   "publishdate",
                                                   "publish-date",
                                                   "publish_date",
                                                   "pubdate",
                                                   "parsely-pub-date",
                                                   "sailthru.date",
                                                   "dc.date.issued",
                                                   "dcterms.created",
                                                   "dc.date",
                                                   "date",
                                                   "og:updated_time",
                                                   "article:modified_time",
                                                   "datemodified",
                                                   "last-modified"};
  for (std::string_view k : kDateKeys) {
    out->date = FindIsoDate(MetaValue(head, k));
    if (!out->date.empty()) break;
  }
  for (const auto& j : head.json_ld) {
    if (out->date.empty()) out->date = FindIsoDate(JsonField(j, "datePublished"));
    if (out->author.empty()) out->author = JsonField(j, "author");
    if (out->article_body.empty()) out->article_body = JsonField(j, "articleBody");
    if (out->site_name.empty()) {
      size_t pub = j.find("\"publisher\"");
      if (pub != std::string::npos) out->site_name = JsonField(j, "name", pub);
    }
  }
  uint32_t h1 = kNoNode;
  for (uint32_t i = 0; i < tree.size(); ++i) {
    if (!tree.is_element(i)) continue;
    std::string_view tag = tree.tag(i);
    if (out->date.empty() && tag == "time") out->date = FindIsoDate(tree.attr(i, "datetime"));
    if (h1 == kNoNode && tag == "h1") h1 = i;
    if (out->author.empty() &&
        (tree.attr(i, "itemprop") == "author" || tree.attr(i, "rel") == "author"))
      out->author = TextOf(tree, i);
  }
  out->title = Collapse(MetaValue(head, "og:title"));
  if (out->title.empty() && h1 != kNoNode) out->title = TextOf(tree, h1);
  if (out->title.empty()) out->title = Collapse(head.title);
  if (out->author.empty()) {
    std::string_view a = MetaValue(head, "author");
    if (a.empty()) a = MetaValue(head, "article:author");
    if (a.find("://") == std::string_view::npos) out->author = Collapse(a);
  }
  out->canonical_url = head.canonical;
  if (out->canonical_url.empty()) out->canonical_url = std::string(MetaValue(head, "og:url"));
  std::string_view site = MetaValue(head, "og:site_name");
  if (!site.empty()) out->site_name = Collapse(site);
  if (out->site_name.empty()) out->site_name = Collapse(MetaValue(head, "application-name"));
  out->domain = UrlDomain(out->canonical_url);
}

}  // namespace clean
