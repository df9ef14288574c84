#include "run/cluster_jobs.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "greenbench/error.h"

namespace greenbench {
namespace {

// Single-quoted for bash: nothing inside is expanded.
std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

void check(const ShardedSweep& sweep) {
  if (sweep.shards < 1) throw Error("a cluster job needs at least one shard, got " + std::to_string(sweep.shards));
  if (sweep.cpus_per_shard < 1) throw Error("a shard needs at least one CPU");
}

}  // namespace

std::string job_name(const std::string& suite) {
  std::string name = "greenbench-";
  for (char c : suite) name += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '-';
  while (name.back() == '-') name.pop_back();
  return name.substr(0, 52);  // room for the controller's pod suffixes within 63
}

std::vector<std::string> strip_options(const std::vector<std::string>& args, const std::vector<std::string>& options) {
  std::vector<std::string> kept;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    bool drop = false;
    for (const auto& o : options) {
      if (a == o) {
        drop = true;
        ++i;  // and its value
        break;
      }
      if (a.rfind(o + "=", 0) == 0) {
        drop = true;
        break;
      }
    }
    if (!drop) kept.push_back(a);
  }
  return kept;
}

std::string slurm_array_script(const ShardedSweep& sweep, const SlurmTarget& t) {
  check(sweep);
  std::ostringstream s;
  s << "#!/bin/bash\n"
    << "# greenbench sweep of suite '" << sweep.suite << "' as a Slurm job array, one task per shard.\n"
    << "# Written by `greenbench sweep --emit slurm`. Submit with `sbatch` (or `sbatch --wait`), then join\n"
    << "# the shards' records:  " << quoted(t.executable) << " merge --out " << quoted(t.results) << " "
    << quoted(t.results + "/shards/") << "*\n"
    << "# A shard that is run again skips the runs it finished (records are keyed by config hash).\n"
    << "#SBATCH --job-name=" << job_name(sweep.suite) << "\n"
    << "#SBATCH --array=0-" << sweep.shards - 1 << "\n"
    << "#SBATCH --ntasks=1\n"
    << "#SBATCH --cpus-per-task=" << sweep.cpus_per_shard << "\n"
    << "#SBATCH --chdir=" << t.workdir << "\n"
    << "#SBATCH --output=" << t.results << "/slurm/%A_%a.out\n"
    << "set -euo pipefail\n"
    << "shard=${SLURM_ARRAY_TASK_ID:?run this script with sbatch: it is a job array}\n"
    << "exec " << quoted(t.executable);
  for (const auto& a : sweep.args) s << " " << quoted(a);
  s << " --shard \"$shard/" << sweep.shards << "\" --data " << quoted(t.data) << " --results " << quoted(t.results + "/shards/")
    << "\"$shard\" --cache " << quoted(t.results + "/cache") << "\n";
  return s.str();
}

std::string kubernetes_indexed_job(const ShardedSweep& sweep, const KubernetesTarget& t) {
  check(sweep);
  const std::string index = "$(JOB_COMPLETION_INDEX)";  // expanded by Kubernetes in args
  nlohmann::json args = sweep.args;
  for (const std::string& a : {std::string("--shard"), index + "/" + std::to_string(sweep.shards), std::string("--data"),
                               std::string("/data"), std::string("--results"), "/results/shards/" + index,
                               std::string("--cache"), std::string("/results/cache")}) {
    args.push_back(a);
  }
  const std::string cpus = std::to_string(sweep.cpus_per_shard);
  const nlohmann::json labels = {{"app.kubernetes.io/name", "greenbench"}, {"greenbench/suite", job_name(sweep.suite).substr(11)}};
  nlohmann::json container = {
      {"name", "greenbench"},
      {"image", t.image},
      {"command", {t.executable}},
      {"args", args},
      {"resources", {{"requests", {{"cpu", cpus}}}, {"limits", {{"cpu", cpus}}}}},
      {"volumeMounts",
       {{{"name", "data"}, {"mountPath", "/data"}, {"readOnly", true}}, {{"name", "results"}, {"mountPath", "/results"}}}}};
  nlohmann::json job = {
      {"apiVersion", "batch/v1"},
      {"kind", "Job"},
      {"metadata", {{"name", job_name(sweep.suite)}, {"labels", labels}}},
      {"spec",
       {{"completionMode", "Indexed"},
        {"completions", sweep.shards},
        {"parallelism", sweep.shards},
        // A shard that fails is retried; finished runs are kept, so a retry only redoes the rest.
        {"backoffLimit", 2 * sweep.shards},
        {"template",
         {{"metadata", {{"labels", labels}}},
          {"spec",
           {{"restartPolicy", "Never"},
            {"containers", {container}},
            {"volumes",
             {{{"name", "data"}, {"persistentVolumeClaim", {{"claimName", t.data_claim}, {"readOnly", true}}}},
              {{"name", "results"}, {"persistentVolumeClaim", {{"claimName", t.results_claim}}}}}}}}}}}}};
  return job.dump(2) + "\n";
}

}  // namespace greenbench
