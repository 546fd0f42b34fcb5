#include "cleaner/cli/inputs.h"

#include <filesystem>

#include "cleaner/io/byte_stream.h"
#include "cleaner/io/input_dir.h"

namespace clean {

namespace fs = std::filesystem;

void ExpandInputs(const std::vector<std::string>& given, const std::vector<std::string>& skip,
                  std::string_view noun, std::vector<Input>* inputs,
                  std::vector<std::string>* problems) {
  for (const auto& g : given) {
    std::error_code ec;
    if (g == "-" || !fs::is_directory(g, ec)) {
      std::string name = g == "-" ? "stdin" : fs::path(g).filename().string();
      inputs->push_back({g, std::string(StripReadOnlyCompression(name))});
      continue;
    }
    std::vector<std::string> files;
    size_t problems_before = problems->size();
    ListInputDir(g, &files, problems, skip);
    if (files.empty() && problems->size() == problems_before)
      problems->push_back(g + ": no " + std::string(noun) + " to clean");
    // Every listed path starts with the directory's path and a '/'.
    size_t prefix = (fs::path(g) / "").string().size();
    inputs->reserve(inputs->size() + files.size());
    for (auto& f : files) {
      std::string name(StripReadOnlyCompression(std::string_view(f).substr(prefix)));
      inputs->push_back({std::move(f), std::move(name)});
    }
  }
}

}  // namespace clean
