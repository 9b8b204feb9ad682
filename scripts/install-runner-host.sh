#!/usr/bin/env bash
# Takes a bare Debian or Ubuntu machine to an inhouse runner host. Safe to run again: every step
# checks what is there first, and a second run changes nothing (it ends with "0 changes").
#
#   sudo bash scripts/install-runner-host.sh \
#     --url https://github.com/acme/agent-runners --token <registration token> \
#     [--profiles-file ./models.yml] [--runtime runsc] [--with-app] [--labels agent]
#
# Steps: the Docker engine (Debian's docker.io) · gVisor when --runtime runsc · the sandbox and
# allowlist-proxy images (runner-image/) · /etc/inhouse/models.yml · the runner's user · the GitHub
# Actions runner registered with the `agent` label and installed as a service (only with --token) ·
# a systemd unit for the App (only with --with-app; docker-compose.yml is the other way).
# Then: `npm run inhouse -- doctor` (docs/install.md).
#
# Options (environment variables in brackets):
#   --url URL                 Repository or organisation the runner serves, e.g. https://github.com/acme/agent-runners
#   --token TOKEN             Runner registration token (Settings → Actions → Runners → New runner) [RUNNER_TOKEN]
#   --labels LIST             Extra runner labels, comma-separated (default agent)
#   --name NAME               Runner name (default: this host's name)
#   --runner-version V        Actions runner version (default 2.328.0; node24 actions need 2.327.1+)
#   --runner-dir DIR          Where the runner lives (default /opt/actions-runner)
#   --runner-user USER        The runner's account, in the docker group (default inhouse-runner)
#   --profiles-file FILE      Model profiles to install as /etc/inhouse/models.yml (default: a template once)
#   --runtime NAME            Register a stronger sandbox runtime: runsc (gVisor)
#   --with-app                Install and start a systemd unit for the App (npm start in this checkout)
#   --ca-bundle FILE          Extra CA certificates for image builds (TLS-intercepting proxies)
#   --etc DIR                 Configuration root (default /etc; tests use a scratch directory)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

url="" token=${RUNNER_TOKEN:-} labels=agent name=$(hostname) runner_version=2.328.0
runner_dir=/opt/actions-runner runner_user=inhouse-runner profiles="" runtime="" with_app=0
ca_bundle=${INHOUSE_CA_BUNDLE:-} etc=/etc
usage() { sed -n '2,27p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --url) url=$2; shift 2 ;;
    --token) token=$2; shift 2 ;;
    --labels) labels=$2; shift 2 ;;
    --name) name=$2; shift 2 ;;
    --runner-version) runner_version=$2; shift 2 ;;
    --runner-dir) runner_dir=$2; shift 2 ;;
    --runner-user) runner_user=$2; shift 2 ;;
    --profiles-file) profiles=$2; shift 2 ;;
    --runtime) runtime=$2; shift 2 ;;
    --with-app) with_app=1; shift ;;
    --ca-bundle) ca_bundle=$2; shift 2 ;;
    --etc) etc=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

changes=0
changed() { changes=$((changes + 1)); echo "install: $1"; }
same() { echo "install: $1 (unchanged)"; }
die() { echo "install: $1" >&2; exit 1; }

[ "$(id -u)" = "0" ] || die "run as root (sudo): it installs packages, a user and services"
. /etc/os-release 2>/dev/null || true
case "${ID:-}:${ID_LIKE:-}" in
  debian:*|ubuntu:*|*:*debian*) ;;
  *) die "this script knows Debian and Ubuntu (found ${PRETTY_NAME:-an unknown system}); follow docs/install.md by hand" ;;
esac
if [ -n "$token" ] && [ -z "$url" ]; then die "--token needs --url: the repository or organisation the runner registers with"; fi
case "$runtime" in ""|runsc) ;; *) die "--runtime knows runsc (gVisor); register $runtime by hand (docs/action.md, sandbox runtimes)" ;; esac

# 1. Packages: the Docker engine and what the images and the runner need.
need=()
for pkg in docker.io git curl ca-certificates debootstrap python3-minimal; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  changed "installed ${need[*]}"
else
  same "packages"
fi

# 2. The engine running (systemd where there is one, else the project's script).
if docker info >/dev/null 2>&1; then
  same "Docker engine answering"
elif [ -d /run/systemd/system ]; then
  systemctl enable --now docker >/dev/null
  changed "Docker engine enabled and started (systemd)"
else
  bash "$root/scripts/docker-engine.sh" >/dev/null
  changed "Docker engine started (no systemd: scripts/docker-engine.sh)"
fi

# 3. A stronger runtime when asked for.
if [ "$runtime" = "runsc" ]; then
  out=$(bash "$root/scripts/gvisor-runtime.sh")
  if grep -q "registered runsc" <<<"$out"; then changed "gVisor registered as runtime runsc"; else same "gVisor runtime runsc"; fi
fi

