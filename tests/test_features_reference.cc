// FeatureExtractor (cleaner/classify/features.h) against a plain reference: the
// straightforward per-code-point state machine the fast block pass replaced,
// kept here as the definition of every LineFeatures field. Both must agree on
// every line of every dataset page and seed, and on generated lines made to
// hit the fast path's edges (16- and 64-byte block boundaries, multi-byte
// UTF-8 split across them, quotes and terminal punctuation around spaces,
// U+00A0, list markers, very long words).
#include <catch2/catch.hpp>
#include <algorithm>
#include <cstring>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "cleaner/base/avx2_dispatch.h"
#include "cleaner/text/byte_classes.h"
#include "cleaner/classify/features.h"
#include "cleaner/base/options.h"
#include "cleaner/base/text_util.h"
#include "cleaner/ruleset/word_key.h"
#include "tests/test_support.h"

namespace fs = std::filesystem;
using namespace clean;

// Runs the rest of the test case twice: with the AVX2 line pass (where
// the CPU has it) and without it (the baseline).
#define LINE_PASS_VARIANT()                            \
  const int line_pass = GENERATE(0, 1);                \
  avx2::ScopedForTesting avx2_variant(line_pass == 0); \
  INFO("AVX2 line pass " << (avx2::Enabled() ? "on" : "off"))

