#include "auth/routes.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "auth/password.hpp"
#include "core/errors.hpp"
#include "core/json_fields.hpp"
#include "http/params.hpp"

namespace herald::auth {
namespace {

using http::Request;
using http::Response;

nlohmann::json page_json(const std::vector<User>& items, std::int64_t total, const http::PageParams& p) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& u : items) list.push_back(to_json(u));
  return {{"items", list}, {"total", total}, {"page", p.page}, {"page_size", p.page_size}};
}

nlohmann::json tokens_json(const LoginResult& r) {
  return {{"token", r.tokens.access_token}, {"refresh_token", r.tokens.refresh_token},
          {"token_type", "Bearer"},         {"expires_in", r.tokens.expires_in},
          {"user", to_json(r.user)},        {"permissions", r.permissions}};
}

// A required, non-empty string field of an object; a problem goes to `errors`.
std::string required_string(const nlohmann::json& body, const char* field, ValidationError& errors,
                            std::size_t max = 1024) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) {
    errors.with_field(field, "is required");
    return {};
  }
  if (!it->is_string()) {
    errors.with_field(field, "must be a string");
    return {};
  }
  auto v = it->get<std::string>();
  if (v.empty()) errors.with_field(field, "must not be empty");
  if (v.size() > max) errors.with_field(field, "is too long");
  return v;
}

// The answer to a successful login or refresh; the audit entry names the user.
Response session_response(Request& req, const LoginResult& result) {
  req.audit.user_id = result.user.id;
  req.audit.actor = result.user.email;
  req.audit.resource = "user/" + std::to_string(result.user.id);
  auto r = Response::json(200, tokens_json(result));
  r.headers.add("Cache-Control", "no-store");
  return r;
}

}  // namespace

Response Routes::login(Request& req) {
  req.audit.action = "LOGIN_FAILED";  // until it succeeds
  req.audit.resource = "auth/login";
  auto body = req.json();
  ValidationError errors;
  check_fields(body, {"email", "password"}, errors);
  std::string email = required_string(body, "email", errors, 254);
  std::string password = required_string(body, "password", errors);
  if (!errors.empty()) throw errors;
  req.audit.actor = email;
  auto result = auth_.login(email, password, req.client_ip);
  req.audit.action = "LOGIN_SUCCEEDED";
  return session_response(req, result);
}

Response Routes::refresh(Request& req) {
  auto body = req.json();
  ValidationError errors;
  check_fields(body, {"refresh_token"}, errors);
  std::string token = required_string(body, "refresh_token", errors, 200);
  if (!errors.empty()) throw errors;
  return session_response(req, auth_.refresh(token));
}

Response Routes::logout(Request& req) {
  if (req.principal->api_key_id)
    throw BadRequest("an API key is not a session and cannot sign out; revoke it with DELETE /api/auth/api-keys/" +
                     std::to_string(*req.principal->api_key_id) + " from a signed-in session");
  // The body is optional: nothing, or {"refresh_token": "…"} to revoke that token too.
  std::optional<std::string> refresh;
  if (!req.body.empty()) {
    auto body = req.json();
    require_fields(body, {"refresh_token"});
    if (body.contains("refresh_token")) {
      if (!body["refresh_token"].is_string()) throw ValidationError("refresh_token", "must be a string");
      refresh = body["refresh_token"].get<std::string>();
    }
  }
  auth_.logout(*req.principal, refresh);
  req.audit.resource = "user/" + std::to_string(req.principal->user_id);
  return Response::no_content();
}

Response Routes::me(Request& req) {
  auto body = to_json(auth_.me(*req.principal));
  body["permissions"] = req.principal->permissions;
  return Response::json(200, body);
}

Response Routes::change_password(Request& req) {
  req.audit.resource = "user/" + std::to_string(req.principal->user_id);
  if (req.principal->api_key_id)
    throw Forbidden("an API key cannot change a password; sign in with the password to change it");
  auto body = req.json();
  ValidationError errors;
  check_fields(body, {"current_password", "password"}, errors);
  std::string current = required_string(body, "current_password", errors);
  std::string password = required_string(body, "password", errors, std::size_t{1} << 20);
  if (!password.empty()) {
    if (auto p = password_problem(password); !p.empty()) errors.with_field("password", p);
  }
  if (!errors.empty()) throw errors;
  auth_.change_password(*req.principal, current, password, req.client_ip);
  return Response::no_content();
}

