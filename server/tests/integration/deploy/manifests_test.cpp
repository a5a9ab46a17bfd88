// The deployment files agree with each other and with the binary's settings:
// every HERALD_* name is a setting `herald config settings` lists, every
// container's settings pass `herald config check`, ports follow HERALD_LISTEN,
// Services, Ingress, PDBs and the HPA reach what exists, URLs name the
// servers the manifests run, images are pinned, pods run as non-root with
// resources. No cluster and no Docker daemon: the files are parsed as the
// tools parse them (deploy_files.hpp).
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <regex>
#include <sstream>

#include "deploy_files.hpp"
#include "support/process.hpp"

namespace herald::test::deploy {
namespace {
namespace fs = std::filesystem;

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += "\n  " + i;
  return out;
}

const Dockerfile& dockerfile() {
  static const Dockerfile d = parse_dockerfile(read_file(repo_root() / "deploy/docker/Dockerfile"));
  return d;
}

std::vector<Json> containers_of(const Json& pod_template) {
  std::vector<Json> out;
  const Json& spec = pod_template.at("spec");
  for (const char* key : {"initContainers", "containers"}) {
    for (const auto& c : spec.value(key, Json::array())) out.push_back(c);
  }
  return out;
}

bool labels_match(const Json& selector, const Json& labels) {
  if (selector.empty()) return false;
  for (const auto& [k, v] : selector.items()) {
    if (!labels.contains(k) || labels[k] != v) return false;
  }
  return true;
}

// Pod templates whose labels a selector (matchLabels or a plain map) selects.
std::vector<std::pair<K8sObject, Json>> selected_pods(Json selector) {
  if (selector.contains("matchLabels")) selector = selector["matchLabels"];
  std::vector<std::pair<K8sObject, Json>> out;
  for (auto& [owner, tmpl] : k8s_pod_templates()) {
    if (labels_match(selector, tmpl.at("metadata").value("labels", Json::object()))) out.emplace_back(owner, tmpl);
  }
  return out;
}

// The container port a probe or Service names (a name or a number), if any container has it.
std::optional<int> resolve_port(const Json& pod_template, const Json& port) {
  for (const auto& c : containers_of(pod_template)) {
    for (const auto& p : c.value("ports", Json::array())) {
      if ((port.is_string() && p.value("name", "") == port.get<std::string>()) ||
          (port.is_number() && p.at("containerPort") == port))
        return p.at("containerPort").get<int>();
    }
  }
  return std::nullopt;
}

struct Url {
  std::string scheme, user, password, host, path;
  int port = 0;
};

std::optional<Url> parse_url(const std::string& text) {
  static const std::regex re(R"(^([a-z]+)://(?:([^:@/]*)(?::([^@/]*))?@)?([^:/?]+)(?::(\d+))?(/[^?]*)?)");
  std::smatch m;
  if (!std::regex_search(text, m, re)) return std::nullopt;
  return Url{m[1], m[2], m[3], m[4], m[6], m[5].matched ? std::stoi(m[5]) : 0};
}

Env container_env_of(const Json& container, const std::string& where, std::vector<std::string>& problems) {
  std::vector<std::string> errors;
  Env env =
      k8s_container_env(container, is_herald_image(container.value("image", "")) ? dockerfile().env : Env{}, errors);
  for (const auto& e : errors) problems.push_back(where + ": " + e);
  return env;
}

TEST(DeployManifests, KustomizationListsEveryManifestFile) {
  const auto& files = yaml_files();
  std::set<std::string> listed, present;
  for (const auto& r : files.at("deploy/k8s/kustomization.yaml").at(0).at("resources")) {
    listed.insert("deploy/k8s/" + r.get<std::string>());
  }
  for (const auto& [file, docs] : files) {
    if (file.starts_with("deploy/k8s/") && file != "deploy/k8s/kustomization.yaml") present.insert(file);
  }
  EXPECT_EQ(listed, present) << "kustomization.yaml's resources and the files in deploy/k8s differ";

  std::set<std::string> seen;
  for (const auto& o : k8s_objects()) {
    EXPECT_TRUE(o.doc.contains("apiVersion") && !o.kind().empty() && !o.name().empty())
        << o.file << ": an object without apiVersion, kind or metadata.name";
    EXPECT_TRUE(seen.insert(o.kind() + "/" + o.name()).second)
        << o.file << ": " << o.kind() << " " << o.name() << " is defined twice";
  }
  EXPECT_GE(seen.size(), 10u);
}

TEST(DeployManifests, EveryHeraldNameIsARealSetting) {
  const auto& settings = herald_settings();
  ASSERT_TRUE(settings.contains("HERALD_LISTEN")) << "herald config settings did not list HERALD_LISTEN";
  std::vector<fs::path> files{repo_root() / "docs/operations.md"};
  for (const auto& e : fs::recursive_directory_iterator(repo_root() / "deploy")) {
    if (e.is_regular_file()) files.push_back(e.path());
  }
  // The build's CMake options (option(HERALD_… in CMakeLists.txt) are HERALD_ names too, in the Dockerfile.
  std::set<std::string> cmake_options;
  static const std::regex option_re(R"(option\((HERALD_[A-Z0-9_]+))");
  const std::string cmake = read_file(repo_root() / "CMakeLists.txt");
  for (auto it = std::sregex_iterator(cmake.begin(), cmake.end(), option_re); it != std::sregex_iterator(); ++it) {
    cmake_options.insert((*it)[1]);
  }
  ASSERT_TRUE(cmake_options.contains("HERALD_BUILD_TESTS"));
  static const std::regex name_re("HERALD_[A-Z0-9_]+");
  std::vector<std::string> unknown;
  std::size_t checked = 0;
  for (const auto& file : files) {
    const std::string text = read_file(file);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), name_re); it != std::sregex_iterator(); ++it) {
      const std::string name = it->str();
      ++checked;
      // HERALD_DKIM_* and the like: a prefix of real settings.
      const bool known = name.ends_with('_') ? std::any_of(settings.begin(), settings.end(),
                                                           [&](const std::string& s) { return s.starts_with(name); })
                                             : settings.contains(name);
      const bool build_option = file.filename() == "Dockerfile" && cmake_options.contains(name);
      if (!known && !build_option) unknown.push_back(fs::relative(file, repo_root()).string() + ": " + name);
    }
  }
  EXPECT_TRUE(unknown.empty()) << "names that are not settings of this herald (`herald config settings`):"
                               << join(unknown);
  EXPECT_GT(checked, 30u) << "the scan found almost no HERALD_ names: is it reading the right files?";
}

