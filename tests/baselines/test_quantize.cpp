// int8 dynamic quantization: the layer against torch::linear on every engine
// this LibTorch has, and the quantize baseline end to end through the runner
// (points, FLOPs, sizes, agreement with fp32, checkpoint round trip).
#include <torch/torch.h>
// LibTorch's logging defines a one-argument CHECK; Catch's must win.
#undef CHECK
#include <catch2/catch.hpp>

#include "core_fixtures.h"
#include "data/batching.h"
#include "greenbench/bert/base_model.h"
#include "greenbench/bert/quantizable_linear.h"
#include "greenbench/error.h"
#include "greenbench/registry.h"
#include "run/runner.h"

using namespace greenbench;
using namespace greenbench::core_test;
using nlohmann::json;

TEST_CASE("a quantizable Linear is torch::linear in fp32 and within int8 rounding of it on every engine", "[quantize]") {
  single_thread();
  torch::manual_seed(1);
  QuantizableLinear linear(48, 20);
  auto x = torch::randn({3, 7, 48});
  auto reference = torch::linear(x, linear->weight, linear->bias);
  CHECK(torch::equal(linear->forward(x), reference));
  const auto engines = supported_quantized_engines();
  REQUIRE_FALSE(engines.empty());
  for (const auto& name : engines) {
    INFO("engine " << name);
    const at::QEngine engine = parse_quantized_engine(name);
    linear->prepare_int8(engine);
    linear->use_int8(engine);
    CHECK(linear->int8_active());
    auto y = linear->forward(x);
    CHECK(y.sizes() == reference.sizes());
    const double relative = ((y - reference).norm() / reference.norm()).item<double>();
    CHECK(relative < 0.03);
    CHECK(relative > 0.0);  // it really ran in int8
    linear->use_int8(std::nullopt);
    CHECK(torch::equal(linear->forward(x), reference));
  }
  CHECK_THROWS_WITH(parse_quantized_engine("tpu"), Catch::Contains("not available in this LibTorch; it has: "));
}

TEST_CASE("quint8 codes match ATen's quantize_per_tensor and dequantize, ties and clamping included", "[quantize]") {
  // 0.5: exact ties (x / scale = k + 0.5) round to even; 0.0371 and a range's
  // scale: the float reciprocal ATen uses, not the double one.
  for (const auto& [scale, zero_point] : std::vector<std::pair<double, int64_t>>{{0.5, 100}, {0.0371, 128}, {6.3 / 255, 37}}) {
    INFO("scale " << scale << ", zero point " << zero_point);
    std::vector<float> values = {0.25f, 0.75f, -0.25f, -0.75f, 1.25f, 0.0f, -50.0f, -50.25f, -1e6f, 77.5f, 77.75f, 1e6f};
    for (int k = -300; k <= 300; ++k) values.push_back(static_cast<float>((k + 0.5) * scale));  // near-ties
    torch::manual_seed(3);
    auto random = torch::randn({997}) * 40 * scale;
    values.insert(values.end(), random.data_ptr<float>(), random.data_ptr<float>() + random.numel());
    auto x = torch::tensor(values);
    auto reference = at::quantize_per_tensor(x, scale, zero_point, at::kQUInt8);
    std::vector<uint8_t> codes(values.size());
    quantize_to_quint8(values.data(), static_cast<int64_t>(values.size()), scale, zero_point, codes.data());
    auto expected = reference.int_repr();
    size_t differ = 0;
    for (size_t i = 0; i < values.size(); ++i) differ += codes[i] != expected[static_cast<int64_t>(i)].item<uint8_t>();
    CHECK(differ == 0);
    std::vector<float> back(values.size());
    dequantize_quint8(codes.data(), static_cast<int64_t>(codes.size()), scale, zero_point, back.data());
    CHECK(torch::equal(torch::tensor(back), reference.dequantize()));
  }
}

