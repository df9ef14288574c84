#include "greenbench/bert/exit_classifier_method.h"

#include "greenbench/bert/checkpoint.h"
#include "greenbench/bert/trainer.h"
#include "greenbench/error.h"
#include "measure/flops.h"

namespace greenbench {

nlohmann::json ExitClassifierMethod::train(MethodContext& context) {
  configure(context.config);
  BertConfig config = shape(context);
  torch::manual_seed(context.train_options.seed);
  model_ = BertClassifier(config);
  const nlohmann::json pretrained = context.initialize_encoder ? context.initialize_encoder(model_->bert) : nullptr;
  TrainOptions options = context.train_options;
  if (context.config.contains("train")) options.update_from_json(context.config.at("train"));
  TrainStats stats = train_classifier(model_, context.train, options, &context.calibration);
  nlohmann::json facts = {{"train_stats", stats.to_json()}, {"train_options", options.to_json()}};
  if (!pretrained.is_null()) facts["pretrained_encoder"] = pretrained;
  return facts;
}

nlohmann::json ExitClassifierMethod::calibrate(MethodContext& context) {
  auto logits = exit_logits_all(model_, context.calibration);
  auto labels = torch::tensor(context.calibration.labels, torch::kLong);
  calibration_ = calibrate_exits(logits, labels);
  temperatures_.clear();
  for (const auto& c : calibration_) temperatures_.push_back(c.temperature);
  return {{"calibration", to_json(calibration_)}};
}

std::string ExitClassifierMethod::save(const std::string& dir) {
  nlohmann::json extra = {{"temperatures", temperatures_}, {"calibration", to_json(calibration_)}};
  if (!activation_ranges_.empty()) extra["activation_ranges"] = activation_ranges_;
  return save_checkpoint(model_, dir, extra);
}

void ExitClassifierMethod::load(const std::string& dir, const nlohmann::json& config) {
  configure(config);
  Checkpoint checkpoint = load_checkpoint(dir);
  model_ = checkpoint.model;
  model_->eval();
  temperatures_ = checkpoint.extra.at("temperatures").get<std::vector<double>>();
  if (static_cast<int>(temperatures_.size()) != model_->num_exits()) {
    throw Error(dir + ": " + std::to_string(temperatures_.size()) + " temperatures for " +
                std::to_string(model_->num_exits()) + " exits");
  }
  activation_ranges_ = checkpoint.extra.value("activation_ranges", nlohmann::json::object());
  try {
    restore_observed_ranges(*model_, activation_ranges_);
  } catch (const std::exception& e) {  // ours, or nlohmann's for a malformed entry
    throw Error(dir + ": activation_ranges: " + e.what());
  }
}

BaseModel ExitClassifierMethod::provide_base_model() const {
  if (!model_) throw Error("provide_base_model: the model is not trained or loaded yet");
  BaseModel base;
  base.model = clone_classifier(model_);
  base.temperatures = temperatures_;
  return base;
}

void ExitClassifierMethod::predict_with_rule(const Batch& batch, ExitRule& rule, std::vector<Prediction>& out) {
  predict_with_exits(model_, batch, temperatures_, rule, out);
}

void ExitClassifierMethod::predict_with_rule(const Batch& batch, const OperatingPoint& point, ExitRule& rule,
                                             std::vector<Prediction>& out) {
  const auto int8 = int8_arithmetic_of(point);
  if (int8 != active_int8_) {
    if (int8) use_int8(*model_, int8->engine, int8->activations);
    else use_int8(*model_, std::nullopt);
    active_int8_ = int8;
  }
  predict_with_exits(model_, batch, temperatures_, rule, out);
}

void ExitClassifierMethod::prepare_int8_engines(const std::vector<std::string>& engines) {
  for (const auto& e : engines) prepare_int8(*model_, parse_quantized_engine(e));
  active_int8_.reset();
  use_int8(*model_, std::nullopt);
}

nlohmann::json ExitClassifierMethod::observe_activation_ranges(const EncodedSet& set) {
  use_int8(*model_, std::nullopt);  // fp32 while observing; scales are fixed again at the next int8 point
  active_int8_.reset();
  observe_ranges(*model_, true);
  exit_logits_all(model_, set);
  observe_ranges(*model_, false);
  activation_ranges_ = observed_ranges_to_json(*model_);
  return {{"observer", "min/max over the calibration role, per tensor"},
          {"instances", set.size()},
          {"linear_layers", activation_ranges_.size()}};
}

void ExitClassifierMethod::require_activation_ranges(const std::string& dir) const {
  if (activation_ranges_.empty())
    throw Error(dir + ": saved without int8 activation ranges, which calibrated int8 needs; train it again, or "
                      "use dynamic activations");
}

std::optional<ExitClassifierMethod::Int8Arithmetic> ExitClassifierMethod::int8_arithmetic_of(const OperatingPoint& point) {
  if (point.setting.value("arithmetic", "fp32") != "int8") return std::nullopt;
  return Int8Arithmetic{parse_quantized_engine(point.setting.at("engine").get<std::string>()),
                        parse_int8_activations(point.setting.value("activations", "dynamic"))};
}

ModelShape ExitClassifierMethod::shape_at(const OperatingPoint& point) const {
  ModelShape shape = ModelShape::of_bert(model_->config, model_->parameter_count());
  const auto int8 = int8_arithmetic_of(point);
  shape.weight_bytes = inference_weight_bytes(*model_, int8.has_value());
  if (int8) {
    shape.arithmetic = "int8 " + int8_activations_name(int8->activations) + " (" + quantized_engine_name(int8->engine) +
                       "); embeddings, LayerNorm, attention products and exit heads fp32";
  }
  return shape;
}

nlohmann::json exit_analysis(BertClassifier& model, const EncodedSet& set) {
  auto logits = exit_logits_all(model, set);
  const auto& config = model->config;
  const int64_t n = static_cast<int64_t>(set.size());
  const int num_exits = model->num_exits();
  std::vector<torch::Tensor> correct;
  nlohmann::json per_exit = nlohmann::json::array();
  auto labels = torch::tensor(set.labels, torch::kLong);
  for (int e = 0; e < num_exits; ++e) {
    correct.push_back(logits[e].argmax(1).eq(labels));
    per_exit.push_back({{"layer", config.exit_layers[e]}, {"accuracy", correct.back().to(torch::kDouble).mean().item<double>()}});
  }
  int64_t oracle_correct = 0;
  double oracle_flops = 0;
  std::vector<int64_t> histogram(static_cast<size_t>(num_exits), 0);
  for (int64_t i = 0; i < n; ++i) {
    int chosen = num_exits - 1;
    for (int e = 0; e < num_exits; ++e) {
      if (correct[e][i].item<bool>()) {
        chosen = e;
        ++oracle_correct;
        break;
      }
    }
    histogram[static_cast<size_t>(chosen)] += 1;
    oracle_flops += instance_flops(config, static_cast<int>(set.ids[i].size()), config.exit_layers[chosen] + 1, chosen + 1);
  }
  return {{"per_exit", per_exit},
          {"oracle", {{"accuracy", n ? static_cast<double>(oracle_correct) / n : 0.0},
                      {"flops_per_instance", n ? oracle_flops / n : 0.0},
                      {"exit_histogram", histogram}}}};
}

}  // namespace greenbench