Response Routes::list_api_keys(Request& req) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& k : admin_.list_api_keys(*req.principal)) items.push_back(to_json(k));
  return Response::json(200, {{"items", items}});
}

Response Routes::create_api_key(Request& req) {
  auto body = req.json();
  ValidationError errors;
  check_fields(body, {"name", "permissions"}, errors);
  std::string name = required_string(body, "name", errors, 100);
  std::optional<std::vector<std::string>> perms;
  if (body.contains("permissions")) {
    const auto& list = body["permissions"];
    const bool strings =
        list.is_array() && std::all_of(list.begin(), list.end(), [](const auto& p) { return p.is_string(); });
    if (strings) {
      perms.emplace();
      for (const auto& p : list) perms->push_back(p.get<std::string>());
    } else {
      errors.with_field("permissions", "must be an array of permission names");
    }
  }
  if (!errors.empty()) throw errors;
  auto created = admin_.create_api_key(*req.principal, name, perms);
  req.audit.resource = "api_key/" + std::to_string(created.key.id);
  auto out = to_json(created.key);
  out["key"] = created.secret;
  auto r = Response::json(201, out);
  r.headers.add("Cache-Control", "no-store");
  return r;
}

Response Routes::revoke_api_key(Request& req) {
  auto id = http::id_param(req);
  req.audit.resource = "api_key/" + std::to_string(id);
  admin_.revoke_api_key(*req.principal, id);
  return Response::no_content();
}

Response Routes::list_user_api_keys(Request& req) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& k : admin_.list_user_api_keys(*req.principal, http::id_param(req))) items.push_back(to_json(k));
  return Response::json(200, {{"items", items}});
}

Response Routes::revoke_user_api_key(Request& req) {
  auto user_id = http::id_param(req);
  auto key_id = http::id_param(req, "key_id");
  req.audit.resource = "api_key/" + std::to_string(key_id);
  admin_.revoke_user_api_key(*req.principal, user_id, key_id);
  return Response::no_content();
}

Response Routes::list_users(Request& req) {
  auto p = http::page_params(req);
  auto page = admin_.list_users(req.query_param("q").value_or(""), p.page, p.page_size);
  return Response::json(200, page_json(page.items, page.total, p));
}

Response Routes::get_user(Request& req) { return Response::json(200, to_json(admin_.get_user(http::id_param(req)))); }

Response Routes::create_user(Request& req) {
  auto user = admin_.create_user(*req.principal, parse_user_create(req.json()));
  req.audit.resource = "user/" + std::to_string(user.id);
  auto r = Response::json(201, to_json(user));
  r.headers.add("Location", "/api/admin/users/" + std::to_string(user.id));
  return r;
}

Response Routes::update_user(Request& req) {
  auto id = http::id_param(req);
  req.audit.resource = "user/" + std::to_string(id);
  auto body = req.json();
  auto input = parse_user_update(body);
  auto user = admin_.update_user(*req.principal, id, input);
  nlohmann::json changed = nlohmann::json::array();
  for (auto& [k, _] : body.items()) changed.push_back(k);
  req.audit.details = nlohmann::json({{"changed", changed}}).dump();
  return Response::json(200, to_json(user));
}

Response Routes::delete_user(Request& req) {
  auto id = http::id_param(req);
  req.audit.resource = "user/" + std::to_string(id);
  admin_.delete_user(*req.principal, id);
  return Response::no_content();
}

Response Routes::list_roles(Request&) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& r : admin_.list_roles()) items.push_back(to_json(r));
  return Response::json(200, {{"items", items}});
}

Response Routes::create_role(Request& req) {
  auto role = admin_.create_role(*req.principal, parse_role_input(req.json(), true));
  req.audit.resource = "role/" + std::to_string(role.id);
  return Response::json(201, to_json(role));
}

Response Routes::update_role(Request& req) {
  auto id = http::id_param(req);
  req.audit.resource = "role/" + std::to_string(id);
  return Response::json(200, to_json(admin_.update_role(*req.principal, id, parse_role_input(req.json(), false))));
}

Response Routes::delete_role(Request& req) {
  auto id = http::id_param(req);
  req.audit.resource = "role/" + std::to_string(id);
  admin_.delete_role(id);
  return Response::no_content();
}

}  // namespace herald::auth
