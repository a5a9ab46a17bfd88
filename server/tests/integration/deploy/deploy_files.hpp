// The deployment files under deploy/, read as the tools that use them read
// them: YAML by a real parser (PyYAML through support/yaml_to_json.py), the
// compose file's ${VARIABLES} interpolated like Docker Compose does, and the
// Dockerfile's instructions by stage. The deploy tests check these against
// each other and against the herald binary they deploy.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace herald::test::deploy {

using Json = nlohmann::json;
using Env = std::map<std::string, std::string>;

// The repository root.
std::filesystem::path repo_root();
std::string read_file(const std::filesystem::path& path);

// One Dockerfile instruction (continuation lines joined, comments dropped).
struct Instruction {
  std::string stage;  // the name after FROM … AS, or the image for an unnamed stage
  std::string op;     // upper case: FROM, RUN, COPY, ENV, …
  std::string args;
};

struct Dockerfile {
  std::vector<Instruction> instructions;
  std::string final_stage;
  Env env;                                 // ENV of the final stage (the image's defaults)
  std::string user;                        // USER of the final stage
  std::vector<std::string> exposed;        // EXPOSE of the final stage
  std::string healthcheck;                 // the command after HEALTHCHECK … CMD
  std::set<std::string> runtime_packages;  // apt-get install … in the final stage
  // COPY --from=<stage> SRC DST in the final stage.
  struct Copy {
    std::string from, src, dst;
  };
  std::vector<Copy> copies;
  std::map<std::string, std::string> workdirs;  // last WORKDIR per stage

  std::vector<const Instruction*> in_stage(const std::string& stage) const;
};
Dockerfile parse_dockerfile(const std::string& text);

// Docker Compose's interpolation: $$, $NAME, ${NAME}, ${NAME:-default},
// ${NAME-default}, ${NAME:?error}, ${NAME?error}. A required variable that is
// unset is reported in `errors`.
std::string interpolate(const std::string& text, const Env& vars, std::vector<std::string>& errors);
// KEY=VALUE lines (comments and blank lines skipped), as in a compose .env file.
Env parse_env_file(const std::string& text);

// Every YAML file under deploy/ ("deploy/k8s/api.yaml" → its documents).
const std::map<std::string, std::vector<Json>>& yaml_files();
// The Kubernetes objects of the files kustomization.yaml lists, in order.
struct K8sObject {
  std::string file;
  Json doc;
  std::string kind() const { return doc.value("kind", ""); }
  std::string name() const { return doc["metadata"].value("name", ""); }
};
std::vector<K8sObject> k8s_objects();
std::optional<K8sObject> k8s_find(const std::string& kind, const std::string& name);
// Deployments and StatefulSets: their pod template (spec.template).
std::vector<std::pair<K8sObject, Json>> k8s_pod_templates();

// "registry/herald:1.2" → "herald"; "postgres:15-bookworm" → "postgres".
std::string image_name(const std::string& image);
std::string image_tag(const std::string& image);  // "" when untagged
bool is_herald_image(const std::string& image);

// The environment a Kubernetes container runs with: the image's ENV, then
// envFrom (ConfigMaps and Secrets of the manifests), then env (values and
// secretKeyRef/configMapKeyRef). Unresolvable references go to `errors`.
Env k8s_container_env(const Json& container, const Env& image_env, std::vector<std::string>& errors);

// The compose file and the variables of env.example, interpolated.
const Json& compose_file();
Env compose_variables();
// A compose service's environment (mapping or list form), interpolated, on top of `image_env`.
Env compose_service_env(const std::string& service, const Env& image_env, std::vector<std::string>& errors);

// "0.0.0.0:8000" → {"0.0.0.0", 8000}; std::nullopt when malformed.
std::optional<std::pair<std::string, int>> split_listen(const std::string& listen);
// Whether HERALD_TRUSTED_HOSTS (unset: Herald's default) lets `host` through.
bool trusted_host_allows(const Env& env, const std::string& host);

// The settings the binary knows, from `herald config settings`.
const std::set<std::string>& herald_settings();
// `herald config check` with exactly `env` (nothing inherited): exit code and output.
std::pair<int, std::string> herald_config_check(const Env& env);

}  // namespace herald::test::deploy
