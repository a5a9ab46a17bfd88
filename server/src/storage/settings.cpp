#include "storage/settings.hpp"

#include "storage/query.hpp"

namespace herald::storage {
namespace {

const Query kGet{"settings.get"};
const Query kPut{"settings.put"};
const Query kPutIfAbsent{"settings.put_if_absent"};

}  // namespace

std::optional<std::string> get_setting(Connection& c, std::string_view key) {
  std::optional<std::string> value;
  c.execute(kGet, {key}, [&](const Row& r) { value = r.str(0); });
  return value;
}

void put_setting(Connection& c, std::string_view key, std::string_view value, std::string_view now) {
  c.execute(kPut, {key, value, now});
}

std::string put_setting_if_absent(Connection& c, std::string_view key, std::string_view value, std::string_view now) {
  c.execute(kPutIfAbsent, {key, value, now});
  return get_setting(c, key).value_or(std::string(value));
}

}  // namespace herald::storage