namespace {

bool RefTerminal(uint32_t cp) {
  return cp == '.' || cp == '!' || cp == '?' || cp == ':' || cp == ';' || cp == 0x2026 ||
         cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == 0x0964;
}

bool RefClosingQuote(uint32_t cp) {
  return cp == '"' || cp == '\'' || cp == ')' || cp == 0x201D || cp == 0x2019 || cp == 0xBB ||
         cp == 0x201C;
}

// "- ", "* ", "+ ", a bullet or dash (• ▪ ◦ · – —), or 1-3 digits and ". "
// or ") ".
bool RefListMarker(std::string_view s) {
  for (std::string_view m : {"- ", "* ", "+ ", "\xE2\x80\xA2", "\xE2\x96\xAA", "\xE2\x97\xA6",
                             "\xC2\xB7", "\xE2\x80\x93", "\xE2\x80\x94"})
    if (s.starts_with(m)) return true;
  size_t digits = 0;
  while (digits < 3 && digits < s.size() && s[digits] >= '0' && s[digits] <= '9') ++digits;
  const std::string_view after = s.substr(digits, 2);
  return digits > 0 && (after == ". " || after == ") ");
}

// One line, one code point at a time.
LineFeatures ReferenceLine(const Lexicon& lexicon, std::string_view s, StopCounts* stop) {
  LineFeatures f;
  *stop = {};
  if (s.empty()) return f;
  f.list_marker = RefListMarker(s);
  const size_t max_word = std::min<size_t>(lexicon.max_word_bytes(), 64);
  uint32_t words = 0, letters = 0, uppers = 0, digits = 0, cap_words = 0, long_words = 0;
  std::string lower;  // the current word, lower-cased
  size_t word_start = 0, word_cps = 0;
  bool in_word = false;
  uint32_t last_cp = 0, prev_cp = 0;  // the last two code points other than ' ' and U+00A0
  bool after_terminal = false;        // saw ". " and waiting for a capital
  auto end_word = [&](size_t end) {
    in_word = false;
    ++words;
    long_words += word_cps >= 4;
    if (end - word_start <= max_word) {
      LangMask m = lexicon.Lookup(lower);
      for (int l = 0; l < kMaxLanguages; ++l)
        if (m & (1u << l)) ++(*stop)[l];
    }
  };
  for (size_t i = 0; i < s.size();) {
    size_t len = Utf8SequenceLength(s, i);
    uint32_t cp = len ? Utf8Decode(s, i, len) : 0xFFFD;
    if (!len) len = 1;
    ++f.chars;
    bool upper = IsUpperCodePoint(cp);
    if (IsWordCodePoint(cp)) {
      if (!in_word) {
        in_word = true;
        word_start = i;
        word_cps = 0;
        lower.clear();
        cap_words += upper;
        if (after_terminal && upper) f.has_sentence_break = true;
      }
      after_terminal = false;
      ++word_cps;
      Utf8Append(LowerCodePoint(cp), &lower);
      if (cp >= '0' && cp <= '9') {
        ++digits;
      } else {
        ++letters;
        uppers += upper;
      }
    } else {
      if (in_word) end_word(i);
      if (cp == ' ') {
        uint32_t t = RefClosingQuote(last_cp) ? prev_cp : last_cp;  // `."` ends a sentence too
        if (RefTerminal(t) && t != ':' && t != ';') after_terminal = true;
      } else if (!RefClosingQuote(cp) && !RefTerminal(cp)) {
        after_terminal = false;
      }
    }
    if (cp != ' ' && cp != 0xA0) {
      prev_cp = last_cp;
      last_cp = cp;
    }
    i += len;
  }
  if (in_word) end_word(s.size());
  f.words = static_cast<uint16_t>(words);
  f.letters = static_cast<uint16_t>(letters);
  f.uppers = static_cast<uint16_t>(uppers);
  f.digits = static_cast<uint16_t>(digits);
  f.cap_words = static_cast<uint16_t>(cap_words);
  f.long_words = static_cast<uint16_t>(long_words);
  f.terminal = RefTerminal(last_cp) || (RefClosingQuote(last_cp) && RefTerminal(prev_cp));
  return f;
}

// The page: every line, then the language from the stop-word hits, then
// repeats.
PageFeatures ReferencePage(const Lexicon& lexicon, const Page& page,
                           std::vector<StopCounts>* stops) {
  PageFeatures out;
  std::array<uint32_t, kMaxLanguages> per_lang{};
  stops->assign(page.lines.size(), {});
  for (size_t i = 0; i < page.lines.size(); ++i) {
    out.lines.push_back(ReferenceLine(lexicon, page.line(i), &(*stops)[i]));
    out.words += out.lines.back().words;
    for (int l = 0; l < kMaxLanguages; ++l) per_lang[l] += (*stops)[i][l];
  }
  for (int l = 0; l < static_cast<int>(lexicon.languages().size()); ++l)
    if (per_lang[l] > out.stop_hits) {
      out.stop_hits = per_lang[l];
      out.language = l;
    }
  if (out.stop_hits * 20 < out.words || out.stop_hits < 3) out.language = -1;
  std::unordered_map<std::string_view, uint16_t> count;
  for (size_t i = 0; i < page.lines.size(); ++i)
    if (!page.lines[i].blank()) ++count[page.line(i)];
  for (size_t i = 0; i < page.lines.size(); ++i) {
    LineFeatures& f = out.lines[i];
    f.stop_words = out.language >= 0 ? (*stops)[i][out.language] : 0;
    if (!page.lines[i].blank()) f.repeats = count[page.line(i)];
  }
  return out;
}

std::string Describe(const LineFeatures& f, const StopCounts& stop) {
  std::string s =
      "chars=" + std::to_string(f.chars) + " words=" + std::to_string(f.words) +
      " stop_words=" + std::to_string(f.stop_words) + " letters=" + std::to_string(f.letters) +
      " uppers=" + std::to_string(f.uppers) + " digits=" + std::to_string(f.digits) +
      " cap_words=" + std::to_string(f.cap_words) + " long_words=" + std::to_string(f.long_words) +
      " terminal=" + std::to_string(f.terminal) + " list_marker=" + std::to_string(f.list_marker) +
      " has_sentence_break=" + std::to_string(f.has_sentence_break) +
      " repeats=" + std::to_string(f.repeats) + " stop_by_lang=";
  for (uint16_t v : stop) s += std::to_string(v) + ",";
  return s;
}

bool Same(const LineFeatures& a, const LineFeatures& b) {
  return a.chars == b.chars && a.words == b.words && a.stop_words == b.stop_words &&
         a.letters == b.letters && a.uppers == b.uppers && a.digits == b.digits &&
         a.cap_words == b.cap_words && a.long_words == b.long_words && a.terminal == b.terminal &&
         a.list_marker == b.list_marker && a.has_sentence_break == b.has_sentence_break &&
         a.repeats == b.repeats;
}

// Compares the extractor with the reference on one page; returns the number
// of lines that differ (each one reported).
size_t Compare(FeatureExtractor* fx, const Lexicon& lexicon, const std::string& name,
               std::string_view text) {
  Page page;
  std::string error;
  REQUIRE(BuildPage(text, Options(), &page, &error));
  PageFeatures fast;
  fx->Compute(page, &fast);
  std::vector<StopCounts> ref_stops;
  PageFeatures ref = ReferencePage(lexicon, page, &ref_stops);
  REQUIRE(fast.lines.size() == ref.lines.size());
  size_t bad = 0;
  for (size_t i = 0; i < ref.lines.size(); ++i) {
    const StopCounts fast_stop = fx->stop_by_lang(i);
    if (Same(fast.lines[i], ref.lines[i]) && fast_stop == ref_stops[i]) continue;
    if (++bad <= 3) {
      FAIL_CHECK(name << " line " << i + 1 << ": \"" << page.line(i)
                      << "\"\n  fast: " << Describe(fast.lines[i], fast_stop)
                      << "\n  ref:  " << Describe(ref.lines[i], ref_stops[i]));
    }
  }
  CHECK(fast.language == ref.language);
  CHECK(fast.stop_hits == ref.stop_hits);
  CHECK(fast.words == ref.words);
  return bad;
}

// Pieces the generated lines are made of: words of every script the
// features know, the punctuation the sentence rules look at, and spaces.
const std::vector<std::string>& Pieces() {
  static const std::vector<std::string> v = {"the",
                                             "The",
                                             "THE",
                                             "and",
                                             "of",
                                             "a",
                                             "I",
                                             "Mr",
                                             "U",
                                             "S",
                                             "x",
                                             "Zebra",
                                             "ab12",
                                             "2024",
                                             "7",
                                             "der",
                                             "Die",
                                             "für",
                                             "Über",
                                             "é",
                                             "À",
                                             "ÉTÉ",
                                             "naïve",
                                             "Ærø",
                                             "Ÿ",
                                             "ÿ",
                                             "ß",
                                             "ẞ",
                                             "и",
                                             "И",
                                             "не",
                                             "НЕ",
                                             "Він",
                                             "їх",
                                             "Єва",
                                             "ЁЖ",
                                             "ў",
                                             "Ѣ",
                                             "ѣ",
                                             "Ѐ",
                                             "Ωμέγα",
                                             "ΣΑ",
                                             "Łódź",
                                             "ŁĄKA",
                                             "Ĳ",
                                             "ĳ",
                                             "ŉ",
                                             "Ŋ",
                                             "北京",
                                             "東京",
                                             "한국",
                                             "ab\xF0\x9F\x98\x80",
                                             "\xF0\x9F\x98\x80",
                                             "\xF0\x90\x8C\xB0",
                                             "שלום",
                                             "مرحبا",
                                             "हिन्दी",
                                             "ª",
                                             "µ",
                                             "º",
                                             "×",
                                             "÷",
                                             "·",
                                             "«",
                                             "»",
                                             "¿",
                                             "¡",
                                             "©",
                                             "\xC2\xA0",
                                             "\xC2\xAD",
                                             "\xE2\x80\xAF",
                                             "\xE3\x80\x80",
                                             ".",
                                             "!",
                                             "?",
                                             ":",
                                             ";",
                                             ",",
                                             "...",
                                             "…",
                                             "。",
                                             "！",
                                             "？",
                                             "।",
                                             "\"",
                                             "'",
                                             ")",
                                             "(",
                                             "”",
                                             "“",
                                             "’",
                                             "‘",
                                             "„",
                                             "-",
                                             "–",
                                             "—",
                                             "•",
                                             "▪",
                                             "◦",
                                             "*",
                                             "+",
                                             "1.",
                                             "12)",
                                             "#",
                                             "/",
                                             "\t",
                                             " ",
                                             " ",
                                             " ",
                                             " ",
                                             "  ",
                                             "   ",
                                             "."};
  return v;
}

std::string RandomLine(std::mt19937* rng, size_t max_bytes) {
  const auto& pieces = Pieces();
  std::string line;
  std::uniform_int_distribution<size_t> pick(0, pieces.size() - 1), coin(0, 9);
  while (line.size() < max_bytes) {
    line += pieces[pick(*rng)];
    if (coin(*rng) < 4) line += ' ';
  }
  // Cut to max_bytes, back to the start of a code point.
  size_t n = std::min(line.size(), max_bytes);
  while (n > 0 && n < line.size() && (static_cast<unsigned char>(line[n]) & 0xC0) == 0x80) --n;
  line.resize(n);
  return line;
}

}  // namespace