TEST(DeployManifests, EveryContainersSettingsPassTheBinarysCheck) {
  std::vector<std::string> problems;
  std::size_t checked = 0;
  auto check = [&](const std::string& where, const Env& env) {
    ++checked;
    auto [code, output] = herald_config_check(env);
    if (code != 0) problems.push_back(where + ": " + output);
  };
  check("Dockerfile ENV", dockerfile().env);
  for (auto& [owner, tmpl] : k8s_pod_templates()) {
    for (const auto& c : containers_of(tmpl)) {
      if (!is_herald_image(c.value("image", ""))) continue;
      const std::string where = owner.file + " " + owner.name() + "/" + c.value("name", "");
      check(where, container_env_of(c, where, problems));
    }
  }
  for (const auto& [name, service] : compose_file().at("services").items()) {
    if (!is_herald_image(service.value("image", ""))) continue;
    std::vector<std::string> errors;
    const Env env = compose_service_env(name, dockerfile().env, errors);
    for (const auto& e : errors) problems.push_back("compose " + name + ": " + e);
    check("compose " + name, env);
  }
  // The systemd unit's Environment= lines.
  Env unit;
  std::istringstream service(read_file(repo_root() / "deploy/herald.service"));
  for (std::string line; std::getline(service, line);) {
    if (!line.starts_with("Environment=")) continue;
    const std::string assignment = line.substr(std::string_view("Environment=").size());
    const auto eq = assignment.find('=');
    unit[assignment.substr(0, eq)] = eq == std::string::npos ? "" : assignment.substr(eq + 1);
  }
  EXPECT_TRUE(unit.contains("HERALD_LISTEN")) << "deploy/herald.service sets no HERALD_LISTEN";
  check("deploy/herald.service", unit);
  EXPECT_TRUE(problems.empty()) << "settings `herald config check` refuses:" << join(problems);
  EXPECT_GE(checked, 6u);
}

