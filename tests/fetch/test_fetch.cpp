// Tests of download_file, unpack_archive and fetch_task_data. Network cases
// talk only to tests/fetch/http_server.py, started on 127.0.0.1 for each case
// and stopped at its end; archives are built here with libarchive.
#include <archive.h>
#include <archive_entry.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "data/fetch.h"
#include "greenbench/error.h"
#include "greenbench/task.h"
#include "util/sha256.h"

namespace fs = std::filesystem;
using greenbench::DataSource;
using greenbench::Error;
using greenbench::FetchOptions;

namespace {

// ---------------------------------------------------------------- helpers

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "greenbench-fetch-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

void write_bytes(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out.good());
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Deterministic, incompressible-looking bytes.
std::string payload(size_t size, uint32_t seed) {
  std::string out(size, '\0');
  uint32_t x = seed * 2654435761u + 1;
  for (auto& c : out) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>(x & 0xff);
  }
  return out;
}

// Every regular file below root, by relative path.
std::map<std::string, std::string> tree_files(const fs::path& root) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file()) out[fs::relative(e.path(), root).generic_string()] = read_bytes(e.path());
  }
  return out;
}

// Siblings of dest whose name starts with dest's name: temp folders left behind.
std::vector<std::string> leftovers_beside(const fs::path& dest) {
  std::vector<std::string> out;
  const std::string stem = dest.filename().string();
  for (const auto& e : fs::directory_iterator(dest.parent_path())) {
    std::string n = e.path().filename().string();
    if (n.rfind(stem, 0) == 0) out.push_back(n);
  }
  return out;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  FAIL("expected a greenbench::Error");
  return "";
}

FetchOptions quick_options() {
  FetchOptions o;
  o.max_attempts = 3;
  o.connect_timeout_s = 5;
  o.stall_timeout_s = 5;
  o.progress = false;
  o.retry_delay_s = 0.05;
  return o;
}

// ---------------------------------------------------------------- archives

struct Entry {
  enum Kind { kFile, kDir, kSymlink } kind = kFile;
  std::string name;
  std::string content;  // file content, or symlink target
};

Entry file_entry(std::string name, std::string content) {
  return {Entry::kFile, std::move(name), std::move(content)};
}
Entry dir_entry(std::string name) { return {Entry::kDir, std::move(name), ""}; }
Entry link_entry(std::string name, std::string target) {
  return {Entry::kSymlink, std::move(name), std::move(target)};
}

// kind: "tar", "tar.gz" or "zip".
void build_archive(const fs::path& path, const std::string& kind, const std::vector<Entry>& entries) {
  struct archive* a = archive_write_new();
  if (kind == "zip") {
    archive_write_set_format_zip(a);
  } else {
    archive_write_set_format_pax_restricted(a);
    if (kind == "tar.gz") archive_write_add_filter_gzip(a);
  }
  REQUIRE(archive_write_open_filename(a, path.c_str()) == ARCHIVE_OK);
  for (const Entry& e : entries) {
    struct archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, e.name.c_str());
    archive_entry_set_mtime(entry, 1700000000, 0);
    if (e.kind == Entry::kDir) {
      archive_entry_set_filetype(entry, AE_IFDIR);
      archive_entry_set_perm(entry, 0755);
    } else if (e.kind == Entry::kSymlink) {
      archive_entry_set_filetype(entry, AE_IFLNK);
      archive_entry_set_perm(entry, 0777);
      archive_entry_set_symlink(entry, e.content.c_str());
    } else {
      archive_entry_set_filetype(entry, AE_IFREG);
      archive_entry_set_perm(entry, 0644);
      archive_entry_set_size(entry, static_cast<la_int64_t>(e.content.size()));
    }
    REQUIRE(archive_write_header(a, entry) == ARCHIVE_OK);
    if (e.kind == Entry::kFile && !e.content.empty())
      REQUIRE(archive_write_data(a, e.content.data(), e.content.size()) == static_cast<la_ssize_t>(e.content.size()));
    archive_entry_free(entry);
  }
  REQUIRE(archive_write_close(a) == ARCHIVE_OK);
  archive_write_free(a);
}

