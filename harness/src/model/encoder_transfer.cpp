#include "model/encoder_transfer.h"

#include <stdexcept>
#include <string>

namespace greenbench {

int copy_encoder_layers(const BertModel& source, BertModel& target) {
  const int depth = target->config.num_hidden_layers;
  if (depth > source->config.num_hidden_layers) {
    throw std::invalid_argument("cannot start a " + std::to_string(depth) + "-layer model from a " +
                                std::to_string(source->config.num_hidden_layers) + "-layer encoder");
  }
  const auto from = source->named_parameters();
  torch::NoGradGuard no_grad;
  int copied = 0;
  for (const auto& item : target->named_parameters()) {
      const std::string& name = item.key();
      // Only the embeddings and encoder.layer.<i> with i < depth; never the pooler.
      if (name.rfind("pooler.", 0) == 0) continue;
      const torch::Tensor* value = from.find(name);
      if (!value) throw std::invalid_argument("the pretrained encoder has no " + name);
      if (!value->sizes().equals(item.value().sizes())) {
        throw std::invalid_argument(name + ": pretrained shape " + c10::str(value->sizes()) + ", model shape " +
                                    c10::str(item.value().sizes()));
      }
      item.value().copy_(*value);
      ++copied;
  }
  return copied;
}

}  // namespace greenbench
