-- The web app shows admins the Discord bot's problems on every page, and `config check` lists
-- them: the newest entries of one action (the last connection, the problems after it).
CREATE INDEX audit_action ON audit_log (action, id);
