# GREENBENCH_SANITIZE=ON: AddressSanitizer + UndefinedBehaviorSanitizer over
# every target, with the library assertions on: _GLIBCXX_ASSERTIONS (bounds
# of operator[], front() on empty containers) and nlohmann's JSON_ASSERT
# (operator[] on a const object without the key), which is plain assert()
# and so needs NDEBUG undefined in every build type. JSON_DIAGNOSTICS=1 puts
# the JSON path of a bad value in nlohmann's messages. -O1 keeps the tests
# fast enough while leaving stack traces readable. LibTorch, ICU and the
# other system libraries stay uninstrumented: see scripts/sanitize-tests.sh
# for the run-time options that follows from.
option(GREENBENCH_SANITIZE "Build with AddressSanitizer, UBSan and library assertions" OFF)

if(GREENBENCH_SANITIZE)
  foreach(config_flags CMAKE_CXX_FLAGS_RELEASE CMAKE_CXX_FLAGS_RELWITHDEBINFO CMAKE_CXX_FLAGS_MINSIZEREL CMAKE_CXX_FLAGS_DEBUG)
    string(REGEX REPLACE "(^| )-DNDEBUG( |$)" " " ${config_flags} "${${config_flags}}")
  endforeach()
  set(sanitizers -fsanitize=address,undefined)
  # An undefined-behaviour report aborts the test instead of printing and going on.
  add_compile_options(${sanitizers} -fno-sanitize-recover=all -fno-omit-frame-pointer -O1 -g)
  add_link_options(${sanitizers} -fno-sanitize-recover=all)
  add_compile_definitions(_GLIBCXX_ASSERTIONS JSON_DIAGNOSTICS=1)
  message(STATUS "greenbench: sanitizer build (ASan + UBSan, _GLIBCXX_ASSERTIONS, JSON_ASSERT, JSON_DIAGNOSTICS)")
endif()