TEST(DeployManifests, PortsFollowHeraldListen) {
  const Dockerfile& d = dockerfile();
  const auto image_listen = split_listen(d.env.count("HERALD_LISTEN") ? d.env.at("HERALD_LISTEN") : "");
  ASSERT_TRUE(image_listen) << "the Dockerfile sets no HERALD_LISTEN";
  EXPECT_EQ(image_listen->first, "0.0.0.0") << "a container must listen beyond its loopback";
  EXPECT_NE(std::find(d.exposed.begin(), d.exposed.end(), std::to_string(image_listen->second)), d.exposed.end())
      << "EXPOSE does not name HERALD_LISTEN's port " << image_listen->second;

  std::vector<std::string> problems;
  std::size_t herald_ports = 0;
  for (auto& [owner, tmpl] : k8s_pod_templates()) {
    for (const auto& c : containers_of(tmpl)) {
      if (!is_herald_image(c.value("image", "")) || !c.contains("ports")) continue;
      const std::string where = owner.name() + "/" + c.value("name", "");
      const Env env = container_env_of(c, where, problems);
      const auto listen = split_listen(env.count("HERALD_LISTEN") ? env.at("HERALD_LISTEN") : "");
      if (!listen) {
        problems.push_back(where + ": no valid HERALD_LISTEN");
        continue;
      }
      if (listen->first != "0.0.0.0" && listen->first != "[::]")
        problems.push_back(where + ": HERALD_LISTEN " + listen->first + " is not reachable from the Service");
      for (const auto& p : c.at("ports")) {
        ++herald_ports;
        if (p.at("containerPort") != listen->second)
          problems.push_back(fmt::format("{}: containerPort {} but HERALD_LISTEN port {}", where,
                                         p.at("containerPort").dump(), listen->second));
      }
    }
  }
  EXPECT_GE(herald_ports, 1u) << "no Herald container declares a port";

  std::size_t services = 0;
  for (const auto& o : k8s_objects()) {
    if (o.kind() != "Service") continue;
    ++services;
    const auto pods = selected_pods(o.doc.at("spec").value("selector", Json::object()));
    if (pods.empty()) problems.push_back("Service " + o.name() + " selects no pod template");
    for (const auto& port : o.doc.at("spec").at("ports")) {
      const Json target = port.value("targetPort", port.at("port"));
      for (const auto& [owner, tmpl] : pods) {
        if (!resolve_port(tmpl, target))
          problems.push_back("Service " + o.name() + " targets port " + target.dump() + ", which " + owner.name() +
                             " does not declare");
      }
    }
  }
  EXPECT_GE(services, 3u);

  std::size_t backends = 0;
  for (const auto& o : k8s_objects()) {
    if (o.kind() != "Ingress") continue;
    for (const auto& rule : o.doc.at("spec").at("rules")) {
      for (const auto& path : rule.at("http").at("paths")) {
        ++backends;
        const Json& backend = path.at("backend").at("service");
        const auto service = k8s_find("Service", backend.at("name"));
        if (!service) {
          problems.push_back("Ingress " + o.name() + " routes to Service " + backend.at("name").dump() +
                             ", which does not exist");
          continue;
        }
        const Json& want = backend.at("port");
        bool found = false;
        for (const auto& p : service->doc.at("spec").at("ports")) {
          found |= (want.contains("name") && p.value("name", "") == want["name"]) ||
                   (want.contains("number") && p.at("port") == want["number"]);
        }
        if (!found) problems.push_back("Ingress " + o.name() + " names a port Service " + service->name() + " lacks");
      }
    }
  }
  EXPECT_GE(backends, 1u) << "no Ingress backend";

  for (const auto& [name, service] : compose_file().at("services").items()) {
    if (!is_herald_image(service.value("image", "")) || !service.contains("ports")) continue;
    std::vector<std::string> errors;
    const Env env = compose_service_env(name, d.env, errors);
    const auto listen = split_listen(env.at("HERALD_LISTEN"));
    ASSERT_TRUE(listen) << "compose " << name;
    const Env vars = compose_variables();
    for (const auto& p : service.at("ports")) {
      const std::string mapping = interpolate(p.get<std::string>(), vars, errors);
      const std::string container_port = mapping.substr(mapping.rfind(':') + 1);
      if (container_port != std::to_string(listen->second))
        problems.push_back("compose " + name + " publishes container port " + container_port +
                           " but HERALD_LISTEN is " + env.at("HERALD_LISTEN"));
    }
  }
  EXPECT_TRUE(problems.empty()) << join(problems);
}

