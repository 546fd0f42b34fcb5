// A compact, library-independent copy of a parsed HTML document: elements
// and text in one vector, strings in one pool. The gumbo adapter
// (html_parse.h) fills it; the linearizer, the DOM heuristics and the
// libxml2 adapter (xml_tree.h) read it. Nodes are indices, so per-node
// marks live in plain vectors beside the tree.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace clean {

inline constexpr uint32_t kNoNode = 0xFFFFFFFFu;

struct DomNode {
  enum class Kind : uint8_t { kElement, kText };
  Kind kind = Kind::kElement;
  uint16_t depth = 0;  // the root <html> is 0
  uint32_t parent = kNoNode;
  uint32_t first_child = kNoNode, last_child = kNoNode, next_sibling = kNoNode;
  uint32_t str_begin = 0, str_len = 0;  // element: lower-case tag name; text: the text
  uint32_t attr_begin = 0, attr_count = 0;
};

struct DomAttr {
  uint32_t name_begin, name_len, value_begin, value_len;
};

class DomTree {
 public:
  void Clear();
  // Room for this many nodes and attributes (the parser's counts, so that
  // the vectors are not copied as they grow, nor left half empty).
  void Reserve(size_t nodes, size_t attrs) {
    nodes_.reserve(nodes);
    attrs_.reserve(attrs);
  }
  // Appends an element (tag lower-cased by the caller) or a text node as the
  // last child of `parent` (kNoNode: the root). Returns its index.
  uint32_t AddElement(uint32_t parent, std::string_view tag);
  uint32_t AddText(uint32_t parent, std::string_view text);
  // Adds an attribute to the element added last.
  void AddAttr(std::string_view name, std::string_view value);
  // Numbers same-tag siblings (for element paths); call once when complete.
  void Finish();
  // An element's 1-based position among its same-tag siblings, and how
  // many siblings (itself included) have its tag (1 and 1 before Finish).
  uint32_t same_tag_index(uint32_t i) const {
    return i < same_tag_.size() ? same_tag_[i].index : 1;
  }
  uint32_t same_tag_count(uint32_t i) const {
    return i < same_tag_.size() ? same_tag_[i].count : 1;
  }

  size_t size() const { return nodes_.size(); }
  const DomNode& node(uint32_t i) const { return nodes_[i]; }
  bool is_element(uint32_t i) const { return nodes_[i].kind == DomNode::Kind::kElement; }
  std::string_view tag(uint32_t i) const { return Str(nodes_[i].str_begin, nodes_[i].str_len); }
  std::string_view text(uint32_t i) const { return Str(nodes_[i].str_begin, nodes_[i].str_len); }
  // The attribute's value, or "" (with *found false) when absent.
  std::string_view attr(uint32_t i, std::string_view name, bool* found = nullptr) const;
  uint32_t attr_count(uint32_t i) const { return nodes_[i].attr_count; }
  std::string_view attr_name(uint32_t i, uint32_t k) const {
    const DomAttr& a = attrs_[nodes_[i].attr_begin + k];
    return Str(a.name_begin, a.name_len);
  }
  std::string_view attr_value(uint32_t i, uint32_t k) const {
    const DomAttr& a = attrs_[nodes_[i].attr_begin + k];
    return Str(a.value_begin, a.value_len);
  }
  // "/html/body/div[3]/ul/li[2]": an index only where siblings share the tag.
  void AppendPath(uint32_t i, std::string* out) const;

 private:
  std::string_view Str(uint32_t b, uint32_t n) const {
    return std::string_view(pool_).substr(b, n);
  }
  uint32_t Intern(std::string_view s);
  uint32_t Add(DomNode n, uint32_t parent);
  std::vector<DomNode> nodes_;
  struct SameTag {
    uint32_t index = 1, count = 1;
  };
  std::vector<SameTag> same_tag_;  // made by Finish (not while the parser's tree is alive)
  std::vector<DomAttr> attrs_;
  std::string pool_;
  mutable std::vector<uint32_t> path_scratch_;  // AppendPath's chain
};

}  // namespace clean
