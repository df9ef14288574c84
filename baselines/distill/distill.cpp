// distill: DistilBERT-style students (Sanh et al. 2019) of the shared standard
// model. Each student depth is an operating point: a shallower model
// initialised from evenly spaced teacher layers (model/layer_subset.h), trained
// with the suite's optimiser, schedule, precision and best-epoch selection on
// alpha * T^2 * KL(teacher || student at T) + (1 - alpha) * CE, plus an
// optional hidden-state cosine loss against the teacher layers it came from;
// then its own temperature is calibrated. Points run shallowest first, so the
// headline (the last point) is the deepest student.
#include <algorithm>
#include <filesystem>

#include "baselines/distill/distillation.h"
#include "greenbench/bert/base_model.h"
#include "greenbench/bert/calibration.h"
#include "greenbench/bert/checkpoint.h"
#include "greenbench/bert/depth_models.h"
#include "greenbench/bert/layer_subset.h"
#include "greenbench/bert/trainer.h"
#include "greenbench/error.h"
#include "greenbench/registry.h"
#include "util/sha256.h"

namespace greenbench {
namespace {

class Distill : public Method {
 public:
  nlohmann::json train(MethodContext& context) override {
    configure(context.config);
    BaseModel teacher = context.base_model();
    BertClassifier teacher_model = teacher.model;
    teacher_model->eval();  // no dropout in the soft labels
    // Depths from the config; empty: 1 .. half the teacher's layers (at least 1).
    const int teacher_layers = teacher_model->config.num_hidden_layers;
    const std::vector<int> depths =
        resolve_depths(requested_, std::max(1, teacher_layers / 2), teacher_layers, "distill: student depth");
    kept_.clear();
    for (int d : depths) kept_.push_back(evenly_spaced_layers(teacher_layers, d));
    TrainOptions options = context.train_options;
    if (context.config.contains("train")) options.update_from_json(context.config.at("train"));

    students_.clear();
    nlohmann::json per_student = nlohmann::json::array();
    for (size_t i = 0; i < depths.size(); ++i) {
      BertClassifier student = layer_subset(teacher_model, kept_[i]);
      TrainOptions student_options = options;
      student_options.progress_label = options.progress_label + " k=" + std::to_string(depths[i]);
      TrainStats stats = train_classifier(student, context.train, student_options, &context.calibration,
                                          loss_hook(teacher_model, kept_[i]));
      students_.add(depths[i], student);
      per_student.push_back({{"layers", depths[i]}, {"initialised_from_teacher_layers", kept_[i]}, {"train_stats", stats.to_json()}});
    }
    return {{"teacher", teacher.provenance},
            {"distillation", {{"temperature", temperature_}, {"alpha", alpha_}, {"cosine_weight", cosine_weight_}}},
            {"students", per_student},
            {"train_options", options.to_json()}};
  }

  bool takes_train_overrides() const override { return true; }

  nlohmann::json calibrate(MethodContext& context) override {
    return {{"calibration_per_student", students_.calibrate(context.calibration)}};
  }

  std::vector<OperatingPoint> operating_points() const override { return students_.operating_points(); }

  void predict(const Batch& batch, const OperatingPoint& point, std::vector<Prediction>& out) override {
    students_.predict(batch, point, out);
  }

  ModelShape shape_at(const OperatingPoint& point) const override { return students_.shape_at(point); }

  /// One checkpoint folder per student; the returned sha256 covers them all.
  std::string save(const std::string& dir) override {
    Sha256 combined;
    for (size_t i = 0; i < students_.depths().size(); ++i) {
      BertClassifier student = students_.models()[i];  // a handle: the same module
      combined.update(save_checkpoint(student, student_dir(dir, students_.depths()[i]),
                                      {{"temperatures", {students_.temperatures()[i]}},
                                       {"calibration", nlohmann::json::array({students_.calibration()[i]})},
                                       {"initialised_from_teacher_layers", kept_.at(i)}}));
    }
    return combined.hex_digest();
  }

