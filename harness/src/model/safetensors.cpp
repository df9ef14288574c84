#include "model/safetensors.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>
#include <vector>

#include "greenbench/error.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "safetensors.cpp copies tensor bytes as they are; it needs a little-endian host"
#endif

namespace greenbench {
namespace {

using nlohmann::json;

// The reference implementation refuses headers over 100 MB; so do we, so a
// hostile length cannot make us parse gigabytes of JSON.
constexpr uint64_t kMaxHeaderBytes = 100'000'000;
// A valid header nests three deep (root, tensor entry, shape array).
constexpr int kMaxJsonDepth = 4;
constexpr size_t kMaxDims = 64;
// Bounds the product of a shape's non-zero dimensions, so that an empty tensor
// with absurd dimensions cannot overflow LibTorch's stride arithmetic.
constexpr uint64_t kMaxElements = uint64_t{1} << 50;

struct DtypeInfo {
  const char* name;
  torch::ScalarType stored;
  size_t size;
  bool to_float;  // widened to float32 after reading
};

constexpr DtypeInfo kDtypes[] = {
    {"F32", torch::kFloat, 4, false},  {"F16", torch::kHalf, 2, true}, {"BF16", torch::kBFloat16, 2, true},
    {"I64", torch::kLong, 8, false},   {"I32", torch::kInt, 4, false},
};

const DtypeInfo* find_dtype(const std::string& name) {
  for (const auto& d : kDtypes)
    if (name == d.name) return &d;
  return nullptr;
}

[[noreturn]] void fail(const std::string& source, const std::string& what) {
  // Line 0: a safetensors file is binary, the message says where instead.
  throw DataFormatError(source, 0, "not a valid safetensors file: " + what);
}

uint64_t read_le64(const char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

void append_le64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

struct DepthExceeded {};

// ---- writing ----

struct Prepared {
  std::string head;                  // length prefix + padded JSON header
  std::vector<torch::Tensor> data;   // contiguous CPU tensors, in header order
};

Prepared prepare(const std::map<std::string, torch::Tensor>& tensors,
                 const std::map<std::string, std::string>& metadata) {
  json header = json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  Prepared out;
  uint64_t offset = 0;
  // std::map iterates in name order, which fixes the data order and so makes
  // the bytes (and their sha256) depend only on the tensors.
  for (const auto& [name, tensor] : tensors) {
    if (name.empty()) throw Error("safetensors: a tensor has an empty name");
    if (name == "__metadata__") throw Error("safetensors: '__metadata__' is reserved and cannot name a tensor");
    if (!tensor.defined()) throw Error("safetensors: tensor '" + name + "' is undefined");
    const char* dtype = nullptr;
    switch (tensor.scalar_type()) {
      case torch::kFloat: dtype = "F32"; break;
      case torch::kLong: dtype = "I64"; break;
      case torch::kInt: dtype = "I32"; break;
      default:
        throw Error("safetensors: tensor '" + name + "' has dtype " + std::string(c10::toString(tensor.scalar_type())) +
                    "; only float32, int64 and int32 can be written");
    }
    auto cpu = tensor.detach().to(torch::kCPU).contiguous();
    const uint64_t bytes = cpu.nbytes();
    header[name] = {{"dtype", dtype},
                    {"shape", cpu.sizes().vec()},
                    {"data_offsets", json::array({offset, offset + bytes})}};
    offset += bytes;
    out.data.push_back(std::move(cpu));
  }
  std::string text = header.dump();
  // Padding to 8 keeps the data start 8-byte aligned for readers that map it.
  text.append((8 - text.size() % 8) % 8, ' ');
  out.head.reserve(8 + text.size());
  append_le64(out.head, text.size());
  out.head += text;
  return out;
}

void write_all(int fd, const char* data, size_t size, const std::string& path) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error("cannot write " + path + ": " + std::strerror(errno));
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
}

// ---- reading ----

struct Entry {
  std::string name;
  const DtypeInfo* dtype;
  std::vector<int64_t> shape;
  uint64_t begin, end;
};

uint64_t unsigned_field(const json& v, const std::string& source, const std::string& what) {
  if (!v.is_number_unsigned()) fail(source, what + " must be a non-negative integer, found " + v.dump());
  return v.get<uint64_t>();
}

Entry parse_entry(const std::string& name, const json& spec, uint64_t data_size, const std::string& source) {
  const std::string where = "tensor '" + name + "'";
  if (!spec.is_object()) fail(source, where + ": expected an object, found " + std::string(spec.type_name()));
  for (const char* key : {"dtype", "shape", "data_offsets"})
    if (!spec.contains(key)) fail(source, where + ": no \"" + key + "\"");
  Entry e;
  e.name = name;
  const json& dtype = spec.at("dtype");
  if (!dtype.is_string()) fail(source, where + ": \"dtype\" must be a string");
  e.dtype = find_dtype(dtype.get<std::string>());
  if (!e.dtype) {
    std::string known;
    for (const auto& d : kDtypes) known += (known.empty() ? "" : ", ") + std::string(d.name);
    fail(source, where + ": unsupported dtype '" + dtype.get<std::string>() + "' (supported: " + known + ")");
  }
  const json& shape = spec.at("shape");
  if (!shape.is_array()) fail(source, where + ": \"shape\" must be an array");
  if (shape.size() > kMaxDims) fail(source, where + ": shape has " + std::to_string(shape.size()) + " dimensions");
  uint64_t nonzero_product = 1;
  bool empty = false;
  for (const auto& d : shape) {
    uint64_t dim = unsigned_field(d, source, where + ": each shape dimension");
    if (dim == 0) {
      empty = true;
      continue;
    }
    if (__builtin_mul_overflow(nonzero_product, dim, &nonzero_product) || nonzero_product > kMaxElements)
      fail(source, where + ": shape " + shape.dump() + " is too large");
  }
  // Each dimension is now known to be at most kMaxElements, so it fits int64.
  for (const auto& d : shape) e.shape.push_back(static_cast<int64_t>(d.get<uint64_t>()));
  const uint64_t expected = empty ? 0 : nonzero_product * e.dtype->size;

  const json& offsets = spec.at("data_offsets");
  if (!offsets.is_array() || offsets.size() != 2) fail(source, where + ": \"data_offsets\" must be [begin, end]");
  e.begin = unsigned_field(offsets[0], source, where + ": data_offsets begin");
  e.end = unsigned_field(offsets[1], source, where + ": data_offsets end");
  if (e.begin > e.end)
    fail(source, where + ": data_offsets [" + std::to_string(e.begin) + ", " + std::to_string(e.end) + "] end before they begin");
  if (e.end > data_size)
    fail(source, where + ": data_offsets end " + std::to_string(e.end) + " is beyond the data section (" +
                     std::to_string(data_size) + " bytes; is the file truncated?)");
  if (e.end - e.begin != expected)
    fail(source, where + ": data_offsets cover " + std::to_string(e.end - e.begin) + " bytes but shape " + shape.dump() +
                     " of " + e.dtype->name + " needs " + std::to_string(expected));
  return e;
}

// Owns a read-only mapping of a whole file.
class MappedFile {
 public:
  explicit MappedFile(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw DataMissingError("cannot read " + path + ": " + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd_, &st) != 0) {
      int err = errno;
      ::close(fd_);
      throw DataMissingError("cannot read " + path + ": " + std::strerror(err));
    }
    if (!S_ISREG(st.st_mode)) {
      ::close(fd_);
      throw DataFormatError(path, 0, "not a valid safetensors file: not a regular file");
    }
    size_ = static_cast<size_t>(st.st_size);
    if (size_ > 0) {
      void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_, 0);
      if (p == MAP_FAILED) {
        int err = errno;
        ::close(fd_);
        throw Error("cannot map " + path + ": " + std::strerror(err));
      }
      addr_ = p;
    }
  }
  ~MappedFile() {
    if (addr_) ::munmap(addr_, size_);
    if (fd_ >= 0) ::close(fd_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  std::string_view bytes() const { return {static_cast<const char*>(addr_), size_}; }

 private:
  int fd_ = -1;
  void* addr_ = nullptr;
  size_t size_ = 0;
};

}  // namespace

std::string encode_safetensors(const std::map<std::string, torch::Tensor>& tensors,
                               const std::map<std::string, std::string>& metadata) {
  Prepared p = prepare(tensors, metadata);
  std::string out = std::move(p.head);
  for (const auto& t : p.data) out.append(static_cast<const char*>(t.data_ptr()), t.nbytes());
  return out;
}

void write_safetensors(const std::string& path, const std::map<std::string, torch::Tensor>& tensors,
                       const std::map<std::string, std::string>& metadata) {
  namespace fs = std::filesystem;
  Prepared p = prepare(tensors, metadata);
  fs::path target(path);
  if (target.has_parent_path()) fs::create_directories(target.parent_path());
  // pid + counter: two threads saving to one folder must not share a temp file.
  static std::atomic<unsigned> counter{0};
  const std::string tmp = path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw Error("cannot write " + tmp + ": " + std::strerror(errno));
  try {
    write_all(fd, p.head.data(), p.head.size(), tmp);
    for (const auto& t : p.data) write_all(fd, static_cast<const char*>(t.data_ptr()), t.nbytes(), tmp);
    // fsync before rename: after a crash the target is the old or the new file.
    if (::fsync(fd) != 0) throw Error("cannot flush " + tmp + ": " + std::strerror(errno));
    int rc = ::close(fd);
    fd = -1;
    if (rc != 0) throw Error("cannot flush " + tmp + ": " + std::strerror(errno));
    if (std::rename(tmp.c_str(), path.c_str()) != 0)
      throw Error("cannot rename " + tmp + " to " + path + ": " + std::strerror(errno));
  } catch (...) {
    if (fd >= 0) ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
}

SafetensorsFile parse_safetensors(std::string_view bytes, const std::string& source) {
  if (bytes.size() < 8)
    fail(source, "it has " + std::to_string(bytes.size()) + " bytes, fewer than the 8-byte header length");
  const uint64_t header_size = read_le64(bytes.data());
  const uint64_t available = bytes.size() - 8;
  if (header_size > available)
    fail(source, "header length " + std::to_string(header_size) + " is beyond the end of the file (" +
                     std::to_string(available) + " bytes follow it)");
  if (header_size > kMaxHeaderBytes)
    fail(source, "header length " + std::to_string(header_size) + " is over the " + std::to_string(kMaxHeaderBytes) +
                     "-byte limit");
  const std::string_view header_text = bytes.substr(8, header_size);
  const std::string_view data = bytes.substr(8 + header_size);

  json header;
  try {
    json::parser_callback_t limit_depth = [](int depth, json::parse_event_t, json&) {
      if (depth > kMaxJsonDepth) throw DepthExceeded{};
      return true;
    };
    header = json::parse(header_text.begin(), header_text.end(), limit_depth);
  } catch (const json::exception& e) {
    fail(source, std::string("the header is not valid JSON (") + e.what() + ")");
  } catch (const DepthExceeded&) {
    fail(source, "the header JSON nests deeper than a safetensors header can");
  }
  if (!header.is_object()) fail(source, "the header is JSON " + std::string(header.type_name()) + ", not an object");

  SafetensorsFile out;
  std::vector<Entry> entries;
  for (const auto& [name, spec] : header.items()) {
    if (name == "__metadata__") {
      if (!spec.is_object()) fail(source, "\"__metadata__\" must be an object of strings");
      for (const auto& [key, value] : spec.items()) {
        if (!value.is_string()) fail(source, "\"__metadata__\" value for '" + key + "' is not a string");
        out.metadata[key] = value.get<std::string>();
      }
      continue;
    }
    entries.push_back(parse_entry(name, spec, data.size(), source));
  }

  // Overlapping ranges would alias two tensors' bytes; a well-formed file never has them.
  std::vector<const Entry*> by_offset;
  for (const auto& e : entries)
    if (e.end > e.begin) by_offset.push_back(&e);
  std::sort(by_offset.begin(), by_offset.end(), [](const Entry* a, const Entry* b) { return a->begin < b->begin; });
  for (size_t i = 1; i < by_offset.size(); ++i) {
    const Entry& a = *by_offset[i - 1];
    const Entry& b = *by_offset[i];
    if (b.begin < a.end)
      fail(source, "tensors '" + a.name + "' [" + std::to_string(a.begin) + ", " + std::to_string(a.end) + ") and '" +
                       b.name + "' [" + std::to_string(b.begin) + ", " + std::to_string(b.end) + ") overlap");
  }

  for (const auto& e : entries) {
    auto t = torch::empty(e.shape, torch::TensorOptions().dtype(e.dtype->stored));
    const size_t n = static_cast<size_t>(e.end - e.begin);
    if (n > 0) std::memcpy(t.data_ptr(), data.data() + e.begin, n);
    if (e.dtype->to_float) t = t.to(torch::kFloat);
    out.tensors.emplace(e.name, std::move(t));
    out.stored_dtypes.emplace(e.name, e.dtype->name);
  }
  return out;
}

SafetensorsFile read_safetensors(const std::string& path) {
  MappedFile file(path);
  return parse_safetensors(file.bytes(), path);
}

}  // namespace greenbench
