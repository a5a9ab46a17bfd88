#include "leads/import_rows.hpp"

#include <algorithm>
#include <charconv>
#include <unordered_map>

#include "core/email.hpp"
#include "core/errors.hpp"
#include "core/strings.hpp"
#include "leads/json_writer.hpp"

namespace herald::leads {
namespace {

// Header names people use, by header_key().
const std::unordered_map<std::string, Column>& aliases() {
  static const std::unordered_map<std::string, Column> m = [] {
    std::unordered_map<std::string, Column> a;
    auto add = [&a](Column c, std::initializer_list<const char*> names) {
      for (const char* n : names) a.emplace(n, c);
    };
    add(Column::Email,
        {"email", "emailaddress", "mail", "emailid", "workemail", "businessemail", "primaryemail", "contactemail"});
    add(Column::FirstName, {"firstname", "first", "givenname", "fname", "forename"});
    add(Column::LastName, {"lastname", "last", "surname", "familyname", "lname"});
    add(Column::FullName, {"name", "fullname", "contactname", "contact"});
    add(Column::Company, {"company", "companyname", "organization", "organisation", "org", "account", "accountname",
                          "employer", "business", "businessname"});
    add(Column::Title, {"title", "jobtitle", "position", "role", "designation"});
    add(Column::Phone, {"phone", "phonenumber", "telephone", "tel", "mobile", "mobilephone", "cell", "cellphone",
                        "workphone", "phoneno"});
    add(Column::Website, {"website", "url", "web", "site", "homepage", "companywebsite", "domain", "companydomain"});
    add(Column::Country, {"country", "countrycode", "nation"});
    add(Column::Timezone, {"timezone", "tz"});
    add(Column::Status, {"status", "leadstatus"});
    add(Column::Score, {"score", "leadscore"});
    add(Column::Owner, {"owner", "owneremail", "ownerid", "assignedto"});
    add(Column::Tags, {"tags", "tag", "labels", "label"});
    add(Column::Source, {"source", "leadsource"});
    add(Column::CustomFields, {"customfields"});
    // Columns of Herald's own export that an import must not take as data.
    add(Column::Ignore, {"id", "createdat", "updatedat", "lastcontactedat", "lastactivityat"});
    return a;
  }();
  return m;
}

std::optional<Column> field_target(std::string_view name) {
  static const std::unordered_map<std::string_view, Column> fields = {{"email", Column::Email},
                                                                      {"first_name", Column::FirstName},
                                                                      {"last_name", Column::LastName},
                                                                      {"name", Column::FullName},
                                                                      {"company", Column::Company},
                                                                      {"title", Column::Title},
                                                                      {"phone", Column::Phone},
                                                                      {"website", Column::Website},
                                                                      {"country", Column::Country},
                                                                      {"timezone", Column::Timezone},
                                                                      {"status", Column::Status},
                                                                      {"score", Column::Score},
                                                                      {"owner", Column::Owner},
                                                                      {"owner_id", Column::Owner},
                                                                      {"tags", Column::Tags},
                                                                      {"source", Column::Source},
                                                                      {"custom_fields", Column::CustomFields},
                                                                      {"ignore", Column::Ignore},
                                                                      {"", Column::Ignore},
                                                                      {"-", Column::Ignore}};
  auto it = fields.find(name);
  if (it == fields.end()) return std::nullopt;
  return it->second;
}

ColumnTarget target_of(std::string_view value) {
  ColumnTarget t;
  if (value.starts_with("cf.") || value.starts_with("custom.")) {
    t.column = Column::Custom;
    t.custom_key = std::string(value.substr(value.find('.') + 1));
    return t;
  }
  t.column = *field_target(value);
  return t;
}

const char* column_name(Column c) {
  switch (c) {
    case Column::Email:
      return "email";
    case Column::FirstName:
      return "first_name";
    case Column::LastName:
      return "last_name";
    case Column::FullName:
      return "name";
    case Column::Company:
      return "company";
    case Column::Title:
      return "title";
    case Column::Phone:
      return "phone";
    case Column::Website:
      return "website";
    case Column::Country:
      return "country";
    case Column::Timezone:
      return "timezone";
    case Column::Status:
      return "status";
    case Column::Score:
      return "score";
    case Column::Owner:
      return "owner";
    case Column::Tags:
      return "tags";
    case Column::Source:
      return "source";
    case Column::CustomFields:
      return "custom_fields";
    case Column::Custom:
      return "custom field";
    case Column::Ignore:
      break;
  }
  return "ignored";
}

std::optional<std::string> set_text(std::string& into, bool& has, std::string_view value,
                                    std::optional<std::string> (*check)(std::string_view)) {
  if (auto p = check(value)) return p;
  into.assign(value);
  has = true;
  return std::nullopt;
}

std::optional<std::string> name_problem(std::string_view v) { return text_problem(v, kMaxName); }
std::optional<std::string> company_problem(std::string_view v) { return text_problem(v, kMaxText); }
std::optional<std::string> country_problem(std::string_view v) { return text_problem(v, kMaxCountry); }
std::optional<std::string> source_problem(std::string_view v) { return text_problem(v, kMaxSource); }

std::string normalise_status(std::string_view v) {
  std::string s = to_lower_ascii(v);
  for (auto& c : s) {
    if (c == ' ' || c == '-') c = '_';
  }
  return s;
}

std::optional<std::string> cell(const ColumnTarget& col, std::string_view value, ImportRow& row) {
  auto& l = row;
  switch (col.column) {
    case Column::Ignore:
    case Column::Email:
      return std::nullopt;
    case Column::FirstName:
      return set_text(l.first_name, row.has_first_name, value, name_problem);
    case Column::LastName:
      return set_text(l.last_name, row.has_last_name, value, name_problem);
    case Column::FullName: {
      if (auto p = text_problem(value, 2 * kMaxName)) return p;
      auto space = value.rfind(' ');
      std::string_view first = space == std::string_view::npos ? value : trim(value.substr(0, space));
      std::string_view last = space == std::string_view::npos ? std::string_view{} : trim(value.substr(space + 1));
      if (!row.has_first_name) {
        if (auto p = name_problem(first)) return p;
        l.first_name.assign(first);
        row.has_first_name = true;
      }
      if (!row.has_last_name && !last.empty()) {
        if (auto p = name_problem(last)) return p;
        l.last_name.assign(last);
        row.has_last_name = true;
      }
      return std::nullopt;
    }
    case Column::Company:
      return set_text(l.company, row.has_company, value, company_problem);
    case Column::Title:
      return set_text(l.title, row.has_title, value, company_problem);
    case Column::Phone:
      return set_text(l.phone, row.has_phone, value, phone_problem);
    case Column::Website:
      return set_text(l.website, row.has_website, value, website_problem);
    case Column::Country:
      return set_text(l.country, row.has_country, value, country_problem);
    case Column::Timezone:
      return set_text(l.timezone, row.has_timezone, value, timezone_problem);
    case Column::Source:
      return set_text(l.source, row.has_source, value, source_problem);
    case Column::Status: {
      auto s = normalise_status(value);
      if (!is_status(s))
        return std::string(
            "must be one of new, contacted, replied, interested, not_interested, converted, "
            "unsubscribed, bounced");
      l.status = s;
      row.has_status = true;
      return std::nullopt;
    }
    case Column::Score: {
      std::int64_t v = 0;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
      if (ec != std::errc() || p != value.data() + value.size() || v < kMinScore || v > kMaxScore)
        return std::string("must be a whole number from 0 to 100");
      l.score = v;
      row.has_score = true;
      return std::nullopt;
    }
    case Column::Owner:
      if (auto p = text_problem(value, kMaxEmail)) return p;
      row.owner = std::string(value);
      return std::nullopt;
    case Column::Tags: {
      std::vector<std::string> tags;
      std::size_t start = 0;
      while (start <= value.size()) {
        auto end = value.find_first_of(",;", start);
        if (end == std::string_view::npos) end = value.size();
        auto tag = trim(value.substr(start, end - start));
        if (!tag.empty()) {
          if (auto p = tag_problem(tag)) return p;
          merge_tags(tags, {std::string(tag)});
        }
        start = end + 1;
      }
      merge_tags(l.tags, tags);
      if (l.tags.size() > kMaxTags) return std::string("at most 50 tags");
      return std::nullopt;
    }
    case Column::CustomFields: {
      if (!valid_utf8(value)) return std::string("is not valid UTF-8");
      auto doc = nlohmann::json::parse(value, nullptr, false);
      if (doc.is_discarded() || !doc.is_object()) return std::string("must be a JSON object");
      nlohmann::json object = nlohmann::json::object();
      for (auto& [k, v] : doc.items()) {
        if (!v.is_null()) object[k] = v;
      }
      if (auto p = custom_fields_problem(object)) return p;
      l.custom_object = std::move(object);
      return std::nullopt;
    }
    case Column::Custom:
      if (auto p = text_problem(value, kMaxCustomString, true)) return p;
      l.custom.emplace_back(col.custom_key, std::string(value));
      if (l.custom.size() > kMaxCustomKeys) return std::string("at most 50 custom fields");
      return std::nullopt;
  }
  return std::nullopt;
}

// Herald's export writes '=… for a cell starting with = + - @ (so spreadsheets
// show text); reading such a file back restores the value.
std::string_view unescape_formula(std::string_view v) {
  if (v.size() >= 2 && v[0] == '\'' && std::string_view("=+-@\t\r").find(v[1]) != std::string_view::npos)
    return v.substr(1);
  return v;
}

}  // namespace

std::string ImportRow::custom_json() const {
  if (custom.empty() && custom_object.is_null()) return "{}";
  if (custom_object.is_null()) {
    std::string out;
    JsonWriter w(out);
    w.begin_object();
    for (const auto& [k, v] : custom) w.key(k).string(v);
    w.end_object();
    return out;
  }
  nlohmann::json all = custom_object;
  for (const auto& [k, v] : custom) all[std::string(k)] = v;
  return all.dump();
}

std::optional<std::string> ImportRow::merge_custom(nlohmann::json& into) const {
  if (custom.empty() && custom_object.is_null()) return std::nullopt;
  if (!into.is_object()) into = nlohmann::json::object();
  if (custom_object.is_object()) {
    for (auto& [k, v] : custom_object.items()) into[k] = v;
  }
  for (const auto& [k, v] : custom) into[std::string(k)] = v;
  if (auto p = custom_fields_problem(into)) return "custom_fields: " + *p;
  return std::nullopt;
}

bool Mapping::maps(Column c) const {
  return std::any_of(columns.begin(), columns.end(), [c](const ColumnTarget& t) { return t.column == c; });
}

std::string header_key(std::string_view header) {
  std::string out;
  for (char c : header) {
    if (c >= 'A' && c <= 'Z') {
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out.push_back(c);
    }
  }
  return out;
}

std::string custom_key_for(std::string_view header) {
  std::string out;
  for (char c : trim(header)) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (word) {
      out.push_back(c);
    } else if (!out.empty() && out.back() != '_') {
      out.push_back('_');
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

MappingOption parse_mapping_option(std::string_view text) {
  MappingOption out;
  if (trim(text).empty()) return out;
  auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    throw ValidationError("mapping", "must be a JSON object of CSV header → lead field");
  for (auto& [header, target] : doc.items()) {
    if (!target.is_string()) throw ValidationError("mapping", "the field for '" + header + "' must be a string");
    auto t = target.get<std::string>();
    bool custom = t.starts_with("cf.") || t.starts_with("custom.");
    if (custom ? !valid_custom_key(t.substr(t.find('.') + 1)) : !field_target(t))
      throw ValidationError(
          "mapping", "'" + t + "' (for column '" + header + "') is not a lead field, 'name', 'cf.<key>' or 'ignore'");
    out.emplace(header, t);
  }
  return out;
}

namespace {

std::string column_label(std::size_t i) { return "column " + std::to_string(i + 1); }

// A header that cannot name its column: not text, or the name of another column too.
void check_header_names(std::span<const std::string_view> header) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (!is_text(header[i]))
      throw ImportFileError("the header of " + column_label(i) +
                            " is not valid UTF-8 text; save the file as UTF-8 and import it again");
  }
  for (std::size_t i = 0; i < header.size(); ++i) {
    auto name = trim(header[i]);
    if (name.empty()) continue;
    for (std::size_t j = i + 1; j < header.size(); ++j) {
      if (iequals_ascii(name, trim(header[j])))
        throw ImportFileError("the header row names '" + std::string(name) + "' twice (" + column_label(i) + " and " +
                              column_label(j) + "); give every column its own name");
    }
  }
}

}  // namespace

Mapping map_header(std::span<const std::string_view> header, const MappingOption& option) {
  check_header_names(header);
  Mapping m;
  std::vector<bool> used(header.size(), false);
  m.columns.resize(header.size());
  for (std::size_t i = 0; i < header.size(); ++i) m.columns[i].header = std::string(trim(header[i]));
  // Explicit entries first: exact header, then ignoring case.
  for (const auto& [name, target] : option) {
    std::optional<std::size_t> found;
    for (std::size_t i = 0; i < header.size() && !found; ++i) {
      if (m.columns[i].header == name) found = i;
    }
    for (std::size_t i = 0; i < header.size() && !found; ++i) {
      if (iequals_ascii(m.columns[i].header, name)) found = i;
    }
    if (!found) throw ImportFileError("the mapping names column '" + name + "', which the header row does not have");
    auto t = target_of(target);
    t.header = m.columns[*found].header;
    m.columns[*found] = t;
    used[*found] = true;
  }
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (used[i]) continue;
    auto& col = m.columns[i];
    auto key = header_key(col.header);
    if (auto it = aliases().find(key); it != aliases().end()) {
      // A recognised name already claimed by an explicit mapping stays a custom field.
      if (it->second == Column::Ignore || !m.maps(it->second)) {
        col.column = it->second;
        continue;
      }
    }
    if (col.header.empty()) continue;  // an unnamed column holds nothing to keep
    col.custom_key = custom_key_for(col.header);
    if (col.custom_key.empty())
      throw ImportFileError("the header '" + col.header + "' of " + column_label(i) +
                            " gives no custom field name (letters and digits); rename it or map it with the mapping "
                            "option (cf.<key> or ignore)");
    if (col.custom_key.size() > kMaxCustomKey)
      throw ImportFileError("the header of " + column_label(i) + " makes a custom field name longer than " +
                            std::to_string(kMaxCustomKey) +
                            " characters, the limit; shorten it or map it with the mapping option");
    col.column = Column::Custom;
  }
  // Each field from one column only.
  for (std::size_t i = 0; i < m.columns.size(); ++i) {
    const auto& a = m.columns[i];
    if (a.column == Column::Ignore) continue;
    for (std::size_t j = i + 1; j < m.columns.size(); ++j) {
      const auto& b = m.columns[j];
      bool same = a.column == b.column && (a.column != Column::Custom || a.custom_key == b.custom_key);
      if (same)
        throw ImportFileError(
            "columns '" + a.header + "' and '" + b.header + "' both map to " +
            (a.column == Column::Custom ? "custom field " + a.custom_key : std::string(column_name(a.column))) +
            "; map one of them elsewhere with the mapping option");
    }
  }
  if (!m.maps(Column::Email))
    throw ImportFileError("no column holds the email address; name it 'email' or map it with the mapping option");
  return m;
}

