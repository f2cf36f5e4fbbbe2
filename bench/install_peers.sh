#!/usr/bin/env bash
# Install the peer tools that the package registries offer (into
# ~/.cache/credlint-peers), for bench/run.sh. Needs root for apt.
# gitleaks and Truffle Security's Go trufflehog have no package in the
# registries this project uses; run.sh skips tools that are not installed.
set -euo pipefail
PEERS=${PEER_ROOT:-$HOME/.cache/credlint-peers}
mkdir -p "$PEERS/bin"
if ! command -v rg >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ripgrep >/dev/null
fi
python3 -m venv "$PEERS/venv"
"$PEERS/venv/bin/pip" install -q semgrep==1.185.0 kingfisher-bin==2.14.0 detect-secrets==1.5.0
ln -sf "$PEERS/venv/lib/python3.11/site-packages/kingfisher/bin/kingfisher" "$PEERS/bin/kingfisher"
cargo install -q ripsecrets --locked --version 0.1.11 --root "$PEERS"
cargo install -q dotenv-linter --locked --version 4.0.0 --root "$PEERS"
