// The AVX2 block decoder of JSON strings (json_scan.cc Scanner::StringBlocks)
// against what its input was made from and against the baseline decoder:
// text written as json.dumps writes it with ensure_ascii (every non-ASCII
// character a \u escape, a surrogate pair above U+FFFF, "\n" every few
// words), with each escape moved over every offset of a 32-byte block and
// across its end, runs of \u escapes, surrogate pairs split by the block
// end, runs of escaped backslashes and quotes; and bad input at every
// offset, whose error (column and problem) must be the baseline's. Each
// record is scanned three ways, with the AVX2 switch on (twice) and off:
// the decoder has one path now, which the switch must not change.
#include <catch2/catch.hpp>

#include <cstdio>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "cleaner/base/avx2_dispatch.h"
#include "cleaner/json/json_scan.h"
#include "cleaner/base/text_util.h"

using namespace clean;

namespace {

// One character of the text: its UTF-8 and how a writer with ensure_ascii
// escapes it.
struct Piece {
  std::string text, json;
};

Piece Char(uint32_t cp) {
  Piece p;
  Utf8Append(cp, &p.text);
  char buf[16];
  if (cp == '\n') {
    p.json = "\\n";
  } else if (cp == '"' || cp == '\\') {
    p.json = std::string("\\") + static_cast<char>(cp);
  } else if (cp < 0x20 || cp >= 0x80) {
    if (cp < 0x10000) {
      std::snprintf(buf, sizeof buf, "\\u%04x", cp);
    } else {
      const uint32_t v = cp - 0x10000;
      std::snprintf(buf, sizeof buf, "\\u%04x\\u%04x", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF));
    }
    p.json = buf;
  } else {
    p.json = std::string(1, static_cast<char>(cp));
  }
  return p;
}

struct Scanned {
  bool ok = false;
  std::string decoded, error;
};

// The record scanned with the AVX2 switch on ([0], [1]) and off ([2]).
std::vector<Scanned> ScanThreeWays(const std::string& line) {
  std::vector<Scanned> out(3);
  JsonObjectScan scan;
  for (int v = 0; v < 3; ++v) {
    avx2::ScopedForTesting variant(v < 2);
    out[v].ok = ScanJsonObject(line, &scan, &out[v].error);
    if (out[v].ok) out[v].decoded = std::string(scan.Decoded(scan.members[0]));
  }
  return out;
}

// Records holding `json` as the first member's string: at the line's end
// (the decoder's last bytes go to the byte loop) and followed by a long
// member (the whole string in blocks).
std::vector<std::string> Records(const std::string& json) {
  return {"{\"text\": \"" + json + "\"}",
          "{\"text\": \"" + json + "\", \"rest\": \"" + std::string(90, 'r') + "\"}"};
}

}  // namespace

