// The format readers: RFC-4180 CSV, lines, TSV fields, whole-file reads.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "data/csv.h"
#include "fixture.h"
#include "greenbench/error.h"

using namespace greenbench;
using Fields = std::vector<std::string>;

namespace {

std::vector<Fields> parse_all(const std::string& text, char delimiter = ',') {
  CsvReader reader(text, "t.csv", delimiter);
  std::vector<Fields> records;
  Fields fields;
  while (reader.next(fields)) records.push_back(fields);
  return records;
}

}  // namespace

TEST_CASE("csv: plain and quoted fields, doubled quotes, embedded commas", "[tasks][csv]") {
  auto records = parse_all("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"\"\n");
  REQUIRE(records.size() == 2);
  CHECK(records[0] == Fields{"a", "b", "c"});
  CHECK(records[1] == Fields{"x, y", "say \"hi\"", ""});
}

TEST_CASE("csv: quoted fields span lines and line numbers follow them", "[tasks][csv]") {
  const std::string text = "\"1\",\"two\nlines\"\n\"2\",\"three\r\nmore\nlines\"\n3,x\n";
  CsvReader reader(text, "t.csv");
  Fields fields;
  REQUIRE(reader.next(fields));
  CHECK(reader.line() == 1);
  CHECK(fields == Fields{"1", "two\nlines"});
  REQUIRE(reader.next(fields));
  CHECK(reader.line() == 3);
  CHECK(fields == Fields{"2", "three\r\nmore\nlines"});
  REQUIRE(reader.next(fields));
  CHECK(reader.line() == 6);
  CHECK(fields == Fields{"3", "x"});
  CHECK_FALSE(reader.next(fields));
}

TEST_CASE("csv: CRLF, empty fields, blank lines, missing final newline, BOM", "[tasks][csv]") {
  auto records = parse_all("\xEF\xBB\xBFh1,h2\r\n\r\n,\r\n\"q\",\r\nlast,row");
  REQUIRE(records.size() == 4);
  CHECK(records[0] == Fields{"h1", "h2"});
  CHECK(records[1] == Fields{"", ""});
  CHECK(records[2] == Fields{"q", ""});
  CHECK(records[3] == Fields{"last", "row"});
  CHECK(parse_all("").empty());
  CHECK(parse_all("\n\n").empty());
}

TEST_CASE("csv: a quote inside an unquoted field is kept", "[tasks][csv]") {
  auto records = parse_all("5\" disk,ok\n");
  REQUIRE(records.size() == 1);
  CHECK(records[0] == Fields{"5\" disk", "ok"});
}

TEST_CASE("csv: tab delimiter", "[tasks][csv]") {
  auto records = parse_all("a\tb,c\n\"t\tq\"\td\n", '\t');
  REQUIRE(records.size() == 2);
  CHECK(records[0] == Fields{"a", "b,c"});
  CHECK(records[1] == Fields{"t\tq", "d"});
}

TEST_CASE("csv: unterminated quote names the file and the line it opens on", "[tasks][csv]") {
  const std::string text = "\"1\",\"fine\"\n\"2\",\"never\nclosed\n";
  CsvReader reader(text, "broken.csv");
  Fields fields;
  REQUIRE(reader.next(fields));
  try {
    reader.next(fields);
    FAIL("expected DataFormatError");
  } catch (const DataFormatError& e) {
    CHECK(e.file() == "broken.csv");
    CHECK(e.line() == 2);
    CHECK_THAT(e.what(), Catch::Contains("broken.csv:2:") && Catch::Contains("closing double quote"));
  }
}

TEST_CASE("csv: text after a closing quote is an error", "[tasks][csv]") {
  const std::string text = "a,b\n\"x\"y,z\n";
  CsvReader reader(text, "junk.csv");
  Fields fields;
  REQUIRE(reader.next(fields));
  try {
    reader.next(fields);
    FAIL("expected DataFormatError");
  } catch (const DataFormatError& e) {
    CHECK(e.line() == 2);
    CHECK_THAT(e.what(), Catch::Contains("junk.csv:2:") && Catch::Contains("'y'"));
  }
}

TEST_CASE("lines: LF and CRLF, numbering, last line without newline", "[tasks][csv]") {
  const std::string text =
      "\xEF\xBB\xBF"
      "one\r\ntwo\n\nfour";
  LineReader reader(text);
  std::string_view line;
  std::vector<std::string> lines;
  while (reader.next(line)) lines.emplace_back(line);
  CHECK(lines == std::vector<std::string>{"one", "two", "", "four"});
  CHECK(reader.line() == 4);
}

TEST_CASE("split_fields and trim_ascii", "[tasks][csv]") {
  std::vector<std::string_view> fields;
  split_fields("a\t\tb\t", '\t', fields);
  REQUIRE(fields.size() == 4);
  CHECK(fields[0] == "a");
  CHECK(fields[1].empty());
  CHECK(fields[2] == "b");
  CHECK(fields[3].empty());
  CHECK(trim_ascii("  x y \t\r\n") == "x y");
  CHECK(trim_ascii("   ").empty());
}

TEST_CASE("read_whole_file reads bytes exactly and reports a missing file", "[tasks][csv]") {
  testing::TempDir dir;
  std::string content(200000, 'x');
  content[5] = '\0';
  content += "\r\nend";
  testing::write_file(dir / "f.bin", content);
  CHECK(read_whole_file(dir / "f.bin") == content);
  std::string reused = "previous contents";
  read_whole_file(dir / "f.bin", reused);
  CHECK(reused == content);
  testing::write_file(dir / "empty", "");
  CHECK(read_whole_file(dir / "empty").empty());
  CHECK_THROWS_AS(read_whole_file(dir / "absent.csv"), DataMissingError);
  CHECK_THROWS_WITH(read_whole_file(dir / "absent.csv"), Catch::Contains("absent.csv"));
}
