// A small blocking Redis client over hiredis: a pool of connections, each
// used by one thread at a time, with connect and command timeouts. A broken
// connection is dropped and the next call dials again, so the client
// reconnects by itself when Redis comes back; while Redis is down, calls fail
// fast with ServiceUnavailable instead of waiting on every request.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.hpp"

struct redisContext;

namespace herald::redis {

// redis://[[user]:password@]host[:port][/db]
struct RedisUrl {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::optional<std::string> user;
  std::optional<std::string> password;
  int db = 0;
  // host:port/db, without credentials.
  std::string describe() const;
};

// Pure; throws std::invalid_argument naming the problem (never the password).
RedisUrl parse_redis_url(std::string_view url);

// One reply, owned.
struct RedisValue {
  enum class Type { Nil, Integer, String, Status, Error, Array };
  Type type = Type::Nil;
  long long integer = 0;
  std::string str;  // String, Status and Error
  std::vector<RedisValue> elements;

  bool is_nil() const noexcept { return type == Type::Nil; }
  bool is_error() const noexcept { return type == Type::Error; }
  bool is_array() const noexcept { return type == Type::Array; }
  // Integer, or a String holding a number; 0 otherwise.
  long long as_int() const;
  // The text of a String or Status; empty otherwise.
  const std::string& as_string() const noexcept;
};

// Redis answered with an error (WRONGTYPE, NOSCRIPT, a script error, …).
class RedisError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

using RedisArgs = std::vector<std::string>;

// One call of a registered Lua script.
struct ScriptCall {
  std::vector<std::string> keys;
  std::vector<std::string> args;
};

class RedisClient {
 public:
  struct Options {
    std::chrono::milliseconds connect_timeout{1000};
    std::chrono::milliseconds command_timeout{5000};
    std::size_t max_idle = 16;
    // After a failed connect, calls fail at once for this long before dialling again.
    std::chrono::milliseconds retry_after{200};
  };

  class Connection;
  // Runs on every new connection after AUTH/SELECT (load scripts, create groups).
  using OnConnect = std::function<void(Connection&)>;

  RedisClient(RedisUrl url, Options options);
  RedisClient(RedisUrl url) : RedisClient(std::move(url), Options{}) {}
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  void set_on_connect(OnConnect hook);

  // Registers a Lua script; it is loaded on every connection. Returns its handle.
  std::size_t add_script(std::string source);

  // One command. Throws ServiceUnavailable when Redis cannot be reached,
  // RedisError when it answers with an error.
  RedisValue command(const RedisArgs& args);
  // Several commands in one round trip; error replies are returned, not thrown.
  std::vector<RedisValue> pipeline(const std::vector<RedisArgs>& commands);
  // EVALSHA of a registered script (re-loaded transparently after SCRIPT FLUSH).
  // Throws RedisError when the script fails.
  RedisValue eval(std::size_t script, const ScriptCall& call);
  // Many calls of one script in one round trip; error replies are returned.
  std::vector<RedisValue> pipeline_eval(std::size_t script, const std::vector<ScriptCall>& calls);

  // The last connection error, if the last attempt to connect failed.
  std::optional<std::string> last_error() const;
  const RedisUrl& url() const noexcept { return url_; }

  // A connection leased for a sequence of commands; returned on destruction.
  class Connection {
   public:
    RedisValue command(const RedisArgs& args);
    std::vector<RedisValue> pipeline(const std::vector<RedisArgs>& commands);

   private:
    friend class RedisClient;
    explicit Connection(redisContext* ctx) : ctx_(ctx) {}
    [[noreturn]] void fail_io(std::string_view what);
    redisContext* ctx_;
    bool broken_ = false;
  };

 private:
  struct Lease;
  Lease acquire();
  std::unique_ptr<Connection> connect();
  void give_back(std::unique_ptr<Connection> conn);
  void load_scripts(Connection& conn);
  RedisArgs evalsha_args(std::size_t script, const ScriptCall& call) const;

  RedisUrl url_;
  Options options_;
  OnConnect on_connect_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::vector<std::string> scripts_;
  std::vector<std::string> shas_;
  std::optional<std::string> last_error_;
  std::chrono::steady_clock::time_point retry_at_{};
};

// The client for HERALD_REDIS_URL, or null when it is unset. Does not
// connect. Throws ConfigError naming the variable for a malformed URL.
std::unique_ptr<RedisClient> client_from_config(const Config& config,
                                                RedisClient::Options options = RedisClient::Options{});

}  // namespace herald::redis
