// The binary, as a user runs it: exit codes and messages.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>
#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>

#include "support/test_server.hpp"

namespace herald::test {
namespace {

struct Run {
  int code;
  std::string output;
};

// Runs the herald binary with `env` prepended (VAR=value ...), capturing stdout and stderr.
Run run(const std::string& args, const std::string& env = "") {
  std::string cmd = env + " " + std::string(HERALD_BINARY) + " " + args + " 2>&1 </dev/null";
  FILE* pipe = popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf{};
  while (auto n = fread(buf.data(), 1, buf.size(), pipe)) out.append(buf.data(), n);
  int status = pclose(pipe);
  return {WEXITSTATUS(status), out};
}

TEST(Cli, VersionPrintsDependencies) {
  auto r = run("version");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.output.find("herald "), std::string::npos);
  EXPECT_NE(r.output.find("sqlite:"), std::string::npos);
  EXPECT_NE(r.output.find("libpq:"), std::string::npos);
}

TEST(Cli, BadConfigurationExitsTwoNamingTheVariable) {
  TempDir dir;
  std::string data = "HERALD_DATA_DIR=" + dir.path().string();
  auto rate = run("serve", data + " HERALD_RATE_LIMIT=lots");
  EXPECT_EQ(rate.code, 2);
  EXPECT_NE(rate.output.find("HERALD_RATE_LIMIT"), std::string::npos) << rate.output;
  auto db = run("migrate", data + " HERALD_DATABASE_URL=mysql://x");
  EXPECT_EQ(db.code, 2);
  EXPECT_NE(db.output.find("HERALD_DATABASE_URL"), std::string::npos);
  auto listen = run("serve --listen nonsense", data);
  EXPECT_EQ(listen.code, 2);
  EXPECT_NE(listen.output.find("--listen"), std::string::npos);
}

TEST(Cli, UsageErrorsExitTwoAndHelpExitsZero) {
  EXPECT_EQ(run("").code, 2);
  EXPECT_EQ(run("frobnicate").code, 2);
  EXPECT_EQ(run("--help").code, 0);
  EXPECT_EQ(run("serve --help").code, 0);
  EXPECT_EQ(run("migrate --help").code, 0);
}

TEST(Cli, MigrateAppliesOnceThenNothing) {
  TempDir dir;
  std::string env = "HERALD_DATA_DIR=" + dir.path().string();
  auto first = run("migrate", env);
  EXPECT_EQ(first.code, 0) << first.output;
  EXPECT_NE(first.output.find("applied 0001_"), std::string::npos) << first.output;
  auto second = run("migrate", env);
  EXPECT_EQ(second.code, 0);
  EXPECT_NE(second.output.find("(0 applied now)"), std::string::npos) << second.output;
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "herald.db"));
}

}  // namespace
}  // namespace herald::test

namespace herald::test {
namespace {

TEST(Cli, UserCreateReadsThePasswordFromStdin) {
  TempDir dir;
  std::string env = "export HERALD_DATA_DIR=" + dir.path().string() + ";";
  std::string bin = HERALD_BINARY;
  auto shell = [&](const std::string& cmd) {
    FILE* pipe = popen((env + " " + cmd + " 2>&1").c_str(), "r");
    std::string out;
    char buf[4096];
    while (auto n = fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
    return std::make_pair(WEXITSTATUS(pclose(pipe)), out);
  };
  auto [code, out] = shell("printf 'a-long-password\\n' | " + bin +
                           " user create --email Ops@Example.com --role admin --password-stdin");
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("ops@example.com (admin)"), std::string::npos) << out;
  auto [dup, dup_out] =
      shell("printf 'a-long-password\\n' | " + bin + " user create --email ops@example.com --password-stdin");
  EXPECT_EQ(dup, 1) << dup_out;
  auto [weak, weak_out] = shell("printf 'short\\n' | " + bin + " user create --email b@example.com --password-stdin");
  EXPECT_EQ(weak, 2);
  EXPECT_NE(weak_out.find("password"), std::string::npos);
  auto [role, role_out] = shell("printf 'a-long-password\\n' | " + bin +
                                " user create --email c@example.com --role wizard --password-stdin");
  EXPECT_EQ(role, 2);
  EXPECT_NE(role_out.find("role"), std::string::npos);
  // The user signs in to a server on the same data directory.
  TestServer server([&](Config& c) {
    c.data_dir = dir.path();
    c.database_url = "sqlite://" + (dir.path() / "herald.db").string();
  });
  HttpClient c(server.port());
  auto signed_in = c.post_json("/api/auth/login", {{"email", "ops@example.com"}, {"password", "a-long-password"}});
  EXPECT_EQ(signed_in.status, 200) << signed_in.body;
}

}  // namespace
}  // namespace herald::test

namespace herald::test {
namespace {

// True once `pid` catches SIGTERM (has a handler installed for it).
bool catches_sigterm(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("SigCgt:")) return ((std::stoull(line.substr(7), nullptr, 16) >> (SIGTERM - 1)) & 1) != 0;
  }
  return false;
}

