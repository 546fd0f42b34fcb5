#include "cleaner/html/charset.h"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "cleaner/base/text_util.h"
#include "cleaner/html/charset_detect.h"

namespace clean {

namespace {

constexpr size_t kSniffBytes = 200000;

bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    size_t len = Utf8SequenceLength(s, i);
    if (!len) return false;
    i += len;
  }
  return true;
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

// WHATWG labels that browsers read as a wider encoding.
std::string Canonical(std::string cs) {
  static const std::pair<const char*, const char*> kAliases[] = {{"iso-8859-1", "windows-1252"},
                                                                 {"latin1", "windows-1252"},
                                                                 {"latin-1", "windows-1252"},
                                                                 {"ascii", "windows-1252"},
                                                                 {"us-ascii", "windows-1252"},
                                                                 {"iso8859-1", "windows-1252"},
                                                                 {"cp1252", "windows-1252"},
                                                                 {"gb2312", "gbk"},
                                                                 {"iso-8859-9", "windows-1254"},
                                                                 {"tis-620", "windows-874"},
                                                                 {"x-sjis", "shift_jis"},
                                                                 {"sjis", "shift_jis"},
                                                                 {"utf8", "utf-8"}};
  for (auto [from, to] : kAliases)
    if (cs == from) return to;
  return cs;
}

// Every charset=NAME in the first kSniffBytes, in order, without repeats.
std::vector<std::string> DeclaredCharsets(std::string_view bytes) {
  std::vector<std::string> out;
  std::string_view head = bytes.substr(0, kSniffBytes);
  constexpr std::string_view kKey = "charset";
  size_t i = 0;
  while (i + kKey.size() < head.size()) {
    size_t k = 0;
    while (k < kKey.size() && Lower(head[i + k]) == kKey[k]) ++k;
    if (k < kKey.size()) {
      ++i;
      continue;
    }
    size_t p = i + kKey.size();
    i = p;
    while (p < head.size() && (head[p] == ' ' || head[p] == '\t')) ++p;
    if (p >= head.size() || head[p] != '=') continue;
    ++p;
    while (p < head.size() && (head[p] == ' ' || head[p] == '\t')) ++p;
    if (p < head.size() && (head[p] == '"' || head[p] == '\'')) ++p;
    std::string name;
    while (p < head.size() && name.size() < 40) {
      char c = head[p];
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '-' || c == ':' || c == '.';
      if (!ok) break;
      name.push_back(Lower(c));
      ++p;
    }
    if (name.empty()) continue;
    name = Canonical(name);
    bool seen = false;
    for (const auto& n : out) seen = seen || n == name;
    if (!seen) out.push_back(name);
  }
  return out;
}

class Iconv {
 public:
  explicit Iconv(const std::string& from) : cd_(iconv_open("UTF-8", from.c_str())) {}
  ~Iconv() {
    if (ok()) iconv_close(cd_);
  }
  Iconv(const Iconv&) = delete;
  Iconv& operator=(const Iconv&) = delete;
  bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }
  iconv_t get() const { return cd_; }

 private:
  iconv_t cd_;
};

}  // namespace

bool DecodeCharset(std::string_view bytes, const std::string& charset, bool strict,
                   std::string* out, size_t* replaced) {
  Iconv cd(charset);
  if (!cd.ok()) return false;
  out->clear();
  char buf[1 << 14];
  char* in = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  while (in_left > 0) {
    char* o = buf;
    size_t o_left = sizeof buf;
    size_t r = iconv(cd.get(), &in, &in_left, &o, &o_left);
    out->append(buf, o - buf);
    if (r != static_cast<size_t>(-1)) continue;
    if (errno == E2BIG) continue;
    // EILSEQ or EINVAL (truncated at the end): one byte that does not decode.
    if (strict) return false;
    out->append("\xEF\xBF\xBD");
    ++*replaced;
    ++in;
    --in_left;
    iconv(cd.get(), nullptr, nullptr, nullptr, nullptr);  // reset the shift state
  }
  char* o = buf;
  size_t o_left = sizeof buf;
  iconv(cd.get(), nullptr, nullptr, &o, &o_left);
  out->append(buf, o - buf);
  return true;
}

namespace {
// UTF-8 with its invalid sequences replaced here, not left to the parser:
// gumbo keeps the raw bytes of unknown tag names, which would reach element
// paths and the report (found by fuzz_html).
std::string_view Repaired(std::string_view bytes, std::string* scratch, CharsetInfo* info) {
  if (ValidUtf8(bytes)) return bytes;
  scratch->clear();
  scratch->reserve(bytes.size() + 16);
  info->replaced = AppendRepaired(bytes, scratch);
  return *scratch;
}
}  // namespace

