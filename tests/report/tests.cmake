# Reporting: expected validation performance, Pareto frontiers, record
# validation (schema via valijson, FLOPs recomputed, hostile input), the
# leaderboard data against the records it came from, and the site folder.
greenbench_test(test_report SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/report/test_report.cpp LIBS greenbench_methods)
target_include_directories(test_report PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/core)
