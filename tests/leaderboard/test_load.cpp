// Load: 200 distinct records and 20 exact duplicates, all submitted at once
// from 220 client threads through the real client. Every accepted record is
// stored exactly once, duplicates get 409, none is lost, rebuilds never
// overlap, and the server still answers afterwards. Prints the figures; no
// time is asserted. Bounded: a fixed number of uploads, each with a time-out.
#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "leaderboard/ingest_server.h"
#include "leaderboard/submit_client.h"
#include "support.h"
#include "util/atomic_file.h"

using namespace greenbench;
using namespace greenbench::testing;

TEST_CASE("load: 200 concurrent uploads and 20 duplicates, each stored once", "[load]") {
  constexpr int kDistinct = 200;
  constexpr int kDuplicates = 20;
  ServerFixture f;
  std::atomic<int> rebuilding{0}, most_at_once{0};
  auto options = f.options();
  options.rebuild_settle = std::chrono::milliseconds(20);
  options.rebuild = [&] {
    const int now = ++rebuilding;
    // Left on every path: reading the folder while uploads land can throw (a
    // temp file renamed away mid-listing), and a count left raised would
    // read as two rebuilds at once.
    struct Leave {
      std::atomic<int>& count;
      ~Leave() { --count; }
    } leave{rebuilding};
    int seen = most_at_once;
    while (now > seen && !most_at_once.compare_exchange_weak(seen, now)) {
    }
    (void)files_under(f.results);  // a rebuild reads the results folder
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  };
  IngestServer server(options);
  server.start();

  struct Upload {
    std::string run_id, body;
    bool duplicate = false;
  };
  std::vector<Upload> uploads;
  for (int i = 0; i < kDistinct; ++i) {
    const std::string id = "load-" + std::to_string(i);
    uploads.push_back({id, make_record(id, i % 3 == 0 ? "mnli" : "sst2", i / 1000.0), false});
  }
  for (int i = 0; i < kDuplicates; ++i) {
    Upload copy = uploads[static_cast<size_t>(i * (kDistinct / kDuplicates))];
    copy.duplicate = true;
    uploads.push_back(copy);
  }
  std::mt19937 rng(2026);
  std::shuffle(uploads.begin(), uploads.end(), rng);

  SubmitOptions client;
  client.url = server.url();
  client.token = f.token;
  client.timeout_s = 30;
  client.retries = 3;
  client.retry_delay_s = 0.05;
  std::atomic<int> retried{0};
  client.on_retry = [&](const std::string&) { ++retried; };

  std::vector<SubmitResult> results(uploads.size());
  std::vector<double> latency_ms(uploads.size());
  std::mutex gate_mutex;
  std::condition_variable gate;
  bool go = false;
  std::vector<std::thread> threads;
  for (size_t i = 0; i < uploads.size(); ++i) {
    threads.emplace_back([&, i] {
      {
        std::unique_lock<std::mutex> lock(gate_mutex);
        gate.wait(lock, [&] { return go; });
      }
      const auto t0 = std::chrono::steady_clock::now();
      results[i] = submit_record(uploads[i].run_id, uploads[i].body, client);
      latency_ms[i] = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    });
  }
  const auto start = std::chrono::steady_clock::now();
  {
    std::lock_guard<std::mutex> lock(gate_mutex);
    go = true;
  }
  gate.notify_all();
  for (auto& t : threads) t.join();
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  // Every distinct run stored once: by one upload (201), the other copy 409.
  std::map<std::string, int> stored_by_id, already_by_id;
  int failed = 0;
  for (size_t i = 0; i < results.size(); ++i) {
    const SubmitResult& r = results[i];
    if (r.outcome == SubmitOutcome::kStored) ++stored_by_id[uploads[i].run_id];
    else if (r.outcome == SubmitOutcome::kAlreadyThere) ++already_by_id[uploads[i].run_id];
    else {
      ++failed;
      UNSCOPED_INFO(uploads[i].run_id << ": " << r.message);
    }
  }
  CHECK(failed == 0);
  CHECK(stored_by_id.size() == static_cast<size_t>(kDistinct));
  CHECK(std::all_of(stored_by_id.begin(), stored_by_id.end(), [](const auto& kv) { return kv.second == 1; }));
  CHECK(already_by_id.size() == static_cast<size_t>(kDuplicates));
  CHECK(std::all_of(already_by_id.begin(), already_by_id.end(), [](const auto& kv) { return kv.second == 1; }));

  // On disk: exactly the accepted records, each once, whole.
  const std::vector<std::string> on_disk = files_under(f.results);
  CHECK(on_disk.size() == static_cast<size_t>(kDistinct));
  std::map<std::string, int> ids_on_disk;
  for (const auto& rel : on_disk) {
    const IngestVerdict v = test_verdict(read_file(f.results + "/" + rel));
    REQUIRE(v.ok);
    CHECK(rel == v.task + "/" + v.run_id + ".json");
    ++ids_on_disk[v.run_id];
  }
  CHECK(ids_on_disk.size() == static_cast<size_t>(kDistinct));

  // The server still answers, and lists them all.
  CHECK(http_get(server.url() + "/api/v1/health").status == 200);
  CHECK(nlohmann::json::parse(http_get(server.url() + "/api/v1/results").body)["count"] == kDistinct);

  server.stop();
  const IngestStats st = server.stats();
  CHECK(st.stored == kDistinct);
  CHECK(st.duplicates == kDuplicates);
  CHECK(st.failed == 0);
  CHECK(st.rebuilds >= 1);
  CHECK(st.rebuilds <= kDistinct + 1);  // one per store at most, and one at start-up
  CHECK(most_at_once == 1);

  std::sort(latency_ms.begin(), latency_ms.end());
  const auto pct = [&](double p) {
    return latency_ms[std::min(latency_ms.size() - 1, static_cast<size_t>(p * static_cast<double>(latency_ms.size())))];
  };
  char figures[512];
  std::snprintf(figures, sizeof figures,
                "load: %zu submissions from %zu threads in %.2f s = %.0f submissions/s; per request p50 %.1f ms, "
                "p99 %.1f ms, max %.1f ms; %d retries; %ld stored, %ld duplicates (409); %ld rebuilds (never "
                "two at once)",
                uploads.size(), threads.size(), wall_s, static_cast<double>(uploads.size()) / wall_s, pct(0.50),
                pct(0.99), latency_ms.back(), retried.load(), st.stored, st.duplicates, st.rebuilds);
  WARN(figures);
  std::printf("%s\n", figures);
}
