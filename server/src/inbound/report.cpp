#include "inbound/report.hpp"

#include "core/strings.hpp"

namespace herald::inbound {
namespace {

std::string_view next_line(std::string_view& text) {
  const auto nl = text.find('\n');
  auto line = text.substr(0, nl);
  text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// "rfc822; user@example.com" → "user@example.com".
std::string without_type(std::string_view v) {
  if (const auto semi = v.find(';'); semi != std::string_view::npos) v = v.substr(semi + 1);
  v = trim(v);
  if (v.size() >= 2 && v.front() == '<' && v.back() == '>') v = v.substr(1, v.size() - 2);
  return std::string(v);
}

}  // namespace

std::vector<FieldBlock> parse_field_blocks(std::string_view text) {
  std::vector<FieldBlock> blocks;
  FieldBlock current;
  while (!text.empty()) {
    const auto line = next_line(text);
    if (trim(line).empty()) {
      if (!current.empty()) blocks.push_back(std::move(current));
      current.clear();
      continue;
    }
    if ((line.front() == ' ' || line.front() == '\t') && !current.empty()) {
      current.back().value += ' ';
      current.back().value += trim(line);
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;  // not a field: skipped
    current.push_back({to_lower_ascii(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1)))});
  }
  if (!current.empty()) blocks.push_back(std::move(current));
  return blocks;
}

std::optional<std::string> field(const FieldBlock& block, std::string_view name) {
  for (const auto& f : block)
    if (f.name == name) return f.value;
  return std::nullopt;
}

std::vector<DsnRecipient> parse_delivery_status(std::string_view text) {
  std::vector<DsnRecipient> out;
  for (const auto& block : parse_field_blocks(text)) {
    auto address = field(block, "final-recipient");
    if (!address) address = field(block, "original-recipient");
    if (!address) continue;  // the per-message block (Reporting-MTA, Arrival-Date)
    DsnRecipient r;
    r.address = without_type(*address);
    r.action = to_lower_ascii(field(block, "action").value_or(""));
    const auto status = field(block, "status").value_or("");
    // "5.1.1", sometimes followed by a comment: "5.1.1 (bad destination mailbox)".
    r.status = std::string(trim(status.substr(0, status.find_first_of(" \t("))));
    r.diagnostic = field(block, "diagnostic-code").value_or("");
    out.push_back(std::move(r));
  }
  return out;
}

std::optional<std::string> header_message_id(std::string_view headers) {
  for (const auto& block : parse_field_blocks(headers)) {
    if (auto id = field(block, "message-id"); id && !id->empty()) return id;
    break;  // only the first block is headers
  }
  return std::nullopt;
}

}  // namespace herald::inbound
