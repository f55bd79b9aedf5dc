-- Contacts an operator adds (the console's "Add contact", POST /api/v1/people/<id>/contacts, and
-- the contacts of a person created by hand) get their own source, 'operator'. Until now they were
-- stored as 'directory', so the next sync of a feed person deleted them as if the feed had dropped
-- them. A sync replaces only 'directory' contacts; 'self' and 'operator' ones stay.
alter table contacts drop constraint contacts_source_check;
alter table contacts add constraint contacts_source_check check (source in ('directory', 'self', 'operator'));

-- Contacts already added by operators: every one has an audit row (contact.add, with the contact's
-- id), and people created by hand have no feed.
update contacts set source = 'operator', updated_at = now()
  where source = 'directory'
    and (person_id in (select id from people where source = 'manual')
         or id::text in (select after ->> 'contactId' from audit_log
                         where action = 'contact.add' and outcome = 'success' and after ? 'contactId'));