const std::vector<Entry>& sample_entries() {
  static const std::vector<Entry> entries = {
      dir_entry("corpus/"),
      file_entry("corpus/train.csv", "label,text\n1,good\n0,bad\n"),
      dir_entry("corpus/sub/"),
      file_entry("corpus/sub/test.csv", "label,text\n1,fine\n"),
      file_entry("corpus/sub/blob.bin", payload(70000, 7)),
      file_entry("README", "sample\n"),
  };
  return entries;
}

std::map<std::string, std::string> sample_files() {
  std::map<std::string, std::string> out;
  for (const Entry& e : sample_entries())
    if (e.kind == Entry::kFile) out[e.name] = e.content;
  return out;
}

// ---------------------------------------------------------------- loopback server

bool python3_on_path() {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return false;
  std::stringstream dirs(path);
  std::string d;
  while (std::getline(dirs, d, ':')) {
    if (!d.empty() && ::access((fs::path(d) / "python3").c_str(), X_OK) == 0) return true;
  }
  return false;
}

// tests/fetch/http_server.py serving `root`, for the lifetime of the object.
class LoopbackServer {
 public:
  LoopbackServer(const fs::path& root, const fs::path& work) : log_(work / "requests.log") {
    if (!python3_on_path()) {
      why_ = "python3 is not on PATH";
      return;
    }
    const std::string script = std::string(GREENBENCH_SOURCE_DIR) + "/tests/fetch/http_server.py";
    fs::create_directories(work / "state");
    std::vector<std::string> args = {"python3",      script, "--root", root.string(), "--log", log_.string(),
                                     "--state",      (work / "state").string(), "--idle", "20", "--limit", "60",
                                     "--watch-stdin"};
    std::vector<char*> argv;
    for (auto& s : args) argv.push_back(s.data());
    argv.push_back(nullptr);

    int out_pipe[2], in_pipe[2];
    if (::pipe(out_pipe) != 0 || ::pipe(in_pipe) != 0) {
      why_ = "pipe() failed";
      return;
    }
    pid_ = ::fork();
    if (pid_ == 0) {
      // Child: only async-signal-safe calls until exec.
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      ::dup2(out_pipe[1], STDOUT_FILENO);
      ::dup2(in_pipe[0], STDIN_FILENO);
      ::close(out_pipe[0]);
      ::close(out_pipe[1]);
      ::close(in_pipe[0]);
      ::close(in_pipe[1]);
      ::execvp("python3", argv.data());
      ::_exit(127);
    }
    ::close(out_pipe[1]);
    ::close(in_pipe[0]);
    stdin_fd_ = in_pipe[1];  // closing it (or our death) tells the server to stop
    if (pid_ < 0) {
      ::close(out_pipe[0]);
      why_ = "fork() failed";
      return;
    }
    // First stdout line: the port. Bounded wait so a broken python cannot hang us.
    std::string line;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      pollfd p{out_pipe[0], POLLIN, 0};
      if (::poll(&p, 1, 200) <= 0) continue;
      char buf[64];
      ssize_t n = ::read(out_pipe[0], buf, sizeof buf);
      if (n <= 0) break;
      line.append(buf, static_cast<size_t>(n));
    }
    ::close(out_pipe[0]);
    port_ = std::atoi(line.c_str());
    if (port_ <= 0) why_ = "the server did not report a port (got \"" + line + "\")";
  }
  ~LoopbackServer() {
    if (stdin_fd_ >= 0) ::close(stdin_fd_);
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 50; ++i) {
      if (::waitpid(pid_, nullptr, WNOHANG) == pid_) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  bool ok() const { return port_ > 0; }
  const std::string& why_not() const { return why_; }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  /// Requests so far, one "GET <path> range=<Range>" each.
  std::vector<std::string> requests() const {
    std::vector<std::string> out;
    std::ifstream in(log_);
    std::string line;
    while (std::getline(in, line))
      if (!line.empty()) out.push_back(line);
    return out;
  }
  std::vector<std::string> requests_for(const std::string& path) const {
    std::vector<std::string> out;
    for (const auto& r : requests())
      if (contains(r, " " + path + " ")) out.push_back(r);
    return out;
  }

 private:
  fs::path log_;
  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int port_ = 0;
  std::string why_;
};

