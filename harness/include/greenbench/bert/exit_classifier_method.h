// The shared engine of every method built on BertClassifier (standard,
// truncated, early exit): build the model from the suite's backbone and the
// method's exits, train it, fit one temperature per exit, answer batches.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "greenbench/bert/base_model.h"
#include "greenbench/bert/bert.h"
#include "greenbench/bert/calibration.h"
#include "greenbench/bert/exit_engine.h"
#include "greenbench/method.h"

namespace greenbench {

class ExitClassifierMethod : public Method {
 public:
  nlohmann::json train(MethodContext& context) override;
  /// One temperature per exit, minimising NLL on the calibration role.
  nlohmann::json calibrate(MethodContext& context) override;
  /// The model's shape; at a point whose setting has "arithmetic": "int8",
  /// with that arithmetic and its weight bytes.
  ModelShape shape_at(const OperatingPoint& point) const override;
  std::string save(const std::string& dir) override;
  void load(const std::string& dir, const nlohmann::json& config) override;
  /// A copy of the trained model and its temperatures.
  BaseModel provide_base_model() const override;
  /// Training reads a "train" object of TrainOptions overrides from the config.
  bool takes_train_overrides() const override { return true; }
  BertClassifier& model() { return model_; }
  const std::vector<double>& temperatures() const { return temperatures_; }

 protected:
  /// The trained shape: backbone from the suite, layers and exits from the method.
  virtual BertConfig shape(const MethodContext& context) const = 0;
  /// Reads the method's own settings (called by train and load).
  virtual void configure(const nlohmann::json& config) { (void)config; }
  /// Runs a batch with the given rule (temperatures applied), in the
  /// arithmetic the point's setting names ("arithmetic": "int8", "engine").
  void predict_with_rule(const Batch& batch, ExitRule& rule, std::vector<Prediction>& out);
  void predict_with_rule(const Batch& batch, const OperatingPoint& point, ExitRule& rule, std::vector<Prediction>& out);

  /// Packs int8 weights for each engine (after training or loading, so the
  /// packs follow the final weights); points may then ask for int8.
  void prepare_int8_engines(const std::vector<std::string>& engines);
  /// Observes the range of every quantizable Linear's input and output on
  /// `set` in fp32, which points with calibrated int8 activations need;
  /// checkpoints keep the ranges. Returns a summary for the record.
  nlohmann::json observe_activation_ranges(const EncodedSet& set);
  /// Throws, naming `dir`, when a loaded checkpoint has no activation ranges.
  void require_activation_ranges(const std::string& dir) const;

  /// The int8 arithmetic a point asks for ("arithmetic": "int8", "engine",
  /// "activations", dynamic when absent), or nullopt for fp32.
  struct Int8Arithmetic {
    at::QEngine engine;
    Int8Activations activations;
    bool operator==(const Int8Arithmetic& other) const {
      return engine == other.engine && activations == other.activations;
    }
    bool operator!=(const Int8Arithmetic& other) const { return !(*this == other); }
  };
  static std::optional<Int8Arithmetic> int8_arithmetic_of(const OperatingPoint& point);

  BertClassifier model_{nullptr};
  std::vector<double> temperatures_;
  std::optional<Int8Arithmetic> active_int8_;  // switching walks the Linears, so only when the point changes
  std::vector<ExitCalibration> calibration_;
  nlohmann::json activation_ranges_;  // by Linear name; empty until observed
};

/// Per-exit accuracy on `set`, and the oracle: each instance exits at the
/// cheapest classifier that is right (the last one when none is).
nlohmann::json exit_analysis(BertClassifier& model, const EncodedSet& set);

}  // namespace greenbench
