#include "redis/client.hpp"

#include <hiredis/hiredis.h>

#include <charconv>

#include <fmt/format.h>

#include "core/errors.hpp"

namespace herald::redis {
namespace {

struct FreeReply {
  void operator()(redisReply* r) const noexcept { freeReplyObject(r); }
};
using ReplyPtr = std::unique_ptr<redisReply, FreeReply>;

timeval to_timeval(std::chrono::milliseconds ms) {
  return timeval{static_cast<time_t>(ms.count() / 1000), static_cast<suseconds_t>((ms.count() % 1000) * 1000)};
}

RedisValue convert(const redisReply* r) {
  RedisValue v;
  switch (r->type) {
    case REDIS_REPLY_INTEGER:
      v.type = RedisValue::Type::Integer;
      v.integer = r->integer;
      break;
    case REDIS_REPLY_STRING:
      v.type = RedisValue::Type::String;
      v.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      v.type = RedisValue::Type::Status;
      v.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      v.type = RedisValue::Type::Error;
      v.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ARRAY:
      v.type = RedisValue::Type::Array;
      v.elements.reserve(r->elements);
      for (std::size_t i = 0; i < r->elements; ++i) v.elements.push_back(convert(r->element[i]));
      break;
    default:
      v.type = RedisValue::Type::Nil;
  }
  return v;
}

int parse_int(std::string_view text, std::string_view what) {
  int v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 0) {
    throw std::invalid_argument(fmt::format("invalid {} '{}' in the Redis URL", what, text));
  }
  return v;
}

std::string percent_decoded(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int v = 0;
      auto [end, ec] = std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
      if (ec == std::errc() && end == s.data() + i + 3) {
        out += static_cast<char>(v);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

}  // namespace

std::string RedisUrl::describe() const { return fmt::format("{}:{}/{}", host, port, db); }

RedisUrl parse_redis_url(std::string_view url) {
  constexpr std::string_view kScheme = "redis://";
  if (url.substr(0, kScheme.size()) != kScheme) throw std::invalid_argument("a Redis URL starts with redis://");
  std::string_view rest = url.substr(kScheme.size());
  RedisUrl out;
  if (auto q = rest.find('?'); q != std::string_view::npos) rest = rest.substr(0, q);
  if (auto slash = rest.find('/'); slash != std::string_view::npos) {
    const auto db = rest.substr(slash + 1);
    if (!db.empty()) out.db = parse_int(db, "database number");
    rest = rest.substr(0, slash);
  }
  if (auto at = rest.rfind('@'); at != std::string_view::npos) {
    const auto userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    const auto colon = userinfo.find(':');
    if (colon == std::string_view::npos) {
      out.password = percent_decoded(userinfo);  // redis://secret@host: a bare password
    } else {
      if (colon > 0) out.user = percent_decoded(userinfo.substr(0, colon));
      out.password = percent_decoded(userinfo.substr(colon + 1));
    }
    if (out.password && out.password->empty()) out.password.reset();
  }
  if (!rest.empty() && rest.front() == '[') {  // [::1]:6379
    const auto close = rest.find(']');
    if (close == std::string_view::npos) throw std::invalid_argument("unclosed '[' in the Redis URL host");
    out.host = std::string(rest.substr(1, close - 1));
    rest = rest.substr(close + 1);
    if (!rest.empty() && rest.front() == ':') out.port = parse_int(rest.substr(1), "port");
  } else {
    const auto colon = rest.rfind(':');
    out.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) out.port = parse_int(rest.substr(colon + 1), "port");
  }
  if (out.host.empty()) throw std::invalid_argument("the Redis URL has no host");
  if (out.port <= 0 || out.port > 65535) throw std::invalid_argument("the Redis URL's port is out of range");
  return out;
}

long long RedisValue::as_int() const {
  if (type == Type::Integer) return integer;
  if (type == Type::String || type == Type::Status) {
    long long v = 0;
    auto [end, ec] = std::from_chars(str.data(), str.data() + str.size(), v);
    if (ec == std::errc()) return v;
  }
  return 0;
}

const std::string& RedisValue::as_string() const noexcept {
  static const std::string kEmpty;
  return type == Type::String || type == Type::Status ? str : kEmpty;
}

// ---- connection -------------------------------------------------------------

void RedisClient::Connection::fail_io(std::string_view what) {
  broken_ = true;
  throw ServiceUnavailable(
      fmt::format("Redis {}: {}", what, ctx_->errstr[0] != '\0' ? ctx_->errstr : "connection lost"));
}

RedisValue RedisClient::Connection::command(const RedisArgs& args) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lens;
  argv.reserve(args.size());
  lens.reserve(args.size());
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  ReplyPtr reply(
      static_cast<redisReply*>(redisCommandArgv(ctx_, static_cast<int>(args.size()), argv.data(), lens.data())));
  if (!reply) fail_io("command failed");
  return convert(reply.get());
}

