#include "http/server.hpp"

#include <array>
#include <atomic>
#include <cstdio>
#include <exception>
#include <functional>
#include <list>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/errors.hpp"
#include "core/log.hpp"
#include "core/strings.hpp"
#include "http/framing.hpp"
#include "http/middleware/request_id.hpp"
#include "http/pipeline.hpp"
#include "http/transport/pch.hpp"
#include "http/transport/wire.hpp"

namespace herald::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;
constexpr auto kTuple = asio::as_tuple(use_awaitable);

namespace {

// Touched only on the connection's strand.
struct Connection {
  tcp::socket* socket = nullptr;
  asio::any_io_executor executor;
  bool idle = true;
  bool closed = false;
};

}  // namespace

struct Server::Impl {
  Impl(ServerOptions o, Pipeline& p)
      : options(std::move(o)),
        pipeline(p),
        ioc(options.threads),
        handler_pool(options.handler_threads),
        handler_limit(options.handler_threads + options.handler_queue),
        accept_strand(asio::make_strand(ioc)),
        acceptor(accept_strand),
        signals(ioc),
        grace(ioc) {}

  ServerOptions options;
  Pipeline& pipeline;
  asio::io_context ioc;
  // Threads for Runs::Pool routes. After the io_context, so destroyed
  // (joined) before it: by then the I/O threads have resumed every request
  // that waited on it, since a pending one holds the io_context's work.
  asio::thread_pool handler_pool;
  const std::size_t handler_limit;                              // threads + queue: admitted at once
  std::atomic<std::size_t> handler_load{0};                     // admitted and not yet finished
  asio::strand<asio::io_context::executor_type> accept_strand;  // the acceptor is used only here
  tcp::acceptor acceptor;
  asio::signal_set signals;
  asio::steady_timer grace;
  std::vector<std::thread> threads;
  std::atomic<bool> draining{false};

  std::mutex connections_mutex;
  std::list<std::shared_ptr<Connection>> connections;
  std::atomic<std::size_t> open{0};

  awaitable<void> accept_loop();
  void accept_backlog();
  void spawn_session(tcp::socket socket);
  awaitable<void> session(tcp::socket socket);
  template <typename T>
  awaitable<std::optional<T>> on_pool(bool admit, std::function<T()> fn);
  awaitable<Response> dispatch_on_pool(Request& req);
  struct Streamed;
  awaitable<Streamed> read_into_sink(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                     bhttp::request_parser<bhttp::string_body>& head, Request& req);
  awaitable<bool> write_streamed_body(beast::tcp_stream& stream, Response& resp, const Request& req, bool chunked);
  void begin_stop();
  void connection_closed();
};

