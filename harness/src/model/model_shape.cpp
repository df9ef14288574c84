#include "greenbench/model_shape.h"

namespace greenbench {

nlohmann::json BagOfNgramsShape::to_json() const {
  return {{"model_type", "bag_of_ngrams"}, {"embedding_dim", embedding_dim}, {"max_ngram", max_ngram},
          {"buckets", buckets}, {"num_labels", num_labels}};
}

ModelShape ModelShape::of_bert(const BertConfig& config, int64_t parameters) {
  ModelShape shape;
  shape.kind = Kind::bert;
  shape.bert = config;
  shape.parameters = parameters;
  return shape;
}

ModelShape ModelShape::of_bag_of_ngrams(const BagOfNgramsShape& bow, int64_t parameters) {
  ModelShape shape;
  shape.kind = Kind::bag_of_ngrams;
  shape.bag_of_ngrams = bow;
  shape.parameters = parameters;
  return shape;
}

nlohmann::json ModelShape::to_json() const {
  nlohmann::json j = {{"config", kind == Kind::bert ? bert.to_json() : bag_of_ngrams.to_json()},
                      {"parameter_count", parameters},
                      {"arithmetic", arithmetic}};
  if (nonzero_parameters >= 0) j["nonzero_parameter_count"] = nonzero_parameters;
  if (weight_bytes > 0) j["weight_bytes"] = weight_bytes;
  return j;
}

}  // namespace greenbench
