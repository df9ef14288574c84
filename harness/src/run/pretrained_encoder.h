// The suite's pretrained encoder for a task (settings "pretrain_epochs" > 0):
// masked-language pretraining on the task's training text, done once per task
// and settings, kept in the cache folder, and copied into every method's
// model that starts from it (standard, truncated, early exit and the methods
// built on them). Its cost is a one-off: the run that trains it pays it in
// its training meters; later runs load it and say so.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "greenbench/bert/bert.h"
#include "run/runner.h"

namespace greenbench {

struct PretrainedEncoder {
  BertModel encoder{nullptr};
  std::string checkpoint_dir;  ///< in the cache folder
  std::string sha256;          ///< of its model.safetensors
  nlohmann::json stats;        ///< what pretraining reported (PretrainStats), as saved
  bool pretrained_here = false;  ///< by this process, not loaded from the cache
};

/// Where the encoder of this task and settings is cached: the hash covers the
/// backbone, the pretraining options, the training role's token ids (so the
/// seeded calibration carve-out counts), the vocabulary, the maximum length,
/// the thread count and the training precision.
std::string pretrained_encoder_dir(const PreparedTask& prepared, const RunSettings& settings);

/// The encoder for this task and settings: kept in `prepared` after the first
/// call, loaded from the cache when there, else pretrained and cached.
/// Throws when the settings ask for no pretraining.
const PretrainedEncoder& obtain_pretrained_encoder(PreparedTask& prepared, const RunSettings& settings);

/// Copies the pretrained embeddings and first layers into `target` when the
/// settings ask for pretraining; returns the provenance for the record, or
/// null (and leaves `target` alone) when they do not.
nlohmann::json initialize_from_pretrained(PreparedTask& prepared, const RunSettings& settings, BertModel& target);

}  // namespace greenbench
