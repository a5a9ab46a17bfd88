#include "ai/routes.hpp"

#include "core/errors.hpp"
#include "core/log.hpp"
#include "http/problem.hpp"

namespace herald::ai {
namespace {

using http::Request;
using http::Response;
using nlohmann::json;

json usage_json(const Usage& u) {
  return {{"prompt_tokens", u.prompt_tokens}, {"completion_tokens", u.completion_tokens}, {"total_tokens", u.total()}};
}

json draft_json(const DraftResult& r) {
  return {{"subject", r.draft.subject}, {"html", r.draft.html}, {"text", r.draft.text}};
}

const http::Principal& principal(const Request& req) {
  if (!req.principal) throw Unauthorized();
  return *req.principal;
}

bool wants_stream(const Request& req) {
  const auto accept = req.header("Accept");
  return accept && accept->find("text/event-stream") != std::string_view::npos;
}

// The problem document an error becomes, for an `error` event mid-stream.
json problem_of(const std::exception& e, const std::string& request_id) {
  if (const auto* err = dynamic_cast<const Error*>(&e)) return json::parse(http::problem(*err).body);
  log::error("ai: a streamed answer failed", {{"error", e.what()}, {"request_id", request_id}});
  return json::parse(http::problem(500, "Internal Server Error",
                                   "The answer failed; the log has the details under request id " + request_id,
                                   "internal")
                         .body);
}

}  // namespace

Response Routes::draft(Request& req) {
  const auto& who = principal(req);
  const auto body = parse_draft_request(req.json());
  req.audit.resource = "ai/draft";
  const Caller caller{who, req.request_id};
  auto input = service_.draft_input(body, caller);
  if (!body.stream && !wants_stream(req)) {
    auto r = service_.draft(input, caller);
    auto out = draft_json(r);
    out["usage"] = usage_json(r.usage);
    out["removed_tags"] = r.removed_tags;
    return Response::json(200, out);
  }
  // Refused before the stream starts, so these are plain problem+json answers.
  service_.provider();
  service_.check_budget(who.user_id);
  return streams_.start([this, who = req.principal, id = req.request_id, input = std::move(input)](Emitter& out) {
    try {
      auto r = service_.draft(
          input, Caller{*who, id},
          [&](std::string_view text) {
            out.event("delta", {{"text", text}});
          },
          &out.cancelled());
      out.event("draft", draft_json(r));
      out.event("done", {{"usage", usage_json(r.usage)}, {"removed_tags", r.removed_tags}});
    } catch (const std::exception& e) {
      out.event("error", {{"problem", problem_of(e, id)}});
    }
  });
}

Response Routes::subject_lines(Request& req) {
  const auto& who = principal(req);
  const auto body = parse_subject_lines_request(req.json());
  req.audit.resource = "ai/subject-lines";
  auto [candidates, usage] = service_.subject_lines(body, Caller{who, req.request_id});
  json list = json::array();
  for (const auto& c : candidates) {
    json item = {{"subject", c.subject}};
    if (!c.analysis.is_null()) item["analysis"] = c.analysis;
    list.push_back(std::move(item));
  }
  return Response::json(200, {{"candidates", std::move(list)}, {"usage", usage_json(usage)}});
}

Response Routes::chat(Request& req) {
  const auto& who = principal(req);
  auto messages = parse_chat_request(req.json());
  req.audit.resource = "ai/chat";
  service_.provider();
  service_.check_budget(who.user_id);
  return streams_.start([this, who = req.principal, id = req.request_id, messages = std::move(messages)](Emitter& out) {
    try {
      ChatEvents events;
      events.delta = [&](std::string_view text) { out.event("delta", {{"text", text}}); };
      events.tool = [&](const ToolOutcome& t) {
        out.event("tool",
                  {{"name", t.name}, {"arguments", t.arguments}, {"summary", t.summary}, {"refused", t.refused}});
      };
      const auto usage = service_.chat(messages, Caller{*who, id}, events, &out.cancelled());
      out.event("done", {{"usage", usage_json(usage)}});
    } catch (const std::exception& e) {
      out.event("error", {{"problem", problem_of(e, id)}});
    }
  });
}

}  // namespace herald::ai
