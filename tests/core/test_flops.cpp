// Analytic FLOPs (measure/flops.h) against numbers worked out by hand:
// BERT-base at 128 tokens (the 24*h^2 + 4*s*h per token per layer of
// METHODS.md, about 22 GFLOPs for 12 layers) and a small odd-shaped config,
// with [CLS] and mean pooling.
#include <torch/torch.h>
// LibTorch's logging defines a one-argument CHECK; Catch's must win.
#undef CHECK
#include <catch2/catch.hpp>

#include "measure/flops.h"
#include "model/bert_config.h"

using namespace greenbench;

TEST_CASE("BERT-base at 128 tokens costs 24h^2 + 4sh FLOPs per token per layer, about 22 GFLOPs in all", "[flops]") {
  BertConfig base = BertConfig::preset("base");
  base.num_labels = 2;
  base.pooling = "cls";
  REQUIRE(base.hidden_size == 768);
  REQUIRE(base.intermediate_size == 3072);
  REQUIRE(base.num_hidden_layers == 12);
  // Per token per layer: 24 * 768^2 + 4 * 128 * 768 = 14,155,776 + 393,216 = 14,548,992.
  // Per layer (128 tokens): 1,862,270,976.
  CHECK(encoder_layer_flops(base, 128) == 1862270976.0);
  CHECK(encoder_layer_flops(base, 128) == 128.0 * (24.0 * 768 * 768 + 4.0 * 128 * 768));
  // Exit head, [CLS]: pooler 2 * 768^2 = 1,179,648, classifier 2 * 768 * 2 = 3,072.
  CHECK(exit_head_flops(base, 128) == 1182720.0);
  // 12 layers + one head: 22,347,251,712 + 1,182,720 = 22,348,434,432 (about 22.3 GFLOPs).
  CHECK(instance_flops(base, 128, 12, 1) == 22348434432.0);
  CHECK(instance_flops(base, 128, 12, 1) == Catch::Detail::Approx(22.35e9).epsilon(1e-3));

  // Mean pooling adds one add per hidden value of each token: 128 * 768 = 98,304.
  BertConfig mean = base;
  mean.pooling = "mean";
  CHECK(exit_head_flops(mean, 128) == 1182720.0 + 98304.0);
  CHECK(encoder_layer_flops(mean, 128) == encoder_layer_flops(base, 128));
  // Early exit after 3 layers with 3 heads evaluated.
  CHECK(instance_flops(mean, 128, 3, 3) == 3 * 1862270976.0 + 3 * (1182720.0 + 98304.0));
}

TEST_CASE("FLOPs of a small model with an odd sequence length and three labels", "[flops]") {
  BertConfig c = BertConfig::preset("tiny");  // h 128, I 512
  c.num_labels = 3;
  c.pooling = "cls";
  // s = 37: 8*37*128^2 = 4,849,664; 4*37^2*128 = 700,928; 4*37*128*512 = 9,699,328 -> 15,249,920.
  CHECK(encoder_layer_flops(c, 37) == 15249920.0);
  // Head: 2*128^2 = 32,768 + 2*128*3 = 768 -> 33,536 ([CLS]); mean adds 37*128 = 4,736 -> 38,272.
  CHECK(exit_head_flops(c, 37) == 33536.0);
  c.pooling = "mean";
  CHECK(exit_head_flops(c, 37) == 38272.0);
  // Two layers, two heads: 2 * 15,249,920 + 2 * 38,272 = 30,576,384.
  CHECK(instance_flops(c, 37, 2, 2) == 30576384.0);
  CHECK(instance_flops(c, 37, 0, 0) == 0.0);
  // The attention term is quadratic in length: doubling s more than doubles a layer.
  CHECK(encoder_layer_flops(c, 74) > 2 * encoder_layer_flops(c, 37));
}
