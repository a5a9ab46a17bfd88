-- Lead scores with their reasons (the advisor's score-leads job writes them
-- through leads::Leads::set_scores): the top contributing features of the
-- lead's score, a JSON array [{feature, weight}], '[]' until a run scores it.
-- A constant default: an instant change on both backends whatever the table's size.
ALTER TABLE leads ADD COLUMN score_reasons TEXT NOT NULL DEFAULT '[]';
