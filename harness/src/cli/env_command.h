// `greenbench env`: the provenance a record carries (machine, OS, build,
// LibTorch, BLAS), and what this machine can and cannot measure, and why.
#pragma once

namespace greenbench {

/// Prints the report as text, or as one JSON object when `json` is set.
int print_env(bool json);

}  // namespace greenbench
