// The greenbench binary as a user meets it: --help lists the subcommands,
// `methods` lists every folder under methods/ and baselines/ with its family,
// and `run` on a missing data folder fails saying where it looked and how to
// fetch the data. Skipped (with a warning) when the greenbench target has not
// been built.
#include <sys/wait.h>
#include <torch/torch.h>
// LibTorch's logging defines a one-argument CHECK; Catch's must win.
#undef CHECK
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core_fixtures.h"
#include "settings/settings_table.h"

using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

const std::string kBinary = std::string(GREENBENCH_BINARY_DIR) + "/greenbench";

struct Result {
  int status = -1;
  std::string output;  // stdout and stderr together
};

// Runs `args` through the shell in `cwd`, capturing both streams.
Result run_greenbench(const std::string& args, const std::string& cwd) {
  const std::string command = "cd '" + cwd + "' && '" + kBinary + "' " + args + " 2>&1";
  Result r;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) r.output.append(buffer, n);
  const int status = pclose(pipe);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

bool have_binary() {
  if (fs::exists(kBinary)) return true;
  WARN("skipped: " << kBinary << " not built (ninja -C BUILD greenbench)");
  return false;
}

}  // namespace

TEST_CASE("greenbench --help exits 0 and lists the subcommands", "[cli]") {
  if (!have_binary()) return;
  greenbench::core_test::TempDir cwd("cli");
  Result r = run_greenbench("--help", cwd.path());
  INFO(r.output);
  CHECK(r.status == 0);
  for (const char* sub : {"run", "train", "eval", "bench", "sweep", "merge", "suites", "methods", "tasks", "data", "env"}) CHECK_THAT(r.output, Contains(sub));
}

TEST_CASE("greenbench methods lists standard, truncated and early_exit", "[cli]") {
  if (!have_binary()) return;
  greenbench::core_test::TempDir cwd("cli");
  Result r = run_greenbench("methods", cwd.path());
  INFO(r.output);
  CHECK(r.status == 0);
  for (const char* name : {"standard", "truncated", "early_exit"}) CHECK_THAT(r.output, Contains(name));
}

TEST_CASE("greenbench methods lists every folder under methods/ and baselines/ with its family", "[cli]") {
  if (!have_binary()) return;
  greenbench::core_test::TempDir cwd("cli");
  Result r = run_greenbench("methods", cwd.path());
  INFO(r.output);
  REQUIRE(r.status == 0);
  int folders = 0;
  for (const auto& [dir, family] : {std::pair<std::string, std::string>{"methods", "method"}, {"baselines", "baseline"}}) {
    for (const auto& entry : fs::directory_iterator(fs::path(GREENBENCH_SOURCE_DIR) / dir)) {
      if (!entry.is_directory() || !fs::exists(entry.path() / "CMakeLists.txt")) continue;
      const std::string name = entry.path().filename().string();
      INFO(dir << "/" << name);
      ++folders;
      // Its own row: the name, then its family.
      CHECK(std::regex_search(r.output, std::regex("(^|\n)" + name + " +" + family + " ")));
    }
  }
  CHECK(folders >= 3);
}

TEST_CASE("greenbench run on a missing data folder fails naming the path and the fetch command", "[cli]") {
  if (!have_binary()) return;
  greenbench::core_test::TempDir cwd("cli");
  Result r = run_greenbench("-q run sst2 standard --data /nonexistent", cwd.path());
  INFO(r.output);
  CHECK(r.status != 0);
  CHECK_THAT(r.output, Contains("/nonexistent/sst2"));
  CHECK_THAT(r.output, Contains("greenbench data fetch"));
  // Nothing was written in the working folder (no results, no cache).
  CHECK(fs::is_empty(cwd.path()));
}

TEST_CASE("greenbench run rejects an unknown method with the list of known ones", "[cli]") {
  if (!have_binary()) return;
  greenbench::core_test::TempDir cwd("cli");
  greenbench::core_test::write_text(cwd / "data/sst2/train.tsv", greenbench::core_test::sst2_file(40, 1));
  greenbench::core_test::write_text(cwd / "data/sst2/dev.tsv", greenbench::core_test::sst2_file(10, 2));
  Result r = run_greenbench("-q run sst2 nope --data data --vocab-size 100", cwd.path());
  INFO(r.output);
  CHECK(r.status != 0);
  CHECK_THAT(r.output, Contains("unknown method 'nope'"));
  for (const char* name : {"standard", "truncated", "early_exit"}) CHECK_THAT(r.output, Contains(name));
}

