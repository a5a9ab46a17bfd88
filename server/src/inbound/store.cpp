#include "inbound/store.hpp"

#include "storage/query.hpp"

namespace herald::inbound {
namespace {

using storage::Param;

const storage::Query kClaim{"inbound.claim"};
const storage::Query kTakeOver{"inbound.take_over"};
const storage::Query kFinish{"inbound.finish"};
const storage::Query kRelease{"inbound.release"};
const storage::Query kCounts{"inbound.counts"};
const storage::Query kOutcome{"inbound.outcome"};

Param opt(const std::optional<std::int64_t>& v) { return v ? Param(*v) : Param(nullptr); }

}  // namespace

bool Store::claim(std::string_view key, std::int64_t now_ms, std::int64_t stale_before_ms) {
  auto conn = db_.acquire();
  storage::Transaction tx(*conn, storage::TxMode::Write);
  const bool mine =
      conn->execute(kClaim, {key, now_ms}) > 0 || conn->execute(kTakeOver, {key, now_ms, stale_before_ms}) > 0;
  tx.commit();
  return mine;
}

void Store::finish(std::string_view key, const Finished& f, std::int64_t now_ms) {
  auto conn = db_.acquire();
  conn->execute(kFinish, {key, std::string_view(f.outcome), opt(f.campaign_id), opt(f.lead_id),
                          std::string_view(f.detail), now_ms});
}

void Store::release(std::string_view key) {
  auto conn = db_.acquire();
  conn->execute(kRelease, {key});
}

std::optional<std::string> Store::outcome(std::string_view key) {
  std::optional<std::string> out;
  auto conn = db_.acquire();
  conn->execute(kOutcome, {key}, [&](const storage::Row& r) { out = r.str(0); });
  return out;
}

std::map<std::string, std::int64_t> Store::counts() {
  std::map<std::string, std::int64_t> out;
  auto conn = db_.acquire();
  conn->execute(kCounts, {}, [&](const storage::Row& r) { out[r.str(0)] = r.integer(1); });
  return out;
}

}  // namespace herald::inbound
