#include "http/server.hpp"

#include <atomic>
#include <list>
#include <mutex>
#include <thread>
#include <vector>

#include "core/errors.hpp"
#include "core/log.hpp"
#include "core/strings.hpp"
#include "http/middleware/request_id.hpp"
#include "http/pipeline.hpp"
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
      : options(std::move(o)), pipeline(p), ioc(options.threads), acceptor(ioc), signals(ioc), grace(ioc) {}

  ServerOptions options;
  Pipeline& pipeline;
  asio::io_context ioc;
  tcp::acceptor acceptor;
  asio::signal_set signals;
  asio::steady_timer grace;
  std::vector<std::thread> threads;
  std::atomic<bool> draining{false};

  std::mutex connections_mutex;
  std::list<std::shared_ptr<Connection>> connections;
  std::atomic<std::size_t> open{0};

  awaitable<void> accept_loop();
  awaitable<void> session(tcp::socket socket);
  void begin_stop();
  void connection_closed();
};

namespace {

Request make_request(const bhttp::request_parser<bhttp::string_body>& parser, const std::string& peer) {
  const auto& msg = parser.get();
  Request req;
  req.method_text = std::string(msg.method_string());
  req.method = parse_method(req.method_text);
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

bool has_unread_body(const bhttp::request_parser<bhttp::string_body>& parser) {
  return !parser.is_done();
}

}  // namespace

awaitable<void> Server::Impl::accept_loop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(ioc), kTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      log::warn("accept failed", {{"error", ec.message()}});
      continue;
    }
    if (draining) {
      beast::error_code ignored;
      socket.close(ignored);
      continue;
    }
    auto executor = socket.get_executor();
    asio::co_spawn(executor, session(std::move(socket)), asio::detached);
  }
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

  beast::flat_buffer buffer(8192);
  for (;;) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(16 * 1024);
    // The pipeline checks Content-Length against the route's own limit once
    // the route is known; the parser enforces that limit on the body itself.
    parser.body_limit(boost::none);
    self->idle = true;
    if (draining) break;
    stream.expires_after(options.idle_timeout);
    auto [read_ec, _] = co_await bhttp::async_read_header(stream, buffer, parser, kTuple);
    self->idle = false;
    auto started = std::chrono::steady_clock::now();
    if (read_ec) {
      bool malformed = read_ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
                       read_ec != bhttp::error::end_of_stream && read_ec != bhttp::error::partial_message;
      if (!malformed) break;
      Request bad;
      bad.remote_ip = peer;
      bad.client_ip = peer;
      bad.method_text = "-";
      bad.request_id = generate_request_id();
      Response resp = pipeline.refuse(BadRequest("malformed HTTP request: " + read_ec.message()));
      pipeline.finish(bad, resp, started);
      std::string wire = serialize_response(resp, false, false);
      stream.expires_after(std::chrono::seconds(5));
      co_await asio::async_write(stream, asio::buffer(wire), kTuple);
      break;
    }

    Request req = make_request(parser, peer);
    Response resp;
    std::optional<Response> early = pipeline.on_headers(req);
    if (early) {
      resp = std::move(*early);
      if (has_unread_body(parser)) resp.close = true;
    } else {
      bool body_ok = true;
      if (!parser.is_done()) {
        parser.body_limit(pipeline.body_limit(req));
        auto expect = req.header("Expect");
        if (expect && iequals_ascii(*expect, "100-continue")) {
          static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
          co_await asio::async_write(stream, asio::buffer(kContinue.data(), kContinue.size()), kTuple);
        }
        stream.expires_after(std::chrono::seconds(300));
        auto [body_ec, __] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
        if (body_ec == bhttp::error::body_limit) {
          resp = pipeline.refuse(PayloadTooLarge("request body exceeds the " +
                                                      std::to_string(pipeline.body_limit(req)) + " byte limit"));
          body_ok = false;
        } else if (body_ec) {
          break;  // the client went away or sent garbage mid-body: nothing to answer
        }
      }
      if (body_ok) {
        req.body = std::move(parser.get().body());
        log::RequestScope scope(req.request_id);
        resp = pipeline.dispatch(req);
      }
    }
    pipeline.finish(req, resp, started);
    bool keep_alive = parser.get().keep_alive() && !resp.close && !draining;
    std::string wire = serialize_response(resp, req.method == Method::Head, keep_alive);
    stream.expires_after(std::chrono::seconds(60));
    auto [write_ec, ___] = co_await asio::async_write(stream, asio::buffer(wire), kTuple);
    if (write_ec || !keep_alive) break;
  }

  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
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
  acceptor.close(ec);
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
  if (ec) throw std::runtime_error("cannot listen on " + endpoint.address().to_string() + ":" +
                                   std::to_string(i.options.port) + ": " + ec.message());
  i.acceptor.listen(asio::socket_base::max_listen_connections);
  std::uint16_t port = i.acceptor.local_endpoint().port();
  asio::co_spawn(i.ioc, i.accept_loop(), asio::detached);
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
