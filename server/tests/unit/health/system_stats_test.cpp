#include "health/system_stats.hpp"

#include <gtest/gtest.h>

namespace herald::health {
namespace {

TEST(SystemStats, ParsesProcStat) {
  auto t = parse_proc_stat("cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 1 2 3 4\n");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->total, 1000u);
  EXPECT_EQ(t->busy, 150u);
  EXPECT_FALSE(parse_proc_stat("intr 1 2 3"));
}

TEST(SystemStats, CpuPercentFromTwoSamples) {
  EXPECT_DOUBLE_EQ(cpu_percent({150, 1000}, {200, 1100}), 50.0);
  EXPECT_DOUBLE_EQ(cpu_percent({150, 1000}, {150, 1000}), 0.0);
}

TEST(SystemStats, MemoryPercentFromMeminfo) {
  auto p = memory_percent("MemTotal:       1000 kB\nMemFree:         100 kB\nMemAvailable:    250 kB\n");
  ASSERT_TRUE(p);
  EXPECT_DOUBLE_EQ(*p, 75.0);
  EXPECT_FALSE(memory_percent("nothing"));
}

TEST(SystemStats, RealReadingsAreInRange) {
  auto disk = disk_percent("/");
  ASSERT_TRUE(disk);
  EXPECT_GT(*disk, 0.0);
  EXPECT_LE(*disk, 100.0);
  auto rss = resident_bytes();
  ASSERT_TRUE(rss);
  EXPECT_GT(*rss, 1u << 20);
}

}  // namespace
}  // namespace herald::health
