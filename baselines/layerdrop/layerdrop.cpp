// layerdrop: the standard-shaped model trained with LayerDrop (Fan, Grave,
// Joulin 2020: each step skips each layer with probability p), then pruned at
// inference to evenly spaced layers (model/layer_subset.h). One trained model;
// its operating points are depths, shallowest first, so the headline (the last
// point) is the deepest one asked for: by default the full depth, the same
// shape and FLOPs as standard, which shows what LayerDrop costs or buys there;
// the shallower points are the pruned models to read against truncated.
#include <algorithm>

#include "greenbench/bert/checkpoint.h"
#include "greenbench/bert/depth_models.h"
#include "greenbench/bert/exit_classifier_method.h"
#include "greenbench/bert/layer_subset.h"
#include "greenbench/error.h"
#include "greenbench/registry.h"

namespace greenbench {
namespace {

class LayerDrop : public ExitClassifierMethod {
 public:
  nlohmann::json train(MethodContext& context) override {
    configure(context.config);
    MethodContext dropping = context;
    dropping.train_options.layerdrop = p_;
    nlohmann::json facts = ExitClassifierMethod::train(dropping);
    facts["layerdrop"] = p_;
    return facts;
  }

  /// One temperature per depth: each pruned model's logits differ.
  nlohmann::json calibrate(MethodContext& context) override {
    prune();
    nlohmann::json per_depth = pruned_.calibrate(context.calibration);
    for (size_t i = 0; i < kept_.size(); ++i) per_depth[i]["kept"] = kept_[i];
    temperatures_ = {pruned_.temperatures().back()};
    return {{"calibration_per_depth", per_depth}};
  }

  std::vector<OperatingPoint> operating_points() const override { return pruned_.operating_points(); }

  void predict(const Batch& batch, const OperatingPoint& point, std::vector<Prediction>& out) override {
    pruned_.predict(batch, point, out);
  }

  ModelShape shape_at(const OperatingPoint& point) const override { return pruned_.shape_at(point); }

  std::string save(const std::string& dir) override {
    return save_checkpoint(model_, dir,
                           {{"temperatures", {pruned_.temperatures().back()}},
                            {"depths", pruned_.depths()},
                            {"depth_temperatures", pruned_.temperatures()},
                            {"depth_calibration", pruned_.calibration()}});
  }

  void load(const std::string& dir, const nlohmann::json& config) override {
    configure(config);
    Checkpoint checkpoint = load_checkpoint(dir);
    model_ = checkpoint.model;
    model_->eval();
    const auto depths = resolve_depths(requested_, model_->config.num_hidden_layers, model_->config.num_hidden_layers, "layerdrop: depth");
    const nlohmann::json saved = checkpoint.extra.value("depths", nlohmann::json());
    if (saved != nlohmann::json(depths)) {
      throw Error(dir + ": the checkpoint was calibrated for depths " + saved.dump() + ", the config asks for " +
                  nlohmann::json(depths).dump());
    }
    prune(checkpoint.extra.at("depth_temperatures").get<std::vector<double>>(),
          checkpoint.extra.value("depth_calibration", nlohmann::json::array()));
    temperatures_ = {pruned_.temperatures().back()};
  }

 protected:
  void configure(const nlohmann::json& config) override {
    p_ = config.at("p").get<double>();
    if (!(p_ >= 0 && p_ < 1)) throw Error("layerdrop: 'p' must be in [0, 1), got " + std::to_string(p_));
    requested_ = config.at("depths").get<std::vector<int>>();
  }

  BertConfig shape(const MethodContext& context) const override {
    BertConfig config = context.model_config;
    config.exit_layers = {config.num_hidden_layers - 1};
    return config;
  }

 private:
  // The model cut to evenly spaced layers at each depth of the config (empty:
  // every depth 1..L), with a checkpoint's temperatures and calibration facts
  // when given, else temperature 1.
  void prune(const std::vector<double>& temperatures = {}, const nlohmann::json& calibration = nlohmann::json::array()) {
    const int total = model_->config.num_hidden_layers;
    const auto depths = resolve_depths(requested_, total, total, "layerdrop: depth");
    if (!temperatures.empty() && temperatures.size() != depths.size())
      throw Error("layerdrop: " + std::to_string(temperatures.size()) + " temperatures for " + std::to_string(depths.size()) + " depths");
    pruned_.clear();
    kept_.clear();
    for (size_t i = 0; i < depths.size(); ++i) {
      kept_.push_back(evenly_spaced_layers(total, depths[i]));
      pruned_.add(depths[i], layer_subset(model_, kept_.back()), temperatures.empty() ? 1.0 : temperatures[i],
                  i < calibration.size() ? calibration[i] : nlohmann::json(nullptr));
    }
  }

  double p_ = 0.2;
  std::vector<int> requested_;
  std::vector<std::vector<int>> kept_;
  DepthModels pruned_{"layerdrop"};
};

}  // namespace

void register_method_layerdrop(MethodRegistry& registry) {
  registry.add({"layerdrop", "baseline",
                "the standard model trained with LayerDrop, pruned to evenly spaced layers at inference (config: p, depths; "
                "depths [] = 1..L)",
                {{"p", 0.2}, {"depths", nlohmann::json::array()}},
                [] { return std::make_unique<LayerDrop>(); }});
}

}  // namespace greenbench
