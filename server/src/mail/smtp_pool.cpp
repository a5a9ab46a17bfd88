#include "mail/smtp_pool.hpp"

#include <algorithm>

namespace herald::mail {

namespace {

using Clock = std::chrono::steady_clock;

// Returns the slot to the pool however the send ends.
class SlotGuard {
 public:
  SlotGuard(std::mutex& m, std::vector<std::size_t>& free, std::condition_variable& cv, std::size_t index)
      : mutex_(m), free_(free), cv_(cv), index_(index) {}
  ~SlotGuard() {
    {
      std::lock_guard lock(mutex_);
      free_.push_back(index_);
    }
    cv_.notify_one();
  }
  SlotGuard(const SlotGuard&) = delete;
  SlotGuard& operator=(const SlotGuard&) = delete;

 private:
  std::mutex& mutex_;
  std::vector<std::size_t>& free_;
  std::condition_variable& cv_;
  std::size_t index_;
};

}  // namespace

SmtpPool::SmtpPool(SmtpSettings settings, std::size_t size) : settings_(std::move(settings)) {
  if (size == 0) size = 1;
  if (settings_.tls != TlsMode::Never)
    tls_ = std::make_shared<TlsContext>(settings_.verify_certificate, settings_.ca_file);
  slots_.resize(size);
  for (std::size_t i = size; i > 0; --i) free_.push_back(i - 1);
}

SmtpPool::~SmtpPool() {
  std::lock_guard lock(mutex_);
  for (std::size_t index : free_)
    if (slots_[index].client) slots_[index].client->quit();
}

std::size_t SmtpPool::acquire() {
  std::unique_lock lock(mutex_);
  available_.wait(lock, [this] { return !free_.empty(); });
  // Prefer a slot with an open connection (the most recently used one).
  auto it = std::find_if(free_.rbegin(), free_.rend(),
                         [this](std::size_t i) { return slots_[i].client && slots_[i].client->connected(); });
  std::size_t index;
  if (it != free_.rend()) {
    index = *it;
    free_.erase(std::next(it).base());
  } else {
    index = free_.back();
    free_.pop_back();
  }
  return index;
}

std::optional<std::size_t> SmtpPool::try_acquire() {
  {
    std::lock_guard lock(mutex_);
    if (free_.empty()) return std::nullopt;
  }
  return acquire();  // may wait briefly if another thread took the last slot meanwhile
}

std::optional<DeliveryResult> SmtpPool::open(Slot& slot) {
  slot.client = std::make_unique<SmtpClient>(settings_, tls_);
  {
    std::lock_guard lock(mutex_);
    ++opened_;
  }
  try {
    slot.client->connect();
    return std::nullopt;
  } catch (const SmtpConnectError& e) {
    slot.client.reset();
    return e.result();
  } catch (const SmtpIoError& e) {  // the TLS context could not be built
    slot.client.reset();
    DeliveryResult r;
    r.status = DeliveryStatus::Deferred;
    r.stage = "connect";
    r.reply = e.what();
    return r;
  }
}

DeliveryResult SmtpPool::send(std::string_view mail_from, std::string_view rcpt_to, std::string_view message,
                              const Settle& settle) {
  std::size_t index = acquire();
  SlotGuard guard(mutex_, free_, available_, index);
  Slot& slot = slots_[index];
  auto count = [this, &settle](DeliveryResult r) {
    {
      std::lock_guard lock(mutex_);
      ++messages_;
    }
    if (settle) settle(r);  // the slot is still this thread's
    return r;
  };

  bool reused = slot.client && slot.client->connected();
  if (reused && Clock::now() - slot.last_used > kIdleCheck && !slot.client->noop()) reused = false;
  if (!reused) {
    if (auto failed = open(slot)) return count(std::move(*failed));
  }
  auto result = slot.client->send(mail_from, rcpt_to, message);
  // A reused connection that died before the message was committed, or whose
  // server said 421 (closing) to the first command, was most likely closed
  // while idle: once more on a fresh one.
  bool stale = (result.status == DeliveryStatus::Dropped && !result.ambiguous) ||
               (result.code == 421 && (result.stage == "mail" || result.stage == "rset"));
  if (reused && stale) {
    if (auto failed = open(slot)) return count(std::move(*failed));
    result = slot.client->send(mail_from, rcpt_to, message);
  }
  slot.last_used = Clock::now();
  if (!slot.client->connected()) {
    slot.client.reset();
  } else if (settings_.max_messages_per_connection > 0 &&
             slot.client->messages_sent() >= settings_.max_messages_per_connection) {
    slot.client->quit();
    slot.client.reset();
  }
  return count(std::move(result));
}

DeliveryResult SmtpPool::check() {
  auto index = try_acquire();
  if (!index) {
    DeliveryResult busy;
    busy.status = DeliveryStatus::Accepted;
    busy.stage = "noop";
    busy.reply = "every connection is busy sending";
    return busy;
  }
  SlotGuard guard(mutex_, free_, available_, *index);
  Slot& slot = slots_[*index];
  if (slot.client && slot.client->connected() && slot.client->noop()) {
    slot.last_used = Clock::now();
    DeliveryResult ok;
    ok.status = DeliveryStatus::Accepted;
    ok.stage = "noop";
    ok.reply = "NOOP answered";
    return ok;
  }
  if (auto failed = open(slot)) return std::move(*failed);
  slot.last_used = Clock::now();
  DeliveryResult ok;
  ok.status = DeliveryStatus::Accepted;
  ok.stage = "connect";
  ok.reply = slot.client->tls_active() ? "connected (TLS)" : "connected";
  return ok;
}

SmtpPool::Stats SmtpPool::stats() const {
  std::lock_guard lock(mutex_);
  Stats s;
  s.size = slots_.size();
  s.busy = slots_.size() - free_.size();
  for (std::size_t i : free_)
    if (slots_[i].client && slots_[i].client->connected()) ++s.open;
  s.open += s.busy;  // a borrowed slot holds (or is opening) a connection
  s.connections_opened = opened_;
  s.messages = messages_;
  return s;
}

}  // namespace herald::mail
