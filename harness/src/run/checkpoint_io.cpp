// Checkpoint folders of trained methods: saved with the method's weights,
// the vocabulary and run.json (task, method, config, settings, training),
// then SHA256SUMS over every file; read back only after every file checks out.
#include "greenbench/error.h"
#include "greenbench/registry.h"
#include "model/checkpoint_manifest.h"
#include "run/runner.h"
#include "util/atomic_file.h"

namespace greenbench {

void save_trained(const PreparedTask& p, TrainedMethod& t, const RunSettings& s, const std::string& dir) {
  check_checkpoint_folder(dir);
  const std::string weights_sha = t.method->save(dir);
  t.training["checkpoint_sha256"] = weights_sha;
  p.tokenizer->vocab().save(dir + "/vocab.txt");
  nlohmann::json run = {{"task", p.task->name()}, {"method", t.name}, {"config", t.config},
                        {"config_hash", t.config_hash}, {"settings", s.to_json()}, {"training", t.training},
                        {"model_sha256", weights_sha}};
  write_file_atomic(dir + "/run.json", run.dump(2) + "\n");
  // Last, over everything above: a save killed before this line leaves no
  // manifest, and the folder is refused on load.
  write_checkpoint_manifest(dir);
}

std::pair<std::string, RunSettings> checkpoint_run_settings(const std::string& dir, const RunSettings& overrides) {
  // Its vocabulary and settings are used from here on: checked first.
  verify_checkpoint_manifest(dir);
  const std::string path = dir + "/run.json";
  nlohmann::json run;
  try {
    run = nlohmann::json::parse(read_file(path));
  } catch (const nlohmann::json::exception& e) {
    throw Error(path + ": not a greenbench run file: " + e.what());
  }
  RunSettings s = overrides;
  const auto& saved = run.at("settings");
  s.max_len = saved.at("max_len");
  s.model_size = saved.at("model_size");
  s.num_layers = saved.at("num_layers");
  s.pooling = saved.at("pooling");
  s.seed = saved.at("seed");
  s.train.update_from_json(saved.at("train"));
  if (saved.contains("pretrain")) s.pretrain.update_from_json(saved.at("pretrain"));
  s.roles.calibration_fraction = saved.at("roles").at("calibration_fraction");
  s.roles.seed = saved.at("roles").at("seed");
  // The same roles as when it was trained, so the test role is the same subset.
  s.roles.max_train = saved.at("roles").value("max_train", s.roles.max_train);
  s.roles.max_calibration = saved.at("roles").value("max_calibration", s.roles.max_calibration);
  s.roles.max_test = saved.at("roles").value("max_test", s.roles.max_test);
  s.vocab_size = saved.value("vocab_size", s.vocab_size);
  s.vocab_file = dir + "/vocab.txt";
  return {run.at("task").get<std::string>(), s};
}

TrainedMethod load_trained(const std::string& dir) {
  verify_checkpoint_manifest(dir);
  nlohmann::json run = nlohmann::json::parse(read_file(dir + "/run.json"));
  TrainedMethod t;
  t.name = run.at("method");
  t.config = run.at("config");
  t.config_hash = run.at("config_hash");
  t.training = run.at("training");
  t.training["loaded_from"] = dir;
  t.method = method_registry().get(t.name).make();
  t.method->load(dir, t.config);
  return t;
}

}  // namespace greenbench
