#include "http/router.hpp"

#include <algorithm>
#include <stdexcept>

namespace herald::http {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t start = 1;  // skip the leading '/'
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

bool is_param(std::string_view seg) { return seg.size() > 2 && seg.front() == '{' && seg.back() == '}'; }

// HEAD is served by GET routes.
bool method_matches(Method route, Method request) {
  return route == request || (route == Method::Get && request == Method::Head);
}

bool segments_match(const Route& r, const std::vector<std::string_view>& segs) {
  if (r.segments.size() != segs.size()) return false;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    if (is_param(r.segments[i])) {
      if (segs[i].empty()) return false;
    } else if (r.segments[i] != segs[i]) {
      return false;
    }
  }
  return true;
}

void add_allowed(std::vector<Method>& allowed, Method m) {
  if (std::find(allowed.begin(), allowed.end(), m) == allowed.end()) allowed.push_back(m);
  if (m == Method::Get && std::find(allowed.begin(), allowed.end(), Method::Head) == allowed.end())
    allowed.push_back(Method::Head);
}

}  // namespace

std::string_view to_string(RateClass c) noexcept {
  switch (c) {
    case RateClass::None:
      return "none";
    case RateClass::Api:
      return "api";
    case RateClass::Login:
      return "login";
    case RateClass::Public:
      return "public";
  }
  return "api";
}

Route& Router::add(Method method, std::string path, Handler handler, Access access, RouteDoc doc) {
  if (path.empty() || path.front() != '/') throw std::logic_error("route path must start with '/': " + path);
  for (const auto& r : routes_) {
    if (r->method == method && r->path == path)
      throw std::logic_error("duplicate route " + std::string(to_string(method)) + " " + path);
  }
  auto route = std::make_unique<Route>();
  route->method = method;
  route->path = std::move(path);
  route->handler = std::move(handler);
  route->access = std::move(access);
  route->doc = std::move(doc);
  bool has_param = false;
  for (auto seg : split_path(route->path)) {
    if (seg.find('{') != std::string_view::npos && !is_param(seg))
      throw std::logic_error("malformed path parameter in " + route->path);
    has_param = has_param || is_param(seg);
    route->segments.emplace_back(seg);
  }
  route->index = routes_.size();
  const Route* raw = route.get();
  if (has_param) {
    param_routes_.push_back(raw);
  } else {
    static_routes_[raw->path].push_back(raw);
  }
  routes_.push_back(std::move(route));
  return *routes_.back();
}

Match Router::match(Method method, std::string_view path) const {
  Match m;
  if (auto it = static_routes_.find(path); it != static_routes_.end()) {
    for (const Route* r : it->second) {
      if (method_matches(r->method, method)) {
        m.route = r;
        return m;
      }
      add_allowed(m.allowed, r->method);
    }
  }
  if (param_routes_.empty()) return m;
  auto segs = split_path(path);
  for (const Route* r : param_routes_) {
    if (!segments_match(*r, segs)) continue;
    if (!method_matches(r->method, method)) {
      add_allowed(m.allowed, r->method);
      continue;
    }
    m.route = r;
    m.allowed.clear();
    for (std::size_t i = 0; i < segs.size(); ++i) {
      const auto& seg = r->segments[i];
      if (is_param(seg)) {
        std::string_view name(seg);
        m.params.emplace_back(name.substr(1, name.size() - 2), std::string(segs[i]));
      }
    }
    return m;
  }
  return m;
}

std::string allow_header(const std::vector<Method>& methods) {
  std::string out;
  for (Method m : methods) {
    if (!out.empty()) out += ", ";
    out += to_string(m);
  }
  return out;
}

}  // namespace herald::http