std::optional<std::string> convert_row(const Mapping& mapping, std::span<const std::string_view> fields,
                                       ImportRow& row) {
  row = ImportRow{};
  if (fields.size() != mapping.columns.size())
    return "has " + std::to_string(fields.size()) + " fields where the header has " +
           std::to_string(mapping.columns.size());
  // First and last name before a full name, so explicit columns win.
  for (std::size_t pass = 0; pass < 2; ++pass) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const auto& col = mapping.columns[i];
      if ((col.column == Column::FullName) != (pass == 1)) continue;
      auto value = unescape_formula(trim(fields[i]));
      if (col.column == Column::Email) {
        if (value.empty()) return std::string("email: is empty");
        auto e = check_email(value);
        if (!e.ok()) return "email: " + e.problem;
        row.email = std::move(e.address);
        continue;
      }
      if (value.empty()) continue;
      if (auto p = cell(col, value, row)) {
        std::string field = col.column == Column::Custom ? "cf." + col.custom_key : column_name(col.column);
        return field + ": " + *p;
      }
    }
  }
  return std::nullopt;
}

std::string_view to_string(ImportMode m) noexcept {
  switch (m) {
    case ImportMode::CreateOnly:
      return "create_only";
    case ImportMode::Upsert:
      return "upsert";
    case ImportMode::UpdateOnly:
      return "update_only";
  }
  return "create_only";
}

