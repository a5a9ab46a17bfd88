// CSV in and out (RFC 4180, as spreadsheets really write it).
//
// CsvParser is incremental: bytes go in piece by piece (a 1 GiB upload in
// 1 MiB chunks) and whole records come out, each with its first line number
// and the byte offset just past it, so an import can checkpoint after any
// record and resume there with a fresh parser. It handles a UTF-8 BOM,
// quoted fields with delimiters, quotes ("") and line breaks inside, CRLF,
// LF and lone CR line ends, and any one-byte delimiter (detect_delimiter
// picks ',', ';', tab or '|' from the header line). Blank lines are skipped.
// Pure logic, no I/O.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace herald::leads {

struct CsvRecord {
  std::span<const std::string_view> fields;  // valid during the callback only
  std::uint64_t line = 0;                    // where the record starts, from 1
  std::uint64_t end_offset = 0;              // byte offset just past its line end
  std::uint64_t next_line = 0;               // line number at end_offset (to resume there)
  std::string_view error;                    // non-empty: the record could not be read
};

class CsvParser {
 public:
  struct Options {
    char delimiter = ',';
    // A longer record is reported as an error and skipped to the next line
    // (an unterminated quote would otherwise swallow the rest of the file).
    std::size_t max_record_bytes = 1 << 20;
    // Where this parser starts (resuming mid-file): offsets and lines continue from here.
    std::uint64_t start_offset = 0;
    std::uint64_t start_line = 1;
  };
  using Callback = std::function<void(const CsvRecord&)>;

  explicit CsvParser(Options options);

  void feed(std::string_view data, const Callback& on_record);
  // End of input: the last record (without a line end) or an unterminated quote.
  void finish(const Callback& on_record);

  std::uint64_t offset() const noexcept { return offset_; }

 private:
  enum class State { FieldStart, Unquoted, Quoted, QuoteInQuoted, AfterCr, SkipLine };
  void process(std::string_view data, const Callback& cb);
  std::size_t scan_limit(std::size_t i, std::size_t n) const noexcept;
  void complete(const Callback& cb, std::uint64_t end_offset);
  void end_field();
  void emit(const Callback& cb, std::uint64_t end_offset);
  void emit_error(const Callback& cb, std::string_view message, std::uint64_t end_offset);
  void reset_record();

  Options opt_;
  State state_ = State::FieldStart;
  bool bom_checked_ = false;
  std::string bom_buf_;
  std::uint64_t offset_ = 0;  // bytes consumed so far
  std::uint64_t line_ = 1;    // current line
  std::uint64_t record_line_ = 1;
  bool record_started_ = false;
  bool field_quoted_ = false;
  std::uint64_t quote_line_ = 0;
  std::string buf_;                // field contents back to back
  std::vector<std::size_t> ends_;  // end of each field in buf_
  std::vector<std::string_view> views_;
  std::string error_;
};

// The delimiter of a file from its first bytes: whichever of , ; tab | occurs
// most often outside quotes on the first line (',' when none does).
char detect_delimiter(std::string_view head);

// One CSV cell for export: quoted when needed, and a leading = + - @ tab or CR
// prefixed with ' so a spreadsheet shows text instead of running a formula.
void append_csv_cell(std::string& out, std::string_view value);

}  // namespace herald::leads
