// The inbound module: the monitored mailbox (Settings → Inbound mailbox),
// polled over IMAP by the inbound.poll job on the `analytics` queue, woken by
// a background task at the configured interval. Each message is classified
// (classify.hpp) and applied once (processor.hpp) through campaigns::Responses
// and leads::Leads; the module reads no table of theirs. Owns
// inbound_messages (what was read, and what it was).
#pragma once

#include <chrono>
#include <cstdint>

#include "campaigns/interface.hpp"
#include "core/clock.hpp"
#include "core/periodic.hpp"
#include "inbound/processor.hpp"
#include "inbound/routes.hpp"
#include "inbound/store.hpp"
#include "jobs/queue.hpp"
#include "leads/interface.hpp"
#include "module/module.hpp"
#include "settings/interface.hpp"
#include "storage/database.hpp"

namespace herald::inbound {

struct Deps {
  storage::Database& db;
  const Clock& clock;
  jobs::JobQueue& queue;
  settings::Settings& settings;
  leads::Leads& leads;
  campaigns::Responses& responses;
};

// Every few seconds, reads the inbound settings and, when the mailbox is
// enabled, enqueues inbound.poll once per poll interval (the unique key
// names the interval's slot, so several processes enqueue it once).
class PollWaker final : public BackgroundTask {
 public:
  PollWaker(jobs::JobQueue& queue, settings::Settings& settings, const Clock& clock,
            std::chrono::milliseconds look_every);
  ~PollWaker() override;
  std::string_view name() const override { return "inbound.poll"; }
  void start() override { periodic_.start(); }
  void stop() override { periodic_.stop(); }
  // One look: true when it enqueued a poll.
  bool poke();

 private:
  jobs::JobQueue& queue_;
  settings::Settings& settings_;
  const Clock& clock_;
  Periodic periodic_;  // last: its thread calls poke() and ends before the rest goes
};

class Module final : public herald::Module {
 public:
  explicit Module(Deps deps);
  // The inbound.poll job and its waker; the mailbox test's handler.
  void contribute(Contributions& contributions) override;

  Processor& processor() noexcept { return processor_; }

 private:
  settings::Settings& settings_;
  Store store_;
  Processor processor_;
  PollWaker waker_;
  Routes routes_;
};

}  // namespace herald::inbound
