#include "inbound/module.hpp"

#include <algorithm>

#include "core/log.hpp"
#include "inbound/imap.hpp"
#include "inbound/poller.hpp"

namespace herald::inbound {
namespace {

constexpr std::chrono::milliseconds kLookEvery{2000};

}  // namespace

PollWaker::PollWaker(jobs::JobQueue& queue, settings::Settings& settings, const Clock& clock,
                     std::chrono::milliseconds look_every)
    : queue_(queue),
      settings_(settings),
      clock_(clock),
      periodic_(
          look_every, [this] { poke(); }, "inbound mailbox poll not woken") {}

PollWaker::~PollWaker() { stop(); }

bool PollWaker::poke() {
  const auto mailbox = settings_.inbound_mailbox();
  if (!mailbox.enabled || mailbox.imap_url.empty()) return false;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.wall().time_since_epoch()).count();
  const auto slot = ms / (std::max<std::int64_t>(mailbox.poll_interval_s, 1) * 1000);
  jobs::JobSpec spec;
  spec.name = "inbound.poll";
  spec.queue = "analytics";
  spec.max_attempts = 1;  // the next slot polls again
  spec.unique_key = "inbound.poll:" + std::to_string(mailbox.poll_interval_s) + ":" + std::to_string(slot);
  return queue_.enqueue(spec).created;
}

Module::Module(Deps d)
    : settings_(d.settings),
      store_(d.db),
      processor_(store_, d.responses, d.leads, d.clock),
      waker_(d.queue, d.settings, d.clock, kLookEvery),
      routes_(d.settings) {}

void Module::contribute(Contributions& c) {
  add_endpoints(c.endpoints(), routes_);
  c.jobs().add("inbound.poll", [this](jobs::JobContext& ctx) {
    const auto mailbox = settings_.inbound_mailbox();
    if (!mailbox.enabled) {
      ctx.progress(100, "inbound mailbox disabled");
      return;
    }
    ImapSession session({mailbox.imap_url, mailbox.user, mailbox.password});
    const auto r = poll(session, processor_, [&ctx] { return ctx.stopping() || ctx.cancelled(); });
    if (r.fetched > 0)
      log::info("inbound mailbox polled", {{"fetched", r.fetched},
                                           {"handled", r.handled},
                                           {"skipped", r.skipped},
                                           {"duplicates", r.duplicates},
                                           {"failed", r.failed}});
    ctx.progress(100, std::to_string(r.fetched) + " messages read, " + std::to_string(r.handled) + " handled, " +
                          std::to_string(r.skipped) + " skipped");
  });
  c.add_task(waker_);
}

}  // namespace herald::inbound
