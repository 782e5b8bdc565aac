-- The day a document with moving facts (law, dates, programmes) must be checked again; mentors see
-- overdue documents in the insights.
alter table documents add column review_by date;
