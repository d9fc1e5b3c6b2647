#!/usr/bin/python3
"""A real SMTP server for tests that keeps every message it accepts.

    /usr/bin/python3 tests/support/smtp_sink.py --port PORT --dir DIR \
        [--reject RCPT_SUBSTRING ...] [--auth USER:PASSWORD]

Listens on 127.0.0.1:PORT and prints "ready" on stdout once it accepts connections.
Each accepted message is written to DIR as

    <UTC timestamp>-<n>.eml    the message as received, with these headers prepended:
                               X-Envelope-From: <sender>
                               X-Envelope-To: <rcpt>        (one line per recipient)
    <UTC timestamp>-<n>.json   {"mail_from", "rcpt_tos", "peer", "helo", "received_at", "file"}

The .json is written before the .eml and both are written under a hidden temporary name
(".tmp-...") and renamed into place, so a test that sees a *.eml file sees it complete and
can read its .json. Names sort in arrival order.

--reject SUBSTR (repeatable): RCPT TO for an address containing SUBSTR (case-insensitive)
gets "550 5.1.1 ... rejected"; the other recipients are still accepted. If every recipient
is rejected the client gets "554 no valid recipients" at DATA (from aiosmtpd).
--auth USER:PASSWORD: advertise AUTH PLAIN/LOGIN without TLS and accept only that login
(without it AUTH is not offered, and mail is accepted unauthenticated).
--xoauth2 URL: advertise only AUTH XOAUTH2 and require it; each bearer token is checked by
POSTing token=... to URL (an OAuth2 introspection endpoint, RFC 7662) whose JSON answer must
say "active": true and name the SASL user as "username". A refused token gets
"535 5.7.8", as Microsoft 365 answers.

Exits 0 on SIGTERM or SIGINT. Debian's /usr/bin/python3 with python3-aiosmtpd is the
intended interpreter (see .ci/install-deps.sh); any Python with aiosmtpd >= 1.4 works.

The handler class can also be used from Python: SinkHandler(directory, reject=[...]).
"""

import argparse
import base64
import datetime
import itertools
import json
import os
import signal
import sys
import threading
import urllib.parse
import urllib.request
import warnings

from aiosmtpd.controller import Controller

try:  # aiosmtpd >= 1.3
    from aiosmtpd.smtp import AuthResult, LoginPassword
except ImportError:  # pragma: no cover
    AuthResult = LoginPassword = None


class SinkHandler:
    """aiosmtpd handler: stores each message in `directory`, refuses chosen recipients."""

    def __init__(self, directory=None, reject=()):
        directory = directory or os.environ.get("SMTP_SINK_DIR") or "."
        self.directory = os.path.abspath(directory)
        os.makedirs(self.directory, exist_ok=True)
        self.reject = [r.lower() for r in reject if r]
        self._counter = itertools.count(1)
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        lowered = address.lower()
        for needle in self.reject:
            if needle in lowered:
                log(f"reject RCPT {address}")
                return f"550 5.1.1 <{address}>: Recipient address rejected"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            n = next(self._counter)
        now = datetime.datetime.now(datetime.timezone.utc)
        base = f"{now.strftime('%Y%m%dT%H%M%S%fZ')}-{n:06d}"

        content = envelope.original_content or envelope.content or b""
        if isinstance(content, str):
            content = content.encode("utf-8", "surrogateescape")
        mail_from = envelope.mail_from or ""
        prefix = f"X-Envelope-From: <{mail_from}>\r\n"
        for rcpt in envelope.rcpt_tos:
            prefix += f"X-Envelope-To: <{rcpt}>\r\n"

        peer = session.peer
        meta = {
            "mail_from": mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "peer": f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) else str(peer),
            "helo": session.host_name,
            "received_at": now.isoformat(),
            "file": base + ".eml",
        }
        self._write_atomic(base + ".json", json.dumps(meta, indent=2).encode() + b"\n")
        self._write_atomic(base + ".eml", prefix.encode("utf-8") + content)
        log(f"stored {base}.eml from <{mail_from}> to {envelope.rcpt_tos}")
        return "250 2.0.0 Message accepted for delivery"

    def _write_atomic(self, name, data):
        tmp = os.path.join(self.directory, f".tmp-{name}")
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, os.path.join(self.directory, name))


