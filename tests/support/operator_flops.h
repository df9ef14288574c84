// A test instrument: counts the FLOPs of the matrix products LibTorch actually executes, from
// the operand shapes a RecordFunction callback sees at each aten::mm, addmm,
// bmm and baddbmm call on this thread. It knows nothing of BERT, so it is an
// independent check of the analytic count in measure/flops.h. Meant for fp32
// inference and one counter at a time: under autocast a direct mm call is
// dispatched twice, and nested counters would both count.
#pragma once

#include <ATen/record_function.h>

#include <map>
#include <string>

namespace greenbench {

class OperatorFlopCounter {
 public:
  /// Starts counting on the calling thread; stops when destroyed.
  OperatorFlopCounter();
  ~OperatorFlopCounter();
  OperatorFlopCounter(const OperatorFlopCounter&) = delete;
  OperatorFlopCounter& operator=(const OperatorFlopCounter&) = delete;

  /// Multiply-adds x 2 of every matrix product seen so far.
  double flops() const;
  /// The same, per operator name ("aten::mm": ..., with call counts in calls()).
  const std::map<std::string, double>& by_operator() const { return flops_; }
  const std::map<std::string, int64_t>& calls() const { return calls_; }
  void reset();

  /// Records one call (called from the callback; public for the callback only).
  void record(const at::RecordFunction& fn);

 private:
  at::CallbackHandle handle_;
  OperatorFlopCounter* previous_;
  std::map<std::string, double> flops_;
  std::map<std::string, int64_t> calls_;
};

}  // namespace greenbench
