# Backs up Prometheus's data (a TSDB snapshot, consistent while Prometheus
# runs) and Grafana's state (users, preferences, annotations; the dashboards
# themselves are generated files). Run it in generated/, where
# docker-compose.yml is:  sh scripts/backup.sh [backup-directory]
set -eu

dest=${1:-backups/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)

# docker compose v2, or Debian's docker-compose.
dc() {
  if docker compose version >/dev/null 2>&1; then
    docker compose "$@"
  else
    docker-compose "$@"
  fi
}

if [ "$admin_api" = yes ]; then
  # The admin API is on, and reachable on loopback only: the port is
  # published on 127.0.0.1.
  answer=$(curl -fsS -X POST http://127.0.0.1:9090/api/v1/admin/tsdb/snapshot)
  snapshot=$(printf '%s' "$answer" | sed -n 's/.*"name":"\([^"]*\)".*/\1/p')
  if [ -z "$snapshot" ]; then
    echo "Prometheus answered without a snapshot name: $answer" >&2
    exit 1
  fi
  dc exec -T prometheus tar -C "/prometheus/snapshots/$snapshot" -czf - . > "$dest/prometheus.tar.gz"
  dc exec -T prometheus rm -rf "/prometheus/snapshots/$snapshot"
else
  # Prometheus is exposed, so its admin API stays off: copy the data with
  # Prometheus stopped.
  dc stop prometheus
  dc run --rm --no-deps -T --entrypoint tar -v "$dest:/backup" prometheus -C /prometheus -czf /backup/prometheus.tar.gz .
  dc start prometheus
fi

# Grafana's SQLite database is copied with Grafana stopped.
dc stop grafana
dc run --rm --no-deps -T --entrypoint tar -v "$dest:/backup" grafana -C /var/lib/grafana -czf /backup/grafana.tar.gz .
dc start grafana

echo "backed up to $dest"
