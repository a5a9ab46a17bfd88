#include "deploy_files.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "support/process.hpp"

namespace herald::test::deploy {
namespace fs = std::filesystem;

namespace {

std::string trim(std::string s) {
  const auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

std::vector<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string scalar(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_null()) return "";
  return v.dump();
}

}  // namespace

fs::path repo_root() { return fs::path(HERALD_SOURCE_DIR); }

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<const Instruction*> Dockerfile::in_stage(const std::string& stage) const {
  std::vector<const Instruction*> out;
  for (const auto& i : instructions) {
    if (i.stage == stage) out.push_back(&i);
  }
  return out;
}

Dockerfile parse_dockerfile(const std::string& text) {
  Dockerfile d;
  std::istringstream in(text);
  std::string logical, stage;
  auto finish = [&] {
    std::string line = trim(logical);
    logical.clear();
    if (line.empty()) return;
    const auto space = line.find_first_of(" \t");
    Instruction ins{stage, upper(line.substr(0, space)), space == std::string::npos ? "" : trim(line.substr(space))};
    if (ins.op == "FROM") {
      const auto w = words(ins.args);
      stage = w.size() >= 3 && upper(w[w.size() - 2]) == "AS" ? w.back() : w.at(0);
      ins.stage = stage;
    }
    d.instructions.push_back(ins);
  };
  for (std::string line; std::getline(in, line);) {
    const std::string t = trim(line);
    if (t.starts_with("#")) continue;  // comments, also between continuation lines
    if (!t.empty() && t.back() == '\\') {
      logical += t.substr(0, t.size() - 1) + " ";
      continue;
    }
    logical += t;
    finish();
  }
  finish();

  for (const auto& i : d.instructions) {
    if (i.op == "FROM") d.final_stage = i.stage;
    if (i.op == "WORKDIR") d.workdirs[i.stage] = i.args;
  }
  for (const auto* i : d.in_stage(d.final_stage)) {
    if (i->op == "ENV") {
      for (const auto& w : words(i->args)) {
        const auto eq = w.find('=');
        if (eq != std::string::npos) d.env[w.substr(0, eq)] = w.substr(eq + 1);
      }
    } else if (i->op == "USER") {
      d.user = i->args;
    } else if (i->op == "EXPOSE") {
      for (const auto& w : words(i->args)) d.exposed.push_back(w);
    } else if (i->op == "HEALTHCHECK") {
      const auto cmd = i->args.find("CMD ");
      if (cmd != std::string::npos) d.healthcheck = trim(i->args.substr(cmd + 4));
    } else if (i->op == "RUN") {
      // apt-get install [-flags] PACKAGES… up to the next && or ;
      const auto w = words(i->args);
      for (std::size_t k = 0; k + 1 < w.size(); ++k) {
        if (w[k] != "install" || k == 0 || w[k - 1] != "apt-get") continue;
        for (std::size_t p = k + 1; p < w.size() && w[p] != "&&" && w[p] != ";"; ++p) {
          if (!w[p].starts_with("-")) d.runtime_packages.insert(w[p]);
        }
      }
    } else if (i->op == "COPY") {
      const auto w = words(i->args);
      if (w.size() == 3 && w[0].starts_with("--from=")) d.copies.push_back({w[0].substr(7), w[1], w[2]});
    }
  }
  return d;
}

std::string interpolate(const std::string& text, const Env& vars, std::vector<std::string>& errors) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '$') {
      out += text[i];
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '$') {  // $$ is a literal $
      out += '$';
      ++i;
      continue;
    }
    std::string name, op, arg;
    if (i + 1 < text.size() && text[i + 1] == '{') {
      const auto close = text.find('}', i);
      if (close == std::string::npos) {
        errors.push_back("unterminated ${ in '" + text + "'");
        return out;
      }
      const std::string inner = text.substr(i + 2, close - i - 2);
      std::size_t n = 0;
      while (n < inner.size() && is_name_char(inner[n])) ++n;
      name = inner.substr(0, n);
      std::string rest = inner.substr(n);
      for (std::string candidate : {":-", ":?", "-", "?"}) {
        if (rest.starts_with(candidate)) {
          op = candidate;
          arg = rest.substr(candidate.size());
          break;
        }
      }
      if (name.empty() || (op.empty() && !rest.empty())) errors.push_back("bad substitution ${" + inner + "}");
      i = close;
    } else {
      std::size_t n = i + 1;
      while (n < text.size() && is_name_char(text[n])) ++n;
      name = text.substr(i + 1, n - i - 1);
      i = n - 1;
    }
    const auto it = vars.find(name);
    const bool set = it != vars.end();
    const bool empty = !set || it->second.empty();
    if (op == ":-") {
      out += empty ? arg : it->second;
    } else if (op == "-") {
      out += set ? it->second : arg;
    } else if (op == ":?" || op == "?") {
      if (op == ":?" ? empty : !set) errors.push_back(name + ": " + arg);
      if (set) out += it->second;
    } else if (set) {
      out += it->second;
    }
  }
  return out;
}

