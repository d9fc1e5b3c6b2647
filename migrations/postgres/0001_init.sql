-- fpt-assist store, PostgreSQL dialect. Times are Unix seconds (BIGINT) so both dialects share code.
CREATE TABLE enquiries (
    id            BIGSERIAL PRIMARY KEY,
    channel       TEXT    NOT NULL,
    external_id   TEXT    NOT NULL,
    thread_id     BIGINT,
    sender        TEXT    NOT NULL,
    sender_name   TEXT,
    subject       TEXT,
    cleaned_text  TEXT    NOT NULL DEFAULT '',
    raw           BYTEA,
    attachments   TEXT    NOT NULL DEFAULT '[]',
    received_at   BIGINT  NOT NULL,
    decision      TEXT    NOT NULL,
    confidence    DOUBLE PRECISION NOT NULL DEFAULT 0,
    faq           TEXT    NOT NULL DEFAULT '[]',
    region        TEXT,
    reason        TEXT    NOT NULL DEFAULT '',
    status        TEXT    NOT NULL CHECK (status IN ('waiting','routed','sent','ignored','needs_attention','closed')),
    parse_problem TEXT,
    purged_at     BIGINT,
    UNIQUE (channel, external_id)
);
CREATE INDEX enquiries_status ON enquiries (status);
CREATE INDEX enquiries_thread ON enquiries (thread_id);

CREATE TABLE drafts (
    id            BIGSERIAL PRIMARY KEY,
    enquiry_id    BIGINT  NOT NULL REFERENCES enquiries (id),
    version       BIGINT  NOT NULL,
    text          TEXT    NOT NULL,
    html          TEXT,
    edited_by     TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    approved_by   TEXT,
    approved_at   BIGINT,
    sent_at       BIGINT,
    rejected_by   TEXT,
    rejected_at   BIGINT,
    UNIQUE (enquiry_id, version)
);

CREATE TABLE outbox (
    id              BIGSERIAL PRIMARY KEY,
    idempotency_key TEXT    NOT NULL UNIQUE,
    enquiry_id      BIGINT  REFERENCES enquiries (id),
    kind            TEXT    NOT NULL CHECK (kind IN ('reply','ack','lead_notification')),
    to_addr         TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    body_text       TEXT    NOT NULL,
    body_html       TEXT,
    in_reply_to     TEXT,
    "references"    TEXT    NOT NULL DEFAULT '',
    message_id      TEXT    NOT NULL,
    auto_submitted  BIGINT  NOT NULL DEFAULT 0,
    status          TEXT    NOT NULL CHECK (status IN ('pending','sending','sent','failed')),
    attempts        BIGINT  NOT NULL DEFAULT 0,
    next_attempt_at BIGINT  NOT NULL,
    last_error      TEXT,
    created_at      BIGINT  NOT NULL,
    sent_at         BIGINT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_message_id ON outbox (message_id);

CREATE TABLE mailbox_state (
    mailbox     TEXT   PRIMARY KEY,
    uidvalidity BIGINT NOT NULL,
    last_uid    BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE audit_log (
    id         BIGSERIAL PRIMARY KEY,
    enquiry_id BIGINT,
    actor      TEXT   NOT NULL,
    action     TEXT   NOT NULL,
    detail     TEXT   NOT NULL DEFAULT '',
    at         BIGINT NOT NULL
);
CREATE INDEX audit_enquiry ON audit_log (enquiry_id);
