// BERT's BasicTokenizer, token for token the same as Hugging Face's
// (transformers.models.bert.tokenization_bert.BasicTokenizer):
//   _clean_text: drop U+0000, U+FFFD, Cc and Cf (except \t \n \r, which are
//     whitespace); whitespace (\t \n \r, Zs) separates tokens;
//   _tokenize_chinese_chars: every CJK ideograph is a token of its own;
//   NFC, then split on whitespace (Python's str.split also splits on U+2028
//     and U+2029, the only str.isspace() characters that survive cleaning);
//   per whitespace token: lower-case (full Unicode, with Final_Sigma), NFD and
//     drop Mn marks (when lower-casing, as strip_accents=None does), then split
//     off every punctuation character (ASCII symbols and Unicode P*).
//
// Speed: IMDB is ~99% ASCII, so a whitespace token made only of ASCII is
// lower-cased and split with table lookups, straight from the input when it
// needs no cleaning. Only tokens holding a non-ASCII character go through
// ICU, and they go through it whole: lower-casing is context sensitive
// (Greek final sigma looks across punctuation), so splitting a token into
// ASCII and non-ASCII parts first would change the result.
#include "text/basic_tokenizer.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>

#include <array>

#include "greenbench/error.h"
#include "text/unicode.h"

namespace greenbench {
namespace {

enum AsciiClass : uint8_t {
  kWordChar = 0,  // letters, digits
  kPunct = 1,     // HF: every non-alphanumeric printable ASCII character
  kSpace = 2,     // \t \n \r and ' '
  kDrop = 3,      // other control characters (Cc), removed by _clean_text
};

constexpr std::array<uint8_t, 128> make_ascii_classes() {
  std::array<uint8_t, 128> t{};
  for (int c = 0; c < 128; ++c) {
    uint8_t cls = kWordChar;
    if (c == '\t' || c == '\n' || c == '\r' || c == ' ') {
      cls = kSpace;
    } else if (c < 0x20 || c == 0x7F) {
      cls = kDrop;
    } else if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) {
      cls = kPunct;
    }
    t[static_cast<size_t>(c)] = cls;
  }
  return t;
}
constexpr std::array<uint8_t, 128> kAsciiClasses = make_ascii_classes();

constexpr std::array<char, 128> make_ascii_lower() {
  std::array<char, 128> t{};
  for (int c = 0; c < 128; ++c) t[static_cast<size_t>(c)] = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return t;
}
constexpr std::array<char, 128> kAsciiLower = make_ascii_lower();

bool is_punctuation(char32_t cp) {
  if (cp < 128) return kAsciiClasses[cp] == kPunct;
  return u_ispunct(static_cast<UChar32>(cp));
}

struct Normalizers {
  const icu::Normalizer2* nfc;
  const icu::Normalizer2* nfd;
};

const Normalizers& normalizers() {
  static const Normalizers n = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    if (U_FAILURE(status)) {
      throw Error(std::string("tokenizer: cannot load ICU normalization data: ") + u_errorName(status));
    }
    return Normalizers{nfc, nfd};
  }();
  return n;
}

// One tokenize() call: the scratch buffers are reused for every token.
class Splitter {
 public:
  Splitter(bool lower_case, const std::function<void(std::string_view)>& emit)
      : lower_case_(lower_case), emit_(emit) {}

