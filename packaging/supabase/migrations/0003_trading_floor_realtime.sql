-- Trading Floor, migration 0003: realtime feeds.
--
-- Two ways the app can follow a trader's rows (trading-floor --feed postgres_changes|broadcast; docs/deploy.md):
--  * postgres_changes: the tables are in the supabase_realtime publication; Realtime checks RLS per
--    subscriber. Simple, but every change is evaluated once per subscriber.
--  * broadcast from the database (the scalable path): AFTER triggers publish every row change of
--    orders/trades/positions with realtime.broadcast_changes() on the private topic
--    'user:<user_id>'; a policy on realtime.messages lets each signed-in user join only their own
--    topic. Payload: {schema, table, operation, record, old_record}; event = INSERT/UPDATE/DELETE.

-- Full old images for UPDATE events (status transitions, position changes). Note: with RLS
-- enabled, Realtime still reduces postgres_changes DELETE payloads to the primary key.
alter table public.orders    replica identity full;
alter table public.positions replica identity full;

alter publication supabase_realtime
    add table public.instruments, public.orders, public.trades, public.positions;

-- SECURITY DEFINER: the changing user has no INSERT right on realtime.messages (the feed is
-- read-only for clients), the function owner (postgres) does.
create function trading_floor_private.broadcast_user_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
    perform realtime.broadcast_changes(
        'user:' || coalesce(new.user_id, old.user_id)::text,  -- topic
        tg_op,                                                 -- event
        tg_op,                                                 -- operation
        tg_table_name,
        tg_table_schema,
        new,
        old);
    return null;
end;
$$;
revoke all on function trading_floor_private.broadcast_user_change() from public;

create trigger orders_broadcast_user_change
    after insert or update or delete on public.orders
    for each row execute function trading_floor_private.broadcast_user_change();
create trigger trades_broadcast_user_change
    after insert or update or delete on public.trades
    for each row execute function trading_floor_private.broadcast_user_change();
create trigger positions_broadcast_user_change
    after insert or update or delete on public.positions
    for each row execute function trading_floor_private.broadcast_user_change();

-- Joining the private channel 'user:<uid>' (Realtime checks SELECT on realtime.messages with
-- realtime.topic() set to the channel's topic). Read only: no INSERT policy, so clients cannot
-- send on these topics.
create policy "trading floor: users receive their own user topic"
    on realtime.messages for select to authenticated
    using (
        realtime.messages.extension = 'broadcast'
        and realtime.messages.topic = (select realtime.topic())
        and (select realtime.topic()) = 'user:' || (select auth.uid())::text
    );
