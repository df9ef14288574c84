// The version of the record format greenbench writes. results/schema.json
// describes it (0.1 had "suite" as a bare name and no compute paths).
#pragma once

namespace greenbench {

inline constexpr const char* kRecordSchemaVersion = "0.2";

}  // namespace greenbench