TEST_CASE("features reference: every line of every dataset page and seed", "[features]") {
  LINE_PASS_VARIANT();
  auto inputs = clean::testing::SharedTextPages();
  if (inputs.empty()) {
    WARN("no dataset at " CLEAN_SHARED_DIR ": skipped");
    return;
  }
  REQUIRE(inputs.size() >= 300);
  const Lexicon& lexicon = clean::testing::ProjectRules().lexicon();
  FeatureExtractor fx(lexicon);
  size_t bad = 0, lines = 0;
  for (const auto& p : inputs) {
    std::string text = clean::testing::ReadFile(p.string());
    bad += Compare(&fx, lexicon, p.filename().string(), text);
    lines += std::count(text.begin(), text.end(), '\n');
  }
  CHECK(bad == 0);
  CHECK(lines > 10000);
}

TEST_CASE("features reference: generated lines of every length and at every offset", "[features]") {
  LINE_PASS_VARIANT();
  const Lexicon& lexicon = clean::testing::ProjectRules().lexicon();
  FeatureExtractor fx(lexicon);
  std::mt19937 rng(20240611);
  size_t bad = 0;
  // Lines of 0..80 bytes (cut at a code point boundary, so UTF-8 stays whole),
  // each page shifted by a prefix line of 0..63 bytes so that every line
  // meets the 16- and 64-byte blocks at another offset; the last line of a
  // page has no bytes after it to read.
  for (int round = 0; round < 64; ++round) {
    std::string page(static_cast<size_t>(round), 'a');
    page += '\n';
    for (size_t len = 0; len <= 80; ++len) {
      std::string line = RandomLine(&rng, len);
      page += line;
      page += '\n';
    }
    page += RandomLine(&rng, static_cast<size_t>(round));  // no final newline
    bad += Compare(&fx, lexicon, "generated page " + std::to_string(round), page);
  }
  // Long lines: words of up to 200 bytes, many blocks, words straddling them.
  for (int round = 0; round < 200; ++round) {
    std::string page;
    for (int k = 0; k < 8; ++k) {
      std::string line = RandomLine(&rng, 300);
      std::uniform_int_distribution<int> where(0, static_cast<int>(line.size()));
      std::uniform_int_distribution<int> wlen(1, 200);
      std::string word;
      int n = wlen(rng);
      for (int j = 0; j < n; ++j) word += (j % 7 == 3) ? "Ж" : (j % 5 == 1) ? "Q" : "q";
      line.insert(static_cast<size_t>(where(rng)), " " + word + " ");
      page += line + "\n";
    }
    bad += Compare(&fx, lexicon, "long page " + std::to_string(round), page);
  }
  // Stop words straddling every block offset, cased every way.
  for (size_t shift = 0; shift < 70; ++shift) {
    std::string page;
    for (std::string w : {"the", "THE", "The", "und", "НЕ", "він", "über", "Über", "które",
                          "nevertheless", "NEVERTHELESS", "пожалуйста"}) {
      page += std::string(shift, 'z') + " " + w + " " + w + ". " + w + ".\" " + w + "\n";
      page += std::string(shift, 'z') + "\xC2\xA0" + w + "\xC2\xA0. \xC2\xA0" + w + "\n";
    }
    bad += Compare(&fx, lexicon, "shifted page " + std::to_string(shift), page);
  }
  // Words of 1..6 code points of 1 to 4 bytes (long_words: 4+ code points,
  // counted from the chunks' masks with BMI2) straddling every chunk offset
  // up to the third chunk, with the line's end right after them or not.
  const char* const cps[] = {"q", "é", "Ж", "北", "\xF0\x90\x8C\xB0"};  // the last: 𐌰
  for (size_t shift = 0; shift < 140; ++shift) {
    std::string page;
    for (int n = 1; n <= 6; ++n)
      for (int first = 0; first < 5; ++first) {
        std::string w;
        for (int j = 0; j < n; ++j) w += cps[(first + j * (j + 1)) % 5];
        page += std::string(shift, 'z') + " " + w + "\n";
        page += std::string(shift, 'z') + " " + w + " " + w + "!\n";
      }
    bad += Compare(&fx, lexicon, "long words at " + std::to_string(shift), page);
  }
  // More stop words in a line than the fast path's 8-bit counters hold, and
  // more words than LineFeatures' 16-bit counts (they wrap).
  std::string many;
  for (int k = 0; k < 1000; ++k) many += k % 3 ? "the " : "und Der ";
  bad += Compare(&fx, lexicon, "many stop words", many + "\n" + many + "\n");
  std::string wrap;
  for (int k = 0; k < 70000; ++k) wrap += "a ";
  bad += Compare(&fx, lexicon, "70000 words", wrap);
  CHECK(bad == 0);
}

