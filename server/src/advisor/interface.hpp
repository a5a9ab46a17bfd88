// What the advisor domain offers the others: the built-in message check as a
// plain function (analyze_message), which the ai module attaches to each
// subject-line candidate. Include this header, not analysis.hpp, from another
// domain (the architecture test allows only interface.hpp and types.hpp).
#pragma once

#include "advisor/analysis.hpp"  // IWYU pragma: export
