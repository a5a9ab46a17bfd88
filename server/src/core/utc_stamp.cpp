#include "core/utc_stamp.hpp"

namespace herald {
namespace {

char* put(char* at, unsigned value, int digits) noexcept {
  for (int i = digits - 1; i >= 0; --i) {
    at[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return at + digits;
}

}  // namespace

UtcStamp utc_stamp_ms(std::chrono::system_clock::time_point t) noexcept {
  using namespace std::chrono;
  const auto ms = floor<milliseconds>(t);
  const auto day = floor<days>(ms);
  const year_month_day ymd{day};
  const hh_mm_ss hms{ms - day};
  UtcStamp out{};
  char* p = out.data();
  p = put(p, static_cast<unsigned>(static_cast<int>(ymd.year())), 4);
  *p++ = '-';
  p = put(p, static_cast<unsigned>(ymd.month()), 2);
  *p++ = '-';
  p = put(p, static_cast<unsigned>(ymd.day()), 2);
  *p++ = 'T';
  p = put(p, static_cast<unsigned>(hms.hours().count()), 2);
  *p++ = ':';
  p = put(p, static_cast<unsigned>(hms.minutes().count()), 2);
  *p++ = ':';
  p = put(p, static_cast<unsigned>(hms.seconds().count()), 2);
  *p++ = '.';
  p = put(p, static_cast<unsigned>(hms.subseconds().count()), 3);
  *p = 'Z';
  return out;
}

}  // namespace herald
