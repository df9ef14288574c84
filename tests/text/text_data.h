// Readers for the shared data the tokenizer tests and timings use: the text
// column of SST-2's TSV and of IMDB's CSV. Just enough for these files; the
// task loaders are elsewhere.
#pragma once

#include <cstddef>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace greenbench_test {

/// The shared data folder, or "" when this checkout has none.
inline std::string shared_data_dir() {
#ifdef GREENBENCH_SHARED_DATA
  std::ifstream probe(std::string(GREENBENCH_SHARED_DATA) + "/SOURCES.md");
  if (probe) return GREENBENCH_SHARED_DATA;
#endif
  return "";
}

/// First column of a tab-separated file with a header line.
inline std::vector<std::string> read_tsv_first_column(const std::string& path,
                                                      size_t limit = std::numeric_limits<size_t>::max()) {
  std::vector<std::string> out;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header
  while (out.size() < limit && std::getline(in, line)) out.push_back(line.substr(0, line.find('\t')));
  return out;
}

/// First column of an RFC 4180 CSV file with a header line (quoted fields may
/// hold commas, doubled quotes and newlines).
inline std::vector<std::string> read_csv_first_column(const std::string& path,
                                                      size_t limit = std::numeric_limits<size_t>::max()) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string data = buffer.str();
  const size_t n = data.size();
  size_t i = 0;
  auto next_field = [&]() {
    std::string field;
    if (i < n && data[i] == '"') {
      for (++i; i < n; ++i) {
        if (data[i] != '"') {
          field.push_back(data[i]);
        } else if (i + 1 < n && data[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          ++i;
          break;
        }
      }
    }
    while (i < n && data[i] != ',' && data[i] != '\n') field.push_back(data[i++]);
    if (!field.empty() && field.back() == '\r') field.pop_back();
    return field;
  };
  std::vector<std::string> out;
  bool header = true;
  while (i < n && out.size() < limit) {
    std::string first = next_field();
    while (i < n && data[i] == ',') {
      ++i;
      next_field();
    }
    ++i;  // the newline
    if (!header) out.push_back(std::move(first));
    header = false;
  }
  return out;
}

}  // namespace greenbench_test
