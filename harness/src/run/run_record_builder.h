// The record of one run, assembled from what evaluation measured and what the
// harness knows of the run: suite, method and its origin, task, training and
// its meters, the headline point, energy footprint, settings and provenance.
// Its run id and path follow record/record_path.h; a checkpoint evaluated
// again gets a key of its own, so it never replaces the record of training.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "record/run_record.h"
#include "run/runner.h"

namespace greenbench {

/// The record of `trained` on `prepared` with its evaluated `points` (the
/// last is the headline), `meter_statuses` (PhaseMeters::status()), the
/// headline point's model shape and the method's analysis; `path` set.
RunRecord build_run_record(const PreparedTask& prepared, const TrainedMethod& trained, const RunSettings& settings,
                           std::vector<OperatingPointRecord> points, MeterReadings meter_statuses,
                           nlohmann::json model, nlohmann::json analysis);

}  // namespace greenbench
