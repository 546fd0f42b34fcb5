#include "cleaner/line_head.h"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "cleaner/prefilter_cache.h"

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

}  // namespace

// The subset construction. Transitions are kept sparse (most lead to the
// dead state, 0) until the table is laid out.
std::unique_ptr<LineHeadDfa> LineHeadDfa::Compile(const std::vector<const BytePattern*>& patterns,
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
      if (dstates.size() > max_states) return nullptr;
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
    if ((at_end[s] & ~now[s]) && trans[s].size() + 1 >= classes) open.push_back(static_cast<uint32_t>(s));
    else sure[s] = now[s];
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
  std::vector<int> group(n);
  for (size_t s = 0; s < n; ++s) {
    now[s] |= sure[s];
    group[s] = (live[s] & ~now[s]) == 0 ? 2 : now[s] != 0 ? 1 : 0;
  }
  std::unique_ptr<LineHeadDfa> d(new LineHeadDfa);
  std::vector<uint32_t> id(n);
  uint32_t next_id = 0;
  for (int g = 0; g < 3; ++g) {
    if (g == 1) d->first_reporting_ = next_id;
    if (g == 2) d->first_final_ = next_id;
    for (size_t s = 0; s < n; ++s)
      if (group[s] == g) id[s] = next_id++;
  }
  while ((1u << d->shift_) < classes) ++d->shift_;
  for (int b = 0; b < 256; ++b) d->class_of_[b] = class_of[b];
  d->start_ = id[start];
  d->next_.assign(n << d->shift_, static_cast<uint16_t>(id[0]));
  d->now_.assign(n, 0);
  d->at_end_.assign(n, 0);
  for (size_t s = 0; s < n; ++s) {
    for (auto [c, t] : trans[s]) d->next_[(id[s] << d->shift_) | c] = static_cast<uint16_t>(id[t]);
    d->now_[id[s]] = now[s];
    d->at_end_[id[s]] = at_end[s];
  }
  return d;
}

std::unique_ptr<LineHeadDfa> LineHeadDfa::Build(const std::vector<const BytePattern*>& patterns,
                                                size_t max_states, const std::string& cache_dir) {
  if (patterns.size() > kMaxPatterns || max_states > 65535) return nullptr;
  std::string id = "clean-line-head-2:" + std::to_string(max_states) + "\n";
  for (const BytePattern* p : patterns) id += p->Dump() + "\n";
  uint64_t key = StableHash(id);
  std::string bytes;
  if (CacheRead(cache_dir, key, &bytes)) {
    std::unique_ptr<LineHeadDfa> d(new LineHeadDfa);
    if (d->Load(bytes)) return d;
  }
  auto d = Compile(patterns, max_states);
  if (d) CacheWrite(cache_dir, key, d->Save());
  return d;
}

// Saved: start, first_reporting, first_final, shift, states (u32 each), the
// 256 byte classes, each state's masks (2 x u64), then each state's row:
// the state most classes lead to (u16), the count of the others (u16), and
// those as (class u8, state u16) pairs.
std::string LineHeadDfa::Save() const {
  std::string out;
  auto put = [&out](uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  };
  uint32_t n = static_cast<uint32_t>(now_.size());
  for (uint32_t v : {start_, first_reporting_, first_final_, shift_, n}) put(v, 4);
  for (int b = 0; b < 256; ++b) put(class_of_[b], 1);
  for (uint32_t s = 0; s < n; ++s) put(now_[s], 8), put(at_end_[s], 8);
  uint32_t row = 1u << shift_;
  std::unordered_map<uint16_t, uint32_t> counts;
  for (uint32_t s = 0; s < n; ++s) {
    const uint16_t* r = &next_[s << shift_];
    counts.clear();
    uint16_t common = r[0];
    for (uint32_t c = 0; c < row; ++c)
      if (++counts[r[c]] > counts[common]) common = r[c];
    put(common, 2);
    put(row - counts[common], 2);
    for (uint32_t c = 0; c < row; ++c)
      if (r[c] != common) put(c, 1), put(r[c], 2);
  }
  return out;
}

bool LineHeadDfa::Load(std::string_view in) {
  size_t pos = 0;
  auto get = [&](int bytes, uint64_t* v) {
    if (in.size() - pos < static_cast<size_t>(bytes)) return false;
    *v = 0;
    for (int i = bytes - 1; i >= 0; --i) *v = (*v << 8) | static_cast<unsigned char>(in[pos + i]);
    pos += bytes;
    return true;
  };
  uint64_t v[5];
  for (auto& x : v)
    if (!get(4, &x)) return false;
  uint64_t start = v[0], reporting = v[1], final = v[2], shift = v[3], n = v[4];
  if (n == 0 || n > 65535 || shift > 8 || start >= n || reporting > final || final > n)
    return false;
  start_ = static_cast<uint32_t>(start);
  first_reporting_ = static_cast<uint32_t>(reporting);
  first_final_ = static_cast<uint32_t>(final);
  shift_ = static_cast<uint32_t>(shift);
  uint32_t row = 1u << shift_;
  for (int b = 0; b < 256; ++b) {
    uint64_t c;
    if (!get(1, &c) || c >= row) return false;
    class_of_[b] = static_cast<uint8_t>(c);
  }
  now_.assign(n, 0);
  at_end_.assign(n, 0);
  for (uint64_t s = 0; s < n; ++s)
    if (!get(8, &now_[s]) || !get(8, &at_end_[s])) return false;
  next_.assign(n << shift_, 0);
  for (uint64_t s = 0; s < n; ++s) {
    uint64_t common, count, c, t;
    if (!get(2, &common) || !get(2, &count) || common >= n || count > row) return false;
    uint16_t* r = &next_[s << shift_];
    std::fill(r, r + row, static_cast<uint16_t>(common));
    for (uint64_t k = 0; k < count; ++k) {
      if (!get(1, &c) || !get(2, &t) || c >= row || t >= n) return false;
      r[c] = static_cast<uint16_t>(t);
    }
  }
  return pos == in.size();
}

}  // namespace clean
