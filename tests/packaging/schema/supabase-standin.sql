-- A minimal stand-in for what a Supabase project provides before our migrations run, so the
-- schema test can apply packaging/supabase/migrations to a plain PostgreSQL 15. Run as the
-- cluster's bootstrap superuser (named supabase_admin, as on Supabase). Modelled on Supabase's
-- own setup; only what the migrations and the checks touch:
--
--  * roles anon / authenticated / service_role (BYPASSRLS), and postgres as Supabase has it: NOT a
--    superuser, but BYPASSRLS, member of those three roles and of supabase_realtime_admin
--  * Supabase's default privileges: ALL on new public tables/functions/sequences to
--    anon, authenticated and service_role (so the migrations' revokes are really exercised)
--  * auth.users, auth.uid() / auth.role() / auth.jwt() reading request.jwt.claim.sub or
--    request.jwt.claims the way PostgREST and Realtime set them
--  * the empty publication supabase_realtime, owned by postgres
--  * realtime.messages (owned by supabase_realtime_admin, RLS on, grants as Realtime's migrations),
--    realtime.topic(), realtime.send() and realtime.broadcast_changes() with the real payload
--    shape {schema, table, operation, record, old_record}.
-- Differences from the real thing: realtime.messages is not partitioned, and realtime.send()
-- here lets errors propagate (the real one downgrades them to a WARNING) so that a broken
-- trigger fails the test instead of silently dropping messages.

create role anon nologin noinherit;
create role authenticated nologin noinherit;
create role service_role nologin noinherit bypassrls;
create role supabase_realtime_admin nologin noinherit noreplication;
create role postgres login createrole createdb replication bypassrls;
grant anon, authenticated, service_role to postgres;
grant supabase_realtime_admin to postgres;

-- public: PostgreSQL 15 no longer lets everyone create there; Supabase's postgres role may.
grant usage, create on schema public to postgres;
grant usage on schema public to anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on functions to anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on sequences to anon, authenticated, service_role;
grant create on database postgres to postgres;

-- auth (GoTrue's schema) -----------------------------------------------------------------------
create schema auth;
create table auth.users (
    id          uuid primary key,
    aud         text default 'authenticated',
    role        text default 'authenticated',
    email       text unique,
    created_at  timestamptz not null default now()
);

create function auth.uid() returns uuid
language sql stable
as $$
    select coalesce(
        nullif(current_setting('request.jwt.claim.sub', true), ''),
        (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
    )::uuid
$$;

create function auth.role() returns text
language sql stable
as $$
    select coalesce(
        nullif(current_setting('request.jwt.claim.role', true), ''),
        (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
    )::text
$$;

create function auth.jwt() returns jsonb
language sql stable
as $$
    select coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb
$$;

grant usage on schema auth to anon, authenticated, service_role, postgres;
grant execute on all functions in schema auth to anon, authenticated, service_role, postgres;
grant select, references on auth.users to postgres;
grant all on auth.users to service_role;

-- the publication Realtime reads (Supabase creates it empty) ------------------------------------
create publication supabase_realtime;
alter publication supabase_realtime owner to postgres;

-- realtime (the Realtime server's schema) -----------------------------------------------------
create schema realtime;
create table realtime.messages (
    topic        text not null,
    extension    text not null,
    payload      jsonb,
    event        text,
    private      boolean default false,
    updated_at   timestamp without time zone not null default now(),
    inserted_at  timestamp without time zone not null default now(),
    id           uuid not null default gen_random_uuid(),
    primary key (id, inserted_at)
);
create index messages_topic_index on realtime.messages (topic);
alter table realtime.messages enable row level security;
alter table realtime.messages owner to supabase_realtime_admin;
grant select, insert, update on realtime.messages to postgres, anon, authenticated, service_role;

-- The channel topic Realtime is authorizing (set with set_config('realtime.topic', ...)).
create function realtime.topic() returns text
language sql stable
as $$
    select nullif(current_setting('realtime.topic', true), '')::text
$$;

create function realtime.send(payload jsonb, event text, topic text, private boolean default true)
returns void
language plpgsql
as $$
begin
    insert into realtime.messages (payload, event, topic, private, extension)
    values (payload, event, topic, private, 'broadcast');
end;
$$;

create function realtime.broadcast_changes(
    topic_name text, event_name text, operation text, table_name text, table_schema text,
    new record, old record, level text default 'ROW')
returns void
language plpgsql
as $$
begin
    if level = 'STATEMENT' then
        raise exception 'realtime.broadcast_changes: only row-level triggers are supported';
    end if;
    if operation not in ('INSERT', 'UPDATE', 'DELETE') then
        raise exception 'realtime.broadcast_changes: unexpected operation %', operation;
    end if;
    perform realtime.send(
        jsonb_build_object('schema', table_schema, 'table', table_name, 'operation', operation,
                           'record', new, 'old_record', old),
        event_name, topic_name);
end;
$$;

alter schema realtime owner to supabase_realtime_admin;
alter function realtime.topic() owner to supabase_realtime_admin;
alter function realtime.send(jsonb, text, text, boolean) owner to supabase_realtime_admin;
alter function realtime.broadcast_changes(text, text, text, text, text, record, record, text)
    owner to supabase_realtime_admin;
grant usage on schema realtime to postgres, anon, authenticated, service_role;
