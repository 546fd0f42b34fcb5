#include "cleaner/match/prefilter/byte_pattern.h"

#include <algorithm>
#include <bit>
#include <cctype>

#include "cleaner/base/text_util.h"

namespace clean {

namespace {

using Node = BytePattern;
using Kind = BytePattern::Kind;

constexpr uint32_t kKelvin = 0x212A;  // caseless: k K
constexpr uint32_t kLongS = 0x17F;    // caseless: s S
// A class lists at most this many non-ASCII characters exactly; a wider
// range becomes "any non-ASCII character".
constexpr uint32_t kMaxExactChars = 32;

// ASCII members of a character set, as bytes 0..127 of a byte set.
using Ascii = ByteSet;

Ascii AsciiRange(uint32_t lo, uint32_t hi) {
  Ascii a;
  for (uint32_t c = lo; c <= hi && c < 128; ++c) a.set(c);
  return a;
}
const Ascii kAllAscii = AsciiRange(0, 127);
const Ascii kDigits = AsciiRange('0', '9');
const Ascii kUpper = AsciiRange('A', 'Z');
const Ascii kLower = AsciiRange('a', 'z');
const Ascii kLetters = kUpper | kLower;
const Ascii kWord = kLetters | kDigits | AsciiRange('_', '_');
const Ascii kSpace = AsciiRange(9, 13) | AsciiRange(' ', ' ');  // \s without UCP
const Ascii kHSpace = AsciiRange(9, 9) | AsciiRange(' ', ' ');
const Ascii kVSpace = AsciiRange(10, 13);

Node Bytes(const ByteSet& b) { return BytePattern::OfBytes(b); }
Node Byte(uint8_t b) {
  ByteSet s;
  s.set(b);
  return Bytes(s);
}
Node ByteRange(int lo, int hi) {
  ByteSet s;
  for (int b = lo; b <= hi; ++b) s.set(b);
  return Bytes(s);
}
Node Empty() { return Node(); }
Node Repeat(Node kid, int min, int max) { return BytePattern::Repeated(std::move(kid), min, max); }
Node Of(Kind k, std::vector<Node> kids) {
  Node n;
  n.kind = k;
  n.kids = std::move(kids);
  return n;
}
// One UTF-8 encoded non-ASCII character: a lead byte and its continuation
// bytes (the text is valid UTF-8, so they stop where the next character
// starts).
Node AnyNonAscii() {
  return Of(Kind::kConcat,
            {ByteRange(0xC0, 0xFF), Repeat(ByteRange(0x80, 0xBF), 0, BytePattern::kUnbounded)});
}

// The characters one class (or escape, or literal) may match. `hi` is a
// superset of its ASCII members, `lo` a subset: a negation turns `lo` into
// the superset it needs. Non-ASCII members are listed in `chars` or, when
// unknown or too many, `any`.
struct CharSet {
  Ascii hi, lo;
  std::vector<uint32_t> chars;
  bool any = false;

