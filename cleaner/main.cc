// clean: flags in, exit code out; everything else is in the library.
#include <cstdio>

#include "cleaner/batch.h"
#include "cleaner/cli.h"

int main(int argc, char** argv) {
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
