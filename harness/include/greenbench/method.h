// The method interface: what a method or baseline implements. The harness
// owns data, timing, FLOPs and records; a method trains its model and answers
// batches, reporting per instance the compute path it took, so no plugin can
// misreport its own cost.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "greenbench/batch.h"
#include "greenbench/bert_config.h"
#include "greenbench/model_shape.h"
#include "greenbench/train_options.h"

namespace greenbench {

/// The trained model other methods build on, and the encoder pretraining
/// starts: both BERT, so defined by the BERT-method kit
/// (greenbench/bert/base_model.h, greenbench/bert/bert.h); a method that
/// uses them includes those.
struct BaseModel;
class BertModel;

/// What the harness hands a method to train on.
struct MethodContext {
  std::string task_name;
  const EncodedSet& train;
  const EncodedSet& calibration;
  BertConfig model_config;     ///< the suite's backbone shape (size, vocab, labels); exits are the method's to set
  TrainOptions train_options;  ///< the suite's defaults; a method may override from its config
  nlohmann::json config;       ///< the method's own settings (defaults merged in)
  /// The base model, trained by the method registered as providing it
  /// (MethodInfo::provides_base_model; built in: the standard model, one
  /// exit at the last layer) with the suite's settings on this task: trained
  /// on first call, then shared by every method in the process that builds
  /// on it. Its cost stays in its own record; the provenance says which.
  std::function<BaseModel()> base_model;
  /// Starts a new model's encoder from the suite's pretrained one (embeddings
  /// and as many layers as it has) when the settings ask for pretraining, and
  /// returns its provenance for the record; otherwise leaves it and returns
  /// null. May be empty (no pretraining).
  std::function<nlohmann::json(BertModel& encoder)> initialize_encoder;
};

/// One instance's answer and the path it took through the model.
struct Prediction {
  int label = -1;
  float confidence = 0;    ///< calibrated max probability of the answering exit
  int layers_run = 0;      ///< encoder layers computed for this instance
  int exits_evaluated = 0; ///< classifier heads computed (each costs pooler + linear)
};

/// One setting of a method's knob (an early-exit threshold, say).
struct OperatingPoint {
  std::string name;         ///< short label for tables ("t=0.90")
  nlohmann::json setting;   ///< what predict() reads
};

class Method {
 public:
  virtual ~Method() = default;
  /// Trains; returns facts for the record (train stats).
  virtual nlohmann::json train(MethodContext& context) = 0;
  /// Fits what is fitted on the calibration role (temperatures), after
  /// train(), under its own meters; returns facts for the record.
  virtual nlohmann::json calibrate(MethodContext& context) {
    (void)context;
    return nlohmann::json::object();
  }
  /// The settings the harness evaluates, cheapest last is not required.
  virtual std::vector<OperatingPoint> operating_points() const = 0;
  /// Fills out[i] for batch.indices[i]. Runs in eval mode without gradients.
  virtual void predict(const Batch& batch, const OperatingPoint& point, std::vector<Prediction>& out) = 0;
  /// The model that answers at `point` (pruned, truncated, quantized...), from
  /// which the harness counts FLOPs; parameters as stored for that point.
  virtual ModelShape shape_at(const OperatingPoint& point) const = 0;
  /// Writes the trained state into `dir` (weights, temperatures); returns its sha256.
  virtual std::string save(const std::string& dir) = 0;
  /// Restores what save() wrote; `config` is the method's settings as trained.
  virtual void load(const std::string& dir, const nlohmann::json& config) = 0;
  /// Extra analysis on the test set for the record (per-exit accuracy, oracle); may be empty.
  virtual nlohmann::json analyse(const EncodedSet& test) { (void)test; return nlohmann::json::object(); }
  /// Only for the method registered with provides_base_model: a copy of its
  /// trained model and temperatures for the methods that build on it (the
  /// harness fills in the provenance). Throws greenbench::Error by default.
  virtual BaseModel provide_base_model() const;
  /// True when the method reads a "train" object of TrainOptions overrides
  /// from its config, so the harness checks its keys and ranges.
  virtual bool takes_train_overrides() const { return false; }
};

}  // namespace greenbench