  void Add(uint32_t c) { AddRange(c, c); }
  void AddRange(uint32_t a, uint32_t b) {
    Ascii r = AsciiRange(a, b);
    hi |= r;
    lo |= r;
    if (b < 0x80 || any) return;
    a = std::max<uint32_t>(a, 0x80);
    if (b - a + 1 > kMaxExactChars) {
      any = true;
      chars.clear();
      return;
    }
    for (uint32_t c = a; c <= b; ++c) chars.push_back(c);
  }
  void AddSet(const Ascii& h, const Ascii& l, bool non_ascii) {
    hi |= h;
    lo |= l;
    if (non_ascii) {
      any = true;
      chars.clear();
    }
  }
  void Merge(const CharSet& o) {
    AddSet(o.hi, o.lo, o.any);
    if (!any) chars.insert(chars.end(), o.chars.begin(), o.chars.end());
  }
  bool Has(uint32_t c) const { return std::find(chars.begin(), chars.end(), c) != chars.end(); }
  // Caseless: ASCII letters in both cases; k and s also match U+212A and
  // U+017F and the reverse; other non-ASCII members' partners are unknown,
  // unless they have none (CaselessInvariant).
  void FoldCase() {
    for (Ascii* a : {&hi, &lo}) {
      Ascii both = ((*a & kUpper) << 32) | ((*a & kLower) >> 32);
      *a |= both;
    }
    bool kelvin = any || Has(kKelvin), long_s = any || Has(kLongS);
    bool other =
        std::any_of(chars.begin(), chars.end(), [](uint32_t c) { return !CaselessInvariant(c); });
    if (hi['k']) Add(kKelvin);
    if (hi['s']) Add(kLongS);
    if (kelvin) hi.set('k'), hi.set('K');
    if (long_s) hi.set('s'), hi.set('S');
    if (other) {
      any = true;
      chars.clear();
    }
  }
  void Negate() {
    Ascii h = ~lo & kAllAscii, l = ~hi & kAllAscii;
    hi = h;
    lo = l;
    any = true;
    chars.clear();
  }
  // The node matching one of these characters.
  Node ToNode() const {
    ByteSet b = hi;
    std::vector<Node> alts;
    b.reset('\n');
    if (b.any()) alts.push_back(Bytes(b));
    if (any) {
      alts.push_back(AnyNonAscii());
    } else {
      std::vector<uint32_t> cs = chars;
      std::sort(cs.begin(), cs.end());
      cs.erase(std::unique(cs.begin(), cs.end()), cs.end());
      for (uint32_t c : cs) {
        std::string u;
        Utf8Append(c, &u);
        Node seq;
        for (unsigned char x : u) seq.kids.push_back(Byte(x));
        alts.push_back(std::move(seq));
      }
    }
    if (alts.empty()) return Bytes(ByteSet());  // matches nothing
    if (alts.size() == 1) return std::move(alts[0]);
    return Of(Kind::kAlt, std::move(alts));
  }
  // For an unbounded repeat: one byte class holding every byte of every
  // member (n characters are at least n bytes of it).
  Node ToByteLoopBody() const {
    ByteSet b = hi;
    if (any || !chars.empty()) b |= ~kAllAscii;
    return Bytes(b);
  }
};

// \p{..}: the ASCII members, as a superset (hi) and a subset (lo).
// Unknown properties: any ASCII character may or may not be a member.
void PropertyAscii(std::string_view name, bool caseless, Ascii* hi, Ascii* lo) {
  std::string n;
  for (char c : name)
    if (c != ' ' && c != '_' && c != '-') n.push_back(static_cast<char>(std::tolower(c)));
  if (n == "l" || n == "l&" || n == "lc") {
    *hi = *lo = kLetters;
  } else if (n == "lu" || n == "ll" || n == "lt") {
    *lo = n == "lu" ? kUpper : n == "ll" ? kLower : Ascii();
    *hi = caseless ? kLetters : *lo;
  } else if (n == "lm" || n == "lo" || n == "nl" || n == "no") {
    *hi = *lo = Ascii();
  } else if (n == "n" || n == "nd") {
    *hi = *lo = kDigits;
  } else if (n == "any") {
    *hi = *lo = kAllAscii;
  } else {
    *hi = kAllAscii;
    *lo = Ascii();
  }
}

class Parser {
 public:
  Parser(std::string_view p, bool caseless) : p_(p), caseless_(caseless) {}

  std::optional<Node> Run() {
    Node n = Alternation();
    if (!ok_ || i_ != p_.size()) return std::nullopt;
    return n;
  }

 private:
  bool More() const { return ok_ && i_ < p_.size(); }
  char Peek(size_t ahead = 0) const { return i_ + ahead < p_.size() ? p_[i_ + ahead] : '\0'; }
  void Fail() { ok_ = false; }

  Node Alternation() {
    std::vector<Node> branches;
    branches.push_back(Sequence());
    while (More() && Peek() == '|') {
      ++i_;
      branches.push_back(Sequence());
    }
    if (branches.size() == 1) return std::move(branches[0]);
    return Of(Kind::kAlt, std::move(branches));
  }

