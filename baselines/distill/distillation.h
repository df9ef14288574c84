// Knowledge-distillation losses (Hinton et al. 2015; DistilBERT, Sanh et al. 2019).
#pragma once

#include <torch/torch.h>

#include <vector>

namespace greenbench {

/// alpha * T^2 * KL(softmax(teacher/T) || softmax(student/T)) + (1 - alpha) * CE(student, labels),
/// KL and CE averaged over the batch, computed in fp32. T^2 keeps the soft
/// term's gradients the same size whatever T (they shrink as 1/T^2).
/// The teacher's logits are treated as constants.
torch::Tensor distillation_loss(const torch::Tensor& student_logits, const torch::Tensor& teacher_logits,
                                const torch::Tensor& labels, double temperature, double alpha);

/// DistilBERT's cosine loss: the mean over pairs and over real tokens
/// (attention_mask 1) of 1 - cos(student[i], teacher[i]), each [B,S,H]. The
/// teacher's states are treated as constants.
torch::Tensor hidden_cosine_loss(const std::vector<torch::Tensor>& student, const std::vector<torch::Tensor>& teacher,
                                 const torch::Tensor& attention_mask);

}  // namespace greenbench
