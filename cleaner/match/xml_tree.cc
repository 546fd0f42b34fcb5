#include "cleaner/match/xml_tree.h"

#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>

#include <cstdint>

namespace clean {

namespace {

struct ErrorCapture {
  std::string message;
  int offset = -1;
};

void Capture(void* ctx, xmlErrorPtr e) {
  auto* c = static_cast<ErrorCapture*>(ctx);
  if (!c->message.empty() || !e) return;
  c->message = e->message ? e->message : "invalid expression";
  while (!c->message.empty() && (c->message.back() == '\n' || c->message.back() == ' '))
    c->message.pop_back();
  c->offset = e->int1;
}

const xmlChar* X(const std::string& s) { return reinterpret_cast<const xmlChar*>(s.c_str()); }

// A name libxml2 will accept as an element or attribute name.
bool XmlName(std::string_view n) {
  if (n.empty()) return false;
  for (char c : n) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || static_cast<unsigned char>(c) >= 0x80;
    if (!ok) return false;
  }
  return !(n[0] >= '0' && n[0] <= '9') && n[0] != '-' && n[0] != '.';
}

}  // namespace

std::unique_ptr<XPathExpr> XPathExpr::Compile(std::string_view expr, std::string* error,
                                              size_t* offset) {
  std::unique_ptr<XPathExpr> x(new XPathExpr);
  x->text_ = std::string(expr);
  ErrorCapture cap;
  xmlSetStructuredErrorFunc(&cap, Capture);
  x->comp_ = xmlXPathCompile(X(x->text_));
  xmlSetStructuredErrorFunc(nullptr, nullptr);
  if (!x->comp_) {
    *error = cap.message.empty() ? "invalid XPath expression" : cap.message;
    *offset = cap.offset >= 0 ? static_cast<size_t>(cap.offset) : 0;
    return nullptr;
  }
  return x;
}

XPathExpr::~XPathExpr() {
  if (comp_) xmlXPathFreeCompExpr(static_cast<xmlXPathCompExprPtr>(comp_));
}

XmlTree::XmlTree() = default;

XmlTree::~XmlTree() {
  if (doc_) xmlFreeDoc(static_cast<xmlDocPtr>(doc_));
}

void XmlTree::Build(const DomTree& tree) {
  if (doc_) xmlFreeDoc(static_cast<xmlDocPtr>(doc_));
  xmlDocPtr doc = xmlNewDoc(reinterpret_cast<const xmlChar*>("1.0"));
  doc_ = doc;
  if (tree.size() == 0) return;
  std::vector<xmlNodePtr> made(tree.size(), nullptr);
  std::string name, value;
  for (uint32_t i = 0; i < tree.size(); ++i) {  // parents come before children
    const DomNode& n = tree.node(i);
    xmlNodePtr parent = n.parent == kNoNode ? nullptr : made[n.parent];
    xmlNodePtr x;
    if (tree.is_element(i)) {
      name.assign(tree.tag(i));
      if (!XmlName(name)) name = "unknown";
      x = xmlNewDocNode(doc, nullptr, X(name), nullptr);
      for (uint32_t k = 0; k < tree.attr_count(i); ++k) {
        name.assign(tree.attr_name(i, k));
        if (!XmlName(name)) continue;
        value.assign(tree.attr_value(i, k));
        xmlNewProp(x, X(name), X(value));
      }
      x->_private = reinterpret_cast<void*>(static_cast<uintptr_t>(i) + 1);
    } else {
      value.assign(tree.text(i));
      x = xmlNewDocText(doc, X(value));
    }
    made[i] = x;
    if (parent)
      xmlAddChild(parent, x);
    else if (i == 0)
      xmlDocSetRootElement(doc, x);
    else
      xmlFreeNode(x);
  }
}

bool XmlTree::Select(const XPathExpr& expr, std::vector<uint32_t>* out) {
  if (!doc_) return false;
  xmlXPathContextPtr ctx = xmlXPathNewContext(static_cast<xmlDocPtr>(doc_));
  if (!ctx) return false;
  ErrorCapture cap;
  xmlSetStructuredErrorFunc(&cap, Capture);
  xmlXPathObjectPtr r = xmlXPathCompiledEval(static_cast<xmlXPathCompExprPtr>(expr.comp_), ctx);
  xmlSetStructuredErrorFunc(nullptr, nullptr);
  bool ok = r && r->type == XPATH_NODESET;
  if (ok && r->nodesetval)
    for (int k = 0; k < r->nodesetval->nodeNr; ++k) {
      xmlNodePtr n = r->nodesetval->nodeTab[k];
      if (n && n->type == XML_ELEMENT_NODE && n->_private)
        out->push_back(static_cast<uint32_t>(reinterpret_cast<uintptr_t>(n->_private) - 1));
    }
  if (r) xmlXPathFreeObject(r);
  xmlXPathFreeContext(ctx);
  return ok;
}

}  // namespace clean