#define REQUIRE_SERVER(server)                                                \
  if (!(server).ok()) {                                                       \
    WARN("skipping network test: " << (server).why_not());                    \
    return;                                                                   \
  }

// A loopback port with nothing listening (bound once, then released).
int unused_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// Files served from <tmp>/www, the server's bookkeeping in <tmp>/server.
struct NetFixture {
  TempDir tmp;
  fs::path www = tmp / "www";
  fs::path out = tmp / "out";
  std::string data = payload(300000, 1);
  std::string data_sha = greenbench::sha256_hex(data);
  LoopbackServer server{www, tmp / "server"};
  NetFixture() { write_bytes(www / "payload.bin", data); }
};

class FakeTask : public greenbench::Task {
 public:
  explicit FakeTask(std::vector<DataSource> sources) : sources_(std::move(sources)) {}
  std::string name() const override { return "fake_task"; }
  std::string display_name() const override { return "Fake task"; }
  std::vector<std::string> label_names() const override { return {"neg", "pos"}; }
  bool is_pair() const override { return false; }
  std::vector<DataSource> sources() const override { return sources_; }
  bool has_split(const std::string&, const std::string&) const override { return false; }
  greenbench::Split load_split(const std::string& dir, const std::string&) const override {
    throw greenbench::DataMissingError("fake task has no splits in " + dir);
  }

 private:
  std::vector<DataSource> sources_;
};

}  // namespace

// ==================================================================== download_file

TEST_CASE("download_file fetches a file and verifies its sha256", "[fetch][net]") {
  NetFixture f;
  REQUIRE_SERVER(f.server);
  const fs::path dest = f.out / "nested" / "payload.bin";
  greenbench::download_file(f.server.url("/files/payload.bin"), dest.string(), f.data_sha, quick_options());
  CHECK(read_bytes(dest) == f.data);
  CHECK_FALSE(fs::exists(dest.string() + ".part"));

  SECTION("through a redirect, with the digest in upper case") {
    const fs::path dest2 = f.out / "redirected.bin";
    std::string upper = f.data_sha;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    greenbench::download_file(f.server.url("/redirect/files/payload.bin"), dest2.string(), upper, quick_options());
    CHECK(read_bytes(dest2) == f.data);
  }
  SECTION("with a progress bar") {
    const fs::path dest4 = f.out / "progress.bin";
    auto options = quick_options();
    options.progress = true;
    greenbench::download_file(f.server.url("/files/payload.bin"), dest4.string(), f.data_sha, options);
    CHECK(read_bytes(dest4) == f.data);
  }
  SECTION("without a sha256 it still downloads (and only warns)") {
    const fs::path dest3 = f.out / "unverified.bin";
    greenbench::download_file(f.server.url("/files/payload.bin"), dest3.string(), "", quick_options());
    CHECK(read_bytes(dest3) == f.data);
  }
}

TEST_CASE("download_file rejects a checksum mismatch and leaves no file", "[fetch][net]") {
  NetFixture f;
  REQUIRE_SERVER(f.server);
  const fs::path dest = f.out / "payload.bin";
  const std::string wrong = greenbench::sha256_hex("something else");
  std::string msg = error_of([&] {
    greenbench::download_file(f.server.url("/files/payload.bin"), dest.string(), wrong, quick_options());
  });
  CHECK(contains(msg, "checksum mismatch"));
  CHECK(contains(msg, wrong));
  CHECK(contains(msg, f.data_sha));
  CHECK_FALSE(fs::exists(dest));
  CHECK_FALSE(fs::exists(dest.string() + ".part"));
}

