// The monitored mailbox over IMAP, through libcurl (IMAPS, or IMAP with
// STARTTLS required; AUTH as libcurl negotiates it). One connection per
// session, reused by every command.
//
// How Herald marks what it read, so a person sharing the mailbox sees what
// is theirs: a message it handled (a report or reply it acted on, an
// auto-reply) is left \Seen; one it could not use (not about a message it
// sent, not a report or reply, unreadable) is put back unseen with the
// keyword $HeraldSkipped, which the next search leaves out. Before a
// message is fetched it gets $HeraldPending (removed once it is marked), so
// a worker that dies between fetching and marking leaves it to the next
// poll rather than read-but-unprocessed.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace herald::inbound {

struct ImapTarget {
  std::string url;  // imaps://host[:port]/MAILBOX or imap://…; query: ca_file=PATH
  std::string user, password;
};

// Which step failed, so the settings page's test can say so.
enum class ImapStage { Url, Connect, Tls, Login, Folder, Other };

struct ImapError : std::runtime_error {
  explicit ImapError(const std::string& what, ImapStage at = ImapStage::Other) : std::runtime_error(what), stage(at) {}
  ImapStage stage;
};

struct MailboxStatus {
  std::int64_t messages = 0, unseen = 0;
};

// The URL split: the mailbox URL libcurl is given (no query) and the CA to trust.
struct ImapUrl {
  std::string base;     // "imaps://host:993/INBOX"
  std::string ca_file;  // empty: the system's trust store
  bool implicit_tls = false;
};
// Throws ImapError (stage Url) naming what is wrong.
ImapUrl parse_imap_url(const std::string& url);

// Message UIDs out of an untagged "* SEARCH 1 2 3" response.
std::vector<std::uint32_t> parse_search(const std::string& response);

class ImapSession {
 public:
  explicit ImapSession(const ImapTarget& target, long timeout_s = 60);
  ~ImapSession();
  ImapSession(const ImapSession&) = delete;
  ImapSession& operator=(const ImapSession&) = delete;

  // UIDs of what waits: unseen and not skipped, or pending (left by a worker that died).
  std::vector<std::uint32_t> waiting();
  // UIDs matching IMAP SEARCH criteria ("UNSEEN KEYWORD $HeraldSkipped").
  std::vector<std::uint32_t> search(const std::string& criteria);
  // How many messages the mailbox holds.
  std::int64_t count();
  // How many it holds and how many are unseen (the settings page's test).
  MailboxStatus status();
  // Marks it $HeraldPending, then fetches it whole (which sets \Seen).
  std::string fetch(std::uint32_t uid);
  // Handled: stays \Seen. Skipped: unseen again, with $HeraldSkipped.
  void mark_handled(std::uint32_t uid);
  void mark_skipped(std::uint32_t uid);
  // Unseen again and not pending: processing failed, try on the next poll.
  void mark_failed(std::uint32_t uid);

 private:
  std::string command(const std::string& cmd);
  std::string perform(const std::string& url, const std::string& custom);

  ImapUrl url_;
  ImapTarget target_;
  void* curl_ = nullptr;
  long timeout_s_;
};

}  // namespace herald::inbound
