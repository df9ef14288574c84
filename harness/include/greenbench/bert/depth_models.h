// One model per depth, each its own operating point "k=DEPTH" with its own
// calibrated temperature: the shared plumbing of baselines that answer with a
// different model at each depth (distill's students, layerdrop's pruned
// copies). The method trains or derives the models; this keeps them in depth
// order, calibrates them, names their points and answers with them.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "greenbench/bert/bert.h"
#include "greenbench/bert/calibration.h"
#include "greenbench/method.h"

namespace greenbench {

/// `requested` sorted and without repeats, or 1..`default_max` when empty;
/// throws greenbench::Error "WHAT D is not in [1, MAX] ..." for a depth
/// outside [1, `max_layers`] (`what`: "distill: student depth", say).
std::vector<int> resolve_depths(std::vector<int> requested, int default_max, int max_layers, const std::string& what);

class DepthModels {
 public:
  explicit DepthModels(std::string who) : who_(std::move(who)) {}
  void clear();
  /// Adds the model answering at `depth` (depths strictly increasing), with
  /// its temperature and calibration facts when restored from a checkpoint.
  void add(int depth, BertClassifier model, double temperature = 1.0, nlohmann::json calibration = nullptr);
  /// Fits each model's temperature on `calibration`; returns [{"layers", "calibration"}] per depth.
  nlohmann::json calibrate(const EncodedSet& calibration);

  /// "k=DEPTH" per depth, shallowest first.
  std::vector<OperatingPoint> operating_points() const;
  void predict(const Batch& batch, const OperatingPoint& point, std::vector<Prediction>& out);
  ModelShape shape_at(const OperatingPoint& point) const;

  const std::vector<int>& depths() const { return depths_; }
  const std::vector<BertClassifier>& models() const { return models_; }
  const std::vector<double>& temperatures() const { return temperatures_; }
  /// Per depth, what calibrate() fitted (or add() was given), as JSON.
  const std::vector<nlohmann::json>& calibration() const { return calibration_; }

 private:
  size_t index_of(const OperatingPoint& point) const;
  std::string who_;
  std::vector<int> depths_;
  std::vector<BertClassifier> models_;
  std::vector<double> temperatures_;
  std::vector<nlohmann::json> calibration_;
};

}  // namespace greenbench
