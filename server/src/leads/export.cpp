#include "leads/export.hpp"

#include <memory>

#include "leads/csv.hpp"

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

void append_export_row(std::string& out, const storage::Row& r) {
  std::string tags;
  for (int col = 0; col < static_cast<int>(kColumns.size()); ++col) {
    if (col) out.push_back(',');
    if (r.is_null(col)) continue;
    if (col == 13) {
      tags.clear();
      join_json_strings(tags, r.text(col));
      append_csv_cell(out, tags);
    } else {
      append_csv_cell(out, r.text(col));
    }
  }
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
      append_export_row(chunk, r);
      state->after = r.integer(0);
    });
    return rows == kExportSlice;
  };
}

}  // namespace herald::leads
