// Readers for the text formats the datasets come in: whole-file reads,
// RFC-4180 CSV, line-oriented text (TSV, JSONL).
//
// Every reader works on a buffer holding the whole file: the IMDB training
// file is read on every run, and one read plus a pointer scan is several
// times faster than per-character stream extraction. Errors are
// DataFormatError with the file and the 1-based line, never a crash.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace greenbench {

/// The whole file as bytes. Throws DataMissingError naming the path and the
/// system's reason when it cannot be opened or read, and DataFormatError
/// naming it when it is not a regular file (a folder, a FIFO, a device), so
/// that nothing waits on a pipe or reads a folder as text.
std::string read_whole_file(const std::string& path);

/// Reads `path` into `out`, reusing its capacity (for reading many small files).
void read_whole_file(const std::string& path, std::string& out);

/// RFC-4180 records from a buffer: fields separated by `delimiter`, records by
/// LF or CRLF, fields optionally in double quotes with "" for a quote inside;
/// quoted fields may span lines. A quote inside an unquoted field is kept as a
/// literal character (real files have them). Empty lines are skipped; a UTF-8
/// byte-order mark at the start is ignored.
class CsvReader {
 public:
  /// `text` must outlive the reader; `file` is only used in error messages.
  CsvReader(std::string_view text, std::string file, char delimiter = ',');

  /// Reads the next record into `fields` (replacing what it held); false at the end.
  /// Throws DataFormatError for an unterminated quoted field or for text
  /// between a closing quote and the next delimiter.
  bool next(std::vector<std::string>& fields);

  /// 1-based line on which the record last returned by next() starts.
  long line() const { return record_line_; }
  const std::string& file() const { return file_; }

 private:
  std::string_view text_;
  std::string file_;
  char delimiter_;
  size_t pos_ = 0;
  long line_ = 1;
  long record_line_ = 0;
};

/// Lines of a buffer, without their LF or CRLF; a UTF-8 byte-order mark at the
/// start is ignored. The last line needs no terminator.
class LineReader {
 public:
  explicit LineReader(std::string_view text);
  /// The next line (a view into the buffer); false at the end.
  bool next(std::string_view& line);
  /// 1-based number of the line last returned.
  long line() const { return line_; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  long line_ = 0;
};

/// Splits `line` at every `delimiter` (no quoting: GLUE's TSV files have none)
/// into `fields`, which is cleared first. Views point into `line`.
void split_fields(std::string_view line, char delimiter, std::vector<std::string_view>& fields);

/// `text` without leading and trailing ASCII whitespace.
std::string_view trim_ascii(std::string_view text);

}  // namespace greenbench
