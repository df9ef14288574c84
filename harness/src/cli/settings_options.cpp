#include "cli/settings_options.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include "data/roles.h"
#include "greenbench/bert/precision.h"
#include "run/settings_validation.h"

namespace greenbench {

CLI::Validator unsigned_integer() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        // CLI11 reads "-1" into an unsigned option as 2^64-1; refuse the sign
        // (and anything that is not plain digits) before it converts.
        const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
        errno = 0;
        if (digits) std::strtoull(text.c_str(), nullptr, 10);
        if (!digits || errno == ERANGE) return "expected an integer in [0, 18446744073709551615], got " + text;
        return "";
      },
      "UINT");
}

void add_settings_options(CLI::App& c, RunSettings& s, std::string& data_flag) {
  c.add_option("--data", data_flag, "data folder (default: $GREENBENCH_DATA, else ./data)");
  c.add_option("--results", s.results_dir, "where records are written")->capture_default_str();
  c.add_option("--cache", s.cache_dir, "where learned vocabularies and pretrained encoders are kept")->capture_default_str();
  c.add_option("--vocab", s.vocab_file, "a pretrained vocab.txt (default: learn one from the training split)");
  c.add_option("--size", s.model_size, "model size preset: tiny, mini, small, medium, base, large")->capture_default_str();
  c.add_option("--layers", s.num_layers, "override the preset's number of layers (0: keep)")->capture_default_str();
  c.add_option("--pooling", s.pooling, "summary each exit reads: cls or mean")->capture_default_str();
  c.add_option("--max-len", s.max_len, "word pieces per instance, special tokens included")->capture_default_str();
  c.add_option("--vocab-size", s.vocab_size, "size of the learned vocabulary")->capture_default_str();
  c.add_option("--epochs", s.train.epochs, "training epochs (fractions allowed)")->capture_default_str();
  c.add_option("--batch-size", s.train.batch_size, "training batch size")->capture_default_str();
  c.add_option("--lr", s.train.learning_rate, "peak learning rate (AdamW)")->capture_default_str();
  c.add_option("--pretrain-epochs", s.pretrain.epochs,
               "masked-language pretraining of the encoder on the task's training text, in epochs, before standard, "
               "truncated, early exit and the methods built on them (0: none; cached per task in --cache)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  c.add_option("--pretrain-lr", s.pretrain.learning_rate, "peak learning rate of pretraining (AdamW)")->capture_default_str();
  c.add_option("--eval-batch-size", s.eval_batch_size, "batch size for evaluation")->capture_default_str();
  c.add_option("--max-train", s.roles.max_train, "subsample the training role to this many (0: all)")->check(unsigned_integer())->capture_default_str();
  c.add_option("--max-test", s.roles.max_test, "subsample the test role (0: all)")->check(unsigned_integer())->capture_default_str();
  c.add_option("--max-calibration", s.roles.max_calibration, "subsample the calibration role (0: all)")->check(unsigned_integer())->capture_default_str();
  c.add_option("--seed", s.seed, "seed for initialisation, shuffling and carve-outs")->check(unsigned_integer())->capture_default_str();
  c.add_option("--threads", s.threads, "threads to use: fp32 work gives them to the BLAS, bf16 training to LibTorch's pool (recorded)")->capture_default_str();
  c.add_option("--latency-instances", s.measure.latency_instances,
               "test instances timed one at a time (batch 1) per operating point")->capture_default_str();
  c.add_option("--latency-warmup-passes", s.measure.latency_warmup_passes,
               "untimed passes, before timing, over other test instances of the timed ones' lengths (1: every input shape seen once)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  c.add_option("--tdp-watts-per-core", s.measure.tdp_watts_per_core,
               "TDP per core for the energy estimate where energy cannot be measured (default: CodeCarbon's 4 W)");
  c.add_option("--grid-intensity", s.measure.carbon.grid_g_co2e_per_kwh, "grid carbon intensity, g CO2e per kWh (default: world average 2023)")
      ->capture_default_str();
  c.add_option("--price-per-kwh", s.measure.carbon.price_per_kwh, "electricity price per kWh (default: US industrial average 2023, USD)")
      ->capture_default_str();
  c.add_option("--precision", s.train.precision, "training precision: auto (bf16 where the CPU has AMX/AVX512-BF16), fp32, bf16; evaluation runs in fp32")->capture_default_str();
}

void finish_settings(RunSettings& s, const std::string& data_flag) {
  s.data_root = resolve_data_root(data_flag);
  s.train.seed = s.seed;
  s.roles.seed = s.seed;
  // Before the thread pool is sized and before any data is read.
  for (const auto& warning : validate_settings(s, "command line")) std::fprintf(stderr, "greenbench: warning: %s\n", warning.c_str());
  set_thread_budget(s.threads);
  apply_thread_layout(Precision::fp32);
}

}  // namespace greenbench
