# GREENBENCH_FUZZ=ON: libFuzzer targets for every parser a user or a
# submitter can feed (tests/fuzz). Needs clang; implies GREENBENCH_SANITIZE.
# Every target gets -fsanitize=fuzzer-no-link (coverage for the fuzzer to
# follow, including the greenbench libraries the parsers live in); only the
# fuzz executables link libFuzzer itself (tests/fuzz/CMakeLists.txt).
option(GREENBENCH_FUZZ "Build the libFuzzer targets of tests/fuzz (clang only)" OFF)

if(GREENBENCH_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "GREENBENCH_FUZZ needs clang (libFuzzer); configure with -DCMAKE_CXX_COMPILER=clang++ "
                        "(this build uses ${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER})")
  endif()
  if(NOT GREENBENCH_SANITIZE)
    message(FATAL_ERROR "GREENBENCH_FUZZ needs GREENBENCH_SANITIZE=ON: a fuzzer without ASan and UBSan finds only outright crashes")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