std::optional<ImportMode> parse_import_mode(std::string_view s) noexcept {
  if (s == "create_only" || s == "create") return ImportMode::CreateOnly;
  if (s == "upsert") return ImportMode::Upsert;
  if (s == "update_only" || s == "update") return ImportMode::UpdateOnly;
  return std::nullopt;
}

nlohmann::json to_json(const ImportOptions& o) {
  return {
      {"mode", to_string(o.mode)}, {"tags", o.tags}, {"list", o.list}, {"mapping", o.mapping}, {"source", o.source}};
}

ImportOptions import_options_from_json(const nlohmann::json& j) {
  ImportOptions o;
  o.mode = parse_import_mode(j.value("mode", "create_only")).value_or(ImportMode::CreateOnly);
  o.tags = j.value("tags", std::vector<std::string>{});
  o.list = j.value("list", "");
  o.mapping = j.value("mapping", MappingOption{});
  o.source = j.value("source", "import");
  return o;
}

void validate_import_options(const ImportOptions& o) {
  for (const auto& t : o.tags) {
    if (auto p = tag_problem(t)) throw ValidationError("tag", *p);
  }
  if (o.tags.size() > 10) throw ValidationError("tag", "at most 10 tags");
  if (!o.list.empty()) {
    if (auto p = tag_problem(o.list)) throw ValidationError("list", "a list name becomes a tag: " + *p);
  }
  if (auto p = text_problem(o.source, kMaxSource)) throw ValidationError("source", *p);
}

}  // namespace herald::leads
