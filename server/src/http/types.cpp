#include "http/types.hpp"

#include <algorithm>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "core/errors.hpp"
#include "core/strings.hpp"

namespace herald::http {

std::string_view to_string(Method m) noexcept {
  switch (m) {
    case Method::Get:
      return "GET";
    case Method::Head:
      return "HEAD";
    case Method::Post:
      return "POST";
    case Method::Put:
      return "PUT";
    case Method::Patch:
      return "PATCH";
    case Method::Delete:
      return "DELETE";
    case Method::Options:
      return "OPTIONS";
    case Method::Other:
      break;
  }
  return "OTHER";
}

Method parse_method(std::string_view s) noexcept {
  if (s == "GET") return Method::Get;
  if (s == "POST") return Method::Post;
  if (s == "PATCH") return Method::Patch;
  if (s == "DELETE") return Method::Delete;
  if (s == "PUT") return Method::Put;
  if (s == "HEAD") return Method::Head;
  if (s == "OPTIONS") return Method::Options;
  return Method::Other;
}

std::optional<std::string_view> Headers::get(std::string_view name) const noexcept {
  for (const auto& [k, v] : entries_) {
    if (iequals_ascii(k, name)) return std::string_view(v);
  }
  return std::nullopt;
}

void Headers::set(std::string_view name, std::string value) {
  remove(name);
  entries_.emplace_back(std::string(name), std::move(value));
}

void Headers::remove(std::string_view name) {
  std::erase_if(entries_, [&](const Entry& e) { return iequals_ascii(e.first, name); });
}

std::string_view Request::param(std::string_view name) const noexcept {
  for (const auto& [k, v] : path_params) {
    if (k == name) return v;
  }
  return {};
}

std::optional<std::string> Request::query_param(std::string_view name) const {
  std::string_view q = query;
  while (!q.empty()) {
    auto amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view{} : q.substr(amp + 1);
    auto eq = pair.find('=');
    auto key = percent_decode(pair.substr(0, eq), true);
    if (!key || *key != name) continue;
    if (eq == std::string_view::npos) return std::string{};
    auto value = percent_decode(pair.substr(eq + 1), true);
    if (!value) throw BadRequest("query parameter '" + std::string(name) + "' is not valid percent-encoding");
    if (!is_text(*value)) throw BadRequest("query parameter '" + std::string(name) + "' is not valid UTF-8 text");
    return value;
  }
  return std::nullopt;
}

namespace {

// True when a key or string anywhere in the document holds U+0000, which no
// text column stores. Walks with its own stack: bodies may nest deeply.
bool has_nul_string(const nlohmann::json& doc) {
  std::vector<const nlohmann::json*> todo{&doc};
  while (!todo.empty()) {
    const nlohmann::json* j = todo.back();
    todo.pop_back();
    if (j->is_string()) {
      if (j->get_ref<const std::string&>().find('\0') != std::string::npos) return true;
    } else if (j->is_object()) {
      for (const auto& [key, value] : j->items()) {
        if (key.find('\0') != std::string::npos) return true;
        todo.push_back(&value);
      }
    } else if (j->is_array()) {
      for (const auto& value : *j) todo.push_back(&value);
    }
  }
  return false;
}

// Refuses an object that names a key twice (RFC 7493, I-JSON): parsers
// disagree on which value wins, so a duplicate can smuggle a second meaning
// past a check that read the other one.
class UniqueKeys {
 public:
  bool operator()(int /*depth*/, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    if (event == Event::object_start) {
      open_.emplace_back();
    } else if (event == Event::key) {
      const auto& key = parsed.get_ref<const std::string&>();
      if (!open_.empty() && !open_.back().insert(key).second) {
        std::string shown = key.size() > 64 ? key.substr(0, 64) + "…" : key;
        throw BadRequest("the request body names the key \"" + shown +
                         "\" twice in one object; object keys must be unique (RFC 7493)");
      }
    } else if (event == Event::object_end && !open_.empty()) {
      open_.pop_back();
    }
    return true;
  }

 private:
  std::vector<std::unordered_set<std::string>> open_;  // one per object being read
};

}  // namespace

nlohmann::json Request::json() const {
  auto ct = header("Content-Type");
  if (ct) {
    auto type = to_lower_ascii(trim(ct->substr(0, ct->find(';'))));
    if (type != "application/json" && !type.ends_with("+json"))
      throw UnsupportedMediaType("expected Content-Type application/json, got '" + std::string(*ct) + "'");
  }
  if (body.empty()) throw BadRequest("the request body is empty; a JSON document is expected");
  if (!ct) throw UnsupportedMediaType("the request body has no Content-Type; send Content-Type: application/json");
  // The parser would stop at a raw NUL and ignore what follows it; JSON text never holds one.
  if (body.find('\0') != std::string::npos)
    throw BadRequest("the request body holds a NUL byte; JSON text cannot contain one");
  try {
    // Strict: one JSON value and nothing after it but white space.
    auto doc = nlohmann::json::parse(body, UniqueKeys());
    if (has_nul_string(doc)) throw BadRequest("the request body has a string with a NUL character (\\u0000)");
    return doc;
  } catch (const nlohmann::json::exception& e) {
    // e.what() names the position and the problem, e.g. "syntax error while parsing value ..."
    // or "number overflow parsing '1e400'".
    std::string what = e.what();
    auto pos = what.find("] ");
    throw BadRequest("the request body is not valid JSON: " + (pos == std::string::npos ? what : what.substr(pos + 2)));
  }
}

Response Response::json(int status, const nlohmann::json& body) {
  return json_text(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Response Response::json_text(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = "application/json";
  return r;
}

Response Response::text(int status, std::string body, std::string content_type) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}

Response Response::no_content() {
  Response r;
  r.status = 204;
  return r;
}

Response Response::streamed(int status, std::string content_type, BodyProducer producer) {
  Response r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.stream = std::move(producer);
  return r;
}

namespace {
int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::optional<std::string> percent_decode(std::string_view s, bool plus_as_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace herald::http
