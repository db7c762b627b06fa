# Restores a backup made by backup.sh: Prometheus's data and Grafana's state.
# Run it in generated/:  sh scripts/restore.sh BACKUP_DIRECTORY
set -eu

if [ $# -ne 1 ] || [ ! -f "$1/prometheus.tar.gz" ] || [ ! -f "$1/grafana.tar.gz" ]; then
  echo "usage: sh scripts/restore.sh BACKUP_DIRECTORY (with prometheus.tar.gz and grafana.tar.gz)" >&2
  exit 2
fi
src=$(cd "$1" && pwd)

dc() {
  if docker compose version >/dev/null 2>&1; then
    docker compose "$@"
  else
    docker-compose "$@"
  fi
}

dc stop prometheus grafana
# Both archives hold the data directory's contents: they replace it.
dc run --rm --no-deps -T --entrypoint sh -v "$src:/backup:ro" prometheus -c \
  'rm -rf /prometheus/* && tar -C /prometheus -xzf /backup/prometheus.tar.gz'
dc run --rm --no-deps -T --entrypoint sh -v "$src:/backup:ro" grafana -c \
  'rm -rf /var/lib/grafana/* && tar -C /var/lib/grafana -xzf /backup/grafana.tar.gz'
dc start prometheus grafana
echo "restored from $src"
