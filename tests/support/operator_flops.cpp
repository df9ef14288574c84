#include "support/operator_flops.h"

#include <cstring>

namespace greenbench {
namespace {
thread_local OperatorFlopCounter* active = nullptr;

std::unique_ptr<at::ObserverContext> on_enter(const at::RecordFunction& fn) {
  if (active) active->record(fn);
  return nullptr;
}

// The sizes of a tensor argument; empty when it is not a tensor.
std::vector<int64_t> shape_of(const c10::IValue& value) {
  if (!value.isTensor()) return {};
  return value.toTensor().sizes().vec();
}
}  // namespace

OperatorFlopCounter::OperatorFlopCounter() : previous_(active) {
  active = this;
  handle_ = at::addThreadLocalCallback(at::RecordFunctionCallback(&on_enter).needsInputs(true));
}

OperatorFlopCounter::~OperatorFlopCounter() {
  at::removeCallback(handle_);
  active = previous_;
}

void OperatorFlopCounter::record(const at::RecordFunction& fn) {
  const char* name = fn.name();
  // (operator, index of the left operand): addmm and baddbmm take the added
  // term first.
  int left = -1;
  bool batched = false;
  if (std::strcmp(name, "aten::mm") == 0) {
    left = 0;
  } else if (std::strcmp(name, "aten::addmm") == 0) {
    left = 1;
  } else if (std::strcmp(name, "aten::bmm") == 0) {
    left = 0, batched = true;
  } else if (std::strcmp(name, "aten::baddbmm") == 0) {
    left = 1, batched = true;
  } else {
    return;
  }
  const auto inputs = fn.inputs();
  if (inputs.size() < static_cast<size_t>(left + 2)) return;
  const auto a = shape_of(inputs[static_cast<size_t>(left)]);
  const auto b = shape_of(inputs[static_cast<size_t>(left + 1)]);
  double products = 0;
  if (!batched && a.size() == 2 && b.size() == 2) {
    products = static_cast<double>(a[0]) * static_cast<double>(a[1]) * static_cast<double>(b[1]);
  } else if (batched && a.size() == 3 && b.size() == 3) {
    products = static_cast<double>(a[0]) * static_cast<double>(a[1]) * static_cast<double>(a[2]) * static_cast<double>(b[2]);
  } else {
    return;
  }
  flops_[name] += 2 * products;
  calls_[name] += 1;
}

double OperatorFlopCounter::flops() const {
  double total = 0;
  for (const auto& [name, value] : flops_) total += value;
  return total;
}

void OperatorFlopCounter::reset() {
  flops_.clear();
  calls_.clear();
}

}  // namespace greenbench
