// Refuses, before anything is written, an output that would replace one of
// the inputs or that another output also writes (clean p.txt -o p.txt,
// --out-dir D D, -o X --report X). Files are compared by identity (st_dev,
// st_ino, through symbolic links); a path that does not exist yet by its
// directory's identity and its name.
#pragma once
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace clean {

class OutputGuard {
 public:
  // `inputs`: as given on the command line (files, directories, "-").
  explicit OutputGuard(const std::vector<std::string>& inputs);

  // An output file named by its flag ("-o", "--report"): false with *error
  // when it is an input (a given file, or a file of a given directory) or an
  // output added before. A character device (/dev/null, a terminal) may be
  // shared by several outputs; "-" (stdout) is not checked.
  bool AddFile(std::string_view flag, const std::string& path, std::string* error);

  // An output directory: false with *error when it is a given input
  // directory. *inputs_in_it: the file names of the given input files that
  // lie in it, which the caller checks against the names it will write.
  bool AddDir(std::string_view flag, const std::string& path,
              std::vector<std::string>* inputs_in_it, std::string* error);

 private:
  struct Id {
    dev_t dev = 0;
    ino_t ino = 0;
    std::string name;  // empty: an existing file; else its name in directory (dev, ino)
    bool operator==(const Id&) const = default;
  };
  struct Known {
    Id id;
    std::string shown;  // as given, with its flag for an output
    bool device = false;
  };
  static bool IdOf(const std::string& path, Id* id, bool* device);

  std::vector<Known> files_, dirs_, parents_;  // inputs; parents_: the given files' directories
  std::vector<Known> outputs_;
};

}  // namespace clean