TEST(DeployManifests, ServiceUrlsNameTheServersTheManifestsRun) {
  std::vector<std::string> problems;
  // Kubernetes: the URLs a Herald container gets name a Service in front of postgres / redis pods.
  auto server_behind = [&](const std::string& host, int port, const std::string& image) -> std::optional<Json> {
    const auto service = k8s_find("Service", host);
    if (!service) return std::nullopt;
    bool port_ok = false;
    for (const auto& p : service->doc.at("spec").at("ports")) port_ok |= p.at("port") == port;
    if (!port_ok) problems.push_back(fmt::format("Service {} has no port {}", host, port));
    for (const auto& [owner, tmpl] : selected_pods(service->doc.at("spec").at("selector"))) {
      for (const auto& c : containers_of(tmpl)) {
        if (image_name(c.value("image", "")) == image) return c;
      }
    }
    return std::nullopt;
  };
  std::size_t checked = 0;
  for (auto& [owner, tmpl] : k8s_pod_templates()) {
    for (const auto& c : containers_of(tmpl)) {
      if (!is_herald_image(c.value("image", ""))) continue;
      const std::string where = owner.name();
      const Env env = container_env_of(c, where, problems);
      const auto db = parse_url(env.count("HERALD_DATABASE_URL") ? env.at("HERALD_DATABASE_URL") : "");
      const auto redis = parse_url(env.count("HERALD_REDIS_URL") ? env.at("HERALD_REDIS_URL") : "");
      if (!db || db->scheme != "postgresql" || !redis) {
        problems.push_back(where + ": scale-out needs HERALD_DATABASE_URL=postgresql://… and HERALD_REDIS_URL");
        continue;
      }
      ++checked;
      if (auto pg = server_behind(db->host, db->port, "postgres")) {
        const Env pg_env = container_env_of(*pg, "postgres", problems);
        if (pg_env.count("POSTGRES_USER") == 0 || pg_env.at("POSTGRES_USER") != db->user)
          problems.push_back(where + ": HERALD_DATABASE_URL's user is not the postgres container's POSTGRES_USER");
        if (pg_env.count("POSTGRES_PASSWORD") == 0 || pg_env.at("POSTGRES_PASSWORD") != db->password)
          problems.push_back(where + ": HERALD_DATABASE_URL's password is not POSTGRES_PASSWORD");
        if (pg_env.count("POSTGRES_DB") == 0 || "/" + pg_env.at("POSTGRES_DB") != db->path)
          problems.push_back(where + ": HERALD_DATABASE_URL's database is not POSTGRES_DB");
      } else {
        problems.push_back(where + ": HERALD_DATABASE_URL names " + db->host + ", which is no Service of postgres");
      }
      if (!server_behind(redis->host, redis->port, "redis"))
        problems.push_back(where + ": HERALD_REDIS_URL names " + redis->host + ", which is no Service of redis");
    }
  }
  EXPECT_GE(checked, 2u) << "the API and the workers should both be checked";

  // Compose: services by name, on the images' default ports.
  const Json services = compose_file().at("services");
  auto compose_image = [&](const std::string& host) {
    return services.contains(host) ? image_name(services[host].value("image", "")) : std::string();
  };
  for (const auto& [name, service] : services.items()) {
    if (!is_herald_image(service.value("image", ""))) continue;
    std::vector<std::string> errors;
    const Env env = compose_service_env(name, dockerfile().env, errors);
    const auto db = parse_url(env.at("HERALD_DATABASE_URL"));
    const auto redis = parse_url(env.at("HERALD_REDIS_URL"));
    const auto smtp = parse_url(env.count("HERALD_SMTP_URL") ? env.at("HERALD_SMTP_URL") : "");
    ASSERT_TRUE(db && redis && smtp) << "compose " << name << " lacks a database, Redis or SMTP URL";
    if (compose_image(db->host) != "postgres" || db->port != 5432)
      problems.push_back("compose " + name + ": the database URL does not name the postgres service on 5432");
    if (compose_image(redis->host) != "redis" || redis->port != 6379)
      problems.push_back("compose " + name + ": the Redis URL does not name the redis service on 6379");
    if (!services.contains(smtp->host)) problems.push_back("compose " + name + ": no service " + smtp->host);
    std::vector<std::string> pg_errors;
    const Env pg = compose_service_env(db->host, {}, pg_errors);
    if (pg.at("POSTGRES_PASSWORD") != db->password || pg.at("POSTGRES_USER") != db->user ||
        "/" + pg.at("POSTGRES_DB") != db->path)
      problems.push_back("compose " + name + ": the database URL's user, password or database differ from postgres's");
  }
  EXPECT_TRUE(problems.empty()) << join(problems);
}

