#include "report/expected_validation.h"

#include <algorithm>
#include <cmath>

#include "greenbench/error.h"

namespace greenbench {
namespace {

// The curve from the weights w[n-1][i] = P(max of n trials = v_(i)).
template <typename Weight>
ExpectedMaxCurve curve(std::vector<double> values, Weight weight) {
  if (values.empty()) throw Error("expected validation performance needs at least one trial");
  std::sort(values.begin(), values.end());
  const int N = static_cast<int>(values.size());
  ExpectedMaxCurve c;
  for (int n = 1; n <= N; ++n) {
    double mean = 0, square = 0;
    for (int i = 1; i <= N; ++i) {
      const double w = weight(i, n, N);
      mean += w * values[static_cast<size_t>(i - 1)];
      square += w * values[static_cast<size_t>(i - 1)] * values[static_cast<size_t>(i - 1)];
    }
    const double sd = std::sqrt(std::max(0.0, square - mean * mean));
    c.n.push_back(n);
    c.expected.push_back(mean);
    c.lower.push_back(std::max(values.front(), mean - sd));
    c.upper.push_back(std::min(values.back(), mean + sd));
  }
  return c;
}

// C(a, b) / C(N, n) in logs, so large N does not overflow.
double log_choose(int a, int b) {
  return std::lgamma(a + 1.0) - std::lgamma(b + 1.0) - std::lgamma(a - b + 1.0);
}

}  // namespace

ExpectedMaxCurve expected_max_with_replacement(std::vector<double> values) {
  return curve(std::move(values), [](int i, int n, int N) {
    return std::pow(static_cast<double>(i) / N, n) - std::pow(static_cast<double>(i - 1) / N, n);
  });
}

ExpectedMaxCurve expected_max_without_replacement(std::vector<double> values) {
  return curve(std::move(values), [](int i, int n, int N) {
    if (i < n) return 0.0;  // the max of n distinct draws is at least the n-th smallest
    return std::exp(log_choose(i - 1, n - 1) - log_choose(N, n));
  });
}

}  // namespace greenbench