TEST_CASE("features reference: repeats of lines that differ past a chunk or in chunk order",
          "[features]") {
  LINE_PASS_VARIANT();
  const Lexicon& lexicon = clean::testing::ProjectRules().lexicon();
  FeatureExtractor fx(lexicon);
  std::mt19937 rng(77);
  std::uniform_int_distribution<int> letter('a', 'z');
  size_t bad = 0;
  for (size_t len : {1, 15, 16, 17, 63, 64, 65, 127, 128, 129, 200, 300}) {
    std::string base;
    for (size_t k = 0; k < len; ++k) base += (k % 6 == 5) ? ' ' : static_cast<char>(letter(rng));
    base.back() = 'x';
    std::string page;
    auto add = [&](const std::string& line, int times) {
      for (int t = 0; t < times; ++t) page += line + "\n";
    };
    add(base, 3);
    add(base + "y", 2);                       // one byte longer
    add(base.substr(1), 1);                   // one byte shorter
    for (size_t at = 0; at < len; at += 7) {  // one byte changed, at every distance
      std::string other = base;
      other[at] = other[at] == 'q' ? 'r' : 'q';
      add(other, static_cast<int>(at % 3) + 1);
    }
    if (len >= 128) {  // the first two chunks swapped
      add(base.substr(64, 64) + base.substr(0, 64) + base.substr(128), 2);
      // The same change in byte 0 and in byte 11 of the second chunk: the
      // AVX2 pass's 16-byte folds (the second rotated 5 bytes against the
      // first) cancel it, so the hashes are equal; the lines are not.
      std::string twin = base;
      twin[0] = static_cast<char>(twin[0] ^ 1);
      twin[64 + 11] = static_cast<char>(twin[64 + 11] ^ 1);
      add(twin, 2);
    }
    add(base, 1);  // the base again, after the others
    bad += Compare(&fx, lexicon, "repeats of " + std::to_string(len) + " bytes", page);
    // The same lines where the page's end is near (copied with padding).
    bad += Compare(&fx, lexicon, "repeats at the end, " + std::to_string(len), page + base);
  }
  CHECK(bad == 0);
}