# 4. The images (each build script skips an image whose content hash is unchanged).
ca_args=()
[ -n "$ca_bundle" ] && ca_args=(--ca-bundle "$ca_bundle")
for script in runner-image/build.sh runner-image/egress-proxy/build.sh; do
  out=$(bash "$root/$script" "${ca_args[@]}" 2>&1) || { echo "$out" >&2; die "$script failed (see above)"; }
  if grep -q "is up to date" <<<"$out"; then same "$(tail -n 1 <<<"$out")"; else changed "$(tail -n 1 <<<"$out")"; fi
done

# 5. The model profiles file, readable by the runner only.
mkdir -p "$etc/inhouse"
target="$etc/inhouse/models.yml"
if [ -n "$profiles" ]; then
  [ -f "$profiles" ] || die "--profiles-file $profiles does not exist"
  if cmp -s "$profiles" "$target"; then same "$target"; else install -m 0640 "$profiles" "$target"; changed "installed $target"; fi
elif [ -f "$target" ]; then
  same "$target (kept as it is)"
else
  cat >"$target" <<'YAML'
# Model profiles for the inhouse action (docs/action.md, "Model profiles"). Edit baseUrl and model,
# then run `npm run inhouse -- doctor`. Keys come from the environment (apiKeyEnv), never this file.
profiles:
  default:
    baseUrl: http://localhost:8000/v1
    model: your-model-name
YAML
  chmod 0640 "$target"
  changed "wrote a template $target (edit baseUrl and model)"
fi

# 6. The runner's account, allowed to use Docker.
if id "$runner_user" >/dev/null 2>&1; then
  same "user $runner_user"
else
  useradd --create-home --shell /bin/bash "$runner_user"
  changed "created user $runner_user"
fi
if id -nG "$runner_user" | tr ' ' '\n' | grep -qx docker; then
  same "$runner_user in the docker group"
else
  usermod -aG docker "$runner_user"
  changed "added $runner_user to the docker group"
fi
if [ "$(stat -c %G "$target")" = "$runner_user" ]; then same "$target readable by $runner_user"; else
  chgrp "$runner_user" "$target"; changed "$target readable by $runner_user"; fi

# 7. The GitHub Actions runner, registered with the agent label, as a service.
if [ -f "$runner_dir/.runner" ]; then
  same "runner already registered in $runner_dir"
elif [ -z "$token" ]; then
  echo "install: runner not registered: pass --url and --token (a registration token from Settings → Actions → Runners → New runner) to register it"
else
  mkdir -p "$runner_dir"
  if [ ! -x "$runner_dir/config.sh" ]; then
    tarball="actions-runner-linux-x64-$runner_version.tar.gz"
    curl -fsSL -o "/tmp/$tarball" "https://github.com/actions/runner/releases/download/v$runner_version/$tarball" ||
      die "could not download the runner $runner_version; download $tarball by hand into $runner_dir and run again"
    tar -xzf "/tmp/$tarball" -C "$runner_dir"
    rm -f "/tmp/$tarball"
    "$runner_dir/bin/installdependencies.sh" >/dev/null
  fi
  chown -R "$runner_user:$runner_user" "$runner_dir"
  su "$runner_user" -c "cd '$runner_dir' && ./config.sh --unattended --url '$url' --token '$token' --name '$name' --labels '$labels' --replace"
  (cd "$runner_dir" && ./svc.sh install "$runner_user" && ./svc.sh start) >/dev/null
  changed "runner $name registered with labels $labels and started as a service"
fi

# 8. The App as a systemd service, when it runs on this host too.
if [ "$with_app" = "1" ]; then
  unit=$(cat <<UNIT
[Unit]
Description=inhouse GitHub App
After=network-online.target docker.service

[Service]
WorkingDirectory=$root
EnvironmentFile=$etc/inhouse/app.env
Environment=NODE_ENV=production
ExecStart=/usr/bin/env npm start
Restart=on-failure
User=$runner_user

[Install]
WantedBy=multi-user.target
UNIT
)
  unit_file="$etc/systemd/system/inhouse-app.service"
  mkdir -p "$(dirname "$unit_file")"
  if [ -f "$unit_file" ] && [ "$(cat "$unit_file")" = "$unit" ]; then same "$unit_file"; else
    printf '%s\n' "$unit" >"$unit_file"; changed "wrote $unit_file"; fi
  if [ ! -f "$etc/inhouse/app.env" ]; then
    printf '%s\n' "# APP_ID, PRIVATE_KEY_PATH and WEBHOOK_SECRET from the App's settings page (docs/app.md)" >"$etc/inhouse/app.env"
    chmod 0600 "$etc/inhouse/app.env"
    changed "wrote $etc/inhouse/app.env (fill in the App's settings)"
  fi
  if [ -d /run/systemd/system ] && [ "$etc" = "/etc" ]; then
    systemctl daemon-reload
    systemctl is-enabled --quiet inhouse-app 2>/dev/null || { systemctl enable --now inhouse-app; changed "inhouse-app enabled and started"; }
  fi
fi

echo "install: $changes changes"
echo "install: next, check the host: npm run inhouse -- doctor --profiles-file $target (docs/install.md)"
