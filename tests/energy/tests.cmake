greenbench_test(test_energy
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/energy/test_powercap.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/energy/test_perf_energy.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/energy/test_energy_meter.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/energy/test_carbon.cpp
  LIBS greenbench_measure)
