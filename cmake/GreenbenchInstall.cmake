# `cmake --install BUILD --prefix P`: what an out-of-tree plugin builds and
# runs against.
#   P/bin/greenbench                      the executable, which exports its symbols to plugins
#   P/include/greenbench/*.h              the public headers (greenbench/method.h, greenbench/plugin.h, ...)
#   P/include/greenbench/bert/*.h         the BERT-method kit (greenbench/bert/version.h)
#   P/lib/cmake/greenbench/               greenbenchConfig.cmake: greenbench::plugin_api,
#                                         greenbench::greenbench, greenbench_add_plugin()
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(GREENBENCH_PACKAGE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/greenbench)

install(TARGETS greenbench EXPORT greenbenchTargets RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS greenbench_plugin_api EXPORT greenbenchTargets)
install(EXPORT greenbenchTargets NAMESPACE greenbench:: DESTINATION ${GREENBENCH_PACKAGE_DIR})

# The public headers include nothing but each other (tests/api checks it), so
# the folder is installed as it is.
install(DIRECTORY ${CMAKE_SOURCE_DIR}/harness/include/greenbench DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h")

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
