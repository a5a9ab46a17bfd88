// The deployment files against the built herald binary: the commands they run
// are herald commands, the probes and the image's HEALTHCHECK answer on a
// running `herald serve`, the runtime image installs every library the binary
// links, the image's layout serves the web UI, and the alert rules pass
// promtool and name metrics the binary exports (once it exports them).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <regex>
#include <thread>

#include "deploy_files.hpp"
#include "support/http_client.hpp"
#include "support/process.hpp"
#include "support/test_server.hpp"

namespace herald::test::deploy {
namespace {
namespace fs = std::filesystem;

// Health endpoints the observability work adds. While this binary lacks one
// (404 and absent from /api/openapi.json), a probe may name it and the test
// checks the fallback, GET /api/health, instead — and says so.
const std::set<std::string> kPendingHealthPaths = {"/api/health/live", "/api/health/ready"};
constexpr const char* kFallbackHealthPath = "/api/health";

const Dockerfile& dockerfile() {
  static const Dockerfile d = parse_dockerfile(read_file(repo_root() / "deploy/docker/Dockerfile"));
  return d;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += "\n  " + i;
  return out;
}

// `herald serve` from `binary`, run in `cwd`, on a free loopback port, SQLite in a temp dir.
class RunningHerald {
 public:
  explicit RunningHerald(std::vector<std::string> env = {}, const std::string& binary = HERALD_BINARY,
                         const fs::path& cwd = {})
      : port_(free_port()) {
    env.insert(env.end(),
               {"HERALD_DATA_DIR=" + (dir_.path() / "data").string(), fmt::format("HERALD_LISTEN=127.0.0.1:{}", port_),
                "HERALD_LOG_FORMAT=json", "HERALD_HTTP_THREADS=2", "HERALD_RATE_LIMIT=1000000/min"});
    const std::string run_in = cwd.empty() ? dir_.path().string() : cwd.string();
    process_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{"/bin/sh", "-c", "cd \"$0\" && exec \"$1\" serve --no-workers", run_in, binary}, env,
        dir_.path() / "herald.log");
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < until) {
      try {
        if (HttpClient(port_).get("/api/health").status == 200) return;
      } catch (const std::exception&) {
        // not listening yet
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    throw std::runtime_error("herald did not start: " + read_file(dir_.path() / "herald.log"));
  }
  std::uint16_t port() const { return port_; }
  HttpResponse get(const std::string& path, const std::string& host = "127.0.0.1") const {
    return HttpClient(port_, host).get(path);
  }

 private:
  TempDir dir_;
  std::uint16_t port_;
  std::unique_ptr<ChildProcess> process_;
};

std::vector<Json> herald_containers() {
  std::vector<Json> out;
  for (auto& [owner, tmpl] : k8s_pod_templates()) {
    for (const auto& c : tmpl.at("spec").at("containers")) {
      if (is_herald_image(c.value("image", ""))) out.push_back(c);
    }
  }
  return out;
}

TEST(DeployBinary, CommandsTheManifestsRunAreHeraldCommands) {
  // Each command line is given a setting the binary refuses: a command line
  // the binary accepts reaches the settings and exits 2 naming HERALD_LISTEN;
  // one it does not know is a usage error, without that message.
  std::vector<std::pair<std::string, std::vector<std::string>>> commands;
  for (const auto& c : herald_containers())
    commands.emplace_back("k8s " + c.value("name", ""), c.value("args", Json()));
  for (const auto& [name, s] : compose_file().at("services").items()) {
    if (is_herald_image(s.value("image", ""))) commands.emplace_back("compose " + name, s.value("command", Json()));
  }
  for (const auto& i : dockerfile().instructions) {
    if (i.stage == dockerfile().final_stage && i.op == "CMD")
      commands.emplace_back("Dockerfile CMD", Json::parse(i.args).get<std::vector<std::string>>());
  }
  ASSERT_GE(commands.size(), 5u);
  for (const auto& [where, args] : commands) {
    std::vector<std::string> argv{"/usr/bin/env", "-i", "HERALD_LISTEN=not-an-address", HERALD_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto r = run_process(argv);
    EXPECT_EQ(r.exit_code, 2) << where;
    EXPECT_NE(r.err.find("configuration error: HERALD_LISTEN"), std::string::npos)
        << where << ": herald did not accept the command line " << Json(args).dump() << ":\n"
        << r.out << r.err;
  }
}

TEST(DeployBinary, ProbesAndTheImageHealthcheckAnswer) {
  struct Probe {
    std::string where, path, host;
  };
  std::vector<Probe> probes;
  std::vector<std::string> problems;
  for (const auto& c : herald_containers()) {
    std::vector<std::string> errors;
    const Env env = k8s_container_env(c, dockerfile().env, errors);
    for (const char* kind : {"startupProbe", "livenessProbe", "readinessProbe"}) {
      if (!c.contains(kind)) continue;
      const std::string where = c.value("name", "") + " " + kind;
      if (!c[kind].contains("httpGet")) {
        problems.push_back(where + ": not an HTTP probe");
        continue;
      }
      const Json& get = c[kind]["httpGet"];
      // Without a Host header the kubelet sends the pod's IP, which HERALD_TRUSTED_HOSTS refuses.
      std::string host;
      for (const auto& h : get.value("httpHeaders", Json::array())) {
        if (h.value("name", "") == "Host") host = h.value("value", "");
      }
      if (host.empty() || !trusted_host_allows(env, host))
        problems.push_back(where + ": Host '" + host + "' is not in HERALD_TRUSTED_HOSTS, so herald answers 400");
      const auto listen = split_listen(env.at("HERALD_LISTEN"));
      const Json port = get.at("port");
      bool port_ok = false;
      for (const auto& p : c.value("ports", Json::array())) {
        port_ok |= (port.is_string() && p.value("name", "") == port.get<std::string>() && listen &&
                    p.at("containerPort") == listen->second) ||
                   (listen && port == listen->second);
      }
      if (!port_ok) problems.push_back(where + ": port " + port.dump() + " is not HERALD_LISTEN's");
      probes.push_back({where, get.at("path"), host});
    }
  }
  EXPECT_GE(probes.size(), 2u) << "liveness and readiness probes on the API";

  // The image's HEALTHCHECK: curl on HERALD_LISTEN's port, with Host 127.0.0.1.
  const std::string healthcheck = dockerfile().healthcheck;
  static const std::regex url_re(R"(http://([^/:"]+)(?::[^/"]+)?(/[^" ]*))");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(healthcheck, m, url_re)) << "no URL in HEALTHCHECK: " << healthcheck;
  const std::string hc_host = m[1], hc_path = m[2];
  probes.push_back({"Dockerfile HEALTHCHECK", hc_path, hc_host});
  EXPECT_EQ(hc_path, "/api/health/live") << "the image's health check is liveness";
  std::vector<std::string> ignored;
  for (const auto& [name, s] : compose_file().at("services").items()) {
    if (!is_herald_image(s.value("image", "")) || s.value("healthcheck", Json::object()).value("disable", false))
      continue;
    if (!trusted_host_allows(compose_service_env(name, dockerfile().env, ignored), hc_host))
      problems.push_back("compose " + name + ": the image's health check sends Host " + hc_host +
                         ", which its HERALD_TRUSTED_HOSTS refuses");
  }

