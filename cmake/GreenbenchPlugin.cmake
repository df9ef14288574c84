# greenbench_add_plugin(NAME SOURCES a.cpp ...)
#
# Builds NAME.so, an out-of-tree method that `greenbench --plugin NAME.so`
# loads. One of its sources uses GREENBENCH_PLUGIN(...) from
# greenbench/plugin.h. It is a MODULE library linked against no greenbench
# library: greenbench's symbols resolve from the executable that loads it.
# Installed with greenbench's CMake package (find_package(greenbench)); the
# in-tree test plugins use it too.
function(greenbench_add_plugin name)
  cmake_parse_arguments(ARG "" "" "SOURCES" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "greenbench_add_plugin(${name}): no SOURCES")
  endif()
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "greenbench_add_plugin(${name}): unexpected arguments ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  add_library(${name} MODULE ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE greenbench::plugin_api)
  # NAME.so rather than libNAME.so: the file is named on the command line.
  set_target_properties(${name} PROPERTIES PREFIX "" CXX_EXTENSIONS OFF)
endfunction()
