// What the campaigns domain offers later modules (observability): how many
// campaigns are being sent. Other domains hold a reference to
// campaigns::Campaigns, handed over by the composition root
// (campaigns::Module::campaigns()); they never see the campaigns store or its SQL.
#pragma once

#include <cstdint>

namespace herald::campaigns {

class Campaigns {  // offered by the campaigns module to later modules
 public:
  virtual ~Campaigns() = default;
  // Campaigns in status `sending` across the installation (scheduled, paused
  // and finished ones are not active). Throws when the database is unreachable.
  virtual std::int64_t active_count() = 0;
};

}  // namespace herald::campaigns
