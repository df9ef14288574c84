// A WordPiece vocabulary: one token per line, line number = id (BERT's vocab.txt).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace greenbench {

class Vocab {
 public:
  static constexpr const char* kPad = "[PAD]";
  static constexpr const char* kUnk = "[UNK]";
  static constexpr const char* kCls = "[CLS]";
  static constexpr const char* kSep = "[SEP]";
  static constexpr const char* kMask = "[MASK]";

  Vocab() = default;
  /// Builds from tokens in id order; throws greenbench::Error on duplicates or
  /// when a special token ([PAD] [UNK] [CLS] [SEP]) is missing.
  explicit Vocab(std::vector<std::string> tokens);

  /// Reads vocab.txt; throws DataMissingError / DataFormatError (file, line).
  static Vocab load(const std::string& path);
  /// Writes vocab.txt atomically (temp file, then rename).
  void save(const std::string& path) const;

  int32_t size() const { return static_cast<int32_t>(tokens_.size()); }
  /// Id of `token`, or -1 if absent.
  int32_t find(const std::string& token) const;
  const std::string& token(int32_t id) const { return tokens_.at(static_cast<size_t>(id)); }
  const std::vector<std::string>& tokens() const { return tokens_; }
  int32_t pad_id() const { return pad_id_; }
  int32_t unk_id() const { return unk_id_; }
  int32_t cls_id() const { return cls_id_; }
  int32_t sep_id() const { return sep_id_; }
  /// sha256 of the vocabulary as saved (one token per line, '\n'-terminated).
  std::string sha256() const;

 private:
  std::vector<std::string> tokens_;
  std::unordered_map<std::string, int32_t> ids_;
  int32_t pad_id_ = -1, unk_id_ = -1, cls_id_ = -1, sep_id_ = -1;
};

}  // namespace greenbench
