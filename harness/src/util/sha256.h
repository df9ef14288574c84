// SHA-256 digests (OpenSSL EVP), hex-encoded lower case.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace greenbench {

/// Incremental hasher, for files and for hashing several files as one.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view bytes);
  /// Adds the whole file; throws DataMissingError if it cannot be read.
  void update_file(const std::string& path);
  /// Final digest; the hasher cannot be updated afterwards.
  std::string hex_digest();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

std::string sha256_hex(std::string_view bytes);
std::string sha256_file(const std::string& path);

}  // namespace greenbench