std::vector<RedisValue> RedisClient::Connection::pipeline(const std::vector<RedisArgs>& commands) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lens;
  for (const auto& args : commands) {
    argv.clear();
    lens.clear();
    for (const auto& a : args) {
      argv.push_back(a.data());
      lens.push_back(a.size());
    }
    if (redisAppendCommandArgv(ctx_, static_cast<int>(args.size()), argv.data(), lens.data()) != REDIS_OK) {
      fail_io("pipeline failed");
    }
  }
  std::vector<RedisValue> out;
  out.reserve(commands.size());
  for (std::size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(ctx_, &raw) != REDIS_OK || raw == nullptr) fail_io("pipeline failed");
    ReplyPtr reply(static_cast<redisReply*>(raw));
    out.push_back(convert(reply.get()));
  }
  return out;
}

// ---- client -----------------------------------------------------------------

struct RedisClient::Lease {
  RedisClient* client;
  std::unique_ptr<Connection> conn;
  Lease(RedisClient* c, std::unique_ptr<Connection> k) : client(c), conn(std::move(k)) {}
  Lease(Lease&&) = default;
  ~Lease() {
    if (conn) client->give_back(std::move(conn));
  }
  Connection* operator->() const { return conn.get(); }
};

RedisClient::RedisClient(RedisUrl url, Options options) : url_(std::move(url)), options_(options) {}

RedisClient::~RedisClient() {
  std::lock_guard lock(mutex_);
  for (auto& c : idle_) redisFree(c->ctx_);
  idle_.clear();
}

void RedisClient::set_on_connect(OnConnect hook) { on_connect_ = std::move(hook); }

std::size_t RedisClient::add_script(std::string source) {
  std::lock_guard lock(mutex_);
  scripts_.push_back(std::move(source));
  shas_.emplace_back();
  return scripts_.size() - 1;
}

std::optional<std::string> RedisClient::last_error() const {
  std::lock_guard lock(mutex_);
  return last_error_;
}

std::unique_ptr<RedisClient::Connection> RedisClient::connect() {
  const timeval connect_tv = to_timeval(options_.connect_timeout);
  redisContext* ctx = redisConnectWithTimeout(url_.host.c_str(), url_.port, connect_tv);
  if (ctx == nullptr || ctx->err != 0) {
    std::string error = ctx != nullptr ? ctx->errstr : "cannot allocate a Redis context";
    if (ctx != nullptr) redisFree(ctx);
    throw ServiceUnavailable(fmt::format("cannot connect to Redis at {}: {}", url_.describe(), error));
  }
  auto conn = std::unique_ptr<Connection>(new Connection(ctx));
  try {
    const timeval command_tv = to_timeval(options_.command_timeout);
    redisSetTimeout(ctx, command_tv);
    redisEnableKeepAlive(ctx);
    auto check = [&](const RedisValue& v, std::string_view what) {
      if (v.is_error()) throw ServiceUnavailable(fmt::format("Redis refused {}: {}", what, v.str));
    };
    if (url_.password) {
      RedisArgs auth = {"AUTH"};
      if (url_.user) auth.push_back(*url_.user);
      auth.push_back(*url_.password);
      check(conn->command(auth), "AUTH");
    }
    if (url_.db != 0) check(conn->command({"SELECT", std::to_string(url_.db)}), "SELECT");
    load_scripts(*conn);
    if (on_connect_) on_connect_(*conn);
  } catch (const RedisError& e) {
    // e.g. LOADING while Redis reads its data back after a restart.
    redisFree(ctx);
    throw ServiceUnavailable(fmt::format("Redis at {} is not ready: {}", url_.describe(), e.what()));
  } catch (...) {
    redisFree(ctx);
    throw;
  }
  return conn;
}

