# Sourced by the benchmarks whose times suffer most when other programs share the host's cores (bench/distributed.sh,
# bench/tabular.sh). wait_quiet waits, at most QUIET_S seconds, until the machine's cores are at most QUIET_PCT %
# busy, and prints a QUIET line with how busy they were and how long it waited; the caller sets both variables.

# Percent of all cores busy over one second, from /proc/stat (user..steal; idle and iowait count as idle).
cpu_busy() {
  local a b total=0 i
  read -ra a < /proc/stat; sleep 1; read -ra b < /proc/stat
  for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
  echo $((100 - 100 * (b[4] + b[5] - a[4] - a[5]) / (total > 0 ? total : 1)))
}
wait_quiet() {
  local waited=0 busy
  while busy=$(cpu_busy); [ "$busy" -gt "$QUIET_PCT" ] && [ "$waited" -lt "$QUIET_S" ]; do sleep 2; waited=$((waited + 3)); done
  echo "QUIET busy_pct=$busy waited_s=$waited"
}
