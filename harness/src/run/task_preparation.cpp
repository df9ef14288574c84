// Preparing a task once for every method run on it: its data roles, the
// vocabulary (a given vocab.txt, or learned from the training role and
// cached by what it was learned from), the tokenized roles, and the record's
// "task" block.
#include <cstdio>
#include <filesystem>

#include "data/batching.h"
#include "greenbench/error.h"
#include "greenbench/registry.h"
#include "record/config_hash.h"
#include "run/runner.h"
#include "settings/settings_validation.h"
#include "text/vocab_builder.h"

namespace greenbench {
namespace {

nlohmann::json role_json(const Split& split, const std::string& source) {
  return {{"split", split.name}, {"source", source}, {"files", split.files}, {"sha256", split.sha256},
          {"examples", split.examples.size()}};
}

Vocab obtain_vocab(const PreparedTask& p, const RunSettings& s) {
  if (!s.vocab_file.empty()) return Vocab::load(s.vocab_file);
  nlohmann::json key = {{"train_sha256", p.data.train.sha256}, {"train_source", p.data.train_source},
                        {"train_examples", p.data.train.examples.size()}, {"vocab_size", s.vocab_size},
                        {"lower_case", true}, {"builder", 1}};
  const std::string path = s.cache_dir + "/vocab-" + p.task->name() + "-" + config_hash(key) + ".txt";
  if (std::filesystem::exists(path)) return Vocab::load(path);
  std::vector<std::string> texts;
  texts.reserve(p.data.train.examples.size() * 2);
  for (const auto& ex : p.data.train.examples) {
    texts.push_back(ex.text_a);
    if (!ex.text_b.empty()) texts.push_back(ex.text_b);
  }
  VocabBuildOptions options;
  options.vocab_size = static_cast<size_t>(s.vocab_size);
  std::fprintf(stderr, "%s: learning a %d-piece WordPiece vocabulary from %zu training texts\n", p.task->name().c_str(),
               s.vocab_size, texts.size());
  Vocab vocab = build_wordpiece_vocab(texts, options);
  vocab.save(path);
  return vocab;
}

}  // namespace

PreparedTask prepare_task(const std::string& task_name, const RunSettings& s) {
  // Bad settings fail here, before any data is read or any method trains.
  validate_settings(s, "settings");
  if (s.pretrain.enabled()) {
    try {
      s.pretrain.validate();
    } catch (const std::invalid_argument& e) {
      throw Error(std::string("settings: ") + e.what());
    }
  }
  PreparedTask p;
  p.task = make_task(task_name);
  p.data = load_task_data(*p.task, s.data_root, s.roles);
  Vocab vocab = obtain_vocab(p, s);
  const std::string vocab_sha = vocab.sha256();
  const int vocab_size = vocab.size();
  p.tokenizer = std::make_unique<BertTokenizer>(std::move(vocab));
  p.train = encode_split(p.data.train, *p.tokenizer, s.max_len, task_name + " tokenize train");
  p.calibration = encode_split(p.data.calibration, *p.tokenizer, s.max_len);
  p.test = encode_split(p.data.test, *p.tokenizer, s.max_len);
  p.info = {{"name", p.task->name()},
            {"display_name", p.task->display_name()},
            {"labels", p.task->label_names()},
            {"roles", {{"train", role_json(p.data.train, p.data.train_source)},
                       {"calibration", role_json(p.data.calibration, p.data.calibration_source)},
                       {"test", role_json(p.data.test, p.data.test_source)}}},
            {"vocab", {{"size", vocab_size}, {"sha256", vocab_sha}, {"source", s.vocab_file.empty() ? "learned from train" : s.vocab_file}}},
            {"test_tokens_per_instance", static_cast<double>(p.test.total_tokens()) / std::max<size_t>(1, p.test.size())}};
  return p;
}

}  // namespace greenbench