  Node Sequence() {
    Node seq;
    while (More() && Peek() != '|' && Peek() != ')') {
      Node atom;
      std::optional<CharSet> set;
      bool zero_width = false;
      Atom(&atom, &set, &zero_width);
      if (!ok_) break;
      int min = 1, max = 1;
      if (Quantifier(&min, &max)) {
        if (zero_width) continue;  // a repeated assertion is still an assertion
        if (max != Node::kUnbounded && max > kMaxExactRepeat) {
          min = std::min(min, kMaxExactRepeat);
          max = Node::kUnbounded;
        }
        if (max == 0) continue;
        if (max == Node::kUnbounded && set) atom = set->ToByteLoopBody();
        if (min != 1 || max != 1) atom = Repeat(std::move(atom), min, max);
      }
      seq.kids.push_back(std::move(atom));
    }
    return seq;
  }

  // *, +, ?, {n}, {n,}, {n,m}, each maybe followed by ? (lazy) or + (possessive).
  bool Quantifier(int* min, int* max) {
    char c = Peek();
    if (c == '*') {
      *min = 0, *max = Node::kUnbounded;
    } else if (c == '+') {
      *min = 1, *max = Node::kUnbounded;
    } else if (c == '?') {
      *min = 0, *max = 1;
    } else if (c == '{') {
      size_t j = i_ + 1;
      long m = 0, n = 0;
      bool has_m = false, has_n = false, comma = false;
      while (j < p_.size() && std::isdigit(static_cast<unsigned char>(p_[j])) && m < 100000)
        m = m * 10 + (p_[j++] - '0'), has_m = true;
      if (j < p_.size() && p_[j] == ',') {
        comma = true;
        ++j;
        while (j < p_.size() && std::isdigit(static_cast<unsigned char>(p_[j])) && n < 100000)
          n = n * 10 + (p_[j++] - '0'), has_n = true;
      }
      if (!has_m || j >= p_.size() || p_[j] != '}') return false;  // a literal '{'
      *min = static_cast<int>(m);
      *max = comma ? (has_n ? static_cast<int>(n) : Node::kUnbounded) : static_cast<int>(m);
      if (*max != Node::kUnbounded && *max < *min) Fail();
      i_ = j;
    } else {
      return false;
    }
    ++i_;
    if (Peek() == '?' || Peek() == '+') ++i_;
    return true;
  }

  uint32_t Utf8Char() {
    unsigned char c = static_cast<unsigned char>(p_[i_]);
    int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
    if (c >= 0x80 && c < 0xC0) Fail();
    for (int k = 1; k < len; ++k) {
      unsigned char d = static_cast<unsigned char>(Peek(k));
      if ((d & 0xC0) != 0x80) {
        Fail();
        return 0;
      }
      cp = (cp << 6) | (d & 0x3F);
    }
    i_ += len;
    return cp;
  }

  Node Char(uint32_t c, std::optional<CharSet>* set) {
    CharSet s;
    s.Add(c);
    if (caseless_) s.FoldCase();
    *set = s;
    return s.ToNode();
  }

  void Atom(Node* out, std::optional<CharSet>* set, bool* zero_width) {
    char c = Peek();
    switch (c) {
      case '(': *out = Group(zero_width); return;
      case '[': {
        CharSet s = Class();
        *set = s;
        *out = s.ToNode();
        return;
      }
      case '.': {
        ++i_;
        CharSet s;
        s.AddSet(kAllAscii, kAllAscii, true);
        *set = s;
        *out = s.ToNode();
        return;
      }
      case '^':
        ++i_;
        out->kind = Kind::kLineStart;
        *zero_width = true;
        return;
      case '$':
        ++i_;
        out->kind = Kind::kLineEnd;
        *zero_width = true;
        return;
      case '\\': Escape(out, set, zero_width); return;
      case '*':
      case '+':
      case '?': Fail(); return;
      default: *out = Char(Utf8Char(), set); return;
    }
  }

