// The trained model a method builds on (quantize, prune, a distillation
// teacher), as MethodContext::base_model hands it over.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "greenbench/bert/bert.h"

namespace greenbench {

struct BaseModel {
  BertClassifier model{nullptr};     ///< the method's own copy, free to change
  std::vector<double> temperatures;  ///< one per exit, as calibrated
  nlohmann::json provenance;         ///< the run that trained it and what that cost
};

}  // namespace greenbench
