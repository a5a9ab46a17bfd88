-- Mail templates: the current row per template and its versions.

-- name: templates.list
-- A page of templates with their current content, most recently changed first.
SELECT t.id, v.name, v.subject, v.html, v.text, v.text_generated, t.version, t.created_at, t.updated_at
FROM templates t JOIN template_versions v ON v.template_id = t.id AND v.version = t.version
ORDER BY t.updated_at DESC, t.id DESC LIMIT $1 OFFSET $2;

-- name: templates.count
SELECT count(*) FROM templates;

-- name: templates.search
-- `q` matched case-insensitively in the name or subject ($1 is a LIKE
-- pattern, already lower-cased with % and _ escaped by \).
SELECT t.id, v.name, v.subject, v.html, v.text, v.text_generated, t.version, t.created_at, t.updated_at
FROM templates t JOIN template_versions v ON v.template_id = t.id AND v.version = t.version
WHERE lower(v.name) LIKE $1 ESCAPE '\' OR lower(v.subject) LIKE $1 ESCAPE '\'
ORDER BY t.updated_at DESC, t.id DESC LIMIT $2 OFFSET $3;

-- name: templates.search_count
SELECT count(*)
FROM templates t JOIN template_versions v ON v.template_id = t.id AND v.version = t.version
WHERE lower(v.name) LIKE $1 ESCAPE '\' OR lower(v.subject) LIKE $1 ESCAPE '\';

-- name: templates.by_id
SELECT t.id, v.name, v.subject, v.html, v.text, v.text_generated, t.version, t.created_at, t.updated_at
FROM templates t JOIN template_versions v ON v.template_id = t.id AND v.version = t.version
WHERE t.id = $1;

-- name: templates.insert
INSERT INTO templates (name, version, created_by, created_at, updated_at) VALUES ($1, 1, $2, $3, $3)
RETURNING id;

-- name: templates.set_version
-- Moves a template to its next version; matches only from the version the
-- writer read, so two concurrent edits cannot both become version n+1.
UPDATE templates SET name = $2, version = $4, updated_at = $5 WHERE id = $1 AND version = $3;

-- name: templates.delete
DELETE FROM templates WHERE id = $1;

-- name: templates.version_insert
INSERT INTO template_versions (template_id, version, name, subject, html, text, text_generated, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8);

-- name: templates.version_get
SELECT template_id, version, name, subject, html, text FROM template_versions WHERE template_id = $1 AND version = $2;

-- name: templates.version_pin
UPDATE template_versions SET pinned = TRUE WHERE template_id = $1 AND version = $2;

-- name: templates.versions_drop_unpinned
-- A deleted template's versions, except those a campaign used.
DELETE FROM template_versions WHERE template_id = $1 AND pinned = FALSE;