  RunningHerald herald(std::vector<std::string>{"HERALD_TRUSTED_HOSTS=localhost,127.0.0.1"});
  const Json openapi = herald.get("/api/openapi.json").json();
  std::set<std::string> pending_seen;
  for (const auto& p : probes) {
    const auto r = herald.get(p.path, p.host.empty() ? "localhost" : p.host);
    const bool documented = openapi.at("paths").contains(p.path);
    if (r.status == 200) {
      if (!documented) problems.push_back(p.where + ": " + p.path + " answers but is not in /api/openapi.json");
      continue;
    }
    if (kPendingHealthPaths.contains(p.path) && r.status == 404 && !documented) {
      pending_seen.insert(p.path);
      if (herald.get(kFallbackHealthPath, "localhost").status != 200)
        problems.push_back(p.where + ": neither " + p.path + " nor " + kFallbackHealthPath + " answers 200");
      continue;
    }
    problems.push_back(fmt::format("{}: GET {} answered {}", p.where, p.path, r.status));
  }

  // The HEALTHCHECK command itself, as Docker runs it (/bin/sh -c) inside the image's environment.
  std::string command = healthcheck;
  if (pending_seen.contains(hc_path)) command.replace(command.find(hc_path), hc_path.size(), kFallbackHealthPath);
  const auto ok =
      run_process({"/usr/bin/env", fmt::format("HERALD_LISTEN=0.0.0.0:{}", herald.port()), "/bin/sh", "-c", command});
  EXPECT_EQ(ok.exit_code, 0) << "HEALTHCHECK failed against a running herald: " << ok.out << ok.err;
  const auto dead =
      run_process({"/usr/bin/env", fmt::format("HERALD_LISTEN=0.0.0.0:{}", free_port()), "/bin/sh", "-c", command});
  EXPECT_NE(dead.exit_code, 0) << "HEALTHCHECK passed with nothing listening";

