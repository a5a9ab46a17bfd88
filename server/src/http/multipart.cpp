#include "http/multipart.hpp"

#include "core/errors.hpp"
#include "core/strings.hpp"

namespace herald::http {
namespace {

constexpr std::size_t kMaxHeaderBlock = 16 * 1024;
constexpr std::size_t kMaxBoundary = 70;  // RFC 2046

// The value of `key` in a header's parameter list ("form-data; name=\"file\"").
std::optional<std::string> header_param(std::string_view value, std::string_view key) {
  std::size_t pos = value.find(';');
  while (pos != std::string_view::npos) {
    std::string_view rest = value.substr(pos + 1);
    std::size_t eq = rest.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    std::string_view name = trim(rest.substr(0, eq));
    std::string_view after = rest.substr(eq + 1);
    std::size_t lead = after.find_first_not_of(" \t");
    after = lead == std::string_view::npos ? std::string_view{} : after.substr(lead);
    std::string parsed;
    std::size_t consumed = 0;
    if (!after.empty() && after.front() == '"') {
      std::size_t i = 1;
      for (; i < after.size() && after[i] != '"'; ++i) {
        if (after[i] == '\\' && i + 1 < after.size()) ++i;
        parsed.push_back(after[i]);
      }
      consumed = std::min(i + 1, after.size());
    } else {
      consumed = std::min(after.find(';'), after.size());
      parsed = std::string(trim(after.substr(0, consumed)));
    }
    if (iequals_ascii(name, key)) return parsed;
    std::size_t next = after.find(';', consumed);
    if (next == std::string_view::npos) return std::nullopt;
    pos = static_cast<std::size_t>(after.data() + next - value.data());
  }
  return std::nullopt;
}

}  // namespace

MultipartParser::MultipartParser(const std::string& boundary, MultipartCallbacks callbacks)
    : delimiter_("\r\n--" + boundary), cb_(std::move(callbacks)) {
  // The first boundary may open the body without a preceding line break.
  buf_ = "\r\n";
}

void MultipartParser::feed(std::string_view data) {
  if (state_ == State::Epilogue) return;  // anything after the close is ignored
  buf_.append(data);
  run();
}

void MultipartParser::finish() {
  if (state_ != State::Epilogue)
    throw BadRequest("the multipart body ended before its closing boundary; was the upload cut short?");
}

bool MultipartParser::header_line(std::string_view line) {
  if (line.empty()) return false;  // the blank line ending the block
  auto colon = line.find(':');
  if (colon == std::string_view::npos) throw BadRequest("malformed header line in a multipart part");
  auto name = trim(line.substr(0, colon));
  auto value = trim(line.substr(colon + 1));
  if (iequals_ascii(name, "Content-Disposition")) {
    part_.name = header_param(value, "name").value_or("");
    part_.filename = header_param(value, "filename");
  } else if (iequals_ascii(name, "Content-Type")) {
    part_.content_type = std::string(value);
  }
  return true;
}

void MultipartParser::run() {
  std::size_t pos = 0;  // consumed bytes of buf_
  for (;;) {
    std::string_view rest = std::string_view(buf_).substr(pos);
    if (state_ == State::Preamble || state_ == State::Body) {
      auto hit = rest.find(delimiter_);
      if (hit == std::string_view::npos) {
        // Keep what could be the start of a delimiter split across pieces.
        std::size_t keep = std::min(rest.size(), delimiter_.size() - 1);
        std::size_t emit = rest.size() - keep;
        if (state_ == State::Body && emit > 0 && cb_.on_data) cb_.on_data(rest.substr(0, emit));
        pos += emit;
        break;
      }
      if (state_ == State::Body) {
        if (hit > 0 && cb_.on_data) cb_.on_data(rest.substr(0, hit));
        if (cb_.on_part_end) cb_.on_part_end();
      }
      pos += hit + delimiter_.size();
      state_ = State::AfterBoundary;
    } else if (state_ == State::AfterBoundary) {
      // Optional transport padding, then "--" (the end) or a line break.
      std::size_t i = 0;
      while (i < rest.size() && (rest[i] == ' ' || rest[i] == '\t')) ++i;
      if (rest.size() - i < 2) break;
      if (rest.substr(i, 2) == "--") {
        state_ = State::Epilogue;
        pos = buf_.size();
        break;
      }
      if (rest.substr(i, 2) != "\r\n") throw BadRequest("malformed multipart boundary line");
      pos += i + 2;
      state_ = State::Headers;
      header_bytes_ = 0;
      part_ = MultipartPart{};
      part_.content_type = "text/plain";
    } else if (state_ == State::Headers) {
      auto eol = rest.find("\r\n");
      if (eol == std::string_view::npos) {
        if (header_bytes_ + rest.size() > kMaxHeaderBlock) throw BadRequest("a multipart part header is too long");
        break;
      }
      header_bytes_ += eol + 2;
      if (header_bytes_ > kMaxHeaderBlock) throw BadRequest("a multipart part header is too long");
      bool more = header_line(rest.substr(0, eol));
      pos += eol + 2;
      if (!more) {
        state_ = State::Body;
        if (cb_.on_part) cb_.on_part(part_);
      }
    } else {
      pos = buf_.size();
      break;
    }
  }
  buf_.erase(0, pos);
}

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  auto type = trim(content_type.substr(0, content_type.find(';')));
  if (!iequals_ascii(type, "multipart/form-data")) return std::nullopt;
  auto b = header_param(content_type, "boundary");
  if (!b || b->empty() || b->size() > kMaxBoundary) return std::nullopt;
  for (unsigned char c : *b) {
    if (c < 0x20 || c > 0x7e) return std::nullopt;
  }
  return b;
}

}  // namespace herald::http
