// Tests of the safetensors reader/writer (round trips, hand-built bytes,
// hostile files), checkpoint save/load, and Hugging Face BERT import, all on
// tiny models so the whole file runs in seconds.
#include <torch/torch.h>
#include <unistd.h>
// LibTorch's logging defines a one-argument CHECK; Catch's must win.
#undef CHECK
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <algorithm>
#include <random>

#include "greenbench/bert/bert.h"
#include "greenbench/bert/checkpoint.h"
#include "greenbench/error.h"
#include "model/safetensors.h"
#include "util/atomic_file.h"
#include "util/sha256.h"

using namespace greenbench;
using Catch::Matchers::Contains;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// A fresh folder under the system temp dir, removed afterwards.
struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() /
           ("greenbench_test_checkpoint_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string le64(uint64_t v) {
  std::string s;
  for (int i = 0; i < 8; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  return s;
}

template <typename T>
std::string raw(std::initializer_list<T> values) {
  std::string s;
  for (T v : values) s.append(reinterpret_cast<const char*>(&v), sizeof(T));
  return s;
}

std::string u16s(std::initializer_list<uint16_t> values) { return raw<uint16_t>(values); }

// A safetensors file: length prefix, header text as given (no padding), data.
std::string st_file(const std::string& header, const std::string& data) { return le64(header.size()) + header + data; }

// Writes `bytes` to a file and checks that reading it throws DataFormatError
// naming the file and containing `phrase`.
void expect_format_error(const TempDir& dir, const std::string& name, const std::string& bytes,
                         const std::string& phrase) {
  const std::string path = dir.file(name);
  write_bytes(path, bytes);
  INFO("file " << name);
  try {
    read_safetensors(path);
    FAIL("no exception for " << name);
  } catch (const DataFormatError& e) {
    CHECK_THAT(e.what(), Contains(path));
    CHECK_THAT(e.what(), Contains(phrase));
  }
}

BertConfig tiny_config() {
  BertConfig c;
  c.vocab_size = 100;
  c.hidden_size = 32;
  c.num_hidden_layers = 2;
  c.num_attention_heads = 2;
  c.intermediate_size = 64;
  c.max_position_embeddings = 64;
  c.num_labels = 3;
  c.exit_layers = {0, 1};
  return c;
}

// A model whose every parameter is random, so that a parameter left at its
// initial value (LayerNorm 1/0, zero biases) cannot pass a comparison by luck.
BertClassifier random_model(const BertConfig& config, uint64_t seed) {
  torch::manual_seed(seed);
  BertClassifier model(config);
  torch::NoGradGuard no_grad;
  for (auto& p : model->parameters()) p.normal_(0.0, 0.5);
  return model;
}

ModelInput random_batch(int64_t batch, int64_t seq, int vocab) {
  ModelInput in;
  in.input_ids = torch::randint(0, vocab, {batch, seq}, torch::kLong);
  in.token_type_ids = torch::randint(0, 2, {batch, seq}, torch::kLong);
  in.attention_mask = torch::ones({batch, seq}, torch::kLong);
  in.attention_mask.index_put_({1, torch::indexing::Slice(seq / 2, torch::indexing::None)}, 0);
  return in;
}

void check_same_parameters(torch::nn::Module& a, torch::nn::Module& b) {
  auto pa = a.named_parameters();
  auto pb = b.named_parameters();
  REQUIRE(pa.size() == pb.size());
  for (const auto& p : pa) {
    INFO(p.key());
    REQUIRE(pb.contains(p.key()));
    CHECK(torch::equal(p.value(), pb[p.key()]));
  }
}

torch::Tensor exit_weight(BertClassifier& m, size_t i) { return m->exits[i]->as<torch::nn::Linear>()->weight; }
torch::Tensor exit_bias(BertClassifier& m, size_t i) { return m->exits[i]->as<torch::nn::Linear>()->bias; }

// Hugging Face BertForSequenceClassification tensors for `source`'s encoder,
// with a classifier, pretraining-head leftovers and the position_ids buffer.
std::map<std::string, torch::Tensor> hf_tensors(BertClassifier& source, int num_labels) {
  std::map<std::string, torch::Tensor> t;
  for (const auto& p : source->named_parameters())
    if (p.key().rfind("bert.", 0) == 0) t[p.key()] = p.value().detach().clone();
  const int64_t hidden = source->config.hidden_size;
  t["classifier.weight"] = torch::randn({num_labels, hidden});
  t["classifier.bias"] = torch::randn({num_labels});
  t["cls.predictions.bias"] = torch::randn({source->config.vocab_size});
  t["cls.seq_relationship.weight"] = torch::randn({2, hidden});
  t["bert.embeddings.position_ids"] = torch::arange(source->config.max_position_embeddings, torch::kLong).unsqueeze(0);
  return t;
}

json hf_config() {
  return json::parse(R"({
    "architectures": ["BertForSequenceClassification"], "model_type": "bert",
    "attention_probs_dropout_prob": 0.1, "hidden_act": "gelu", "hidden_dropout_prob": 0.1,
    "hidden_size": 32, "initializer_range": 0.02, "intermediate_size": 64, "layer_norm_eps": 1e-12,
    "max_position_embeddings": 64, "num_attention_heads": 2, "num_hidden_layers": 2,
    "pad_token_id": 0, "position_embedding_type": "absolute", "type_vocab_size": 2, "vocab_size": 100,
    "id2label": {"0": "negative", "1": "neutral", "2": "positive"},
    "label2id": {"negative": 0, "neutral": 1, "positive": 2},
    "torch_dtype": "float32", "transformers_version": "4.30.2"})");
}

