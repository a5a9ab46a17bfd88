// What the templates domain offers the others (campaigns): a template's
// current content, a frozen version of it, and pinning a version a campaign
// used so it outlives edits and the template's deletion. Other domains hold a
// reference to templates::Catalog, handed over by the composition root
// (templates::Module::catalog()); they never see the templates store or its SQL.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace herald::templates {

struct TemplateVersion {
  std::int64_t template_id = 0;
  std::int64_t version = 0;               // increases on every content change
  std::string name, subject, html, text;  // text: generated from html when the author left it empty
};

class Catalog {  // offered by the templates module to later modules
 public:
  virtual ~Catalog() = default;
  // The current version, or nullopt when no such template (deleted or never existed).
  virtual std::optional<TemplateVersion> current(std::int64_t template_id) const = 0;
  // A frozen version: kept for ever once a campaign has used it, even after the template is edited or deleted.
  virtual std::optional<TemplateVersion> version(std::int64_t template_id, std::int64_t version) const = 0;
  // Marks a version as used by a campaign (so deleting the template keeps it).
  virtual void pin(std::int64_t template_id, std::int64_t version) = 0;
};

}  // namespace herald::templates
