# The typed run record: every reference record read and written again
# unchanged, fields it does not model kept, meter readings by name, the
# reader's refusals, the path rule and the config hash.
greenbench_test(test_record SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/record/test_run_record.cpp LIBS greenbench_core)
