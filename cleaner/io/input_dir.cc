#include "cleaner/io/input_dir.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <utility>

namespace clean {

namespace fs = std::filesystem;

namespace {

using DirId = std::pair<dev_t, ino_t>;

bool IdOf(const std::string& path, DirId* id) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return false;
  *id = {st.st_dev, st.st_ino};
  return true;
}

}  // namespace

void ListInputDir(const std::string& dir, std::vector<std::string>* files,
                  std::vector<std::string>* problems, const std::vector<std::string>& skip) {
  std::set<DirId> seen;  // directories walked or not to walk
  for (const std::string& s : skip)
    if (DirId id; IdOf(s, &id)) seen.insert(id);
  // Plain strings, not fs::path (which keeps a parsed copy of every
  // component): a directory may hold millions of files.
  std::vector<std::string> found;
  std::vector<std::string> todo = {dir};
  if (DirId id; IdOf(dir, &id)) seen.insert(id);
  while (!todo.empty()) {
    std::string d = std::move(todo.back());
    todo.pop_back();
    std::error_code ec;
    fs::directory_iterator it(d, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      const fs::directory_entry& e = *it;
      std::string name = e.path().filename().string();
      if (name.empty() || name[0] == '.') continue;
      std::error_code type_ec;
      fs::file_status own = e.symlink_status(type_ec);
      if (!type_ec && own.type() == fs::file_type::directory) {
        DirId id;
        if (IdOf(e.path().string(), &id) && seen.insert(id).second)
          todo.push_back(e.path().string());
        continue;
      }
      fs::file_status st = e.status(type_ec);
      if (st.type() == fs::file_type::regular)
        found.push_back(e.path().string());
      else if (type_ec && st.type() != fs::file_type::not_found)  // a dangling link: skipped
        problems->push_back(e.path().string() + ": " + type_ec.message());
    }
    if (ec) problems->push_back(d + ": " + ec.message());
  }
  std::sort(found.begin(), found.end());
  files->reserve(files->size() + found.size());
  for (auto& f : found) files->push_back(std::move(f));
}

}  // namespace clean
