// layerdrop: the standard-shaped model trained with LayerDrop (Fan, Grave,
// Joulin 2020: each step skips each layer with probability p), then pruned at
// inference to evenly spaced layers (model/layer_subset.h). One trained model;
// its operating points are depths, shallowest first, so the headline (the last
// point) is the deepest one asked for: by default the full depth, the same
// shape and FLOPs as standard, which shows what LayerDrop costs or buys there;
// the shallower points are the pruned models to read against truncated.
#include <algorithm>

#include "greenbench/registry.h"
#include "model/checkpoint.h"
#include "model/exit_classifier_method.h"
#include "model/layer_subset.h"
#include "util/error.h"

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
    auto labels = torch::tensor(context.calibration.labels, torch::kLong);
    calibration_.clear();
    for (auto& model : pruned_) calibration_.push_back(calibrate_exits(exit_logits_all(model, context.calibration), labels).at(0));
    set_temperatures();
    nlohmann::json per_depth = nlohmann::json::array();
    for (size_t i = 0; i < depths_.size(); ++i) {
      per_depth.push_back({{"layers", depths_[i]}, {"kept", kept_[i]}, {"calibration", to_json({calibration_[i]})[0]}});
    }
    return {{"calibration_per_depth", per_depth}};
  }

  std::vector<OperatingPoint> operating_points() const override {
    std::vector<OperatingPoint> points;
    for (int d : depths_) points.push_back({"k=" + std::to_string(d), {{"layers", d}}});
    return points;
  }

  void predict(const Batch& batch, const OperatingPoint& point, std::vector<Prediction>& out) override {
    const size_t i = index_of(point);
    ConfidenceRule never_early(2.0);
    predict_with_exits(pruned_.at(i), batch, {depth_temperatures_.at(i)}, never_early, out);
  }

  ModelShape shape_at(const OperatingPoint& point) const override {
    const BertClassifier& model = pruned_.at(index_of(point));
    return ModelShape::of_bert(model->config, model->parameter_count());
  }

  std::string save(const std::string& dir) override {
    return save_checkpoint(model_, dir,
                           {{"temperatures", {depth_temperatures_.back()}},
                            {"depths", depths_},
                            {"depth_temperatures", depth_temperatures_},
                            {"depth_calibration", to_json(calibration_)}});
  }

  void load(const std::string& dir, const nlohmann::json& config) override {
    configure(config);
    Checkpoint checkpoint = load_checkpoint(dir);
    model_ = checkpoint.model;
    model_->eval();
    prune();
    const nlohmann::json saved = checkpoint.extra.value("depths", nlohmann::json());
    if (saved != nlohmann::json(depths_)) {
      throw Error(dir + ": the checkpoint was calibrated for depths " + saved.dump() + ", the config asks for " +
                  nlohmann::json(depths_).dump());
    }
    depth_temperatures_ = checkpoint.extra.at("depth_temperatures").get<std::vector<double>>();
    temperatures_ = {depth_temperatures_.back()};
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
  // Depths from the config (empty: every depth 1..L), checked against the model.
  void resolve_depths() {
    const int total = model_->config.num_hidden_layers;
    depths_ = requested_;
    if (depths_.empty()) {
      for (int d = 1; d <= total; ++d) depths_.push_back(d);
    }
    std::sort(depths_.begin(), depths_.end());
    depths_.erase(std::unique(depths_.begin(), depths_.end()), depths_.end());
    for (int d : depths_) {
      if (d < 1 || d > total) throw Error("layerdrop: depth " + std::to_string(d) + " is not in [1, " + std::to_string(total) + "]");
    }
  }
  void prune() {
    resolve_depths();
    pruned_.clear();
    kept_.clear();
    for (int d : depths_) {
      kept_.push_back(evenly_spaced_layers(model_->config.num_hidden_layers, d));
      pruned_.push_back(layer_subset(model_, kept_.back()));
    }
  }
  void set_temperatures() {
    depth_temperatures_.clear();
    for (const auto& c : calibration_) depth_temperatures_.push_back(c.temperature);
    temperatures_ = {depth_temperatures_.back()};
  }
  size_t index_of(const OperatingPoint& point) const {
    const int d = point.setting.at("layers").get<int>();
    const auto it = std::find(depths_.begin(), depths_.end(), d);
    if (it == depths_.end()) throw Error("layerdrop: no operating point with " + std::to_string(d) + " layers");
    return static_cast<size_t>(it - depths_.begin());
  }

  double p_ = 0.2;
  std::vector<int> requested_, depths_;
  std::vector<std::vector<int>> kept_;
  std::vector<BertClassifier> pruned_;
  std::vector<double> depth_temperatures_;
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