namespace {

Request make_request(const bhttp::request_parser<bhttp::string_body>& parser, const std::string& peer) {
  const auto& msg = parser.get();
  Request req;
  req.method_text = std::string(msg.method_string());
  req.method = parse_method(req.method_text);
  req.version = static_cast<int>(msg.version());
  req.target = std::string(msg.target());
  std::string_view target = req.target;
  auto q = target.find('?');
  auto raw_path = target.substr(0, q);
  if (q != std::string_view::npos) req.query = std::string(target.substr(q + 1));
  auto decoded = percent_decode(raw_path);
  req.path = decoded ? std::move(*decoded) : std::string(raw_path);
  req.headers.reserve(8);
  for (const auto& field : msg) req.headers.add(std::string(field.name_string()), std::string(field.value()));
  req.remote_ip = peer;
  return req;
}

bool has_unread_body(const bhttp::request_parser<bhttp::string_body>& parser) { return !parser.is_done(); }

// The parser refused what the client sent (rather than the client going away).
bool malformed(const beast::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
         ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
}

// The answer to a body the parser refused: a bad chunk size (negative, or too
// large for 64 bits), a bad chunk extension, …. What follows cannot be
// framed, so the connection closes after the answer.
Error malformed_body(const beast::error_code& ec) { return BadRequest("malformed HTTP request body: " + ec.message()); }

bool runs_on_pool(const Request& req) { return req.route && req.route->runs == Runs::Pool; }

// A refused request may still be sending its body. Closing with unread data
// resets the connection, and a reset can reach the client before it has read
// the answer; so, as nginx's lingering close does, read and drop what still
// comes for a short while after the answer went out.
constexpr auto kLingerTime = std::chrono::seconds(2);

awaitable<void> discard_until_closed(beast::tcp_stream& stream,
                                     std::chrono::steady_clock::duration linger = kLingerTime) {
  stream.expires_after(linger);
  std::array<char, 16 * 1024> scratch;
  for (;;) {
    auto [ec, _] = co_await stream.async_read_some(asio::buffer(scratch), kTuple);
    if (ec) co_return;
  }
}

awaitable<void> send_continue_if_expected(beast::tcp_stream& stream, const Request& req) {
  auto expect = req.header("Expect");
  if (expect && iequals_ascii(*expect, "100-continue")) {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    co_await asio::async_write(stream, asio::buffer(kContinue.data(), kContinue.size()), kTuple);
  }
}

// Stopping. A connection accepted from the backlog after the stop, or one
// whose next request had begun to arrive, gets this long for its request
// head; an idle keep-alive connection is closed, and what its client sends
// in the moment of closing is read and dropped for kIdleLinger, so the
// client sees the connection close, not a reset.
constexpr auto kDrainRead = std::chrono::seconds(2);
constexpr auto kIdleLinger = std::chrono::milliseconds(500);

// Bytes of a next request have arrived (buffered, or waiting in the socket).
bool request_waiting(beast::tcp_stream& stream, const beast::flat_buffer& buffer) {
  beast::error_code ec;
  return buffer.size() > 0 || stream.socket().available(ec) > 0;
}

constexpr std::size_t kUploadPiece = 64 * 1024;
constexpr std::size_t kGatherWriteAbove = 8 * 1024;
constexpr auto kBodyIdleTimeout = std::chrono::seconds(60);

}  // namespace

// The outcome of a streamed upload: the response to send (none when the
// client went away mid-body) and whether the connection may be kept.
struct Server::Impl::Streamed {
  std::optional<Response> response;
  bool keep_alive = false;
};

// Runs `fn` on the handler threads; the coroutine resumes on its
// connection's strand with the result (or the exception `fn` threw). `admit`:
// a new request, refused with nullopt when the threads are busy and the queue
// is full; otherwise the next step of an admitted request, which always runs.
template <typename T>
awaitable<std::optional<T>> Server::Impl::on_pool(bool admit, std::function<T()> fn) {
  if (handler_load.fetch_add(1) >= handler_limit && admit) {
    handler_load.fetch_sub(1);
    co_return std::nullopt;
  }
  struct Done {
    std::atomic<std::size_t>& load;
    ~Done() { load.fetch_sub(1); }
  } done{handler_load};
  // A coroutine on the pool's executor: it runs `fn` there, and this one is
  // resumed through its own executor (the strand) when it is done.
  T result = co_await asio::co_spawn(
      handler_pool, [&fn]() -> awaitable<T> { co_return fn(); }, use_awaitable);
  co_return std::optional<T>(std::in_place, std::move(result));
}

// The handler of a Runs::Pool route, on a handler thread; 503 when the pool is full.
awaitable<Response> Server::Impl::dispatch_on_pool(Request& req) {
  auto run = [this, &req] {
    log::RequestScope scope(req.request_id);
    return pipeline.dispatch(req);
  };
  auto done = co_await on_pool<Response>(true, run);
  if (!done) co_return pipeline.busy();
  co_return std::move(*done);
}

