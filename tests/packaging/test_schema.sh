#!/usr/bin/env bash
# schema_supabase_migrations: applies packaging/supabase/migrations to a real PostgreSQL 15 started
# here (temporary data directory, free loopback port, wal_level=logical) on top of a stand-in for
# what Supabase provides (schema/supabase-standin.sql), then checks, as two different signed-in
# users the way PostgREST runs requests (role authenticated + request.jwt.claims), what RLS, the
# grants, the triggers, the publication and the database broadcasts do. Every query's output is
# compared exactly; expected failures must fail with the expected SQLSTATE.
#
# initdb/postgres refuse to run as root: as root the server runs as the unprivileged user
# `nobody` in a directory under /tmp it owns; otherwise as the caller. It is stopped on any exit.
# Environment (from CTest): TF_SOURCE_DIR. Optional: TF_PG_BINDIR (default: PostgreSQL 15's).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
tf_require_env TF_SOURCE_DIR
migrations_dir="$TF_SOURCE_DIR/packaging/supabase/migrations"
standin="$TF_SOURCE_DIR/tests/packaging/schema/supabase-standin.sql"

# --- the server --------------------------------------------------------------------------------
pg_bin="${TF_PG_BINDIR:-/usr/lib/postgresql/15/bin}"
[ -x "$pg_bin/postgres" ] || tf_fail "PostgreSQL 15 server not found in $pg_bin: apt-get install postgresql (scripts/test.sh installs it)"
tf_need psql postgresql-client
tf_need pg_isready postgresql-client
"$pg_bin/postgres" --version

if [ "$(id -u)" -eq 0 ]; then
  pg_user=nobody
  work="$(mktemp -d /tmp/tf-schema.XXXXXX)"   # /tmp: reachable by nobody, unlike e.g. /root
  chown "$pg_user" "$work"
  as_pg_user() { runuser -u "$pg_user" -- "$@"; }
else
  pg_user="$(id -un)"
  work="$(mktemp -d "${TMPDIR:-/tmp}/tf-schema.XXXXXX")"
  as_pg_user() { "$@"; }
fi
data="$work/data"
cleanup() {
  if [ -f "$data/postmaster.pid" ]; then
    as_pg_user "$pg_bin/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"   # the server's user must be able to stat the working directory

as_pg_user "$pg_bin/initdb" -D "$data" -U supabase_admin --auth=trust --encoding=UTF8 --locale=C \
  --no-sync >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log" >&2; tf_fail "initdb failed (as $pg_user)"; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=""
for attempt in 1 2 3 4 5; do
  candidate=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
  port_in_use "$candidate" && continue
  # pg_ctl -w polls the server itself (bounded by -t) until it accepts connections or dies.
  if as_pg_user "$pg_bin/pg_ctl" -D "$data" -l "$work/postgres.log" -w -t 60 \
       -o "-c port=$candidate -c listen_addresses=127.0.0.1 -c unix_socket_directories=$work -c wal_level=logical -c fsync=off" \
       start >/dev/null; then
    port="$candidate"
    break
  fi
  grep -q 'could not bind\|Address already in use' "$work/postgres.log" 2>/dev/null || { cat "$work/postgres.log" >&2; tf_fail "postgres did not start"; }
done
[ -n "$port" ] || tf_fail "no free port found for postgres after 5 attempts"
pg_isready -q -h 127.0.0.1 -p "$port" -t 10 || tf_fail "pg_isready: server on port $port not ready"
tf_pass "PostgreSQL running as $pg_user on 127.0.0.1:$port"

export PGHOST=127.0.0.1 PGPORT="$port" PGDATABASE=postgres PGCONNECT_TIMEOUT=10
unset PGUSER PGPASSWORD PGSERVICE PGOPTIONS
# psql_as ROLE [args]: a login as ROLE, quiet, unaligned, stopping at the first error.
psql_as() { local role="$1"; shift; psql -X -q -At -v ON_ERROR_STOP=1 -v VERBOSITY=sqlstate -U "$role" "$@"; }

tf_expect_eq "server setting wal_level" "logical" "$(psql_as supabase_admin -c 'show wal_level')"

# --- stand-in, then the migrations as Supabase's (non-superuser) postgres role ------------------
psql_as supabase_admin -f "$standin" >/dev/null || tf_fail "the Supabase stand-in did not apply"
shopt -s nullglob
migrations=("$migrations_dir"/[0-9]*_*.sql)
shopt -u nullglob
[ "${#migrations[@]}" -ge 1 ] || tf_fail "no migrations in $migrations_dir"
for file in "${migrations[@]}"; do
  # One transaction per file, as `supabase db push` applies them.
  psql_as postgres -1 -f "$file" >/dev/null || tf_fail "migration $(basename "$file") failed"
  tf_pass "applied $(basename "$file")"
done

# --- helpers for the checks ----------------------------------------------------------------------
A=0a0a0a0a-0000-4000-8000-00000000000a
B=0b0b0b0b-0000-4000-8000-00000000000b
claims() { printf '{"sub":"%s","role":"authenticated","aud":"authenticated"}' "$1"; }

# sql_as WHO SQL: runs SQL in one transaction as PostgREST would for WHO: a user id (role
# authenticated + that user's JWT claims), "anon" or "service_role". TOPIC=<t> in the
# environment also sets realtime.topic as Realtime does when authorizing a channel join.
sql_as() {
  local who="$1" sql="$2" setup
  case "$who" in
    anon) setup="set local role anon;" ;;
    service_role) setup="set local role service_role; set local request.jwt.claims = '{\"role\":\"service_role\"}';" ;;
    *) setup="set local role authenticated; set local request.jwt.claims = '$(claims "$who")';" ;;
  esac
  if [ -n "${TOPIC:-}" ]; then setup="$setup set local realtime.topic = '$TOPIC';"; fi
  psql_as supabase_admin <<SQL
