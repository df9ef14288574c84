// This machine's fp32 GEMM speed on the shapes an encoder layer multiplies,
// measured once per process, so every encoder benchmark can report its
// FLOP/s as a fraction of what plain matrix products reach in the same run.
#pragma once

#include <cstdint>

#include "data/batching.h"
#include "greenbench/bert_config.h"

namespace greenbench::microbench {

/// FLOP/s of torch::mm/bmm on exactly the products of one encoder layer at
/// (batch, seq_len), timed for at least `min_seconds` after a warm-up.
double layer_gemm_flops_per_second(const BertConfig& config, int batch, int seq_len, double min_seconds = 0.3);

/// The same product list as a benchmark body, for the BM_LayerGemms rows.
void run_layer_gemms(const BertConfig& config, int batch, int seq_len);

/// The model shape the microbenchmarks use: 4 x 256 ("mini"), 2 labels, 4 exits.
BertConfig microbench_config();

/// A batch of `batch` instances of random tokens, lengths uniform in
/// [min_len, max_len], random binary labels; the same for the same seed.
Batch random_batch(const BertConfig& config, int batch, int min_len, int max_len, uint64_t seed);

/// Splits GREENBENCH_THREADS (default 2) between OpenBLAS and LibTorch as a run does.
void use_run_thread_layout();

}  // namespace greenbench::microbench
