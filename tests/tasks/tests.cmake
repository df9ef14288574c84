# The dataset readers, the five task loaders and the role assignment.
greenbench_test(test_tasks SOURCES
  ${CMAKE_CURRENT_SOURCE_DIR}/tasks/test_csv.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/tasks/test_json_fields.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/tasks/test_loaders.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/tasks/test_roles.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/tasks/test_data_files.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/tasks/test_real_data.cpp
  LIBS greenbench_tasks)