  void run(std::string_view text) {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const size_t n = text.size();
    size_t i = 0;
    while (i < n) {
      // A run of printable ASCII is the common case: take it in one go.
      const size_t start = i;
      while (i < n && p[i] < 0x80 && kAsciiClasses[p[i]] <= kPunct) ++i;
      if (i > start) {
        const bool token_ends_here = i == n || (p[i] < 0x80 && kAsciiClasses[p[i]] == kSpace);
        if (word_.empty() && token_ends_here) {
          finish_ascii(text.substr(start, i - start));  // no copy needed
        } else {
          word_.append(text.data() + start, i - start);
        }
        continue;
      }
      const unsigned char b = p[i];
      if (b < 0x80) {
        if (kAsciiClasses[b] == kSpace) finish_word();
        ++i;  // kDrop: removed without separating anything
        continue;
      }
      const char32_t cp = utf8::decode(text, i);
      if (cp == utf8::kReplacement) continue;  // invalid bytes decode to U+FFFD, which HF drops
      const int8_t type = u_charType(static_cast<UChar32>(cp));
      if (type == U_CONTROL_CHAR || type == U_FORMAT_CHAR) continue;
      if (type == U_SPACE_SEPARATOR || type == U_LINE_SEPARATOR || type == U_PARAGRAPH_SEPARATOR) {
        finish_word();
        continue;
      }
      if (is_cjk_ideograph(cp)) {
        finish_word();
        utf8::append(word_, cp);
        word_ascii_ = false;
        finish_word();
        continue;
      }
      utf8::append(word_, cp);
      word_ascii_ = false;
    }
    finish_word();
  }

 private:
  void finish_word() {
    if (word_.empty()) return;
    if (word_ascii_) {
      finish_ascii(word_);
    } else {
      finish_unicode(word_);
    }
    word_.clear();
    word_ascii_ = true;
  }

  // Lower-cases into piece_ and emits the pieces between punctuation marks.
  void finish_ascii(std::string_view raw) {
    std::string_view source = raw;
    if (lower_case_) {
      piece_.resize(raw.size());
      for (size_t k = 0; k < raw.size(); ++k) piece_[k] = kAsciiLower[static_cast<unsigned char>(raw[k])];
      source = piece_;
    }
    size_t begin = 0;
    for (size_t k = 0; k < source.size(); ++k) {
      if (kAsciiClasses[static_cast<unsigned char>(source[k])] == kPunct) {
        if (k > begin) emit_(source.substr(begin, k - begin));
        emit_(source.substr(k, 1));
        begin = k + 1;
      }
    }
    if (begin < source.size()) emit_(source.substr(begin));
  }

  void finish_unicode(std::string_view raw) {
    const Normalizers& norm = normalizers();
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString text = icu::UnicodeString::fromUTF8(icu::StringPiece(raw.data(), static_cast<int32_t>(raw.size())));
    icu::UnicodeString composed = norm.nfc->normalize(text, status);
    if (U_FAILURE(status)) composed = text;
    const icu::UnicodeString* result = &composed;
    icu::UnicodeString decomposed;
    if (lower_case_) {
      composed.toLower(icu::Locale::getRoot());
      status = U_ZERO_ERROR;
      decomposed = norm.nfd->normalize(composed, status);
      if (U_FAILURE(status)) decomposed = composed;
      result = &decomposed;
    }
    const char16_t* buf = result->getBuffer();
    const int32_t len = result->length();
    piece_.clear();
    for (int32_t k = 0; k < len;) {
      UChar32 c;
      U16_NEXT(buf, k, len, c);
      if (lower_case_ && u_charType(c) == U_NON_SPACING_MARK) continue;  // strip accents
      if (is_punctuation(static_cast<char32_t>(c))) {
        if (!piece_.empty()) emit_(piece_);
        piece_.clear();
        utf8::append(piece_, static_cast<char32_t>(c));
        emit_(piece_);
        piece_.clear();
      } else {
        utf8::append(piece_, static_cast<char32_t>(c));
      }
    }
    if (!piece_.empty()) emit_(piece_);
  }

  bool lower_case_;
  const std::function<void(std::string_view)>& emit_;
  std::string word_;        // the current whitespace token, cleaned
  bool word_ascii_ = true;  // word_ holds only ASCII
  std::string piece_;       // lower-cased / normalized output of one token
};

}  // namespace

BasicTokenizer::BasicTokenizer(bool lower_case) : lower_case_(lower_case) {}

void BasicTokenizer::tokenize_each(std::string_view text, const std::function<void(std::string_view)>& emit) const {
  Splitter(lower_case_, emit).run(text);
}

std::vector<std::string> BasicTokenizer::tokenize(std::string_view text) const {
  std::vector<std::string> tokens;
  tokenize_each(text, [&tokens](std::string_view token) { tokens.emplace_back(token); });
  return tokens;
}

}  // namespace greenbench
