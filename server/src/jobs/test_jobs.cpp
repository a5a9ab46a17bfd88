#include "jobs/test_jobs.hpp"

#include <charconv>
#include <thread>

#include "storage/query.hpp"

namespace herald::jobs {
namespace {

const storage::Query kTestEffectTable{"jobs.test_effect_table"};
const storage::Query kTestEffect{"jobs.test_effect"};

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
    const auto now =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    db.acquire()->execute(kTestEffect, {std::string_view(ctx.id()), std::int64_t{ctx.attempt()}, std::int64_t{now}});
    std::this_thread::sleep_for(std::chrono::milliseconds(sleep_ms - sleep_ms / 2));
  });
}

}  // namespace herald::jobs
