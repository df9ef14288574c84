#include "greenbench/train_options.h"

#include <stdexcept>
#include <string>

namespace greenbench {

void OptimizerOptions::add_to_json(nlohmann::json& j) const {
  j["epochs"] = epochs;
  j["batch_size"] = batch_size;
  j["learning_rate"] = learning_rate;
  j["warmup_fraction"] = warmup_fraction;
  j["weight_decay"] = weight_decay;
  j["max_grad_norm"] = max_grad_norm;
  j["seed"] = seed;
}

void OptimizerOptions::update_from_json(const nlohmann::json& j) {
  auto get = [&](const char* key, auto& field) {
    if (j.contains(key)) j.at(key).get_to(field);
  };
  get("epochs", epochs);
  get("batch_size", batch_size);
  get("learning_rate", learning_rate);
  get("warmup_fraction", warmup_fraction);
  get("weight_decay", weight_decay);
  get("max_grad_norm", max_grad_norm);
  get("seed", seed);
}

nlohmann::json TrainOptions::to_json() const {
  nlohmann::json j = {{"exit_loss_weights", exit_loss_weights},
          {"precision", precision},
          {"select_best_epoch", select_best_epoch},
          {"optimizer", "AdamW(0.9, 0.999, eps 1e-6)"},
          {"schedule", "linear warm-up, linear decay"}};
  add_to_json(j);
  // Only when used: run settings hash these options, and records made before
  // LayerDrop existed must keep their hashes.
  if (layerdrop != 0) j["layerdrop"] = layerdrop;
  return j;
}

void TrainOptions::update_from_json(const nlohmann::json& j) {
  OptimizerOptions::update_from_json(j);
  auto get = [&](const char* key, auto& field) {
    if (j.contains(key)) j.at(key).get_to(field);
  };
  get("exit_loss_weights", exit_loss_weights);
  get("precision", precision);
  get("select_best_epoch", select_best_epoch);
  get("layerdrop", layerdrop);
  if (!(layerdrop >= 0 && layerdrop < 1)) throw std::invalid_argument("layerdrop must be in [0, 1), got " + std::to_string(layerdrop));
}

}  // namespace greenbench