TEST(Cli, ServeAnswersThenExitsZeroOnSigterm) {
  TempDir dir;
  auto port = free_port();
  std::string data = "HERALD_DATA_DIR=" + dir.path().string();
  std::string listen = "HERALD_LISTEN=127.0.0.1:" + std::to_string(port);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    dup2(devnull, 2);
    execle(HERALD_BINARY, HERALD_BINARY, "serve", nullptr,
           std::array<char*, 3>{data.data(), listen.data(), nullptr}.data());
    _exit(127);
  }
  // Up within a generous bound: a loaded machine starts slowly.
  bool healthy = false;
  for (const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
       !healthy && std::chrono::steady_clock::now() < until;) {
    try {
      HttpClient c(port);
      healthy = c.get("/api/health").status == 200;
    } catch (const std::exception&) {
    }
    if (!healthy) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  if (!healthy) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    FAIL() << "herald serve did not answer within 60 s";
  }
  // `serve` answers a moment before it installs its SIGTERM handler (a
  // SIGTERM in between ends it like any process): wait for the handler.
  bool handled = false;
  for (const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
       !handled && std::chrono::steady_clock::now() < until;) {
    handled = catches_sigterm(pid);
    if (!handled) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!handled) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    FAIL() << "herald serve never installed a SIGTERM handler";
  }
  // An idle keep-alive connection must not hold the shutdown up.
  HttpClient idle(port);
  EXPECT_EQ(idle.get("/api/health").status, 200);
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  // It exits well within its 30 s grace period; a process that does not is
  // killed after 20 s and the test fails, instead of hanging the suite.
  int status = 0;
  pid_t reaped = 0;
  for (const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
       reaped == 0 && std::chrono::steady_clock::now() < until;) {
    reaped = waitpid(pid, &status, WNOHANG);
    if (reaped == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (reaped == 0) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    FAIL() << "herald serve did not exit within 20 s of SIGTERM";
  }
  ASSERT_EQ(reaped, pid);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace herald::test

namespace herald::test {
namespace {

TEST(Cli, ImportLeadsAppliesAFileAndReportsItsRows) {
  TempDir dir;
  auto csv = dir.path() / "leads.csv";
  {
    std::ofstream out(csv);
    out << "E-mail;First Name;Company Name\r\n";
    for (int i = 0; i < 300; ++i) out << "cli" << i << "@example.com;N" << i << ";\"Acme; Inc\"\r\n";
    out << "broken;x;y\r\ncli7@example.com;dup;z\r\n";
  }
  std::string env = "HERALD_DATA_DIR=" + dir.path().string();
  auto errors = dir.path() / "report.csv";
  auto r = run("import-leads " + csv.string() + " --list Fair --tag cli --errors " + errors.string(), env);
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("302 rows — 300 created, 0 updated, 1 skipped, 1 failed"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("line 302: email: is not a valid email address"), std::string::npos) << r.output;
  EXPECT_TRUE(std::filesystem::exists(errors));

  auto again = run("import-leads " + csv.string() + " --mode upsert", env);
  EXPECT_EQ(again.code, 0) << again.output;
  EXPECT_NE(again.output.find("300 updated"), std::string::npos) << again.output;

  EXPECT_EQ(run("import-leads " + (dir.path() / "missing.csv").string(), env).code, 2);
  EXPECT_EQ(run("import-leads " + csv.string() + " --mode merge", env).code, 2);
  auto bad_map = run("import-leads " + csv.string() + " --mapping '{\"x\": \"password\"}'", env);
  EXPECT_EQ(bad_map.code, 2);
  EXPECT_NE(bad_map.output.find("--mapping"), std::string::npos) << bad_map.output;
  std::ofstream(dir.path() / "no-email.csv") << "name\nAnn\n";
  auto failed = run("import-leads " + (dir.path() / "no-email.csv").string(), env);
  EXPECT_EQ(failed.code, 1);
  EXPECT_NE(failed.output.find("no column holds the email"), std::string::npos) << failed.output;

  TestServer server([&](Config& c) {
    c.data_dir = dir.path();
    c.database_url = "sqlite://" + (dir.path() / "herald.db").string();
  });
  auto session = HttpClient(server.port())
                     .post_json("/api/auth/login",
                                {{"email", std::string(kAdminEmail)}, {"password", std::string(kAdminPassword)}});
  ASSERT_EQ(session.status, 200) << session.body;
  HttpClient c(server.port());
  const HeaderList auth = {{"Authorization", "Bearer " + session.json()["token"].get<std::string>()}};
  auto list = c.get("/api/leads?tag=Fair", auth);
  EXPECT_EQ(list.json()["total"], 300);
  // The CLI's report is the API's, byte for byte (formula escaping included).
  std::ifstream written(errors, std::ios::binary);
  std::string from_cli((std::istreambuf_iterator<char>(written)), std::istreambuf_iterator<char>());
  auto from_api = c.get("/api/leads/import/1/errors", auth);
  ASSERT_EQ(from_api.status, 200) << from_api.body;
  EXPECT_EQ(from_cli, from_api.body);
  EXPECT_EQ(from_cli,
            "line,kind,reason\r\n302,failed,email: is not a valid email address\r\n"
            "303,skipped,email: duplicate of line 9\r\n");
}

}  // namespace
}  // namespace herald::test
