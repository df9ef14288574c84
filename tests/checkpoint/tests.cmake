greenbench_test(test_checkpoint SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/checkpoint/test_checkpoint.cpp LIBS greenbench_core)
