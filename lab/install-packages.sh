#!/usr/bin/env bash
# Installs the Debian packages the network lab needs, only those missing. Idempotent, non-interactive.
# Used by the lab itself (when a binary is missing) and by .ci/run.
set -euo pipefail

# erlang-p1-sqlite3: ejabberd's SQLite driver (only suggested by Debian's ejabberd); the lab's ejabberd
# stores in SQLite, as ejabberd recommends for MAM. curl: the independent client of the lab's own
# checks (NTLM, 401 proxy, certificates). util-linux: runuser, to see what squid's helpers (user proxy) can run.
# krb5-kdc (krb5kdc, kdb5_util), krb5-admin-server (kadmin.local) and krb5-user (kinit): S15N's Kerberos realm
# and its independent client; the lab never starts their services, it runs its own KDC in world.
packages=(prosody lua-bitop lua-dbi-sqlite3 ejabberd erlang-p1-sqlite3 squid dante-server iptables iproute2 openssl curl passwd util-linux krb5-kdc krb5-admin-server krb5-user)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "lab packages: all installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "lab packages missing: ${missing[*]}; run as root: bash lab/install-packages.sh" >&2
  exit 1
fi

echo "lab packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
