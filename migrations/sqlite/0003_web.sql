-- The admin web app: accounts, sessions, login attempts and marks on enquiries.
CREATE TABLE web_users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT    NOT NULL UNIQUE,
    role          TEXT    NOT NULL CHECK (role IN ('admin','lead')),
    region        TEXT,
    password_hash TEXT    NOT NULL,
    disabled      BIGINT  NOT NULL DEFAULT 0,
    created_at    BIGINT  NOT NULL
);

-- Only the SHA-256 of a session token is stored; the token lives in the browser's cookie.
CREATE TABLE web_sessions (
    token_hash  TEXT    PRIMARY KEY,
    user_id     BIGINT  NOT NULL REFERENCES web_users (id),
    csrf        TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL
);
CREATE INDEX web_sessions_user ON web_sessions (user_id);

CREATE TABLE web_login_attempts (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    name    TEXT    NOT NULL,
    ip      TEXT    NOT NULL,
    ok      BIGINT  NOT NULL,
    at      BIGINT  NOT NULL
);
CREATE INDEX web_login_attempts_who ON web_login_attempts (name, ip, at);

-- Marks the web app adds to an enquiry (e.g. `answered_elsewhere`), beside its status.
CREATE TABLE web_enquiry_marks (
    enquiry_id BIGINT NOT NULL REFERENCES enquiries (id),
    mark       TEXT   NOT NULL,
    actor      TEXT   NOT NULL,
    at         BIGINT NOT NULL,
    PRIMARY KEY (enquiry_id, mark)
);
