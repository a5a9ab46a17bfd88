// CPU, memory and disk usage from /proc and statvfs. The parsers are pure;
// SystemMonitor samples CPU once a second on a small background thread so a
// health request never waits for a sampling interval.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>

namespace herald::health {

struct CpuTimes {
  std::uint64_t busy = 0;
  std::uint64_t total = 0;
};

// The aggregate "cpu" line of /proc/stat.
std::optional<CpuTimes> parse_proc_stat(std::string_view text);
// Busy share between two samples, 0..100.
double cpu_percent(const CpuTimes& before, const CpuTimes& after);
// (MemTotal - MemAvailable) / MemTotal from /proc/meminfo, 0..100.
std::optional<double> memory_percent(std::string_view meminfo);
// Used share of the filesystem holding `path`, 0..100.
std::optional<double> disk_percent(const std::filesystem::path& path);
// Resident set size of this process in bytes, from /proc/self/statm.
std::optional<std::uint64_t> resident_bytes();

struct SystemSnapshot {
  double cpu_percent = 0;
  double memory_percent = 0;
  double disk_percent = 0;
};

class SystemMonitor {
 public:
  explicit SystemMonitor(std::filesystem::path data_dir);
  ~SystemMonitor();
  SystemMonitor(const SystemMonitor&) = delete;
  SystemMonitor& operator=(const SystemMonitor&) = delete;

  SystemSnapshot snapshot() const;

 private:
  void run();

  std::filesystem::path data_dir_;
  std::atomic<double> cpu_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace herald::health
