// The one email-address normaliser: leads, suppressions, imports and user
// accounts all go through it, so one address has one stored form everywhere.
// Pure logic (libidn2 for internationalised domains), no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace herald {

inline constexpr std::size_t kMaxEmailLength = 254;  // RFC 5321 path limit, less the brackets
inline constexpr std::size_t kMaxEmailLocalPart = 64;

inline constexpr std::string_view kNotAnAddress = "is not a valid email address";

struct EmailCheck {
  std::string address;  // the canonical form, when the input is an address
  std::string problem;  // why it is not one ("is not a valid email address", …)
  bool ok() const noexcept { return problem.empty(); }
};

// Trims the input, lower-cases ASCII, and writes the domain in its IDNA 2008
// ASCII form (UTS #46 non-transitional mapping, then punycode), so
// "user@Bücher.de" and "user@xn--bcher-kva.de" are the same address. Refuses
// invisible and formatting characters anywhere (zero-width space, bidi
// controls, soft hyphen, …) rather than letting the mapping drop them.
EmailCheck check_email(std::string_view input);
// check_email's address, or nullopt.
std::optional<std::string> canonical_email(std::string_view input);

// The first code point of well-formed UTF-8 `s` that renders as nothing or
// changes how the text around it is shown: C0/C1 controls, Unicode spaces
// other than U+0020, format characters (Cf) and default-ignorable code points.
std::optional<char32_t> first_invisible(std::string_view s) noexcept;

}  // namespace herald
