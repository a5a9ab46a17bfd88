#include "leads/csv.hpp"

#include <array>

namespace herald::leads {
namespace {
constexpr std::string_view kBom = "\xEF\xBB\xBF";
}

CsvParser::CsvParser(Options options) : opt_(options), offset_(options.start_offset), line_(options.start_line) {
  bom_checked_ = opt_.start_offset != 0;  // a BOM can only open the file
  ends_.reserve(32);
  views_.reserve(32);
}

void CsvParser::reset_record() {
  buf_.clear();
  ends_.clear();
  error_.clear();
  record_started_ = false;
  field_quoted_ = false;
}

void CsvParser::end_field() { ends_.push_back(buf_.size()); }

void CsvParser::emit(const Callback& cb, std::uint64_t end_offset) {
  views_.clear();
  std::size_t start = 0;
  for (std::size_t end : ends_) {
    views_.emplace_back(buf_.data() + start, end - start);
    start = end;
  }
  CsvRecord r;
  r.fields = views_;
  r.line = record_line_;
  r.end_offset = end_offset;
  r.next_line = line_;
  cb(r);
}

void CsvParser::emit_error(const Callback& cb, std::string_view message, std::uint64_t end_offset) {
  CsvRecord r;
  r.line = record_line_;
  r.end_offset = end_offset;
  r.next_line = line_;
  r.error = message;
  cb(r);
}

// A record ended just before `end_offset`.
void CsvParser::complete(const Callback& cb, std::uint64_t end_offset) {
  ++line_;
  if (!error_.empty()) {
    emit_error(cb, error_, end_offset);
  } else if (!(ends_.size() == 1 && ends_[0] == 0 && !field_quoted_)) {  // blank lines are skipped
    emit(cb, end_offset);
  }
  reset_record();
  state_ = State::FieldStart;
}

void CsvParser::feed(std::string_view data, const Callback& cb) {
  if (!bom_checked_) {
    std::size_t take = std::min(kBom.size() - bom_buf_.size(), data.size());
    bom_buf_.append(data.substr(0, take));
    data.remove_prefix(take);
    if (bom_buf_.size() < kBom.size()) return;
    bom_checked_ = true;
    std::string head = std::move(bom_buf_);
    bom_buf_.clear();
    if (head == kBom) {
      offset_ += kBom.size();
    } else {
      process(head, cb);
    }
  }
  process(data, cb);
}

// Where a scan that starts at i may go: to the end of the piece, but no
// further than the byte that takes the record past max_record_bytes. So the
// limit is noticed at the same byte however the input was split into pieces.
std::size_t CsvParser::scan_limit(std::size_t i, std::size_t n) const noexcept {
  if (buf_.size() > opt_.max_record_bytes) return n;
  return i + std::min(n - i, opt_.max_record_bytes + 1 - buf_.size());
}

void CsvParser::process(std::string_view data, const Callback& cb) {
  const char delim = opt_.delimiter;
  const std::uint64_t base = offset_;
  const std::size_t n = data.size();
  std::size_t i = 0;
  while (i < n) {
    switch (state_) {
      case State::FieldStart:
        if (!record_started_) {
          record_started_ = true;
          record_line_ = line_;
        }
        if (data[i] == '"') {
          field_quoted_ = true;
          quote_line_ = line_;
          state_ = State::Quoted;
          ++i;
          break;
        }
        state_ = State::Unquoted;
        [[fallthrough]];
      case State::Unquoted: {
        const std::size_t stop = scan_limit(i, n);
        std::size_t j = i;
        while (j < stop && data[j] != delim && data[j] != '\n' && data[j] != '\r') ++j;
        buf_.append(data.data() + i, j - i);
        i = j;
        if (i == stop) break;  // the end of the piece, or the record is over the limit
        char c = data[i++];
        end_field();
        if (c == delim) {
          state_ = State::FieldStart;
        } else if (c == '\n') {
          complete(cb, base + i);
        } else {
          state_ = State::AfterCr;
        }
        break;
      }
      case State::Quoted: {
        const std::size_t stop = scan_limit(i, n);
        std::size_t j = i;
        while (j < stop && data[j] != '"') {
          if (data[j] == '\n') ++line_;
          ++j;
        }
        buf_.append(data.data() + i, j - i);
        i = j;
        if (i < stop) {
          ++i;
          state_ = State::QuoteInQuoted;
        }
        break;
      }
      case State::QuoteInQuoted: {
        char c = data[i];
        if (c == '"') {  // "" is one quote
          buf_.push_back('"');
          state_ = State::Quoted;
          ++i;
        } else if (c == delim) {
          end_field();
          state_ = State::FieldStart;
          ++i;
        } else if (c == '\n') {
          ++i;
          end_field();
          complete(cb, base + i);
        } else if (c == '\r') {
          ++i;
          end_field();
          state_ = State::AfterCr;
        } else {
          state_ = State::Unquoted;  // text after the closing quote is kept as it is
        }
        break;
      }
      case State::AfterCr:
        if (data[i] == '\n') ++i;  // CRLF; a lone CR ends the line by itself
        complete(cb, base + i);
        break;
      case State::SkipLine: {
        while (i < n && data[i] != '\n' && data[i] != '\r') ++i;
        if (i == n) break;
        if (data[i++] == '\n') {
          complete(cb, base + i);
        } else {
          state_ = State::AfterCr;
        }
        break;
      }
    }
    if (buf_.size() > opt_.max_record_bytes && state_ != State::SkipLine && error_.empty()) {
      error_ = "the record is longer than " + std::to_string(opt_.max_record_bytes >> 10) +
               " KiB (is a quote left open?); skipped to the next line";
      buf_.clear();
      ends_.clear();
      if (state_ == State::AfterCr) {
        continue;
      }
      state_ = State::SkipLine;
    }
  }
  offset_ = base + n;
}

void CsvParser::finish(const Callback& cb) {
  if (!bom_checked_) {
    bom_checked_ = true;
    std::string head = std::move(bom_buf_);
    bom_buf_.clear();
    process(head, cb);
  }
  switch (state_) {
    case State::FieldStart:
      if (!record_started_) return;
      end_field();
      break;
    case State::Unquoted:
    case State::QuoteInQuoted:
      end_field();
      break;
    case State::Quoted:
      error_ = "a quoted field opened on line " + std::to_string(quote_line_) + " is never closed";
      break;
    case State::AfterCr:
    case State::SkipLine:
      break;
  }
  complete(cb, offset_);
}

char detect_delimiter(std::string_view head) {
  constexpr std::array<char, 4> kCandidates = {',', ';', '\t', '|'};
  std::array<std::size_t, 4> counts{};
  bool quoted = false;
  std::size_t start = head.starts_with(kBom) ? kBom.size() : 0;
  for (std::size_t i = start; i < head.size(); ++i) {
    char c = head[i];
    if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && (c == '\n' || c == '\r')) {
      break;
    } else if (!quoted) {
      for (std::size_t k = 0; k < kCandidates.size(); ++k) counts[k] += c == kCandidates[k];
    }
  }
  std::size_t best = 0;
  for (std::size_t k = 1; k < kCandidates.size(); ++k) {
    if (counts[k] > counts[best]) best = k;
  }
  return kCandidates[best];
}

void append_csv_cell(std::string& out, std::string_view value) {
  bool formula = !value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@' ||
                                    value[0] == '\t' || value[0] == '\r');
  bool quote = value.find_first_of(",\"\r\n;") != std::string_view::npos;
  if (quote) out.push_back('"');
  if (formula) out.push_back('\'');
  if (quote) {
    for (char c : value) {
      if (c == '"') out.push_back('"');
      out.push_back(c);
    }
    out.push_back('"');
  } else {
    out.append(value);
  }
}

}  // namespace herald::leads