awaitable<Server::Impl::Streamed> Server::Impl::read_into_sink(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                                               bhttp::request_parser<bhttp::string_body>& head,
                                                               Request& req) {
  Streamed out;
  out.keep_alive = head.get().keep_alive();
  const bool pooled = runs_on_pool(req);
  std::unique_ptr<BodySink> sink;
  {
    std::function<std::optional<Response>()> open = [&] {
      log::RequestScope scope(req.request_id);
      return pipeline.open_sink(req, sink);
    };
    std::optional<Response> refused;
    if (pooled) {
      auto opened = co_await on_pool(true, open);
      refused = opened ? std::move(*opened) : std::optional<Response>(pipeline.busy());
    } else {
      refused = open();
    }
    if (refused) {
      out.response = std::move(*refused);
      if (has_unread_body(head)) out.response->close = true;
      co_return out;
    }
  }
  if (!head.is_done()) {
    co_await send_continue_if_expected(stream, req);
    // Same header state, but the body now goes piece by piece into a fixed buffer.
    bhttp::request_parser<bhttp::buffer_body> parser(std::move(head));
    parser.body_limit(pipeline.body_limit(req));
    std::vector<char> piece(kUploadPiece);
    while (!parser.is_done()) {
      parser.get().body().data = piece.data();
      parser.get().body().size = piece.size();
      stream.expires_after(kBodyIdleTimeout);
      auto [ec, _] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
      if (ec == bhttp::error::need_buffer) ec = {};
      if (ec == bhttp::error::body_limit) {
        out.response = pipeline.refuse(
            PayloadTooLarge("request body exceeds the " + std::to_string(pipeline.body_limit(req)) + " byte limit"));
        out.response->close = true;  // the rest of the body is never read
        co_return out;               // the sink is dropped unfinished
      }
      if (malformed(ec)) {
        out.response = pipeline.refuse(malformed_body(ec));
        co_return out;
      }
      if (ec) co_return out;  // the client went away mid-body: nothing to answer
      std::size_t got = piece.size() - parser.get().body().size;
      if (got == 0) continue;
      std::function<std::optional<Response>()> feed = [&] {
        log::RequestScope scope(req.request_id);
        return pipeline.feed(req, *sink, std::string_view(piece.data(), got));
      };
      // (GCC 12 miscompiles co_await inside a conditional expression: if/else.)
      std::optional<Response> failed;
      if (pooled) {
        auto fed = co_await on_pool(false, feed);
        failed = std::move(*fed);
      } else {
        failed = feed();
      }
      if (failed) {
        out.response = std::move(*failed);
        if (!parser.is_done()) out.response->close = true;
        co_return out;
      }
    }
    out.keep_alive = parser.get().keep_alive();
  }
  std::function<Response()> finish = [&] {
    log::RequestScope scope(req.request_id);
    return pipeline.finish_sink(req, *sink);
  };
  if (pooled) {
    auto finished = co_await on_pool(false, finish);
    out.response = std::move(*finished);
  } else {
    out.response = finish();
  }
  co_return out;
}

awaitable<bool> Server::Impl::write_streamed_body(beast::tcp_stream& stream, Response& resp, const Request& req,
                                                  bool chunked) {
  std::string piece;
  char size_line[24];
  static constexpr std::string_view kCrlf = "\r\n";
  for (;;) {
    piece.clear();
    bool more = false;
    try {
      std::function<bool()> produce = [&] {
        log::RequestScope scope(req.request_id);
        return resp.stream(piece);
      };
      // A producer that reads the database runs where its route's handler did.
      if (runs_on_pool(req)) {
        auto produced = co_await on_pool(false, produce);
        more = *produced;
      } else {
        more = produce();
      }
    } catch (const std::exception& e) {
      // The head is out: all that is left is to cut the body short, which the
      // client sees as an incomplete response.
      log::RequestScope scope(req.request_id);
      log::error("streamed response failed", {{"error", e.what()}, {"path", req.path}});
      co_return false;
    }
    if (!piece.empty()) {
      stream.expires_after(std::chrono::seconds(60));
      if (chunked) {
        int n = std::snprintf(size_line, sizeof size_line, "%zx\r\n", piece.size());
        std::array<asio::const_buffer, 3> frame = {asio::buffer(size_line, static_cast<std::size_t>(n)),
                                                   asio::buffer(piece), asio::buffer(kCrlf.data(), kCrlf.size())};
        auto [ec, _] = co_await asio::async_write(stream, frame, kTuple);
        if (ec) co_return false;
      } else {
        auto [ec, _] = co_await asio::async_write(stream, asio::buffer(piece), kTuple);
        if (ec) co_return false;
      }
    }
    if (!more) break;
  }
  if (chunked) {
    static constexpr std::string_view kLast = "0\r\n\r\n";
    auto [ec, _] = co_await asio::async_write(stream, asio::buffer(kLast.data(), kLast.size()), kTuple);
    if (ec) co_return false;
  }
  co_return true;
}

