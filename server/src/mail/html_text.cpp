#include "mail/html_text.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "core/strings.hpp"
#include "mail/html_scan.hpp"

namespace herald::mail {

namespace {

// U+00A0 … U+00FF in order.
constexpr std::array<std::string_view, 96> kLatin1 = {
    "nbsp",   "iexcl",  "cent",   "pound",  "curren", "yen",    "brvbar", "sect",   "uml",    "copy",   "ordf",
    "laquo",  "not",    "shy",    "reg",    "macr",   "deg",    "plusmn", "sup2",   "sup3",   "acute",  "micro",
    "para",   "middot", "cedil",  "sup1",   "ordm",   "raquo",  "frac14", "frac12", "frac34", "iquest", "Agrave",
    "Aacute", "Acirc",  "Atilde", "Auml",   "Aring",  "AElig",  "Ccedil", "Egrave", "Eacute", "Ecirc",  "Euml",
    "Igrave", "Iacute", "Icirc",  "Iuml",   "ETH",    "Ntilde", "Ograve", "Oacute", "Ocirc",  "Otilde", "Ouml",
    "times",  "Oslash", "Ugrave", "Uacute", "Ucirc",  "Uuml",   "Yacute", "THORN",  "szlig",  "agrave", "aacute",
    "acirc",  "atilde", "auml",   "aring",  "aelig",  "ccedil", "egrave", "eacute", "ecirc",  "euml",   "igrave",
    "iacute", "icirc",  "iuml",   "eth",    "ntilde", "ograve", "oacute", "ocirc",  "otilde", "ouml",   "divide",
    "oslash", "ugrave", "uacute", "ucirc",  "uuml",   "yacute", "thorn",  "yuml"};

constexpr std::array<std::pair<std::string_view, char32_t>, 56> kNamed = {{
    {"quot", 34},     {"amp", 38},      {"apos", 39},     {"lt", 60},       {"gt", 62},       {"OElig", 338},
    {"oelig", 339},   {"Scaron", 352},  {"scaron", 353},  {"Yuml", 376},    {"fnof", 402},    {"circ", 710},
    {"tilde", 732},   {"ensp", 8194},   {"emsp", 8195},   {"thinsp", 8201}, {"zwnj", 8204},   {"zwj", 8205},
    {"lrm", 8206},    {"rlm", 8207},    {"ndash", 8211},  {"mdash", 8212},  {"lsquo", 8216},  {"rsquo", 8217},
    {"sbquo", 8218},  {"ldquo", 8220},  {"rdquo", 8221},  {"bdquo", 8222},  {"dagger", 8224}, {"Dagger", 8225},
    {"bull", 8226},   {"hellip", 8230}, {"permil", 8240}, {"prime", 8242},  {"Prime", 8243},  {"lsaquo", 8249},
    {"rsaquo", 8250}, {"oline", 8254},  {"euro", 8364},   {"trade", 8482},  {"larr", 8592},   {"uarr", 8593},
    {"rarr", 8594},   {"darr", 8595},   {"harr", 8596},   {"minus", 8722},  {"infin", 8734},  {"ne", 8800},
    {"le", 8804},     {"ge", 8805},     {"hearts", 9829}, {"spades", 9824}, {"clubs", 9827},  {"diams", 9830},
    {"check", 10003}, {"star", 9734},
}};

// Browsers read &#128;–&#159; as Windows-1252.
constexpr std::array<char32_t, 32> kCp1252 = {0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                              0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
                                              0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                              0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

std::optional<char32_t> named_entity(std::string_view name) {
  for (std::size_t i = 0; i < kLatin1.size(); ++i)
    if (kLatin1[i] == name) return static_cast<char32_t>(0xA0 + i);
  for (const auto& [n, cp] : kNamed)
    if (n == name) return cp;
  return std::nullopt;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Decodes the reference at text[i] == '&'; returns the bytes consumed (0: not a reference).
std::size_t decode_one(std::string_view text, std::size_t i, std::string& out) {
  std::size_t j = i + 1;
  if (j < text.size() && text[j] == '#') {
    ++j;
    bool hex = j < text.size() && (text[j] == 'x' || text[j] == 'X');
    if (hex) ++j;
    std::size_t digits = j;
    std::uint32_t value = 0;
    bool overflow = false;
    while (j < text.size() && (hex ? is_hex(text[j]) : is_digit(text[j]))) {
      char c = text[j++];
      std::uint32_t d = is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
      if (value > 0x10FFFF)
        overflow = true;
      else
        value = value * (hex ? 16 : 10) + d;
    }
    if (j == digits) return 0;
    if (j < text.size() && text[j] == ';') ++j;
    char32_t cp = overflow ? 0xFFFD : value;
    if (cp >= 0x80 && cp <= 0x9F) cp = kCp1252[cp - 0x80];
    append_utf8(out, cp == 0 ? 0xFFFD : cp);
    return j - i;
  }
  while (j < text.size() && is_alnum(text[j]) && j - i <= 10) ++j;
  std::string_view name = text.substr(i + 1, j - i - 1);
  bool semicolon = j < text.size() && text[j] == ';';
  if (name.empty()) return 0;
  // Without the ';' only the four that old HTML allowed so.
  if (!semicolon && name != "amp" && name != "lt" && name != "gt" && name != "quot") return 0;
  auto cp = named_entity(name);
  if (!cp) return 0;
  append_utf8(out, *cp);
  return j - i + (semicolon ? 1 : 0);
}

// ---- html → text ----------------------------------------------------------

enum class Block { None, Line, Paragraph };

Block block_of(std::string_view tag) {
  static constexpr std::array<std::string_view, 14> paragraph = {
      "p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote", "pre", "ul", "ol", "dl", "figure"};
  static constexpr std::array<std::string_view, 16> line = {"div",    "tr",  "li",    "section", "article", "header",
                                                            "footer", "nav", "aside", "main",    "address", "center",
                                                            "dt",     "dd",  "form",  "tbody"};
  if (std::find(paragraph.begin(), paragraph.end(), tag) != paragraph.end()) return Block::Paragraph;
  if (std::find(line.begin(), line.end(), tag) != line.end()) return Block::Line;
  return Block::None;
}

bool is_hidden(std::string_view tag) {
  return tag == "head" || tag == "script" || tag == "style" || tag == "title" || tag == "template" || tag == "noscript";
}

class TextWriter {
 public:
  // Text from the document: whitespace collapses unless in <pre>.
  void text(std::string_view decoded) {
    for (std::size_t i = 0; i < decoded.size(); ++i) {
      char c = decoded[i];
      bool nbsp = c == '\xC2' && i + 1 < decoded.size() && decoded[i + 1] == '\xA0';
      if (pre_ > 0 && (c == '\n' || c == '\r')) {
        if (c == '\r' && i + 1 < decoded.size() && decoded[i + 1] == '\n') continue;
        out_ += '\n';
        line_start_ = true;
        continue;
      }
      if (pre_ == 0 && (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || nbsp)) {
        if (nbsp) ++i;
        space_ = true;
        continue;
      }
      flush();
      if (nbsp) {
        out_ += ' ';
        ++i;
        continue;
      }
      out_ += c;
    }
  }
  // Text that keeps its spacing (list markers, rules).
  void raw(std::string_view s) {
    flush();
    out_ += s;
  }
  void block(Block b) {
    if (b == Block::None) return;
    breaks_ = std::max(breaks_, b == Block::Paragraph ? 2 : 1);
    space_ = false;
  }
  void line_break() {
    breaks_ = 0;
    space_ = false;
    out_ += '\n';
    line_start_ = true;
  }
  void space() { space_ = true; }
  void enter_pre() { ++pre_; }
  void leave_pre() {
    if (pre_ > 0) --pre_;
  }
  std::size_t size() const { return out_.size(); }
  std::string_view since(std::size_t mark) const { return std::string_view(out_).substr(mark); }
  std::string finish();

 private:
  void flush() {
    if (breaks_ > 0) {
      if (!out_.empty()) {
        for (int k = 0; k < breaks_; ++k) out_ += '\n';
        line_start_ = true;
      }
      breaks_ = 0;
      space_ = false;
    }
    if (space_ && !line_start_ && !out_.empty()) out_ += ' ';
    space_ = false;
    line_start_ = false;
  }

  std::string out_;
  int breaks_ = 0;
  bool space_ = false;
  bool line_start_ = true;
  int pre_ = 0;
};

// Trailing spaces off every line, at most one blank line in a row, no blank
// lines at either end, a final "\n".
std::string TextWriter::finish() {
  std::string result;
  result.reserve(out_.size() + 1);
  int blank = 0;
  for (auto line : split(out_, '\n')) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    if (line.empty()) {
      ++blank;
      continue;
    }
    if (!result.empty()) result.append(blank > 0 ? "\n\n" : "\n");
    blank = 0;
    result.append(line);
  }
  if (!result.empty()) result += '\n';
  return result;
}

struct OpenLink {
  std::string href;
  std::size_t mark = 0;
};

struct ListLevel {
  bool ordered = false;
  int next = 1;
};

bool same_target(std::string_view text, std::string_view href) {
  if (text == href) return true;
  for (std::string_view scheme : {"mailto:", "https://", "http://", "tel:"}) {
    if (href.starts_with(scheme) && text == href.substr(scheme.size())) return true;
  }
  return false;
}

void close_link(TextWriter& w, std::vector<OpenLink>& links) {
  if (links.empty()) return;
  OpenLink link = std::move(links.back());
  links.pop_back();
  std::string href = std::string(trim(link.href));
  if (href.empty() || href.starts_with('#') || iequals_ascii(href.substr(0, 11), "javascript:")) return;
  if (iequals_ascii(href.substr(0, 7), "mailto:")) href = href.substr(7);
  std::string_view text = trim(w.since(link.mark));
  if (text.empty()) {
    w.text(" ");
    w.raw(href);
  } else if (!same_target(text, href) && !same_target(text, link.href)) {
    w.text(" ");
    w.raw("(" + href + ")");
  }
}

}  // namespace

void append_utf8(std::string& out, char32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string decode_entities(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    auto amp = text.find('&', i);
    if (amp == std::string_view::npos) {
      out.append(text.substr(i));
      break;
    }
    out.append(text.substr(i, amp - i));
    std::size_t used = decode_one(text, amp, out);
    if (used == 0) {
      out += '&';
      used = 1;
    }
    i = amp + used;
  }
  return out;
}

std::string html_to_text(std::string_view html) {
  TextWriter w;
  std::vector<OpenLink> links;
  std::vector<ListLevel> lists;
  std::size_t i = 0;
  while (i < html.size()) {
    auto lt = html.find('<', i);
    if (lt == std::string_view::npos) lt = html.size();
    if (lt > i) w.text(decode_entities(html.substr(i, lt - i)));
    if (lt >= html.size()) break;
    auto m = html::read_markup(html, lt);
    if (m.kind == html::Markup::Kind::Text) {
      w.text("<");
      i = lt + 1;
      continue;
    }
    i = m.end;
    if (m.kind == html::Markup::Kind::Skip) continue;
    const auto& tag = m.tag;
    const std::string& name = tag.name;
    if (!tag.closing && is_hidden(name)) {
      if (!tag.self_closing) i = html::skip_raw_text(html, i, name);
      continue;
    }
    if (name == "br") {
      w.line_break();
      continue;
    }
    if (name == "hr") {
      w.block(Block::Paragraph);
      w.raw("----------");
      w.block(Block::Paragraph);
      continue;
    }
    if (name == "img") {
      if (const auto* alt = tag.attribute("alt")) {
        std::string text = decode_entities(html::attribute_value(html, *alt));
        if (!trim(text).empty()) {
          w.space();
          w.text(text);
          w.space();
        }
      }
      continue;
    }
    if (name == "td" || name == "th") {
      w.space();
      continue;
    }
    if (name == "a") {
      if (tag.closing) {
        close_link(w, links);
      } else if (!tag.self_closing) {
        const auto* href = tag.attribute("href");
        links.push_back({href ? decode_entities(html::attribute_value(html, *href)) : std::string(), w.size()});
      }
      continue;
    }
    if (name == "ul" || name == "ol") {
      if (tag.closing) {
        if (!lists.empty()) lists.pop_back();
        w.block(lists.empty() ? Block::Paragraph : Block::Line);
      } else {
        w.block(lists.empty() ? Block::Paragraph : Block::Line);
        lists.push_back({name == "ol", 1});
      }
      continue;
    }
    if (name == "li") {
      w.block(Block::Line);
      if (!tag.closing) {
        std::string marker(lists.empty() ? 0 : 2 * (lists.size() - 1), ' ');
        if (!lists.empty() && lists.back().ordered) {
          marker += std::to_string(lists.back().next++) + ". ";
        } else {
          marker += "- ";
        }
        w.raw(marker);
      }
      continue;
    }
    if (name == "pre") tag.closing ? w.leave_pre() : w.enter_pre();
    w.block(block_of(name));
  }
  while (!links.empty()) close_link(w, links);
  return w.finish();
}

}  // namespace herald::mail