  void load(const std::string& dir, const nlohmann::json& config) override {
    configure(config);
    students_.clear();
    kept_.clear();
    std::vector<int> depths = requested_;
    if (depths.empty()) {
      // The default depths depend on the teacher's: take the folders there are.
      for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        if (entry.is_directory() && name.rfind("student-k", 0) == 0) depths.push_back(std::stoi(name.substr(9)));
      }
      if (depths.empty()) throw Error(dir + ": no student-k* folders: not a distill checkpoint");
    }
    std::sort(depths.begin(), depths.end());
    depths.erase(std::unique(depths.begin(), depths.end()), depths.end());
    for (int d : depths) {
      Checkpoint checkpoint = load_checkpoint(student_dir(dir, d));
      if (checkpoint.config.num_hidden_layers != d) {
        throw Error(student_dir(dir, d) + ": holds " + std::to_string(checkpoint.config.num_hidden_layers) + " layers");
      }
      checkpoint.model->eval();
      const nlohmann::json calibration = checkpoint.extra.value("calibration", nlohmann::json::array());
      students_.add(d, checkpoint.model, checkpoint.extra.at("temperatures").at(0).get<double>(),
                    calibration.empty() ? nlohmann::json(nullptr) : calibration.at(0));
      kept_.push_back(checkpoint.extra.at("initialised_from_teacher_layers").get<std::vector<int>>());
    }
  }

 private:
  static std::string student_dir(const std::string& dir, int depth) { return dir + "/student-k" + std::to_string(depth); }

  void configure(const nlohmann::json& config) {
    temperature_ = config.at("temperature").get<double>();
    alpha_ = config.at("alpha").get<double>();
    cosine_weight_ = config.at("cosine_weight").get<double>();
    requested_ = config.at("depths").get<std::vector<int>>();
    if (!(temperature_ > 0)) throw Error("distill: 'temperature' must be > 0, got " + std::to_string(temperature_));
    if (!(alpha_ >= 0 && alpha_ <= 1)) throw Error("distill: 'alpha' must be in [0, 1], got " + std::to_string(alpha_));
    if (!(cosine_weight_ >= 0)) throw Error("distill: 'cosine_weight' must be >= 0, got " + std::to_string(cosine_weight_));
  }

  // The student's loss from the teacher's logits on the same batch (under the
  // step's autocast, without gradients), and its hidden states when asked.
  LossHook loss_hook(BertClassifier teacher, std::vector<int> teacher_layers) const {
    LossHook hook;
    hook.needs_hidden = cosine_weight_ > 0;
    const double temperature = temperature_, alpha = alpha_, cosine_weight = cosine_weight_;
    hook.loss = [teacher, teacher_layers, temperature, alpha, cosine_weight](const Batch& batch,
                                                                           const ForwardResult& student) mutable {
      ForwardResult taught;
      {
        torch::NoGradGuard no_grad;
        ForwardOptions options;
        options.keep_hidden = cosine_weight > 0;
        taught = teacher->forward_with(batch.input, options);
      }
      auto loss = distillation_loss(student.logits.back(), taught.logits.back(), batch.labels, temperature, alpha);
      if (cosine_weight > 0) {
        std::vector<torch::Tensor> matching;
        for (int layer : teacher_layers) matching.push_back(taught.hidden.at(static_cast<size_t>(layer)));
        loss = loss + cosine_weight * hidden_cosine_loss(student.hidden, matching, batch.input.attention_mask);
      }
      return loss;
    };
    return hook;
  }

  double temperature_ = 2, alpha_ = 0.5, cosine_weight_ = 0;
  std::vector<int> requested_;
  std::vector<std::vector<int>> kept_;
  DepthModels students_{"distill"};
};

}  // namespace

void register_method_distill(MethodRegistry& registry) {
  registry.add({"distill", "baseline",
                "DistilBERT-style students of the standard model, one per depth, initialised from evenly spaced teacher "
                "layers (config: depths ([] = 1..L/2), temperature, alpha, cosine_weight)",
                {{"depths", nlohmann::json::array()}, {"temperature", 2.0}, {"alpha", 0.5}, {"cosine_weight", 0.0}},
                [] { return std::make_unique<Distill>(); }});
}

}  // namespace greenbench
