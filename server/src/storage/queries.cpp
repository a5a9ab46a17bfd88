#include "storage/queries.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include <fmt/format.h>

namespace herald::storage {
namespace {

constexpr std::string_view kWhitespace = " \t\r\n";

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kWhitespace) - first + 1);
}

bool is_blank_or_comment(std::string_view line) {
  const auto t = trim(line);
  return t.empty() || t.starts_with("--");
}

bool is_valid_name(std::string_view name) {
  if (name.empty()) return false;
  for (const char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// The name on a "-- name: x" line, or nullopt for any other line.
std::optional<std::string_view> name_line(std::string_view line, std::string_view source, int line_no) {
  auto t = trim(line);
  if (!t.starts_with("--")) return std::nullopt;
  t = trim(t.substr(2));
  if (!t.starts_with("name:")) return std::nullopt;
  const auto name = trim(t.substr(5));
  if (!is_valid_name(name)) {
    throw DbError(
        fmt::format("{}:{}: invalid query name '{}' (letters, digits, '_', '.', '-')", source, line_no, name));
  }
  return name;
}

// Joins a block's lines without its leading and trailing comment lines.
std::string block_sql(const std::vector<std::string_view>& lines) {
  std::size_t first = 0;
  std::size_t last = lines.size();
  while (first < last && is_blank_or_comment(lines[first])) ++first;
  while (last > first && is_blank_or_comment(lines[last - 1])) --last;
  std::string sql;
  for (std::size_t i = first; i < last; ++i) {
    if (!sql.empty()) sql += '\n';
    sql += lines[i];
  }
  std::string_view t = trim(sql);
  if (t.ends_with(';')) t = trim(t.substr(0, t.size() - 1));
  return std::string(t);
}

struct Block {
  std::string name;
  int line_no;
  std::vector<std::string_view> lines;
};

void finish(std::optional<Block>& block, std::vector<NamedQuery>& out, std::string_view source) {
  if (!block) return;
  std::string sql = block_sql(block->lines);
  if (sql.empty()) throw DbError(fmt::format("{}:{}: query '{}' has no SQL", source, block->line_no, block->name));
  out.push_back({std::move(block->name), std::move(sql)});
  block.reset();
}

// "<backend>/x.sql" and "<backend>/dir/x.sql", but nothing under migrations/.
bool is_backend_file(std::string_view path, Backend backend) {
  const std::string prefix = fmt::format("{}/", backend_name(backend));
  return path.starts_with(prefix) && path.ends_with(".sql") && !path.substr(prefix.size()).starts_with("migrations/");
}

bool is_common_file(std::string_view path) {
  return path.starts_with("common/") && path.ends_with(".sql") && !path.starts_with("common/migrations/");
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Calls on_placeholder(position of the '$' or '?', number) for each numbered
// placeholder outside string literals, quoted identifiers and comments.
template <typename Fn>
void each_placeholder(std::string_view sql, Fn on_placeholder) {
  std::size_t i = 0;
  const std::size_t n = sql.size();
  while (i < n) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {  // a literal or quoted identifier; a doubled quote stays inside
      for (++i; i < n; ++i) {
        if (sql[i] != c) continue;
        if (i + 1 < n && sql[i + 1] == c) {
          ++i;
          continue;
        }
        break;
      }
      ++i;
    } else if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      i = sql.find('\n', i);
      if (i == std::string_view::npos) return;
    } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      i = sql.find("*/", i + 2);
      if (i == std::string_view::npos) return;
      i += 2;
    } else if ((c == '$' || c == '?') && i + 1 < n && is_digit(sql[i + 1])) {
      std::size_t end = i + 1;
      int number = 0;
      while (end < n && is_digit(sql[end])) number = number * 10 + (sql[end++] - '0');
      on_placeholder(i, number);
      i = end;
    } else {
      ++i;
    }
  }
}

}  // namespace

std::vector<NamedQuery> parse_named_queries(std::string_view text, std::string_view source) {
  std::vector<NamedQuery> out;
  std::optional<Block> block;
  int line_no = 0;
  while (!text.empty()) {
    const auto eol = text.find('\n');
    const std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    ++line_no;
    if (const auto name = name_line(line, source, line_no)) {
      finish(block, out, source);
      block = Block{std::string(*name), line_no, {}};
    } else if (block) {
      block->lines.push_back(line);
    } else if (!is_blank_or_comment(line)) {
      throw DbError(fmt::format("{}:{}: SQL before the first '-- name:' line", source, line_no));
    }
  }
  finish(block, out, source);
  return out;
}

std::string to_sqlite_placeholders(std::string_view sql) {
  std::string out(sql);
  each_placeholder(sql, [&](std::size_t at, int) {
    if (out[at] == '$') out[at] = '?';
  });
  return out;
}

int parameter_count(std::string_view sql) {
  int most = 0;
  each_placeholder(sql, [&](std::size_t, int number) { most = std::max(most, number); });
  return most;
}

struct QueryCatalog::Impl {
  Backend backend;
  std::map<std::string, std::string, std::less<>> queries;
  std::map<std::string, std::string_view, std::less<>> sources;
};

QueryCatalog QueryCatalog::load(Backend backend, std::span<const embedded::EmbeddedFile> files) {
  auto impl = std::make_shared<Impl>();
  impl->backend = backend;
  for (const auto& file : files) {
    const bool common = is_common_file(file.path);
    if (!common && !is_backend_file(file.path, backend)) continue;
    for (auto& query : parse_named_queries(file.content, file.path)) {
      if (common && backend == Backend::Sqlite) query.sql = to_sqlite_placeholders(query.sql);
      if (const auto it = impl->sources.find(query.name); it != impl->sources.end()) {
        throw DbError(fmt::format("duplicate query '{}' in {} and {}", query.name, it->second, file.path));
      }
      impl->sources.emplace(query.name, file.path);
      impl->queries.emplace(std::move(query.name), std::move(query.sql));
    }
  }
  return QueryCatalog(std::move(impl));
}

const QueryCatalog& QueryCatalog::for_backend(Backend backend) {
  // Function-local statics: built once, on first use, safely across threads.
  if (backend == Backend::Sqlite) {
    static const QueryCatalog sqlite = load(Backend::Sqlite, embedded::sql_files());
    return sqlite;
  }
  static const QueryCatalog postgres = load(Backend::Postgres, embedded::sql_files());
  return postgres;
}

const std::string& QueryCatalog::get(std::string_view name) const {
  const auto it = impl_->queries.find(name);
  if (it == impl_->queries.end()) {
    throw DbError(fmt::format("unknown query '{}' for {}", name, backend_name(impl_->backend)));
  }
  return it->second;
}

bool QueryCatalog::contains(std::string_view name) const { return impl_->queries.contains(name); }

std::string_view QueryCatalog::source(std::string_view name) const {
  const auto it = impl_->sources.find(name);
  return it == impl_->sources.end() ? std::string_view{} : it->second;
}

std::vector<std::string> QueryCatalog::names() const {
  std::vector<std::string> out;
  out.reserve(impl_->queries.size());
  for (const auto& [name, sql] : impl_->queries) out.push_back(name);
  return out;
}

}  // namespace herald::storage