TEST_CASE("features reference: a lexicon with long words and many words", "[features]") {
  LINE_PASS_VARIANT();
  // Stop words of 1..40 bytes (beyond the short table's 16 and the 64-byte
  // cap on looked-up words), non-ASCII ones, capitals (which no lower-cased
  // word matches), and thousands more: the table's larger sizes.
  std::string en =
      "# test list\nthe\na\nnevertheless\ninternationalization\n"
      "nichtsdestoweniger\nпожалуйстапожалуйста\nThe\nüberraschenderweise\n" +
      std::string(40, 'x') + "\n" + std::string(70, 'y') + "\n";
  Lexicon lexicon;
  clean::testing::LoadLexicon(
      {{"en.txt", en},
       {"de.txt", "der\nund\nüber\nnichtsdestoweniger\n" + clean::testing::NumberedWords(6000)}},
      &lexicon);
  REQUIRE(lexicon.languages() == std::vector<std::string>{"de", "en"});
  CHECK(lexicon.Lookup("internationalization") == 2);
  CHECK(lexicon.Lookup("nichtsdestoweniger") == 3);
  CHECK(lexicon.Lookup("w7919") == 1);
  CHECK(lexicon.Lookup(std::string(40, 'x')) == 2);
  CHECK(lexicon.Lookup("internationalisation") == 0);
  CHECK(lexicon.Lookup("w7918") == 0);
  FeatureExtractor fx(lexicon);
  std::mt19937 rng(99);
  size_t bad = 0;
  for (int round = 0; round < 100; ++round) {
    std::string page;
    for (int k = 0; k < 10; ++k) {
      std::string line = RandomLine(&rng, 120);
      for (const std::string& w :
           std::vector<std::string>{"Internationalization", "NICHTSDESTOWENIGER", "nevertheless",
                                    "ПОЖАЛУЙСТАпожалуйста", "überraschenderweise", "w15838",
                                    "W23757", std::string(40, 'x'), std::string(70, 'y')})
        if (rng() % 3 == 0) {
          const size_t at = rng() % (line.size() + 1);
          line = line.substr(0, at) + " " + w + " " + line.substr(at);
        }
      page += line + "\n";
    }
    bad += Compare(&fx, lexicon, "long-word page " + std::to_string(round), page);
  }
  CHECK(bad == 0);
}