TEST_CASE("download_file rejects a malformed sha256 before downloading", "[fetch]") {
  TempDir tmp;
  std::string msg = error_of([&] {
    greenbench::download_file("http://127.0.0.1:9/x", (tmp / "x").string(), "abc123", quick_options());
  });
  CHECK(contains(msg, "sha256"));
  CHECK_FALSE(fs::exists(tmp / "x.part"));
}

TEST_CASE("download_file resumes after a dropped connection", "[fetch][net]") {
  NetFixture f;
  REQUIRE_SERVER(f.server);
  const fs::path dest = f.out / "payload.bin";
  greenbench::download_file(f.server.url("/drop/payload.bin"), dest.string(), f.data_sha, quick_options());
  CHECK(read_bytes(dest) == f.data);
  auto reqs = f.server.requests_for("/drop/payload.bin");
  REQUIRE(reqs.size() == 2);
  CHECK_FALSE(contains(reqs[0], "bytes="));
  // The retry asked only for the missing half.
  CHECK(contains(reqs[1], "range=bytes=" + std::to_string(f.data.size() / 2) + "-"));
}

TEST_CASE("download_file restarts when the server ignores Range", "[fetch][net]") {
  NetFixture f;
  REQUIRE_SERVER(f.server);
  const fs::path dest = f.out / "payload.bin";
  // A stale partial file whose bytes are wrong: only a restart from zero can fix it.
  write_bytes(dest.string() + ".part", std::string(1000, 'x'));
  greenbench::download_file(f.server.url("/norange/payload.bin"), dest.string(), f.data_sha, quick_options());
  CHECK(read_bytes(dest) == f.data);
  auto reqs = f.server.requests_for("/norange/payload.bin");
  REQUIRE(reqs.size() == 2);
  CHECK(contains(reqs[0], "range=bytes=1000-"));
  CHECK_FALSE(contains(reqs[1], "bytes="));
}

TEST_CASE("download_file finishes a complete .part answered with 416", "[fetch][net]") {
  NetFixture f;
  REQUIRE_SERVER(f.server);
  const fs::path dest = f.out / "payload.bin";

  SECTION("the .part already holds the whole file") {
    write_bytes(dest.string() + ".part", f.data);
    greenbench::download_file(f.server.url("/files/payload.bin"), dest.string(), f.data_sha, quick_options());
    CHECK(read_bytes(dest) == f.data);
    CHECK(f.server.requests_for("/files/payload.bin").size() == 1);
  }
  SECTION("the .part is longer than the file: start again") {
    write_bytes(dest.string() + ".part", f.data + "trailing junk");
    greenbench::download_file(f.server.url("/files/payload.bin"), dest.string(), f.data_sha, quick_options());
    CHECK(read_bytes(dest) == f.data);
    auto reqs = f.server.requests_for("/files/payload.bin");
    REQUIRE(reqs.size() == 2);
    CHECK_FALSE(contains(reqs[1], "bytes="));
  }
  CHECK_FALSE(fs::exists(dest.string() + ".part"));
}

TEST_CASE("download_file retries a 503 and then succeeds", "[fetch][net]") {
  NetFixture f;
  REQUIRE_SERVER(f.server);
  const fs::path dest = f.out / "payload.bin";
  greenbench::download_file(f.server.url("/flaky503/payload.bin"), dest.string(), f.data_sha, quick_options());
  CHECK(read_bytes(dest) == f.data);
  CHECK(f.server.requests_for("/flaky503/payload.bin").size() == 2);
}

TEST_CASE("download_file gives up on a persistent 503 after max_attempts", "[fetch][net]") {
  NetFixture f;
  REQUIRE_SERVER(f.server);
  const fs::path dest = f.out / "payload.bin";
  auto options = quick_options();
  options.max_attempts = 3;
  std::string msg = error_of([&] {
    greenbench::download_file(f.server.url("/always503/payload.bin"), dest.string(), f.data_sha, options);
  });
  CHECK(contains(msg, "503"));
  CHECK(contains(msg, "3 attempts"));
  CHECK(f.server.requests_for("/always503/payload.bin").size() == 3);
  CHECK_FALSE(fs::exists(dest));
}

