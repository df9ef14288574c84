# Compiles the compiler, its flags and the build type into the binary; the git
# commit and dirty flag come from cmake/WriteGitInfo.cmake, run on every build.
set(GREENBENCH_BUILD_INFO_CXX_FLAGS "${CMAKE_CXX_FLAGS} ${CMAKE_CXX_FLAGS_${CMAKE_BUILD_TYPE}}")
