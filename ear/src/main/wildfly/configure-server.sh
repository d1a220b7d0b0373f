#!/usr/bin/env bash
# Applies the CLI scripts of this folder to an unpacked WildFly (offline, embed-server).
# Idempotent: the pristine standalone-full.xml is kept aside and the scripts are re-applied to it
# whenever they change, so a server is never configured twice or left half-configured.
set -euo pipefail
home=${1:?usage: configure-server.sh WILDFLY_HOME [BROKER_EXT_JAR]}
broker_ext=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
cfg="$home/standalone/configuration"
scripts=("$here/server.cli")

# The broker extension (broker-ext/: stamps each message with the user its sender logged in with) as a module;
# server.cli names it in the broker's incoming-interceptors. Always refreshed: the jar may have been rebuilt.
if [ -n "$broker_ext" ]; then
  [ -f "$broker_ext" ] || { echo "ERROR: broker extension jar $broker_ext not found (build broker-ext first)" >&2; exit 1; }
  module_dir="$home/modules/com/rva/broker/main"
  mkdir -p "$module_dir"
  cp -f "$broker_ext" "$module_dir/rva-broker-ext.jar"
  cat > "$module_dir/module.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<!-- Installed by Retail Visitor Analytics (ear/src/main/wildfly/configure-server.sh) -->
<module name="com.rva.broker" xmlns="urn:jboss:module:1.9">
    <resources>
        <resource-root path="rva-broker-ext.jar"/>
    </resources>
    <dependencies>
        <module name="org.apache.activemq.artemis.client"/>
        <module name="org.apache.activemq.artemis.commons"/>
    </dependencies>
</module>
XML
fi

# The gallery's exact scan uses the JDK Vector API, an incubator module on JDK 17 that the JVM loads only when
# asked (com.rva.recognition.Vectors logs which kernel runs). Always checked: standalone.conf is not in the sum.
if ! grep -q 'jdk.incubator.vector' "$home/bin/standalone.conf"; then
  cat >> "$home/bin/standalone.conf" <<'CONF'

# Added by Retail Visitor Analytics (ear/src/main/wildfly/configure-server.sh): the gallery's Vector API scan
JAVA_OPTS="$JAVA_OPTS --add-modules=jdk.incubator.vector"
CONF
fi

# The server's heap: WildFly's own default (-Xmx512m) is too small for the gallery (about 1 GiB per million templates,
# docs/recognition.md) and for the portal's chain-wide pages, whose garbage collections on 512 MB doubled their p95
# (docs/portal-and-api.md). RVA_SERVER_HEAP (e.g. 8g) sizes it where the server starts; the later -Xmx wins.
# Always rewritten (its lines end in '# rva-heap'), so a server configured by an older version gets this one.
sed -i '/# rva-heap$/d' "$home/bin/standalone.conf"
cat >> "$home/bin/standalone.conf" <<'CONF'
# Retail Visitor Analytics (configure-server.sh): the heap, RVA_SERVER_HEAP or 2 GB, committed from the start # rva-heap
JAVA_OPTS="$JAVA_OPTS -Xms${RVA_SERVER_HEAP:-2g} -Xmx${RVA_SERVER_HEAP:-2g}" # rva-heap
CONF

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