TEST_CASE("calibrated int8: needs observed ranges, stays within rounding of fp32, and a row's answer does not depend "
          "on its batch",
          "[quantize]") {
  single_thread();
  torch::manual_seed(1);
  QuantizableLinear linear(48, 20);
  torch::NoGradGuard no_grad;
  auto x = torch::randn({3, 7, 48});  // 21 rows: the int8 call pads them to a bucket
  auto reference = torch::linear(x, linear->weight, linear->bias);
  for (const auto& name : supported_quantized_engines()) {
    INFO("engine " << name);
    const at::QEngine engine = parse_quantized_engine(name);
    linear->prepare_int8(engine);
    linear->input_range = linear->output_range = ObservedRange{};
    CHECK_THROWS_WITH(linear->use_int8(engine, Int8Activations::calibrated), Catch::Contains("need observed ranges"));

    linear->observe_ranges(true);
    CHECK(torch::equal(linear->forward(x), reference));  // observing runs in fp32
    linear->observe_ranges(false);
    CHECK(linear->input_range.min == x.min().item<float>());
    CHECK(linear->output_range.max == reference.max().item<float>());

    linear->use_int8(engine, Int8Activations::calibrated);
    auto y = linear->forward(x);
    CHECK(y.sizes() == reference.sizes());
    const double relative = ((y - reference).norm() / reference.norm()).item<double>();
    CHECK(relative < 0.03);
    CHECK(relative > 0.0);
    // Fixed scales: each row alone gets exactly the answer it got in the batch
    // (dynamic int8 would rescale it by the batch's range).
    auto rows = x.reshape({-1, 48});
    for (int64_t r = 0; r < rows.size(0); r += 5) CHECK(torch::equal(linear->forward(rows[r].view({1, 48})), y.view({-1, 20})[r].view({1, 20})));
    linear->use_int8(std::nullopt);
    CHECK(torch::equal(linear->forward(x), reference));
  }
  CHECK_THROWS_WITH(parse_int8_activations("static"), Catch::Contains("expected \"dynamic\" or \"calibrated\""));
}

TEST_CASE("calibrated int8 on a model refuses, naming every Linear without ranges, and changes nothing", "[quantize]") {
  torch::nn::Sequential model(QuantizableLinear(4, 3), QuantizableLinear(3, 2));
  torch::NoGradGuard no_grad;
  const at::QEngine engine = parse_quantized_engine(supported_quantized_engines().front());
  prepare_int8(*model, engine);
  auto x = torch::randn({5, 4});
  auto fp32 = model->forward(x);
  model[0]->as<QuantizableLinearImpl>()->observe_ranges(true);
  model->forward(x);
  model[0]->as<QuantizableLinearImpl>()->observe_ranges(false);
  CHECK_THROWS_WITH(use_int8(*model, engine, Int8Activations::calibrated),
                    Catch::Contains("none were observed for: 1 (observe them"));
  CHECK(torch::equal(model->forward(x), fp32));  // still fp32 throughout
  CHECK_FALSE(model[0]->as<QuantizableLinearImpl>()->int8_active());
}

TEST_CASE("calibrated int8 covers per-exit poolers: each is observed, quantized and close to fp32", "[quantize]") {
  single_thread();
  torch::manual_seed(2);
  BertConfig config = tiny_config(2, 32, 100, {0, 1});
  config.exit_poolers = "per_exit";
  BertClassifier model(config);
  model->eval();
  EncodedSet set = synthetic_set(6, 4, 100, 5, 14);
  Batch batch = collate(set, {0, 1, 2, 3, 4, 5});
  torch::NoGradGuard no_grad;
  observe_ranges(*model, true);
  auto fp32 = model->forward(batch.input);
  observe_ranges(*model, false);
  const json ranges = observed_ranges_to_json(*model);
  CHECK(ranges.contains("exit_poolers.0.dense"));
  CHECK(ranges.contains("exit_poolers.1.dense"));
  const at::QEngine engine = parse_quantized_engine(supported_quantized_engines().front());
  prepare_int8(*model, engine);
  use_int8(*model, engine, Int8Activations::calibrated);
  CHECK(model->exit_poolers[1]->as<BertPoolerImpl>()->dense->int8_active());
  auto int8 = model->forward(batch.input);
  for (size_t e = 0; e < fp32.size(); ++e) {
    INFO("exit " << e);
    CHECK(((int8[e] - fp32[e]).norm() / fp32[e].norm()).item<double>() < 0.1);
  }
}

TEST_CASE("observed ranges go to JSON by Linear name and back, and refuse a model they do not fit", "[quantize]") {
  torch::nn::Sequential model(QuantizableLinear(4, 3), QuantizableLinear(3, 2));
  torch::NoGradGuard no_grad;
  observe_ranges(*model, true);
  model->forward(torch::randn({5, 4}));
  observe_ranges(*model, false);
  const json ranges = observed_ranges_to_json(*model);
  REQUIRE(ranges.size() == 2);
  REQUIRE(ranges.contains("0"));
  torch::nn::Sequential copy(QuantizableLinear(4, 3), QuantizableLinear(3, 2));
  restore_observed_ranges(*copy, ranges);
  CHECK(observed_ranges_to_json(*copy) == ranges);
  json extra = ranges;
  extra["7"] = {0, 1, 0, 1};
  CHECK_THROWS_WITH(restore_observed_ranges(*copy, extra), Catch::Contains("name 3 Linear layers; the model has 2"));
  json short_entry = ranges;
  short_entry["1"] = {0, 1};
  CHECK_THROWS_WITH(restore_observed_ranges(*copy, short_entry), Catch::Contains("observed range of 1: expected"));
}

