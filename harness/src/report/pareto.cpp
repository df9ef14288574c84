#include "report/pareto.h"

namespace greenbench {

std::vector<bool> pareto_front(const std::vector<double>& cost, const std::vector<double>& accuracy) {
  const size_t n = cost.size();
  std::vector<bool> front(n, false);
  // Quadratic: a task has at most a few hundred points, and this is plainly right.
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(cost[i])) continue;
    bool dominated = false;
    for (size_t j = 0; j < n && !dominated; ++j) {
      if (j == i || !std::isfinite(cost[j])) continue;
      dominated = cost[j] <= cost[i] && accuracy[j] >= accuracy[i] && (cost[j] < cost[i] || accuracy[j] > accuracy[i]);
    }
    front[i] = !dominated;
  }
  return front;
}

}  // namespace greenbench
