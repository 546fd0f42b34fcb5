#include "cleaner/html/attribute_cut.h"

#include <algorithm>
#include <cstring>
#include <iterator>

namespace clean {

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool In(std::string_view n, const std::string_view* b, const std::string_view* e) {
  return std::find(b, e, n) != e;
}

// Elements kept with all their attributes.
bool KeptWhole(std::string_view tag) {
  static constexpr std::string_view kNames[] = {"b",      "big",  "code", "em",     "font",
                                                "i",      "nobr", "s",    "small",  "strike",
                                                "strong", "tt",   "u",    "isindex"};
  return In(tag, std::begin(kNames), std::end(kNames));
}

// `s` lower-cased into buf (ASCII, as the tokenizer does); a name longer
// than buf is returned as "" (no read name is that long).
std::string_view LowerName(std::string_view s, char (&buf)[16]) {
  if (s.size() > sizeof buf) return {};
  for (size_t i = 0; i < s.size(); ++i) buf[i] = Lower(s[i]);
  return std::string_view(buf, s.size());
}

}  // namespace

bool AttributeRead(std::string_view tag, std::string_view name) {
  static constexpr std::string_view kAll[] = {"class",     "id",       "role",  "itemprop",
                                              "itemscope", "datetime", "rel",   "lang",
                                              "hidden",    "type",     "style", "encoding"};
  static constexpr std::string_view kMeta[] = {"name", "property", "http-equiv", "content"};
  if (In(name, std::begin(kAll), std::end(kAll))) return true;
  if (tag == "meta") return In(name, std::begin(kMeta), std::end(kMeta));
  return tag == "link" && name == "href";
}

AttributeCut AppendReadAttributes(std::string_view tag, std::string* out) {
  AttributeCut r;
  const size_t n = tag.size();
  if (n < 3 || tag[0] != '<' || tag[n - 1] != '>') return r;
  size_t i = 1;
  while (i < n && !IsSpace(tag[i]) && tag[i] != '/' && tag[i] != '>') ++i;
  char tag_buf[16], name_buf[16];
  const std::string_view tag_name = LowerName(tag.substr(1, i - 1), tag_buf);
  if (KeptWhole(tag_name)) return r;
  const size_t start = out->size();
  out->append(tag.substr(0, i));
  bool closed = false, self_closing = false;
  // The tokenizer's attribute states: names, '=', quoted or unquoted values;
  // a '/' not before the '>' is skipped.
  for (;;) {
    while (i < n && (IsSpace(tag[i]) || (tag[i] == '/' && i + 1 < n && tag[i + 1] != '>'))) ++i;
    if (i >= n) break;
    if (tag[i] == '>' || tag[i] == '/') {
      self_closing = tag[i] == '/';
      closed = i + (self_closing ? 2 : 1) == n;
      break;
    }
    const size_t name_begin = i++;  // a name's first character may be '='
    while (i < n && !IsSpace(tag[i]) && tag[i] != '/' && tag[i] != '>' && tag[i] != '=') ++i;
    const size_t name_end = i;
    size_t j = i;
    while (j < n && IsSpace(tag[j])) ++j;
    if (j < n && tag[j] == '=') {
      ++j;
      while (j < n && IsSpace(tag[j])) ++j;
      if (j < n && (tag[j] == '"' || tag[j] == '\'')) {
        const void* q = std::memchr(tag.data() + j + 1, tag[j], n - j - 1);
        if (!q) {
          r.open_quote = true;
          break;
        }
        i = static_cast<const char*>(q) - tag.data() + 1;
      } else {
        while (j < n && !IsSpace(tag[j]) && tag[j] != '>') ++j;
        i = j;
      }
    }
    const std::string_view name = tag.substr(name_begin, name_end - name_begin);
    if (AttributeRead(tag_name, LowerName(name, name_buf))) {
      out->push_back(' ');
      out->append(tag.substr(name_begin, i - name_begin));
    } else {
      r.bytes += i - name_begin;
    }
  }
  // A CDATA section's "]]>" (in foreign content) stays whole.
  if (!closed || r.bytes == 0 || tag.substr(n - 3) == "]]>") {
    out->resize(start);
    r.bytes = 0;
    return r;
  }
  out->append(self_closing ? " />" : ">");
  r.rewritten = true;
  return r;
}

}  // namespace clean
