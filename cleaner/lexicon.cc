#include "cleaner/lexicon.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace clean {

bool Lexicon::Load(const std::string& dir, Diagnostics* diags) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".txt") files.push_back(e.path());
  if (ec || files.empty()) {
    diags->items.push_back({dir, 0, 0, false, "no stop-word lists (*.txt) found", ""});
    return false;
  }
  std::sort(files.begin(), files.end());
  if (files.size() > kMaxLanguages) {
    diags->items.push_back({dir, 0, 0, false,
                            "at most " + std::to_string(kMaxLanguages) + " stop-word lists", ""});
    return false;
  }
  std::vector<std::pair<std::string, int>> entries;
  for (size_t li = 0; li < files.size(); ++li) {
    languages_.push_back(files[li].stem().string());
    std::ifstream in(files[li]);
    std::string line;
    while (std::getline(in, line)) {
      auto hash = line.find('#');
      if (hash != std::string::npos) line.resize(hash);
      while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\t'))
        line.pop_back();
      size_t b = line.find_first_not_of(" \t");
      if (b == std::string::npos) continue;
      entries.emplace_back(line.substr(b), static_cast<int>(li));
    }
  }
  size_t cap = 16;
  while (cap < entries.size() * 2) cap <<= 1;
  slots_.assign(cap, Slot());
  mask_ = static_cast<uint32_t>(cap - 1);
  for (auto& [word, li] : entries) {
    if (word.size() > UINT16_MAX) continue;  // no stop word is that long
    const uint64_t head = Head(word);
    uint32_t i = SlotOf(head, word.size());
    while (slots_[i].len != 0 &&
           !(slots_[i].head == head &&
             std::string_view(words_).substr(slots_[i].word, slots_[i].len) == word))
      i = (i + 1) & mask_;
    Slot& s = slots_[i];
    if (s.len == 0) {
      s.head = head;
      s.word = static_cast<uint32_t>(words_.size());
      s.len = static_cast<uint16_t>(word.size());
      words_ += word;
      max_word_bytes_ = std::max(max_word_bytes_, word.size());
    }
    s.langs |= static_cast<LangMask>(1u << li);
  }
  return true;
}

}  // namespace clean
