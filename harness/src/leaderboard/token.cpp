#include "leaderboard/token.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <strings.h>
#include <sys/stat.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "greenbench/error.h"

namespace greenbench {
namespace {

std::string trim(const std::string& s) {
  size_t begin = 0, end = s.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(s[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(s[end - 1]))) --end;
  return s.substr(begin, end - begin);
}

}  // namespace

std::string read_token_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    throw Error("cannot read the token file " + path + ": " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) throw Error("the token file " + path + " is not a regular file");
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    throw Error("the token file " + path + " can be read or written by group or others (mode " + mode +
                "); run chmod 600 " + path);
  }
  if (st.st_size > 4096) throw Error("the token file " + path + " is larger than 4 KiB; it should hold one token");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot read the token file " + path + ": " + std::strerror(errno));
  std::ostringstream content;
  content << in.rdbuf();
  const std::string token = trim(content.str());
  if (token.empty()) throw Error("the token file " + path + " is empty; write a long random token into it");
  for (char c : token) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f)
      throw Error("the token in " + path + " holds white space or control characters; it must be one word");
  }
  return token;
}

bool tokens_equal(const std::string& a, const std::string& b) {
  unsigned char da[SHA256_DIGEST_LENGTH], db[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(a.data()), a.size(), da);
  SHA256(reinterpret_cast<const unsigned char*>(b.data()), b.size(), db);
  return CRYPTO_memcmp(da, db, sizeof da) == 0;
}

std::string bearer_token(const std::string& authorization) {
  const std::string value = trim(authorization);
  constexpr const char* kScheme = "Bearer";
  const size_t n = std::strlen(kScheme);
  if (value.size() <= n || ::strncasecmp(value.c_str(), kScheme, n) != 0) return "";
  if (value[n] != ' ' && value[n] != '\t') return "";
  return trim(value.substr(n));
}

}  // namespace greenbench