void write_hf(const TempDir& dir, const std::map<std::string, torch::Tensor>& tensors, const json& config = hf_config()) {
  write_safetensors(dir.file("model.safetensors"), tensors, {{"format", "pt"}});
  write_file_atomic(dir.file("config.json"), config.dump(2));
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  FAIL("no greenbench::Error thrown");
  return "";
}

}  // namespace

// ---------------------------------------------------------------- safetensors

TEST_CASE("safetensors round trip keeps names, dtypes, shapes, values and metadata", "[safetensors]") {
  TempDir dir;
  torch::manual_seed(1);
  std::map<std::string, torch::Tensor> tensors;
  tensors["a"] = torch::randn({2, 3});
  tensors["b.weight"] = torch::tensor(3.25f).reshape({});  // 0-d
  tensors["c.ids"] = torch::tensor({int64_t{-5}, INT64_MAX, INT64_MIN, int64_t{0}}, torch::kLong);
  tensors["d"] = torch::randint(-1000, 1000, {2, 2, 2}, torch::kInt);
  tensors["e.empty"] = torch::empty({0, 5});
  tensors["f.transposed"] = torch::randn({3, 4}).t();  // not contiguous
  tensors["g.big"] = torch::randn({17, 33});
  const std::map<std::string, std::string> metadata = {{"format", "pt"}, {"note", "round \"trip\" \xc3\xa9"}};

  const std::string path = dir.file("sub/folder/weights.safetensors");
  write_safetensors(path, tensors, metadata);

  SafetensorsFile back = read_safetensors(path);
  REQUIRE(back.tensors.size() == tensors.size());
  CHECK(back.metadata == metadata);
  for (const auto& [name, t] : tensors) {
    INFO(name);
    REQUIRE(back.tensors.count(name));
    const auto& r = back.tensors.at(name);
    CHECK(r.scalar_type() == t.scalar_type());
    CHECK(r.sizes() == t.sizes());
    CHECK(torch::equal(r, t));
  }
  CHECK(back.stored_dtypes.at("a") == "F32");
  CHECK(back.stored_dtypes.at("c.ids") == "I64");
  CHECK(back.stored_dtypes.at("d") == "I32");

  // Byte layout: padded header, data in name order, bytes equal to encode_safetensors.
  const std::string bytes = read_file(path);
  CHECK(bytes == encode_safetensors(tensors, metadata));
  uint64_t n = 0;
  std::memcpy(&n, bytes.data(), 8);
  CHECK(n % 8 == 0);
  const json header = json::parse(bytes.substr(8, n));
  CHECK(header.at("a").at("data_offsets") == json::array({0, 24}));
  CHECK(header.at("b.weight").at("shape") == json::array());
  uint64_t previous_end = 0;
  for (const auto& [name, t] : tensors) {
    const auto& off = header.at(name).at("data_offsets");
    CHECK(off[0].get<uint64_t>() == previous_end);
    previous_end = off[1].get<uint64_t>();
  }
  CHECK(previous_end == bytes.size() - 8 - n);

  // The write leaves no temp file behind.
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(path).parent_path())) {
    (void)entry;
    ++files;
  }
  CHECK(files == 1);

  // Rewriting replaces the file.
  write_safetensors(path, {{"only", torch::ones({1})}});
  CHECK(read_safetensors(path).tensors.size() == 1);
}

