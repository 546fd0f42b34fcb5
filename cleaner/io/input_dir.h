// The files of an input directory and of its subdirectories, walked
// recursively: regular files (and symbolic links to them), hidden files and
// hidden directories skipped, sorted by path. Symbolic links to directories
// are not followed (as find and os.walk do), and a directory met twice
// (a bind mount of its parent) is walked once, so no walk loops. Never
// throws: an entry whose type cannot be read (a symbolic link loop, no
// permission) and a directory that cannot be listed are problems ("PATH:
// reason") for the caller to report, the other files listed still.
#pragma once
#include <string>
#include <vector>

namespace clean {

// `skip`: directories not to walk into (an output directory inside the
// input directory); those that do not exist are ignored. The paths in
// *files start with `dir` and a '/' (or `dir` itself when it ends in one).
void ListInputDir(const std::string& dir, std::vector<std::string>* files,
                  std::vector<std::string>* problems, const std::vector<std::string>& skip = {});

}  // namespace clean