TEST_CASE("int8 weights are counted at one byte each", "[quantize]") {
  QuantizableLinear linear(10, 4);  // 40 weights, 4 biases
  CHECK(inference_weight_bytes(*linear, false) == 4 * 44);
  CHECK(inference_weight_bytes(*linear, true) == 40 + 4 * 4);
}

TEST_CASE("the quantize baseline: fp32 and int8 points on one model, same FLOPs, smaller weights, same answers mostly",
          "[quantize][runner]") {
  SmallRun f;
  REQUIRE(method_registry().get("quantize").family == "baseline");
  PreparedTask prepared = prepare_task("sst2", f.settings);
  TrainedMethod trained = train_method(prepared, "quantize", json::object(), f.settings);
  json record = evaluate_method(prepared, trained, f.settings);
  // Built on the shared standard model, trained here since no standard run came first.
  CHECK(record["training"]["base_model"]["method"] == "standard");
  CHECK(record["training"]["base_model"]["trained_inside_this_run"] == true);
  const auto& points = record["operating_points"];
  const auto engines = supported_quantized_engines();
  REQUIRE(points.size() == 1 + 2 * engines.size());
  CHECK(points[0]["name"] == "fp32");
  CHECK(points[0]["model"]["arithmetic"] == "fp32");
  CHECK(record["training"]["int8_activation_ranges"]["linear_layers"] == 2 * 6 + 1);  // 6 per layer, pooler
  const int64_t fp32_bytes = points[0]["model"]["weight_bytes"];
  for (size_t i = 1; i < points.size(); ++i) {
    INFO(points[i]["name"]);
    const std::string activations = i <= engines.size() ? "dynamic" : "calibrated";
    const std::string engine = engines[(i - 1) % engines.size()];
    CHECK(points[i]["name"] == "int8 " + activations + " " + engine);
    CHECK(points[i]["model"]["arithmetic"].get<std::string>().rfind("int8 " + activations + " (" + engine + ")", 0) == 0);
    CHECK(points[i]["flops_per_instance"] == points[0]["flops_per_instance"]);
    CHECK(points[i]["model"]["weight_bytes"].get<int64_t>() < fp32_bytes);
    CHECK(points[i]["model"]["parameter_count"] == points[0]["model"]["parameter_count"]);
  }

  // Per instance, int8 (dynamic and calibrated) answers as fp32 does nearly always.
  Method& method = *trained.method;
  const auto ops = method.operating_points();
  std::vector<Prediction> fp32, int8;
  for (size_t p = 1; p < ops.size(); ++p) {
    INFO(ops[p].name);
    size_t agree = 0, total = 0;
    for (const auto& indices : sorted_batches(prepared.test, 16)) {
      Batch batch = collate(prepared.test, indices);
      method.predict(batch, ops.front(), fp32);
      method.predict(batch, ops[p], int8);
      for (size_t i = 0; i < fp32.size(); ++i) agree += fp32[i].label == int8[i].label;
      total += fp32.size();
    }
    CHECK(static_cast<double>(agree) / total >= 0.9);
  }

  // A checkpoint loads with its int8 points ready.
  TempDir ckpt("quantize-ckpt");
  save_trained(prepared, trained, f.settings, ckpt.path());
  TrainedMethod loaded = load_trained(ckpt.path());
  std::vector<Prediction> again;
  Batch first = collate(prepared.test, sorted_batches(prepared.test, 16).front());
  loaded.method->predict(first, ops.back(), again);
  method.predict(first, ops.back(), int8);
  for (size_t i = 0; i < again.size(); ++i) CHECK(again[i].label == int8[i].label);
}

TEST_CASE("the shared standard model is trained once per task, and each caller gets its own copy", "[runner]") {
  SmallRun f;
  PreparedTask prepared = prepare_task("sst2", f.settings);
  BaseModel first = shared_base_model(prepared, f.settings);
  CHECK(first.provenance["trained_inside_this_run"] == true);
  BaseModel second = shared_base_model(prepared, f.settings);
  CHECK(second.provenance["trained_inside_this_run"] == false);
  CHECK(second.provenance["config_hash"] == first.provenance["config_hash"]);
  CHECK(same_parameters(*first.model, *second.model));
  {
    torch::NoGradGuard no_grad;
    first.model->parameters().front().add_(1.0);
  }
  BaseModel third = shared_base_model(prepared, f.settings);
  CHECK(same_parameters(*second.model, *third.model));
  CHECK_FALSE(same_parameters(*first.model, *third.model));
  CHECK(first.temperatures.size() == 1);
}