TEST_CASE("features reference: the SSE2 byte classes match the scalar ones", "[features]") {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 20000; ++round) {
    char block[16];
    for (char& c : block) c = static_cast<char>(byte(rng));
    if (round < 256)
      for (char& c : block) c = static_cast<char>(round);  // every byte value
    INFO("round " << round);
    REQUIRE(ClassifyBlock16(block) == ClassifyBlock16Scalar(block));
  }
}

#ifdef CLEAN_AVX2_VARIANTS
namespace {
// ClassifyChunk64Avx2<false> of the 64 bytes at p (the line pass's).
[[gnu::target(CLEAN_AVX2_TARGET)]] ByteMasks64 LeanChunkClasses(const char* p) {
  return ClassifyChunk64Avx2<false>(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)),
                                    _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32)));
}
}  // namespace
#endif

TEST_CASE("features reference: the AVX2 byte classes match the scalar ones", "[features]") {
  if (!avx2::Supported()) {
    WARN("no AVX2 on this CPU: skipped");
    return;
  }
#ifdef CLEAN_AVX2_VARIANTS
  std::mt19937 rng(8);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 20000; ++round) {
    char chunk[64];
    for (char& c : chunk) c = static_cast<char>(byte(rng));
    if (round < 256)
      for (char& c : chunk) c = static_cast<char>(round);  // every byte value
    ByteMasks64 slow;
    for (size_t b = 0; b < 64; b += 16) slow.Add(ClassifyBlock16Scalar(chunk + b), b);
    INFO("round " << round);
    REQUIRE(ClassifyChunk64Avx2(chunk) == slow);
    // The line pass's: without the continuation bytes and the spaces, and
    // those on their own.
    ByteMasks64 lean = slow;
    lean.cont = lean.space = 0;
    REQUIRE(LeanChunkClasses(chunk) == lean);
    REQUIRE(ContinuationBits64Avx2(chunk) == slow.cont);
    REQUIRE(SpaceBits64Avx2(chunk) == slow.space);
  }