Env parse_env_file(const std::string& text) {
  Env env;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    line = trim(line);
    if (line.empty() || line.starts_with("#")) continue;
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    env[trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
  }
  return env;
}

const std::map<std::string, std::vector<Json>>& yaml_files() {
  static const auto files = [] {
    std::vector<std::string> argv{HERALD_SYSTEM_PYTHON, std::string(HERALD_TEST_SUPPORT_DIR) + "/yaml_to_json.py"};
    std::vector<std::string> relative;
    for (const auto& e : fs::recursive_directory_iterator(repo_root() / "deploy")) {
      const auto ext = e.path().extension();
      if (!e.is_regular_file() || (ext != ".yaml" && ext != ".yml")) continue;
      argv.push_back(e.path().string());
      relative.push_back(fs::relative(e.path(), repo_root()).string());
    }
    const auto r = run_process(argv);
    if (r.exit_code != 0) throw std::runtime_error("YAML that does not parse: " + r.err);
    const auto parsed = Json::parse(r.out);
    std::map<std::string, std::vector<Json>> out;
    for (std::size_t k = 0; k < relative.size(); ++k) {
      out[relative[k]] = parsed.at(argv[k + 2]).get<std::vector<Json>>();
    }
    return out;
  }();
  return files;
}

std::vector<K8sObject> k8s_objects() {
  const auto& files = yaml_files();
  const Json& kustomization = files.at("deploy/k8s/kustomization.yaml").at(0);
  std::vector<K8sObject> out;
  for (const auto& resource : kustomization.at("resources")) {
    const std::string file = "deploy/k8s/" + resource.get<std::string>();
    const auto it = files.find(file);
    if (it == files.end()) throw std::runtime_error("kustomization.yaml lists " + file + ", which is not there");
    for (const auto& doc : it->second) out.push_back({file, doc});
  }
  return out;
}

std::optional<K8sObject> k8s_find(const std::string& kind, const std::string& name) {
  for (auto& o : k8s_objects()) {
    if (o.kind() == kind && o.name() == name) return o;
  }
  return std::nullopt;
}

std::vector<std::pair<K8sObject, Json>> k8s_pod_templates() {
  std::vector<std::pair<K8sObject, Json>> out;
  for (auto& o : k8s_objects()) {
    if (o.kind() == "Deployment" || o.kind() == "StatefulSet") out.emplace_back(o, o.doc.at("spec").at("template"));
  }
  return out;
}

std::string image_name(const std::string& image) {
  std::string path = image.substr(0, image.find('@'));
  const auto slash = path.rfind('/');
  const auto colon = path.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) path = path.substr(0, colon);
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string image_tag(const std::string& image) {
  const std::string path = image.substr(0, image.find('@'));
  const auto slash = path.rfind('/');
  const auto colon = path.rfind(':');
  if (colon == std::string::npos || (slash != std::string::npos && colon < slash)) return "";
  return path.substr(colon + 1);
}

bool is_herald_image(const std::string& image) { return image_name(image) == "herald"; }