begin;
$setup
$sql
commit;
SQL
}
# expect DESCRIPTION WHO SQL EXPECTED
expect() { tf_expect_eq "$1" "$4" "$(sql_as "$2" "$3")"; }
# expect_error DESCRIPTION WHO SQL SQLSTATE: the statement must fail with exactly that SQLSTATE.
expect_error() {
  local out
  if out="$(sql_as "$2" "$3" 2>&1)"; then
    tf_fail "$1: succeeded but should have failed with $4 (output: $out)"
  fi
  grep -q "^ERROR:  $4\$" <<<"$out" || tf_fail "$1: expected SQLSTATE $4, got: $out"
  tf_pass "$1 (fails with $4)"
}

# --- structure -------------------------------------------------------------------------------
tf_expect_eq "the publication lists the four tables" \
  "public.instruments,public.orders,public.positions,public.trades" \
  "$(psql_as supabase_admin -c "select string_agg(schemaname || '.' || tablename, ',' order by tablename) from pg_publication_tables where pubname = 'supabase_realtime'")"
tf_expect_eq "replica identity: full where old records are needed" \
  "instruments=d,orders=f,positions=f,trades=d" \
  "$(psql_as supabase_admin -c "select string_agg(relname || '=' || relreplident::text, ',' order by relname) from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r'")"
tf_expect_eq "every table has RLS enabled and a primary key" \
  "instruments|true|true,orders|true|true,positions|true|true,trades|true|true" \
  "$(psql_as supabase_admin -c "select string_agg(c.relname || '|' || c.relrowsecurity || '|' || exists (select 1 from pg_constraint p where p.conrelid = c.oid and p.contype = 'p'), ',' order by c.relname) from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'")"
tf_expect_eq "no function in the exposed public schema (nothing callable as /rpc)" \
  "0" "$(psql_as supabase_admin -c "select count(*) from pg_proc where pronamespace = 'public'::regnamespace")"

# --- seed: two traders and two instruments, as the back office would ----------------------------
psql_as supabase_admin -c "insert into auth.users (id, email) values ('$A', 'alice@example.com'), ('$B', 'bob@example.com')" >/dev/null
sql_as service_role "insert into public.instruments (symbol, name, tick_size) values ('AAPL', 'Apple Inc.', 0.01), ('MSFT', 'Microsoft Corp.', 0.01);" >/dev/null

