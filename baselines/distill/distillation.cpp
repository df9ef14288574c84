#include "baselines/distill/distillation.h"

#include <stdexcept>
#include <string>

namespace greenbench {

torch::Tensor distillation_loss(const torch::Tensor& student_logits, const torch::Tensor& teacher_logits,
                                const torch::Tensor& labels, double temperature, double alpha) {
  if (!(temperature > 0)) throw std::invalid_argument("distillation temperature must be > 0, got " + std::to_string(temperature));
  if (!(alpha >= 0 && alpha <= 1)) throw std::invalid_argument("distillation alpha must be in [0, 1], got " + std::to_string(alpha));
  auto student = student_logits.to(torch::kFloat);
  auto teacher = teacher_logits.detach().to(torch::kFloat);
  auto log_p_student = torch::log_softmax(student / temperature, -1);
  auto log_p_teacher = torch::log_softmax(teacher / temperature, -1);
  auto kl = (log_p_teacher.exp() * (log_p_teacher - log_p_student)).sum(-1).mean();
  auto ce = torch::nn::functional::cross_entropy(student, labels);
  return alpha * temperature * temperature * kl + (1 - alpha) * ce;
}

torch::Tensor hidden_cosine_loss(const std::vector<torch::Tensor>& student, const std::vector<torch::Tensor>& teacher,
                                 const torch::Tensor& attention_mask) {
  if (student.size() != teacher.size() || student.empty()) {
    throw std::invalid_argument("hidden_cosine_loss: " + std::to_string(student.size()) + " student and " +
                                std::to_string(teacher.size()) + " teacher states (need as many, at least one)");
  }
  auto mask = attention_mask.to(torch::kFloat);
  const auto tokens = mask.sum().clamp_min(1.0);
  auto total = torch::zeros({}, torch::kFloat);
  for (size_t i = 0; i < student.size(); ++i) {
    auto cos = torch::cosine_similarity(student[i].to(torch::kFloat), teacher[i].detach().to(torch::kFloat), -1);
    total = total + ((1 - cos) * mask).sum() / tokens;
  }
  return total / static_cast<double>(student.size());
}

}  // namespace greenbench
