#include "jobs/test_jobs.hpp"

#include <charconv>
#include <thread>

#include "storage/query.hpp"

namespace herald::jobs {
namespace {

const storage::Query kTestEffectTable{"jobs.test_effect_table"};
const storage::Query kTestEffect{"jobs.test_effect"};
const storage::Query kTestRun{"jobs.test_run"};

}  // namespace

void register_test_jobs(HandlerRegistry& registry, storage::Database& db, const EnvLookup& env) {
  db.acquire()->execute_script(kTestEffectTable);
  int sleep_ms = 20;
  if (auto v = env("HERALD_TEST_JOB_SLEEP_MS")) std::from_chars(v->data(), v->data() + v->size(), sleep_ms);

  registry.add("test.effect", [&db, sleep_ms](JobContext& ctx) {
    if (ctx.attempt() <= ctx.payload().value("fail_attempts", 0)) {
      throw std::runtime_error("failing attempt " + std::to_string(ctx.attempt()) + " on purpose");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(sleep_ms / 2));
    const std::int64_t now =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    {
      auto conn = db.acquire();
      storage::Transaction tx(*conn, storage::TxMode::Write);
      const std::int64_t applied =
          conn->execute(kTestEffect, {std::string_view(ctx.id()), std::int64_t{ctx.attempt()}, now});
      conn->execute(kTestRun, {std::string_view(ctx.id()), std::int64_t{ctx.attempt()}, applied, now});
      tx.commit();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(sleep_ms - sleep_ms / 2));
    // Held after its effect on the first attempt: a kill then finds it done
    // but not acknowledged, so its delivery is bound to repeat.
    if (ctx.attempt() == 1) {
      const auto until = std::chrono::steady_clock::now() +
                         std::chrono::milliseconds(ctx.payload().value("hold_first_attempt_ms", std::int64_t{0}));
      while (std::chrono::steady_clock::now() < until && !ctx.stopping() && !ctx.cancelled())
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
}

}  // namespace herald::jobs