C1=c1000000-0000-4000-8000-000000000001   # A: limit buy, filled below
C2=c2000000-0000-4000-8000-000000000002   # B: market sell
C3=c3000000-0000-4000-8000-000000000003   # A: explicit user_id, stays open
C4=c4000000-0000-4000-8000-000000000004   # A: accepted order, cancel requested below
C5=c5000000-0000-4000-8000-000000000005   # A: attempted for B

# --- orders: insert as each user ------------------------------------------------------------------
expect "A places an order; user_id and status come from the defaults" "$A" \
  "insert into public.orders (client_order_id, symbol, side, qty, type, limit_price) values ('$C1', 'AAPL', 'buy', 10, 'limit', 189.5) returning user_id, status, filled_qty;" \
  "$A|new|0"
expect "A places an order naming itself (what supabase-js sends)" "$A" \
  "insert into public.orders (client_order_id, user_id, symbol, side, qty, type, limit_price) values ('$C3', '$A', 'MSFT', 'sell', 5, 'limit', 420) returning user_id;" \
  "$A"
expect "B places an order" "$B" \
  "insert into public.orders (client_order_id, symbol, side, qty) values ('$C2', 'MSFT', 'sell', 3) returning user_id, type;" \
  "$B|market"
expect_error "A cannot place an order for B" "$A" \
  "insert into public.orders (client_order_id, user_id, symbol, side, qty) values ('$C5', '$B', 'AAPL', 'buy', 1);" 42501
expect_error "A cannot set the status on insert" "$A" \
  "insert into public.orders (client_order_id, symbol, side, qty, status) values ('$C5', 'AAPL', 'buy', 1, 'filled');" 42501
expect_error "anon cannot place orders" anon \
  "insert into public.orders (client_order_id, user_id, symbol, side, qty) values ('$C5', '$A', 'AAPL', 'buy', 1);" 42501
expect_error "qty must be positive" "$A" \
  "insert into public.orders (client_order_id, symbol, side, qty) values ('$C5', 'AAPL', 'buy', 0);" 23514
expect_error "a limit order needs a limit price" "$A" \
  "insert into public.orders (client_order_id, symbol, side, qty, type) values ('$C5', 'AAPL', 'buy', 1, 'limit');" 23514
expect_error "side must be buy or sell" "$A" \
  "insert into public.orders (client_order_id, symbol, side, qty) values ('$C5', 'AAPL', 'short', 1);" 22P02
expect_error "an unknown symbol is refused" "$A" \
  "insert into public.orders (client_order_id, symbol, side, qty) values ('$C5', 'NOPE', 'buy', 1);" 23503

# The offline queue's resend: PostgREST on_conflict=client_order_id + resolution=ignore-duplicates.
expect "a duplicate client_order_id with ON CONFLICT DO NOTHING inserts nothing" "$A" \
  "with ins as (insert into public.orders (client_order_id, symbol, side, qty, type, limit_price) values ('$C1', 'AAPL', 'buy', 99, 'limit', 1) on conflict (client_order_id) do nothing returning id) select count(*) from ins;" \
  "0"
expect "... and leaves the first order as it was" "$A" \
  "select count(*), min(qty), min(limit_price) from public.orders where client_order_id = '$C1';" \
  "1|10|189.5"
expect_error "a duplicate client_order_id without ON CONFLICT is a unique violation" "$A" \
  "insert into public.orders (client_order_id, symbol, side, qty) values ('$C1', 'AAPL', 'buy', 1);" 23505

# --- the back office fills, and writes trades and positions ----------------------------------------
sql_as service_role "
update public.orders set status = 'filled', filled_qty = 10, avg_fill_price = 189.5 where client_order_id = '$C1';
insert into public.trades (user_id, order_id, symbol, side, qty, price)
    select user_id, id, symbol, side, 10, 189.5 from public.orders where client_order_id = '$C1';
insert into public.trades (user_id, order_id, symbol, side, qty, price)
    select user_id, id, symbol, side, 3, 421 from public.orders where client_order_id = '$C2';
insert into public.positions (user_id, symbol, qty, avg_price, updated_at) values
    ('$A', 'AAPL', 10, 189.5, '2000-01-01T00:00:00Z'), ('$B', 'MSFT', -3, 421, '2000-01-01T00:00:00Z');
