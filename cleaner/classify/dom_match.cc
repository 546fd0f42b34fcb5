#include "cleaner/classify/dom_match.h"

namespace clean {

namespace {

// The first whitespace-separated word of v.
std::string_view FirstWord(std::string_view v) {
  size_t b = v.find_first_not_of(" \t\n\r\f");
  if (b == std::string_view::npos) return {};
  size_t e = v.find_first_of(" \t\n\r\f", b);
  return v.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b);
}

}  // namespace

void AppendMatched(const DomTree& t, const DomMatch& m, std::string* out) {
  out->append(t.tag(m.node));
  const char* name = m.via == DomMatch::Via::kClass  ? "class"
                     : m.via == DomMatch::Via::kId   ? "id"
                     : m.via == DomMatch::Via::kRole ? "role"
                                                     : nullptr;
  if (!name) return;
  std::string_view word = t.attr(m.node, name).substr(m.word_begin, m.word_len);
  if (m.via == DomMatch::Via::kClass)
    out->append(".").append(word);
  else if (m.via == DomMatch::Via::kId)
    out->append("#").append(word);
  else
    out->append("[role=").append(word).append("]");
}

void AppendElement(const DomTree& t, uint32_t node, std::string* out) {
  out->append(t.tag(node));
  if (std::string_view id = FirstWord(t.attr(node, "id")); !id.empty())
    out->append("#").append(id);
  else if (std::string_view c = FirstWord(t.attr(node, "class")); !c.empty())
    out->append(".").append(c);
}

}  // namespace clean
