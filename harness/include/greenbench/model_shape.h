// The architecture the harness counts an operating point's FLOPs from. A
// method describes the model it ran; it never reports its own FLOPs.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "greenbench/bert_config.h"

namespace greenbench {

/// A fastText-style classifier: hashed word-piece n-gram embeddings averaged,
/// then one linear layer.
struct BagOfNgramsShape {
  int embedding_dim = 64;
  int max_ngram = 2;       ///< uni- up to max_ngram-grams of word pieces
  int64_t buckets = 0;     ///< rows of the hashed embedding table
  int num_labels = 2;
  nlohmann::json to_json() const;
};

struct ModelShape {
  enum class Kind { bert, bag_of_ngrams };
  Kind kind = Kind::bert;
  BertConfig bert;                 ///< kind bert: layers, per-layer heads and feed-forward widths, exits
  BagOfNgramsShape bag_of_ngrams;  ///< kind bag_of_ngrams
  /// What the matrix products run in ("fp32", "int8 dynamic (qnnpack)"): FLOPs
  /// count multiply-adds whatever the arithmetic; this says which.
  std::string arithmetic = "fp32";
  int64_t parameters = 0;
  /// Nonzero parameters where a method zeroes weights without removing them.
  int64_t nonzero_parameters = -1;
  /// Bytes of the weights as inference holds them (int8 weights: 1 byte each); 0: not stated.
  int64_t weight_bytes = 0;

  static ModelShape of_bert(const BertConfig& config, int64_t parameters);
  static ModelShape of_bag_of_ngrams(const BagOfNgramsShape& shape, int64_t parameters);
  nlohmann::json to_json() const;
  /// Reads what to_json wrote (the record's "model" of a point); throws on a wrong shape.
  static ModelShape from_json(const nlohmann::json& j);
};

}  // namespace greenbench