TEST_CASE("greenbench run trains a tiny model and writes its record", "[cli]") {
  if (!have_binary()) return;
  greenbench::core_test::TempDir cwd("cli");
  greenbench::core_test::write_text(cwd / "data/sst2/train.tsv", greenbench::core_test::sst2_file(60, 1));
  greenbench::core_test::write_text(cwd / "data/sst2/dev.tsv", greenbench::core_test::sst2_file(20, 2));
  Result r = run_greenbench(
      "-q run sst2 truncated --config '{\"layers\": 1}' --data data --results res --cache cache --size tiny "
      "--layers 2 --max-len 24 --vocab-size 100 --epochs 1 --batch-size 16 --threads 1",
      cwd.path());
  INFO(r.output);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.output, Contains("record: res/sst2/"));
  int records = 0;
  for (const auto& entry : fs::recursive_directory_iterator(cwd / "res")) {
    records += entry.path().extension() == ".json";
    CHECK(entry.path().filename().string().find(".tmp.") == std::string::npos);
  }
  CHECK(records == 1);
}

TEST_CASE("greenbench bench saves checkpoints that eval can measure again, and a second bench reuses its records",
          "[cli]") {
  if (!have_binary()) return;
  greenbench::core_test::TempDir cwd("cli");
  greenbench::core_test::write_text(cwd / "data/sst2/train.tsv", greenbench::core_test::sst2_file(60, 1));
  greenbench::core_test::write_text(cwd / "data/sst2/dev.tsv", greenbench::core_test::sst2_file(20, 2));
  const std::string args =
      "-q bench --suite smoke --tasks sst2 --data data --results res --cache cache --checkpoints ckpt --size tiny "
      "--layers 2 --max-len 24 --vocab-size 100 --epochs 1 --batch-size 16 --threads 1 --latency-instances 5";
  Result first = run_greenbench(args, cwd.path());
  INFO(first.output);
  REQUIRE(first.status == 0);
  // The smoke suite: standard, early exit, truncated k=1, quantize, bow: five
  // checkpoints, five records.
  const size_t methods = 5;
  size_t checkpoints = 0;
  std::string early_exit_dir;
  for (const auto& entry : fs::directory_iterator(cwd / "ckpt/sst2")) {
    ++checkpoints;
    CHECK(fs::exists(entry.path() / "run.json"));
    if (entry.path().filename().string().rfind("early_exit-", 0) == 0) early_exit_dir = entry.path().string();
  }
  CHECK(checkpoints == methods);
  CHECK(fs::exists(early_exit_dir + "/model.safetensors"));
  REQUIRE(!early_exit_dir.empty());

  Result second = run_greenbench(args, cwd.path());
  INFO(second.output);
  CHECK(second.status == 0);
  CHECK_THAT(second.output, Contains("reusing"));

  auto records_in = [&](const std::string& dir) {
    std::map<std::string, std::string> contents;
    for (const auto& entry : fs::directory_iterator(cwd / dir)) {
      std::ifstream in(entry.path());
      contents[entry.path().filename().string()] = std::string(std::istreambuf_iterator<char>(in), {});
    }
    return contents;
  };
  const auto bench_records = records_in("res/sst2");
  CHECK(bench_records.size() == methods);
  // Measured again into the same results folder: a record of its own, the bench's untouched.
  Result eval = run_greenbench("-q eval " + early_exit_dir + " --data data --results res --threads 1", cwd.path());
  INFO(eval.output);
  CHECK(eval.status == 0);
  CHECK_THAT(eval.output, Contains("-eval-"));
  const auto after = records_in("res/sst2");
  CHECK(after.size() == methods + 1);
  for (const auto& [name, text] : bench_records) CHECK(after.at(name) == text);
}

