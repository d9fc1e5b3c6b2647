-- Ingest looks up a sender's recent enquiries on every message (a question resent with a new
-- Message-ID joins the first; an Outlook recall flags the recalled enquiry): by address,
-- case-insensitively, newest first.
CREATE INDEX enquiries_sender_received ON enquiries (LOWER(sender), received_at);
