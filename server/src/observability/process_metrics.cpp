#include "observability/process_metrics.hpp"

#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/strings.hpp"

namespace herald::observability {
namespace {

std::optional<std::uint64_t> to_u64(std::string_view s) {
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::optional<std::string> read_file(const char* path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

prometheus::MetricFamily family(std::string name, std::string help, prometheus::MetricType type, double value) {
  prometheus::ClientMetric m;
  if (type == prometheus::MetricType::Counter) {
    m.counter.value = value;
  } else {
    m.gauge.value = value;
  }
  return {std::move(name), std::move(help), type, {std::move(m)}};
}

}  // namespace

std::optional<ProcStat> parse_proc_pid_stat(std::string_view text) {
  const auto close = text.rfind(')');
  if (close == std::string_view::npos) return std::nullopt;
  // Fields from 3 (state) on, so field N is at index N - 3.
  std::vector<std::string_view> fields;
  for (auto f : split(trim(text.substr(close + 1)), ' ')) {
    if (!f.empty()) fields.push_back(f);
  }
  if (fields.size() < 22) return std::nullopt;
  const auto utime = to_u64(fields[14 - 3]);
  const auto stime = to_u64(fields[15 - 3]);
  const auto start = to_u64(fields[22 - 3]);
  const auto vsize = to_u64(fields[23 - 3]);
  const auto rss = to_u64(fields[24 - 3]);
  if (!utime || !stime || !start || !vsize || !rss) return std::nullopt;
  return ProcStat{*utime, *stime, *start, *vsize, *rss};
}

std::optional<std::int64_t> parse_boot_time(std::string_view proc_stat) {
  for (auto line : split(proc_stat, '\n')) {
    if (!line.starts_with("btime ")) continue;
    if (auto v = to_u64(trim(line.substr(6)))) return static_cast<std::int64_t>(*v);
  }
  return std::nullopt;
}

std::optional<std::uint64_t> parse_max_open_files(std::string_view limits) {
  for (auto line : split(limits, '\n')) {
    if (!line.starts_with("Max open files")) continue;
    auto rest = trim(line.substr(14));
    auto soft = rest.substr(0, rest.find(' '));
    if (soft == "unlimited") return std::nullopt;
    return to_u64(soft);
  }
  return std::nullopt;
}

std::optional<ProcessSample> read_process_sample() {
  const auto stat_text = read_file("/proc/self/stat");
  const auto stat = stat_text ? parse_proc_pid_stat(*stat_text) : std::nullopt;
  if (!stat) return std::nullopt;
  const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  const auto page = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
  ProcessSample s;
  s.cpu_seconds = static_cast<double>(stat->utime_ticks + stat->stime_ticks) / ticks;
  s.resident_bytes = stat->resident_pages * page;
  s.virtual_bytes = stat->virtual_bytes;
  if (const auto proc_stat = read_file("/proc/stat")) {
    if (const auto boot = parse_boot_time(*proc_stat))
      s.start_time_seconds = static_cast<double>(*boot) + static_cast<double>(stat->start_ticks) / ticks;
  }
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++s.open_fds;
  }
  if (const auto limits = read_file("/proc/self/limits")) s.max_fds = parse_max_open_files(*limits).value_or(0);
  return s;
}

std::vector<prometheus::MetricFamily> process_families(const ProcessSample& s) {
  using prometheus::MetricType;
  std::vector<prometheus::MetricFamily> out;
  out.push_back(family("process_cpu_seconds_total", "User and system CPU time spent in seconds", MetricType::Counter,
                       s.cpu_seconds));
  out.push_back(family("process_start_time_seconds", "Start time of the process since the Unix epoch in seconds",
                       MetricType::Gauge, s.start_time_seconds));
  out.push_back(family("process_resident_memory_bytes", "Resident memory size in bytes", MetricType::Gauge,
                       static_cast<double>(s.resident_bytes)));
  out.push_back(family("process_virtual_memory_bytes", "Virtual memory size in bytes", MetricType::Gauge,
                       static_cast<double>(s.virtual_bytes)));
  out.push_back(family("process_open_fds", "Number of open file descriptors", MetricType::Gauge,
                       static_cast<double>(s.open_fds)));
  if (s.max_fds > 0) {
    out.push_back(family("process_max_fds", "Maximum number of open file descriptors", MetricType::Gauge,
                         static_cast<double>(s.max_fds)));
  }
  return out;
}

}  // namespace herald::observability