TEST_CASE("greenbench env says what this machine can measure, as text and as JSON", "[cli]") {
  if (!have_binary()) return;
  greenbench::core_test::TempDir cwd("cli");
  Result text = run_greenbench("env", cwd.path());
  INFO(text.output);
  CHECK(text.status == 0);
  for (const char* part : {"machine", "LibTorch", "BLAS", "counters", "energy", "estimate"}) CHECK_THAT(text.output, Contains(part));
  Result json = run_greenbench("env --json", cwd.path());
  INFO(json.output);
  REQUIRE(json.status == 0);
  // The output holds stderr too; the JSON object is what stdout printed.
  const auto report = nlohmann::json::parse(json.output.substr(json.output.find('{')));
  CHECK(!report.at("hardware").at("cpu").get<std::string>().empty());
  // Sources are tried in order until one works, so at least one is listed.
  CHECK(report.at("can_measure").at("energy_sources").size() >= 1);
  for (const auto& source : report["can_measure"]["energy_sources"]) {
    CHECK((source.at("available").get<bool>() || !source.at("reason").get<std::string>().empty()));
  }
}

TEST_CASE("greenbench refuses settings out of range before reading data, naming the flag, value and range", "[cli][settings]") {
  if (!have_binary()) return;
  greenbench::core_test::TempDir cwd("cli");
  // {flag and value, what the message must hold}. The data folder does not
  // exist: a settings error must come first, so nothing about data is said.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"--batch-size 0", "batch_size (--batch-size) = 0: expected an integer in [1, 1048576]"},
      {"--eval-batch-size 0", "eval_batch_size (--eval-batch-size) = 0"},
      {"--threads 10000", "threads (--threads) = 10000: expected an integer in [1, 1024]"},
      {"--epochs 0", "epochs (--epochs) = 0"},
      {"--epochs -1", "epochs (--epochs) = -1"},
      {"--epochs nan", "epochs (--epochs) = nan"},
      {"--epochs inf", "epochs (--epochs) = inf"},
      {"--lr nan", "learning_rate (--learning-rate, --lr) = nan"},
      {"--learning-rate -0.001", "learning_rate (--learning-rate, --lr) = -0.001"},
      {"--layers -1", "num_layers (--num-layers, --layers) = -1"},
      {"--pretrain-epochs -1", "pretrain_epochs (--pretrain-epochs) = -1"},
      {"--latency-warmup-passes -1", "latency_warmup_passes (--latency-warmup-passes) = -1"},
      {"--max-len 0", "max_len (--max-len) = 0"},
      {"--vocab-size 0", "vocab_size (--vocab-size) = 0"},
      {"--pretrain-lr 0", "pretrain_learning_rate (--pretrain-learning-rate, --pretrain-lr) = 0"},
  };
  for (const auto& [flag, message] : cases) {
    for (const char* command : {"run sst2 standard", "train sst2 standard --out ckpt", "bench --suite smoke"}) {
      Result r = run_greenbench(std::string("-q ") + command + " --data /nonexistent " + flag, cwd.path());
      INFO(command << " " << flag << "\n" << r.output);
      CHECK(r.status == 2);
      CHECK_THAT(r.output, Contains("command line: " + message));
      CHECK(r.output.find("/nonexistent") == std::string::npos);
    }
  }
  CHECK(fs::is_empty(cwd.path()));
}

TEST_CASE("greenbench refuses negative counts and seeds instead of wrapping them", "[cli][settings]") {
  if (!have_binary()) return;
  greenbench::core_test::TempDir cwd("cli");
  for (const char* args : {"run sst2 standard --data /nonexistent --seed -1",
                           "run sst2 standard --data /nonexistent --max-train -1",
                           "run sst2 standard --data /nonexistent --max-test -5",
                           "run sst2 standard --data /nonexistent --seed 18446744073709551616",
                           "sweep --suite smoke --data /nonexistent --trials -3",
                           "sweep --suite smoke --data /nonexistent --trials 0"}) {
    Result r = run_greenbench(std::string("-q ") + args, cwd.path());
    INFO(args << "\n" << r.output);
    CHECK(r.status != 0);
    CHECK(r.output.find("/nonexistent") == std::string::npos);
    CHECK((r.output.find("expected an integer in [0, 18446744073709551615]") != std::string::npos ||
           r.output.find("not in range 1 to 1000000") != std::string::npos));
  }
  CHECK(fs::is_empty(cwd.path()));
}