Env k8s_container_env(const Json& container, const Env& image_env, std::vector<std::string>& errors) {
  Env env = image_env;
  auto source = [&](const std::string& kind, const std::string& name) -> std::optional<Json> {
    auto o = k8s_find(kind, name);
    if (!o) {
      errors.push_back(kind + " " + name + " is referenced but not in the manifests");
      return std::nullopt;
    }
    if (kind == "Secret" && o->doc.contains("data")) errors.push_back("Secret " + name + ": use stringData");
    return o->doc.value(kind == "Secret" ? "stringData" : "data", Json::object());
  };
  for (const auto& from : container.value("envFrom", Json::array())) {
    const bool secret = from.contains("secretRef");
    const auto data =
        source(secret ? "Secret" : "ConfigMap", from.at(secret ? "secretRef" : "configMapRef").at("name"));
    if (!data) continue;
    for (const auto& [k, v] : data->items()) env[k] = scalar(v);
  }
  for (const auto& e : container.value("env", Json::array())) {
    const std::string name = e.at("name");
    if (e.contains("value")) {
      env[name] = scalar(e["value"]);
      continue;
    }
    const Json& ref = e.at("valueFrom");
    const bool secret = ref.contains("secretKeyRef");
    const Json& key_ref = ref.at(secret ? "secretKeyRef" : "configMapKeyRef");
    const auto data = source(secret ? "Secret" : "ConfigMap", key_ref.at("name"));
    if (!data) continue;
    const std::string key = key_ref.at("key");
    if (!data->contains(key)) {
      errors.push_back(name + " refers to key " + key + ", which " + std::string(key_ref.at("name")) + " lacks");
      continue;
    }
    env[name] = scalar((*data)[key]);
  }
  return env;
}

const Json& compose_file() { return yaml_files().at("deploy/docker/compose.yml").at(0); }

Env compose_variables() { return parse_env_file(read_file(repo_root() / "deploy/docker/env.example")); }

Env compose_service_env(const std::string& service, const Env& image_env, std::vector<std::string>& errors) {
  Env env = image_env;
  const Json& s = compose_file().at("services").at(service);
  const Env vars = compose_variables();
  const Json environment = s.value("environment", Json::object());
  if (environment.is_array()) {
    for (const auto& item : environment) {
      const std::string line = item;
      const auto eq = line.find('=');
      env[line.substr(0, eq)] = eq == std::string::npos ? "" : interpolate(line.substr(eq + 1), vars, errors);
    }
  } else {
    for (const auto& [k, v] : environment.items()) env[k] = interpolate(scalar(v), vars, errors);
  }
  return env;
}

std::optional<std::pair<std::string, int>> split_listen(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon + 1 >= listen.size()) return std::nullopt;
  try {
    std::size_t used = 0;
    const int port = std::stoi(listen.substr(colon + 1), &used);
    if (used != listen.size() - colon - 1) return std::nullopt;
    return std::pair{listen.substr(0, colon), port};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

bool trusted_host_allows(const Env& env, const std::string& host) {
  const auto it = env.find("HERALD_TRUSTED_HOSTS");
  const std::string list = it == env.end() ? "localhost,127.0.0.1,[::1]" : it->second;
  std::istringstream in(list);
  for (std::string h; std::getline(in, h, ',');) {
    h = trim(h);
    if (h == "*" || h == host) return true;
  }
  return false;
}

const std::set<std::string>& herald_settings() {
  static const auto names = [] {
    const auto r = run_process({HERALD_BINARY, "config", "settings"});
    if (r.exit_code != 0) throw std::runtime_error("herald config settings failed: " + r.err);
    std::set<std::string> out;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) out.insert(line);
    }
    return out;
  }();
  return names;
}

std::pair<int, std::string> herald_config_check(const Env& env) {
  std::vector<std::string> argv{"/usr/bin/env", "-i"};
  for (const auto& [k, v] : env) argv.push_back(k + "=" + v);
  argv.insert(argv.end(), {HERALD_BINARY, "config", "check"});
  const auto r = run_process(argv);
  return {r.exit_code, r.out + r.err};
}

}  // namespace herald::test::deploy
