// SQL access for templates and their versions (server/sql/common/templates.sql).
// Each call takes the connection, so the service decides the transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.hpp"
#include "templates/interface.hpp"
#include "templates/types.hpp"

namespace herald::templates {

class Store {
 public:
  using Connection = storage::Connection;

  std::vector<Template> list(Connection& c, std::int64_t limit, std::int64_t offset) const;
  std::int64_t count(Connection& c) const;
  // `like` is a lower-cased LIKE pattern with % and _ escaped (see like_pattern).
  std::vector<Template> search(Connection& c, std::string_view like, std::int64_t limit, std::int64_t offset) const;
  std::int64_t search_count(Connection& c, std::string_view like) const;
  std::optional<Template> get(Connection& c, std::int64_t id) const;

  // Inserts the template and its version 1; returns the id.
  std::int64_t insert(Connection& c, const Template& t, std::optional<std::int64_t> created_by,
                      const std::string& now) const;
  // Adds version `t.version` and moves the template to it, from `from_version`;
  // false when the template is gone or another writer moved it first.
  bool add_version(Connection& c, const Template& t, std::int64_t from_version, const std::string& now) const;
  // Deletes the template and its unpinned versions; false when it did not exist.
  bool remove(Connection& c, std::int64_t id) const;

  std::optional<TemplateVersion> version(Connection& c, std::int64_t id, std::int64_t version) const;
  bool pin(Connection& c, std::int64_t id, std::int64_t version) const;
};

// "%<q lower-cased, with \, % and _ escaped>%".
std::string like_pattern(std::string_view q);

}  // namespace herald::templates
