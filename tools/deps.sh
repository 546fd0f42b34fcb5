# Sourced by tools/setup and tools/test: installs what the project needs
# from Debian's packages (only what is missing) and builds it.
CLEAN_APT_PACKAGES="cmake g++ make pkg-config libpcre2-dev libhyperscan-dev libgumbo-dev libxml2-dev catch2 nlohmann-json3-dev python3"
# libhs: Hyperscan is x86-64 only; elsewhere (arm64, ...), or where it is installed already,
# its fork Vectorscan (same API and libhs.pc; the two packages conflict, so asking for
# Hyperscan would remove it).
if [ "$(dpkg --print-architecture 2>/dev/null || echo amd64)" != amd64 ] ||
  dpkg-query -W -f='${Status}' libvectorscan-dev 2>/dev/null | grep -q "install ok installed"; then
  CLEAN_APT_PACKAGES=${CLEAN_APT_PACKAGES/libhyperscan-dev/libvectorscan-dev}
fi
# JSONL mode, the Python module and the Dask tool (issue 4)
CLEAN_APT_PACKAGES="$CLEAN_APT_PACKAGES zlib1g-dev libzstd-dev zstd pybind11-dev python3-dev python3-distributed"
# bzip2 and xz inputs (cleaner/io/bzip2_stream.cc, xz_stream.cc)
CLEAN_APT_PACKAGES="$CLEAN_APT_PACKAGES libbz2-dev liblzma-dev"
# HTML pages without a usable charset declaration: libuchardet guesses it
# (issue 17; cleaner/html/charset_detect.cc)
CLEAN_APT_PACKAGES="$CLEAN_APT_PACKAGES libuchardet-dev"
# pip's install of the package into a venv, offline (issue 17; setup.py)
CLEAN_APT_PACKAGES="$CLEAN_APT_PACKAGES python3-venv python3-pip python3-setuptools python3-wheel"
# ccache: the pip build of the Python module (setup.py, tests/python/
# test_installed.py) compiles the same library objects as build/ and takes
# them from the cache instead of compiling them again; rebuilds are quicker.
CLEAN_APT_PACKAGES="$CLEAN_APT_PACKAGES ccache"
# The test suite's extra tools, installed by tools/test (not tools/setup):
# zsh, to syntax-check the installed zsh completion (tests/install).
# bzip2 and xz, to make the compressed inputs of tests/test_input_tree.cc.
CLEAN_APT_TEST_PACKAGES="zsh bzip2 xz-utils"
# Reliability stages of tools/test (tools/sanitize, tools/fuzz): clang with
# its sanitizer and libFuzzer runtimes, and llvm-symbolizer for stack traces.
# Installed only by those stages (clean_install_deps reliability), not by
# tools/setup, which needs only what building and running take.
CLEAN_APT_RELIABILITY_PACKAGES="clang libclang-rt-14-dev llvm-14"

# clean_install_deps [test|reliability]: the packages of building and running
# (and, with `test`, the test suite's tools; with `reliability`, the
# sanitizer and fuzzing toolchain as well).
clean_install_deps() {
  local missing=() wanted=$CLEAN_APT_PACKAGES
  [ "${1:-}" = test ] && wanted="$wanted $CLEAN_APT_TEST_PACKAGES"
  [ "${1:-}" = reliability ] && wanted="$wanted $CLEAN_APT_TEST_PACKAGES $CLEAN_APT_RELIABILITY_PACKAGES"
  for p in $wanted; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "clean: installing ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# clean_launcher: the CMake flags that compile through ccache, where installed.
clean_launcher() {
  command -v ccache >/dev/null &&
    echo "-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache"
  return 0
}

clean_build() {
  local root=$1
  # shellcheck disable=SC2046
  cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release $(clean_launcher) >/dev/null
  cmake --build "$root/build" -j"$(nproc)" 2>&1 | grep -E "error|warning|Error" >&2 || true
  [ -x "$root/build/clean" ] || { echo "clean: the build failed" >&2; return 1; }
}

# build-asan/: clang, ASan + UBSan + LSan, and the libFuzzer targets
# (tools/sanitize, tools/fuzz). Line tables are all the debug information a
# sanitizer's stack trace needs (file:line per frame); full -g only slows
# the build (15% on an instrumented test file). assert()s stay on.
# The Python module is left out: an ASan-instrumented extension cannot load
# into an uninstrumented python3 (the normal build tests it).
clean_build_sanitized() {
  local root=$1
  CC=clang CXX=clang++ cmake -S "$root" -B "$root/build-asan" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -gline-tables-only" \
    -DCLEAN_SANITIZE=ON -DCLEAN_FUZZ=ON -DCLEAN_PYTHON=OFF $(clean_launcher) >/dev/null
  cmake --build "$root/build-asan" -j"$(nproc)" 2>&1 | grep -E "error|warning|Error" >&2 || true
  [ -x "$root/build-asan/clean" ] || { echo "clean: the sanitizer build failed" >&2; return 1; }
}
