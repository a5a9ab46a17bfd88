// The encodings a message is written in: quoted-printable and base64 bodies
// (RFC 2045), encoded words for non-ASCII header text (RFC 2047), addresses
// quoted as RFC 5322 requires, header folding and the Date format. Pure.
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>

namespace herald::mail {

class MimeError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Line ends as CRLF whatever they were (CRLF, LF or CR).
std::string normalize_crlf(std::string_view text);

// Encoded bodies end with a line break only where the text does: the CRLF
// that a MIME boundary opens with belongs to the boundary (RFC 2046 §5.1.1),
// so the message writer puts one between a part and its boundary.

// Quoted-printable with CRLF hard line breaks (the input's line breaks, any
// style) and soft breaks keeping every line within 76 characters.
std::string encode_quoted_printable(std::string_view text);
// Base64 in lines of 76 characters separated by CRLF.
std::string encode_base64_lines(std::string_view data);

enum class TransferEncoding { SevenBit, QuotedPrintable, Base64 };
std::string_view to_string(TransferEncoding e);
// 7bit for short-lined ASCII, quoted-printable for mostly-ASCII text, base64
// for text that is mostly not ASCII (where it is shorter).
TransferEncoding choose_transfer_encoding(std::string_view text);
// The body in that encoding, with CRLF line ends.
std::string encode_body(std::string_view text, TransferEncoding encoding);

// Unstructured header text (Subject): as it is when it is printable ASCII,
// otherwise RFC 2047 encoded words ("=?UTF-8?B?…?="), each ≤ 75 characters,
// split between characters, never inside one. Control characters and line
// breaks become spaces.
std::string encode_header_text(std::string_view text);

// addr-spec checked and quoted as needed ("john doe"@example.com). Throws
// MimeError for anything that is not an ASCII address (SMTPUTF8 is not used).
std::string format_addr_spec(std::string_view email);
// "Display Name <addr>": the name as atoms, a quoted string, or encoded words.
std::string format_address(std::string_view name, std::string_view email);

// "Name: value" folded at spaces (and after commas) into lines of ≤ 78
// characters where possible, each continuation line starting with a space;
// ends with CRLF. Throws MimeError if a word leaves a line above 998.
std::string fold_header(std::string_view name, std::string_view value);

// RFC 5322 date in UTC: "Tue, 01 Dec 2026 10:00:00 +0000".
std::string format_date(std::chrono::system_clock::time_point t);

}  // namespace herald::mail
