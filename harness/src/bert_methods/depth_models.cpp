#include "greenbench/bert/depth_models.h"

#include <algorithm>

#include "greenbench/bert/exit_engine.h"
#include "greenbench/bert/trainer.h"
#include "greenbench/error.h"

namespace greenbench {

std::vector<int> resolve_depths(std::vector<int> depths, int default_max, int max_layers, const std::string& what) {
  if (depths.empty()) {
    for (int d = 1; d <= default_max; ++d) depths.push_back(d);
  }
  std::sort(depths.begin(), depths.end());
  depths.erase(std::unique(depths.begin(), depths.end()), depths.end());
  for (int d : depths) {
    if (d < 1 || d > max_layers) {
      throw Error(what + " " + std::to_string(d) + " is not in [1, " + std::to_string(max_layers) + "] (the model's layers)");
    }
  }
  return depths;
}

void DepthModels::clear() {
  depths_.clear();
  models_.clear();
  temperatures_.clear();
  calibration_.clear();
}

void DepthModels::add(int depth, BertClassifier model, double temperature, nlohmann::json calibration) {
  if (!depths_.empty() && depth <= depths_.back()) {
    throw Error(who_ + ": depth " + std::to_string(depth) + " after depth " + std::to_string(depths_.back()) +
                ": depths must be added once each, in increasing order");
  }
  depths_.push_back(depth);
  models_.push_back(std::move(model));
  temperatures_.push_back(temperature);
  calibration_.push_back(std::move(calibration));
}

nlohmann::json DepthModels::calibrate(const EncodedSet& calibration) {
  const auto labels = torch::tensor(calibration.labels, torch::kLong);
  nlohmann::json per_depth = nlohmann::json::array();
  for (size_t i = 0; i < models_.size(); ++i) {
    const ExitCalibration fitted = calibrate_exits(exit_logits_all(models_[i], calibration), labels).at(0);
    temperatures_[i] = fitted.temperature;
    calibration_[i] = to_json({fitted})[0];
    per_depth.push_back({{"layers", depths_[i]}, {"calibration", calibration_[i]}});
  }
  return per_depth;
}

std::vector<OperatingPoint> DepthModels::operating_points() const {
  std::vector<OperatingPoint> points;
  for (int d : depths_) points.push_back({"k=" + std::to_string(d), {{"layers", d}}});
  return points;
}

void DepthModels::predict(const Batch& batch, const OperatingPoint& point, std::vector<Prediction>& out) {
  const size_t i = index_of(point);
  LastExitRule last_exit;
  predict_with_exits(models_.at(i), batch, {temperatures_.at(i)}, last_exit, out);
}

ModelShape DepthModels::shape_at(const OperatingPoint& point) const {
  const BertClassifier& model = models_.at(index_of(point));
  return ModelShape::of_bert(model->config, model->parameter_count());
}

size_t DepthModels::index_of(const OperatingPoint& point) const {
  const int d = point.setting.at("layers").get<int>();
  const auto it = std::find(depths_.begin(), depths_.end(), d);
  if (it == depths_.end()) throw Error(who_ + ": no operating point with " + std::to_string(d) + " layers");
  return static_cast<size_t>(it - depths_.begin());
}

}  // namespace greenbench
