#!/usr/bin/env bash
# Prepares a fresh Debian machine for Aviary: system packages the tests and the demo use,
# then a clean npm install and a build. Safe to run again; it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root for: $*" >&2
    return 1
  fi
}

missing=()
command -v prometheus >/dev/null || missing+=(prometheus)
# Debian's kubernetes-client conflicts with a preinstalled kubectl: only add it where none exists.
command -v kubectl >/dev/null || missing+=(kubernetes-client)
# The portal's browser test drives Debian's Chromium headless; fonts make its screenshots readable.
[ -x /usr/bin/chromium ] || missing+=(chromium fonts-liberation)
# The canary backend's database tests run on the real PostgreSQL as well as SQLite.
command -v pg_ctlcluster >/dev/null || missing+=(postgresql)
if [ "${#missing[@]}" -gt 0 ]; then
  step "Installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  step "System packages present (prometheus, kubectl, chromium, postgresql)"
fi

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  step "Starting PostgreSQL"
  for version in $(ls /etc/postgresql 2>/dev/null); do
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  done
fi

step "Installing npm dependencies (npm ci)"
# npm 11.7+ refuses a lockfile that lacks other platforms' optional binaries (npm/cli#9846), and a
# registry mirror without those binaries can never record them. Only in that case, install from
# the same lockfile with `npm install --no-save` (locked versions, lockfile left untouched).
if ! npm ci --no-audit --no-fund 2>/tmp/aviary-npm-ci.err; then
  if grep -q 'Missing: .* from lock file' /tmp/aviary-npm-ci.err; then
    echo "npm ci refused the lockfile over optional platform packages; installing with npm install --no-save"
    npm install --no-save --no-audit --no-fund
  else
    cat /tmp/aviary-npm-ci.err >&2
    exit 1
  fi
fi

step "Building all packages"
npm run build

# npm links a workspace's bin only if its file exists at install time, and dist/ is built after:
# link aviary-playground, aviary and aviary-controller now (no install scripts run again).
step "Linking the command-line tools"
npm rebuild --ignore-scripts @aviary/playground @aviary/controller

step "Setup complete"
