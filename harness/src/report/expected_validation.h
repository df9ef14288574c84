// Expected validation performance (Dodge et al. 2019, "Show Your Work"): from
// N trials of one method on one task, the expected best score after n trials
// for n = 1..N, with its spread, and the trials' budget (time or energy) on
// the x-axis when asked.
#pragma once

#include <vector>

namespace greenbench {

struct ExpectedMaxCurve {
  std::vector<int> n;                ///< 1..N
  std::vector<double> expected;      ///< E[max of n trials]
  std::vector<double> lower, upper;  ///< expected -+ one standard deviation, clipped to [min, max] of the trials
};

/// With replacement (the paper's estimator): sort ascending, then
/// E[max|n] = sum_i v_(i) [(i/N)^n - ((i-1)/N)^n]; the spread from E[max^2|n]
/// with the same weights. Ties need no special case: tied values share the
/// probability mass of their positions.
ExpectedMaxCurve expected_max_with_replacement(std::vector<double> values);

/// Without replacement (unbiased for n <= N): E[max|n] = sum_i v_(i) C(i-1, n-1) / C(N, n).
ExpectedMaxCurve expected_max_without_replacement(std::vector<double> values);

}  // namespace greenbench
