// The libxml2 adapter: the only file that includes libxml2. A DomTree is
// copied into an xmlDoc (built node by node, so no parser depth limit
// applies: the XML_PARSE_HUGE semantics deep trees need), and compiled XPath
// expressions select elements of it, returned as DomTree indices.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cleaner/html/dom_tree.h"

namespace clean {

// A compiled XPath expression; safe to evaluate from many threads.
class XPathExpr {
 public:
  // Compiles `expr`; null with *error and *offset (byte offset of the
  // problem in expr) set when libxml2 rejects it.
  static std::unique_ptr<XPathExpr> Compile(std::string_view expr, std::string* error,
                                            size_t* offset);
  ~XPathExpr();
  XPathExpr(const XPathExpr&) = delete;
  XPathExpr& operator=(const XPathExpr&) = delete;
  const std::string& text() const { return text_; }

 private:
  XPathExpr() = default;
  void* comp_ = nullptr;  // xmlXPathCompExprPtr
  std::string text_;
  friend class XmlTree;
};

class XmlTree {
 public:
  XmlTree();
  ~XmlTree();
  XmlTree(const XmlTree&) = delete;
  XmlTree& operator=(const XmlTree&) = delete;

  // Replaces the document with a copy of `tree`.
  void Build(const DomTree& tree);
  // Appends the DomTree indices of the elements `expr` selects to *out
  // (document order). False when the evaluation fails or selects no node set.
  bool Select(const XPathExpr& expr, std::vector<uint32_t>* out);

 private:
  void* doc_ = nullptr;  // xmlDocPtr
};

}  // namespace clean
