# The results upload path: ingest server, submit client, the serve/submit
# commands and a load test ([load], seconds). Loopback only; no LibTorch.
set(leaderboard_dir ${CMAKE_CURRENT_SOURCE_DIR}/leaderboard)
greenbench_test(test_leaderboard
  SOURCES ${leaderboard_dir}/test_ingest.cpp ${leaderboard_dir}/test_submit.cpp
          ${leaderboard_dir}/test_commands.cpp ${leaderboard_dir}/test_load.cpp
          ${CMAKE_SOURCE_DIR}/harness/src/cli/leaderboard_commands.cpp
  LIBS greenbench_leaderboard PkgConfig::HTTPLIB CURL::libcurl CLI11::CLI11)

# End to end through the greenbench binary: the real validator and site builder behind serve.
add_test(NAME serve_submit_end_to_end
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/leaderboard/serve_submit_end_to_end.sh $<TARGET_FILE:greenbench>)
set_tests_properties(serve_submit_end_to_end PROPERTIES LABELS "e2e;leaderboard" TIMEOUT 300)
