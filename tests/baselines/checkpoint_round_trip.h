// Saves a trained method as a checkpoint folder, loads it back, and checks
// that at every operating point the loaded method answers a test batch as
// the trained one did (labels, confidences, compute paths) with the same
// model shape. Include after catch.hpp.
#pragma once

#include <string>
#include <vector>

#include "core_fixtures.h"
#include "data/batching.h"
#include "run/runner.h"

namespace greenbench::core_test {

inline void check_checkpoint_answers_alike(const PreparedTask& prepared, TrainedMethod& trained, const RunSettings& settings,
                                           const std::string& name) {
  TempDir ckpt(name);
  save_trained(prepared, trained, settings, ckpt.path());
  TrainedMethod loaded = load_trained(ckpt.path());
  const auto points = trained.method->operating_points();
  REQUIRE(loaded.method->operating_points().size() == points.size());
  const Batch batch = collate(prepared.test, sorted_batches(prepared.test, 16).front());
  for (const auto& point : points) {
    INFO(point.name);
    std::vector<Prediction> before, after;
    trained.method->predict(batch, point, before);
    loaded.method->predict(batch, point, after);
    REQUIRE(before.size() == after.size());
    for (size_t i = 0; i < before.size(); ++i) {
      CHECK(after[i].label == before[i].label);
      CHECK(after[i].confidence == before[i].confidence);  // the same weights, the same arithmetic
      CHECK(after[i].layers_run == before[i].layers_run);
      CHECK(after[i].exits_evaluated == before[i].exits_evaluated);
    }
    CHECK(loaded.method->shape_at(point).to_json() == trained.method->shape_at(point).to_json());
  }
}

}  // namespace greenbench::core_test
