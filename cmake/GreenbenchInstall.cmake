# `cmake --install BUILD --prefix P`: what an out-of-tree plugin builds and
# runs against.
#   P/bin/greenbench                      the executable, which exports its symbols to plugins
#   P/include/greenbench/*.h              the public headers (greenbench/method.h, greenbench/plugin.h, ...)
#   P/include/greenbench/{model,data,...} every internal header those, the shared exit-classifier
#                                         engine, checkpoints and errors include
#   P/lib/cmake/greenbench/               greenbenchConfig.cmake: greenbench::plugin_api,
#                                         greenbench::greenbench, greenbench_add_plugin()
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(GREENBENCH_PACKAGE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/greenbench)

install(TARGETS greenbench EXPORT greenbenchTargets RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS greenbench_plugin_api EXPORT greenbenchTargets)
install(EXPORT greenbenchTargets NAMESPACE greenbench:: DESTINATION ${GREENBENCH_PACKAGE_DIR})

# Public headers go to P/include/greenbench/ (found as "greenbench/x.h" from
# P/include), internal ones below it (found as "model/bert.h" from
# P/include/greenbench), so nothing but greenbench/ lands in P/include.
file(GLOB public_headers RELATIVE ${CMAKE_SOURCE_DIR}/harness/include CONFIGURE_DEPENDS
     ${CMAKE_SOURCE_DIR}/harness/include/greenbench/*.h)
set(header_roots ${public_headers} model/exit_classifier_method.h model/checkpoint.h util/error.h)
install(CODE "
  set(GREENBENCH_HEADER_ROOTS \"${header_roots}\")
  set(GREENBENCH_HEADER_DIRS \"${CMAKE_SOURCE_DIR}/harness/include;${CMAKE_SOURCE_DIR}/harness/src\")
  set(GREENBENCH_HEADER_DESTINATIONS \"${CMAKE_INSTALL_INCLUDEDIR};${CMAKE_INSTALL_INCLUDEDIR}/greenbench\")
  include(\"${CMAKE_SOURCE_DIR}/cmake/InstallHeaderClosure.cmake\")
")

# The package pins the LibTorch and nlohmann_json greenbench was built with:
# tensors and JSON values pass between the executable and a plugin, so both
# must have been compiled against the same ones.
set(GREENBENCH_TORCH_VERSION ${Torch_VERSION})
set(GREENBENCH_JSON_VERSION ${nlohmann_json_VERSION})
configure_package_config_file(${CMAKE_SOURCE_DIR}/cmake/greenbenchConfig.cmake.in
  ${CMAKE_BINARY_DIR}/package/greenbenchConfig.cmake
  INSTALL_DESTINATION ${GREENBENCH_PACKAGE_DIR})
write_basic_package_version_file(${CMAKE_BINARY_DIR}/package/greenbenchConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES
  ${CMAKE_BINARY_DIR}/package/greenbenchConfig.cmake
  ${CMAKE_BINARY_DIR}/package/greenbenchConfigVersion.cmake
  ${CMAKE_SOURCE_DIR}/cmake/GreenbenchPlugin.cmake
  DESTINATION ${GREENBENCH_PACKAGE_DIR})