TEST_CASE("safetensors writer refuses what it cannot store", "[safetensors]") {
  CHECK_THAT(error_of([] { encode_safetensors({{"w", torch::ones({2}, torch::kDouble)}}); }), Contains("'w'"));
  CHECK_THAT(error_of([] { encode_safetensors({{"__metadata__", torch::ones({2})}}); }), Contains("reserved"));
  CHECK_THAT(error_of([] { encode_safetensors({{"", torch::ones({2})}}); }), Contains("empty name"));
  CHECK_THAT(error_of([] { encode_safetensors({{"u", torch::Tensor()}}); }), Contains("undefined"));
}

TEST_CASE("hand-built safetensors bytes parse to the expected values", "[safetensors]") {
  TempDir dir;
  // Offsets deliberately unaligned (F16 at 8, BF16 at 14, I64 at 18), header unpadded.
  const std::string header = R"({"__metadata__":{"format":"pt"},)"
                             R"("f32":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                             R"("f16":{"dtype":"F16","shape":[3],"data_offsets":[8,14]},)"
                             R"("bf16":{"dtype":"BF16","shape":[2,1],"data_offsets":[14,18]},)"
                             R"("i64":{"dtype":"I64","shape":[1],"data_offsets":[18,26]},)"
                             R"("i32":{"dtype":"I32","shape":[2],"data_offsets":[26,34]},)"
                             R"("nothing":{"dtype":"F16","shape":[0,3],"data_offsets":[34,34]}})";
  const std::string data = raw<float>({1.5f, -2.0f}) +
                           u16s({0x3C00, 0xC000, 0x7BFF}) +  // F16 1, -2, 65504
                           u16s({0x3F80, 0xC049}) +          // BF16 1, -3.140625
                           raw<int64_t>({-5}) + raw<int32_t>({7, -9});
  REQUIRE(data.size() == 34);
  const std::string path = dir.file("hand.safetensors");
  write_bytes(path, st_file(header, data));

  SafetensorsFile f = read_safetensors(path);
  CHECK(f.metadata == std::map<std::string, std::string>{{"format", "pt"}});
  REQUIRE(f.tensors.size() == 6);
  CHECK(torch::equal(f.tensors.at("f32"), torch::tensor({1.5f, -2.0f})));
  CHECK(f.tensors.at("f16").scalar_type() == torch::kFloat);
  CHECK(torch::equal(f.tensors.at("f16"), torch::tensor({1.0f, -2.0f, 65504.0f})));
  CHECK(f.tensors.at("bf16").scalar_type() == torch::kFloat);
  CHECK(f.tensors.at("bf16").sizes() == torch::IntArrayRef({2, 1}));
  CHECK(torch::equal(f.tensors.at("bf16"), torch::tensor({1.0f, -3.140625f}).reshape({2, 1})));
  CHECK(torch::equal(f.tensors.at("i64"), torch::tensor({int64_t{-5}}, torch::kLong)));
  CHECK(torch::equal(f.tensors.at("i32"), torch::tensor({7, -9}, torch::kInt)));
  CHECK(f.tensors.at("nothing").sizes() == torch::IntArrayRef({0, 3}));
  CHECK(f.stored_dtypes.at("f16") == "F16");
  CHECK(f.stored_dtypes.at("bf16") == "BF16");

  // Trailing spaces (the writer's padding) and a header with no tensors are fine.
  write_bytes(path, st_file(R"({"x":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}    )", raw<float>({0.5f})));
  CHECK(read_safetensors(path).tensors.at("x").item<float>() == 0.5f);
  write_bytes(path, st_file("{}", ""));
  CHECK(read_safetensors(path).tensors.empty());
}

