// The process figures every Prometheus client exports (process_cpu_seconds_total,
// process_resident_memory_bytes, process_open_fds, …), read from /proc when
// /metrics is scraped. The parsers are pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include <prometheus/metric_family.h>

namespace herald::observability {

// The fields of /proc/<pid>/stat that matter here, in clock ticks and pages.
struct ProcStat {
  std::uint64_t utime_ticks = 0;
  std::uint64_t stime_ticks = 0;
  std::uint64_t start_ticks = 0;  // after boot
  std::uint64_t virtual_bytes = 0;
  std::uint64_t resident_pages = 0;
};
// The command name (field 2) may hold spaces and parentheses: fields are
// counted from the last ')'.
std::optional<ProcStat> parse_proc_pid_stat(std::string_view text);
// "btime" of /proc/stat: boot time in seconds since the epoch.
std::optional<std::int64_t> parse_boot_time(std::string_view proc_stat);
// The soft "Max open files" limit of /proc/<pid>/limits.
std::optional<std::uint64_t> parse_max_open_files(std::string_view limits);

struct ProcessSample {
  double cpu_seconds = 0;
  double start_time_seconds = 0;  // since the epoch
  std::uint64_t resident_bytes = 0;
  std::uint64_t virtual_bytes = 0;
  std::uint64_t open_fds = 0;
  std::uint64_t max_fds = 0;
};
// This process now; nullopt where /proc is not readable.
std::optional<ProcessSample> read_process_sample();

// process_cpu_seconds_total, process_start_time_seconds,
// process_resident_memory_bytes, process_virtual_memory_bytes,
// process_open_fds, process_max_fds.
std::vector<prometheus::MetricFamily> process_families(const ProcessSample& sample);

}  // namespace herald::observability