TEST_CASE("greenbench refuses unknown or out-of-range --config keys before reading data", "[cli][settings]") {
  if (!have_binary()) return;
  greenbench::core_test::TempDir cwd("cli");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"early_exit --config '{\"threshold\": [0.5]}'", "--config: unknown key \"threshold\" for method early_exit (known: "},
      {"early_exit --config '{\"thresholds\": [0.5, 1.5]}'", "thresholds[1] = 1.5: expected a finite number in [0, 1]"},
      {"early_exit --config '{\"thresholds\": [-0.5]}'", "thresholds[0] = -0.5"},
      {"early_exit --config '{\"entropy_thresholds\": [7]}'", "entropy_thresholds[0] = 7"},
      {"bow --config '{\"batch_size\": 0}'", "--config: batch_size = 0: expected an integer in [1, 1048576]"},
      {"standard --config '{\"train\": {\"batch_size\": 0}}'", "--config: train.batch_size = 0"},
  };
  for (const auto& [method_and_config, message] : cases) {
    Result r = run_greenbench("-q run sst2 " + method_and_config + " --data /nonexistent", cwd.path());
    INFO(method_and_config << "\n" << r.output);
    CHECK(r.status == 2);
    CHECK_THAT(r.output, Contains(message));
    CHECK(r.output.find("/nonexistent") == std::string::npos);
  }
}

TEST_CASE("greenbench refuses a suite file whose integers would wrap, naming the file and key", "[cli][settings]") {
  if (!have_binary()) return;
  greenbench::core_test::TempDir cwd("cli");
  greenbench::core_test::write_text(cwd / "wrap.json", R"({"name": "wrap", "version": "1", "tasks": ["sst2"],
    "settings": {"layers": 4294967297}, "methods": [{"method": "standard"}]})");
  greenbench::core_test::write_text(cwd / "zero.json", R"({"name": "zero", "version": "1", "tasks": ["sst2"],
    "settings": {"batch_size": 0}, "methods": [{"method": "standard"}]})");
  for (const auto& [file, message] : std::vector<std::pair<std::string, std::string>>{
           {"wrap.json", "wrap.json: settings: setting \"layers\" = 4294967297: expected an integer in [0, 1024]"},
           {"zero.json", "zero.json: settings: setting \"batch_size\" = 0"}}) {
    Result r = run_greenbench("-q bench --suite " + file + " --data /nonexistent --site ''", cwd.path());
    INFO(r.output);
    CHECK(r.status == 2);
    CHECK_THAT(r.output, Contains(message));
  }
}

TEST_CASE("greenbench warns on stderr when --threads exceeds the cores", "[cli][settings]") {
  if (!have_binary()) return;
  const unsigned cores = std::thread::hardware_concurrency();
  if (cores < 1 || cores >= 1024) return;
  greenbench::core_test::TempDir cwd("cli");
  Result r = run_greenbench("-q run sst2 standard --data /nonexistent --threads " + std::to_string(cores + 1), cwd.path());
  INFO(r.output);
  CHECK_THAT(r.output, Contains("warning: command line: threads (--threads) = " + std::to_string(cores + 1)));
  // Only a warning: the run went on to look for its data.
  CHECK_THAT(r.output, Contains("/nonexistent/sst2"));
}

TEST_CASE("every command-line setting of the table is a flag of run, train, bench and sweep, under every name", "[cli][settings]") {
  if (!have_binary()) return;
  greenbench::core_test::TempDir cwd("cli");
  for (const char* command : {"run", "train", "bench", "sweep"}) {
    Result r = run_greenbench(std::string(command) + " --help", cwd.path());
    INFO(command << "\n" << r.output);
    CHECK(r.status == 0);
    for (const auto& row : greenbench::settings_table()) {
      if (!row.on_command_line()) continue;
      CHECK_THAT(r.output, Contains(row.flags()));
      CHECK_THAT(r.output, Contains(row.help.substr(0, 40)));
    }
  }
  // The old flag and the canonical one are the same option.
  for (const char* flag : {"--lr 2", "--learning-rate 2"}) {
    Result r = run_greenbench(std::string("-q run sst2 standard --data /nonexistent ") + flag, cwd.path());
    INFO(r.output);
    CHECK(r.status == 2);
    CHECK_THAT(r.output, Contains("learning_rate (--learning-rate, --lr) = 2"));
  }
}