TEST(DeployManifests, ImagesArePinnedAndHeraldsTagIsTheVersion) {
  std::vector<std::string> problems;
  std::vector<std::pair<std::string, std::string>> images;  // where, image
  for (auto& [owner, tmpl] : k8s_pod_templates()) {
    for (const auto& c : containers_of(tmpl))
      images.emplace_back(owner.file + " " + owner.name(), c.value("image", ""));
  }
  for (const auto& [name, service] : compose_file().at("services").items()) {
    images.emplace_back("compose " + name, service.value("image", ""));
  }
  for (const auto& i : dockerfile().instructions) {
    if (i.op == "FROM") images.emplace_back("Dockerfile FROM", i.args.substr(0, i.args.find(' ')));
  }
  const Json kustomization = yaml_files().at("deploy/k8s/kustomization.yaml").at(0);
  for (const auto& [where, image] : images) {
    const std::string tag = image_tag(image);
    if (is_herald_image(image) && where.starts_with("deploy/k8s")) {
      // Kustomize sets the tag: `images:` in kustomization.yaml.
      bool mapped = false;
      for (const auto& m : kustomization.value("images", Json::array())) {
        if (m.value("name", "") != image) continue;
        mapped = true;
        if (m.value("newTag", "") != HERALD_VERSION)
          problems.push_back("kustomization.yaml tags herald " + m.value("newTag", "") + ", the version is " +
                             HERALD_VERSION);
      }
      if (!mapped) problems.push_back(where + ": image " + image + " is not set by kustomization.yaml's images");
      continue;
    }
    if (tag.empty() || tag == "latest") problems.push_back(where + ": image " + image + " is not pinned");
    if (is_herald_image(image) && tag != HERALD_VERSION)
      problems.push_back(where + ": herald image tag " + tag + ", the version is " + HERALD_VERSION);
    const std::string name = image_name(image);
    const int major = std::isdigit(static_cast<unsigned char>(tag.empty() ? 'x' : tag[0])) ? std::stoi(tag) : 0;
    if (name == "postgres" && major < 14) problems.push_back(where + ": PostgreSQL 14+ is required, got " + image);
    if (name == "redis" && major < 6) problems.push_back(where + ": Redis 6+ is required, got " + image);
    if (name == "debian" && !tag.starts_with("12") && !tag.starts_with("bookworm"))
      problems.push_back(where + ": Herald is built and tested on Debian 12, got " + image);
  }
  EXPECT_GE(images.size(), 10u);
  EXPECT_TRUE(problems.empty()) << join(problems);
}

