#!/usr/bin/env bash
# Installs the Debian packages jixing needs, when missing and when we may (root or sudo);
# otherwise prints the one command to run. Usage: system-deps.sh runtime|test
set -euo pipefail
# unicode-data: Unihan stroke counts for surname stroke order (jixing/tables/strokes.py).
want=(fonts-noto-cjk libharfbuzz-subset0 unicode-data)
if [ "${1:-runtime}" = "test" ]; then want+=(chromium); fi
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ]; then sudo=""; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo"; else
  echo "缺少系统软件包 / missing system packages: ${missing[*]}"
  echo "请运行 / please run:  sudo apt-get update && sudo apt-get install -y ${missing[*]}"
  exit 0
fi
echo "安装系统软件包 / installing: ${missing[*]}"
$sudo apt-get update -qq >/dev/null || true
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
