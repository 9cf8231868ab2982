#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (tests/fuzz/corpus/<target>/seed-*).

The frames are the example frames of the Supabase Realtime protocol notes
(shared/docs/supabase-realtime-protocol.md: every JSON frame in its code blocks and the
minimal session of its appendix) plus a few hand-made edge cases per target. Re-run after the
doc changes:  python3 tests/fuzz/make-seeds.py [path/to/supabase-realtime-protocol.md]
Only seed-* files are rewritten; crash reproducers kept next to them (repro-*) stay.
"""
import json
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
DOC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "docs", "supabase-realtime-protocol.md")


def doc_frames(text):
    """Every JSON value in the doc's code blocks that looks like a frame or a payload."""
    frames = []
    in_block = False
    block = []
    for line in text.splitlines():
        if line.startswith("```"):
            if in_block:
                frames.extend(block_values(block))
            in_block = not in_block
            block = []
            continue
        if in_block:
            block.append(line)
        elif line.startswith(("C: [", "S: [")):
            frames.extend(block_values([line[3:].split("  ")[0]]))
    return frames


def block_values(lines):
    whole = "\n".join(lines).strip()
    try:
        return [json.loads(whole)]
    except ValueError:
        pass
    values = []
    for line in lines:
        line = line.strip()
        if line.startswith(("C: ", "S: ")):
            line = line[3:]
        line = line.split("   ")[0].strip()
        if not line.startswith(("[", "{")):
            continue
        try:
            values.append(json.loads(line))
        except ValueError:
            continue
    return values


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def kind4(topic, event, meta, payload, encoding=1):
    return bytes([4, len(topic), len(event), len(meta), encoding]) + topic + event + meta + payload


def kind3(join_ref, ref, topic, event, payload, encoding=1, meta=b""):
    return (bytes([3, len(join_ref), len(ref), len(topic), len(event), len(meta), encoding])
            + join_ref + ref + topic + event + meta + payload)


def write(target, files):
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    for name in os.listdir(folder):
        if name.startswith("seed-"):
            os.remove(os.path.join(folder, name))
    for i, data in enumerate(files):
        with open(os.path.join(folder, "seed-%03d" % i), "wb") as f:
            f.write(data)


