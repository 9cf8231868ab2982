-- Trading Floor, migration 0001: the tables.
--
-- instruments  what can be traded; readable by every signed-in user (0002)
-- orders       a trader's orders; the client inserts them (idempotent on client_order_id) and may
--              only ask to cancel them; everything else is written by the back office / matching
--              engine with the service_role key
-- trades       fills, insert-only, written by the back office
-- positions    one row per (user, symbol), written by the back office
--
-- Column names, enum values and defaults match the simulator (sim/tradingschema.cpp) so the app
-- behaves the same against both. updated_at is kept by a trigger (REST catch-up filters on it).
-- Applied by `supabase db push` (or the SQL editor, in file order) as the project's postgres role.

create type public.order_side as enum ('buy', 'sell');
create type public.order_type as enum ('market', 'limit');
create type public.order_status as enum
    ('new', 'accepted', 'partially_filled', 'filled', 'cancel_requested', 'canceled', 'rejected');

create table public.instruments (
    symbol      text primary key check (symbol <> '' and length(symbol) <= 32),
    name        text not null,
    tick_size   numeric not null check (tick_size > 0),
    lot_size    numeric not null default 1 check (lot_size > 0),
    currency    text not null default 'USD' check (currency ~ '^[A-Z]{3}$'),
    created_at  timestamptz not null default now()
);

create table public.orders (
    id               bigint generated always as identity primary key,
    client_order_id  uuid not null default gen_random_uuid(),
    user_id          uuid not null default auth.uid() references auth.users (id) on delete cascade,
    symbol           text not null references public.instruments (symbol),
    side             public.order_side not null,
    qty              numeric not null check (qty > 0),
    type             public.order_type not null default 'market',
    limit_price      numeric check (limit_price > 0),
    status           public.order_status not null default 'new',
    reject_reason    text,
    filled_qty       numeric not null default 0 check (filled_qty >= 0 and filled_qty <= qty),
    avg_fill_price   numeric check (avg_fill_price > 0),
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    -- The idempotency key of the offline queue: a resend is a no-op (PostgREST on_conflict).
    constraint orders_client_order_id_key unique (client_order_id),
    -- Lets trades reference (order, owner) so a fill can never land on another user's order.
    constraint orders_id_user_id_key unique (id, user_id),
    constraint orders_limit_price_iff_limit check ((type = 'limit') = (limit_price is not null)),
    constraint orders_reject_reason_only_if_rejected check (reject_reason is null or status = 'rejected')
);
create index orders_user_id_updated_at_idx on public.orders (user_id, updated_at, id);

create table public.trades (
    id           bigint generated always as identity primary key,
    user_id      uuid not null default auth.uid() references auth.users (id) on delete cascade,
    order_id     bigint not null,
    symbol       text not null references public.instruments (symbol),
    side         public.order_side not null,
    qty          numeric not null check (qty > 0),
    price        numeric not null check (price > 0),
    executed_at  timestamptz not null default now(),
    constraint trades_order_same_user_fkey foreign key (order_id, user_id)
        references public.orders (id, user_id) on delete cascade
);
create index trades_user_id_executed_at_idx on public.trades (user_id, executed_at, id);
create index trades_order_id_idx on public.trades (order_id);

create table public.positions (
    id            bigint generated always as identity primary key,
    user_id       uuid not null default auth.uid() references auth.users (id) on delete cascade,
    symbol        text not null references public.instruments (symbol),
    qty           numeric not null default 0,
    avg_price     numeric not null default 0 check (avg_price >= 0),
    realized_pnl  numeric not null default 0,
    updated_at    timestamptz not null default now(),
    constraint positions_user_id_symbol_key unique (user_id, symbol)
);
create index positions_user_id_updated_at_idx on public.positions (user_id, updated_at, id);

-- Internal functions live outside the schemas PostgREST exposes (public), so they can never be
-- called as /rest/v1/rpc/... endpoints.
create schema if not exists trading_floor_private;
revoke all on schema trading_floor_private from public;

-- updated_at = the transaction's timestamp on every UPDATE, whatever the client sent.
create function trading_floor_private.set_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
    new.updated_at := now();
    return new;
end;
$$;

create trigger orders_set_updated_at
    before update on public.orders
    for each row execute function trading_floor_private.set_updated_at();
create trigger positions_set_updated_at
    before update on public.positions
    for each row execute function trading_floor_private.set_updated_at();
