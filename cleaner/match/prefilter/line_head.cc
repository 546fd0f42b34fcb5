#include "cleaner/match/prefilter/line_head.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <tuple>
#include <string>
#include <unordered_map>

#include "cleaner/match/prefilter/prefilter_cache.h"

namespace clean {

namespace {

using Kind = BytePattern::Kind;

// Thompson automaton of all patterns: a state either reads one byte of a
// set, or moves on without reading (eps), or only at the line end (eol).
struct NfaState {
  int set = -1;  // reads a byte of sets[set] and goes to `next`
  int next = -1;
  std::vector<int> eps, eol;
  int accept = -1;  // the pattern matched
  int owner = 0;    // the pattern this state belongs to
};

struct Nfa {
  std::vector<NfaState> states;
  std::vector<ByteSet> sets;
  std::unordered_map<ByteSet, int> set_ids;
  std::vector<int> starts;
  int owner = 0;

  int New() {
    states.emplace_back();
    states.back().owner = owner;
    return static_cast<int>(states.size() - 1);
  }
  int Intern(const ByteSet& s) {
    auto [it, added] = set_ids.emplace(s, static_cast<int>(sets.size()));
    if (added) sets.push_back(s);
    return it->second;
  }
  // The entry state of `n`, which continues to `out`.
  int Build(const BytePattern& n, int out) {
    switch (n.kind) {
      case Kind::kBytes: {
        int s = New();
        states[s].set = Intern(n.bytes);
        states[s].next = out;
        return s;
      }
      case Kind::kConcat:
        for (size_t i = n.kids.size(); i-- > 0;) out = Build(n.kids[i], out);
        return out;
      case Kind::kAlt: {
        int s = New();
        for (const auto& k : n.kids) {
          int e = Build(k, out);
          states[s].eps.push_back(e);
        }
        return s;
      }
      case Kind::kRepeat: {
        const BytePattern& kid = n.kids[0];
        int tail = out;
        if (n.max == BytePattern::kUnbounded) {
          int loop = New();
          int body = Build(kid, loop);
          states[loop].eps = {body, out};
          tail = loop;
        } else {
          for (int k = 0; k < n.max - n.min; ++k) {
            int body = Build(kid, tail);
            int s = New();
            states[s].eps = {body, out};
            tail = s;
          }
        }
        for (int k = 0; k < n.min; ++k) tail = Build(kid, tail);
        return tail;
      }
      case Kind::kLineStart:
        // The automaton starts at the line start; elsewhere ^ cannot hold
        // in a line alone, and "anywhere" is a sound reading.
        return out;
      case Kind::kLineEnd: {
        int s = New();
        states[s].eol.push_back(out);
        return s;
      }
    }
    return out;
  }
};

struct VecHash {
  size_t operator()(const std::vector<int>& v) const {
    uint64_t h = 14695981039346656037ull;
    for (int x : v) h = (h ^ static_cast<uint32_t>(x)) * 1099511628211ull;
    return static_cast<size_t>(h);
  }
};

struct VecHash32 {
  size_t operator()(const std::vector<uint32_t>& v) const {
    uint64_t h = 14695981039346656037ull;
    for (uint32_t x : v) h = (h ^ x) * 1099511628211ull;
    return static_cast<size_t>(h);
  }
};

class Closure {
 public:
  explicit Closure(const Nfa& nfa) : nfa_(nfa), mark_(nfa.states.size(), 0) {}
  // The states reachable from `seeds` without reading a byte (also through
  // the line end when `at_end`) that read a byte, accept or wait for the
  // line end: a DFA state, sorted.
  void Run(const std::vector<int>& seeds, bool at_end, std::vector<int>* out) {
    ++gen_;
    out->clear();
    stack_ = seeds;
    while (!stack_.empty()) {
      int s = stack_.back();
      stack_.pop_back();
      if (mark_[s] == gen_) continue;
      mark_[s] = gen_;
      const NfaState& st = nfa_.states[s];
      if (st.set >= 0 || st.accept >= 0 || !st.eol.empty()) out->push_back(s);
      for (int e : st.eps) stack_.push_back(e);
      if (at_end)
        for (int e : st.eol) stack_.push_back(e);
    }
    std::sort(out->begin(), out->end());
  }

