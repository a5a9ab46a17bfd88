// The chat assistant's tools: read-only Herald queries the model may call
// (count_leads, search_leads, list_campaigns, campaign_stats,
// analytics_overview). Each runs an existing read endpoint's handler — the
// same code, queries and serialisation as the API — as the signed-in user:
// a tool whose permission the user lacks answers the model with a refusal,
// never the data. Results are cut down to the fields an answer needs.
#pragma once

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "ai/chat_types.hpp"
#include "http/endpoints.hpp"
#include "http/principal.hpp"

namespace herald::ai {

struct ToolOutcome {
  std::string name;
  nlohmann::json arguments;  // as parsed (an object), or the text the model sent
  std::string summary;       // one line for the user interface, e.g. "counted 42 leads"
  nlohmann::json result;     // what the model is told
  bool refused = false;      // the user lacks the tool's permission
};

class Tools {
 public:
  // `endpoints` is the process's handlers by name, complete once the composition is.
  explicit Tools(const http::Endpoints& endpoints) : endpoints_(endpoints) {}

  // The tools as chat-completions `tools` (function definitions).
  static nlohmann::json definitions();
  // Runs one call as `who`. Never throws for a bad call: the model is told what was wrong.
  ToolOutcome run(const ToolCall& call, const http::Principal& who, const std::string& request_id) const;

 private:
  nlohmann::json call_endpoint(const std::string& handler, const std::string& path, const std::string& query,
                               const std::string& id_param, const http::Principal& who,
                               const std::string& request_id) const;
  const http::Endpoints& endpoints_;
};

// Percent-encodes a query value.
std::string query_escape(std::string_view value);

}  // namespace herald::ai