awaitable<void> Server::Impl::accept_loop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(ioc), kTuple);
    // Also while stopping: a client that connected before the stop may have
    // sent its whole request already, and gets its answer.
    if (!ec) spawn_session(std::move(socket));
    if (draining) {
      accept_backlog();
      co_return;
    }
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      log::warn("accept failed", {{"error", ec.message()}});
    }
  }
}

// Closing a listener resets every connection still waiting in its backlog,
// though their clients connected (and may have sent a request) before the
// stop. So the stop takes them all first, and serves them like any other.
void Server::Impl::accept_backlog() {
  beast::error_code ec;
  acceptor.non_blocking(true, ec);
  while (!ec) {
    tcp::socket socket(asio::make_strand(ioc));
    acceptor.accept(socket, ec);  // would_block once the backlog is empty
    if (!ec) spawn_session(std::move(socket));
  }
  acceptor.close(ec);
}

void Server::Impl::spawn_session(tcp::socket socket) {
  auto executor = socket.get_executor();
  asio::co_spawn(executor, session(std::move(socket)), asio::detached);
}

awaitable<void> Server::Impl::session(tcp::socket socket) {
  open.fetch_add(1);
  beast::error_code ec;
  socket.set_option(tcp::no_delay(true), ec);
  std::string peer;
  if (auto ep = socket.remote_endpoint(ec); !ec) peer = ep.address().to_string();

  beast::tcp_stream stream(std::move(socket));
  auto self = std::make_shared<Connection>(Connection{&stream.socket(), stream.get_executor()});
  std::list<std::shared_ptr<Connection>>::iterator entry;
  {
    std::lock_guard lock(connections_mutex);
    entry = connections.insert(connections.end(), self);
  }

  // Room for a whole head at its limit, so an oversized one is answered 414/431.
  beast::flat_buffer buffer(2 * kMaxHeaderBytes);
  bool linger = false;
  std::chrono::steady_clock::duration linger_time = kLingerTime;
  for (bool first = true;; first = false) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(kMaxHeaderBytes);
    // The pipeline checks Content-Length against the route's own limit once
    // the route is known; the parser enforces that limit on the body itself.
    parser.body_limit(boost::none);
    self->idle = true;
    // Stopping: a keep-alive connection with no next request closes; one
    // whose client is sending gets its answer (with Connection: close).
    if (draining && !first && !request_waiting(stream, buffer)) {
      linger = true;
      linger_time = kIdleLinger;
      break;
    }
    stream.expires_after(draining ? kDrainRead : options.idle_timeout);
    auto [read_ec, _] = co_await bhttp::async_read_header(stream, buffer, parser, kTuple);
    if (read_ec == asio::error::operation_aborted && draining) {
      // The stop cancelled this idle read. A request that has begun to
      // arrive (or the first of a connection just accepted) is still read.
      if (!first && !parser.got_some() && !request_waiting(stream, buffer)) {
        linger = true;
        linger_time = kIdleLinger;
        break;
      }
      stream.expires_after(kDrainRead);
      auto [again_ec, again_bytes] = co_await bhttp::async_read_header(stream, buffer, parser, kTuple);
      read_ec = again_ec;
    }
    self->idle = false;
    auto started = std::chrono::steady_clock::now();
    if (read_ec) {
      if (!malformed(read_ec)) break;
      Request bad;
      bad.remote_ip = peer;
      bad.client_ip = peer;
      bad.method_text = "-";
      bad.request_id = generate_request_id();
      const bool oversized = read_ec == bhttp::error::header_limit || read_ec == bhttp::error::buffer_overflow;
      std::optional<std::size_t> request_line;  // known once the parser got past it
      if (!parser.get().target().empty())
        request_line = request_line_length(parser.get().method_string(), parser.get().target());
      Response resp = pipeline.refuse(oversized ? oversized_head(request_line)
                                                : BadRequest("malformed HTTP request: " + read_ec.message()));
      pipeline.finish(bad, resp, started);
      std::string wire = serialize_response(resp, false, false);
      stream.expires_after(std::chrono::seconds(5));
      co_await asio::async_write(stream, asio::buffer(wire), kTuple);
      linger = true;  // the client may still be sending its head
      break;
    }

    Request req = make_request(parser, peer);
    const bool http11 = parser.get().version() >= 11;
    bool client_keep_alive = parser.get().keep_alive();
    Response resp;
    std::optional<Response> early = pipeline.on_headers(req);
    if (early) {
      resp = std::move(*early);
      if (has_unread_body(parser)) resp.close = true;
    } else if (req.route && req.route->body_sink) {
      Streamed upload = co_await read_into_sink(stream, buffer, parser, req);
      if (!upload.response) break;  // the client went away mid-body
      resp = std::move(*upload.response);
      client_keep_alive = upload.keep_alive;
    } else {
      bool body_ok = true;
      if (!parser.is_done()) {
        parser.body_limit(pipeline.body_limit(req));
        co_await send_continue_if_expected(stream, req);
        stream.expires_after(std::chrono::seconds(300));
        auto [body_ec, body_bytes] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
        if (body_ec == bhttp::error::body_limit) {
          resp = pipeline.refuse(
              PayloadTooLarge("request body exceeds the " + std::to_string(pipeline.body_limit(req)) + " byte limit"));
          resp.close = true;  // the rest of the body is never read
          body_ok = false;
        } else if (malformed(body_ec)) {
          resp = pipeline.refuse(malformed_body(body_ec));
          body_ok = false;
        } else if (body_ec) {
          break;  // the client went away mid-body: nothing to answer
        }
      }
      if (body_ok) {
        req.body = std::move(parser.get().body());
        if (runs_on_pool(req)) {
          resp = co_await dispatch_on_pool(req);
        } else {
          // Inline: on this I/O thread, with no coroutine frame of its own.
          log::RequestScope scope(req.request_id);
          resp = pipeline.dispatch(req);
        }
      }
      client_keep_alive = parser.get().keep_alive();
    }
    pipeline.finish(req, resp, started);
    const bool head_only = req.method == Method::Head;
    // HTTP/1.0 has no chunked encoding: a streamed body ends with the connection.
    const bool streamed = static_cast<bool>(resp.stream) && !head_only;
    bool keep_alive = client_keep_alive && !resp.close && !draining && (http11 || !streamed);
    stream.expires_after(std::chrono::seconds(60));
    if (!streamed && !head_only && resp.body.size() > kGatherWriteAbove) {
      // A large body goes out from where it is, after its head.
      std::string head = serialize_head(resp, head_only, keep_alive, http11);
      std::array<asio::const_buffer, 2> parts = {asio::buffer(head), asio::buffer(resp.body)};
      auto [write_ec, written] = co_await asio::async_write(stream, parts, kTuple);
      if (write_ec) break;
    } else {
      std::string wire = serialize_response(resp, head_only, keep_alive, http11);
      auto [write_ec, written] = co_await asio::async_write(stream, asio::buffer(wire), kTuple);
      if (write_ec) break;
    }
    if (streamed && !co_await write_streamed_body(stream, resp, req, http11)) break;
    if (!keep_alive) {
      linger = resp.close;
      break;
    }
  }

  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (linger) co_await discard_until_closed(stream, linger_time);
  self->closed = true;
  {
    std::lock_guard lock(connections_mutex);
    connections.erase(entry);
  }
  connection_closed();
}

