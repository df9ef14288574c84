#include "run/pretrained_encoder.h"

#include <cstdio>
#include <filesystem>

#include "greenbench/bert/checkpoint.h"
#include "greenbench/bert/precision.h"
#include "greenbench/error.h"
#include "model/encoder_transfer.h"
#include "train/mlm_pretraining.h"
#include "util/sha256.h"

namespace greenbench {
namespace {
MaskingVocab masking_vocab(const Vocab& vocab) {
  MaskingVocab m;
  m.mask_id = vocab.find(Vocab::kMask);
  if (m.mask_id < 0) throw Error("pretraining needs a [MASK] token, and the vocabulary has none");
  m.size = vocab.size();
  m.never_masked = {vocab.pad_id(), vocab.unk_id(), vocab.cls_id(), vocab.sep_id(), m.mask_id};
  return m;
}

int num_labels(const PreparedTask& p) { return static_cast<int>(p.task->label_names().size()); }

// The training role's token ids: the file's sha256 does not say which
// examples the seeded calibration carve-out left in it.
std::string texts_sha256(const EncodedSet& set) {
  std::string bytes;
  for (const auto& ids : set.ids) {
    bytes.append(reinterpret_cast<const char*>(ids.data()), ids.size() * sizeof(int32_t));
    bytes.append(4, '\xff');  // -1: between texts
  }
  return sha256_hex(bytes);
}
}  // namespace

std::string pretrained_encoder_dir(const PreparedTask& p, const RunSettings& s) {
  const BertConfig backbone = s.backbone(num_labels(p), p.tokenizer->vocab().size());
  const nlohmann::json key = {{"backbone", backbone.to_json()},   {"pretrain", s.pretrain.to_json()},
                              {"train_texts_sha256", texts_sha256(p.train)},
                              {"vocab_sha256", p.tokenizer->vocab().sha256()}, {"max_len", s.max_len},
                              {"threads", s.threads}, {"precision", to_string(resolve_precision(s.train.precision))}};
  return s.cache_dir + "/pretrain-" + p.task->name() + "-" + config_hash(key);
}

const PretrainedEncoder& obtain_pretrained_encoder(PreparedTask& p, const RunSettings& s) {
  if (!s.pretrain.enabled()) throw Error("these settings ask for no pretraining (pretrain_epochs is 0)");
  if (p.pretrained) return *p.pretrained;
  auto out = std::make_shared<PretrainedEncoder>();
  out->checkpoint_dir = pretrained_encoder_dir(p, s);
  if (std::filesystem::exists(std::filesystem::path(out->checkpoint_dir) / kCheckpointConfigFile)) {
    Checkpoint checkpoint = load_checkpoint(out->checkpoint_dir);
    out->encoder = checkpoint.model->bert;
    out->sha256 = checkpoint.sha256;
    out->stats = checkpoint.extra.at("pretraining");
  } else {
    std::fprintf(stderr, "%s: pretraining the encoder (masked language model, %g epochs over %zu training texts)\n",
                 p.task->name().c_str(), s.pretrain.epochs, p.train.size());
    // The saved classifier only holds the encoder (its pooler and exit stay
    // untrained, never copied); its initial weights come from the pretraining
    // seed alone, not from the generator as the first method left it.
    torch::manual_seed(s.pretrain.seed);
    BertClassifier holder(s.backbone(num_labels(p), p.tokenizer->vocab().size()));
    PretrainOptions options = s.pretrain;
    options.progress_label = p.task->name() + " pretrain";
    options.precision = s.train.precision;  // hashed with the settings' train block
    const PretrainStats stats = pretrain_mlm(holder->bert, p.train, masking_vocab(p.tokenizer->vocab()), options);
    out->stats = stats.to_json();
    out->sha256 = save_checkpoint(holder, out->checkpoint_dir, {{"pretraining", out->stats}, {"pretrain_options", options.to_json()}});
    out->encoder = holder->bert;
    out->pretrained_here = true;
  }
  out->encoder->eval();
  p.pretrained = out;
  return *p.pretrained;
}

nlohmann::json initialize_from_pretrained(PreparedTask& p, const RunSettings& s, BertModel& target) {
  if (!s.pretrain.enabled()) return nullptr;
  const bool first_use = !p.pretrained;
  const PretrainedEncoder& pretrained = obtain_pretrained_encoder(p, s);
  copy_encoder_layers(pretrained.encoder, target);
  const bool trained_here = first_use && pretrained.pretrained_here;
  return {{"options", s.pretrain.to_json()},
          {"checkpoint", pretrained.checkpoint_dir},
          {"checkpoint_sha256", pretrained.sha256},
          {"stats", pretrained.stats},
          {"layers_copied", target->config.num_hidden_layers},
          {"trained_inside_this_run", trained_here},
          {"note", trained_here ? "pretrained inside this run's training phase, whose meters include its cost"
                                : "pretrained earlier (this process or the cache); its cost is in stats, paid once per task"}};
}

}  // namespace greenbench
