#include "report/upload_verdict.h"

namespace greenbench {

IngestVerdict upload_verdict(const std::string& body, const ValidationOptions& options) {
  const RecordValidation v = validate_record_text(body, options);
  IngestVerdict verdict;
  verdict.ok = v.ok();
  verdict.errors = v.errors;
  if (v.ok()) {
    verdict.task = v.record.at("task").at("name");
    verdict.run_id = v.record.at("run_id");
    verdict.duplicate_key = v.duplicate_key;
  }
  return verdict;
}

}  // namespace greenbench
