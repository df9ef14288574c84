// `greenbench validate` on a hostile record: validate_record_text promises
// never to throw on bad input, so here an exception is a bug as much as a
// crash is. A record it accepts must also give the ids the ingest server
// stores it under.
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "record/record_validation.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace greenbench;
  static const ValidationOptions options;  // the defaults of `greenbench validate`
  const RecordValidation v = validate_record_text(std::string(fuzz::as_text(data, size)), options);
  if (v.ok()) {
    // Present and strings when valid: the schema requires them.
    (void)v.record.at("task").at("name").get<std::string>();
    (void)v.record.at("run_id").get<std::string>();
    if (v.duplicate_key.empty()) std::abort();
  }
  return 0;
}
