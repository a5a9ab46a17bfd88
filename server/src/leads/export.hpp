// CSV export of any filter, streamed: the producer reads the next 1,000
// leads by keyset (id order) on each call, so memory stays flat for a
// million leads and no connection or snapshot is held between pieces (a
// lead changed during a long export appears as it was when its slice was read).
#pragma once

#include "http/types.hpp"
#include "leads/filter.hpp"
#include "leads/service.hpp"

namespace herald::leads {

inline constexpr std::int64_t kExportSlice = 1000;

// `filter` must be resolved (segment merged).
http::BodyProducer export_csv(LeadService& leads, Filter filter);

// The header row, and one lead's row (tags as "a, b", custom fields as
// their JSON), every cell escaped against formulas.
void append_export_header(std::string& out);
void append_export_row(std::string& out, const LeadView& lead);

}  // namespace herald::leads
