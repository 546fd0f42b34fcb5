# Reliability build options (issue 5): sanitizers and libFuzzer targets.
#
#   -DCLEAN_SANITIZE=ON  AddressSanitizer + UndefinedBehaviorSanitizer (with
#                        LeakSanitizer, part of ASan on Linux) on every target;
#                        the first error aborts the program (no recovery).
#   -DCLEAN_FUZZ=ON      coverage instrumentation on every target and the
#                        libFuzzer targets of tests/fuzz/ (needs clang:
#                        CC=clang CXX=clang++). Use it with CLEAN_SANITIZE.
#
# tools/sanitize and tools/fuzz configure build-asan/ with both.

option(CLEAN_SANITIZE "Build with AddressSanitizer, UBSan and LeakSanitizer" OFF)
option(CLEAN_FUZZ "Build the libFuzzer targets of tests/fuzz (clang only)" OFF)

if(CLEAN_SANITIZE)
  set(CLEAN_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all
      -fno-omit-frame-pointer)
  add_compile_options(${CLEAN_SANITIZER_FLAGS})
  add_link_options(${CLEAN_SANITIZER_FLAGS})
endif()

if(CLEAN_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "CLEAN_FUZZ needs clang (libFuzzer): configure with CXX=clang++")
  endif()
  # Everything gets the coverage hooks; only the fuzz targets link libFuzzer's
  # main (clean_add_fuzz_target below).
  add_compile_options(-fsanitize=fuzzer-no-link)
  add_link_options(-fsanitize=fuzzer-no-link)
endif()

# clean_add_fuzz_target(NAME SOURCES src... [LIBS lib...] [SEEDS glob...] [DICT file])
# Adds the libFuzzer executable fuzz_NAME (in the build directory's fuzz/),
# linked to the library. SEEDS are recorded for tools/fuzz in
# fuzz/NAME.seeds: one glob per line, relative to the source tree, from
# which the corpus is built at run time (nothing binary is committed).
# DICT (a libFuzzer dictionary, relative to tests/fuzz) is copied to
# fuzz/NAME.dict, which tools/fuzz passes as -dict.
function(clean_add_fuzz_target name)
  cmake_parse_arguments(F "" "DICT" "SOURCES;SEEDS;LIBS" ${ARGN})
  set(target fuzz_${name})
  add_executable(${target} ${F_SOURCES})
  target_link_libraries(${target} PRIVATE cleaner_core ${F_LIBS})
  target_compile_options(${target} PRIVATE -fsanitize=fuzzer)
  target_link_options(${target} PRIVATE -fsanitize=fuzzer)
  target_compile_definitions(${target} PRIVATE
    CLEAN_RULES_DIR="${PROJECT_SOURCE_DIR}/rules"
    CLEAN_FIXTURES_DIR="${PROJECT_SOURCE_DIR}/fixtures")
  set_target_properties(${target} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/fuzz)
  string(REPLACE ";" "\n" seeds "${F_SEEDS}")
  file(WRITE ${PROJECT_BINARY_DIR}/fuzz/${name}.seeds "${seeds}\n")
  if(F_DICT)
    configure_file(${CMAKE_CURRENT_SOURCE_DIR}/${F_DICT} ${PROJECT_BINARY_DIR}/fuzz/${name}.dict COPYONLY)
  endif()
  set_property(GLOBAL APPEND PROPERTY CLEAN_FUZZ_TARGETS ${target})
endfunction()
