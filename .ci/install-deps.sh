#!/usr/bin/env bash
# Install the system packages the test suite needs (real IMAP/SMTP servers, browser).
# Idempotent: returns quickly when everything is already installed.
set -euo pipefail

PKGS=(dovecot-imapd dovecot-lmtpd python3-aiosmtpd openssl chromium chromium-driver)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${PKGS[@]}"; do
    # dpkg -s exits 0 also for "deinstall" states; check the Status line properly.
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ "${#missing[@]}" -gt 0 ]; then
    echo "install-deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    start=$(date +%s)
    $SUDO apt-get update -q
    # Try everything at once; if a package is unavailable, install the others one by one
    # so that e.g. a missing python3-aiosmtpd can fall back to pip below.
    if ! $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"; then
        for p in "${missing[@]}"; do
            $SUDO apt-get install -y -q --no-install-recommends "$p" \
                || echo "install-deps: WARNING: could not install $p" >&2
        done
    fi
    echo "install-deps: apt done in $(( $(date +%s) - start )) s"
else
    echo "install-deps: all system packages present"
fi

# Debian's dovecot package enables and may start a system-wide dovecot (ports 143/993,
# and on machines with systemd a socket-activated one). Tests start their own instances
# on high ports, so a system instance is harmless, but stop it if it got started to keep
# the machine quiet. Ignore failures (no systemd in containers).
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet dovecot 2>/dev/null; then
    $SUDO systemctl stop dovecot 2>/dev/null || true
fi

# The SMTP sink runs under /usr/bin/python3 (Debian's), which sees python3-aiosmtpd.
# If that import fails (package unavailable), fall back to pip for that interpreter,
# and as a last resort for the python3 on PATH (e.g. pyenv).
if /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null; then
    echo "install-deps: /usr/bin/python3 imports aiosmtpd"
else
    echo "install-deps: /usr/bin/python3 cannot import aiosmtpd; trying pip" >&2
    /usr/bin/python3 -m pip install --break-system-packages aiosmtpd 2>/dev/null \
        || /usr/bin/python3 -m pip install aiosmtpd 2>/dev/null \
        || true
    if ! /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null; then
        if command -v python3 >/dev/null 2>&1 && [ "$(command -v python3)" != /usr/bin/python3 ]; then
            python3 -c 'import aiosmtpd' 2>/dev/null || python3 -m pip install -q aiosmtpd
            python3 -c 'import aiosmtpd' && echo "install-deps: use \$(command -v python3) for the SMTP sink (set SMTP_SINK_PYTHON)" >&2
        else
            echo "install-deps: ERROR: aiosmtpd unavailable" >&2
            exit 1
        fi
    fi
fi

for bin in dovecot doveadm setpriv openssl; do
    command -v "$bin" >/dev/null 2>&1 || { echo "install-deps: ERROR: $bin not found" >&2; exit 1; }
done
echo "install-deps: ok"
