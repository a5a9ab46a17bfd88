#include "jobs/test_jobs.hpp"

#include <charconv>
#include <thread>

#include "storage/queries.hpp"

namespace herald::jobs {

void register_test_jobs(HandlerRegistry& registry, storage::Database& db, const EnvLookup& env) {
  const auto& queries = storage::QueryCatalog::for_backend(db.backend());
  db.acquire()->execute_script(queries.get("jobs.test_effect_table"));
  int sleep_ms = 20;
  if (auto v = env("HERALD_TEST_JOB_SLEEP_MS")) std::from_chars(v->data(), v->data() + v->size(), sleep_ms);
  const std::string insert = queries.get("jobs.test_effect");
  const std::string run = queries.get("jobs.test_run");

  registry.add("test.effect", [&db, insert, run, sleep_ms](JobContext& ctx) {
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
          conn->execute(insert, {std::string_view(ctx.id()), std::int64_t{ctx.attempt()}, now});
      conn->execute(run, {std::string_view(ctx.id()), std::int64_t{ctx.attempt()}, applied, now});
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
