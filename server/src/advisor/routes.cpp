#include "advisor/routes.hpp"

#include <nlohmann/json.hpp>

#include "advisor/analysis.hpp"
#include "advisor/types.hpp"

namespace herald::advisor {

using http::Request;
using http::Response;

Response Routes::analyze(Request& req) {
  return Response::json(200, to_json(analyze_message(parse_analyze_request(req.json()))));
}

}  // namespace herald::advisor