TEST_CASE("hostile or malformed safetensors files throw naming the file", "[safetensors]") {
  TempDir dir;
  const std::string f32x2 = raw<float>({1.0f, 2.0f});
  auto one = [](const std::string& spec) { return "{\"t\":" + spec + "}"; };

  expect_format_error(dir, "empty.safetensors", "", "fewer than the 8-byte header length");
  expect_format_error(dir, "short.safetensors", "abcde", "fewer than the 8-byte header length");
  expect_format_error(dir, "huge.safetensors", le64(UINT64_MAX) + "{}", "beyond the end of the file");
  expect_format_error(dir, "huge2.safetensors", le64(uint64_t{1} << 40) + std::string(64, ' '), "beyond the end");
  expect_format_error(dir, "past_end.safetensors", le64(200) + "{\"t\":{}}", "beyond the end of the file");
  expect_format_error(dir, "bad_json.safetensors", st_file("{not json", ""), "not valid JSON");
  expect_format_error(dir, "not_object.safetensors", st_file("[1,2]", ""), "not an object");
  expect_format_error(dir, "deep.safetensors", st_file(std::string(100000, '[') + std::string(100000, ']'), ""),
                      "nests deeper");
  expect_format_error(dir, "dtype.safetensors", st_file(one(R"({"dtype":"Q4","shape":[2],"data_offsets":[0,8]})"), f32x2),
                      "unsupported dtype 'Q4'");
  expect_format_error(dir, "f64.safetensors", st_file(one(R"({"dtype":"F64","shape":[1],"data_offsets":[0,8]})"), f32x2),
                      "unsupported dtype 'F64'");
  expect_format_error(dir, "truncated.safetensors",
                      st_file(one(R"({"dtype":"F32","shape":[4],"data_offsets":[0,16]})"), f32x2), "truncated");
  expect_format_error(dir, "wrong_size.safetensors",
                      st_file(one(R"({"dtype":"F32","shape":[3],"data_offsets":[0,8]})"), f32x2), "needs 12");
  expect_format_error(dir, "overlap.safetensors",
                      st_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                              R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                              f32x2 + f32x2),
                      "overlap");
  expect_format_error(dir, "backwards.safetensors",
                      st_file(one(R"({"dtype":"F32","shape":[0],"data_offsets":[8,0]})"), f32x2), "end before");
  expect_format_error(dir, "negative_dim.safetensors",
                      st_file(one(R"({"dtype":"F32","shape":[-2],"data_offsets":[0,8]})"), f32x2), "non-negative");
  expect_format_error(dir, "float_dim.safetensors",
                      st_file(one(R"({"dtype":"F32","shape":[2.0],"data_offsets":[0,8]})"), f32x2), "non-negative");
  expect_format_error(dir, "absurd_shape.safetensors",
                      st_file(one(R"({"dtype":"F32","shape":[0,1099511627776,1099511627776],"data_offsets":[0,0]})"), ""),
                      "too large");
  expect_format_error(dir, "overflow_shape.safetensors",
                      st_file(one(R"({"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]})"), f32x2),
                      "too large");
  expect_format_error(dir, "no_offsets.safetensors", st_file(one(R"({"dtype":"F32","shape":[2]})"), f32x2),
                      "no \"data_offsets\"");
  expect_format_error(dir, "string_offsets.safetensors",
                      st_file(one(R"({"dtype":"F32","shape":[2],"data_offsets":["0","8"]})"), f32x2), "non-negative");
  expect_format_error(dir, "three_offsets.safetensors",
                      st_file(one(R"({"dtype":"F32","shape":[2],"data_offsets":[0,4,8]})"), f32x2), "[begin, end]");
  expect_format_error(dir, "entry_not_object.safetensors", st_file(one("17"), ""), "expected an object");
  expect_format_error(dir, "metadata.safetensors", st_file(R"({"__metadata__":{"k":1}})", ""), "not a string");

  // A folder and a missing file are not format errors of a file.
  CHECK_THROWS_AS(read_safetensors(dir.file("absent.safetensors")), DataMissingError);
  CHECK_THROWS_AS(read_safetensors(dir.path.string()), DataFormatError);
}

