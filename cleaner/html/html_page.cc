#include "cleaner/html/html_page.h"

#include <chrono>
#include <cstring>
#include <limits>

namespace clean {

namespace {

double Since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool EndsWithCI(std::string_view s, std::string_view lower_suffix) {
  if (s.size() < lower_suffix.size()) return false;
  s = s.substr(s.size() - lower_suffix.size());
  for (size_t i = 0; i < s.size(); ++i)
    if (Lower(s[i]) != lower_suffix[i]) return false;
  return true;
}

size_t SolidChars(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += c != ' ' && c != '\n' && c != '\t' && c != '\r';
  return n;
}

bool HasNoscript(const HtmlParseStats& stats) {
  for (const auto& [tag, n] : stats.skipped)
    if (tag == "noscript" && n > 0) return true;
  return false;
}

// A JSON-LD articleBody as markup to append to the page, and its text's
// non-space characters: HTML as is (unescaped once when it came escaped,
// "&lt;p&gt;"), plain text as one paragraph per line, all inside a
// <json-ld-article-body> element that is itemprop=articleBody (so it is
// the main element, and the report's paths say where the lines came from).
size_t ArticleBodyMarkup(std::string_view body, std::string* out) {
  std::string unescaped;
  if (body.find('<') == std::string_view::npos && body.find("&lt;") != std::string_view::npos) {
    static constexpr std::pair<std::string_view, std::string_view> kEntities[] = {
        {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}};
    for (size_t i = 0; i < body.size();) {
      bool hit = false;
      for (auto [from, to] : kEntities)
        if (body.compare(i, from.size(), from) == 0) {
          unescaped.append(to);
          i += from.size();
          hit = true;
          break;
        }
      if (!hit) unescaped.push_back(body[i++]);
    }
    body = unescaped;
  }
  bool markup = body.find('<') != std::string_view::npos;
  out->assign("<json-ld-article-body itemprop=\"articleBody\"><div><p>");
  size_t solid = 0;
  bool in_tag = false;
  for (char c : body) {
    if (markup) {
      in_tag = c == '<' || (in_tag && c != '>');
      solid += !in_tag && c != '>' && c != ' ' && c != '\n' && c != '\t' && c != '\r';
      out->push_back(c);
    } else if (c == '\n') {
      out->append("</p><p>");
    } else {
      solid += c != ' ' && c != '\t' && c != '\r';
      if (c == '<')
        out->append("&lt;");
      else if (c == '&')
        out->append("&amp;");
      else
        out->push_back(c);
    }
  }
  out->append("</p></div></json-ld-article-body>");
  return solid;
}

}  // namespace

void HtmlPage::Clear() {
  charset = CharsetInfo();
  tree.Clear();
  head.Clear();
  stats.Clear();
  meta.Clear();
  lines.clear();
  noscript_rendered = false;
  article_body_rendered = false;
  late = false;
  over_limit = {};
}

bool HtmlReader::Read(std::string_view bytes, const Options& options, Page* page, HtmlPage* html,
                      StageTimes* times, std::string* error, const ReadDeadlines& when) {
  page->input_bytes = bytes.size();
  if (bytes.size() >= std::numeric_limits<uint32_t>::max() / 2) {
    *error = "input too large (" + std::to_string(bytes.size()) + " bytes; at most 2 GB a page)";
    return false;
  }
  size_t sniff = std::min(bytes.size(), static_cast<size_t>(options.binary_sniff_bytes));
  const void* nul = std::memchr(bytes.data(), '\0', sniff);
  // UTF-16 has NULs in ASCII text: only a BOM tells it from binary.
  bool utf16 = bytes.substr(0, 2) == "\xFF\xFE" || bytes.substr(0, 2) == "\xFE\xFF";
  if (nul && !utf16) {
    size_t at = static_cast<const char*>(nul) - bytes.data();
    *error = "binary input (NUL byte at offset " + std::to_string(at) + "), not cleaned";
    return false;
  }
  auto t0 = std::chrono::steady_clock::now();
  charset_.detect_min_bytes = options.charset_detect_min_bytes;
  std::string_view utf8 = DecodeToUtf8(bytes, &decoded_, &html->charset, charset_);
  page->had_bom = html->charset.source == "bom";
  page->final_newline = !bytes.empty() && bytes.back() == '\n';
  auto t1 = std::chrono::steady_clock::now();
  times->decode += std::chrono::duration<double>(t1 - t0).count();
  if (options.html_max_bytes > 0 && utf8.size() > static_cast<size_t>(options.html_max_bytes)) {
    *error = std::to_string(utf8.size()) + " bytes of HTML (as UTF-8) is over the HTML size " +
             "budget (html_max_bytes " + std::to_string(options.html_max_bytes) + "), not cleaned";
    html->over_limit = "html_max_bytes";
    return false;
  }
  // Past the stop time at a stage boundary: the reading ends there.
  auto stop = [&](std::chrono::steady_clock::time_point now) {
    html->late = html->late || now > when.deadline;
    if (now <= when.stop) return false;
    html->over_limit = "time_budget";
    *error = "the time budget ran out while reading the page";
    return true;
  };
  if (stop(t1)) return false;
  parser_.Parse(utf8, options, &html->tree, &html->head, &html->stats);
  auto t2 = std::chrono::steady_clock::now();
  times->parse += std::chrono::duration<double>(t2 - t1).count();
  times->prescan += parser_.last_prescan_seconds();
  times->gumbo += parser_.last_gumbo_seconds();
  if (stop(t2)) return false;
  page->text.reserve(utf8.size() / 2 + 16);
  linearizer_.Run(html->tree, page, &html->lines);
  if (stop(std::chrono::steady_clock::now())) return false;
  if (SolidChars(page->text) < static_cast<size_t>(options.html_noscript_min_chars) &&
      HasNoscript(html->stats) && !html->late) {
    page->text.clear();
    page->lines.clear();
    html->lines.clear();
    linearizer_.Run(html->tree, page, &html->lines, /*noscript=*/true);
    html->noscript_rendered = true;
  }
  ReadHtmlMeta(html->tree, html->head, &html->meta);
  if (!html->meta.article_body.empty()) {
    std::string markup;
    size_t body = ArticleBodyMarkup(html->meta.article_body, &markup);
    if (body > options.html_article_body_ratio * SolidChars(page->text) &&
        stop(std::chrono::steady_clock::now()))
      return false;
    // Not when the page and the articleBody together are over html_max_bytes.
    if (body > options.html_article_body_ratio * SolidChars(page->text) && !html->late &&
        (options.html_max_bytes <= 0 ||
         utf8.size() + markup.size() <= static_cast<size_t>(options.html_max_bytes))) {
      // Parsed again with the articleBody appended: gumbo puts content after
      // </body> or </html> into the body, as browsers do.
      std::string doc(utf8);
      doc += markup;
      parser_.Parse(doc, options, &html->tree, &html->head, &html->stats);
      page->text.clear();
      page->lines.clear();
      html->lines.clear();
      linearizer_.Run(html->tree, page, &html->lines, html->noscript_rendered);
      ReadHtmlMeta(html->tree, html->head, &html->meta);
      html->article_body_rendered = true;
    }
  }
  times->linearize += Since(t2);
  return true;
}

bool LooksLikeHtml(std::string_view name, std::string_view bytes) {
  for (std::string_view ext : {".html", ".htm", ".xhtml", ".shtml"})
    if (EndsWithCI(name, ext)) return true;
  for (std::string_view ext : {".txt", ".text"})
    if (EndsWithCI(name, ext)) return false;
  std::string_view head = bytes.substr(0, 1024);
  if (head.substr(0, 3) == "\xEF\xBB\xBF") head.remove_prefix(3);
  size_t i = 0;
  while (i < head.size() &&
         (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
    ++i;
  head.remove_prefix(i);
  std::string lower;
  for (char c : head) lower.push_back(Lower(c));
  for (std::string_view start : {"<!doctype html", "<html", "<?xml", "<!--"})
    if (lower.rfind(start, 0) == 0)
      return lower.find("<html") != std::string::npos || start != "<?xml";
  return lower.find("<html") != std::string::npos || lower.find("<head") != std::string::npos ||
         lower.find("<body") != std::string::npos;
}

}  // namespace clean
