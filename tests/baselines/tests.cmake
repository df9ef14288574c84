# Baseline tests: quantization, pruning, distillation, LayerDrop, the bag of
# n-grams and the other exit rules, on tiny models and fixtures (one thread).
greenbench_test(test_baselines SOURCES
  ${CMAKE_CURRENT_SOURCE_DIR}/baselines/test_quantize.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/baselines/test_bow.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/baselines/test_layerdrop.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/baselines/test_distill.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/baselines/test_prune.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/support/operator_flops.cpp
  LIBS greenbench_methods)
target_include_directories(test_baselines PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/core ${CMAKE_SOURCE_DIR})
