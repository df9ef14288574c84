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

ModelShape ModelShape::from_json(const nlohmann::json& j) {
  const nlohmann::json& config = j.at("config");
  ModelShape shape;
  if (config.at("model_type") == "bag_of_ngrams") {
    shape.kind = Kind::bag_of_ngrams;
    shape.bag_of_ngrams.embedding_dim = config.at("embedding_dim").get<int>();
    shape.bag_of_ngrams.max_ngram = config.at("max_ngram").get<int>();
    shape.bag_of_ngrams.buckets = config.at("buckets").get<int64_t>();
    shape.bag_of_ngrams.num_labels = config.at("num_labels").get<int>();
  } else {
    shape.kind = Kind::bert;
    shape.bert = BertConfig::from_json(config);
  }
  shape.parameters = j.at("parameter_count").get<int64_t>();
  shape.arithmetic = j.value("arithmetic", "fp32");
  shape.nonzero_parameters = j.value("nonzero_parameter_count", int64_t{-1});
  shape.weight_bytes = j.value("weight_bytes", int64_t{0});
  return shape;
}

}  // namespace greenbench
