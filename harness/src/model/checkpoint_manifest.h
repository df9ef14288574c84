// The manifest of a checkpoint folder: the sha256 of every file the folder
// consists of (weights, vocabulary, settings), in sha256sum's format, so a
// damaged or edited file of any kind is refused on load, not evaluated.
#pragma once

#include <string>

namespace greenbench {

/// The manifest's name inside a checkpoint folder; `sha256sum -c SHA256SUMS` checks it too.
inline constexpr const char* kCheckpointManifestFile = "SHA256SUMS";

/// Writes dir/SHA256SUMS (atomically) listing every regular file under `dir`,
/// sub-folders included, by relative path in byte order; written last, after
/// every file it lists. Temp files of killed writers (".tmp." in the name) are left out.
void write_checkpoint_manifest(const std::string& dir);

/// Checks `dir` against its SHA256SUMS. Throws greenbench::Error naming the
/// file when the manifest is missing or malformed, when a listed file is
/// missing or its sha256 differs, and when the folder holds a file the
/// manifest does not list (a loader could read it unchecked).
void verify_checkpoint_manifest(const std::string& dir);

/// Throws greenbench::Error naming `dir` unless a checkpoint may be written
/// there: missing, empty, or an earlier checkpoint (it holds SHA256SUMS or
/// run.json). The manifest hashes every file below the folder, so a stranger's
/// folder (`--out .`, a home folder) would be read whole and then refused on
/// load at its next unrelated change.
void check_checkpoint_folder(const std::string& dir);

}  // namespace greenbench
