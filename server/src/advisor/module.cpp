#include "advisor/module.hpp"

#include <nlohmann/json.hpp>

#include "core/log.hpp"

namespace herald::advisor {

Module::Module(Deps d)
    : scorer_(d.leads, d.activity, d.clock),
      send_times_(d.leads, d.activity, zones_),
      routes_(d.queue, d.clock, send_times_) {}

void Module::contribute(Contributions& c) {
  add_endpoints(c.endpoints(), routes_);
  c.jobs().add(std::string(kScoreJob), [this](jobs::JobContext& ctx) {
    auto result = scorer_.run([&ctx](int percent, const std::string& detail) { ctx.progress(percent, detail); },
                              [&ctx] {
                                ctx.throw_if_cancelled();
                                if (ctx.stopping()) throw jobs::ReleaseJob();
                                return false;
                              });
    log::info("leads scored", {{"model", result.model}, {"leads", std::to_string(result.leads_scored)}});
    ctx.set_result(to_json(result));
    ctx.progress(100, "done");
  });
}

}  // namespace herald::advisor
