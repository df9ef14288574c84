# The plugin API stands alone: each public header (harness/include/greenbench/,
# the BERT kit included) compiles by itself, with nothing on the include path
# but the public folder, LibTorch and nlohmann_json (greenbench::plugin_api).
# One target per header, outside `all`; one test per header builds it, so a
# header that reaches into src/ or forgets an #include fails by name.
file(GLOB_RECURSE public_headers RELATIVE ${CMAKE_SOURCE_DIR}/harness/include CONFIGURE_DEPENDS
     ${CMAKE_SOURCE_DIR}/harness/include/greenbench/*.h)
foreach(header ${public_headers})
  string(MAKE_C_IDENTIFIER ${header} id)
  set(source ${CMAKE_BINARY_DIR}/generated/api/${id}.cpp)
  file(CONFIGURE OUTPUT ${source} CONTENT "#include \"${header}\"\n#include \"${header}\"  // and a second time: include guards\n")
  add_library(api_${id} OBJECT EXCLUDE_FROM_ALL ${source})
  target_link_libraries(api_${id} PRIVATE greenbench_plugin_api)
  add_test(NAME "api:${header}"
           COMMAND ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR} --target api_${id})
  set_tests_properties("api:${header}" PROPERTIES LABELS "api" TIMEOUT 300)
endforeach()
list(LENGTH public_headers header_count)
if(header_count LESS 10)
  message(FATAL_ERROR "tests/api: found only ${header_count} public headers under harness/include/greenbench")
endif()