def main():
    with open(DOC, encoding="utf-8") as f:
        frames = doc_frames(f.read())
    v1 = [x for x in frames if isinstance(x, dict) and "topic" in x]
    v2 = [x for x in frames if isinstance(x, list) and len(x) == 5 and all(isinstance(s, (str, type(None))) for s in x[:4])]
    if len(v1) < 5 or len(v2) < 15:
        sys.exit("too few frames found in %s (%d V1, %d V2): has the doc changed?" % (DOC, len(v1), len(v2)))

    # Envelope: every doc frame, the doc's binary examples, and malformed shapes.
    envelope = [compact(x) for x in v1 + v2]
    envelope += [
        kind4(b"realtime:ab", b"ping", b"", b'{"n":1}'),
        kind3(b"7", b"12", b"realtime:ab", b"ping", b'{"n":1}'),
        kind4(b"realtime:dashboard", b"refresh", b"", b'{"item_id":9}'),
        kind4(b"realtime:dashboard", b"refresh", b'{"id":"a1","replayed":true}', b'{"item_id":9}'),
        kind4(b"realtime:dashboard", b"blob", b"", bytes(range(0, 256, 7)), encoding=0),
        kind4(b"realtime:x", b"s", b"", b'"just a string"'),
        bytes([4, 200, 1, 0, 1]) + b"short",            # a length that overruns the frame
        bytes([4, 1, 1, 0, 9]) + b"ab{}",               # unknown encoding
        bytes([0, 1, 1, 1]) + b"abc",                   # kind 0: not accepted
        b'["1","2","realtime:x","broadcast",{"a":"\xff\xfe"}]',  # invalid UTF-8 inside a string
        b'["1",2,"realtime:x","e",{}]',                 # numeric ref
        b'[null,null,"t","e",[]]',                      # payload not an object
        b'{"topic":"t","event":"e","payload":{}}',      # V1 without ref
        b"[" * 64 + b"]" * 64,                          # deep nesting
    ]
    write("envelope", envelope)

    # postgres_changes: the doc's change frames, its §5.2/§6.5 shapes, and broken variants.
    changes = [compact(x) for x in v2 if x[3] == "postgres_changes"]
    full = next(x for x in v2 if x[3] == "postgres_changes" and "record" in x[4].get("data", {}))
    data = full[4]["data"]
    variants = []
    for kind in ("INSERT", "UPDATE", "DELETE"):
        d = dict(data, type=kind)
        if kind == "DELETE":
            d.pop("record", None)
            d["old_record"] = {"id": 7}
        variants.append({"ids": [1], "data": d})
    variants += [
        {"ids": [1], "data": dict(data, errors=["Error 401: Unauthorized"], record=None)},
        {"ids": [1], "data": dict(data, errors=["Error 413: Payload Too Large"])},
        {"ids": [1], "data": dict(data, record=[1, 2])},
        {"ids": [1], "data": dict(data, type="TRUNCATE")},
        {"ids": [1], "data": dict(data, commit_timestamp="not a time", columns="x")},
        {"ids": [1], "data": dict(data, record={"id": 1e300, "price": -0.0, "t": "2026-08-21 10:00:00+00",
                                               "flag": True, "tags": ["a"], "j": {"k": None}})},
        {"payload": {"schema": "public", "table": "items", "operation": "UPDATE",
                     "record": {"id": 7, "title": "x"}, "old_record": {"id": 7}}},
    ]
    changes += [compact(v) for v in variants]
    write("postgres_change", changes)

    # Presence: the doc's state and diff payloads as step lines (see fuzz_presence.cpp).
    states = [x[4] for x in v2 if x[3] == "presence_state"]
    diffs = [x[4] for x in v2 if x[3] == "presence_diff"]
    state, diff = max(states, key=len), diffs[0]
    lines = lambda *steps: b"\n".join(steps)
    presence = [
        lines(b"S1" + compact(state), b"D1" + compact(diff)),
        lines(b"D1" + compact(diff), b"S1" + compact(state)),          # diff queued until the state
        lines(b"S1" + compact(state), b"S2" + compact({}), b"C1"),     # rejoin with everyone gone
        lines(*[b"D1" + compact(d) for d in diffs], b"S1" + compact(state)),
        lines(b"S1" + compact(state), b"D1" + compact({"joins": {"user-42": state.get("user-42", {})},
                                                        "leaves": {"user-42": state.get("user-42", {})}})),
        lines(b"S1" + compact({"k": {"metas": [{"phx_ref": ""}, {"x": 1}, 5]}}), b"D1" + compact({"joins": []})),
    ]
    write("presence", presence)

    # Filters: the doc's filter strings (§5.4), each with the §5.1 record after a newline.
    record = compact(full[4]["data"]["record"])
    filters = [
        "user_id=eq.42", "status=in.(open,closed)", 'title=eq."a,b"', 'title=in.("a b",c)',
        "id=eq.7&status=neq.closed", "user_id=not.eq.42", "title=like.%Ren%", "title=ilike.ren*",
        "deleted_at=is.null", "title=match.^R[a-z]+$", "title=imatch.^r", "id=isdistinct.8",
        "updated_at=gt.2026-08-21T10:00:00Z", "tags=eq.[\"a\",\"b\"]", "id=in.()", "id=eq", "=eq.1",
        'title=eq."unterminated', "a=eq.1,,b=eq.2", "x=in.(" + ",".join(str(i) for i in range(101)) + ")",
    ]
    write("filter", [f.encode() + b"\n" + record for f in filters])

    # REST replies: status (2 bytes, little-endian, minus 100), header selector, body.
    def reply(status, body, header=0):
        return struct.pack("<HB", status - 100, header) + (body if isinstance(body, bytes) else compact(body))
    rest = [
        reply(200, [{"id": 8, "user_id": 42, "title": "New item"}]),
        reply(201, []),
        reply(200, {"id": 7}),
        reply(200, b"[1,2]"),
        reply(204, b""),
        reply(401, {"code": "PGRST303", "message": "JWT expired", "details": None, "hint": None}),
        reply(403, {"code": "42501", "message": "new row violates row-level security policy"}),
        reply(409, {"code": "23505", "message": "duplicate key value violates unique constraint",
                    "details": "Key (client_id)=(x) already exists.", "hint": None}),
        reply(400, {"code": 400, "error_code": "invalid_credentials", "msg": "Invalid login credentials"}),
        reply(400, {"code": "refresh_token_already_used", "message": "Invalid Refresh Token: Already Used"}),
        reply(429, {"message": "Too many requests"}, header=1),
        reply(502, b"<html><body>Bad Gateway</body></html>"),
        reply(200, {"access_token": "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE3NTU3NzQ5MzAsInN1YiI6IjJmNGYifQ.c2ln",
                    "token_type": "bearer", "expires_in": 3600, "expires_at": 1755774930,
                    "refresh_token": "v6e3qk2m4w7x",
                    "user": {"id": "2f4f", "aud": "authenticated", "role": "authenticated",
                             "email": "ops@example.com"}}),
        reply(200, {"access_token": "a.b.c", "refresh_token": "r", "expires_at": 9e18, "user": {"id": "u"}}),
        reply(200, {"exp": 1e300, "sub": "u"}),
    ]
    write("rest_response", rest)

    # Queue rows: per column a kind byte (0 NULL, 1 int64, 2 double, 3 text, 4 blob, 5 end of row).
    def text(s):
        b = s.encode()
        return bytes([3, len(b)]) + b
    def integer(v):
        return bytes([1]) + struct.pack("<q", v)
    def real(v):
        return bytes([2]) + struct.pack("<d", v)
    null = bytes([0])
    good = [integer(1), text("6f1c2a9e-4b1d-4c55-9a77-0d8a9a2f1b10"), text("user-1"), text("ACME"), text("buy"),
            real(10.0), text("limit"), real(101.5), integer(1755774930000), text("queued"), text(""), integer(0),
            integer(0), null, text(""), null, integer(1755774930000)]
    rows = [b"".join(good)]
    odd = list(good)
    odd[9] = text("exploded")
    odd[5] = text("abc")
    odd[1] = bytes([4, 3]) + b"\x00\x01\x02"
    rows.append(b"".join(odd))
    odd = list(good)
    odd[8] = integer(2**63 - 1)
    odd[11] = real(float("inf"))
    odd[16] = real(-1e300)
    rows.append(b"".join(odd))
    rows.append(b"".join(good[:5]) + bytes([5]))
    rows.append(b"".join([null] * 17))
    write("queue_row", rows)


if __name__ == "__main__":
    main()