  for (const auto& path : pending_seen) {
    std::cout << "[ NOTE     ] " << path << " is not served by this binary yet (the observability work adds it); "
              << "probes naming it were checked against " << kFallbackHealthPath << "\n";
    RecordProperty("pending_" + path, "fallback " + std::string(kFallbackHealthPath));
  }
  EXPECT_TRUE(problems.empty()) << join(problems);
}

TEST(DeployBinary, RuntimeImageInstallsEveryLibraryTheBinaryLinks) {
  // Present in every Debian 12 image, slim included.
  const std::set<std::string> base = {"libc6", "libgcc-s1", "libstdc++6"};
  const auto& runtime = dockerfile().runtime_packages;
  ASSERT_FALSE(runtime.empty()) << "no apt-get install in the runtime stage";

  const auto elf = run_process({"/usr/bin/readelf", "-d", HERALD_BINARY});
  ASSERT_EQ(elf.exit_code, 0) << elf.err;
  const auto ldd = run_process({"/usr/bin/ldd", HERALD_BINARY});
  ASSERT_EQ(ldd.exit_code, 0) << ldd.err;
  static const std::regex needed_re(R"(\(NEEDED\)\s+Shared library: \[([^\]]+)\])");
  std::vector<std::string> missing;
  std::size_t libraries = 0;
  for (auto it = std::sregex_iterator(elf.out.begin(), elf.out.end(), needed_re); it != std::sregex_iterator(); ++it) {
    const std::string soname = (*it)[1];
    // ASan builds link the sanitizer runtimes, which the release image does not have.
    if (soname.starts_with("libasan") || soname.starts_with("libubsan")) continue;
    ++libraries;
    const std::regex path_re("\\s" + std::regex_replace(soname, std::regex(R"([.+])"), R"(\$&)") + R"( => (\S+))");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(ldd.out, m, path_re)) << soname << " not resolved by ldd:\n" << ldd.out;
    // dpkg knows a library by the path its package installed it at (/lib or /usr/lib).
    std::string package;
    std::string path = m[1];
    for (const std::string& candidate : {path, path.starts_with("/usr/") ? path.substr(4) : "/usr" + path}) {
      const auto owner = run_process({"/usr/bin/dpkg", "-S", candidate});
      if (owner.exit_code == 0) {
        package = owner.out.substr(0, owner.out.find_first_of(":"));
        break;
      }
    }
    ASSERT_FALSE(package.empty()) << "no Debian package owns " << path;
    if (!base.contains(package) && !runtime.contains(package)) missing.push_back(soname + " (" + package + ")");
  }
  EXPECT_GE(libraries, 5u);
  EXPECT_TRUE(missing.empty()) << "the runtime stage of deploy/docker/Dockerfile does not install:" << join(missing);
}

