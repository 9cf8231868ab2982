'use strict';
// Interop: the official supabase-js client (and, when built, tradefloor-cli) against the built
// tradefloor-sim. Run by CTest (label interop) with TF_SIM_BIN / TF_CLI_BIN set; needs
// `npm ci` in tests/interop (scripts/test.sh does it).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const readline = require('node:readline');
const { spawn } = require('node:child_process');

let createClient;
let WebSocket;
try {
  ({ createClient } = require('@supabase/supabase-js'));
  WebSocket = require('ws');
} catch (error) {
  console.log('interop: node_modules missing; run `npm ci` in tests/interop');
  test('supabase-js interop', { skip: 'interop: node_modules missing' }, () => {});
  return;
}

const SIM_BIN = process.env.TF_SIM_BIN;
const CLI_BIN = process.env.TF_CLI_BIN;
const TIMEOUT_MS = 15000;

// Resolves when predicate() is truthy, polling the event loop (the Node twin of QTRY_VERIFY).
async function until(predicate, what, timeoutMs = TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value)
      return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// A child process whose stdout is JSON lines, collected as they come.
function spawnJsonLines(bin, args) {
  const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = [];
  let stderr = '';
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      lines.push(JSON.parse(line));
    } catch {
      lines.push({ text: line });
    }
  });
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  return { child, lines, stderr: () => stderr };
}

async function startSimulator() {
  assert.ok(SIM_BIN && fs.existsSync(SIM_BIN), 'TF_SIM_BIN must point at tradefloor-sim');
  const sim = spawnJsonLines(SIM_BIN, ['--port', '0', '--print-config', '--tick-hz', '0',
    '--join-error-delay-ms', '200', '--subscribe-delay-ms', '100']);
  const config = await until(() => sim.lines[0], 'the simulator to print its config');
  return { ...sim, config };
}

function newClient(config, realtime = {}) {
  return createClient(config.url, config.anon_key, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket, ...realtime },
  });
}

function subscribed(channel) {
  return new Promise((resolve, reject) => {
    channel.subscribe((status, error) => {
      if (status === 'SUBSCRIBED')
        resolve();
      else if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT')
        reject(new Error(`${channel.topic}: ${status} ${error ? error.message : ''}`));
    });
  });
}

