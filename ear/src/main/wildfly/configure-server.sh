#!/usr/bin/env bash
# Applies the CLI scripts of this folder to an unpacked WildFly (offline, embed-server).
# Idempotent: the pristine standalone-full.xml is kept aside and the scripts are re-applied to it
# whenever they change, so a server is never configured twice or left half-configured.
set -euo pipefail
home=${1:?usage: configure-server.sh WILDFLY_HOME}
here=$(cd "$(dirname "$0")" && pwd)
cfg="$home/standalone/configuration"
scripts=("$here/server.cli")

sum=$(cat "${scripts[@]}" "$0" | sha256sum | cut -d' ' -f1)
if [ -f "$cfg/.rva-configured" ] && [ "$(cat "$cfg/.rva-configured")" = "$sum" ]; then
  echo "WildFly at $home is already configured (scripts unchanged)"
  exit 0
fi
[ -f "$cfg/standalone-full.xml.pristine" ] || cp "$cfg/standalone-full.xml" "$cfg/standalone-full.xml.pristine"
cp "$cfg/standalone-full.xml.pristine" "$cfg/standalone-full.xml"
rm -rf "$home/standalone/data" "$home/standalone/tmp" "$home/standalone/deployments/"*.ear*

for script in "${scripts[@]}"; do
  echo "Applying $(basename "$script") to $home"
  JBOSS_HOME="$home" bash "$home/bin/jboss-cli.sh" --file="$script" > "$cfg/.rva-cli.log" 2>&1 || {
    cat "$cfg/.rva-cli.log" >&2
    echo "ERROR: $(basename "$script") failed on $home (log above)" >&2
    exit 1
  }
done
echo "$sum" > "$cfg/.rva-configured"
echo "WildFly at $home configured"