TEST_CASE("download_file does not retry a 404", "[fetch][net]") {
  NetFixture f;
  REQUIRE_SERVER(f.server);
  const fs::path dest = f.out / "missing.bin";
  const std::string url = f.server.url("/files/missing.bin");
  std::string msg = error_of([&] { greenbench::download_file(url, dest.string(), f.data_sha, quick_options()); });
  CHECK(contains(msg, "404"));
  CHECK(contains(msg, url));
  CHECK(f.server.requests_for("/files/missing.bin").size() == 1);
  CHECK_FALSE(fs::exists(dest));
}

TEST_CASE("download_file reports a refused connection clearly", "[fetch]") {
  TempDir tmp;
  const std::string url = "http://127.0.0.1:" + std::to_string(unused_port()) + "/payload.bin";
  auto options = quick_options();
  options.max_attempts = 2;
  auto start = std::chrono::steady_clock::now();
  std::string msg = error_of([&] {
    greenbench::download_file(url, (tmp / "payload.bin").string(), "", options);
  });
  CHECK(contains(msg, url));
  CHECK(contains(msg, "connect"));
  CHECK(contains(msg, "2 attempts"));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
  CHECK_FALSE(fs::exists(tmp / "payload.bin"));
}

TEST_CASE("download_file times out on a stalled transfer and keeps the partial data", "[fetch][net]") {
  NetFixture f;
  REQUIRE_SERVER(f.server);
  const fs::path dest = f.out / "payload.bin";
  auto options = quick_options();
  options.max_attempts = 1;
  options.stall_timeout_s = 1;
  auto start = std::chrono::steady_clock::now();
  std::string msg = error_of([&] {
    greenbench::download_file(f.server.url("/slow/payload.bin"), dest.string(), f.data_sha, options);
  });
  CHECK(contains(msg, "timed out"));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(6));
  CHECK_FALSE(fs::exists(dest));
  // Kept for the next run to resume from.
  CHECK(read_bytes(dest.string() + ".part") == f.data.substr(0, 1));
}

TEST_CASE("download_file skips a destination that already has the right sha256", "[fetch][net]") {
  NetFixture f;
  REQUIRE_SERVER(f.server);
  const fs::path dest = f.out / "payload.bin";
  const std::string url = f.server.url("/files/payload.bin");
  greenbench::download_file(url, dest.string(), f.data_sha, quick_options());
  REQUIRE(f.server.requests().size() == 1);
  greenbench::download_file(url, dest.string(), f.data_sha, quick_options());
  CHECK(f.server.requests().size() == 1);

  // A wrong file in the way is replaced.
  write_bytes(dest, "not the payload");
  greenbench::download_file(url, dest.string(), f.data_sha, quick_options());
  CHECK(f.server.requests().size() == 2);
  CHECK(read_bytes(dest) == f.data);
}

// ==================================================================== unpack_archive

TEST_CASE("unpack_archive extracts tar.gz, tar and zip", "[fetch][unpack]") {
  TempDir tmp;
  const std::string kind = GENERATE(as<std::string>{}, "tar.gz", "tar", "zip");
  CAPTURE(kind);
  const fs::path archive = tmp / ("sample." + kind);
  build_archive(archive, kind, sample_entries());
  const fs::path dest = tmp / "dest";
  greenbench::unpack_archive(archive.string(), dest.string());
  CHECK(tree_files(dest) == sample_files());
  CHECK(fs::is_directory(dest / "corpus" / "sub"));
  CHECK(leftovers_beside(dest) == std::vector<std::string>{"dest"});
}

TEST_CASE("unpack_archive into an existing folder replaces only the archive's entries", "[fetch][unpack]") {
  TempDir tmp;
  const fs::path archive = tmp / "sample.tar.gz";
  build_archive(archive, "tar.gz", sample_entries());
  const fs::path dest = tmp / "dest";
  write_bytes(dest / "keep.txt", "mine");
  write_bytes(dest / "corpus" / "stale.csv", "old");
  greenbench::unpack_archive(archive.string(), dest.string());
  auto expected = sample_files();
  expected["keep.txt"] = "mine";
  CHECK(tree_files(dest) == expected);
  CHECK(leftovers_beside(dest) == std::vector<std::string>{"dest"});
  // No ".corpus.replaced-*" left inside either.
  for (const auto& e : fs::directory_iterator(dest)) CHECK(e.path().filename().string().front() != '.');
}

