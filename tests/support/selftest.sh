#!/usr/bin/env bash
# Smoke test of the real test servers: tests/support/selftest.sh [IMAP_PORT] [SMTP_PORT]
# Starts Dovecot, logs in, appends with doveadm, sees it (SEARCH + IDLE), stops it;
# starts the SMTP sink, sends, checks the stored file and --reject, stops it with SIGTERM.
# Exits non-zero on any failure. Needs .ci/install-deps.sh to have run.
set -euo pipefail
cd "$(dirname "$0")/../.."
IMAP_PORT=${1:-31993}
SMTP_PORT=${2:-32525}
PY=${SMTP_SINK_PYTHON:-/usr/bin/python3}
WORK=$(mktemp -d /tmp/fpt-selftest.XXXXXX)
chmod 711 "$WORK"  # dovecot runs as nobody and must traverse into $WORK/dovecot
SINK_PID=""
cleanup() {
    tests/support/dovecot.sh stop "$WORK/dovecot" >/dev/null 2>&1 || true
    if [ -n "$SINK_PID" ] && kill -0 "$SINK_PID" 2>/dev/null; then kill -TERM "$SINK_PID"; wait "$SINK_PID" || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

echo "== dovecot on 127.0.0.1:$IMAP_PORT"
tests/support/dovecot.sh start "$WORK/dovecot" "$IMAP_PORT"
printf 'From: Alice <alice@example.com>\r\nTo: fpt@localhost\r\nSubject: selftest\r\nMessage-ID: <selftest-1@example.com>\r\n\r\nHello.\r\n' >"$WORK/m.eml"
tests/support/dovecot.sh append "$WORK/dovecot" "$WORK/m.eml"
/usr/bin/python3 - "$IMAP_PORT" "$WORK" <<'EOF'
import imaplib, subprocess, sys, time
port, work = int(sys.argv[1]), sys.argv[2]
M = imaplib.IMAP4("127.0.0.1", port)
assert M.welcome.startswith(b"* OK"), M.welcome
M.login("fpt", "secret")
typ, data = M.select("INBOX"); assert typ == "OK" and data == [b"1"], data
typ, data = M.uid("SEARCH", None, "ALL"); assert data[0].split() == [b"1"], data
typ, data = M.uid("FETCH", "1", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
assert b"Subject: selftest" in data[0][1], data
# IDLE: a delivery after IDLE starts shows up as EXISTS.
tag = M._new_tag().decode()
M.send(f"{tag} IDLE\r\n".encode())
assert M.readline().startswith(b"+"), "no IDLE continuation"
subprocess.run(["tests/support/dovecot.sh", "append", work + "/dovecot", work + "/m.eml"], check=True)
M.sock.settimeout(10)
t = time.time()
line = M.readline()
assert line == b"* 2 EXISTS\r\n", line
print(f"IDLE saw EXISTS after {time.time() - t:.2f}s")
M.send(b"DONE\r\n")
M.readline()
M.logout()
try:
    imaplib.IMAP4("127.0.0.1", port).login("fpt", "wrong")
    raise SystemExit("bad password accepted")
except imaplib.IMAP4.error:
    pass
print("imap ok")
EOF
tests/support/dovecot.sh stop "$WORK/dovecot"

echo "== smtp sink on 127.0.0.1:$SMTP_PORT"
mkdir -p "$WORK/sink"
"$PY" tests/support/smtp_sink.py --port "$SMTP_PORT" --dir "$WORK/sink" --reject bounce \
    >"$WORK/sink.out" 2>"$WORK/sink.err" &
SINK_PID=$!
for _ in $(seq 100); do grep -q '^ready$' "$WORK/sink.out" && break; sleep 0.1; done
grep -q '^ready$' "$WORK/sink.out" || { cat "$WORK/sink.err" >&2; exit 1; }
/usr/bin/python3 - "$SMTP_PORT" "$WORK/sink" <<'EOF'
import glob, smtplib, sys
port, d = int(sys.argv[1]), sys.argv[2]
s = smtplib.SMTP("127.0.0.1", port)
refused = s.sendmail("fpt@localhost", ["bob@example.com", "bounce@example.com"],
                     "Subject: sink\r\n\r\nHi.\r\n")
assert list(refused) == ["bounce@example.com"] and refused["bounce@example.com"][0] == 550, refused
try:
    s.sendmail("fpt@localhost", ["bounce-only@example.com"], "Subject: x\r\n\r\nx\r\n")
    raise SystemExit("rejected-only recipient accepted")
except smtplib.SMTPRecipientsRefused as e:
    assert e.recipients["bounce-only@example.com"][0] == 550
s.quit()
files = sorted(glob.glob(d + "/*.eml"))
assert len(files) == 1, files
raw = open(files[0], "rb").read()
assert raw.startswith(b"X-Envelope-From: <fpt@localhost>\r\nX-Envelope-To: <bob@example.com>\r\n"), raw
assert b"bounce" not in raw and b"Subject: sink" in raw, raw
print("smtp ok")
EOF
kill -TERM "$SINK_PID"
rc=0; wait "$SINK_PID" || rc=$?
SINK_PID=""
[ "$rc" -eq 0 ] || { echo "sink exited $rc on SIGTERM" >&2; exit 1; }
echo "selftest: all ok"
