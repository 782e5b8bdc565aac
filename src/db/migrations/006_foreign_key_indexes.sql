-- Indexes on the columns that point at rows retention and erasure delete. Deleting a conversation
-- deletes its messages and handoffs (on delete cascade) and clears what points at them (on delete set
-- null); without an index on each referencing column, every deleted row scans that whole table.
create index handoffs_conversation on handoffs (conversation_id);
create index handoffs_message on handoffs (message_id);
create index knowledge_gaps_conversation on knowledge_gaps (conversation_id);
create index corpus_suggestions_handoff on corpus_suggestions (handoff_id);
