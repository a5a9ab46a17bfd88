#include "health/system_stats.hpp"

#include <sys/statvfs.h>
#include <unistd.h>

#include <charconv>
#include <fstream>
#include <sstream>

#include "core/strings.hpp"

namespace herald::health {
namespace {

std::string read_file(const char* path) {
  std::ifstream in(path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::optional<CpuTimes> sample_cpu() { return parse_proc_stat(read_file("/proc/stat")); }

std::uint64_t to_u64(std::string_view s) {
  std::uint64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

}  // namespace

std::optional<CpuTimes> parse_proc_stat(std::string_view text) {
  auto line_end = text.find('\n');
  auto line = text.substr(0, line_end);
  if (!line.starts_with("cpu ")) return std::nullopt;
  CpuTimes t;
  int index = 0;
  for (auto field : split(trim(line.substr(4)), ' ')) {
    if (field.empty()) continue;
    std::uint64_t v = to_u64(field);
    // user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user.
    if (index < 8) {
      t.total += v;
      if (index != 3 && index != 4) t.busy += v;
    }
    ++index;
  }
  if (index < 4) return std::nullopt;
  return t;
}

double cpu_percent(const CpuTimes& before, const CpuTimes& after) {
  if (after.total <= before.total) return 0;
  double busy = static_cast<double>(after.busy - before.busy);
  double total = static_cast<double>(after.total - before.total);
  double pct = 100.0 * busy / total;
  return pct < 0 ? 0 : (pct > 100 ? 100 : pct);
}

std::optional<double> memory_percent(std::string_view meminfo) {
  std::uint64_t total = 0, available = 0;
  for (auto line : split(meminfo, '\n')) {
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    auto key = line.substr(0, colon);
    auto value = trim(line.substr(colon + 1));
    value = value.substr(0, value.find(' '));
    if (key == "MemTotal") total = to_u64(value);
    if (key == "MemAvailable") available = to_u64(value);
  }
  if (total == 0 || available > total) return std::nullopt;
  return 100.0 * static_cast<double>(total - available) / static_cast<double>(total);
}

std::optional<double> disk_percent(const std::filesystem::path& path) {
  struct statvfs s {};
  if (statvfs(path.c_str(), &s) != 0 || s.f_blocks == 0) return std::nullopt;
  // Like df: used / (used + available to unprivileged users).
  double used = static_cast<double>(s.f_blocks - s.f_bfree);
  double avail = static_cast<double>(s.f_bavail);
  return 100.0 * used / (used + avail);
}

std::optional<std::uint64_t> resident_bytes() {
  auto text = read_file("/proc/self/statm");
  auto fields = split(trim(text), ' ');
  if (fields.size() < 2) return std::nullopt;
  return to_u64(fields[1]) * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
}

SystemMonitor::SystemMonitor(std::filesystem::path data_dir)
    : data_dir_(std::move(data_dir)), thread_([this] { run(); }) {}

SystemMonitor::~SystemMonitor() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void SystemMonitor::run() {
  auto previous = sample_cpu();
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; })) {
    auto current = sample_cpu();
    if (previous && current) cpu_.store(cpu_percent(*previous, *current));
    previous = current;
  }
}

SystemSnapshot SystemMonitor::snapshot() const {
  SystemSnapshot s;
  s.cpu_percent = cpu_.load();
  s.memory_percent = memory_percent(read_file("/proc/meminfo")).value_or(0);
  s.disk_percent = disk_percent(data_dir_).value_or(0);
  return s;
}

}  // namespace herald::health
