# Reporting: expected validation performance, Pareto frontiers, record
# validation (schema via valijson, FLOPs recomputed, hostile input), the
# leaderboard data against the records it came from, and the site folder.
greenbench_test(test_report SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/report/test_report.cpp LIBS greenbench_methods)
target_include_directories(test_report PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/core)

# Outputs never destroy inputs, readers skip what they cannot read: the site
# folder guard, records missing fields, killed writers' leftovers (library
# level, no training); and every output-writing command of the greenbench
# binary pointed at a results folder and at its parent (test_results_survive).
greenbench_test(test_report_outputs SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/report/test_outputs.cpp
                ${CMAKE_CURRENT_SOURCE_DIR}/report/test_results_survive.cpp LIBS greenbench_methods)
add_dependencies(test_report_outputs greenbench)
