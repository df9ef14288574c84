# Suites, sweeps and scale. Unit tests of suite files, trials, shards, merge
# and the cluster jobs; then, end to end through the greenbench binary on
# fixture data: a sweep killed with SIGKILL and resumed, a sweep run as a job
# array on a real single-node Slurm started on loopback (skipped, exit 77,
# without Slurm or root), and the Dockerfile checked against CI's commands.
set(suite_dir ${CMAKE_CURRENT_SOURCE_DIR}/suite)
greenbench_test(test_suite SOURCES ${suite_dir}/test_suite.cpp LIBS greenbench_methods)

add_test(NAME sweep_kill_resume COMMAND bash ${suite_dir}/sweep_kill_resume.sh $<TARGET_FILE:greenbench>)
set_tests_properties(sweep_kill_resume PROPERTIES LABELS "e2e;suite" TIMEOUT 900)

add_test(NAME slurm_sweep COMMAND bash ${suite_dir}/slurm_sweep.sh $<TARGET_FILE:greenbench>)
set_tests_properties(slurm_sweep PROPERTIES LABELS "e2e;suite;slurm" TIMEOUT 900 SKIP_RETURN_CODE 77)

add_test(NAME dockerfile_matches_ci COMMAND python3 ${suite_dir}/dockerfile_matches_ci.py ${CMAKE_SOURCE_DIR})
set_tests_properties(dockerfile_matches_ci PROPERTIES LABELS "suite;docker")

# Checked reuse: records and checkpoints that do not validate are moved aside
# and their runs redone (trains a one-layer model on a tiny fixture per test).
greenbench_test(test_checked_reuse SOURCES ${suite_dir}/test_checked_reuse.cpp LIBS greenbench_methods)