TEST_CASE("json decode blocks: text written with only ASCII decodes to what it was made from",
          "[jsonl][fast]") {
  if (!avx2::Supported()) WARN("no AVX2 here: only the baseline decoder is checked");
  // Code points as the corpus has them: ASCII words, line breaks, quotes and
  // backslashes, Latin letters (two UTF-8 bytes), punctuation and CJK
  // (three), emoji (a surrogate pair), controls.
  const std::vector<uint32_t> kinds = {'a',    'b',    ' ',     'w',     '.',     '\n',   '"',
                                       '\\',   '/',    0x01,    0x1F,    0x7F,    0xE9,   0xFC,
                                       0x41F,  0x7FF,  0x800,   0x2019,  0x4E2D,  0xD7FF, 0xE000,
                                       0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF};
  std::mt19937 rng(41);
  std::vector<std::vector<uint32_t>> texts;
  for (int k = 0; k < 1500; ++k) {
    std::vector<uint32_t> t;
    const size_t len = 1 + rng() % 160;
    const int mode = k % 3;  // mixed; runs of non-ASCII (\u runs); mostly ASCII
    for (size_t i = 0; i < len; ++i) {
      if (mode == 1)
        t.push_back(kinds[12 + rng() % (kinds.size() - 12)]);
      else if (mode == 2 && rng() % 4)
        t.push_back('a' + rng() % 26);
      else
        t.push_back(kinds[rng() % kinds.size()]);
    }
    texts.push_back(t);
  }
  // Each kind of escape, and runs of them, at every offset of a block and
  // across its end (a surrogate pair split by it).
  for (const std::vector<uint32_t>& esc :
       std::vector<std::vector<uint32_t>>{{0xE9},
                                          {0x1F600},
                                          {0x2019, 0x4E2D, 0xE9, 0x41F, 0x1F600},
                                          {'\n', '\n'},
                                          {'\\', '\\', '"'},
                                          {0xE9, '\n', 0xE4}}) {
    for (size_t at = 0; at < 70; ++at) {
      std::vector<uint32_t> t(at, 'a');
      t.insert(t.end(), esc.begin(), esc.end());
      t.insert(t.end(), 40, 'b');
      t.insert(t.end(), esc.begin(), esc.end());
      texts.push_back(t);
    }
  }
  size_t checked = 0;
  for (const std::vector<uint32_t>& t : texts) {
    std::string text, json;
    for (uint32_t cp : t) {
      Piece p = Char(cp);
      text += p.text;
      json += p.json;
    }
    for (const std::string& line : Records(json)) {
      INFO("record " << line);
      std::vector<Scanned> got = ScanThreeWays(line);
      for (int v = 0; v < 3; ++v) {
        INFO("variant " << v);
        REQUIRE(got[v].ok);
        CHECK(got[v].decoded == text);
      }
      std::string alone = "kept";
      DecodeJsonString("\"" + json + "\"", &alone);
      CHECK(alone == "kept" + text);
      ++checked;
    }
  }
  CHECK(checked > 3000);
}

TEST_CASE("json decode blocks: lone surrogates and bad input give the baseline's result",
          "[jsonl][fast]") {
  // Each piece at every offset of a block (and across its end) in a body
  // dense with \u escapes: lone halves and a high half before another
  // escape decode to U+FFFD (as the baseline); bad escapes, a bad hex digit
  // in each place, a quote or a control or a non-ASCII byte inside an
  // escape, a backslash at the string's end: the baseline's error.
  const std::vector<std::string> pieces = {"\\ud800",
                                           "\\udc00",
                                           "\\ud83d\\n",
                                           "\\ud83d\\ud83d\\ude00",
                                           "\\ude00\\ud83d",
                                           "\\udbff\\u0041",
                                           "\\ud83d\\ude00",
                                           "\\u0000",
                                           "\\uFFFF",
                                           "\\\\\\\\\\\"",
                                           "\\x",
                                           "\\u",
                                           "\\u1",
                                           "\\u12",
                                           "\\u123",
                                           "\\uZ234",
                                           "\\u1Z34",
                                           "\\u12Z4",
                                           "\\u123Z",
                                           "\\u12\"4",
                                           "\\u12\xC3\xA9",
                                           "\\\x01",
                                           "\\\xC3\xA9",
                                           "\\U00e9",
                                           "\\ud83d\\uZZZZ",
                                           "\\ud83d\\u12",
                                           "\"",
                                           "\x01",
                                           "\xC3",
                                           "\xFF"};
  const std::string filler = "x\\u00e9y\\n\\u4e2d ";  // escapes around the piece
  size_t accepted = 0, rejected = 0;
  for (const std::string& piece : pieces) {
    for (size_t at = 0; at < 80; ++at) {
      std::string head;
      while (head.size() < at) head += filler;
      head.resize(at);
      // Cutting the filler may leave a backslash or a partial escape at the
      // piece's left: that is more bad input, and fine.
      for (const std::string& tail :
           {std::string(100, 'b'), filler + filler + filler + filler + filler + filler,
            std::string()}) {
        const std::string json = head + piece + tail;
        for (const std::string& line : Records(json)) {
          INFO("record " << line);
          std::vector<Scanned> got = ScanThreeWays(line);
          for (int v = 0; v < 2; ++v) {
            INFO("variant " << v);
            CHECK(got[v].ok == got[2].ok);
            CHECK(got[v].error == got[2].error);
            CHECK(got[v].decoded == got[2].decoded);
          }
          (got[2].ok ? accepted : rejected) += 1;
        }
      }
    }
  }
  CHECK(accepted > 1000);  // both outcomes are exercised
  CHECK(rejected > 1000);
}