#endif
}

TEST_CASE("features reference: the SSE4.1 word key matches the SSE2 one", "[features]") {
#if defined(__SSE2__) && defined(__x86_64__) && defined(__GNUC__)
  if (!avx2::Supported()) {  // the CPUs the key is used on
    WARN("no AVX2 on this CPU: skipped");
    return;
  }
  std::mt19937 rng(9);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 20000; ++round) {
    char bytes[16];
    for (char& c : bytes) c = static_cast<char>(byte(rng));
    if (round < 256)
      for (char& c : bytes) c = static_cast<char>(round);  // every byte value
    // ... but zero, which no word holds (the SSE2 key keeps it, the SSE4.1
    // one sets its 0x20).
    for (char& c : bytes) c = c ? c : '\x01';
    for (size_t len = 1; len <= 16; ++len) {
      const WordKey fast = WordKey::LoadLowerAscii(bytes, len);
      const WordKey slow = WordKey::Load(bytes, len).LowerAscii();
      INFO("round " << round << " len " << len);
      REQUIRE(fast.lo() == slow.lo());
      REQUIRE(fast.hi() == slow.hi());
    }
  }
#endif
}

TEST_CASE("features reference: filtered lexicon lookups of every dataset word", "[features]") {
  // Every word of every dataset page, lower-cased as the reference does:
  // the short table's filtered lookup (what the line pass reads) equals the
  // plain one, and the filter rules out most words of no list (what it is
  // for).
  auto inputs = clean::testing::SharedTextPages();
  if (inputs.empty()) {
    WARN("no dataset at " CLEAN_SHARED_DIR ": skipped");
    return;
  }
  const Lexicon& lexicon = clean::testing::ProjectRules().lexicon();
  const Lexicon::ShortTable t = lexicon.short_table();
  size_t words = 0, stop = 0, other_short = 0, other_passed = 0, bad = 0;
  std::string lower;
  auto check = [&]() {
    if (lower.empty()) return;
    ++words;
    const LangMask plain = lexicon.Lookup(lower);
    if (lexicon.LookupFiltered(lower) != plain && ++bad <= 5)
      FAIL_CHECK("word \"" << lower << "\"");
    stop += plain != 0;
    if (plain == 0 && lower.size() <= Lexicon::kShortBytes) {
      char padded[Lexicon::kShortBytes] = {};
      std::memcpy(padded, lower.data(), lower.size());
      uint64_t lo, hi;
      std::memcpy(&lo, padded, 8);
      std::memcpy(&hi, padded + 8, 8);
      ++other_short;
      other_passed += t.MayHold(t.HashOf(lo, hi));
    }
    lower.clear();
  };
  for (const auto& p : inputs) {
    const std::string text = clean::testing::ReadFile(p.string());
    for (size_t i = 0; i < text.size();) {
      size_t len = Utf8SequenceLength(text, i);
      const uint32_t cp = len ? Utf8Decode(text, i, len) : 0xFFFD;
      if (!len) len = 1;
      if (IsWordCodePoint(cp)) {
        Utf8Append(LowerCodePoint(cp), &lower);
      } else {
        check();
      }
      i += len;
    }
    check();
  }
  CHECK(bad == 0);
  CHECK(words > 100000);
  CHECK(stop > words / 10);
  INFO("words of no list the filter let through: " << other_passed << " of " << other_short);
  CHECK(other_passed * 10 < other_short);
}
