#include "cleaner/io/input_dir.h"

#include <algorithm>
#include <filesystem>

namespace clean {

namespace fs = std::filesystem;

void ListInputDir(const std::string& dir, std::vector<std::string>* files,
                  std::vector<std::string>* problems) {
  // Plain strings, not fs::path (which keeps a parsed copy of every
  // component): a directory may hold millions of files.
  std::vector<std::string> found;
  std::error_code ec;
  fs::directory_iterator it(dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const fs::directory_entry& e = *it;
    std::string name = e.path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    std::error_code type_ec;
    fs::file_status st = e.status(type_ec);
    if (st.type() == fs::file_type::regular) found.push_back(e.path().string());
    else if (type_ec && st.type() != fs::file_type::not_found)  // a dangling link: skipped
      problems->push_back(e.path().string() + ": " + type_ec.message());
  }
  if (ec) problems->push_back(dir + ": " + ec.message());
  std::sort(found.begin(), found.end());
  files->reserve(files->size() + found.size());
  for (auto& f : found) files->push_back(std::move(f));
}

}  // namespace clean
