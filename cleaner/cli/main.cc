// clean: flags in, exit code out; everything else is in the library.
#include <malloc.h>

#include <cstdio>
#include <string_view>

#include "cleaner/cli/batch.h"
#include "cleaner/cli/cli.h"
#include "cleaner/cli/learn_cli.h"

// Blocks of this size and more (a large page's or record's buffers) are
// mapped and unmapped by glibc, so the memory of a large input goes back to
// the system once it is done. Left to itself, glibc raises the threshold
// after freeing such a block, and later ones stay in the heap of the worker
// thread that used them: -j 8 kept 2.5 GB after ten 40 MB JSONL records.
constexpr int kMmapThresholdBytes = 4 << 20;

int main(int argc, char** argv) {
#ifdef M_MMAP_THRESHOLD
  mallopt(M_MMAP_THRESHOLD, kMmapThresholdBytes);
#endif
  // `clean learn ...`: a command of its own (cli/learn_cli.h).
  if (argc > 1 && std::string_view(argv[1]) == "learn") return clean::RunLearn(argc - 1, argv + 1);
  clean::CliOptions options;
  std::string error;
  if (!clean::ParseArgs(argc, argv, &options, &error)) {
    std::fprintf(stderr, "clean: %s\n", error.c_str());
    return 2;
  }
  if (options.help) {
    std::fputs(clean::HelpText().c_str(), stdout);
    return 0;
  }
  if (options.version) {
    std::printf("clean %s\n", CLEAN_VERSION);
    return 0;
  }
  return clean::RunCli(options);
}