# So that `python3 -m aiosmtpd -c smtp_sink.Handler` also works (DIR from $SMTP_SINK_DIR).
Handler = SinkHandler


def make_authenticator(user, password):
    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == user
            and auth_data.password.decode() == password
        )
        return AuthResult(success=ok, handled=False)

    return authenticator


class XOAuth2SinkHandler(SinkHandler):
    """SinkHandler that authenticates SASL XOAUTH2 against an introspection URL."""

    def __init__(self, directory, introspect_url, reject=()):
        super().__init__(directory, reject=reject)
        self.introspect_url = introspect_url

    async def auth_XOAUTH2(self, server, args):
        try:
            if len(args) > 1:
                decoded = base64.b64decode(args[1])
            else:  # no initial response: ask for it (challenge_auth decodes it)
                decoded = await server.challenge_auth("", encode_to_b64=False)
                if not isinstance(decoded, bytes):
                    return None  # aborted; challenge_auth already answered
            text = decoded.decode("utf-8")
            fields = dict(
                part.split("=", 1) for part in text.split("\x01") if "=" in part
            )
            user = fields.get("user", "")
            token = fields.get("auth", "").removeprefix("Bearer ").strip()
        except Exception:  # malformed
            return AuthResult(success=False, handled=False)
        ok = self._active(user, token)
        log(f"XOAUTH2 for {user}: {'accepted' if ok else 'refused'}")
        return AuthResult(success=ok, handled=False)

    def _active(self, user, token):
        data = urllib.parse.urlencode({"token": token}).encode()
        try:
            with urllib.request.urlopen(self.introspect_url, data=data, timeout=5) as r:
                answer = json.loads(r.read() or b"{}")
        except Exception as e:
            log(f"introspection failed: {e}")
            return False
        return answer.get("active") is True and answer.get("username") == user


def log(msg):
    print(f"smtp_sink: {msg}", file=sys.stderr, flush=True)


def main(argv=None):
    p = argparse.ArgumentParser(description="SMTP sink for tests")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--dir", required=True)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--reject", action="append", default=[],
                   help="refuse RCPT for addresses containing this substring (repeatable)")
    p.add_argument("--auth", help="USER:PASSWORD; offer AUTH PLAIN/LOGIN and accept only this")
    p.add_argument("--xoauth2", metavar="INTROSPECT_URL",
                   help="offer only AUTH XOAUTH2, checking tokens at this URL")
    args = p.parse_args(argv)

    handler = SinkHandler(args.dir, reject=args.reject)
    kwargs = {}
    if args.xoauth2:
        if AuthResult is None:
            p.error("--xoauth2 needs aiosmtpd >= 1.3")
        handler = XOAuth2SinkHandler(args.dir, args.xoauth2, reject=args.reject)
        kwargs.update(
            authenticator=lambda *a: AuthResult(success=False, handled=False),
            auth_exclude_mechanism=["LOGIN", "PLAIN"],
            auth_require_tls=False,
            auth_required=True,
        )
    if args.auth:
        if AuthResult is None:
            p.error("--auth needs aiosmtpd >= 1.3")
        user, _, password = args.auth.partition(":")
        kwargs.update(
            authenticator=make_authenticator(user, password),
            auth_require_tls=False,
            auth_required=True,
        )

    warnings.filterwarnings("ignore", message="auth_required == True")
    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    controller = Controller(handler, hostname=args.host, port=args.port,
                            server_hostname="smtp-sink.localhost", **kwargs)
    try:
        controller.start()  # returns once the server accepts connections
    except Exception as e:  # e.g. port in use
        log(f"cannot listen on {args.host}:{args.port}: {e}")
        return 1
    print("ready", flush=True)
    log(f"listening on {args.host}:{args.port}, storing in {handler.directory}")
    try:
        while not stop.wait(0.5):
            pass
    finally:
        controller.stop()
        log("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
