#include "cleaner/cli/output_guard.h"

#include <sys/stat.h>

namespace clean {

namespace {

// The directory part of a path ("." for a bare name) and its last part.
std::pair<std::string, std::string> Split(const std::string& path) {
  size_t end = path.find_last_not_of('/');
  if (end == std::string::npos) return {"/", ""};
  size_t slash = path.rfind('/', end);
  std::string name = path.substr(slash == std::string::npos ? 0 : slash + 1,
                                 end - (slash == std::string::npos ? 0 : slash + 1) + 1);
  if (slash == std::string::npos) return {".", name};
  return {slash == 0 ? "/" : path.substr(0, slash), name};
}

}  // namespace

bool OutputGuard::IdOf(const std::string& path, Id* id, bool* device) {
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) {
    *id = {st.st_dev, st.st_ino, ""};
    *device = S_ISCHR(st.st_mode);
    return true;
  }
  auto [dir, name] = Split(path);
  *device = false;
  if (name.empty() || name == "." || name == ".." || ::stat(dir.c_str(), &st) != 0) return false;
  *id = {st.st_dev, st.st_ino, name};
  return true;
}

OutputGuard::OutputGuard(const std::vector<std::string>& inputs) {
  for (const std::string& in : inputs) {
    if (in == "-") continue;
    struct stat st;
    if (::stat(in.c_str(), &st) != 0) continue;  // it fails as an input, with its message
    Known k{{st.st_dev, st.st_ino, ""}, in, false};
    if (S_ISDIR(st.st_mode)) {
      dirs_.push_back(std::move(k));
      continue;
    }
    files_.push_back(k);
    auto [dir, name] = Split(in);
    if (::stat(dir.c_str(), &st) == 0) parents_.push_back({{st.st_dev, st.st_ino, name}, in});
  }
}

bool OutputGuard::AddFile(std::string_view flag, const std::string& path, std::string* error) {
  if (path == "-") return true;
  Id id;
  bool device = false;
  if (!IdOf(path, &id, &device)) return true;  // it cannot be opened: its own message follows
  std::string shown = std::string(flag) + " " + path;
  for (const Known& f : files_)
    if (id.name.empty() && f.id == id) {
      *error = shown + ": is the input " + f.shown + "; write the output elsewhere";
      return false;
    }
  if (id.name.empty()) {  // an existing file: is it one of a given directory's files?
    struct stat st;
    auto [dir, name] = Split(path);
    if (!name.empty() && name[0] != '.' && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        ::stat(dir.c_str(), &st) == 0)
      for (const Known& d : dirs_)
        if (d.id.dev == st.st_dev && d.id.ino == st.st_ino) {
          *error = shown + ": is an input (a file of the input directory " + d.shown +
                   "); write the output elsewhere";
          return false;
        }
  }
  for (const Known& o : outputs_)
    if (o.id == id && !(device && o.device)) {
      *error = shown + " and " + o.shown + " are the same file; give each output its own";
      return false;
    }
  outputs_.push_back({id, shown, device});
  return true;
}

bool OutputGuard::AddDir(std::string_view flag, const std::string& path,
                         std::vector<std::string>* inputs_in_it, std::string* error) {
  inputs_in_it->clear();
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return true;  // created later: it holds no input
  for (const Known& d : dirs_)
    if (d.id.dev == st.st_dev && d.id.ino == st.st_ino) {
      *error = std::string(flag) + " " + path + ": is the input directory " + d.shown +
               "; write the outputs elsewhere";
      return false;
    }
  for (const Known& p : parents_)
    if (p.id.dev == st.st_dev && p.id.ino == st.st_ino) inputs_in_it->push_back(p.id.name);
  return true;
}

}  // namespace clean