insert into public.orders (client_order_id, user_id, symbol, side, qty, status, created_at, updated_at)
    values ('$C4', '$A', 'AAPL', 'sell', 2, 'accepted', '2000-01-01T00:00:00Z', '2000-01-01T00:00:00Z');
" >/dev/null
expect_error "a trade cannot point at another user's order" service_role \
  "insert into public.trades (user_id, order_id, symbol, side, qty, price) select '$B', id, symbol, side, 1, 1 from public.orders where client_order_id = '$C1';" 23503

# --- what each user can read ---------------------------------------------------------------------
expect "A sees only A's orders" "$A" \
  "select string_agg(client_order_id::text, ',' order by client_order_id) from public.orders;" "$C1,$C3,$C4"
expect "B sees only B's orders" "$B" \
  "select string_agg(client_order_id::text, ',' order by client_order_id) from public.orders;" "$C2"
expect "A sees only A's trades" "$A" \
  "select string_agg(user_id || ':' || symbol || ':' || qty, ',' order by id) from public.trades;" "$A:AAPL:10"
expect "B sees only B's trades" "$B" \
  "select string_agg(user_id || ':' || symbol || ':' || qty, ',' order by id) from public.trades;" "$B:MSFT:3"
expect "A sees only A's positions" "$A" \
  "select string_agg(user_id || ':' || symbol || ':' || qty, ',' order by id) from public.positions;" "$A:AAPL:10"
expect "B sees only B's positions" "$B" \
  "select string_agg(user_id || ':' || symbol || ':' || qty, ',' order by id) from public.positions;" "$B:MSFT:-3"
expect "both read all instruments" "$B" \
  "select string_agg(symbol, ',' order by symbol) from public.instruments;" "AAPL,MSFT"
expect "service_role reads everything" service_role \
  "select (select count(*) from public.orders) || '/' || (select count(*) from public.trades) || '/' || (select count(*) from public.positions);" "4/2/2"
expect_error "anon cannot read instruments" anon "select * from public.instruments;" 42501
expect_error "anon cannot read orders" anon "select * from public.orders;" 42501
tf_expect_eq "authenticated without a sub claim sees no orders" "0" \
  "$(psql_as supabase_admin -c "begin; set local role authenticated; select count(*) from public.orders; commit;")"

# --- what each user can change ---------------------------------------------------------------------
expect "A requests the cancel of its accepted order; updated_at is set by the trigger" "$A" \
  "update public.orders set status = 'cancel_requested' where client_order_id = '$C4' returning status, updated_at = now(), updated_at > '2000-01-01T00:00:00Z', created_at = '2000-01-01T00:00:00Z';" \
  "cancel_requested|t|t|t"
expect "A cannot cancel B's order (the row is invisible: nothing updated)" "$A" \
  "with upd as (update public.orders set status = 'cancel_requested' where client_order_id = '$C2' returning 1) select count(*) from upd;" "0"
expect "... and B's order is unchanged" service_role \
  "select status from public.orders where client_order_id = '$C2';" "new"
expect "A cannot cancel a filled order (nothing updated)" "$A" \
  "with upd as (update public.orders set status = 'cancel_requested' where client_order_id = '$C1' returning 1) select count(*) from upd;" "0"
expect_error "A cannot move its order to any other status" "$A" \
  "update public.orders set status = 'filled' where client_order_id = '$C3';" 42501
expect_error "A cannot change the quantity" "$A" \
  "update public.orders set qty = 1 where client_order_id = '$C3';" 42501
expect_error "A cannot delete orders" "$A" "delete from public.orders where client_order_id = '$C3';" 42501
expect_error "A cannot write trades" "$A" \
  "insert into public.trades (order_id, symbol, side, qty, price) select id, symbol, side, 1, 1 from public.orders where client_order_id = '$C3';" 42501
expect_error "A cannot write positions" "$A" "update public.positions set qty = 1000;" 42501
expect "the back office's position update refreshes updated_at" service_role \
  "update public.positions set qty = 12 where user_id = '$A' returning updated_at = now(), updated_at > '2000-01-01T00:00:00Z';" "t|t"