void RedisClient::load_scripts(Connection& conn) {
  std::vector<std::string> sources;
  {
    std::lock_guard lock(mutex_);
    sources = scripts_;
  }
  for (std::size_t i = 0; i < sources.size(); ++i) {
    auto sha = conn.command({"SCRIPT", "LOAD", sources[i]});
    if (sha.is_error()) throw RedisError(fmt::format("loading a Lua script failed: {}", sha.str));
    std::lock_guard lock(mutex_);
    shas_[i] = sha.str;
  }
}

RedisClient::Lease RedisClient::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(conn));
    }
    if (last_error_ && std::chrono::steady_clock::now() < retry_at_) throw ServiceUnavailable(*last_error_);
  }
  try {
    auto conn = connect();
    std::lock_guard lock(mutex_);
    last_error_.reset();
    return Lease(this, std::move(conn));
  } catch (const ServiceUnavailable& e) {
    std::lock_guard lock(mutex_);
    last_error_ = e.what();
    retry_at_ = std::chrono::steady_clock::now() + options_.retry_after;
    throw;
  }
}

void RedisClient::give_back(std::unique_ptr<Connection> conn) {
  if (!conn->broken_) {
    std::lock_guard lock(mutex_);
    if (idle_.size() < options_.max_idle) {
      idle_.push_back(std::move(conn));
      return;
    }
  } else {
    // A connection that failed mid-command may be anywhere in the protocol;
    // drop every idle one too, since they likely point at the same dead server.
    std::vector<std::unique_ptr<Connection>> stale;
    {
      std::lock_guard lock(mutex_);
      stale.swap(idle_);
    }
    for (auto& c : stale) redisFree(c->ctx_);
  }
  redisFree(conn->ctx_);
}

RedisValue RedisClient::command(const RedisArgs& args) {
  auto lease = acquire();
  auto reply = lease->command(args);
  if (reply.is_error()) throw RedisError(reply.str);
  return reply;
}

std::vector<RedisValue> RedisClient::pipeline(const std::vector<RedisArgs>& commands) {
  if (commands.empty()) return {};
  auto lease = acquire();
  return lease->pipeline(commands);
}

RedisArgs RedisClient::evalsha_args(std::size_t script, const ScriptCall& call) const {
  RedisArgs args;
  args.reserve(3 + call.keys.size() + call.args.size());
  args.emplace_back("EVALSHA");
  {
    std::lock_guard lock(mutex_);
    args.push_back(shas_.at(script));
  }
  args.push_back(std::to_string(call.keys.size()));
  args.insert(args.end(), call.keys.begin(), call.keys.end());
  args.insert(args.end(), call.args.begin(), call.args.end());
  return args;
}

RedisValue RedisClient::eval(std::size_t script, const ScriptCall& call) {
  auto lease = acquire();
  auto reply = lease->command(evalsha_args(script, call));
  if (reply.is_error() && reply.str.starts_with("NOSCRIPT")) {
    load_scripts(*lease.conn);
    reply = lease->command(evalsha_args(script, call));
  }
  if (reply.is_error()) throw RedisError(reply.str);
  return reply;
}

std::vector<RedisValue> RedisClient::pipeline_eval(std::size_t script, const std::vector<ScriptCall>& calls) {
  if (calls.empty()) return {};
  auto lease = acquire();
  std::vector<RedisArgs> commands;
  commands.reserve(calls.size());
  for (const auto& c : calls) commands.push_back(evalsha_args(script, c));
  auto replies = lease->pipeline(commands);
  // The script cache was flushed (SCRIPT FLUSH): the first reply says so,
  // and no call ran. Load again and send the batch once more.
  if (!replies.empty() && replies.front().is_error() && replies.front().str.starts_with("NOSCRIPT")) {
    load_scripts(*lease.conn);
    commands.clear();
    for (const auto& c : calls) commands.push_back(evalsha_args(script, c));
    replies = lease->pipeline(commands);
  }
  return replies;
}

std::unique_ptr<RedisClient> client_from_config(const Config& config, RedisClient::Options options) {
  if (!config.redis_url) return nullptr;
  try {
    return std::make_unique<RedisClient>(parse_redis_url(*config.redis_url), options);
  } catch (const std::invalid_argument& e) {
    throw ConfigError("HERALD_REDIS_URL", e.what());
  }
}

}  // namespace herald::redis
