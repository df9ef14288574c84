#include "model/exit_classifier_method.h"

#include "measure/flops.h"
#include "model/checkpoint.h"
#include "util/error.h"

namespace greenbench {

nlohmann::json ExitClassifierMethod::train(MethodContext& context) {
  configure(context.config);
  BertConfig config = shape(context);
  torch::manual_seed(context.train_options.seed);
  model_ = BertClassifier(config);
  TrainOptions options = context.train_options;
  if (context.config.contains("train")) options.update_from_json(context.config.at("train"));
  TrainStats stats = train_classifier(model_, context.train, options, &context.calibration);
  return {{"train_stats", stats.to_json()}, {"train_options", options.to_json()}};
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
  return save_checkpoint(model_, dir, {{"temperatures", temperatures_}, {"calibration", to_json(calibration_)}});
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
}

void ExitClassifierMethod::predict_with_rule(const Batch& batch, ExitRule& rule, std::vector<Prediction>& out) {
  predict_with_exits(model_, batch, temperatures_, rule, out);
}

void ExitClassifierMethod::predict_with_rule(const Batch& batch, const OperatingPoint& point, ExitRule& rule,
                                             std::vector<Prediction>& out) {
  const auto engine = int8_engine_of(point);
  if (engine != active_int8_) {
    use_int8(*model_, engine);
    active_int8_ = engine;
  }
  predict_with_exits(model_, batch, temperatures_, rule, out);
}

void ExitClassifierMethod::prepare_int8_engines(const std::vector<std::string>& engines) {
  for (const auto& e : engines) prepare_int8(*model_, parse_quantized_engine(e));
  active_int8_.reset();
  use_int8(*model_, active_int8_);
}

std::optional<at::QEngine> ExitClassifierMethod::int8_engine_of(const OperatingPoint& point) {
  if (point.setting.value("arithmetic", "fp32") != "int8") return std::nullopt;
  return parse_quantized_engine(point.setting.at("engine").get<std::string>());
}

ModelShape ExitClassifierMethod::shape_at(const OperatingPoint& point) const {
  ModelShape shape = ModelShape::of_bert(model_->config, model_->parameter_count());
  const auto engine = int8_engine_of(point);
  shape.weight_bytes = inference_weight_bytes(*model_, engine.has_value());
  if (engine)
    shape.arithmetic = "int8 dynamic (" + quantized_engine_name(*engine) + "); embeddings, LayerNorm and exit heads fp32";
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
