#include "cleaner/match/prefilter/prefilter_choice.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>

namespace clean {

namespace {

using Node = BytePattern;
using Kind = BytePattern::Kind;

// Rough frequency of a byte in news text.
double ByteFreq(int b) {
  if (b >= 'a' && b <= 'z') return 0.028;
  if (b >= 'A' && b <= 'Z') return 0.0015;
  if (b >= '0' && b <= '9') return 0.001;
  if (b == ' ') return 0.15;
  if (b == '.' || b == ',') return 0.008;
  if (b >= 0x80 && b < 0xC0) return 0.0015;
  if (b >= 0xC0) return 0.0008;
  if (b < 0x20 || b == 0x7F) return 0.00001;
  return 0.0008;
}

double SetProb(const ByteSet& s) {
  static const auto freq = [] {
    std::array<double, 256> f{};
    for (int b = 0; b < 256; ++b) f[b] = ByteFreq(b);
    return f;
  }();
  static const ByteSet kWord(~uint64_t{0});
  double p = 0;
  for (int w = 0; w < 4; ++w)
    for (uint64_t bits = ((s >> (64 * w)) & kWord).to_ullong(); bits != 0; bits &= bits - 1)
      p += freq[64 * w + std::countr_zero(bits)];
  return std::min(p, 1.0);
}

// How likely a match of `n` starts at a given position.
double Prob(const Node& n) {
  switch (n.kind) {
    case Kind::kBytes: return SetProb(n.bytes);
    case Kind::kConcat: {
      double p = 1;
      for (const auto& k : n.kids) p *= Prob(k);
      return p;
    }
    case Kind::kAlt: {
      double p = 0;
      for (const auto& k : n.kids) p += Prob(k);
      return std::min(p, 1.0);
    }
    case Kind::kRepeat: return std::pow(Prob(n.kids[0]), n.min);
    default: return 0.02;  // about one position in a line's length
  }
}

// How likely its first byte is (a loop over such bytes runs long).
double FirstProb(const Node& n) {
  switch (n.kind) {
    case Kind::kBytes: return SetProb(n.bytes);
    case Kind::kConcat: {
      double p = 0;
      for (const auto& k : n.kids) {
        p += FirstProb(k);
        if (!k.Nullable()) break;
      }
      return std::min(p, 1.0);
    }
    case Kind::kAlt: {
      double p = 0;
      for (const auto& k : n.kids) p += FirstProb(k);
      return std::min(p, 1.0);
    }
    case Kind::kRepeat: return FirstProb(n.kids[0]);
    default: return 0;
  }
}

// An unbounded loop over bytes that most text is made of (., [\p{L} ]...):
// it runs on for much of a line.
constexpr double kBroadLoop = 0.85;
bool Broad(const Node& n) {
  return n.kind == Kind::kRepeat && n.max == Node::kUnbounded && FirstProb(n.kids[0]) > kBroadLoop;
}
bool HasBroad(const Node& n) {
  if (Broad(n)) return true;
  return std::any_of(n.kids.begin(), n.kids.end(), [](const Node& k) { return HasBroad(k); });
}

// A byte rare enough to count as a step of a selective line head.
constexpr double kSpecificByte = 0.06;
constexpr int kInf = 1 << 20;

int MinSpecific(const Node& n) {
  switch (n.kind) {
    case Kind::kBytes: return SetProb(n.bytes) < kSpecificByte ? 1 : 0;
    case Kind::kConcat: {
      int s = 0;
      for (const auto& k : n.kids) s = std::min(kInf, s + MinSpecific(k));
      return s;
    }
    case Kind::kAlt: {
      int s = kInf;
      for (const auto& k : n.kids) s = std::min(s, MinSpecific(k));
      return s;
    }
    case Kind::kRepeat:
      return static_cast<int>(
          std::min<long>(kInf, static_cast<long>(n.min) * MinSpecific(n.kids[0])));
    default: return 0;
  }
}

// Matches nothing but the empty string at the line end.
bool Trivial(const Node& n) {
  if (n.kind == Kind::kLineEnd) return true;
  if (n.kind != Kind::kConcat) return false;
  return std::all_of(n.kids.begin(), n.kids.end(), [](const Node& k) { return Trivial(k); });
}

// The fewest selective bytes a path has read when it enters a broad loop
// (kInf: never), `before` read on entry. A loop over every byte that only
// the line end follows ends the search there (the automaton knows the
// pattern matches) and does not count.
int EnterBroad(const Node& n, int before, bool tail_trivial) {
  switch (n.kind) {
    case Kind::kConcat: {
      int best = kInf, acc = before;
      for (size_t i = 0; i < n.kids.size(); ++i) {
        bool trivial_after = tail_trivial;
        for (size_t j = i + 1; j < n.kids.size() && trivial_after; ++j)
          trivial_after = Trivial(n.kids[j]);
        best = std::min(best, EnterBroad(n.kids[i], acc, trivial_after));
        acc = std::min(kInf, acc + MinSpecific(n.kids[i]));
      }
      return best;
    }
    case Kind::kAlt: {
      int best = kInf;
      for (const auto& k : n.kids) best = std::min(best, EnterBroad(k, before, tail_trivial));
      return best;
    }
    case Kind::kRepeat:
      if (Broad(n)) {
        const Node& k = n.kids[0];
        bool every_byte = k.kind == Kind::kBytes && k.bytes.count() >= 255;
        return every_byte && tail_trivial ? kInf : before;
      }
      return EnterBroad(n.kids[0], before, false);
    default: return kInf;
  }
}

bool Anchored(const Node& n) {
  switch (n.kind) {
    case Kind::kLineStart: return true;
    case Kind::kConcat:
      for (const auto& k : n.kids) {
        if (k.kind == Kind::kConcat && k.kids.empty()) continue;
        return Anchored(k);
      }
      return false;
    case Kind::kAlt:
      return std::all_of(n.kids.begin(), n.kids.end(), [](const Node& k) { return Anchored(k); });
    case Kind::kRepeat: return n.min >= 1 && Anchored(n.kids[0]);
    default: return false;
  }
}

struct Part {
  Node node;
  double prob = 1;
};

// A second part this common is not added to the one chosen.
constexpr double kMaxSecondProb = 0.25;

bool Better(const std::optional<Part>& a, const std::optional<Part>& b) {
  return a && (!b || a->prob < b->prob);
}

std::optional<Part> Best(const Node& n) {
  switch (n.kind) {
    case Kind::kBytes: return Part{n, Prob(n)};
    case Kind::kConcat: {
      // The two rarest parts found among the kids, each with its kid index.
      std::optional<Part> best, second;
      size_t best_at = 0, second_at = 0;
      auto consider = [&](std::optional<Part> p, size_t at) {
        if (Better(p, best)) {
          second = std::move(best), second_at = best_at;
          best = std::move(p), best_at = at;
        } else if (Better(p, second)) {
          second = std::move(p), second_at = at;
        }
      };
      // Runs of parts without a broad loop, as they stand.
      size_t i = 0;
      while (i < n.kids.size()) {
        if (HasBroad(n.kids[i])) {
          consider(Best(n.kids[i]), i);
          ++i;
          continue;
        }
        size_t j = i;
        while (j < n.kids.size() && !HasBroad(n.kids[j])) ++j;
        // Leading and trailing optional parts add nothing (anchors do).
        size_t b = i, e = j;
        while (b < e && n.kids[b].Nullable() && n.kids[b].kind != Kind::kLineStart) ++b;
        while (e > b && n.kids[e - 1].Nullable() && n.kids[e - 1].kind != Kind::kLineEnd) --e;
        Node run;
        for (size_t k = b; k < e; ++k) run.kids.push_back(n.kids[k]);
        if (!run.Nullable()) {
          Node r = run.kids.size() == 1 ? run.kids[0] : run;
          consider(Part{r, Prob(r)}, i);
        }
        i = j;
      }
      if (!best || !second || second->prob > kMaxSecondProb) return best;
      // Parts of different kids occur in their order, apart, on the line:
      // both, with anything between (/\bPhoto\b.{0,80}\bAFP\b/ gives
      // "Photo.*AFP", far rarer than "Photo").
      bool best_first = best_at < second_at;
      Node any = Node::Repeated(Node::OfBytes(~ByteSet()), 0, Node::kUnbounded);
      Node both = Node::Sequence(
          {best_first ? best->node : second->node, any, best_first ? second->node : best->node});
      return Part{std::move(both), best->prob * second->prob};
    }
    case Kind::kAlt: {
      if (!HasBroad(n)) return Part{n, Prob(n)};
      Node alt;
      alt.kind = Kind::kAlt;
      double p = 0;
      for (const auto& k : n.kids) {
        auto b = Best(k);
        if (!b) return std::nullopt;
        p += b->prob;
        alt.kids.push_back(std::move(b->node));
      }
      return Part{Node::Alternatives(std::move(alt.kids)), std::min(p, 1.0)};
    }
    case Kind::kRepeat: {
      if (n.min == 0) return std::nullopt;
      std::optional<Part> whole;
      if (!HasBroad(n) && !n.Nullable()) whole = Part{n, Prob(n)};
      // One match of the part, even where two are needed: with the rules'
      // other parts, Hyperscan ran "[/>]" faster than "[/>].*[/>]", and
      // the extra candidate lines cost PCRE2 less than that.
      auto inner = Best(n.kids[0]);
      return Better(inner, whole) ? inner : whole;
    }
    default: return std::nullopt;
  }
}

}  // namespace

bool SuitsLineHead(const BytePattern& p) {
  constexpr int kMinSelectiveBytes = 2;
  return Anchored(p) && EnterBroad(p, 0, true) >= kMinSelectiveBytes;
}

std::optional<BytePattern> RarePart(const BytePattern& p) {
  // A part that matches at most positions would only name every line, at
  // great cost: better none.
  constexpr double kMaxPartProb = 0.25;
  auto b = Best(p);
  if (!b || b->prob > kMaxPartProb) return std::nullopt;
  return std::move(b->node);
}

size_t MinBytes(const BytePattern& n) {
  switch (n.kind) {
    case Kind::kBytes: return 1;
    case Kind::kConcat: {
      size_t s = 0;
      for (const auto& k : n.kids) s += MinBytes(k);
      return s;
    }
    case Kind::kAlt: {
      size_t s = SIZE_MAX;
      for (const auto& k : n.kids) s = std::min(s, MinBytes(k));
      return s;
    }
    case Kind::kRepeat: return static_cast<size_t>(n.min) * MinBytes(n.kids[0]);
    default:  // anchors
      return 0;
  }
}

namespace {
void AddBytes(const Node& n, ByteSet* out) {
  if (n.kind == Kind::kBytes) *out |= n.bytes;
  for (const auto& k : n.kids) AddBytes(k, out);
}
}  // namespace

std::optional<ByteSet> LineAlphabet(const BytePattern& p) {
  // ^ first and $ last in the top sequence: a match runs from the line's
  // start to its end, every byte read by some byte set in between.
  if (p.kind != Kind::kConcat || p.kids.size() < 2 || p.kids.front().kind != Kind::kLineStart ||
      p.kids.back().kind != Kind::kLineEnd)
    return std::nullopt;
  ByteSet bytes;
  AddBytes(p, &bytes);
  ByteSet line_bytes = ~ByteSet();
  line_bytes.reset('\n');
  if ((bytes & line_bytes) == line_bytes) return std::nullopt;
  return bytes;
}

}  // namespace clean
