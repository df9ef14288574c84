// When one machine is not enough: a sweep as a cluster job, one array task
// per shard, each running `greenbench sweep ... --shard i/N` into its own
// results folder, joined afterwards with `greenbench merge`. Slurm gets a
// job-array batch script, Kubernetes an Indexed Job manifest (JSON, which
// kubectl reads as YAML).
#pragma once

#include <string>
#include <vector>

namespace greenbench {

struct ShardedSweep {
  std::string suite;               ///< for the job's name
  int shards = 1;
  int cpus_per_shard = 1;
  std::vector<std::string> args;   ///< the sweep's arguments, without the ones set per shard (see strip_options)
};

/// Where the Slurm job runs: the paths as the compute nodes see them (a shared file system).
struct SlurmTarget {
  std::string executable, workdir, data, results;
};

/// Where the Kubernetes job runs: the image (built from the Dockerfile) and
/// the claims mounted at /data and /results.
struct KubernetesTarget {
  std::string image = "greenbench:latest";
  std::string executable = "/greenbench/build/greenbench";
  std::string data_claim = "greenbench-data", results_claim = "greenbench-results";
};

/// A bash script for `sbatch`: #SBATCH --array=0-(N-1); shard i writes
/// <results>/shards/i, logs go to <results>/slurm/, the vocabulary cache is shared.
std::string slurm_array_script(const ShardedSweep& sweep, const SlurmTarget& target);

/// A batch/v1 Job with completionMode Indexed, completions = parallelism = N;
/// the shard index is $(JOB_COMPLETION_INDEX).
std::string kubernetes_indexed_job(const ShardedSweep& sweep, const KubernetesTarget& target);

/// `args` without the named options and their values ("--opt v" and "--opt=v").
std::vector<std::string> strip_options(const std::vector<std::string>& args, const std::vector<std::string>& options);

/// A lower-case DNS-1123 name for the job: "greenbench-" + the suite, other characters as '-'.
std::string job_name(const std::string& suite);

}  // namespace greenbench
