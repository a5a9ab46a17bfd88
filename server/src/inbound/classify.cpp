#include "inbound/classify.hpp"

#include <gmime/gmime.h>

#include <array>
#include <memory>
#include <mutex>

#include "core/crypto.hpp"
#include "core/strings.hpp"
#include "inbound/report.hpp"

namespace herald::inbound {
namespace {

constexpr std::size_t kMaxMessage = 32u << 20;  // larger is no report or reply worth reading
constexpr int kMaxDepth = 6;

struct Unref {
  void operator()(gpointer p) const noexcept {
    if (p) g_object_unref(p);
  }
};
template <class T>
using Ref = std::unique_ptr<T, Unref>;

void init_gmime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

std::string str(const char* s) { return s ? std::string(s) : std::string(); }

std::string header(GMimeObject* o, const char* name) { return str(g_mime_object_get_header(o, name)); }

bool is_type(GMimeObject* o, const char* type, const char* subtype) {
  auto* ct = g_mime_object_get_content_type(o);
  return ct && g_mime_content_type_is_type(ct, type, subtype);
}

// A leaf part's decoded bytes; an attached message as text.
std::string part_text(GMimeObject* o) {
  if (GMIME_IS_MESSAGE_PART(o)) {
    auto* m = g_mime_message_part_get_message(GMIME_MESSAGE_PART(o));
    if (!m) return {};
    char* s = g_mime_object_to_string(GMIME_OBJECT(m), nullptr);
    std::string out = str(s);
    g_free(s);
    return out;
  }
  if (!GMIME_IS_PART(o)) return {};
  auto* content = g_mime_part_get_content(GMIME_PART(o));
  if (!content) return {};
  Ref<GMimeStream> mem(g_mime_stream_mem_new());
  if (g_mime_data_wrapper_write_to_stream(content, mem.get()) < 0) return {};
  auto* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.get()));
  return bytes ? std::string(reinterpret_cast<const char*>(bytes->data), bytes->len) : std::string();
}

// The Message-ID of returned headers or a returned message.
std::string returned_message_id(GMimeObject* o) {
  if (GMIME_IS_MESSAGE_PART(o)) {
    auto* m = g_mime_message_part_get_message(GMIME_MESSAGE_PART(o));
    if (m && g_mime_message_get_message_id(m)) return mail::normalize_message_id(g_mime_message_get_message_id(m));
  }
  auto id = header_message_id(part_text(o));
  return id ? mail::normalize_message_id(*id) : std::string();
}

GMimeObject* find_report(GMimeObject* o, int depth) {
  if (!o || depth > kMaxDepth) return nullptr;
  if (GMIME_IS_MULTIPART(o)) {
    if (is_type(o, "multipart", "report")) return o;
    const int n = g_mime_multipart_get_count(GMIME_MULTIPART(o));
    for (int i = 0; i < n; ++i)
      if (auto* r = find_report(g_mime_multipart_get_part(GMIME_MULTIPART(o), i), depth + 1)) return r;
  }
  return nullptr;
}

void set_original(Verdict& v, std::string id) {
  if (id.empty()) return;
  v.original_id = std::move(id);
  v.original = mail::parse_message_id(v.original_id);
}

// RFC 3464: the first failed recipient (else the first delayed one).
bool read_dsn(GMimeMultipart* report, Verdict& v) {
  std::vector<DsnRecipient> recipients;
  std::string original;
  const int n = g_mime_multipart_get_count(report);
  for (int i = 0; i < n; ++i) {
    auto* part = g_mime_multipart_get_part(report, i);
    if (is_type(part, "message", "delivery-status") || is_type(part, "message", "global-delivery-status")) {
      for (auto& r : parse_delivery_status(part_text(part))) recipients.push_back(std::move(r));
    } else if (is_type(part, "text", "rfc822-headers") || is_type(part, "message", "rfc822") ||
               is_type(part, "message", "global") || is_type(part, "message", "global-headers")) {
      if (original.empty()) original = returned_message_id(part);
    }
  }
  const DsnRecipient* chosen = nullptr;
  for (const auto& r : recipients)
    if (r.action == "failed" || (r.action.empty() && r.status.starts_with("5"))) {
      chosen = &r;
      break;
    }
  if (!chosen)
    for (const auto& r : recipients)
      if (r.action == "delayed" || (r.action.empty() && r.status.starts_with("4"))) {
        chosen = &r;
        break;
      }
  if (!chosen) {
    v.kind = Kind::Other;
    v.reason = recipients.empty() ? "delivery report without recipients" : "delivery report of no failure";
    return false;
  }
  v.kind = Kind::Bounce;
  v.recipient = chosen->address;
  v.status = chosen->status;
  v.diagnostic = chosen->diagnostic;
  // A failed action is permanent unless its status says temporary (4.x.x).
  v.hard = chosen->status.starts_with("5") || (chosen->action == "failed" && !chosen->status.starts_with("4"));
  set_original(v, original);
  return true;
}