  Node Group(bool* zero_width) {
    ++i_;  // (
    bool assertion = false;
    if (Peek() == '*') {
      Fail();
      return Empty();
    }
    if (Peek() == '?') {
      char k = Peek(1);
      if (k == ':' || k == '|' || k == '>') {
        i_ += 2;
      } else if (k == '=' || k == '!') {
        i_ += 2;
        assertion = true;
      } else if (k == '<' && (Peek(2) == '=' || Peek(2) == '!')) {
        i_ += 3;
        assertion = true;
      } else if (k == '<' || k == '\'' || (k == 'P' && Peek(2) == '<')) {
        i_ += k == 'P' ? 3 : 2;
        char close = k == '\'' ? '\'' : '>';
        size_t start = i_;
        while (i_ < p_.size() &&
               (std::isalnum(static_cast<unsigned char>(p_[i_])) || p_[i_] == '_'))
          ++i_;
        if (i_ == start || Peek() != close) {
          Fail();
          return Empty();
        }
        ++i_;
      } else if (k == '#') {
        size_t close = p_.find(')', i_);
        if (close == std::string_view::npos) {
          Fail();
          return Empty();
        }
        i_ = close + 1;
        *zero_width = true;
        return Empty();
      } else {
        Fail();  // option settings, recursion, conditions, ...
        return Empty();
      }
    }
    Node inner = Alternation();
    if (!ok_ || Peek() != ')') {
      Fail();
      return Empty();
    }
    ++i_;
    if (assertion) {
      *zero_width = true;
      return Empty();  // matches anywhere: sound
    }
    return inner;
  }

  // \xhh, \x{h..}, \0oo; false when the escape is not a code point.
  bool CodePointEscape(char e, uint32_t* cp) {
    auto hex = [](char h) {
      return std::isdigit(static_cast<unsigned char>(h)) ? h - '0' : (std::tolower(h) - 'a' + 10);
    };
    switch (e) {
      case 't': *cp = 9; return true;
      case 'n': *cp = 10; return true;
      case 'r': *cp = 13; return true;
      case 'f': *cp = 12; return true;
      case 'e': *cp = 27; return true;
      case 'a': *cp = 7; return true;
      case 'x': {
        uint32_t v = 0;
        if (Peek() == '{') {
          ++i_;
          int digits = 0;
          while (std::isxdigit(static_cast<unsigned char>(Peek())) && digits < 8)
            v = v * 16 + hex(p_[i_++]), ++digits;
          if (digits == 0 || Peek() != '}' || v > 0x10FFFF) {
            Fail();
            return false;
          }
          ++i_;
        } else {
          for (int k = 0; k < 2 && std::isxdigit(static_cast<unsigned char>(Peek())); ++k)
            v = v * 16 + hex(p_[i_++]);
        }
        *cp = v;
        return true;
      }
      case '0': {
        uint32_t v = 0;
        for (int k = 0; k < 2 && Peek() >= '0' && Peek() <= '7'; ++k) v = v * 8 + (p_[i_++] - '0');
        *cp = v;
        return true;
      }
      default: return false;
    }
  }

  // \d \D \s \S \w \W \h \H \v \V \p \P; false for other escapes.
  bool SetEscape(char e, CharSet* s) {
    Ascii a;
    switch (e) {
      case 'd':
      case 'D': a = kDigits; break;
      case 's':
      case 'S': a = kSpace; break;
      case 'w':
      case 'W': a = kWord; break;
      case 'h':
      case 'H': a = kHSpace; break;
      case 'v':
      case 'V': a = kVSpace; break;
      case 'p':
      case 'P': {
        std::string_view name;
        if (Peek() == '{') {
          size_t close = p_.find('}', i_);
          if (close == std::string_view::npos) {
            Fail();
            return true;
          }
          name = p_.substr(i_ + 1, close - i_ - 1);
          i_ = close + 1;
        } else if (More()) {
          name = p_.substr(i_++, 1);
        }
        bool neg = e == 'P';
        if (!name.empty() && name[0] == '^') neg = !neg, name.remove_prefix(1);
        Ascii hi, lo;
        PropertyAscii(name, caseless_, &hi, &lo);
        CharSet item;
        item.AddSet(hi, lo, true);
        if (neg) item.Negate();
        s->Merge(item);
        return true;
      }
      default: return false;
    }
    CharSet item;
    item.AddSet(a, a, e == 'h' || e == 'v');  // \h \v hold non-ASCII spaces
    if (std::isupper(static_cast<unsigned char>(e))) item.Negate();
    s->Merge(item);
    return true;
  }

