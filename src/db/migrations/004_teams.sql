-- Microsoft Teams: the id Teams gave a message the bot sent (feedback names it), and the lookup of a
-- mentor conversation by its Teams conversation.
alter table messages add column external_id text;
create index messages_external_id on messages (external_id) where external_id is not null;
create index conversations_teams on conversations ((channel_ref->>'conversationId')) where channel = 'teams';
