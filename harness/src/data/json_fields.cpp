// The validating JSON object scanner of json_fields.h.
#include "data/json_fields.h"

#include <cstdint>

namespace greenbench {
namespace {

// Deeper nesting than any dataset has; the limit keeps a hostile line from
// exhausting the stack through recursion.
constexpr int kMaxDepth = 256;

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  std::string run(std::vector<JsonField>& fields) {
    for (JsonField& field : fields) {
      field.kind = JsonField::Kind::kMissing;
      field.value.clear();
    }
    skip_space();
    if (at_end() || text_[pos_] != '{') {
      fail(at_end() ? "expected a JSON object, found the end of the line" : "expected a JSON object ('{')");
      return error_;
    }
    if (!object(1, &fields)) return error_;
    skip_space();
    if (!at_end()) fail("unexpected text after the object");
    return error_;
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }

  bool fail(const std::string& what) {
    if (error_.empty()) error_ = "column " + std::to_string(pos_ + 1) + ": " + what;
    return false;
  }

  void skip_space() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
      ++pos_;
    }
  }

  bool expect(char c, const char* what) {
    skip_space();
    if (at_end() || text_[pos_] != c) return fail(what);
    ++pos_;
    return true;
  }

  /// At '{'. With `fields`, records the top-level keys asked for.
  bool object(int depth, std::vector<JsonField>* fields) {
    if (depth > kMaxDepth) return fail("nesting deeper than 256 levels");
    ++pos_;
    skip_space();
    if (!at_end() && text_[pos_] == '}') {
      ++pos_;
      return true;
    }
    while (true) {
      skip_space();
      if (at_end() || text_[pos_] != '"') return fail("expected a string as object key");
      key_.clear();
      if (!string(fields ? &key_ : nullptr)) return false;
      if (!expect(':', "expected ':' after an object key")) return false;
      skip_space();
      JsonField* wanted = nullptr;
      if (fields) {
        for (JsonField& field : *fields) {
          if (field.key == key_) wanted = &field;
        }
      }
      if (wanted && !at_end() && text_[pos_] == '"') {
        wanted->value.clear();
        if (!string(&wanted->value)) return false;
        wanted->kind = JsonField::Kind::kString;
      } else {
        if (!value(depth)) return false;
        if (wanted) {
          wanted->kind = JsonField::Kind::kOther;
          wanted->value.clear();
        }
      }
      skip_space();
      if (at_end()) return fail("expected ',' or '}' in an object, found the end of the line");
      if (text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (text_[pos_] == '}') {
        ++pos_;
        return true;
      }
      return fail("expected ',' or '}' in an object");
    }
  }

  bool array(int depth) {
    if (depth > kMaxDepth) return fail("nesting deeper than 256 levels");
    ++pos_;
    skip_space();
    if (!at_end() && text_[pos_] == ']') {
      ++pos_;
      return true;
    }
    while (true) {
      if (!value(depth)) return false;
      skip_space();
      if (at_end()) return fail("expected ',' or ']' in an array, found the end of the line");
      if (text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (text_[pos_] == ']') {
        ++pos_;
        return true;
      }
      return fail("expected ',' or ']' in an array");
    }
  }

  /// Any value, skipped (its container is at `depth`).
  bool value(int depth) {
    skip_space();
    if (at_end()) return fail("expected a value, found the end of the line");
    switch (text_[pos_]) {
      case '{':
        return object(depth + 1, nullptr);
      case '[':
        return array(depth + 1);
      case '"':
        return string(nullptr);
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        return number();
    }
  }

  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word)
      return fail("invalid literal (expected true, false or null)");
    pos_ += word.size();
    return true;
  }

  bool digits() {
    const size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
    return pos_ > start;
  }

  bool number() {
    if (text_[pos_] == '-') ++pos_;
    if (at_end()) return fail("expected a value");
    if (text_[pos_] == '0') {
      ++pos_;
    } else if (!digits()) {
      return fail("expected a value");
    }
    if (!at_end() && text_[pos_] == '.') {
      ++pos_;
      if (!digits()) return fail("expected digits after '.' in a number");
    }
    if (!at_end() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (!at_end() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (!digits()) return fail("expected digits in a number's exponent");
    }
    return true;
  }

  bool hex4(uint32_t& out) {
    if (pos_ + 4 > text_.size()) return fail("expected 4 hex digits after \\u");
    out = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = text_[pos_++];
      out <<= 4;
      if (c >= '0' && c <= '9')
        out |= static_cast<uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f')
        out |= static_cast<uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        out |= static_cast<uint32_t>(c - 'A' + 10);
      else
        return fail("expected 4 hex digits after \\u");
    }
    return true;
  }

  static void append_utf8(uint32_t code, std::string& out) {
    if (code < 0x80) {
      out.push_back(static_cast<char>(code));
    } else if (code < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (code >> 6)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else if (code < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (code >> 12)));
      out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (code >> 18)));
      out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    }
  }

  /// At '"'; decodes into `out` when given, else only validates.
  bool string(std::string* out) {
    const size_t open = pos_++;
    while (true) {
      const size_t start = pos_;
      while (pos_ < text_.size()) {
        const unsigned char c = static_cast<unsigned char>(text_[pos_]);
        if (c == '"' || c == '\\' || c < 0x20) break;
        ++pos_;
      }
      if (out) out->append(text_.data() + start, pos_ - start);
      if (at_end()) {
        pos_ = open;
        return fail("unterminated string");
      }
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c != '\\') return fail("unescaped control character in a string");
      ++pos_;
      if (at_end()) return fail("unterminated escape in a string");
      const char escape = text_[pos_++];
      char plain = 0;
      switch (escape) {
        case '"':
          plain = '"';
          break;
        case '\\':
          plain = '\\';
          break;
        case '/':
          plain = '/';
          break;
        case 'b':
          plain = '\b';
          break;
        case 'f':
          plain = '\f';
          break;
        case 'n':
          plain = '\n';
          break;
        case 'r':
          plain = '\r';
          break;
        case 't':
          plain = '\t';
          break;
        case 'u': {
          uint32_t code = 0;
          if (!hex4(code)) return false;
          if (code >= 0xDC00 && code <= 0xDFFF) return fail("lone low surrogate in a \\u escape");
          if (code >= 0xD800 && code <= 0xDBFF) {
            uint32_t low = 0;
            if (text_.substr(pos_, 2) != "\\u")
              return fail("high surrogate not followed by a \\u low surrogate");
            pos_ += 2;
            if (!hex4(low)) return false;
            if (low < 0xDC00 || low > 0xDFFF) return fail("high surrogate not followed by a low surrogate");
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
          }
          if (out) append_utf8(code, *out);
          continue;
        }
        default:
          --pos_;
          return fail("invalid escape in a string");
      }
      if (out) out->push_back(plain);
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
  std::string error_;
  std::string key_;
};

}  // namespace

std::string read_json_fields(std::string_view text, std::vector<JsonField>& fields) {
  return Scanner(text).run(fields);
}

}  // namespace greenbench