void Server::Impl::connection_closed() {
  if (open.fetch_sub(1) == 1 && draining) {
    asio::post(ioc, [this] { grace.cancel(); });
  }
}

void Server::Impl::begin_stop() {
  if (draining.exchange(true)) return;
  log::info("shutting down: finishing in-flight requests");
  beast::error_code ec;
  // The accept loop takes what waits in the backlog, then closes the listener.
  asio::post(accept_strand, [this] {
    beast::error_code ignored;
    acceptor.cancel(ignored);
  });
  signals.cancel(ec);
  std::lock_guard lock(connections_mutex);
  for (auto& c : connections) {
    asio::post(c->executor, [conn = c] {
      if (conn->idle && !conn->closed) {
        beast::error_code ignored;
        conn->socket->cancel(ignored);
      }
    });
  }
  if (open.load() > 0) {
    grace.expires_after(options.shutdown_grace);
    grace.async_wait([this](beast::error_code wait_ec) {
      if (!wait_ec) {
        log::warn("shutdown grace period over: closing remaining connections");
        ioc.stop();
      }
    });
  }
}

Server::Server(ServerOptions options, Pipeline& pipeline)
    : impl_(std::make_unique<Impl>(std::move(options), pipeline)) {}

Server::~Server() {
  if (!impl_->threads.empty()) {
    stop();
    wait();
  }
}

