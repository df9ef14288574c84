// Whole-file reads and the CSV / line readers (see csv.h).
#include "data/csv.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "greenbench/error.h"

namespace greenbench {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

size_t skip_bom(std::string_view text) {
  return text.substr(0, kUtf8Bom.size()) == kUtf8Bom ? kUtf8Bom.size() : 0;
}

// Closes a descriptor when the read is done or throws.
struct FdCloser {
  int fd;
  ~FdCloser() { ::close(fd); }
};

// What a path that is not a regular file is, for the message.
std::string file_kind(mode_t mode) {
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  return "something other than a regular file";
}

std::string describe_char(char c) {
  if (c == '\n' || c == '\r') return "end of line";
  if (static_cast<unsigned char>(c) < 0x20) return "a control character";
  return std::string("'") + c + "'";
}

}  // namespace

void read_whole_file(const std::string& path, std::string& out) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
  // A regular file reads the same with or without it.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) throw DataMissingError("cannot open " + path + ": " + std::strerror(errno));
  FdCloser closer{fd};
  struct stat info {};
  if (::fstat(fd, &info) != 0) throw DataMissingError("cannot read " + path + ": " + std::strerror(errno));
  if (!S_ISREG(info.st_mode))
    throw DataFormatError(path, 0, "a regular data file, found " + file_kind(info.st_mode));
  out.clear();
  // The size from fstat makes the common case one allocation and one read;
  // the loop still copes with files that change size meanwhile.
  out.resize(static_cast<size_t>(info.st_size));
  size_t got = 0;
  char buffer[1 << 16];
  while (true) {
    // Into the string while it has room, then through the buffer (a file that grew).
    const bool into_out = got < out.size();
    const ssize_t n = into_out ? ::read(fd, out.data() + got, out.size() - got) : ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw DataMissingError("cannot read " + path + ": " + std::strerror(errno));
    }
    if (n == 0) break;
    if (!into_out) out.append(buffer, static_cast<size_t>(n));
    got += static_cast<size_t>(n);
  }
  out.resize(got);
}

std::string read_whole_file(const std::string& path) {
  std::string out;
  read_whole_file(path, out);
  return out;
}

CsvReader::CsvReader(std::string_view text, std::string file, char delimiter)
    : text_(text), file_(std::move(file)), delimiter_(delimiter), pos_(skip_bom(text)) {}

bool CsvReader::next(std::vector<std::string>& fields) {
  // Fields are reused rather than cleared away, so that their buffers keep
  // their capacity from one record to the next: no allocation per field.
  size_t count = 0;
  const size_t size = text_.size();
  const char* data = text_.data();
  // Blank lines carry no record; skipping them keeps a trailing empty line or
  // a stray CRLF from turning into a one-field record.
  while (pos_ < size && (data[pos_] == '\n' || data[pos_] == '\r')) {
    if (data[pos_] == '\n') ++line_;
    ++pos_;
  }
  if (pos_ >= size) {
    fields.clear();
    return false;
  }
  record_line_ = line_;

  while (true) {
    if (count == fields.size()) fields.emplace_back();
    std::string& field = fields[count++];
    field.clear();
    if (pos_ < size && data[pos_] == '"') {
      const long open_line = line_;
      ++pos_;
      while (true) {
        const void* found = std::memchr(data + pos_, '"', size - pos_);
        if (!found) {
          throw DataFormatError(file_, open_line,
                                "a closing double quote for the quoted field that opens on this line "
                                "(the file ends inside it)");
        }
        const size_t quote = static_cast<size_t>(static_cast<const char*>(found) - data);
        line_ += std::count(data + pos_, data + quote, '\n');
        field.append(data + pos_, quote - pos_);
        pos_ = quote + 1;
        if (pos_ < size && data[pos_] == '"') {  // "" stands for one quote
          field.push_back('"');
          ++pos_;
          continue;
        }
        break;
      }
      if (pos_ < size && data[pos_] != delimiter_ && data[pos_] != '\n' &&
          !(data[pos_] == '\r' && (pos_ + 1 == size || data[pos_ + 1] == '\n'))) {
        throw DataFormatError(file_, line_,
                              std::string("a delimiter or end of line after a closing quote, found ") +
                                  describe_char(data[pos_]) +
                                  " (a quote inside a quoted field must be doubled)");
      }
    } else {
      size_t end = pos_;
      while (end < size && data[end] != delimiter_ && data[end] != '\n') ++end;
      size_t stop = end;
      if (stop > pos_ && data[stop - 1] == '\r' && (stop == size || data[stop] == '\n')) --stop;
      field.assign(data + pos_, stop - pos_);
      pos_ = end;
    }
    // pos_ is now at a delimiter, a line end or the end of the buffer.
    if (pos_ < size && data[pos_] == delimiter_) {
      ++pos_;
      continue;
    }
    if (pos_ < size && data[pos_] == '\r') ++pos_;
    if (pos_ < size && data[pos_] == '\n') {
      ++pos_;
      ++line_;
    }
    fields.resize(count);
    return true;
  }
}

LineReader::LineReader(std::string_view text) : text_(text), pos_(skip_bom(text)) {}

bool LineReader::next(std::string_view& line) {
  if (pos_ >= text_.size()) return false;
  size_t end = text_.find('\n', pos_);
  if (end == std::string_view::npos) end = text_.size();
  line = text_.substr(pos_, end - pos_);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  pos_ = end + 1;
  ++line_;
  return true;
}

void split_fields(std::string_view line, char delimiter, std::vector<std::string_view>& fields) {
  fields.clear();
  size_t start = 0;
  while (true) {
    size_t end = line.find(delimiter, start);
    if (end == std::string_view::npos) {
      fields.push_back(line.substr(start));
      return;
    }
    fields.push_back(line.substr(start, end - start));
    start = end + 1;
  }
}

std::string_view trim_ascii(std::string_view text) {
  auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace greenbench