 private:
  const Nfa& nfa_;
  std::vector<uint32_t> mark_;
  uint32_t gen_ = 0;
  std::vector<int> stack_;
};

// Saved as the tables are in memory, so that loading is a read into place
// and a check: a byte-order mark (u32 1), start, first_reporting,
// first_final, shift, states (u32 each), the 256 byte classes, 8 bytes of
// padding, now_ and at_end_ (u64 per state), then next_ (u16, 1 << shift
// per state). Native byte order: an entry written on a machine of the
// other order fails the mark and is built again. (Unpacking a compact form
// byte by byte, into fresh small pages, cost 7-16 ms per plan.)
constexpr size_t kSavedHead = 6 * 4 + 256 + 8;

std::string Save(uint32_t start, uint32_t first_reporting, uint32_t first_final, uint32_t shift,
                 const uint8_t* class_of, const std::vector<uint64_t>& now,
                 const std::vector<uint64_t>& at_end, const std::vector<uint16_t>& next) {
  const uint32_t n = static_cast<uint32_t>(now.size());
  const uint32_t head[6] = {1, start, first_reporting, first_final, shift, n};
  std::string out;
  auto put = [&out](const void* p, size_t bytes) {
    out.append(static_cast<const char*>(p), bytes);
  };
  put(head, sizeof head);
  put(class_of, 256);
  out.append(kSavedHead - out.size(), '\0');
  put(now.data(), n * sizeof(uint64_t));
  put(at_end.data(), n * sizeof(uint64_t));
  put(next.data(), next.size() * sizeof(uint16_t));
  return out;
}

// A dense automaton before it is laid out: next[s * classes + c].
struct Table {
  uint32_t states = 0, classes = 0, start = 0;
  std::vector<uint32_t> next;
  std::vector<uint64_t> now, at_end;
  std::vector<uint8_t> group;  // 0 reports nothing, 1 reports, 2 ends the scan
};

// Merges the states no line tells apart: Moore's partition refinement,
// starting from what a state shows (now, at_end, group), until each
// block's states go to the same blocks on every class. Candidates is the
// same for every line; the subset construction leaves many such states
// (one per position in a pattern's tail that ends alike).
Table Minimize(const Table& t) {
  const uint32_t n = t.states, k = t.classes;
  std::vector<uint32_t> block(n), sig(k + 1);
  std::vector<uint32_t> start_sig;
  uint32_t blocks = 0;
  {
    std::map<std::tuple<uint64_t, uint64_t, uint8_t>, uint32_t> ids;
    for (uint32_t s = 0; s < n; ++s)
      block[s] =
          ids.try_emplace({t.now[s], t.at_end[s], t.group[s]}, static_cast<uint32_t>(ids.size()))
              .first->second;
    blocks = static_cast<uint32_t>(ids.size());
  }
  for (;;) {
    std::unordered_map<std::vector<uint32_t>, uint32_t, VecHash32> ids;
    std::vector<uint32_t> refined(n);
    for (uint32_t s = 0; s < n; ++s) {
      sig[0] = block[s];
      for (uint32_t c = 0; c < k; ++c) sig[c + 1] = block[t.next[s * k + c]];
      refined[s] = ids.try_emplace(sig, static_cast<uint32_t>(ids.size())).first->second;
    }
    const uint32_t now_blocks = static_cast<uint32_t>(ids.size());
    block.swap(refined);
    if (now_blocks == blocks) break;
    blocks = now_blocks;
  }
  // The blocks numbered by their first state (the dead state, 0, stays 0).
  std::vector<uint32_t> id(blocks, UINT32_MAX), first;
  for (uint32_t s = 0; s < n; ++s)
    if (id[block[s]] == UINT32_MAX) {
      id[block[s]] = static_cast<uint32_t>(first.size());
      first.push_back(s);
    }
  Table m;
  m.states = blocks;
  m.classes = k;
  m.start = id[block[t.start]];
  m.next.resize(size_t{blocks} * k);
  for (uint32_t b = 0; b < blocks; ++b) {
    const uint32_t s = first[b];
    for (uint32_t c = 0; c < k; ++c) m.next[b * k + c] = id[block[t.next[s * k + c]]];
    m.now.push_back(t.now[s]);
    m.at_end.push_back(t.at_end[s]);
    m.group.push_back(t.group[s]);
  }
  return m;
}

// Classes every state treats alike become one: narrower rows.
Table MergeColumns(const Table& t, uint8_t (&class_of)[256]) {
  const uint32_t n = t.states, k = t.classes;
  std::map<std::vector<uint32_t>, uint32_t> ids;
  std::vector<uint32_t> merged(k), column(n);
  for (uint32_t c = 0; c < k; ++c) {
    for (uint32_t s = 0; s < n; ++s) column[s] = t.next[s * k + c];
    merged[c] = ids.try_emplace(column, static_cast<uint32_t>(ids.size())).first->second;
  }
  const uint32_t k2 = static_cast<uint32_t>(ids.size());
  Table m = t;
  m.classes = k2;
  m.next.assign(size_t{n} * k2, 0);
  for (uint32_t s = 0; s < n; ++s)
    for (uint32_t c = 0; c < k; ++c) m.next[s * k2 + merged[c]] = t.next[s * k + c];
  for (auto& c : class_of) c = static_cast<uint8_t>(merged[c]);
  return m;
}

// The saved form: states numbered in three runs, so that the scan loop
// tells them apart by one comparison (states with nothing to report,
// states that report patterns, states after which nothing more can be
// learnt, the dead state among them), rows of 1 << shift classes.
std::string Lay(const Table& t, const uint8_t (&class_of)[256]) {
  const uint32_t n = t.states;
  std::vector<uint32_t> id(n);
  uint32_t next_id = 0, first_reporting = 0, first_final = 0;
  for (int g = 0; g < 3; ++g) {
    if (g == 1) first_reporting = next_id;
    if (g == 2) first_final = next_id;
    for (uint32_t s = 0; s < n; ++s)
      if (t.group[s] == g) id[s] = next_id++;
  }
  uint32_t shift = 0;
  while ((1u << shift) < t.classes) ++shift;
  std::vector<uint16_t> next(size_t{n} << shift, static_cast<uint16_t>(id[0]));
  std::vector<uint64_t> now(n, 0), at_end(n, 0);
  for (uint32_t s = 0; s < n; ++s) {
    for (uint32_t c = 0; c < t.classes; ++c)
      next[(size_t{id[s]} << shift) | c] = static_cast<uint16_t>(id[t.next[s * t.classes + c]]);
    now[id[s]] = t.now[s];
    at_end[id[s]] = t.at_end[s];
  }
  return Save(id[t.start], first_reporting, first_final, shift, class_of, now, at_end, next);
}

}  // namespace

// The subset construction. Transitions are kept sparse (most lead to the
// dead state, 0) until the table is laid out.
std::string LineHeadDfa::Compile(const std::vector<const BytePattern*>& patterns,
                                 size_t max_states) {
  Nfa nfa;
  for (size_t i = 0; i < patterns.size(); ++i) {
    nfa.owner = static_cast<int>(i);
    int accept = nfa.New();
    nfa.states[accept].accept = static_cast<int>(i);
    nfa.starts.push_back(nfa.Build(*patterns[i], accept));
  }

  // Bytes that every set treats alike share a class; '\n' (never in a
  // line) has a class of its own.
  std::unordered_map<std::string, int> signatures;
  std::vector<int> representative;
  uint8_t class_of[256];
  for (int b = 0; b < 256; ++b) {
    std::string sig(nfa.sets.size() + 1, '0');
    for (size_t k = 0; k < nfa.sets.size(); ++k)
      if (nfa.sets[k][b]) sig[k] = '1';
    if (b == '\n') sig.back() = 'n';
    auto [it, added] = signatures.emplace(sig, static_cast<int>(representative.size()));
    if (added) representative.push_back(b);
    class_of[b] = static_cast<uint8_t>(it->second);
  }
  const uint32_t classes = static_cast<uint32_t>(representative.size());
  const uint32_t newline_class = class_of[static_cast<unsigned char>('\n')];
  std::vector<std::vector<uint32_t>> set_classes(nfa.sets.size());
  for (size_t k = 0; k < nfa.sets.size(); ++k)
    for (uint32_t c = 0; c < classes; ++c)
      if (nfa.sets[k][representative[c]]) set_classes[k].push_back(c);

  Closure closure(nfa);
  std::unordered_map<std::vector<int>, uint32_t, VecHash> index;
  std::vector<const std::vector<int>*> dstates;  // keys of `index`
  auto intern = [&](std::vector<int>& key) {
    auto [it, added] = index.emplace(std::move(key), static_cast<uint32_t>(dstates.size()));
    if (added) dstates.push_back(&it->first);
    return it->second;
  };
  std::vector<int> key;
  intern(key);  // the dead state
  closure.Run(nfa.starts, false, &key);
  uint32_t start = intern(key);
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> trans;  // (class, state)
  std::vector<std::vector<int>> moves(classes);
  std::vector<uint32_t> touched;
  for (uint32_t s = 1; s < dstates.size(); ++s) {
    touched.clear();
    for (int x : *dstates[s]) {
      const NfaState& st = nfa.states[x];
      if (st.set < 0) continue;
      for (uint32_t c : set_classes[st.set]) {
        if (moves[c].empty()) touched.push_back(c);
        moves[c].push_back(st.next);
      }
    }
    std::sort(touched.begin(), touched.end());
    trans.resize(dstates.size());
    for (uint32_t c : touched) {
      closure.Run(moves[c], false, &key);
      moves[c].clear();
      trans[s].push_back({c, intern(key)});
      if (dstates.size() > max_states) return {};
    }
  }

  size_t n = dstates.size();
  trans.resize(n);
  std::vector<uint64_t> now(n, 0), at_end(n, 0), live(n, 0);
  for (size_t s = 0; s < n; ++s) {
    bool eol = false;
    for (int x : *dstates[s]) {
      const NfaState& st = nfa.states[x];
      live[s] |= uint64_t{1} << st.owner;
      if (st.accept >= 0) now[s] |= uint64_t{1} << st.accept;
      eol = eol || !st.eol.empty();
    }
    at_end[s] = now[s];
    if (!eol) continue;
    closure.Run(*dstates[s], true, &key);
    for (int x : key)
      if (nfa.states[x].accept >= 0) at_end[s] |= uint64_t{1} << nfa.states[x].accept;
  }
  // A pattern that matches whatever the rest of the line is (".{0,300}$"
  // after its head) is known here: the greatest set with
  //   sure[s] = now[s] | (at_end[s] & sure[next(s, c)] for every c).
  std::vector<uint64_t> sure(n);
  std::vector<uint32_t> open;  // states where sure may exceed now
  for (size_t s = 0; s < n; ++s) {
    sure[s] = now[s] | at_end[s];
    if ((at_end[s] & ~now[s]) && trans[s].size() + 1 >= classes)
      open.push_back(static_cast<uint32_t>(s));
    else
      sure[s] = now[s];
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (uint32_t s : open) {
      uint64_t g = at_end[s];
      uint32_t expect = 0;  // every class but '\n' must lead on
      for (auto [c, t] : trans[s]) {
        for (; expect < c; ++expect)
          if (expect != newline_class) g = 0;
        g &= sure[t];
        expect = c + 1;
      }
      for (; expect < classes; ++expect)
        if (expect != newline_class) g = 0;
      g = (g | now[s]) & sure[s];
      if (g != sure[s]) sure[s] = g, changed = true;
    }
  }

  // Numbered in three runs, so that the scan loop tells them apart by one
  // comparison: states with nothing to report, states that report
  // patterns, states after which nothing more can be learnt (the dead
  // state among them).
  std::vector<uint8_t> group(n);
  for (size_t s = 0; s < n; ++s) {
    now[s] |= sure[s];
    group[s] = (live[s] & ~now[s]) == 0 ? 2 : now[s] != 0 ? 1 : 0;
  }
  Table t;
  t.states = static_cast<uint32_t>(n);
  t.classes = classes;
  t.start = start;
  t.next.assign(n * classes, 0);  // state 0 is the dead state
  for (size_t s = 0; s < n; ++s)
    for (auto [c, to] : trans[s]) t.next[s * classes + c] = to;
  t.now = now;
  t.at_end = at_end;
  t.group = std::move(group);
  t = MergeColumns(Minimize(t), class_of);
  return Lay(t, class_of);
}

std::string LineHeadDfa::Identity(const std::vector<const BytePattern*>& patterns,
                                  size_t max_states) {
  std::string id = "clean-line-head-4:" + std::to_string(max_states) + "\n";
  for (const BytePattern* p : patterns) id += p->Dump() + "\n";
  return id;
}

uint64_t LineHeadDfa::Key(const std::vector<const BytePattern*>& patterns, size_t max_states) {
  return StableHash(Identity(patterns, max_states));
}

std::unique_ptr<LineHeadDfa> LineHeadDfa::Build(const std::vector<const BytePattern*>& patterns,
                                                size_t max_states, const std::string& cache_dir) {
  if (patterns.size() > kMaxPatterns || max_states > 65535) return nullptr;
  const std::string identity = Identity(patterns, max_states);
  if (std::unique_ptr<LineHeadDfa> d = Load(identity, cache_dir)) return d;
  std::string saved = Compile(patterns, max_states);
  if (saved.empty()) return nullptr;
  CacheWrite(cache_dir, StableHash(identity), saved, kMaxCacheEntries, identity);
  std::unique_ptr<LineHeadDfa> d(new LineHeadDfa);
  d->table_ = HugeBuffer(saved.size());
  std::memcpy(d->table_.data(), saved.data(), saved.size());
  if (!d->Adopt()) return nullptr;  // cannot happen: Compile writes what Adopt takes
  return d;
}

std::unique_ptr<LineHeadDfa> LineHeadDfa::Load(std::string_view identity,
                                               const std::string& cache_dir) {
  std::unique_ptr<LineHeadDfa> d(new LineHeadDfa);
  auto place = [&d](size_t bytes) {
    d->table_ = HugeBuffer(bytes);
    return d->table_.data();
  };
  if (CacheReadInto(cache_dir, StableHash(identity), place, identity) && d->Adopt()) return d;
  return nullptr;
}

bool LineHeadDfa::Adopt() {
  const char* in = table_.data();
  const size_t size = table_.size();
  uint32_t head[6];
  if (size < kSavedHead) return false;
  std::memcpy(head, in, sizeof head);
  const uint32_t mark = head[0], start = head[1], reporting = head[2], final = head[3],
                 shift = head[4], n = head[5];
  if (mark != 1 || n == 0 || n > 65535 || shift > 8 || start >= n || reporting > final || final > n)
    return false;
  const size_t row = size_t{1} << shift;
  if (size != kSavedHead + 2 * n * sizeof(uint64_t) + n * row * sizeof(uint16_t)) return false;
  std::memcpy(class_of_, in + sizeof head, sizeof class_of_);
  uint8_t bad = 0;
  for (uint8_t c : class_of_) bad |= c >= row;
  // The buffer is 2 MiB- (or new[]-) aligned and kSavedHead a multiple of 8.
  const auto* now = reinterpret_cast<const uint64_t*>(in + kSavedHead);
  const auto* next = reinterpret_cast<const uint16_t*>(in + kSavedHead + 2 * n * sizeof(uint64_t));
  // Every transition must name a state (the scan indexes by it unchecked).
  uint16_t top = 0;
  for (size_t i = 0; i < n * row; ++i) top = std::max(top, next[i]);
  if (bad || top >= n) return false;
  start_ = start;
  first_reporting_ = reporting;
  first_final_ = final;
  shift_ = shift;
  states_ = n;
  now_ = now;
  at_end_ = now + n;
  next_ = next;
  return true;
}

}  // namespace clean
