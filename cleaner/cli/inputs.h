// The inputs of a run as given on the command line: files, "-" (stdin) and
// directories, each directory walked recursively (io/input_dir.h), and the
// name each input's outputs get under --out-dir.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace clean {

struct Input {
  std::string path;  // as given, or under a given directory; "-" for stdin
  // The output name: the path under its given directory ("sub/a.txt"), so
  // that --out-dir mirrors the input tree; a given file's name ("a.txt");
  // "stdin" for "-"; without a .bz2 or .xz extension (outputs are not
  // written in those: "a.jsonl.xz" -> "a.jsonl").
  std::string name;
};

// Expands `given` into *inputs. `skip`: directories not to walk into (the
// output directories). A directory with no file in it is a problem "DIR:
// no NOUN to clean" in *problems, as is an entry that cannot be read.
void ExpandInputs(const std::vector<std::string>& given, const std::vector<std::string>& skip,
                  std::string_view noun, std::vector<Input>* inputs,
                  std::vector<std::string>* problems);

}  // namespace clean
