// The shared engine of every method built on BertClassifier (standard,
// truncated, early exit): build the model from the suite's backbone and the
// method's exits, train it, fit one temperature per exit, answer batches.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "greenbench/method.h"
#include "model/bert.h"
#include "model/exit_inference.h"
#include "train/calibration.h"

namespace greenbench {

class ExitClassifierMethod : public Method {
 public:
  nlohmann::json train(MethodContext& context) override;
  /// One temperature per exit, minimising NLL on the calibration role.
  nlohmann::json calibrate(MethodContext& context) override;
  ModelShape shape_at(const OperatingPoint&) const override {
    return ModelShape::of_bert(model_->config, model_->parameter_count());
  }
  std::string save(const std::string& dir) override;
  void load(const std::string& dir, const nlohmann::json& config) override;
  BertClassifier& model() { return model_; }
  const std::vector<double>& temperatures() const { return temperatures_; }

 protected:
  /// The trained shape: backbone from the suite, layers and exits from the method.
  virtual BertConfig shape(const MethodContext& context) const = 0;
  /// Reads the method's own settings (called by train and load).
  virtual void configure(const nlohmann::json& config) { (void)config; }
  /// Runs a batch with the given rule (temperatures applied).
  void predict_with_rule(const Batch& batch, ExitRule& rule, std::vector<Prediction>& out);

  BertClassifier model_{nullptr};
  std::vector<double> temperatures_;
  std::vector<ExitCalibration> calibration_;
};

/// Per-exit accuracy on `set`, and the oracle: each instance exits at the
/// cheapest classifier that is right (the last one when none is).
nlohmann::json exit_analysis(BertClassifier& model, const EncodedSet& set);

}  // namespace greenbench
