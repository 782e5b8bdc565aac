-- Erasure, the mentor queue and feedback: one rating per message and rater, the queue grouped by
-- conversation, and the lookups erasure needs to find what a conversation left in the outbox.

-- Feedback: one rating per message and rater, updated in place. The rater is '' for the holder of
-- the conversation's token, or a hash of the Teams user in a chat several people share.
alter table feedback add column rater text not null default '';
alter table feedback add column updated_at timestamptz not null default now();
-- Earlier ratings of the same message gave way to the last one.
delete from feedback f using feedback later
  where later.message_id = f.message_id and (later.created_at, later.id) > (f.created_at, f.id);
drop index feedback_message;
create unique index feedback_message_rater on feedback (message_id, rater);

-- The queue shows each conversation once, by its latest ticket.
create index handoffs_conversation_latest on handoffs (conversation_id, created_at desc, id desc);

-- Erasure deletes the announcements of a conversation's tickets and the mentor replies on their way
-- to its Teams chat; these find them without reading the whole outbox.
create index outbox_handoff on outbox ((payload->>'handoffId')) where topic = 'handoff.created';
create index outbox_teams_conversation on outbox ((payload->>'conversationId')) where topic = 'teams.reply';