TEST_CASE("truncated and mutated safetensors bytes never crash", "[safetensors]") {
  torch::manual_seed(3);
  const std::string good = encode_safetensors(
      {{"a", torch::randn({3, 2})}, {"b", torch::arange(4, torch::kLong)}, {"c", torch::randn({5})}}, {{"k", "v"}});
  for (size_t len = 0; len < good.size(); ++len) {
    INFO("prefix of " << len << " bytes");
    CHECK_THROWS_AS(parse_safetensors(std::string_view(good).substr(0, len), "prefix"), DataFormatError);
  }
  std::mt19937 rng(42);
  int parsed = 0, refused = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string bytes = good;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < flips; ++i) {
      // Mostly the length and the header, where the structure lives.
      const size_t at = rng() % std::min<size_t>(bytes.size(), 8 + 200);
      bytes[at] = static_cast<char>(rng() & 0xff);
    }
    try {
      parse_safetensors(bytes, "mutated");
      ++parsed;
    } catch (const Error&) {
      ++refused;
    }
  }
  CHECK(parsed + refused == 3000);
  CHECK(refused > 0);
}

// ---------------------------------------------------------------- checkpoints

TEST_CASE("checkpoint save and load round trip", "[checkpoint]") {
  const std::string exit_poolers = GENERATE(as<std::string>{}, "shared", "per_exit");
  INFO("exit poolers " << exit_poolers);
  TempDir dir;
  BertConfig config = tiny_config();
  config.exit_poolers = exit_poolers;
  BertClassifier model = random_model(config, 7);
  const json extra = {{"temperatures", {1.5, 0.75}}, {"vocab", {{"size", 100}, {"sha256", "00ff"}}}, {"task", "sst2"}};

  const std::string sha = save_checkpoint(model, dir.path.string(), extra);
  CHECK(sha.size() == 64);
  CHECK(sha == sha256_file(dir.file("model.safetensors")));
  CHECK(sha == checkpoint_sha256(dir.path.string()));
  const json written = json::parse(read_file(dir.file("config.json")));
  CHECK(written.at("model_sha256") == sha);
  CHECK(written.at("hidden_size") == 32);
  CHECK(written.at("temperatures") == json::array({1.5, 0.75}));

  // Every parameter is in the file under its HF-style name.
  SafetensorsFile file = read_safetensors(dir.file("model.safetensors"));
  CHECK(file.metadata.at("format") == "pt");
  CHECK(file.tensors.count("bert.embeddings.word_embeddings.weight"));
  CHECK(file.tensors.count("bert.encoder.layer.1.attention.self.query.weight"));
  const bool shared = exit_poolers == "shared";
  CHECK(file.tensors.count("bert.pooler.dense.weight") == (shared ? 1 : 0));
  CHECK(file.tensors.count("exit_poolers.1.dense.bias") == (shared ? 0 : 1));
  CHECK(file.tensors.count("exits.0.weight"));
  CHECK(file.tensors.count("exits.1.bias"));
  CHECK(file.tensors.size() == model->named_parameters().size());

  Checkpoint ck = load_checkpoint(dir.path.string());
  CHECK(ck.sha256 == sha);
  CHECK(ck.extra == extra);
  CHECK(ck.config.to_json() == config.to_json());
  CHECK(ck.model->config.exit_layers == std::vector<int>{0, 1});
  check_same_parameters(*model, *ck.model);

  model->eval();
  ck.model->eval();
  torch::manual_seed(11);
  const ModelInput batch = random_batch(3, 9, config.vocab_size);
  torch::NoGradGuard no_grad;
  auto expected = model->forward(batch);
  auto got = ck.model->forward(batch);
  REQUIRE(got.size() == 2);
  for (size_t i = 0; i < got.size(); ++i) {
    CHECK(got[i].sizes() == torch::IntArrayRef({3, 3}));
    CHECK(torch::equal(got[i], expected[i]));
  }

  // Saving the loaded model again gives the same bytes, so the hash identifies the weights.
  TempDir again;
  CHECK(save_checkpoint(ck.model, again.path.string(), ck.extra) == sha);
}

