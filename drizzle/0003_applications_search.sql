-- Full-text search over applications (title, summary, organisation name). The rowid is the
-- application id; the applications service keeps it in step with each save.
CREATE VIRTUAL TABLE applications_fts USING fts5(title, summary, organisation, tokenize = 'unicode61 remove_diacritics 2');
