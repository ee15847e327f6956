#!/bin/sh
# The compose stack's SQL shell: `tsstream sql` with the Iceberg catalog created by
# docker/init.sql. INSERTs typed in the shell run as background processes of this container,
# so when the shell exits while some still run, the container stays up for them: detach with
# Ctrl+P Ctrl+Q to leave them running, or Ctrl+C to cancel them.
set -u
cd /opt/tsstream
tsstream sql -i docker/init.sql "$@"
code=$?
running() { tsstream jobs list 2>/dev/null | grep -c ' RUNNING ' ; }
if [ "$(running)" -gt 0 ]; then
  echo "[INFO] $(running) job(s) started from the shell still run in this container:"
  tsstream jobs list
  echo "[INFO] Detach with Ctrl+P Ctrl+Q to keep them running (docker compose ps shows the container),"
  echo "[INFO] or press Ctrl+C to cancel them and remove the container."
  trap 'for id in $(tsstream jobs list | grep -o "[0-9a-f]\{32\}"); do tsstream jobs cancel "$id"; done; exit 130' INT TERM
  while [ "$(running)" -gt 0 ]; do sleep 5; done
fi
exit $code
