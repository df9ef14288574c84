// THE settings table: one row per setting of a run. To add a setting, add its
// row here (and, for a new knob, the field the code reading it uses); the
// command line (cli/settings_options.cpp), the suite parser (run/suite.cpp),
// range validation and the config hash (hashed_settings.cpp) follow from it.
//
// A row: its canonical name (suite key; flag with '-'), old names still
// accepted, who may give it, the RunSettings field (its type), where the
// hash keeps it, its range or choices, its meaning (errors) and help (--help).
// The hash paths must not move: they are the JSON of every config hash and
// record made so far (tests/core/test_config_hash.cpp pins it).
#include "greenbench/bert_config.h"
#include "settings/settings_table.h"

#include <limits>

namespace greenbench {
namespace {

using settings_detail::integers;
using settings_detail::kMaxBatch;
using settings_detail::kMaxEpochs;
using settings_detail::kMaxLayers;
using settings_detail::kUint64Max;
using settings_detail::numbers;

constexpr long double kIntMax = std::numeric_limits<int>::max();
// More threads than this is a typo: LibTorch and the BLAS spawn them all.
constexpr long double kMaxThreads = 1024;
constexpr long double kMaxLength = 1 << 16;

// The field a row reads and writes, e.g. FIELD(train.learning_rate).
#define FIELD(member) [](RunSettings& s) -> SettingField { return &s.member; }

// Builds a row one column at a time, so each row reads as a line of a table.
struct Row {
  Setting s;
  Row(std::string name, GivenBy by, std::function<SettingField(RunSettings&)> field) {
    s.name = std::move(name);
    s.given_by = by;
    s.field = std::move(field);
  }
  Row& old(std::string name) { return s.old_names.push_back(std::move(name)), *this; }
  Row& hashed(std::string path, std::function<bool(const RunSettings&)> when = nullptr) {
    s.hash_path = std::move(path);
    s.hashed_when = std::move(when);
    return *this;
  }
  Row& range(AllowedRange r) { return s.range = r, *this; }
  Row& choices(std::vector<std::string> c) { return s.choices = std::move(c), *this; }
  Row& meaning(std::string m) { return s.meaning = std::move(m), *this; }
  Row& help(std::string h) { return s.help = std::move(h), *this; }
};

// Pretraining's settings are hashed only when it runs, so runs made before
// pretraining existed keep their hashes.
bool pretraining(const RunSettings& s) { return s.pretrain.enabled(); }

std::vector<Setting> make_table() {
  constexpr GivenBy cli = GivenBy::command_line, suite = GivenBy::suite, both = GivenBy::both, nobody = GivenBy::nobody;
  const AllowedRange positive_batch = integers(1, kMaxBatch);
  const AllowedRange learning_rate = numbers(0, 1, true);
  const AllowedRange any_seed = integers(0, kUint64Max);
  const AllowedRange subsample = integers(0, kUint64Max);
  std::string preset_list;  // the presets BertConfig knows, for --size's help
  for (const auto& name : BertConfig::preset_names()) preset_list += (preset_list.empty() ? "" : ", ") + name;
  std::vector<Row> rows = {
      // Where things go: no prediction depends on them.
      Row("results", cli, FIELD(results_dir)).meaning("results folder").help("where records are written"),
      Row("cache", cli, FIELD(cache_dir)).meaning("cache folder")
          .help("where learned vocabularies and pretrained encoders are kept"),
      // The model and its input.
      Row("vocab_file", cli, FIELD(vocab_file)).old("vocab").hashed("/vocab_file").meaning("pretrained vocabulary file")
          .help("a pretrained vocab.txt (default: learn one from the training split)"),
      Row("model_size", both, FIELD(model_size)).old("size").hashed("/model_size").meaning("model size preset")
          .help("model size preset: " + preset_list),
      Row("num_layers", both, FIELD(num_layers)).old("layers").hashed("/num_layers").range(integers(0, kMaxLayers))
          .meaning("encoder layers (0: the size preset's)").help("override the preset's number of layers (0: keep)"),
      Row("pooling", both, FIELD(pooling)).hashed("/pooling").choices({"cls", "mean"})
          .meaning("summary each exit reads").help("summary each exit reads: cls or mean"),
      Row("max_len", both, FIELD(max_len)).hashed("/max_len").range(integers(4, kMaxLength))
          .meaning("word pieces per instance").help("word pieces per instance, special tokens included"),
      Row("vocab_size", both, FIELD(vocab_size)).hashed("/vocab_size").range(integers(5, 1 << 24))
          .meaning("learned vocabulary size (at least the 5 special tokens)").help("size of the learned vocabulary"),
      // Fine-tuning.
      Row("epochs", both, FIELD(train.epochs)).hashed("/train/epochs").range(numbers(0, kMaxEpochs, true))
          .meaning("training epochs").help("training epochs (fractions allowed)"),
      Row("batch_size", both, FIELD(train.batch_size)).hashed("/train/batch_size").range(positive_batch)
          .meaning("training batch size").help("training batch size"),
      Row("learning_rate", both, FIELD(train.learning_rate)).old("lr").hashed("/train/learning_rate").range(learning_rate)
          .meaning("peak learning rate").help("peak learning rate (AdamW)"),
      // Pretraining.
      Row("pretrain_epochs", both, FIELD(pretrain.epochs)).hashed("/pretrain/epochs", pretraining)
          .range(numbers(0, kMaxEpochs)).meaning("pretraining epochs (0: none)")
          .help("masked-language pretraining of the encoder on the task's training text, in epochs, before standard, "
                "truncated, early exit and the methods built on them (0: none; cached per task in --cache)"),
      Row("pretrain_learning_rate", both, FIELD(pretrain.learning_rate)).old("pretrain_lr")
          .hashed("/pretrain/learning_rate", pretraining).range(learning_rate)
          .meaning("pretrain learning rate (peak)").help("peak learning rate of pretraining (AdamW)"),
      // Evaluation and the data's roles.
      Row("eval_batch_size", both, FIELD(eval_batch_size)).hashed("/eval_batch_size").range(positive_batch)
          .meaning("evaluation batch size").help("batch size for evaluation"),
      Row("max_train", both, FIELD(roles.max_train)).hashed("/roles/max_train").range(subsample)
          .meaning("training subsample (0: all)").help("subsample the training role to this many (0: all)"),
      Row("max_test", both, FIELD(roles.max_test)).hashed("/roles/max_test").range(subsample)
          .meaning("test subsample (0: all)").help("subsample the test role (0: all)"),
      Row("max_calibration", both, FIELD(roles.max_calibration)).hashed("/roles/max_calibration").range(subsample)
          .meaning("calibration subsample (0: all)").help("subsample the calibration role (0: all)"),
      // A suite gives its seeds as "seeds" (and a sweep may draw "seed"), not as a setting.
      Row("seed", cli, FIELD(seed)).hashed("/seed").range(any_seed)
          .meaning("seed").help("seed for initialisation, shuffling and carve-outs"),
      Row("threads", both, FIELD(threads)).hashed("/threads").range(integers(1, kMaxThreads)).meaning("threads")
          .help("threads to use: fp32 work gives them to the BLAS, bf16 training to LibTorch's pool (recorded)"),
      // Measurement and its price: recorded, never hashed.
      Row("latency_instances", both, FIELD(measure.latency_instances)).range(integers(0, kIntMax))
          .meaning("instances timed at batch 1").help("test instances timed one at a time (batch 1) per operating point"),
      Row("latency_warmup_passes", both, FIELD(measure.latency_warmup_passes)).range(integers(0, 1000))
          .meaning("untimed warm-up passes")
          .help("untimed passes, before timing, over other test instances of the timed ones' lengths (1: every input "
                "shape seen once)"),
      Row("tdp_watts_per_core", cli, FIELD(measure.tdp_watts_per_core)).range(numbers(0, 10000, true))
          .meaning("TDP per core, watts")
          .help("TDP per core for the energy estimate where energy cannot be measured (default: CodeCarbon's 4 W)"),
      Row("grid_intensity", cli, FIELD(measure.carbon.grid_g_co2e_per_kwh)).range(numbers(0, 1e5))
          .meaning("grid carbon intensity, g CO2e per kWh")
          .help("grid carbon intensity, g CO2e per kWh (default: world average 2023)"),
      Row("price_per_kwh", cli, FIELD(measure.carbon.price_per_kwh)).range(numbers(0, 1e5))
          .meaning("electricity price per kWh")
          .help("electricity price per kWh (default: US industrial average 2023, USD)"),
      Row("precision", both, FIELD(train.precision)).hashed("/train/precision").choices({"auto", "fp32", "bf16"})
          .meaning("training precision")
          .help("training precision: auto (bf16 where the CPU has AMX/AVX512-BF16), fp32, bf16; evaluation runs in fp32"),
      // Suite files only.
      Row("warmup_fraction", suite, FIELD(train.warmup_fraction)).hashed("/train/warmup_fraction")
          .range(numbers(0, 1, false, true)).meaning("share of steps warming up")
          .help("share of training steps with a linearly rising learning rate"),
      Row("weight_decay", suite, FIELD(train.weight_decay)).hashed("/train/weight_decay").range(numbers(0, 1))
          .meaning("AdamW weight decay").help("AdamW weight decay (not on biases and LayerNorm weights)"),
      Row("pretrain_seed", suite, FIELD(pretrain.seed)).hashed("/pretrain/seed", pretraining).range(any_seed)
          .meaning("pretraining seed").help("seed of pretraining's masking and shuffling"),
      // Hashed but given by no one: fixed by the harness or copied from
      // another setting (the run's seed), or set by a method's "train" config.
      Row("max_grad_norm", nobody, FIELD(train.max_grad_norm)).hashed("/train/max_grad_norm")
          .range(numbers(0, 1e6, true)).meaning("gradient clipping norm").help("gradient clipping norm"),
      // Only when used, so runs made before LayerDrop existed keep their hashes.
      Row("layerdrop", nobody, FIELD(train.layerdrop)).hashed("/train/layerdrop", [](const RunSettings& s) {
        return s.train.layerdrop != 0;
      }).range(numbers(0, 1, false, true)).meaning("LayerDrop probability").help("LayerDrop probability per layer and step"),
      Row("exit_loss_weights", nobody, FIELD(train.exit_loss_weights)).hashed("/train/exit_loss_weights")
          .meaning("loss weight per exit").help("loss weight per exit (empty: all 1)"),
      Row("select_best_epoch", nobody, FIELD(train.select_best_epoch)).hashed("/train/select_best_epoch")
          .meaning("keep the best epoch").help("keep the epoch with the best calibration accuracy"),
      Row("train_seed", nobody, FIELD(train.seed)).hashed("/train/seed").range(any_seed)
          .meaning("seed").help("training's seed (the run's seed)"),
      Row("calibration_fraction", nobody, FIELD(roles.calibration_fraction)).hashed("/roles/calibration_fraction")
          .range(numbers(0, 1, true, true)).meaning("share of train carved out for calibration")
          .help("share of train carved out when the task has no test file"),
      Row("roles_seed", nobody, FIELD(roles.seed)).hashed("/roles/seed").range(any_seed)
          .meaning("seed of the carve-out and subsamples").help("seed of the carve-out and subsamples (the run's seed)"),
      Row("pretrain_batch_size", nobody, FIELD(pretrain.batch_size)).hashed("/pretrain/batch_size", pretraining)
          .range(positive_batch).meaning("pretraining batch size").help("pretraining batch size"),
      Row("pretrain_warmup_fraction", nobody, FIELD(pretrain.warmup_fraction))
          .hashed("/pretrain/warmup_fraction", pretraining).range(numbers(0, 1, false, true))
          .meaning("share of pretraining steps warming up").help("share of pretraining steps warming up"),
      Row("pretrain_weight_decay", nobody, FIELD(pretrain.weight_decay)).hashed("/pretrain/weight_decay", pretraining)
          .range(numbers(0, 1)).meaning("pretraining weight decay").help("pretraining AdamW weight decay"),
      Row("pretrain_max_grad_norm", nobody, FIELD(pretrain.max_grad_norm))
          .hashed("/pretrain/max_grad_norm", pretraining).range(numbers(0, 1e6, true))
          .meaning("pretraining gradient clipping norm").help("pretraining gradient clipping norm"),
      Row("pretrain_mask_probability", nobody, FIELD(pretrain.mask_probability))
          .hashed("/pretrain/mask_probability", pretraining).range(numbers(0, 1, true, true))
          .meaning("share of tokens masked").help("share of word pieces masked in pretraining"),
  };
  std::vector<Setting> table;
  for (auto& row : rows) table.push_back(std::move(row.s));
  return table;
}

#undef FIELD

}  // namespace

const std::vector<Setting>& settings_table() {
  static const std::vector<Setting> table = make_table();
  return table;
}

const Setting* find_setting(const std::string& key) {
  for (const auto& row : settings_table()) {
    if (row.answers_to(key)) return &row;
  }
  return nullptr;
}

const std::vector<HashedFact>& hashed_facts() {
  // As TrainOptions::to_json and PretrainOptions::to_json describe the code.
  static const std::vector<HashedFact> facts = {
      {"/train/optimizer", "AdamW(0.9, 0.999, eps 1e-6)", nullptr},
      {"/train/schedule", "linear warm-up, linear decay", nullptr},
      {"/pretrain/objective", "masked language model (BERT), on the task's training text", pretraining},
      {"/pretrain/replacement", "80% [MASK], 10% random token, 10% unchanged", pretraining},
  };
  return facts;
}

}  // namespace greenbench
