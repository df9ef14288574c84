// Reading and writing safetensors files, the weight format of Hugging Face
// checkpoints: an 8-byte little-endian header length N, N bytes of JSON naming
// each tensor's dtype, shape and byte range, then the raw little-endian data.
// The reader treats every file as hostile: any inconsistency is an exception
// naming the file, never a crash or an out-of-bounds read.
#pragma once

#include <torch/torch.h>

#include <map>
#include <string>
#include <string_view>

namespace greenbench {

/// The contents of a safetensors file. F32, F16 and BF16 tensors are returned
/// as float32; I64 and I32 tensors keep their integer type. All are CPU tensors
/// that own their memory.
struct SafetensorsFile {
  std::map<std::string, torch::Tensor> tensors;
  /// Each tensor's dtype as stored in the file ("F32", "F16", "BF16", "I64", "I32").
  std::map<std::string, std::string> stored_dtypes;
  /// The optional "__metadata__" string map.
  std::map<std::string, std::string> metadata;
};

/// The bytes of a safetensors file holding `tensors` (float32, int64 or int32;
/// any device or layout), data in name order, header padded with spaces to a
/// multiple of 8. Throws greenbench::Error on an unsupported dtype or bad name.
std::string encode_safetensors(const std::map<std::string, torch::Tensor>& tensors,
                               const std::map<std::string, std::string>& metadata = {});

/// Writes the file encode_safetensors describes, streaming the tensors into a
/// temp file beside `path` that is flushed and renamed over it, so `path` is
/// always either the old file or the whole new one. Creates parent folders.
void write_safetensors(const std::string& path, const std::map<std::string, torch::Tensor>& tensors,
                       const std::map<std::string, std::string>& metadata = {});

/// Parses safetensors bytes held in memory; `source` names them in errors.
/// Throws DataFormatError saying what is wrong.
SafetensorsFile parse_safetensors(std::string_view bytes, const std::string& source);

/// Reads a safetensors file (memory-mapped). Throws DataMissingError when it
/// cannot be opened and DataFormatError naming the file when it is malformed.
SafetensorsFile read_safetensors(const std::string& path);

}  // namespace greenbench
