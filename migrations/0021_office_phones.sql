-- Office phones (issue 14, point 15): the desk numbers the directory feeds give (SCIM phoneNumbers
-- of type "work", the CSV office_phone column, LDAP telephoneNumber) are a contact kind of their
-- own, `office_phone`, called by voice and never texted; the `office_phones` channel calls them and
-- pushes the alert to the campus's paging servers (InformaCast, Alertus: CAP or a signed webhook),
-- whose deliveries have no person and the address "paging:<name>".
alter table contacts drop constraint contacts_channel_check;
alter table contacts add constraint contacts_channel_check
  check (channel in ('sms', 'voice', 'email', 'office_phone'));

alter table deliveries drop constraint deliveries_channel_check;
alter table deliveries add constraint deliveries_channel_check
  check (channel in ('sms', 'voice', 'email', 'office_phones', 'public_page', 'signage', 'desktop', 'x',
                     'facebook', 'cap', 'webhook'));

-- A number several people share (a lab's or a front desk's) is called once per message and round:
-- fan-out inserts with "on conflict do nothing", and this index is the conflict, across its chunks.
create unique index deliveries_office_phone_once on deliveries (message_id, address, resend_round)
  where channel = 'office_phones';
