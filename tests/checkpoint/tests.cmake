greenbench_test(test_checkpoint SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/checkpoint/test_checkpoint.cpp
                                        ${CMAKE_CURRENT_SOURCE_DIR}/checkpoint/test_checkpoint_manifest.cpp
                LIBS greenbench_core)
