# Measurement tests without LibTorch: latency statistics and timing loops, the
# time meter, the hardware-counter meter (a fake backend for the counting path,
# real PAPI for whatever this machine allows) and provenance from fake and
# real /proc files.
greenbench_test(test_measure SOURCES
  ${CMAKE_CURRENT_SOURCE_DIR}/measure/test_latency.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/measure/test_counters.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/measure/test_provenance.cpp
  LIBS greenbench_measure)