TEST(DeployBinary, ImageLayoutServesTheWebUi) {
  const fs::path dist = repo_root() / "web/dist";
  if (!fs::exists(dist / "index.html")) GTEST_SKIP() << "web/dist is not built (make build builds it)";
  // The runtime stage's COPY --from=build lines, replayed into a directory
  // that stands for the image's root; the binary finds the UI by itself.
  TempDir root;
  const std::string workdir = dockerfile().workdirs.at("build");
  for (const auto& c : dockerfile().copies) {
    if (c.from != "build") continue;
    ASSERT_TRUE(c.src.starts_with(workdir + "/")) << c.src;
    const std::string relative = c.src.substr(workdir.size() + 1);
    const fs::path src = relative == "build/herald" ? fs::path(HERALD_BINARY) : repo_root() / relative;
    const fs::path dst = root.path() / c.dst.substr(1);
    fs::create_directories(dst.parent_path());
    fs::copy(src, dst, fs::copy_options::recursive);
  }
  const fs::path binary = root.path() / "usr/local/bin/herald";
  ASSERT_TRUE(fs::exists(binary)) << "the image has no /usr/local/bin/herald";
  // Run from the image's WORKDIR stand-in, which holds no web/dist of its own.
  const fs::path workdir_in_image = root.path() / "var/lib/herald";
  fs::create_directories(workdir_in_image);
  RunningHerald herald({}, binary.string(), workdir_in_image);
  const auto page = herald.get("/");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.body, read_file(dist / "index.html")) << "the image's herald does not serve the built UI";
}

TEST(DeployBinary, AlertRulesPassPromtoolAndNameTheBinarysMetrics) {
  const fs::path rules = repo_root() / "deploy/prometheus/alerts.yml";
  const auto check = run_process({"/usr/bin/promtool", "check", "rules", rules.string()});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  const auto config = run_process(
      {"/usr/bin/promtool", "check", "config", (repo_root() / "deploy/prometheus/prometheus.yml").string()});
  EXPECT_EQ(config.exit_code, 0) << config.out << config.err;
  // Each alert fires on its trouble and not on a healthy system (alerts_test.yml).
  const auto unit =
      run_process({"/usr/bin/promtool", "test", "rules", (repo_root() / "deploy/prometheus/alerts_test.yml").string()});
  EXPECT_EQ(unit.exit_code, 0) << unit.out << unit.err;

  std::set<std::string> names;
  static const std::regex metric_re(R"(\b((?:herald|process)_[a-z0-9_]+))");
  for (const auto& group : yaml_files().at("deploy/prometheus/alerts.yml").at(0).at("groups")) {
    for (const auto& rule : group.at("rules")) {
      const std::string expr = rule.at("expr");
      for (auto it = std::sregex_iterator(expr.begin(), expr.end(), metric_re); it != std::sregex_iterator(); ++it) {
        std::string name = (*it)[1];
        for (const char* suffix : {"_bucket", "_sum", "_count"}) {
          if (name.ends_with(suffix) && name.find("_seconds") != std::string::npos)
            name = name.substr(0, name.size() - std::string(suffix).size());
        }
        names.insert(name);
      }
    }
  }
  ASSERT_GE(names.size(), 6u);

  RunningHerald herald;
  const auto metrics = herald.get("/metrics");
  // Without a /metrics route the web UI's client-route fallback answers with index.html.
  const bool exposition =
      metrics.status == 200 && metrics.header("Content-Type").value_or("").starts_with("text/plain");
  if (!exposition) {
    std::string list;
    for (const auto& n : names) list += " " + n;
    std::cout << "[ NOTE     ] this binary serves no /metrics yet; the alert rules' metric names are unchecked:" << list
              << "\n";
    RecordProperty("unchecked_metric_names", list);
    EXPECT_TRUE(metrics.status == 404 || metrics.body.starts_with("<!")) << "GET /metrics: " << metrics.status;
    return;
  }
  std::vector<std::string> absent;
  for (const auto& n : names) {
    if (metrics.body.find("# TYPE " + n + " ") == std::string::npos) absent.push_back(n);
  }
  EXPECT_TRUE(absent.empty()) << "alerts.yml uses metrics /metrics does not export:" << join(absent);
}

}  // namespace
}  // namespace herald::test::deploy
