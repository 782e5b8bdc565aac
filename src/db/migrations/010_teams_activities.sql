-- Microsoft Teams redelivers an activity it thinks was not handled in time, and may deliver one twice:
-- each activity (conversation id + activity id) is recorded when it is first taken, so that a second
-- delivery, to this or another app instance, is acknowledged and ignored. Kept for a day.
create table teams_activities (
  conversation_id text not null,
  activity_id text not null,
  received_at timestamptz not null default now(),
  primary key (conversation_id, activity_id)
);
create index teams_activities_received on teams_activities (received_at);
