#include "support/own_services.hpp"

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace herald::test {
namespace {

const std::string kScript = std::string(HERALD_SOURCE_ROOT) + "/scripts/test-services";

std::string run(const std::string& args) {
  const std::string cmd = "'" + kScript + "' " + args + " 2>/dev/null";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run " + kScript);
  std::string out;
  char buf[512];
  while (std::fgets(buf, sizeof buf, pipe) != nullptr) out += buf;
  const int status = ::pclose(pipe);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("test-services " + args + " failed");
  return out;
}

std::string exported(const std::string& text, const std::string& name) {
  std::istringstream in(text);
  std::string line;
  const std::string prefix = "export " + name + "=";
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) == 0) return line.substr(prefix.size());
  }
  throw std::runtime_error("test-services printed no " + name);
}

}  // namespace

OwnServices::OwnServices() {
  std::random_device rd;
  dir_ = std::filesystem::temp_directory_path() / ("herald-own-services-" + std::to_string(rd()));
  const std::string out = run("start '" + dir_.string() + "'");
  postgres_url_ = exported(out, "HERALD_TEST_POSTGRES_URL");
  redis_url_ = exported(out, "HERALD_TEST_REDIS_URL");
}

OwnServices::~OwnServices() {
  try {
    run("stop '" + dir_.string() + "'");
  } catch (const std::exception&) {
    // Nothing more to do in a destructor; the directory says what was left.
  }
}

void OwnServices::pause(const std::string& service) { run("pause '" + dir_.string() + "' " + service); }
void OwnServices::resume(const std::string& service) { run("resume '" + dir_.string() + "' " + service); }

}  // namespace herald::test