namespace {

// The encodings of the WHATWG Encoding Standard (by the names iconv and
// Canonical use): a page cannot be in another one, so a detector's guess of
// one (IBM852, MAC-CENTRALEUROPE, ...) is a misreading of few bytes.
bool WebEncoding(std::string_view cs) {
  static constexpr std::string_view kNames[] = {
      "ibm866",       "iso-8859-2",   "iso-8859-3",   "iso-8859-4",   "iso-8859-5",
      "iso-8859-6",   "iso-8859-7",   "iso-8859-8",   "iso-8859-10",  "iso-8859-13",
      "iso-8859-14",  "iso-8859-15",  "iso-8859-16",  "koi8-r",       "koi8-u",
      "windows-874",  "windows-1250", "windows-1251", "windows-1252", "windows-1253",
      "windows-1254", "windows-1255", "windows-1256", "windows-1257", "windows-1258",
      "gbk",          "gb18030",      "big5",         "euc-jp",       "iso-2022-jp",
      "shift_jis",    "euc-kr",       "uhc"};
  for (std::string_view n : kNames)
    if (cs == n) return true;
  return false;
}

size_t HighBytes(std::string_view bytes) {
  size_t n = 0;
  for (char c : bytes.substr(0, kSniffBytes)) n += static_cast<unsigned char>(c) >= 0x80;
  return n;
}

// libuchardet's guess, when it is a web encoding other than UTF-8 that
// decodes every byte: the page decoded into *scratch. False otherwise.
bool Detected(std::string_view bytes, int min_high_bytes, std::string* scratch, CharsetInfo* info) {
  if (HighBytes(bytes) < static_cast<size_t>(std::max(min_high_bytes, 1))) return false;
  std::string cs = Canonical(DetectCharset(bytes, kSniffBytes));
  if (cs.empty() || cs == "utf-8" || !WebEncoding(cs)) return false;
  size_t r = 0;
  if (!DecodeCharset(bytes, cs, true, scratch, &r)) return false;
  info->name = cs;
  info->source = "detected";
  return true;
}

std::string_view Forced(std::string_view bytes, const std::string& forced, std::string* scratch,
                        CharsetInfo* info) {
  info->name = CanonicalCharset(forced);
  info->source = "forced";
  if (info->name == "utf-8")
    return Repaired(bytes.substr(bytes.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0), scratch, info);
  if (!DecodeCharset(bytes, info->name, false, scratch, &info->replaced)) {
    // Not an iconv charset (the CLI refuses those): every byte replaced.
    info->replaced = bytes.size();
    scratch->clear();
    for (size_t i = 0; i < bytes.size(); ++i) scratch->append("\xEF\xBF\xBD");
  }
  return *scratch;
}

}  // namespace

std::string CanonicalCharset(std::string_view name) {
  std::string cs;
  for (char c : name) cs.push_back(Lower(c));
  return Canonical(cs);
}

bool CharsetKnown(std::string_view name) {
  Iconv cd(CanonicalCharset(name));
  return cd.ok();
}

std::string_view DecodeToUtf8(std::string_view bytes, std::string* scratch, CharsetInfo* info,
                              const CharsetChoice& choice) {
  info->replaced = 0;
  if (!choice.forced.empty()) return Forced(bytes, choice.forced, scratch, info);
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") {
    info->name = "utf-8";
    info->source = "bom";
    return Repaired(bytes.substr(3), scratch, info);
  }
  for (auto [bom, name] :
       {std::pair<std::string_view, const char*>{"\xFF\xFE", "utf-16le"}, {"\xFE\xFF", "utf-16be"}})
    if (bytes.substr(0, 2) == bom) {
      info->name = name;
      info->source = "bom";
      DecodeCharset(bytes.substr(2), name, false, scratch, &info->replaced);
      return *scratch;
    }
  if (ValidUtf8(bytes)) {
    info->name = "utf-8";
    info->source = "utf-8";
    return bytes;
  }
  std::vector<std::string> declared = DeclaredCharsets(bytes);
  bool utf8_declared = false;
  for (const auto& cs : declared) {
    if (cs == "utf-8") {
      utf8_declared = true;
      continue;
    }
    size_t r = 0;
    if (DecodeCharset(bytes, cs, true, scratch, &r)) {
      info->name = cs;
      info->source = "declared";
      return *scratch;
    }
  }
  // No charset declared, or none the bytes are valid in.
  if (Detected(bytes, choice.detect_min_bytes, scratch, info)) return *scratch;
  if (utf8_declared) {
    info->name = "utf-8";
    info->source = "declared";
    return Repaired(bytes, scratch, info);
  }
  for (const auto& cs : declared)
    if (cs != "utf-8" && DecodeCharset(bytes, cs, false, scratch, &info->replaced)) {
      info->name = cs;
      info->source = "declared";
      return *scratch;
    }
  info->name = "windows-1252";
  info->source = "fallback";
  DecodeCharset(bytes, info->name, false, scratch, &info->replaced);
  return *scratch;
}

}  // namespace clean
