// The files of an input directory: its regular files, hidden ones skipped,
// sorted. Never throws: an entry whose type cannot be read (a symbolic link
// loop, no permission) and a directory that cannot be listed are problems
// ("PATH: reason") for the caller to report, the other files listed still.
#pragma once
#include <string>
#include <vector>

namespace clean {

void ListInputDir(const std::string& dir, std::vector<std::string>* files,
                  std::vector<std::string>* problems);

}  // namespace clean