TEST_CASE("unpack_archive refuses entries that escape the destination", "[fetch][unpack]") {
  TempDir tmp;
  const std::string kind = GENERATE(as<std::string>{}, "tar.gz", "zip");
  CAPTURE(kind);
  const fs::path archive = tmp / ("evil." + kind);
  const fs::path work = tmp / "work";
  fs::create_directories(work);
  const fs::path dest = work / "dest";

  SECTION("a '..' component") {
    build_archive(archive, kind, {file_entry("fine.txt", "ok"), file_entry("../evil", "pwned")});
    std::string msg = error_of([&] { greenbench::unpack_archive(archive.string(), dest.string()); });
    CHECK(contains(msg, archive.string()));
    CHECK(contains(msg, "../evil"));
    CHECK_FALSE(fs::exists(work / "evil"));
    CHECK_FALSE(fs::exists(tmp / "evil"));
  }
  SECTION("a nested '..' component") {
    build_archive(archive, kind, {file_entry("a/../../evil", "pwned")});
    CHECK_THROWS_AS(greenbench::unpack_archive(archive.string(), dest.string()), Error);
    CHECK_FALSE(fs::exists(work / "evil"));
  }
  SECTION("an absolute path") {
    const fs::path target = tmp / "absolute-evil";
    build_archive(archive, kind, {file_entry(target.string(), "pwned")});
    std::string msg = error_of([&] { greenbench::unpack_archive(archive.string(), dest.string()); });
    CHECK(contains(msg, "absolute"));
    CHECK_FALSE(fs::exists(target));
  }
  SECTION("a symlink pointing outside") {
    build_archive(archive, kind, {dir_entry("top/"), link_entry("top/link", "../../outside")});
    std::string msg = error_of([&] { greenbench::unpack_archive(archive.string(), dest.string()); });
    CHECK(contains(msg, "symlink"));
  }
  SECTION("a symlink written through another symlink") {
    // "up" -> "." is harmless, but "up/x" -> ".." then points one level above dest.
    build_archive(archive, kind, {link_entry("up", "."), link_entry("up/x", ".."), file_entry("up/x/evil", "pwned")});
    std::string msg = error_of([&] { greenbench::unpack_archive(archive.string(), dest.string()); });
    CHECK(contains(msg, "symlink"));
    CHECK_FALSE(fs::exists(work / "evil"));
  }
  // Nothing is left behind: no destination, no temporary folder.
  CHECK(fs::is_empty(work));
}

TEST_CASE("unpack_archive keeps symlinks that stay inside", "[fetch][unpack]") {
  TempDir tmp;
  const fs::path archive = tmp / "links.tar";
  build_archive(archive, "tar", {dir_entry("top/"), file_entry("top/a.txt", "A"), dir_entry("top/sub/"), link_entry("top/sub/up", "../a.txt")});
  const fs::path dest = tmp / "dest";
  greenbench::unpack_archive(archive.string(), dest.string());
  CHECK(fs::is_symlink(dest / "top" / "sub" / "up"));
  CHECK(read_bytes(dest / "top" / "sub" / "up") == "A");
}

