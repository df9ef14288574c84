// What `greenbench serve` says of an uploaded record: the verdict of
// `greenbench validate`, in the ingest server's terms (where to store it and
// its duplicate key). One function, so the server and its fuzz target judge
// uploads alike.
#pragma once

#include <string>

#include "leaderboard/ingest_server.h"
#include "record/record_validation.h"

namespace greenbench {

/// Validates `body` as a record; thread-safe, as the server requires.
IngestVerdict upload_verdict(const std::string& body, const ValidationOptions& options);

}  // namespace greenbench
