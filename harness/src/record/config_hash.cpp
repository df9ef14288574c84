// The configuration hash: nlohmann::json keeps object keys sorted, so dump()
// is canonical and equal configurations hash alike.
#include "record/config_hash.h"

#include "util/sha256.h"

namespace greenbench {

std::string config_hash(const nlohmann::json& j) { return sha256_hex(j.dump()).substr(0, 16); }

}  // namespace greenbench
