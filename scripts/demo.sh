#!/usr/bin/env bash
# The whole system on the embedded default: a hub on SQLite with a generated French portfolio,
# three agents enrolled in their own client folders, working partly offline, then syncing.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="$(swift build --show-bin-path)"
HUB="$BIN/homeshore-hub"
CLI="$BIN/homeshore"
DEMO="$PWD/demo-data"
PORT="${DEMO_PORT:-18443}"
DATA="$DEMO/hub"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

start_hub() {
  "$HUB" serve --data "$DATA" --listen "127.0.0.1:$PORT" >>"$DEMO/hub.log" 2>&1 &
  HUB_PID=$!
  for _ in $(seq 1 100); do
    if curl -sf --cacert "$DATA/ca.pem" "https://localhost:$PORT/healthz" >/dev/null 2>&1; then return 0; fi
    kill -0 "$HUB_PID" 2>/dev/null || { echo "The hub did not start; see $DEMO/hub.log"; tail -5 "$DEMO/hub.log"; exit 1; }
    sleep 0.1
  done
  echo "The hub did not answer on port $PORT; see $DEMO/hub.log"; exit 1
}
stop_hub() { kill -TERM "$HUB_PID" 2>/dev/null && wait "$HUB_PID" 2>/dev/null || true; }
trap 'stop_hub' EXIT

if [ -n "$(ss -ltn "sport = :$PORT" 2>/dev/null | tail -n +2)" ]; then
  echo "Port $PORT is in use; run with DEMO_PORT=another_port make demo"; exit 1
fi
rm -rf "$DEMO"
mkdir -p "$DEMO/agents"

say "Initialising a hub in $DATA"
"$HUB" init --data "$DATA" --public-url "https://localhost:$PORT"
start_hub
echo "Hub running (pid $HUB_PID), log in $DEMO/hub.log"

say "Importing a generated portfolio of 300 French dossiers (portfolio ACME-ENERGIE)"
"$HUB" sample-dossiers --count 300 --seed 7 >"$DEMO/acme-energie.csv"
"$HUB" import dossiers "$DEMO/acme-energie.csv" --portfolio ACME-ENERGIE --data "$DATA"

say "Six weeks of history for the reports: 6 simulated agents on portfolios BANQUE-SUD and TELCO-EST"
"$HUB" sample-activity --agents 6 --days 45 --dossiers 120 --data "$DATA"

say "A supervisor account for the dashboard"
SUPERVISOR=$("$HUB" agent add claire --name "Claire Supervisor" --role supervisor --team paris --data "$DATA" | sed -n 's/^password: //p')

say "Loading call scripts for the portfolio (deploy/sample-scripts)"
"$HUB" scripts load deploy/sample-scripts --portfolio ACME-ENERGIE --data "$DATA"

AGENTS=(camille hugo sofia)
NAMES=("Camille Rousseau" "Hugo Lefèvre" "Sofia Benali")
say "Adding and enrolling three agents"
for i in 0 1 2; do
  login="${AGENTS[$i]}"
  token=$("$HUB" agent add "$login" --name "${NAMES[$i]}" --team paris --languages fr,en --portfolios ACME-ENERGIE --capacity 40 --data "$DATA")
  "$CLI" enroll "$token" --device-name "laptop-$login" --home "$DEMO/agents/$login"
  refs=()
  for n in $(seq $((i * 40 + 1)) $((i * 40 + 40))); do refs+=("$(printf 'D-%06d' "$n")"); done
  "$HUB" assign "${refs[@]}" --to "$login" --data "$DATA"
  "$CLI" sync --home "$DEMO/agents/$login"
done