  void Escape(Node* out, std::optional<CharSet>* set, bool* zero_width) {
    ++i_;  // backslash
    if (!More()) {
      Fail();
      return;
    }
    char e = p_[i_];
    if (static_cast<unsigned char>(e) >= 0x80) {  // an escaped non-ASCII character
      *out = Char(Utf8Char(), set);
      return;
    }
    ++i_;
    if (e == 'b' || e == 'B') {
      *zero_width = true;
      *out = Empty();
      return;
    }
    CharSet s;
    if (SetEscape(e, &s)) {
      *set = s;
      *out = s.ToNode();
      return;
    }
    if (e == 'N' && Peek() != '{') {
      CharSet dot;
      dot.AddSet(kAllAscii, kAllAscii, true);
      *set = dot;
      *out = dot.ToNode();
      return;
    }
    uint32_t cp = 0;
    if (CodePointEscape(e, &cp)) {
      *out = Char(cp, set);
      return;
    }
    if (std::isalnum(static_cast<unsigned char>(e)) || !ok_) {
      Fail();  // \A \z \G \K \Q \E \X \R \g \k \c \o backreferences ...
      return;
    }
    *out = Char(static_cast<unsigned char>(e), set);
  }

  // One class item: a character (possibly escaped), a set escape, or a range.
  CharSet Class() {
    ++i_;  // [
    bool neg = false;
    if (Peek() == '^') neg = true, ++i_;
    CharSet s;
    bool first = true;
    while (ok_) {
      if (!More()) {
        Fail();
        break;
      }
      char c = Peek();
      if (c == ']' && !first) {
        ++i_;
        break;
      }
      first = false;
      if (c == '[' && (Peek(1) == ':' || Peek(1) == '.' || Peek(1) == '=')) {
        Fail();  // POSIX classes
        break;
      }
      uint32_t lo = 0;
      if (!ClassChar(&s, &lo)) continue;  // a set escape, added
      if (Peek() == '-' && Peek(1) != ']' && i_ + 1 < p_.size()) {
        ++i_;
        uint32_t hi = 0;
        CharSet dummy;
        if (!ClassChar(&dummy, &hi) || hi < lo) {
          Fail();
          break;
        }
        s.AddRange(lo, hi);
      } else {
        s.Add(lo);
      }
    }
    if (caseless_) s.FoldCase();
    if (neg) s.Negate();
    return s;
  }

  // A class character into *cp (true), or a set escape added to *s (false).
  bool ClassChar(CharSet* s, uint32_t* cp) {
    if (Peek() != '\\') {
      *cp = Utf8Char();
      return true;
    }
    ++i_;
    if (!More()) {
      Fail();
      return false;
    }
    char e = p_[i_];
    if (static_cast<unsigned char>(e) >= 0x80) {
      *cp = Utf8Char();
      return true;
    }
    ++i_;
    if (e == 'b') {
      *cp = 8;
      return true;
    }
    if (SetEscape(e, s)) return false;
    if (CodePointEscape(e, cp)) return true;
    if (std::isalnum(static_cast<unsigned char>(e))) {
      Fail();
      return false;
    }
    *cp = static_cast<unsigned char>(e);
    return true;
  }

