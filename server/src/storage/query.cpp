#include "storage/query.hpp"

#include <algorithm>
#include <mutex>

#include <fmt/format.h>

#include "storage/queries.hpp"

namespace herald::storage {
namespace {

// Filled while the program's static objects are built; a function-local
// static, so a Query in any translation unit finds it constructed.
struct Registry {
  std::mutex mutex;
  std::vector<std::string_view> names;
};

Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

Query::Query(std::string_view name) : name_(name) {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  r.names.push_back(name_);
}

Query::~Query() {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  if (auto it = std::ranges::find(r.names, name_); it != r.names.end()) r.names.erase(it);
}

const std::string& Query::sql(Backend backend) const {
  auto& slot = sql_[backend == Backend::Sqlite ? 0 : 1];
  if (const std::string* cached = slot.load(std::memory_order_acquire)) return *cached;
  // Catalogs live as long as the program, so the pointer stays valid.
  const std::string& sql = QueryCatalog::for_backend(backend).get(name_);
  slot.store(&sql, std::memory_order_release);
  return sql;
}

std::int64_t Connection::execute(const Query& query, std::span<const Param> params, const RowCallback& on_row) {
  return execute(std::string_view(query.sql(backend())), params, on_row);
}

void Connection::execute_script(const Query& query) { execute_script(std::string_view(query.sql(backend()))); }

std::vector<std::string_view> declared_queries() {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  auto names = r.names;
  std::ranges::sort(names);
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

void check_queries(Backend backend) { check_queries(backend, declared_queries()); }

void check_queries(Backend backend, const std::vector<std::string_view>& names) {
  const auto& catalog = QueryCatalog::for_backend(backend);
  std::string missing;
  for (auto name : names) {
    if (catalog.contains(name)) continue;
    missing += missing.empty() ? "" : ", ";
    missing += name;
  }
  if (!missing.empty()) {
    throw DbError(fmt::format("queries missing from server/sql for {}: {}", backend_name(backend), missing));
  }
}

}  // namespace herald::storage
