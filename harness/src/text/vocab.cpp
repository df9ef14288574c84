#include "text/vocab.h"

#include <fstream>
#include <sstream>

#include "greenbench/error.h"
#include "util/atomic_file.h"
#include "util/sha256.h"

namespace greenbench {

Vocab::Vocab(std::vector<std::string> tokens) : tokens_(std::move(tokens)) {
  ids_.reserve(tokens_.size());
  for (size_t i = 0; i < tokens_.size(); ++i) {
    if (!ids_.emplace(tokens_[i], static_cast<int32_t>(i)).second) {
      throw Error("vocabulary: token '" + tokens_[i] + "' appears twice (ids " + std::to_string(ids_[tokens_[i]]) +
                  " and " + std::to_string(i) + ")");
    }
  }
  pad_id_ = find(kPad);
  unk_id_ = find(kUnk);
  cls_id_ = find(kCls);
  sep_id_ = find(kSep);
  for (const char* special : {kPad, kUnk, kCls, kSep}) {
    if (find(special) < 0) throw Error(std::string("vocabulary: special token ") + special + " is missing");
  }
}

Vocab Vocab::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw DataMissingError("vocabulary file not found: " + path);
  std::vector<std::string> tokens;
  std::string line;
  long line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) throw DataFormatError(path, line_no, "expected one token per line, found an empty line");
    tokens.push_back(line);
  }
  try {
    return Vocab(std::move(tokens));
  } catch (const Error& e) {
    throw Error(path + ": " + e.what());
  }
}

void Vocab::save(const std::string& path) const {
  std::string content;
  for (const auto& t : tokens_) content += t + "\n";
  write_file_atomic(path, content);
}

int32_t Vocab::find(const std::string& token) const {
  auto it = ids_.find(token);
  return it == ids_.end() ? -1 : it->second;
}

std::string Vocab::sha256() const {
  Sha256 hasher;
  for (const auto& t : tokens_) {
    hasher.update(t);
    hasher.update("\n");
  }
  return hasher.hex_digest();
}

}  // namespace greenbench
