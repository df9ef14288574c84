# Plugin tests. The loader's refusals, each with its reason, and a good plugin
# registering and running, on tiny MODULE libraries built here that stand in
# for plugins; the CLI's --plugin. And one end-to-end test of what CI needs:
# install this build, build examples/plugin against the installed package
# alone, run its method through `greenbench run`.
set(plugin_dir ${CMAKE_CURRENT_SOURCE_DIR}/plugin)

# This greenbench's plugin API version, for the hand-written entry points of
# the test libraries that do not include greenbench/plugin.h (it pulls in LibTorch).
file(STRINGS ${CMAKE_SOURCE_DIR}/harness/include/greenbench/plugin.h api_line
     REGEX "^#define GREENBENCH_PLUGIN_API_VERSION [0-9]+$")
string(REGEX REPLACE ".* ([0-9]+)$" "\\1" this_api_version "${api_line}")
if(NOT this_api_version MATCHES "^[0-9]+$")
  message(FATAL_ERROR "tests/plugin: no '#define GREENBENCH_PLUGIN_API_VERSION N' line in greenbench/plugin.h")
endif()

greenbench_add_plugin(test_plugin_good SOURCES ${plugin_dir}/plugins/good_plugin.cpp)
set(test_plugins test_plugin_good)
foreach(kind no_symbols wrong_version throwing_registration empty_registration)
  add_library(test_plugin_${kind} MODULE ${plugin_dir}/plugins/${kind}.cpp)
  target_compile_definitions(test_plugin_${kind} PRIVATE THIS_API_VERSION=${this_api_version})
  list(APPEND test_plugins test_plugin_${kind})
endforeach()

greenbench_test(test_plugin SOURCES
  ${plugin_dir}/test_plugin_loader.cpp
  ${plugin_dir}/test_plugin_cli.cpp
  ${plugin_dir}/test_method_rules.cpp
  LIBS greenbench_methods)
# The plugins resolve greenbench's symbols from the process that loads them.
set_target_properties(test_plugin PROPERTIES ENABLE_EXPORTS ON)
add_dependencies(test_plugin ${test_plugins})
foreach(p ${test_plugins})
  string(TOUPPER ${p} macro)
  target_compile_definitions(test_plugin PRIVATE ${macro}="$<TARGET_FILE:${p}>")
endforeach()

# End to end, as CI runs it; labelled so `ctest -L e2e` picks it alone.
add_test(NAME plugin_example_end_to_end
  COMMAND bash ${plugin_dir}/example_plugin_end_to_end.sh
          ${CMAKE_COMMAND} ${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR}/examples/plugin ${CMAKE_GENERATOR}
          ${CMAKE_CXX_COMPILER})
set_tests_properties(plugin_example_end_to_end PROPERTIES LABELS "e2e;plugin;install" TIMEOUT 900)
