# web_site_fixture: the static leaderboard (web/) in headless Chromium, on a
# fixture site built from ${CMAKE_BINARY_DIR}/web/dist (target greenbench_web)
# by tests/web/make_fixture_site.mjs: no C++ output needed. Skipped (77) when
# node, Chromium or npm (at configure time) is missing.
# Include from tests/CMakeLists.txt: include(${CMAKE_CURRENT_SOURCE_DIR}/web/tests.cmake OPTIONAL)
find_program(GREENBENCH_NPM npm)
find_program(GREENBENCH_NODE node)
get_filename_component(_web_dir "${CMAKE_CURRENT_LIST_DIR}/../../web" ABSOLUTE)
set(_web_skip "")
if(NOT GREENBENCH_NPM OR NOT GREENBENCH_NODE)
  set(_web_skip "node/npm were not found when CMake configured, so greenbench_web (web/dist) was not built")
endif()

add_test(NAME web_site_fixture
  COMMAND sh "${CMAKE_CURRENT_LIST_DIR}/run_fixture_test.sh"
          "${CMAKE_BINARY_DIR}/web/dist"
          "${CMAKE_BINARY_DIR}/tests/web_site_fixture"
          "${_web_dir}")
set_tests_properties(web_site_fixture PROPERTIES
  LABELS web
  SKIP_RETURN_CODE 77
  TIMEOUT 180
  ENVIRONMENT "GREENBENCH_WEB_SKIP=${_web_skip}")

# web_rows_unit: sorting, filtering, CSV quoting and number formatting of
# web/src/rows.js and common.js in plain Node (no browser, no npm packages).
add_test(NAME web_rows_unit
  COMMAND sh -c "command -v node >/dev/null 2>&1 || { echo 'SKIP: node not found'; exit 77; }; exec node \"$0\""
          "${CMAKE_CURRENT_LIST_DIR}/rows_test.mjs")
set_tests_properties(web_rows_unit PROPERTIES LABELS web SKIP_RETURN_CODE 77 TIMEOUT 60)

# web_site_real: the same browser test on a site `greenbench site build` made
# from the records of a small sweep, and the report and site checked number
# for number against those records (real_site_test.sh).
if(TARGET greenbench)
  add_test(NAME web_site_real
    COMMAND bash "${CMAKE_CURRENT_LIST_DIR}/real_site_test.sh" $<TARGET_FILE:greenbench>
            "${CMAKE_BINARY_DIR}/tests/web_site_real" "${_web_dir}")
  set_tests_properties(web_site_real PROPERTIES LABELS "web;e2e" SKIP_RETURN_CODE 77 TIMEOUT 600)
endif()
