#!/bin/sh
# The demo workload: what container entrypoints do before the application starts (directories,
# modes, a config file, a few helper commands), then the application's main loop. Every helper is a
# busybox applet run as its own short-lived process, as in real images.
set -eu
mkdir -p /var/lib/demo/data /var/log/demo /run/demo
chmod 0750 /var/lib/demo/data
chmod 1777 /run/demo
ln -sf /var/lib/demo/data /data
echo "demo started at $(date -u +%Y-%m-%dT%H:%M:%SZ) as uid $(id -u) on $(hostname)" > /var/log/demo/start.log
cat /var/log/demo/start.log
touch /run/demo/ready
# The main loop: a real application would run until stopped; the demo does a bounded amount of work.
i=0
while [ "$i" -lt "${DEMO_TICKS:-5}" ]; do
  echo "tick $i" >> /var/log/demo/app.log
  sleep 1
  i=$((i + 1))
done
echo "demo: main loop done after $(wc -l < /var/log/demo/app.log) ticks"
