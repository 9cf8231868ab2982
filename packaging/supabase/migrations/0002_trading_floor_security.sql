-- Trading Floor, migration 0002: who may read and write what.
--
-- The anon key is public (it ships in every client), so row-level security and these grants are
-- the only thing protecting the data. Supabase grants ALL on new public tables to anon and
-- authenticated by default; we revoke that and grant back exactly what the app needs:
--   anon           nothing
--   authenticated  reads instruments and *its own* orders/trades/positions; inserts orders for
--                  itself (only the order-entry columns); updates only `status`, only of its own
--                  open orders, and only to 'cancel_requested'
--   service_role   everything (bypasses RLS): the back office / matching engine

alter table public.instruments enable row level security;
alter table public.orders      enable row level security;
alter table public.trades      enable row level security;
alter table public.positions   enable row level security;

revoke all on public.instruments, public.orders, public.trades, public.positions from anon, authenticated;
grant all on public.instruments, public.orders, public.trades, public.positions to service_role;

grant select on public.instruments, public.orders, public.trades, public.positions to authenticated;
-- Column privileges: a client cannot set status, fills, timestamps or the id on insert ...
grant insert (client_order_id, user_id, symbol, side, qty, type, limit_price) on public.orders to authenticated;
-- ... and can change nothing but status afterwards (the policy below limits the values).
grant update (status) on public.orders to authenticated;

create policy "instruments: signed-in users read all"
    on public.instruments for select to authenticated
    using (true);

create policy "orders: users read their own"
    on public.orders for select to authenticated
    using (user_id = (select auth.uid()));

create policy "orders: users place orders for themselves"
    on public.orders for insert to authenticated
    with check (user_id = (select auth.uid()));

create policy "orders: users ask to cancel their own open orders"
    on public.orders for update to authenticated
    using (user_id = (select auth.uid()) and status in ('new', 'accepted', 'partially_filled'))
    with check (user_id = (select auth.uid()) and status = 'cancel_requested');

create policy "trades: users read their own"
    on public.trades for select to authenticated
    using (user_id = (select auth.uid()));

create policy "positions: users read their own"
    on public.positions for select to authenticated
    using (user_id = (select auth.uid()));
