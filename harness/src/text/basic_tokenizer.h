// BERT's BasicTokenizer: clean text, split on whitespace and punctuation,
// split CJK ideographs into single characters, optionally lower-case and strip
// accents (NFD, drop combining marks). Same output as Hugging Face's
// BasicTokenizer(do_lower_case=True, tokenize_chinese_chars=True).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace greenbench {

class BasicTokenizer {
 public:
  explicit BasicTokenizer(bool lower_case = true);
  /// UTF-8 in, UTF-8 tokens out. Invalid UTF-8 bytes are replaced, never thrown on.
  std::vector<std::string> tokenize(std::string_view text) const;
  /// Same tokens as tokenize(), passed one at a time to `emit` without
  /// building a vector; a view is valid only during its call.
  void tokenize_each(std::string_view text, const std::function<void(std::string_view)>& emit) const;

 private:
  bool lower_case_;
};

}  // namespace greenbench