  std::string_view p_;
  size_t i_ = 0;
  bool caseless_;
  bool ok_ = true;
};

// Flattens nested sequences and alternations, drops empty parts, and
// folds what cannot match.
Node Simplify(Node n) {
  for (auto& k : n.kids) k = Simplify(std::move(k));
  switch (n.kind) {
    case Kind::kConcat: {
      Node out;
      for (auto& k : n.kids) {
        if (k.Never()) return Bytes(ByteSet());
        if (k.kind == Kind::kConcat)
          for (auto& g : k.kids) out.kids.push_back(std::move(g));
        else
          out.kids.push_back(std::move(k));
      }
      if (out.kids.size() == 1) return std::move(out.kids[0]);
      return out;
    }
    case Kind::kAlt: {
      Node out;
      out.kind = Kind::kAlt;
      for (auto& k : n.kids) {
        if (k.Never()) continue;
        if (k.kind == Kind::kAlt)
          for (auto& g : k.kids) out.kids.push_back(std::move(g));
        else
          out.kids.push_back(std::move(k));
      }
      out = BytePattern::Alternatives(std::move(out.kids));
      if (out.kind != Kind::kAlt) return out;
      if (out.kids.size() == 1) return std::move(out.kids[0]);
      // Single bytes in every branch: one class.
      bool bytes = std::all_of(out.kids.begin(), out.kids.end(),
                               [](const Node& k) { return k.kind == Kind::kBytes; });
      if (bytes) {
        ByteSet b;
        for (auto& k : out.kids) b |= k.bytes;
        return Bytes(b);
      }
      return out;
    }
    case Kind::kRepeat: {
      const Node& kid = n.kids[0];
      if (kid.Never()) return n.min > 0 ? Bytes(ByteSet()) : Empty();
      if (kid.kind == Kind::kConcat && kid.kids.empty()) return Empty();
      return n;
    }
    default: return n;
  }
}

void EmitBytes(const ByteSet& s, std::string* out) {
  auto hex = [out](int b) {
    static const char* d = "0123456789abcdef";
    *out += "\\x";
    *out += d[b >> 4];
    *out += d[b & 15];
  };
  // The set's runs of consecutive bytes, from its four 64-bit words.
  static const ByteSet kWord(~uint64_t{0});
  std::vector<std::pair<int, int>> runs;
  for (int w = 0; w < 4; ++w) {
    for (uint64_t bits = ((s >> (64 * w)) & kWord).to_ullong(); bits != 0; bits &= bits - 1) {
      int b = 64 * w + std::countr_zero(bits);
      if (!runs.empty() && runs.back().second == b - 1)
        runs.back().second = b;
      else
        runs.push_back({b, b});
    }
  }
  if (runs.size() == 1 && runs[0].first == runs[0].second) {
    hex(runs[0].first);
    return;
  }
  *out += '[';
  for (auto [b, e] : runs) {
    hex(b);
    if (e > b) {
      *out += '-';
      hex(e);
    }
  }
  *out += ']';
}

void Emit(const Node& n, bool first, bool last, std::string* out) {  // first/last: may hold ^/$
  switch (n.kind) {
    case Kind::kBytes: EmitBytes(n.bytes, out); return;
    case Kind::kConcat:
      for (size_t i = 0; i < n.kids.size(); ++i)
        Emit(n.kids[i], first && i == 0, last && i + 1 == n.kids.size(), out);
      return;
    case Kind::kAlt:
      *out += "(?:";
      for (size_t i = 0; i < n.kids.size(); ++i) {
        if (i) *out += '|';
        Emit(n.kids[i], false, false, out);
      }
      *out += ')';
      return;
    case Kind::kRepeat: {
      *out += "(?:";
      Emit(n.kids[0], false, false, out);
      *out += ')';
      if (n.min == 0 && n.max == 1)
        *out += '?';
      else if (n.min == 0 && n.max == Node::kUnbounded)
        *out += '*';
      else if (n.min == 1 && n.max == Node::kUnbounded)
        *out += '+';
      else if (n.max == Node::kUnbounded)
        *out += '{' + std::to_string(n.min) + ",}";
      else if (n.min == n.max)
        *out += '{' + std::to_string(n.min) + '}';
      else
        *out += '{' + std::to_string(n.min) + ',' + std::to_string(n.max) + '}';
      return;
    }
    case Kind::kLineStart:
      if (first) *out += '^';  // elsewhere: matches anywhere (sound)
      return;
    case Kind::kLineEnd:
      if (last) *out += '$';
      return;
  }
}

// Emit with every anchor kept, and ε shown: a canonical dump.
void Dump(const Node& n, std::string* out) {
  switch (n.kind) {
    case Kind::kBytes: EmitBytes(n.bytes, out); return;
    case Kind::kConcat:
      if (n.kids.empty()) *out += "(?:)";
      for (const auto& k : n.kids) Dump(k, out);
      return;
    case Kind::kAlt:
      *out += "(?:";
      for (size_t i = 0; i < n.kids.size(); ++i) {
        if (i) *out += '|';
        Dump(n.kids[i], out);
      }
      *out += ')';
      return;
    case Kind::kRepeat: {
      *out += "(?:";
      Dump(n.kids[0], out);
      *out += "){" + std::to_string(n.min) + ',' +
              (n.max == Node::kUnbounded ? std::string() : std::to_string(n.max)) + '}';
      return;
    }
    case Kind::kLineStart: *out += '^'; return;
    case Kind::kLineEnd: *out += '$'; return;
  }
}

}  // namespace

bool CaselessInvariant(uint32_t cp) {
  // Latin-1 punctuation and symbols (not U+00B5 micro sign: it folds to
  // Greek mu), general punctuation, super/subscripts, currency, arrows,
  // mathematical and technical symbols (not the letterlike symbols and
  // number forms at U+2100..U+218F, nor the circled letters from U+2460),
  // box drawing, shapes, dingbats and other symbols up to U+2BFF.
  static constexpr uint32_t kRanges[][2] = {
      {0xA0, 0xB4},     {0xB6, 0xBF},     {0xD7, 0xD7},     {0xF7, 0xF7},
      {0x2000, 0x20FF}, {0x2190, 0x245F}, {0x2500, 0x2BFF},
  };
  for (const auto& r : kRanges)
    if (cp >= r[0] && cp <= r[1]) return true;
  return false;
}

BytePattern BytePattern::OfBytes(const ByteSet& b) {
  BytePattern n;
  n.kind = Kind::kBytes;
  n.bytes = b;
  n.bytes.reset('\n');  // a line holds no '\n'
  return n;
}

BytePattern BytePattern::Sequence(std::vector<BytePattern> parts) {
  BytePattern n;
  n.kids = std::move(parts);
  return n;
}

BytePattern BytePattern::Alternatives(std::vector<BytePattern> parts) {
  BytePattern n;
  n.kind = Kind::kAlt;
  for (auto& p : parts)
    if (std::find(n.kids.begin(), n.kids.end(), p) == n.kids.end()) n.kids.push_back(std::move(p));
  if (n.kids.empty()) return OfBytes(ByteSet());
  if (n.kids.size() == 1) return std::move(n.kids[0]);
  return n;
}

BytePattern BytePattern::Repeated(BytePattern p, int min, int max) {
  BytePattern n;
  n.kind = Kind::kRepeat;
  n.min = min;
  n.max = max;
  n.kids.push_back(std::move(p));
  return n;
}

std::optional<BytePattern> BytePattern::Parse(std::string_view regex, bool caseless) {
  std::optional<Node> n = Parser(regex, caseless).Run();
  if (!n) return std::nullopt;
  return Simplify(std::move(*n));
}

std::string BytePattern::Dump() const {
  std::string out;
  clean::Dump(*this, &out);
  return out;
}

bool BytePattern::Nullable() const {
  switch (kind) {
    case Kind::kBytes: return false;
    case Kind::kConcat:
      return std::all_of(kids.begin(), kids.end(), [](const Node& k) { return k.Nullable(); });
    case Kind::kAlt:
      return std::any_of(kids.begin(), kids.end(), [](const Node& k) { return k.Nullable(); });
    case Kind::kRepeat: return min == 0 || kids[0].Nullable();
    default: return true;
  }
}

bool BytePattern::Never() const {
  switch (kind) {
    case Kind::kBytes: return bytes.none();
    case Kind::kConcat:
      return std::any_of(kids.begin(), kids.end(), [](const Node& k) { return k.Never(); });
    case Kind::kAlt:
      return std::all_of(kids.begin(), kids.end(), [](const Node& k) { return k.Never(); });
    case Kind::kRepeat: return min > 0 && kids[0].Never();
    default: return false;
  }
}

std::string ToHyperscan(const BytePattern& p) {
  std::string out;
  Emit(p, true, true, &out);
  return out;
}

}  // namespace clean
