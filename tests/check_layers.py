#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The layer order, checked from the includes (README "Layout"; issue 15 §1).

  core -> calendar -> policy -> ledger -> store -> metrics -> customers -> database (the facade)
  -> capi -> tools

A file includes only its own layer and those below it; the store alone talks to a database
engine (sqlite3.h only in src/store/sqlite_engine.cpp); public headers include no internal header
and no third-party one; the C shim and the tools use internals only where listed.

usage: check_layers.py ROOT    (exit 1 naming each violation; the checker first proves on a
                                planted violation that it finds one)
"""
import os
import re
import sys
import tempfile

LAYERS = ["core", "calendar", "policy", "ledger", "store", "metrics", "customers", "database"]
ENGINE_HEADERS = {"sqlite3.h": "src/store/sqlite_engine.cpp", "libpq-fe.h": "src/store/postgres_engine.cpp"}
THIRD_PARTY = re.compile(r"^(sqlite3\.h|libpq-fe\.h|boost/|nlohmann/|opencc/)")
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^">]+)[">]', re.M)
# Internal headers the C shim and crmctl may use (file helpers only: no layer's types).
ALLOWED_INTERNAL = {"capi": {"core/file_util.hpp"}, "examples": {"core/file_util.hpp"}}


def files(root):
    for top in ("src", "include", "capi", "examples"):
        for dirpath, _, names in os.walk(os.path.join(root, top)):
            for n in names:
                if n.endswith((".cpp", ".hpp", ".h", ".c")):
                    yield os.path.relpath(os.path.join(dirpath, n), root)


def check(root):
    problems = []
    for path in files(root):
        with open(os.path.join(root, path), encoding="utf-8") as f:
            includes = INCLUDE.findall(f.read())
        parts = path.split(os.sep)
        for inc in includes:
            engine = ENGINE_HEADERS.get(inc)
            if engine and path != engine:
                problems.append(f"{path}: includes {inc}; only {engine} talks to that engine")
            head = inc.split("/")[0]
            if parts[0] == "src" and len(parts) > 2:
                mine = LAYERS.index(parts[1]) if parts[1] in LAYERS else None
                if mine is not None and head in LAYERS and LAYERS.index(head) > mine:
                    problems.append(f"{path}: {parts[1]} includes {inc}, a higher layer ({head})")
            elif parts[0] == "include":
                if head in LAYERS or head == "capi" or THIRD_PARTY.match(inc):
                    problems.append(f"{path}: a public header includes {inc}")
            elif parts[0] in ALLOWED_INTERNAL:
                if head in LAYERS and inc not in ALLOWED_INTERNAL[parts[0]]:
                    problems.append(f"{path}: includes the internal {inc}; use the public API")
    return problems


def self_test():
    with tempfile.TemporaryDirectory() as t:
        for rel, text in {"src/core/a.cpp": '#include "store/b.hpp"\n', "src/store/b.hpp": "#include <sqlite3.h>\n",
                          "include/crmpolicy/x.hpp": "#include <nlohmann/json.hpp>\n",
                          "examples/y.cpp": '#include "ledger/replay.hpp"\n'}.items():
            os.makedirs(os.path.dirname(os.path.join(t, rel)), exist_ok=True)
            with open(os.path.join(t, rel), "w", encoding="utf-8") as f:
                f.write(text)
        found = check(t)
        if len(found) != 4:
            sys.exit("check_layers: the self-test found " + repr(found) + ", expected 4 violations")


def main():
    self_test()
    problems = check(sys.argv[1])
    for p in problems:
        print("layer violation:", p)
    if problems:
        sys.exit(1)
    print(f"check_layers: {len(list(files(sys.argv[1])))} files keep the layer order")


if __name__ == "__main__":
    main()
