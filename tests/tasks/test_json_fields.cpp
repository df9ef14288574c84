// The JSON object field scanner, checked directly and against nlohmann::json
// (which the scanner replaces for speed): on hand-written valid and invalid
// lines and, where the shared data exists, on every line of the NLI files.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "data/csv.h"
#include "data/json_fields.h"

using namespace greenbench;
using Kind = JsonField::Kind;

namespace {

std::vector<JsonField> nli_fields() { return {{"gold_label"}, {"sentence1"}, {"sentence2"}}; }

/// nlohmann's view of the same line: valid?, and each field's kind and value.
bool reference(std::string_view line, std::vector<JsonField>& fields) {
  nlohmann::json parsed;
  try {
    parsed = nlohmann::json::parse(line.begin(), line.end());
  } catch (const nlohmann::json::exception&) {
    return false;
  }
  if (!parsed.is_object()) return false;
  for (JsonField& field : fields) {
    field.value.clear();
    auto it = parsed.find(field.key);
    field.kind = it == parsed.end() ? Kind::kMissing : it->is_string() ? Kind::kString : Kind::kOther;
    if (field.kind == Kind::kString) field.value = it->get<std::string>();
  }
  return true;
}

/// True when scanner and nlohmann agree on validity and on every field.
bool agrees(std::string_view line) {
  auto ours = nli_fields();
  auto theirs = nli_fields();
  const bool ours_valid = read_json_fields(line, ours).empty();
  const bool theirs_valid = reference(line, theirs);
  if (ours_valid != theirs_valid) return false;
  if (!ours_valid) return true;
  for (size_t i = 0; i < ours.size(); ++i) {
    if (ours[i].kind != theirs[i].kind || ours[i].value != theirs[i].value) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("json fields: strings found among other values of every type", "[tasks][json]") {
  auto fields = nli_fields();
  const std::string line =
      R"( {"annotator_labels": ["neutral", "x"], "captionID": "3416050480.jpg#4", "n": -12.5e+3, "z": 0, )"
      R"("t": true, "f": false, "null": null, "nested": {"sentence1": "not top level", "a": [[], {}]}, )"
      R"("sentence2": "second", "gold_label": "neutral", "sentence1": "first"} )";
  CHECK(read_json_fields(line, fields).empty());
  CHECK(fields[0].kind == Kind::kString);
  CHECK(fields[0].value == "neutral");
  CHECK(fields[1].value == "first");
  CHECK(fields[2].value == "second");
}

TEST_CASE("json fields: escapes and surrogate pairs decode to UTF-8", "[tasks][json]") {
  auto fields = nli_fields();
  const std::string line =
      R"({"gold_label": "a\"b\\c\/d\b\f\n\r\t", "sentence1": "caf\u00e9 \u20ac \ud83d\ude00", )"
      R"("sentence2": "\u0041"})";
  REQUIRE(read_json_fields(line, fields).empty());
  CHECK(fields[0].value == "a\"b\\c/d\b\f\n\r\t");
  CHECK(fields[1].value == "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
  CHECK(fields[2].value == "A");
  CHECK(agrees(line));
}

TEST_CASE("json fields: missing and non-string fields, repeated keys", "[tasks][json]") {
  auto fields = nli_fields();
  REQUIRE(read_json_fields(R"({"gold_label": 3, "sentence1": "a", "sentence1": "b"})", fields).empty());
  CHECK(fields[0].kind == Kind::kOther);
  CHECK(fields[1].value == "b");
  CHECK(fields[2].kind == Kind::kMissing);
  // Fields are reset on each call.
  REQUIRE(read_json_fields("{}", fields).empty());
  CHECK(fields[1].kind == Kind::kMissing);
  CHECK(fields[1].value.empty());
}

TEST_CASE("json fields: syntax errors say what and where", "[tasks][json]") {
  auto fields = nli_fields();
  CHECK(read_json_fields(R"({"a" 1})", fields) == "column 6: expected ':' after an object key");
  CHECK_THAT(read_json_fields(R"({"a": "never closed})", fields),
             Catch::StartsWith("column 7: unterminated string"));
  CHECK_THAT(read_json_fields("[1, 2]", fields), Catch::Contains("expected a JSON object"));
  CHECK_THAT(read_json_fields("", fields), Catch::Contains("end of the line"));
  CHECK_THAT(read_json_fields(R"({"a": 1} x)", fields), Catch::Contains("after the object"));
  CHECK_THAT(read_json_fields(R"({"a": "\x"})", fields), Catch::Contains("invalid escape"));
  CHECK_THAT(read_json_fields(R"({"a": "\udc00"})", fields), Catch::Contains("surrogate"));
  CHECK_THAT(read_json_fields(R"({"a": "\ud800x"})", fields), Catch::Contains("surrogate"));
  CHECK_THAT(read_json_fields("{\"a\": \"tab\there\"}", fields), Catch::Contains("control character"));
  CHECK_THAT(read_json_fields(std::string(300, '['), fields), Catch::Contains("JSON object"));
  CHECK_THAT(read_json_fields("{\"a\":" + std::string(300, '[') + std::string(300, ']') + "}", fields),
             Catch::Contains("nesting"));
}

TEST_CASE("json fields: agree with nlohmann on valid and invalid lines", "[tasks][json]") {
  const std::vector<std::string> lines = {
      R"({"gold_label": "neutral", "sentence1": "a", "sentence2": "b"})",
      R"({"gold_label":"-","sentence1":"","sentence2":" "})",
      R"(  { "sentence1" : "x" , "gold_label" : [ 1 , 2 , { "k" : null } ] }  )",
      R"({"a": -0, "b": 0.5, "c": 1E9, "d": -1.0e-2, "sentence2": "\u00e9\u00E9"})",
      R"({"a": 01})",
      R"({"a": 1.})",
      R"({"a": .5})",
      R"({"a": -})",
      R"({"a": 1e})",
      R"({"a": +1})",
      R"({"a": tru})",
      R"({"a": nul})",
      R"({"a": [1, 2,]})",
      R"({"a": 1,})",
      R"({,})",
      R"({"a": 1 "b": 2})",
      R"({"a": [1 2]})",
      R"({"sentence1": "\u12"})",
      R"({"sentence1": "\uD834\uDD1E"})",
      R"("just a string")",
      R"({"a": {"b": {"c": [true, false, null]}}, "sentence2": "deep"})",
      "{\"a\": 1}\r",
      "{\"a\": 1}\t ",
  };
  for (const std::string& line : lines) {
    INFO(line);
    CHECK(agrees(line));
  }
}

TEST_CASE("json fields: agree with nlohmann on every line of the real NLI files", "[tasks][json][real]") {
  const std::string root = GREENBENCH_SHARED_DATA;
  std::error_code error;
  if (!std::filesystem::is_directory(root, error)) {
    WARN("shared data folder " << root << " is absent; skipped");
    return;
  }
  for (const char* file :
       {"snli/train.jsonl", "snli/dev.jsonl", "mnli/train.jsonl", "mnli/dev_matched.jsonl"}) {
    const std::string path = root + "/" + file;
    if (!std::filesystem::exists(path)) continue;
    const std::string bytes = read_whole_file(path);
    LineReader lines(bytes);
    std::string_view line;
    size_t disagreements = 0, count = 0;
    while (lines.next(line)) {
      if (line.empty()) continue;
      ++count;
      if (!agrees(line)) ++disagreements;
    }
    INFO(file << ": " << count << " lines");
    CHECK(count > 0);
    CHECK(disagreements == 0);
  }
}
