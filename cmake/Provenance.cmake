# Compiles the git commit, a dirty flag, the compiler and the build type into
# the binary, so every record says exactly what produced it.
find_package(Git QUIET)
set(GREENBENCH_GIT_COMMIT "unknown")
set(GREENBENCH_GIT_DIRTY "unknown")
if(GIT_FOUND AND EXISTS ${CMAKE_SOURCE_DIR}/.git)
  execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse HEAD WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
                  OUTPUT_VARIABLE GREENBENCH_GIT_COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  execute_process(COMMAND ${GIT_EXECUTABLE} status --porcelain --untracked-files=no WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
                  OUTPUT_VARIABLE _dirty OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(_dirty)
    set(GREENBENCH_GIT_DIRTY "true")
  else()
    set(GREENBENCH_GIT_DIRTY "false")
  endif()
endif()
set(GREENBENCH_BUILD_INFO_CXX_FLAGS "${CMAKE_CXX_FLAGS} ${CMAKE_CXX_FLAGS_${CMAKE_BUILD_TYPE}}")
