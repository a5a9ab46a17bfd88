// An incremental multipart/form-data parser (RFC 7578, RFC 2046 §5.1): the
// body goes in piece by piece as it arrives, parts come out as callbacks.
// It holds at most one part's header block and a boundary's length of data,
// so a 1 GiB file field streams through in flat memory. Pure logic, no I/O.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace herald::http {

struct MultipartPart {
  std::string name;                     // Content-Disposition name="…"
  std::optional<std::string> filename;  // filename="…" (file fields)
  std::string content_type;             // the part's Content-Type, "text/plain" when absent
};

struct MultipartCallbacks {
  std::function<void(const MultipartPart&)> on_part;  // a part begins
  std::function<void(std::string_view)> on_data;      // some of its content
  std::function<void()> on_part_end;                  // it is complete
};

class MultipartParser {
 public:
  // `boundary` as given in the Content-Type (without the leading "--").
  MultipartParser(const std::string& boundary, MultipartCallbacks callbacks);

  // Throws BadRequest naming the problem on a malformed body.
  void feed(std::string_view data);
  // The body ended; throws BadRequest when the closing boundary was never seen.
  void finish();
  bool complete() const noexcept { return state_ == State::Epilogue; }

 private:
  enum class State { Preamble, AfterBoundary, Headers, Body, Epilogue };
  void run();
  bool header_line(std::string_view line);

  std::string delimiter_;  // "\r\n--" + boundary
  MultipartCallbacks cb_;
  State state_ = State::Preamble;
  std::string buf_;
  std::size_t header_bytes_ = 0;
  MultipartPart part_;
};

// The boundary parameter of a multipart/form-data Content-Type; nullopt when
// the type is not multipart/form-data or the boundary is missing or invalid.
std::optional<std::string> multipart_boundary(std::string_view content_type);

}  // namespace herald::http