TEST_CASE("checkpoint save refuses extra keys that shadow the config", "[checkpoint]") {
  TempDir dir;
  BertClassifier model(tiny_config());
  CHECK_THAT(error_of([&] { save_checkpoint(model, dir.path.string(), {{"hidden_size", 64}}); }),
             Contains("hidden_size"));
  CHECK_THAT(error_of([&] { save_checkpoint(model, dir.path.string(), json::array({1})); }), Contains("object"));
}

TEST_CASE("checkpoint load explains damaged or mismatched folders", "[checkpoint]") {
  TempDir dir;
  BertClassifier model = random_model(tiny_config(), 5);
  save_checkpoint(model, dir.path.string());
  json config = json::parse(read_file(dir.file("config.json")));

  SECTION("weights replaced after the save") {
    SafetensorsFile file = read_safetensors(dir.file("model.safetensors"));
    file.tensors["exits.0.bias"] = torch::zeros({3});
    write_safetensors(dir.file("model.safetensors"), file.tensors);
    CHECK_THAT(error_of([&] { load_checkpoint(dir.path.string()); }), Contains("different saves"));
  }
  SECTION("missing, unexpected and wrongly shaped parameters are all listed") {
    SafetensorsFile file = read_safetensors(dir.file("model.safetensors"));
    file.tensors.erase("bert.encoder.layer.1.output.dense.bias");
    file.tensors["exits.2.weight"] = torch::zeros({3, 32});
    file.tensors["bert.pooler.dense.weight"] = torch::zeros({32, 31});
    write_safetensors(dir.file("model.safetensors"), file.tensors);
    config.erase("model_sha256");
    write_file_atomic(dir.file("config.json"), config.dump());
    const std::string msg = error_of([&] { load_checkpoint(dir.path.string()); });
    CHECK_THAT(msg, Contains(dir.file("model.safetensors")));
    CHECK_THAT(msg, Contains("missing bert.encoder.layer.1.output.dense.bias"));
    CHECK_THAT(msg, Contains("unexpected exits.2.weight"));
    CHECK_THAT(msg, Contains("bert.pooler.dense.weight has shape [32, 31], the model needs [32, 32]"));
  }
  SECTION("config for another model size") {
    config["num_hidden_layers"] = 3;
    config["exit_layers"] = {2};
    config.erase("model_sha256");
    write_file_atomic(dir.file("config.json"), config.dump());
    const std::string msg = error_of([&] { load_checkpoint(dir.path.string()); });
    CHECK_THAT(msg, Contains("missing bert.encoder.layer.2."));
    CHECK_THAT(msg, Contains("unexpected exits.1."));
  }
  SECTION("invalid config.json names file and line") {
    write_bytes(dir.file("config.json"), "{\n  \"hidden_size\": 32,\n  oops\n}");
    try {
      load_checkpoint(dir.path.string());
      FAIL("no exception");
    } catch (const DataFormatError& e) {
      CHECK(e.file() == dir.file("config.json"));
      CHECK(e.line() == 3);
    }
  }
  SECTION("missing folder or file") {
    CHECK_THROWS_AS(load_checkpoint(dir.file("nowhere")), DataMissingError);
    fs::remove(dir.file("model.safetensors"));
    CHECK_THROWS_AS(load_checkpoint(dir.path.string()), DataMissingError);
  }
}

// ---------------------------------------------------------------- HF import

