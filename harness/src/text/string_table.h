// An interning hash table from strings to dense indices 0..size()-1, looked up
// by string_view (private to greenbench_text). WordPiece probes many substrings
// per word and the vocabulary builder counts millions of words; both would pay
// for a std::string per lookup with std::unordered_map<std::string, ...>.
// Keys live in one arena and slots hold indices, not pointers, so the table
// can be copied and moved freely.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace greenbench {

class StringTable {
 public:
  StringTable() { rehash(16); }

  /// Index of `key`, or -1 if absent.
  int32_t find(std::string_view key) const {
    const uint64_t h = hash(key);
    size_t pos = static_cast<size_t>(h) & mask_;
    const auto tag = static_cast<uint32_t>(h >> 32);
    for (;;) {
      const Slot& slot = slots_[pos];
      if (slot.index < 0) return -1;
      if (slot.tag == tag && this->key(slot.index) == key) return slot.index;
      pos = (pos + 1) & mask_;
    }
  }

  /// Index of `key`, inserting it (with the next free index) if absent.
  int32_t intern(std::string_view key) {
    const uint64_t h = hash(key);
    size_t pos = static_cast<size_t>(h) & mask_;
    const auto tag = static_cast<uint32_t>(h >> 32);
    for (;;) {
      Slot& slot = slots_[pos];
      if (slot.index < 0) break;
      if (slot.tag == tag && this->key(slot.index) == key) return slot.index;
      pos = (pos + 1) & mask_;
    }
    const auto index = static_cast<int32_t>(spans_.size());
    spans_.push_back({arena_.size(), key.size()});
    arena_.append(key.data(), key.size());
    slots_[pos] = {tag, index};
    if (spans_.size() * 2 > slots_.size()) rehash(slots_.size() * 2);
    return index;
  }

  /// Number of keys; they have the indices 0..size()-1 in insertion order.
  size_t size() const { return spans_.size(); }
  /// The key with this index; valid until the next intern().
  std::string_view key(int32_t index) const {
    const Span& s = spans_[static_cast<size_t>(index)];
    return std::string_view(arena_.data() + s.offset, s.length);
  }

  /// A fast 64-bit hash of the bytes (not for untrusted input: no seed).
  static uint64_t hash(std::string_view key) {
    // 8 bytes at a time with a multiply-xorshift mix; keys are short words.
    const char* p = key.data();
    size_t n = key.size();
    uint64_t h = 0x9E3779B97F4A7C15ull ^ (n * 0xC2B2AE3D27D4EB4Full);
    while (n >= 8) {
      uint64_t v;
      std::memcpy(&v, p, 8);
      h = (h ^ v) * 0xFF51AFD7ED558CCDull;
      h ^= h >> 29;
      p += 8;
      n -= 8;
    }
    if (n > 0) {
      uint64_t v = 0;
      std::memcpy(&v, p, n);
      h = (h ^ v) * 0xFF51AFD7ED558CCDull;
    }
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 33;
    return h;
  }

 private:
  struct Slot {
    uint32_t tag = 0;    // high hash bits, to skip most key comparisons
    int32_t index = -1;  // -1: empty
  };
  struct Span {
    size_t offset, length;
  };

  void rehash(size_t capacity) {
    slots_.assign(capacity, Slot{});
    mask_ = capacity - 1;
    for (size_t i = 0; i < spans_.size(); ++i) {
      const uint64_t h = hash(key(static_cast<int32_t>(i)));
      size_t pos = static_cast<size_t>(h) & mask_;
      while (slots_[pos].index >= 0) pos = (pos + 1) & mask_;
      slots_[pos] = {static_cast<uint32_t>(h >> 32), static_cast<int32_t>(i)};
    }
  }

  std::string arena_;
  std::vector<Span> spans_;
  std::vector<Slot> slots_;
  size_t mask_ = 0;
};

}  // namespace greenbench
