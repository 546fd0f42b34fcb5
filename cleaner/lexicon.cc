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
  // Read everything first: the map's keys view into storage_, which must not
  // reallocate afterwards.
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
  storage_.reserve(entries.size());
  for (auto& [word, li] : entries) {
    auto it = words_.find(word);
    if (it == words_.end()) {
      storage_.push_back(word);
      max_word_bytes_ = std::max(max_word_bytes_, word.size());
      it = words_.emplace(storage_.back(), 0).first;
    }
    it->second |= static_cast<LangMask>(1u << li);
  }
  return true;
}

}  // namespace clean
