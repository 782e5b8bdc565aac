-- The outbox also carries mentor replies to Teams: those go through the Bot Connector, not a webhook.
alter table outbox drop constraint outbox_format_check;
alter table outbox add constraint outbox_format_check check (format in ('json', 'teams', 'connector'));