// RFC 5965: the feedback type and the reported message's id.
void read_arf(GMimeMultipart* report, Verdict& v) {
  std::string original;
  bool found = false;
  const int n = g_mime_multipart_get_count(report);
  for (int i = 0; i < n; ++i) {
    auto* part = g_mime_multipart_get_part(report, i);
    if (is_type(part, "message", "feedback-report")) {
      found = true;
      const auto blocks = parse_field_blocks(part_text(part));
      if (!blocks.empty()) {
        v.diagnostic = field(blocks.front(), "feedback-type").value_or("");
        v.recipient = field(blocks.front(), "original-rcpt-to").value_or("");
      }
    } else if (is_type(part, "text", "rfc822-headers") || is_type(part, "message", "rfc822")) {
      if (original.empty()) original = returned_message_id(part);
    }
  }
  if (!found) {
    v.kind = Kind::Other;
    v.reason = "feedback report without its message/feedback-report part";
    return;
  }
  v.kind = Kind::Complaint;
  set_original(v, original);
}

constexpr std::array<std::string_view, 17> kAutoReplySubjects = {
    "out of office",       "out of the office",    "automatic reply",     "auto reply",        "autoreply",
    "auto-reply",          "auto response",        "autoresponse",        "on vacation",       "vacation reply",
    "abwesenheitsnotiz",   "automatische antwort", "réponse automatique", "absence du bureau", "respuesta automática",
    "risposta automatica", "fuori ufficio"};

// RFC 3834 and the common non-standard markers; "" when none.
std::string auto_reply_reason(GMimeObject* m, std::string_view subject) {
  const auto auto_submitted = to_lower_ascii(trim(header(m, "Auto-Submitted")));
  if (!auto_submitted.empty() && !auto_submitted.starts_with("no")) return "Auto-Submitted: " + auto_submitted;
  if (g_mime_object_get_header(m, "X-Autoreply")) return "X-Autoreply";
  if (g_mime_object_get_header(m, "X-Autorespond")) return "X-Autorespond";
  const auto precedence = to_lower_ascii(trim(header(m, "Precedence")));
  if (precedence == "auto_reply" || precedence == "bulk" || precedence == "junk") return "Precedence: " + precedence;
  const auto s = to_lower_ascii(subject);
  if (s.starts_with("auto:")) return "subject";
  for (auto p : kAutoReplySubjects)
    if (s.find(p) != std::string::npos) return "subject";
  return {};
}

// The first of In-Reply-To, then References from the newest, that is a Herald id.
std::string replied_to(GMimeObject* m) {
  for (const char* name : {"In-Reply-To", "References"}) {
    const char* value = g_mime_object_get_header(m, name);
    if (!value) continue;
    auto* refs = g_mime_references_parse(nullptr, value);
    if (!refs) continue;
    std::string found;
    for (int i = g_mime_references_length(refs) - 1; i >= 0 && found.empty(); --i) {
      const char* id = g_mime_references_get_message_id(refs, i);
      if (id && mail::parse_message_id(id)) found = mail::normalize_message_id(id);
    }
    g_mime_references_free(refs);
    if (!found.empty()) return found;
  }
  return {};
}

}  // namespace

std::string_view to_string(Kind k) noexcept {
  switch (k) {
    case Kind::Bounce:
      return "bounce";
    case Kind::Complaint:
      return "complaint";
    case Kind::AutoReply:
      return "auto_reply";
    case Kind::Reply:
      return "reply";
    case Kind::Other:
      return "other";
    case Kind::Unreadable:
      return "unreadable";
  }
  return "other";
}

Verdict classify(std::string_view raw) {
  Verdict v;
  if (raw.empty() || raw.size() > kMaxMessage) {
    v.kind = Kind::Unreadable;
    v.reason = raw.empty() ? "empty" : "too large";
    return v;
  }
  try {
    init_gmime();
    Ref<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
    Ref<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    Ref<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), nullptr));
    if (!message) {
      v.kind = Kind::Unreadable;
      v.reason = "not a message";
      return v;
    }
    auto* m = GMIME_OBJECT(message.get());
    if (const char* id = g_mime_message_get_message_id(message.get()); id && *id)
      v.message_id = mail::normalize_message_id(id);

    if (auto* report = find_report(g_mime_message_get_mime_part(message.get()), 0)) {
      const auto type =
          to_lower_ascii(str(g_mime_content_type_get_parameter(g_mime_object_get_content_type(report), "report-type")));
      if (type == "delivery-status") {
        read_dsn(GMIME_MULTIPART(report), v);
        return v;
      }
      if (type == "feedback-report") {
        read_arf(GMIME_MULTIPART(report), v);
        return v;
      }
    }
    const std::string subject = str(g_mime_message_get_subject(message.get()));
    if (auto why = auto_reply_reason(m, subject); !why.empty()) {
      v.kind = Kind::AutoReply;
      v.reason = std::move(why);
      return v;
    }
    if (auto id = replied_to(m); !id.empty()) {
      v.kind = Kind::Reply;
      set_original(v, std::move(id));
      return v;
    }
    v.kind = Kind::Other;
    v.reason = "neither a report nor a reply to a Herald message";
  } catch (const std::exception& e) {  // std::bad_alloc and the like: never past here
    v = Verdict{};
    v.kind = Kind::Unreadable;
    v.reason = e.what();
  }
  return v;
}

std::string dedupe_key(const Verdict& v, std::string_view raw) {
  if (!v.message_id.empty() && v.message_id.size() <= 500) return "mid:" + v.message_id;
  return "sha256:" + crypto::sha256_hex(raw);
}

}  // namespace herald::inbound