OUTCOMES=(no-answer voicemail right-party busy callback right-party wrong-number refused)
work() {
  local login=$1 first=$2 count=$3
  for n in $(seq "$first" $((first + count - 1))); do
    ref=$(printf 'D-%06d' "$n")
    outcome=${OUTCOMES[$((n % ${#OUTCOMES[@]}))]}
    "$CLI" call "$ref" --outcome "$outcome" --duration "$((n % 5))m$((n % 60))s" --note "Appel du $(date +%d/%m), rappel de la mise en demeure" --home "$DEMO/agents/$login" >/dev/null
  done
}

say "Agents work online for a while"
work camille 1 5; work hugo 41 5; work sofia 81 5
for login in "${AGENTS[@]}"; do "$CLI" sync --home "$DEMO/agents/$login"; done

say "The home internet drops (hub stopped): agents keep working offline"
stop_hub
work camille 6 10; work hugo 46 10; work sofia 86 10
"$CLI" note D-000006 "Débitrice au chômage, propose de rappeler début du mois" --home "$DEMO/agents/camille"
"$CLI" contact D-000046 --phone "+33 6 98 76 54 32" --home "$DEMO/agents/hugo"
DUE=$(date -d "+7 days" +%F); FIRST=$(date -d "+10 days" +%F)
"$CLI" call D-000007 --outcome promise --amount 40.00 --due "$DUE" --duration 4m --note "Virement promis" --home "$DEMO/agents/camille"
"$CLI" plan D-000047 --instalments 3 --amount 30.00 --first "$FIRST" --every 1m --home "$DEMO/agents/hugo"
"$CLI" dispute D-000087 --reason already-paid --note "Dit avoir payé par chèque en septembre" --home "$DEMO/agents/sofia"
set +e
"$CLI" sync --home "$DEMO/agents/camille"; echo "(sync exit code $?: the hub is unreachable, the changes stay queued)"
set -e
"$CLI" status --home "$DEMO/agents/camille"

say "The connection is back: everyone syncs"
start_hub
for login in "${AGENTS[@]}"; do "$CLI" sync --home "$DEMO/agents/$login"; done
"$CLI" status --home "$DEMO/agents/camille"

say "The creditor's payments arrive: the promise is kept, the plan's first instalment too"
cat >"$DEMO/payments.csv" <<CSV
reference,amount,paid_on,payment_id
D-000007,40.00,$(date +%F),VIR-0001
D-000047,30.00,$(date +%F),VIR-0002
CSV
"$HUB" import payments "$DEMO/payments.csv" --data "$DATA"
"$HUB" dispute resolve D-000087 --outcome rejected --data "$DATA"
for login in "${AGENTS[@]}"; do "$CLI" sync --home "$DEMO/agents/$login"; done
"$CLI" show D-000007 --home "$DEMO/agents/camille" | sed -n '1,40p'
"$CLI" list --follow-up --home "$DEMO/agents/camille"

say "What should camille call now? (offline, within the calling window and contact caps)"
"$CLI" next --home "$DEMO/agents/camille" | head -12

say "A supervisor moves D-000001 from camille to hugo; its history follows it"
"$HUB" assign D-000001 --to hugo --data "$DATA"
"$CLI" sync --home "$DEMO/agents/camille"; "$CLI" sync --home "$DEMO/agents/hugo"
"$CLI" show D-000001 --home "$DEMO/agents/hugo" | head -20

say "This morning's reports (the dashboard shows the same figures)"
"$HUB" report agents --from "$(date -d '-7 days' +%F)" --data "$DATA" | head -12
"$HUB" report portfolios --data "$DATA"

say "Where things are"
cat <<TXT
Dashboard:         https://localhost:$PORT/   log in as claire, password: $SUPERVISOR
                   (the hub's certificate comes from its own CA, $DATA/ca.pem: import it in the
                   browser, or accept the warning for this demo)
Creditor export:   $HUB report dossiers --portfolio BANQUE-SUD --format csv --data $DATA > banque-sud.csv
Metrics:           curl --cacert $DATA/ca.pem https://localhost:$PORT/metrics
Hub data folder:   $DATA   (SQLite database hub.sqlite, private CA ca.pem, config hub.json)
Hub log:           $DEMO/hub.log
Agents' folders:   $DEMO/agents/{camille,hugo,sofia}
Sample portfolio:  $DEMO/acme-energie.csv

Try the client by hand in another terminal, as camille:
  export HOMESHORE_HOME=$DEMO/agents/camille
  $CLI list
  $CLI search dupont
  $CLI show D-000002
  $CLI next
  $CLI call D-000002 --outcome right-party --duration 3m --note "Promet de payer vendredi"
  $CLI sync && $CLI status
On the hub:
  $HUB agent list --data $DATA
  $HUB dossier show D-000002 --data $DATA

The hub keeps running on https://localhost:$PORT; press Ctrl-C to stop it.
TXT
trap - EXIT
wait "$HUB_PID"
