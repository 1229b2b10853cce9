#!/usr/bin/env python3
"""Read and rewrite refctl's parse cache (.git/refctl-cache) for the tests.

The layout is lib/cache.c's: a 72-byte header (magic, endian mark,
version, index record size, root length, schema, entries, bodies' length,
index length, index hash, start time), the root padded to 8 bytes, the
entries' bodies (typed view and diagnostics, then tree), then their index
records (header, name, unique values).

  cache-tool.py FILE info                 entries and start time
  cache-tool.py FILE layout               entries with a view, with a tree,
                                          and whether bodies are in name order
  cache-tool.py FILE version N            a foreign version
  cache-tool.py FILE endian               the endian mark byte-swapped
  cache-tool.py FILE replace NAME OLD NEW bytes of NAME's view and tree, same length, rehashed
  cache-tool.py FILE stat NAME PATH       NAME's stat data set to PATH's, index rehashed
  cache-tool.py FILE started N            the cache's start time set to N
"""
import os
import struct
import sys

MUL = 0x9E3779B97F4A7C15
SEED = 0x6A09E667F3BCC909
M = (1 << 64) - 1
HDR = struct.Struct("=8sIIIIQQQQQq")
EHDR = struct.Struct("=IIIIIIIIIIqqIIQQQQQQQ")


def hash_words(h, b):
    for i in range(0, len(b), 8):
        w = int.from_bytes(b[i:i + 8], sys.byteorder)
        h = ((h ^ w) * MUL) & M
        h ^= h >> 29
    return h


def body_hash(b):
    lanes = [SEED + i for i in range(4)]
    whole = len(b) // 32 * 32
    for i in range(0, whole, 32):
        for k in range(4):
            w = int.from_bytes(b[i + 8 * k:i + 8 * k + 8], sys.byteorder)
            x = ((lanes[k] ^ w) * MUL) & M
            lanes[k] = x ^ (x >> 29)
    h = hash_words(SEED, b[whole:])
    return hash_words(h, b"".join(l.to_bytes(8, sys.byteorder) for l in lanes))


def hash_bytes(b):
    whole = len(b) // 8 * 8
    h = hash_words(SEED, b[:whole])
    h = hash_words(h, (b[whole:] + bytes(8))[:8])
    return hash_words(h, len(b).to_bytes(8, sys.byteorder))


def pack(b):
    out, w, n = bytearray(), 0, len(b) // 8
    while w < n:
        x = b[w * 8:w * 8 + 8]
        tag = sum(1 << i for i in range(8) if x[i])
        out.append(tag)
        out += bytes(c for c in x if c)
        w += 1
        if tag in (0, 0xFF):
            run = 0
            while run < 255 and w + run < n and (
                    b[(w + run) * 8:(w + run) * 8 + 8] == bytes(8) if tag == 0
                    else 0 not in b[(w + run) * 8:(w + run) * 8 + 8]):
                run += 1
            out.append(run)
            if tag == 0xFF:
                out += b[w * 8:(w + run) * 8]
            w += run
    return bytes(out)


def unpack(p, n):
    out, i = bytearray(), 0
    while len(out) < n:
        tag = p[i]
        i += 1
        for k in range(8):
            if tag & (1 << k):
                out.append(p[i])
                i += 1
            else:
                out.append(0)
        if tag in (0, 0xFF):
            run = p[i]
            i += 1
            if tag == 0:
                out += bytes(run * 8)
            else:
                out += p[i:i + run * 8]
                i += run * 8
    return bytes(out)


def load(path):
    data = bytearray(open(path, "rb").read())
    h = list(HDR.unpack_from(data, 0))
    off = HDR.size + ((h[4] + 7) & ~7)
    return data, h, off


def save(path, data, h, off):
    h[9] = body_hash(bytes(data[off + h[7]:]))
    HDR.pack_into(data, 0, *h)
    open(path, "wb").write(data)


def entries(data, h, off):
    p = off + h[7]
    while p < len(data):
        e = list(EHDR.unpack_from(data, p))
        name = bytes(data[p + EHDR.size:p + EHDR.size + e[1]]).decode()
        yield p, e, name
        p += e[0]


def main():
    path, op, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    data, h, off = load(path)
    if op == "info":
        print("entries %d" % h[6])
        return
    if op == "layout":
        es = list(entries(data, h, off))
        views = sum(1 for _, e, _ in es if e[3])
        trees = sum(1 for _, e, _ in es if e[6])
        names = [n for _, e, n in sorted(es, key=lambda x: x[1][18])]
        print("views %d trees %d in name order %s" % (views, trees, "yes" if names == sorted(names) else "no"))
        return
    if op == "version":
        struct.pack_into("=I", data, 12, int(args[0]))
        open(path, "wb").write(data)
        return
    if op == "endian":
        struct.pack_into(">I", data, 8, struct.unpack_from("=I", data, 8)[0])
        open(path, "wb").write(data)
        return
    if op == "started":
        h[10] = int(args[0])
        save(path, data, h, off)
        return
    for p, e, name in entries(data, h, off):
        if name != args[0]:
            continue
        if op == "replace":
            old, new = args[1].encode(), args[2].encode()
            assert len(old) == len(new) and 0 not in new
            b = off + e[18]
            if e[3]:  # a valid file: its packed view
                view = unpack(bytes(data[b:b + e[4]]), e[3])
                assert old in view, "not in the view"
                packed = pack(view.replace(old, new, 1))
                assert len(packed) == e[4]
                data[b:b + e[4]] = packed
                e[19] = hash_bytes(bytes(data[b:b + e[4] + e[5]]))
            else:  # an invalid one: its tree
                tree = bytes(data[b:b + e[6]])
                assert old in tree, "not in the tree"
                data[b:b + e[6]] = tree.replace(old, new, 1)
                e[20] = hash_bytes(bytes(data[b:b + e[6]]))
            EHDR.pack_into(data, p, *e)
        elif op == "stat":
            st = os.lstat(args[1])
            e[10], e[11] = st.st_mtime_ns // 10**9, st.st_ctime_ns // 10**9
            e[12], e[13] = st.st_mtime_ns % 10**9, st.st_ctime_ns % 10**9
            e[14], e[15], e[16] = st.st_size, st.st_ino, st.st_dev
            EHDR.pack_into(data, p, *e)
        save(path, data, h, off)
        return
    sys.exit("no entry " + args[0])


main()
