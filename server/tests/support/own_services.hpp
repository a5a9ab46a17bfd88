// A PostgreSQL and a Redis server of a test's own (scripts/test-services in a
// temporary directory), which the test may stop and start again on the same
// port to see how Herald behaves during an outage. Stopped and removed when
// the object goes.
#pragma once

#include <filesystem>
#include <string>

namespace herald::test {

class OwnServices {
 public:
  OwnServices();  // fails the test (throws) when the servers do not start
  ~OwnServices();
  OwnServices(const OwnServices&) = delete;
  OwnServices& operator=(const OwnServices&) = delete;

  // postgresql://postgres@127.0.0.1:PORT/postgres
  const std::string& postgres_url() const noexcept { return postgres_url_; }
  // redis://127.0.0.1:PORT/0
  const std::string& redis_url() const noexcept { return redis_url_; }

  // "postgres" or "redis": stop it (its data is kept), or start it again.
  void pause(const std::string& service);
  void resume(const std::string& service);

 private:
  std::filesystem::path dir_;
  std::string postgres_url_;
  std::string redis_url_;
};

}  // namespace herald::test
