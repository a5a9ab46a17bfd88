// From CSV columns to leads: which column is which field (header
// auto-mapping or an explicit mapping), and one record to one validated
// lead. Pure logic, no I/O.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "leads/types.hpp"

namespace herald::leads {

enum class Column {
  Ignore,
  Email,
  FirstName,
  LastName,
  FullName,  // split into first and last name
  Company,
  Title,
  Phone,
  Website,
  Country,
  Timezone,
  Status,
  Score,
  Owner,  // a user's email or id
  Tags,   // separated by ',' or ';'
  Source,
  CustomFields,  // a JSON object
  Custom,        // one custom field
};

struct ColumnTarget {
  Column column = Column::Ignore;
  std::string custom_key;  // for Column::Custom
  std::string header;
};

struct Mapping {
  std::vector<ColumnTarget> columns;  // one per header column
  bool maps(Column c) const;
};

// The `mapping` option: a JSON object {"CSV header": "field"} where field is
// a lead field (email, first_name, …, tags, custom_fields), "name" (full
// name), "cf.<key>" for a custom field, or "ignore". Throws
// ValidationError("mapping", …).
using MappingOption = std::map<std::string, std::string>;
MappingOption parse_mapping_option(std::string_view json_text);

// Maps a header row. Explicit entries win (matched exactly, then ignoring
// case); other columns are recognised by name ("E-mail", "First Name",
// "Company Name", …); the rest become custom fields named after their
// header in snake_case, and columns with an empty header are ignored.
// Throws ImportFileError — the import fails before any row is applied —
// when a header is not UTF-8 text, two headers are the same name (ignoring
// case), a header would make a custom field name that is empty or longer
// than kMaxCustomKey, no column is the email, two columns claim the same
// field, or the mapping names a missing column.
Mapping map_header(std::span<const std::string_view> header, const MappingOption& option);

class ImportFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "E-mail Address" → "emailaddress": lower-case letters and digits only.
std::string header_key(std::string_view header);
// "Lead Source (2024)" → "lead_source_2024"; empty when nothing usable is left.
// Not cut to kMaxCustomKey: map_header refuses a header that is too long.
std::string custom_key_for(std::string_view header);

// One imported row: the lead's fields, which of them the file gave (an
// empty cell gives nothing, so an update keeps what is stored), and the
// owner as written (resolved to a user by the importer). Built for a million
// rows a run: custom fields are (key, text) pairs whose keys are the
// mapping's, and nothing allocates until a field needs to.
struct ImportRow {
  std::string email, first_name, last_name, company, title, phone, website, country, timezone, source;
  std::string status = "new";
  std::int64_t score = 0;
  std::vector<std::string> tags;
  std::vector<std::pair<std::string_view, std::string>> custom;  // keys live in the Mapping
  nlohmann::json custom_object;                                  // from a custom_fields (JSON) column; null when none
  std::optional<std::string> owner;
  bool has_first_name = false, has_last_name = false, has_company = false, has_title = false, has_phone = false,
       has_website = false, has_country = false, has_timezone = false, has_status = false, has_score = false,
       has_source = false;

  // The custom fields as one JSON object text ("{}" when none).
  std::string custom_json() const;
  // Merges them into a stored object; the problem when a limit is exceeded.
  std::optional<std::string> merge_custom(nlohmann::json& into) const;
};

// Validates one record; returns the reason it cannot be imported (naming the
// column's field) or nothing. `row` is overwritten.
std::optional<std::string> convert_row(const Mapping& mapping, std::span<const std::string_view> fields,
                                       ImportRow& row);

// Import options given as query parameters (or multipart form fields).
enum class ImportMode { CreateOnly, Upsert, UpdateOnly };
std::string_view to_string(ImportMode m) noexcept;
std::optional<ImportMode> parse_import_mode(std::string_view s) noexcept;

struct ImportOptions {
  ImportMode mode = ImportMode::CreateOnly;
  std::vector<std::string> tags;  // applied to every imported lead
  std::string list;               // a segment to create (tag = list name)
  MappingOption mapping;
  std::string source = "import";  // stored on created leads
};
nlohmann::json to_json(const ImportOptions& o);
ImportOptions import_options_from_json(const nlohmann::json& j);
// Validates the list name as a tag (it becomes one); throws ValidationError naming the option.
void validate_import_options(const ImportOptions& o);

}  // namespace herald::leads