test('supabase-js against tradefloor-sim', async (t) => {
  const sim = await startSimulator();
  const { config } = sim;
  const clients = [];
  const children = [sim.child];
  const client = (realtime) => {
    const c = newClient(config, realtime);
    clients.push(c);
    return c;
  };
  t.after(async () => {
    for (const c of clients) {
      await c.removeAllChannels();
      await c.realtime.disconnect(); // before the simulator goes, so the close handshake completes
    }
    for (const child of children)
      child.kill();
  });

  const trader = client();
  const signIn = await trader.auth.signInWithPassword({ email: config.email, password: config.password });
  assert.equal(signIn.error, null);

  await t.test('password sign-in gives the demo trader a session', () => {
    assert.equal(signIn.data.user.id, config.user_id);
    assert.equal(signIn.data.user.email, config.email);
    assert.ok(signIn.data.session.access_token.split('.').length === 3);
    assert.ok(signIn.data.session.refresh_token);
  });

  await t.test('select returns own positions and nobody else\'s', async () => {
    const own = await trader.from('positions').select('*').order('symbol');
    assert.equal(own.error, null);
    assert.ok(own.data.length > 0);
    for (const row of own.data)
      assert.equal(row.user_id, config.user_id);
    // Other users' rows exist (the service role sees them) but RLS hides them.
    const admin = createClient(config.url, config.service_role_key, {
      auth: { persistSession: false, autoRefreshToken: false }, realtime: { transport: WebSocket } });
    const all = await admin.from('positions').select('user_id');
    assert.ok(all.data.some((row) => row.user_id !== config.user_id));
    const foreign = await trader.from('positions').select('*').neq('user_id', config.user_id);
    assert.deepEqual(foreign.data, []);
    const anon = await client().from('positions').select('*');
    assert.deepEqual(anon.data, []);
  });

  await t.test('an inserted order arrives as INSERT and later UPDATEs via postgres_changes', async () => {
    const changes = [];
    const channel = trader.channel('orders-feed').on('postgres_changes',
      { event: '*', schema: 'public', table: 'orders', filter: `user_id=eq.${config.user_id}` },
      (payload) => changes.push(payload));
    let live = false;
    channel.on('system', {}, (payload) => { if (payload.message === 'Subscribed to PostgreSQL') live = true; });
    await subscribed(channel);
    await until(() => live, 'Subscribed to PostgreSQL');

    const inserted = await trader.from('orders').insert({ symbol: 'AAPL', side: 'buy', qty: 2 }).select();
    assert.equal(inserted.error, null);
    const id = inserted.data[0].id;
    assert.equal(inserted.data[0].status, 'new');

    const insert = await until(() => changes.find((c) => c.eventType === 'INSERT' && c.new.id === id), 'the INSERT');
    assert.equal(insert.schema, 'public');
    assert.equal(insert.table, 'orders');
    assert.match(insert.commit_timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(insert.errors, null);
    assert.deepEqual(insert.old, {});
    assert.equal(insert.new.user_id, config.user_id);
    assert.equal(insert.new.status, 'new');

    const filled = await until(() => changes.find((c) => c.eventType === 'UPDATE' && c.new.id === id
                                                      && c.new.status === 'filled'), 'the UPDATE to filled');
    assert.equal(filled.new.filled_qty, 2);
    assert.equal(filled.old.id, id); // orders has replica identity full: the whole old row
    assert.ok(['new', 'accepted'].includes(filled.old.status));
    const statuses = changes.filter((c) => c.new.id === id).map((c) => c.new.status);
    assert.deepEqual(statuses, ['new', 'accepted', 'filled']);
  });

  await t.test('the private user channel carries broadcasts from the database', async () => {
    const events = [];
    const channel = trader.channel(`user:${config.user_id}`, { config: { private: true } })
      .on('broadcast', { event: '*' }, (payload) => events.push(payload));
    await subscribed(channel);
    const inserted = await trader.from('orders').insert({ symbol: 'MSFT', side: 'sell', qty: 1 }).select();
    const id = inserted.data[0].id;
    const event = await until(() => events.find((e) => e.event === 'INSERT' && e.payload.table === 'orders'
                                                   && e.payload.record.id === id), 'the INSERT broadcast');
    assert.equal(event.payload.operation, 'INSERT');
    assert.equal(event.payload.schema, 'public');
    assert.equal(event.payload.old_record, null);
    await until(() => events.find((e) => e.payload.table === 'trades' && e.payload.record.order_id === id), 'the trade');
    await until(() => events.find((e) => e.payload.table === 'positions'), 'the position change');

    // Someone else's channel is refused.
    const other = client().channel('user:someone-else', { config: { private: true } });
    await assert.rejects(subscribed(other), /CHANNEL_ERROR/);
    await other.unsubscribe();
  });

  await t.test('presence of two clients is visible to both', async () => {
    const alice = client().channel('room:presence', { config: { presence: { key: 'alice' } } });
    const bob = client({ vsn: '1.0.0' }).channel('room:presence', { config: { presence: { key: 'bob' } } });
    for (const channel of [alice, bob])
      channel.on('presence', { event: 'sync' }, () => {});
    await subscribed(alice);
    await subscribed(bob);
    assert.equal(await alice.track({ name: 'Alice' }), 'ok');
    assert.equal(await bob.track({ name: 'Bob' }), 'ok');
    for (const channel of [alice, bob]) {
      const state = await until(() => {
        const s = channel.presenceState();
        return s.alice && s.bob ? s : null;
      }, `both presences on ${channel.topic}`);
      assert.equal(state.alice[0].name, 'Alice');
      assert.equal(state.bob[0].name, 'Bob');
      assert.ok(state.alice[0].presence_ref);
    }
    await bob.untrack();
    await until(() => !alice.presenceState().bob, 'bob to leave');
  });

  await t.test('broadcast between two clients, both serializers', async () => {
    const received = { v2: [], v1: [] };
    const v2 = client().channel('room:chat', { config: { broadcast: { ack: true } } })
      .on('broadcast', { event: 'hello' }, (payload) => received.v2.push(payload));
    const v1 = client({ vsn: '1.0.0' }).channel('room:chat', { config: { broadcast: { ack: true } } })
      .on('broadcast', { event: 'hello' }, (payload) => received.v1.push(payload));
    await subscribed(v2);
    await subscribed(v1);
    assert.equal(await v2.send({ type: 'broadcast', event: 'hello', payload: { from: 'v2' } }), 'ok');
    const atV1 = await until(() => received.v1[0], 'the broadcast at the vsn 1.0.0 client');
    assert.deepEqual(atV1, { type: 'broadcast', event: 'hello', payload: { from: 'v2' } });
    assert.equal(await v1.send({ type: 'broadcast', event: 'hello', payload: { from: 'v1' } }), 'ok');
    const atV2 = await until(() => received.v2[0], 'the broadcast at the vsn 2.0.0 client');
    assert.deepEqual(atV2.payload, { from: 'v1' });
    assert.equal(received.v2.length, 1); // self is off: nobody hears themselves
  });

  await t.test('tradefloor-cli and supabase-js talk to each other', { skip: !(CLI_BIN && fs.existsSync(CLI_BIN)) && 'tradefloor-cli not built' }, async () => {
    const cliArgs = (command, extra) => [command, '--url', config.url, '--key', config.anon_key, '--channel', 'room:interop', ...extra];
    const tail = spawnJsonLines(CLI_BIN, cliArgs('tail', ['--presence', '--seconds', '60']));
    children.push(tail.child);
    await until(() => tail.lines.find((l) => l.kind === 'status' && l.status === 'subscribed'), 'tradefloor-cli tail to subscribe');

    const received = [];
    const js = client().channel('room:interop', { config: { presence: { key: 'js-user' } } })
      .on('broadcast', { event: '*' }, (payload) => received.push(payload))
      .on('presence', { event: 'sync' }, () => {});
    await subscribed(js);

    // supabase-js -> tradefloor-cli tail
    assert.equal(await js.send({ type: 'broadcast', event: 'from-js', payload: { n: 1 } }), 'ok');
    const line = await until(() => tail.lines.find((l) => l.kind === 'broadcast' && l.event === 'from-js'), 'the broadcast in tail');
    assert.deepEqual(line.payload, { n: 1 });

    // tradefloor-cli broadcast -> supabase-js
    const send = spawnJsonLines(CLI_BIN, cliArgs('broadcast', ['--event', 'from-cli', '--payload', '{"m":2}', '--ack']));
    children.push(send.child);
    const sent = await until(() => send.lines.find((l) => l.kind === 'broadcast_sent'), 'tradefloor-cli broadcast');
    assert.equal(sent.acknowledged, true);
    const got = await until(() => received.find((p) => p.event === 'from-cli'), 'the CLI broadcast at supabase-js');
    assert.deepEqual(got.payload, { m: 2 });

    // Presence both ways.
    assert.equal(await js.track({ name: 'from js' }), 'ok');
    const joined = await until(() => tail.lines.find((l) => l.kind === 'presence' && l.event === 'join' && l.key === 'js-user'),
      'the supabase-js presence in tail');
    assert.equal(joined.new[0].name, 'from js');
    const track = spawnJsonLines(CLI_BIN, cliArgs('track', ['--payload', '{"name":"from cli"}', '--presence-key', 'cli-user', '--seconds', '30']));
    children.push(track.child);
    const state = await until(() => js.presenceState()['cli-user'], 'the CLI presence at supabase-js');
    assert.equal(state[0].name, 'from cli');
    await until(() => track.lines.find((l) => l.kind === 'presence' && l.event === 'join' && l.key === 'js-user'),
      'the supabase-js presence in tradefloor-cli track');
  });
});
