// The accuracy/cost Pareto frontier: a point is on it when no other point
// is at least as cheap and at least as accurate, and strictly better in one.
#pragma once

#include <cmath>
#include <vector>

namespace greenbench {

/// On-frontier flags, parallel to the inputs. A point whose cost is not a
/// finite number (not measured) is never on the frontier and dominates nothing.
std::vector<bool> pareto_front(const std::vector<double>& cost, const std::vector<double>& accuracy);

}  // namespace greenbench