TEST_CASE("import of a Hugging Face BertForSequenceClassification checkpoint", "[hf]") {
  TempDir dir;
  BertClassifier source = random_model(tiny_config(), 21);
  auto tensors = hf_tensors(source, 3);
  write_hf(dir, tensors);

  for (const std::string& where : {dir.path.string(), dir.file("model.safetensors")}) {
    INFO("import from " << where);
    HfImport imported = import_hf_bert(where, 3, {0, 1});
    BertClassifier& m = imported.model;
    CHECK(imported.config.num_labels == 3);
    CHECK(imported.config.exit_layers == std::vector<int>{0, 1});
    CHECK(imported.config.hidden_size == 32);
    CHECK(imported.config.vocab_size == 100);
    CHECK(imported.classifier_loaded);
    CHECK(imported.pooler_loaded);
    CHECK(imported.source_sha256 == sha256_file(dir.file("model.safetensors")));
    CHECK(imported.ignored ==
          std::vector<std::string>{"bert.embeddings.position_ids", "cls.predictions.bias", "cls.seq_relationship.weight"});

    auto params = m->named_parameters();
    CHECK(torch::equal(params["bert.embeddings.word_embeddings.weight"], tensors.at("bert.embeddings.word_embeddings.weight")));
    CHECK(torch::equal(params["bert.embeddings.LayerNorm.weight"], tensors.at("bert.embeddings.LayerNorm.weight")));
    CHECK(torch::equal(params["bert.encoder.layer.1.attention.self.value.bias"],
                       tensors.at("bert.encoder.layer.1.attention.self.value.bias")));
    CHECK(torch::equal(params["bert.encoder.layer.0.output.LayerNorm.bias"],
                       tensors.at("bert.encoder.layer.0.output.LayerNorm.bias")));
    CHECK(torch::equal(params["bert.pooler.dense.weight"], tensors.at("bert.pooler.dense.weight")));
    for (const auto& p : params)
      if (p.key().rfind("bert.", 0) == 0) CHECK(torch::equal(p.value(), tensors.at(p.key())));
    // HF's classifier becomes the last exit; the earlier exit stays freshly initialised.
    CHECK(torch::equal(exit_weight(m, 1), tensors.at("classifier.weight")));
    CHECK(torch::equal(exit_bias(m, 1), tensors.at("classifier.bias")));
    CHECK(exit_weight(m, 0).sizes() == torch::IntArrayRef({3, 32}));
    CHECK_FALSE(torch::equal(exit_weight(m, 0).narrow(0, 0, 3), tensors.at("classifier.weight")));
  }
}

TEST_CASE("import initialises exits fresh when the HF classifier does not fit", "[hf]") {
  TempDir dir;
  BertClassifier source = random_model(tiny_config(), 22);
  auto tensors = hf_tensors(source, 2);
  write_hf(dir, tensors);
  HfImport imported = import_hf_bert(dir.path.string(), 5, {});
  CHECK_FALSE(imported.classifier_loaded);
  CHECK(imported.config.exit_layers == std::vector<int>{1});
  CHECK(imported.config.num_labels == 5);
  CHECK(exit_weight(imported.model, 0).sizes() == torch::IntArrayRef({5, 32}));
  CHECK(std::count(imported.ignored.begin(), imported.ignored.end(), "classifier.weight") == 1);
  CHECK(std::count(imported.ignored.begin(), imported.ignored.end(), "classifier.bias") == 1);
  CHECK(torch::equal(imported.model->named_parameters()["bert.encoder.layer.1.output.dense.weight"],
                     tensors.at("bert.encoder.layer.1.output.dense.weight")));
}

