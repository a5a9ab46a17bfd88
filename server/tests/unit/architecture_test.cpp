// The layout's rules, checked on the source tree: a domain reaches another
// only through what that domain offers (its interface.hpp and types), never
// its store, service or module, and the layers below the domains do not
// reach up into them. app/ (the composition root) and cli/ may use anything.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>

namespace herald::test {
namespace {

namespace fs = std::filesystem;
const fs::path kSource = HERALD_SOURCE_DIR;

// A folder with a module.hpp is a domain (module/ itself holds the contract).
std::set<std::string> domains() {
  std::set<std::string> out;
  for (const auto& entry : fs::directory_iterator(kSource)) {
    auto name = entry.path().filename().string();
    if (entry.is_directory() && name != "module" && fs::exists(entry.path() / "module.hpp")) out.insert(name);
  }
  return out;
}

// What a domain offers the others: its interface and types, and for the job
// system the queue and the registries every module adds its job handlers
// and reconcilers to.
bool offered(const std::string& header) {
  static const std::set<std::string> job_system = {"jobs/queue.hpp", "jobs/worker.hpp", "jobs/reconciler.hpp",
                                                   "jobs/types.hpp"};
  return header.ends_with("/interface.hpp") || header.ends_with("/types.hpp") || job_system.contains(header);
}

struct Include {
  std::string file, header;
};

std::vector<Include> includes_under(const fs::path& dir) {
  std::vector<Include> out;
  static const std::regex include(R"re(^\s*#include "([^"]+)")re");
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path());
    std::string line;
    std::smatch m;
    while (std::getline(in, line)) {
      if (std::regex_search(line, m, include)) {
        out.push_back({fs::relative(entry.path(), kSource).string(), m[1].str()});
      }
    }
  }
  return out;
}

std::string top(const std::string& path) { return path.substr(0, path.find('/')); }

TEST(Architecture, TheDomainsAreFound) {
  auto d = domains();
  for (const char* expected : {"audit", "auth", "health", "jobs", "leads"})
    EXPECT_TRUE(d.contains(expected)) << expected;
}

TEST(Architecture, DomainsReachEachOtherOnlyThroughWhatTheyOffer) {
  auto d = domains();
  for (const auto& domain : d) {
    for (const auto& inc : includes_under(kSource / domain)) {
      auto other = top(inc.header);
      if (other == domain || !d.contains(other)) continue;
      EXPECT_TRUE(offered(inc.header)) << inc.file << " includes " << inc.header
                                       << ": use that domain's interface.hpp (or add what you need to it)";
    }
  }
}

TEST(Architecture, LowerLayersDoNotReachUpIntoDomains) {
  auto d = domains();
  for (const char* layer : {"core", "storage", "http", "redis", "module", "api"}) {
    for (const auto& inc : includes_under(kSource / layer)) {
      auto other = top(inc.header);
      if (!d.contains(other)) continue;
      EXPECT_TRUE(offered(inc.header)) << inc.file << " includes " << inc.header;
    }
  }
}

TEST(Architecture, OnlyTheCompositionRootBuildsModules) {
  for (const auto& inc : includes_under(kSource)) {
    if (!inc.header.ends_with("/module.hpp") || inc.header == "module/module.hpp") continue;
    auto where = top(inc.file);
    bool own = inc.file == inc.header || inc.file.starts_with(top(inc.header) + "/module.");
    EXPECT_TRUE(where == "app" || where == "cli" || own) << inc.file << " includes " << inc.header;
  }
}

}  // namespace
}  // namespace herald::test