TEST(DeployManifests, PodsRunAsNonRootWithRequestsAndLimits) {
  const Dockerfile& d = dockerfile();
  const std::string image_uid = d.user.substr(0, d.user.find(':'));
  ASSERT_FALSE(image_uid.empty()) << "the runtime image sets no USER";
  ASSERT_TRUE(std::all_of(image_uid.begin(), image_uid.end(), ::isdigit))
      << "USER must be numeric so Kubernetes can verify runAsNonRoot";
  EXPECT_NE(image_uid, "0");

  std::vector<std::string> problems;
  for (auto& [owner, tmpl] : k8s_pod_templates()) {
    const Json& spec = tmpl.at("spec");
    const Json pod_sc = spec.value("securityContext", Json::object());
    std::set<std::string> mounted;
    for (const auto& c : containers_of(tmpl)) {
      const std::string where = owner.name() + "/" + c.value("name", "");
      const Json sc = c.value("securityContext", Json::object());
      const auto effective = [&](const char* key) { return sc.contains(key) ? sc[key] : pod_sc.value(key, Json()); };
      if (effective("runAsNonRoot") != true) problems.push_back(where + ": runAsNonRoot is not true");
      if (effective("runAsUser") == 0) problems.push_back(where + ": runAsUser is 0");
      if (sc.value("allowPrivilegeEscalation", true)) problems.push_back(where + ": allowPrivilegeEscalation");
      const Json drop = sc.value("capabilities", Json::object()).value("drop", Json::array());
      if (std::find(drop.begin(), drop.end(), "ALL") == drop.end()) problems.push_back(where + ": capabilities kept");
      const Json res = c.value("resources", Json::object());
      for (const char* kind : {"requests", "limits"}) {
        for (const char* r : {"cpu", "memory"}) {
          if (!res.value(kind, Json::object()).contains(r)) problems.push_back(where + ": no " + kind + "." + r);
        }
      }
      if (!is_herald_image(c.value("image", ""))) continue;
      if (!effective("runAsUser").is_number() || std::to_string(effective("runAsUser").get<int>()) != image_uid)
        problems.push_back(where + ": runAsUser is not the image's user " + image_uid);
      // A read-only root needs the data dir (and /tmp) mounted.
      if (sc.value("readOnlyRootFilesystem", false)) {
        std::vector<std::string> ignored;
        const Env env = k8s_container_env(c, d.env, ignored);
        for (const auto& m : c.value("volumeMounts", Json::array())) mounted.insert(m.at("mountPath"));
        for (const std::string& dir : {env.at("HERALD_DATA_DIR"), std::string("/tmp")}) {
          if (!mounted.contains(dir)) problems.push_back(where + ": read-only root but " + dir + " is not a volume");
        }
      }
    }
  }
  EXPECT_TRUE(problems.empty()) << join(problems);
}

TEST(DeployManifests, ScaleOutShapeApiWorkersAutoscalerAndBudgets) {
  std::vector<std::string> problems;
  std::optional<K8sObject> api, worker;
  for (auto& [owner, tmpl] : k8s_pod_templates()) {
    for (const auto& c : containers_of(tmpl)) {
      if (!is_herald_image(c.value("image", ""))) continue;
      if (c.contains("command"))
        problems.push_back(owner.name() + ": `command` replaces the image's herald entrypoint");
      const Json args = c.value("args", Json::array());
      if (args.size() >= 1 && args[0] == "serve") {
        api = owner;
        if (std::find(args.begin(), args.end(), "--no-workers") == args.end())
          problems.push_back(owner.name() + ": API pods run serve --no-workers (workers scale on their own)");
      }
      if (args.size() >= 1 && args[0] == "worker") worker = owner;
    }
  }
  ASSERT_TRUE(api && worker) << "no API (herald serve) or worker (herald worker) Deployment";
  EXPECT_EQ(api->kind(), "Deployment");
  EXPECT_EQ(api->doc.at("spec").value("replicas", 0), 3) << "the design's topology runs three API pods";
  EXPECT_EQ(worker->kind(), "Deployment");

  std::size_t hpas = 0, pdbs = 0;
  for (const auto& o : k8s_objects()) {
    if (o.kind() == "HorizontalPodAutoscaler") {
      ++hpas;
      const Json& ref = o.doc.at("spec").at("scaleTargetRef");
      const auto target = k8s_find(ref.at("kind"), ref.at("name"));
      if (!target) {
        problems.push_back("HPA " + o.name() + " scales " + ref.at("name").dump() + ", which does not exist");
        continue;
      }
      if (target->doc.at("spec").contains("replicas"))
        problems.push_back("HPA " + o.name() + ": " + target->name() + " sets replicas, which each apply resets");
      for (const auto& c : target->doc.at("spec").at("template").at("spec").at("containers")) {
        if (!c.value("resources", Json::object()).value("requests", Json::object()).contains("cpu"))
          problems.push_back("HPA " + o.name() + ": CPU utilisation needs a CPU request on " + c.value("name", ""));
      }
      if (target->name() == worker->name()) worker.reset();
    }
    if (o.kind() == "PodDisruptionBudget") {
      ++pdbs;
      const auto pods = selected_pods(o.doc.at("spec").at("selector"));
      if (pods.empty()) problems.push_back("PDB " + o.name() + " selects no pod");
      for (const auto& [owner, tmpl] : pods) {
        const int replicas = owner.doc.at("spec").value("replicas", 2);
        if (o.doc.at("spec").contains("minAvailable") && o.doc.at("spec")["minAvailable"].get<int>() >= replicas)
          problems.push_back("PDB " + o.name() + " keeps every pod of " + owner.name() + ": nodes could never drain");
      }
    }
    if (o.kind() == "StatefulSet" && !k8s_find("Service", o.doc.at("spec").at("serviceName")))
      problems.push_back("StatefulSet " + o.name() + ": its serviceName is no Service");
  }
  EXPECT_GE(hpas, 1u);
  EXPECT_FALSE(worker) << "no HPA scales the workers";
  EXPECT_GE(pdbs, 2u) << "a PodDisruptionBudget for the API and one for the workers";

  // Compose: the same shape on one host, and a mail catcher.
  const Json services = compose_file().at("services");
  std::set<std::string> roles;
  for (const auto& [name, s] : services.items()) {
    const std::string image = image_name(s.value("image", ""));
    if (is_herald_image(s.value("image", ""))) {
      const Json cmd = s.value("command", Json::array());
      if (cmd == Json::array({"serve", "--no-workers"})) roles.insert("api");
      if (!cmd.empty() && cmd[0] == "worker") roles.insert("worker");
    } else {
      roles.insert(image);
    }
    const Json depends_on = s.value("depends_on", Json::object());
    for (const auto& [dep, cond] : depends_on.items()) {
      if (!services.contains(dep)) problems.push_back("compose " + name + " depends on a missing " + dep);
      if (cond.value("condition", "") == "service_healthy" && !services[dep].contains("healthcheck"))
        problems.push_back("compose " + name + " waits for " + dep + " to be healthy, which has no healthcheck");
    }
  }
  for (const char* role : {"api", "worker", "postgres", "redis", "mailpit"}) {
    EXPECT_TRUE(roles.contains(role)) << "compose.yml runs no " << role;
  }
  EXPECT_TRUE(problems.empty()) << join(problems);
}

