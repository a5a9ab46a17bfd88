#include "campaigns/limits.hpp"

#include <algorithm>
#include <cmath>

#include "storage/query.hpp"

namespace herald::campaigns {
namespace {

const storage::Query kBucketGet{"campaigns.bucket_get"};
const storage::Query kBucketPut{"campaigns.bucket_put"};

// KEYS: the buckets; ARGV: a rate per second for each. All or none; Redis's clock.
// Returns {allowed, retry_ms}.
constexpr std::string_view kTakeScript = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local tokens, rates, bursts = {}, {}, {}
local retry = 0
for i, key in ipairs(KEYS) do
  local rate = tonumber(ARGV[i]) / 1000
  local burst = math.max(1, tonumber(ARGV[i]))
  local s = redis.call('HMGET', key, 'tokens', 'ts')
  local v = tonumber(s[1])
  if v == nil then
    v = burst
  else
    local elapsed = now - tonumber(s[2])
    if elapsed > 0 then v = math.min(burst, v + elapsed * rate) end
  end
  tokens[i], rates[i], bursts[i] = v, rate, burst
  if v < 1 then retry = math.max(retry, math.ceil((1 - v) / rate)) end
end
local allowed = 0
if retry == 0 then allowed = 1 end
for i, key in ipairs(KEYS) do
  local v = tokens[i]
  if allowed == 1 then v = v - 1 end
  redis.call('HSET', key, 'tokens', string.format('%.17g', v), 'ts', now)
  redis.call('PEXPIRE', key, math.ceil((bursts[i] - v) / rates[i]) + 1000)
end
return {allowed, retry}
)lua";

constexpr std::string_view kRedisPrefix = "herald:send:";

std::int64_t to_ms(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

double burst_of(double per_second) noexcept { return std::max(1.0, per_second); }

TakeResult take_tokens(std::span<std::optional<BucketState>> states, std::span<const Limit> limits,
                       std::int64_t now_ms) {
  TakeResult r{true, 0};
  for (std::size_t i = 0; i < limits.size(); ++i) {
    const double rate = limits[i].per_second;
    const double burst = burst_of(rate);
    auto& s = states[i];
    if (!s) {
      s = BucketState{burst, now_ms};
    } else {
      const auto elapsed = now_ms - s->updated_ms;
      if (elapsed > 0) s->tokens = std::min(burst, s->tokens + static_cast<double>(elapsed) * rate / 1000.0);
      s->updated_ms = std::max(s->updated_ms, now_ms);
    }
    if (s->tokens < 1) {
      r.allowed = false;
      const auto ms = static_cast<std::int64_t>(std::ceil((1 - s->tokens) * 1000.0 / rate));
      r.retry_ms = std::max(r.retry_ms, std::max<std::int64_t>(1, ms));
    }
  }
  if (r.allowed) {
    for (auto& s : states) s->tokens -= 1;
  }
  return r;
}

TakeResult DbSendLimiter::acquire(std::span<const Limit> all) {
  std::vector<Limit> limits;
  for (const auto& l : all)
    if (l.per_second > 0) limits.push_back(l);
  if (limits.empty()) return {true, 0};
  std::vector<std::optional<BucketState>> states(limits.size());
  auto conn = db_.acquire();
  storage::Transaction tx(*conn, storage::TxMode::Write);
  for (std::size_t i = 0; i < limits.size(); ++i) {
    conn->execute(kBucketGet, {std::string_view(limits[i].key)}, [&](const storage::Row& row) {
      states[i] = BucketState{row.real(0), row.integer(1)};
    });
  }
  const auto r = take_tokens(states, limits, to_ms(clock_.wall()));
  for (std::size_t i = 0; i < limits.size(); ++i)
    conn->execute(kBucketPut, {std::string_view(limits[i].key), states[i]->tokens, states[i]->updated_ms});
  tx.commit();
  return r;
}

RedisSendLimiter::RedisSendLimiter(redis::RedisClient& redis)
    : redis_(redis), script_(redis.add_script(std::string(kTakeScript))) {}

TakeResult RedisSendLimiter::acquire(std::span<const Limit> all) {
  redis::ScriptCall call;
  for (const auto& l : all) {
    if (l.per_second <= 0) continue;
    call.keys.push_back(std::string(kRedisPrefix) + l.key);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6f", l.per_second);
    call.args.emplace_back(buf);
  }
  if (call.keys.empty()) return {true, 0};
  auto reply = redis_.eval(script_, call);
  if (!reply.is_array() || reply.elements.size() < 2) return {true, 0};
  return {reply.elements[0].as_int() == 1, static_cast<std::int64_t>(reply.elements[1].as_int())};
}

}  // namespace herald::campaigns
