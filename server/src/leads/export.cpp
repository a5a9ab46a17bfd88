#include "leads/export.hpp"

#include <memory>

#include "leads/csv.hpp"
#include "leads/store.hpp"

namespace herald::leads {
namespace {

constexpr std::array<std::string_view, 20> kColumns = {"id",
                                                       "email",
                                                       "first_name",
                                                       "last_name",
                                                       "company",
                                                       "title",
                                                       "phone",
                                                       "website",
                                                       "country",
                                                       "timezone",
                                                       "status",
                                                       "score",
                                                       "owner_id",
                                                       "tags",
                                                       "custom_fields",
                                                       "source",
                                                       "created_at",
                                                       "updated_at",
                                                       "last_contacted_at",
                                                       "last_activity_at"};

// The strings of a JSON array of strings, as stored (["a","b"] or ["a", "b"]).
void join_json_strings(std::string& out, std::string_view array) {
  bool first = true;
  std::size_t i = 0;
  while (i < array.size()) {
    if (array[i] != '"') {
      ++i;
      continue;
    }
    std::string value;
    for (++i; i < array.size() && array[i] != '"'; ++i) {
      char c = array[i];
      if (c != '\\' || i + 1 >= array.size()) {
        value.push_back(c);
        continue;
      }
      char e = array[++i];
      switch (e) {
        case 'n':
          value.push_back('\n');
          break;
        case 't':
          value.push_back('\t');
          break;
        case 'r':
          value.push_back('\r');
          break;
        case 'b':
          value.push_back('\b');
          break;
        case 'f':
          value.push_back('\f');
          break;
        case 'u': {
          unsigned cp = 0;
          for (int k = 0; k < 4 && i + 1 < array.size(); ++k) {
            char h = array[++i];
            cp = cp * 16 + static_cast<unsigned>(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
          }
          if (cp < 0x80) {
            value.push_back(static_cast<char>(cp));
          } else if (cp < 0x800) {
            value.push_back(static_cast<char>(0xc0 | (cp >> 6)));
            value.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
          } else {
            value.push_back(static_cast<char>(0xe0 | (cp >> 12)));
            value.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
            value.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
          }
          break;
        }
        default:
          value.push_back(e);
      }
    }
    ++i;
    if (!first) out += ", ";
    first = false;
    out += value;
  }
}

}  // namespace

void append_export_header(std::string& out) {
  for (std::size_t i = 0; i < kColumns.size(); ++i) {
    if (i) out.push_back(',');
    out.append(kColumns[i]);
  }
  out.append("\r\n");
}

// The columns of kColumns, in order.
void append_export_row(std::string& out, const LeadView& l) {
  auto cell = [&](std::string_view v) {
    append_csv_cell(out, v);
    out.push_back(',');
  };
  auto number = [&](std::optional<std::int64_t> v) {
    if (v) out += std::to_string(*v);
    out.push_back(',');
  };
  number(l.id);
  for (auto v :
       {l.email, l.first_name, l.last_name, l.company, l.title, l.phone, l.website, l.country, l.timezone, l.status})
    cell(v);
  number(l.score);
  number(l.owner_id);
  std::string tags;
  join_json_strings(tags, l.tags_json);
  for (auto v : {std::string_view(tags), l.custom_fields_json, l.source, l.created_at, l.updated_at}) cell(v);
  if (l.last_contacted_at) append_csv_cell(out, *l.last_contacted_at);
  out.push_back(',');
  if (l.last_activity_at) append_csv_cell(out, *l.last_activity_at);
  out.append("\r\n");
}

http::BodyProducer export_csv(LeadService& leads, Filter filter) {
  struct State {
    Filter filter;
    std::int64_t after = 0;
    bool header = true;
  };
  auto state = std::make_shared<State>(State{std::move(filter)});
  return [&leads, state](std::string& chunk) {
    if (state->header) {
      append_export_header(chunk);
      state->header = false;
    }
    auto rows = leads.slice(state->filter, state->after, kExportSlice, [&](const storage::Row& r) {
      append_export_row(chunk, view_of(r));
      state->after = r.integer(0);
    });
    return rows == kExportSlice;
  };
}

}  // namespace herald::leads