TEST(DeployManifests, ComposeFileIsValidForDockerCompose) {
  // Debian 12's docker-compose (1.29) validates the file against the Compose
  // schema and interpolates it with env.example, without a Docker daemon.
  const fs::path dir = repo_root() / "deploy/docker";
  const std::vector<std::string> base{"/usr/bin/docker-compose",
                                      "--project-directory",
                                      dir.string(),
                                      "-f",
                                      (dir / "compose.yml").string(),
                                      "--env-file",
                                      (dir / "env.example").string(),
                                      "config"};
  auto argv = base;
  argv.push_back("-q");
  const auto valid = run_process(argv);
  EXPECT_EQ(valid.exit_code, 0) << valid.out << valid.err;
  argv = base;
  argv.push_back("--services");
  const auto listed = run_process(argv);
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  std::set<std::string> theirs, ours;
  std::istringstream lines(listed.out);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) theirs.insert(line);
  }
  for (const auto& [name, service] : compose_file().at("services").items()) ours.insert(name);
  EXPECT_EQ(theirs, ours) << "docker-compose and the test read different services";
}

TEST(DeployManifests, DockerBuildStageIsTheDeveloperBuild) {
  const Dockerfile& d = dockerfile();
  std::string build_runs;
  bool copies_setup = false;
  for (const auto& i : d.instructions) {
    if (i.stage == d.final_stage) continue;
    if (i.op == "RUN") build_runs += i.args + "\n";
    if (i.op == "COPY" && i.args.starts_with("scripts/setup")) copies_setup = true;
  }
  // The same packages as every other machine: scripts/setup itself runs.
  EXPECT_TRUE(copies_setup);
  EXPECT_NE(build_runs.find("scripts/setup"), std::string::npos);
  EXPECT_NE(build_runs.find("cmake --preset release"), std::string::npos);
  EXPECT_NE(build_runs.find("npm run build"), std::string::npos);
  std::set<std::string> copied;
  for (const auto& c : d.copies) copied.insert(c.src);
  const std::string workdir = d.workdirs.count("build") ? d.workdirs.at("build") : "";
  EXPECT_TRUE(copied.contains(workdir + "/build/herald") && copied.contains(workdir + "/web/dist"))
      << "the runtime stage must take the binary and web/dist from the build stage";
  for (const auto& p : d.runtime_packages) EXPECT_FALSE(p.ends_with("-dev")) << p << " in the runtime image";
}

}  // namespace
}  // namespace herald::test::deploy
