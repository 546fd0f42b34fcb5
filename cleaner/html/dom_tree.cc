#include "cleaner/html/dom_tree.h"

#include <algorithm>
#include <unordered_map>

namespace clean {

void DomTree::Clear() {
  nodes_.clear();
  same_tag_.clear();
  attrs_.clear();
  pool_.clear();
}

uint32_t DomTree::Intern(std::string_view s) {
  uint32_t b = static_cast<uint32_t>(pool_.size());
  pool_.append(s);
  return b;
}

uint32_t DomTree::Add(DomNode n, uint32_t parent) {
  uint32_t idx = static_cast<uint32_t>(nodes_.size());
  n.parent = parent;
  if (parent != kNoNode) {
    DomNode& p = nodes_[parent];
    n.depth = static_cast<uint16_t>(std::min<uint32_t>(p.depth + 1u, 0xFFFFu));
    if (p.last_child == kNoNode)
      p.first_child = idx;
    else
      nodes_[p.last_child].next_sibling = idx;
    p.last_child = idx;
  }
  nodes_.push_back(n);
  return idx;
}

uint32_t DomTree::AddElement(uint32_t parent, std::string_view tag) {
  DomNode n;
  n.kind = DomNode::Kind::kElement;
  n.str_begin = Intern(tag);
  n.str_len = static_cast<uint32_t>(tag.size());
  n.attr_begin = static_cast<uint32_t>(attrs_.size());
  return Add(n, parent);
}

uint32_t DomTree::AddText(uint32_t parent, std::string_view text) {
  // Adjacent text nodes merge (the parser may split text at entities).
  if (parent != kNoNode) {
    uint32_t last = nodes_[parent].last_child;
    if (last != kNoNode && nodes_[last].kind == DomNode::Kind::kText &&
        nodes_[last].str_begin + nodes_[last].str_len == pool_.size()) {
      pool_.append(text);
      nodes_[last].str_len += static_cast<uint32_t>(text.size());
      return last;
    }
  }
  DomNode n;
  n.kind = DomNode::Kind::kText;
  n.str_begin = Intern(text);
  n.str_len = static_cast<uint32_t>(text.size());
  return Add(n, parent);
}

void DomTree::AddAttr(std::string_view name, std::string_view value) {
  DomAttr a;
  a.name_begin = Intern(name);
  a.name_len = static_cast<uint32_t>(name.size());
  a.value_begin = Intern(value);
  a.value_len = static_cast<uint32_t>(value.size());
  attrs_.push_back(a);
  ++nodes_.back().attr_count;
}

std::string_view DomTree::attr(uint32_t i, std::string_view name, bool* found) const {
  const DomNode& n = nodes_[i];
  for (uint32_t k = 0; k < n.attr_count; ++k)
    if (attr_name(i, k) == name) {
      if (found) *found = true;
      return attr_value(i, k);
    }
  if (found) *found = false;
  return {};
}

void DomTree::Finish() {
  same_tag_.assign(nodes_.size(), SameTag());
  std::unordered_map<std::string_view, uint32_t> count;
  for (uint32_t p = 0; p < nodes_.size(); ++p) {
    if (!is_element(p) || nodes_[p].first_child == kNoNode) continue;
    count.clear();
    for (uint32_t c = nodes_[p].first_child; c != kNoNode; c = nodes_[c].next_sibling)
      if (is_element(c)) same_tag_[c].index = ++count[tag(c)];
    for (uint32_t c = nodes_[p].first_child; c != kNoNode; c = nodes_[c].next_sibling)
      if (is_element(c)) same_tag_[c].count = count[tag(c)];
  }
}

void DomTree::AppendPath(uint32_t i, std::string* out) const {
  auto& chain = path_scratch_;
  chain.clear();
  for (uint32_t n = i; n != kNoNode; n = nodes_[n].parent)
    if (is_element(n)) chain.push_back(n);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    out->push_back('/');
    out->append(tag(*it));
    if (same_tag_count(*it) > 1) {
      out->push_back('[');
      out->append(std::to_string(same_tag_index(*it)));
      out->push_back(']');
    }
  }
}

}  // namespace clean
