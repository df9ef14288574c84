// Error types with messages written for the person at the terminal.
#pragma once

#include <stdexcept>
#include <string>

namespace greenbench {

/// Any error greenbench reports to the user; what() is the whole message.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Input data is missing: the message says where we looked and how to get it.
class DataMissingError : public Error {
 public:
  using Error::Error;
};

/// Input data is malformed: file, 1-based line, what was expected, what was found.
class DataFormatError : public Error {
 public:
  DataFormatError(const std::string& file, long line, const std::string& expected)
      : Error(file + ":" + std::to_string(line) + ": " + expected), file_(file), line_(line) {}
  const std::string& file() const { return file_; }
  long line() const { return line_; }

 private:
  std::string file_;
  long line_;
};

}  // namespace greenbench