std::uint16_t Server::start() {
  auto& i = *impl_;
  beast::error_code ec;
  auto address = asio::ip::make_address(i.options.host == "localhost" ? "127.0.0.1" : i.options.host, ec);
  if (ec) throw ConfigError("HERALD_LISTEN", "'" + i.options.host + "' is not an IP address");
  tcp::endpoint endpoint(address, i.options.port);
  i.acceptor.open(endpoint.protocol());
  i.acceptor.set_option(asio::socket_base::reuse_address(true));
  i.acceptor.bind(endpoint, ec);
  if (ec)
    throw std::runtime_error("cannot listen on " + endpoint.address().to_string() + ":" +
                             std::to_string(i.options.port) + ": " + ec.message());
  i.acceptor.listen(asio::socket_base::max_listen_connections);
  std::uint16_t port = i.acceptor.local_endpoint().port();
  asio::co_spawn(i.accept_strand, i.accept_loop(), asio::detached);
  for (int t = 0; t < i.options.threads; ++t) {
    i.threads.emplace_back([&i] {
      for (;;) {
        try {
          i.ioc.run();
          return;
        } catch (const std::exception& e) {
          log::error("I/O thread error", {{"error", e.what()}});
        }
      }
    });
  }
  return port;
}

void Server::stop_on_signals() {
  auto& i = *impl_;
  i.signals.add(SIGINT);
  i.signals.add(SIGTERM);
  i.signals.async_wait([&i](beast::error_code ec, int) {
    if (!ec) i.begin_stop();
  });
}

void Server::stop() {
  auto& i = *impl_;
  asio::post(i.ioc, [&i] { i.begin_stop(); });
}

void Server::wait() {
  for (auto& t : impl_->threads) {
    if (t.joinable()) t.join();
  }
  impl_->threads.clear();
}

std::size_t Server::open_connections() const noexcept { return impl_->open.load(); }

}  // namespace herald::http
