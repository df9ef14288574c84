// A fast reader for the top-level string fields of one JSON object, for JSON
// Lines files (SNLI, MultiNLI).
//
// Why not nlohmann::json: building a DOM per line runs at about 40 MB/s here,
// and the official MultiNLI training file is 440 MB of lines whose parse trees
// we never use. This scanner validates the whole line against RFC 8259
// (objects, arrays, strings with every escape including surrogate pairs,
// numbers, literals) but decodes only the values asked for. Bytes >= 0x80
// inside strings are passed through unchecked.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace greenbench {

/// One top-level key to look for, and what was found under it.
struct JsonField {
  enum class Kind { kMissing, kString, kOther };
  JsonField() = default;
  /// Implicit, so a list of keys reads {{"gold_label"}, {"sentence1"}}.
  JsonField(std::string key_name) : key(std::move(key_name)) {}  // NOLINT(google-explicit-constructor)
  std::string key;
  Kind kind = Kind::kMissing;  ///< kOther: present but not a string
  std::string value;           ///< the decoded string when kind == kString
};

/// Parses `text`, which must hold exactly one JSON object (surrounding
/// whitespace allowed), and fills `fields` (kind and value are reset first;
/// a repeated key keeps its last value). Returns "" on success, otherwise what
/// is wrong and at which 1-based column ("column 17: expected ':' after an
/// object key").
std::string read_json_fields(std::string_view text, std::vector<JsonField>& fields);

}  // namespace greenbench
