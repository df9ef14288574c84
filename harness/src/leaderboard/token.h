// The shared secret of the results upload path: a bearer token kept in a
// file that only its owner can read, and how the server compares it.
#pragma once

#include <cstddef>
#include <string>

namespace greenbench {

/// Largest record the server accepts and the client sends, unless told otherwise.
constexpr std::size_t kDefaultMaxRecordBytes = 8u << 20;  // 8 MiB

/// Reads a bearer token from `path`, trimmed of surrounding white space.
/// Throws greenbench::Error naming the file when it cannot be read, is empty,
/// holds white space or control characters inside the token, or can be read or
/// written by group or others (like ssh with a private key: chmod 600 it).
std::string read_token_file(const std::string& path);

/// Compares two tokens in time that depends on neither their contents nor
/// where they differ (both are hashed first, so not on their lengths either).
bool tokens_equal(const std::string& a, const std::string& b);

/// The token of an `Authorization: Bearer <token>` header value; empty when
/// the value is not a bearer credential. The scheme is case-insensitive.
std::string bearer_token(const std::string& authorization);

}  // namespace greenbench