TEST_CASE("unpack_archive names the file of a corrupt archive", "[fetch][unpack]") {
  TempDir tmp;
  const fs::path dest = tmp / "dest";

  SECTION("not an archive at all") {
    const fs::path bad = tmp / "garbage.tar.gz";
    write_bytes(bad, payload(5000, 3));
    std::string msg = error_of([&] { greenbench::unpack_archive(bad.string(), dest.string()); });
    CHECK(contains(msg, bad.string()));
  }
  SECTION("a truncated tar.gz") {
    const fs::path good = tmp / "good.tar.gz";
    build_archive(good, "tar.gz", sample_entries());
    const std::string bytes = read_bytes(good);
    const fs::path bad = tmp / "truncated.tar.gz";
    write_bytes(bad, bytes.substr(0, bytes.size() / 2));
    std::string msg = error_of([&] { greenbench::unpack_archive(bad.string(), dest.string()); });
    CHECK(contains(msg, bad.string()));
  }
  SECTION("a truncated zip") {
    const fs::path good = tmp / "good.zip";
    build_archive(good, "zip", sample_entries());
    const std::string bytes = read_bytes(good);
    const fs::path bad = tmp / "truncated.zip";
    write_bytes(bad, bytes.substr(0, bytes.size() / 2));
    std::string msg = error_of([&] { greenbench::unpack_archive(bad.string(), dest.string()); });
    CHECK(contains(msg, bad.string()));
  }
  SECTION("a missing file") {
    const fs::path missing = tmp / "missing.zip";
    std::string msg = error_of([&] { greenbench::unpack_archive(missing.string(), dest.string()); });
    CHECK(contains(msg, missing.string()));
  }
  CHECK_FALSE(fs::exists(dest));
  for (const auto& e : fs::directory_iterator(tmp.path()))
    CHECK_FALSE(contains(e.path().filename().string(), "unpacking"));
}

// ==================================================================== fetch_task_data

TEST_CASE("fetch_task_data downloads and unpacks a task's sources", "[fetch][net]") {
  NetFixture f;
  REQUIRE_SERVER(f.server);
  build_archive(f.www / "corpus.tar.gz", "tar.gz", sample_entries());
  write_bytes(f.www / "labels.txt", "neg\npos\n");
  FakeTask task({
      {f.server.url("/files/corpus.tar.gz"), greenbench::sha256_file((f.www / "corpus.tar.gz").string()),
       "corpus.tar.gz", true},
      {f.server.url("/files/labels.txt"), greenbench::sha256_hex("neg\npos\n"), "labels.txt", false},
  });
  const fs::path data_root = f.tmp / "data";
  greenbench::fetch_task_data(task, data_root.string(), quick_options());

  const fs::path task_dir = data_root / "fake_task";
  CHECK(read_bytes(task_dir / "corpus" / "train.csv") == sample_files()["corpus/train.csv"]);
  CHECK(read_bytes(task_dir / "corpus" / "sub" / "blob.bin") == sample_files()["corpus/sub/blob.bin"]);
  CHECK(read_bytes(task_dir / "README") == "sample\n");
  CHECK(read_bytes(task_dir / "labels.txt") == "neg\npos\n");
  CHECK(fs::exists(task_dir / "downloads" / "corpus.tar.gz"));
  CHECK(leftovers_beside(task_dir) == std::vector<std::string>{"fake_task"});
  const size_t requests = f.server.requests().size();
  CHECK(requests == 2);

  SECTION("a rerun downloads nothing") {
    greenbench::fetch_task_data(task, data_root.string(), quick_options());
    CHECK(f.server.requests().size() == requests);
    CHECK(read_bytes(task_dir / "corpus" / "train.csv") == sample_files()["corpus/train.csv"]);
  }
  SECTION("a rerun after the unpacked folder was deleted unpacks again, still without downloading") {
    fs::remove_all(task_dir / "corpus");
    greenbench::fetch_task_data(task, data_root.string(), quick_options());
    CHECK(f.server.requests().size() == requests);
    CHECK(read_bytes(task_dir / "corpus" / "sub" / "test.csv") == sample_files()["corpus/sub/test.csv"]);
  }
}

TEST_CASE("fetch_task_data refuses a source file name that is a path", "[fetch]") {
  TempDir tmp;
  FakeTask task({{"http://127.0.0.1:9/x.tar.gz", "", "../x.tar.gz", true}});
  std::string msg = error_of([&] { greenbench::fetch_task_data(task, (tmp / "data").string(), quick_options()); });
  CHECK(contains(msg, "../x.tar.gz"));
}
