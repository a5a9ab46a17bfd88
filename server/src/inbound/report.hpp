// The machine-readable parts of mail reports, pure text: the fields of an
// RFC 3464 message/delivery-status body (per-message block, then one block
// per recipient) and of an RFC 5965 message/feedback-report, and the
// Message-ID of a block of returned headers.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace herald::inbound {

// Header-style "Name: value" fields (folded lines joined), in blocks
// separated by empty lines. Names lower-cased; values trimmed.
struct Field {
  std::string name, value;
};
using FieldBlock = std::vector<Field>;
std::vector<FieldBlock> parse_field_blocks(std::string_view text);
std::optional<std::string> field(const FieldBlock& block, std::string_view name);

// One failed (or delayed) recipient of a delivery-status report.
struct DsnRecipient {
  std::string address;  // Final-Recipient (else Original-Recipient), without the "rfc822;" type
  std::string action;   // failed, delayed, delivered, relayed, expanded (lower-cased)
  std::string status;   // "5.1.1"
  std::string diagnostic;
};
// The recipients of a delivery-status body (blocks after the first that
// name a recipient), in order.
std::vector<DsnRecipient> parse_delivery_status(std::string_view text);

// The Message-ID field of a block of headers (returned headers, a returned
// message), unfolded; nullopt when it has none.
std::optional<std::string> header_message_id(std::string_view headers);

}  // namespace herald::inbound