TEST_CASE("import of BertModel names, TF-style LayerNorm names and no pooler", "[hf]") {
  TempDir dir;
  BertClassifier source = random_model(tiny_config(), 23);
  std::map<std::string, torch::Tensor> tensors;
  for (auto& [name, t] : hf_tensors(source, 3)) {
    if (name.rfind("bert.", 0) != 0 || name.rfind("bert.pooler.", 0) == 0) continue;
    std::string n = name.substr(5);
    if (n.size() > 16 && n.compare(n.size() - 16, 16, "LayerNorm.weight") == 0) n = n.substr(0, n.size() - 6) + "gamma";
    if (n.size() > 14 && n.compare(n.size() - 14, 14, "LayerNorm.bias") == 0) n = n.substr(0, n.size() - 4) + "beta";
    tensors[n] = t;
  }
  REQUIRE(tensors.count("embeddings.LayerNorm.gamma"));
  REQUIRE(tensors.count("encoder.layer.1.output.LayerNorm.beta"));
  json config = hf_config();
  config["architectures"] = {"BertModel"};
  config.erase("id2label");
  config.erase("label2id");
  write_hf(dir, tensors, config);

  HfImport imported = import_hf_bert(dir.path.string(), 2, {0, 1});
  CHECK_FALSE(imported.pooler_loaded);
  CHECK_FALSE(imported.classifier_loaded);
  CHECK(imported.ignored == std::vector<std::string>{"embeddings.position_ids"});
  auto params = imported.model->named_parameters();
  CHECK(torch::equal(params["bert.embeddings.LayerNorm.weight"], tensors.at("embeddings.LayerNorm.gamma")));
  CHECK(torch::equal(params["bert.encoder.layer.1.output.LayerNorm.bias"], tensors.at("encoder.layer.1.output.LayerNorm.beta")));
  CHECK(torch::equal(params["bert.encoder.layer.0.attention.self.query.weight"],
                     tensors.at("encoder.layer.0.attention.self.query.weight")));
}

TEST_CASE("import refuses checkpoints that do not fit, naming what is wrong", "[hf]") {
  TempDir dir;
  BertClassifier source = random_model(tiny_config(), 24);
  auto tensors = hf_tensors(source, 3);

  SECTION("missing encoder weight") {
    tensors.erase("bert.encoder.layer.1.attention.self.key.weight");
    write_hf(dir, tensors);
    const std::string msg = error_of([&] { import_hf_bert(dir.path.string(), 3, {}); });
    CHECK_THAT(msg, Contains("missing encoder weights bert.encoder.layer.1.attention.self.key.weight"));
    CHECK_THAT(msg, Contains(dir.file("model.safetensors")));
  }
  SECTION("missing weight named as the file spells it (no prefix)") {
    std::map<std::string, torch::Tensor> plain;
    for (auto& [name, t] : tensors)
      if (name.rfind("bert.", 0) == 0) plain[name.substr(5)] = t;
    plain.erase("embeddings.token_type_embeddings.weight");
    write_hf(dir, plain);
    CHECK_THAT(error_of([&] { import_hf_bert(dir.path.string(), 3, {}); }),
               Contains("missing encoder weights embeddings.token_type_embeddings.weight"));
  }
  SECTION("wrong shape") {
    tensors["bert.encoder.layer.0.intermediate.dense.weight"] = torch::zeros({65, 32});
    write_hf(dir, tensors);
    CHECK_THAT(error_of([&] { import_hf_bert(dir.path.string(), 3, {}); }),
               Contains("bert.encoder.layer.0.intermediate.dense.weight has shape [65, 32], the model needs [64, 32]"));
  }
  SECTION("config with fewer layers than the weights") {
    json config = hf_config();
    config["num_hidden_layers"] = 1;
    write_hf(dir, tensors, config);
    CHECK_THAT(error_of([&] { import_hf_bert(dir.path.string(), 3, {}); }),
               Contains("weights the config has no place for bert.encoder.layer.1."));
  }
  SECTION("half a pooler") {
    tensors.erase("bert.pooler.dense.bias");
    write_hf(dir, tensors);
    CHECK_THAT(error_of([&] { import_hf_bert(dir.path.string(), 3, {}); }), Contains("bert.pooler.dense.bias"));
  }
  SECTION("not BERT") {
    json config = hf_config();
    config["model_type"] = "roberta";
    write_hf(dir, tensors, config);
    CHECK_THAT(error_of([&] { import_hf_bert(dir.path.string(), 3, {}); }), Contains("not BERT"));
  }
  SECTION("only a pickle") {
    write_bytes(dir.file("pytorch_model.bin"), "PK");
    write_file_atomic(dir.file("config.json"), hf_config().dump());
    CHECK_THAT(error_of([&] { import_hf_bert(dir.path.string(), 3, {}); }), Contains("safe_serialization"));
  }
  SECTION("no config.json") {
    write_safetensors(dir.file("model.safetensors"), tensors);
    CHECK_THROWS_AS(import_hf_bert(dir.path.string(), 3, {}), DataMissingError);
  }
}
