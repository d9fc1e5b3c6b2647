-- Replies from regional leads (or the admin team) to a routed-enquiry notification. Such a
-- reply is not an enquiry: its text becomes a draft version on the routed enquiry. One row per
-- message, so the same reply fetched twice adds one draft.
CREATE TABLE lead_replies (
    id            BIGSERIAL PRIMARY KEY,
    external_id   TEXT    NOT NULL UNIQUE,
    enquiry_id    BIGINT  NOT NULL REFERENCES enquiries (id),
    -- NULL when the reply had no text of its own
    draft_version BIGINT,
    sender        TEXT    NOT NULL,
    received_at   BIGINT  NOT NULL
);
CREATE INDEX lead_replies_enquiry ON lead_replies (enquiry_id);
