# Sourced by scripts/sanitize-tests.sh and scripts/fuzz.sh: the run-time
# options of the sanitizer build, each with its reason.
#   abort_on_error / halt_on_error: a report fails the test (CTest sees the abort).
#   print_stacktrace: UBSan's reports say where, not only what.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}
