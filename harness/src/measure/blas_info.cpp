#include "measure/blas_info.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "util/cpu_flags.h"

namespace greenbench {
namespace {

std::string mapped_library(const std::string& needle) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    auto slash = line.find('/');
    if (slash == std::string::npos) continue;
    std::string path = line.substr(slash);
    auto base = path.substr(path.rfind('/') + 1);
    if (base.find(needle) != std::string::npos) return path;
  }
  return "";
}

bool cpu_has(const std::string& flag) { return cpu_flags().count(flag) > 0; }

}  // namespace

BlasInfo detect_blas() {
  BlasInfo info;
  if (const char* env = std::getenv("OPENBLAS_CORETYPE")) info.coretype_override = env;
  using CharFn = char* (*)();
  auto corename = reinterpret_cast<CharFn>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
  auto config = reinterpret_cast<CharFn>(dlsym(RTLD_DEFAULT, "openblas_get_config"));
  if (corename) {
    info.name = "OpenBLAS";
    info.core = corename();
    if (config) info.config = config();
    info.library = mapped_library("openblas");
  } else if (dlsym(RTLD_DEFAULT, "mkl_get_version")) {
    info.name = "MKL";
    info.library = mapped_library("mkl");
  } else {
    info.library = mapped_library("libblas");
    info.name = info.library.empty() ? "unknown" : "reference BLAS";
  }
  return info;
}

bool set_blas_threads(int threads) {
  using SetFn = void (*)(int);
  auto set = reinterpret_cast<SetFn>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
  if (!set) return false;
  set(threads);
  return true;
}

void ensure_fast_openblas(char** argv) {
  if (std::getenv("OPENBLAS_CORETYPE") || std::getenv("GREENBENCH_NO_BLAS_FIX")) return;
  using CharFn = char* (*)();
  auto corename = reinterpret_cast<CharFn>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
  if (!corename || std::string(corename()) != "Prescott") return;
  const char* target = cpu_has("avx512f") ? "SkylakeX" : cpu_has("avx2") ? "Haswell" : nullptr;
  if (!target) return;
  setenv("OPENBLAS_CORETYPE", target, 1);
  execv("/proc/self/exe", argv);
  // execv returned: keep running on the slow kernels rather than fail.
  std::fprintf(stderr, "greenbench: could not re-exec with OPENBLAS_CORETYPE=%s; BLAS stays on Prescott kernels\n", target);
}

}  // namespace greenbench