# --- database broadcasts on the private topic user:<id> ----------------------------------------
tf_expect_eq "an order insert is broadcast on user:<A> with {schema, table, operation, record, old_record}" \
  "user:$A|broadcast|INSERT|t|old_record,operation,record,schema,table|public|orders|INSERT|$A|new|null" \
  "$(psql_as supabase_admin -c "select topic, extension, event, private, (select string_agg(k, ',' order by k) from jsonb_object_keys(payload) k), payload->>'schema', payload->>'table', payload->>'operation', payload->'record'->>'user_id', payload->'record'->>'status', jsonb_typeof(payload->'old_record') from realtime.messages where event = 'INSERT' and payload->>'table' = 'orders' and payload->'record'->>'client_order_id' = '$C1'")"
tf_expect_eq "the cancel request is broadcast as an UPDATE with the old record" \
  "user:$A|UPDATE|accepted|cancel_requested" \
  "$(psql_as supabase_admin -c "select topic, event, payload->'old_record'->>'status', payload->'record'->>'status' from realtime.messages where event = 'UPDATE' and payload->>'table' = 'orders' and payload->'record'->>'client_order_id' = '$C4'")"
tf_expect_eq "B's trade is broadcast on user:<B>" \
  "user:$B|INSERT|trades|421" \
  "$(psql_as supabase_admin -c "select topic, event, payload->>'table', payload->'record'->>'price' from realtime.messages where payload->>'table' = 'trades' and payload->'record'->>'user_id' = '$B'")"
sql_as service_role "delete from public.positions where user_id = '$B';" >/dev/null
tf_expect_eq "a deleted position is broadcast as a DELETE with only old_record" \
  "user:$B|DELETE|null|MSFT" \
  "$(psql_as supabase_admin -c "select topic, event, jsonb_typeof(payload->'record'), payload->'old_record'->>'symbol' from realtime.messages where event = 'DELETE' and payload->>'table' = 'positions'")"
tf_expect_eq "no message about a user's rows goes to another user's topic" "0" \
  "$(psql_as supabase_admin -c "select count(*) from realtime.messages where topic <> 'user:' || coalesce(payload->'record'->>'user_id', payload->'old_record'->>'user_id')")"
tf_expect_eq "messages per topic (A: 3 order inserts, fill, cancel, trade, position insert+update; B: order, trade, position insert+delete)" \
  "user:$A=8,user:$B=4" \
  "$(psql_as supabase_admin -c "select string_agg(topic || '=' || n, ',' order by topic) from (select topic, count(*) n from realtime.messages group by topic) t")"

# Who may read realtime.messages: what Realtime checks when a client joins the private channel
# (role + claims + realtime.topic set, then SELECT on realtime.messages).
TOPIC="user:$A" expect "A may receive its own topic" "$A" \
  "select count(*) > 0, bool_and(topic = 'user:$A') from realtime.messages;" "t|t"
TOPIC="user:$A" expect "B may not receive A's topic" "$B" "select count(*) from realtime.messages;" "0"
TOPIC="user:$B" expect "B on its own topic still reads none of A's messages" "$B" \
  "select count(*) filter (where topic = 'user:$A'), count(*) > 0 from realtime.messages;" "0|t"
expect "without a channel topic nothing is readable" "$A" "select count(*) from realtime.messages;" "0"
TOPIC="user:$A" expect "anon may not receive A's topic" anon "select count(*) from realtime.messages;" "0"
TOPIC="user:$A" expect_error "A cannot send on its topic (the feed is read-only)" "$A" \
  "insert into realtime.messages (topic, extension, payload, event) values ('user:$A', 'broadcast', '{}', 'x');" 42501
# Realtime's own join probe: insert a message for the topic, then select it back as the user.
probe() {
  psql_as supabase_admin <<SQL
begin;
insert into realtime.messages (topic, extension) values ('user:$A', 'broadcast') returning id \gset probe_
set local role authenticated;
select set_config('request.jwt.claims', '$(claims "$1")', true) \g /dev/null
select set_config('realtime.topic', 'user:$A', true) \g /dev/null
select count(*) from realtime.messages where topic = 'user:$A' and extension = 'broadcast' and id = :'probe_id';
rollback;
SQL
}
tf_expect_eq "Realtime's join probe for user:<A> passes for A" "1" "$(probe "$A")"
tf_expect_eq "Realtime's join probe for user:<A> fails for B" "0" "$(probe "$B")"

echo "schema: all checks passed"
