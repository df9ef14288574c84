# Core tests: model, batching, early exit, oracle, calibration, FLOPs, trainer,
# masked-language pretraining, runner
# end to end, method registry, the validation of settings, BLAS and the CLI, on tiny models (one thread,
# a few minutes in all). The CLI tests need the greenbench target and are
# skipped with a warning when it has not been built.
greenbench_test(test_core SOURCES
  ${CMAKE_CURRENT_SOURCE_DIR}/core/test_model.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/core/test_batching.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/core/test_early_exit.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/core/test_oracle.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/core/test_calibration.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/core/test_flops.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/support/operator_flops.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/core/test_trainer.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/core/test_pretraining.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/core/test_runner.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/core/test_registry.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/core/test_blas.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/core/test_cli.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/core/test_settings_validation.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/core/test_config_hash.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/core/test_settings_table.cpp
  LIBS greenbench_methods)
