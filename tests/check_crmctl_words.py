#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Every text crmctl passes to tr() or trf() has a Simplified Chinese translation in
examples/crmctl/words.cpp, with the same {} placeholders; and the catalogue holds nothing unused.
Usage: check_crmctl_words.py CRMCTL_SOURCE_DIR [--list]"""
import pathlib
import re
import sys

# tr("...") / trf("..." "...", ...): adjacent literals are one text.
LITERAL = r'"((?:[^"\\]|\\.)*)"'
ENTRY = re.compile(r'^\s*\{' + LITERAL + r',\s*((?:' + LITERAL + r'\s*)+)\},?\s*$', re.M)


def joined(literals):
    return "".join(re.findall(LITERAL, literals)) if literals else None


def main():
    source = pathlib.Path(sys.argv[1])
    used = {}
    for path in sorted(source.glob("*.cpp")):
        if path.name == "words.cpp":
            continue
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r'\btrf?\(\s*', text):
            rest = text[m.end():]
            line = text[text.rfind("\n", 0, m.start()) + 1:m.start()]
            if "//" in line or re.match(r'(h|kWeekdays\[)', rest):  # a comment; the key lists below
                continue
            parts = re.match(r'((?:' + LITERAL + r'\s*)+)', rest)
            if not parts:
                print(f"{path.name}: tr() of something other than a literal: {text[m.start():m.start() + 60]!r}")
                return 1
            used.setdefault(joined(parts.group(1)), path.name)
        # arrays of keys passed to tr() one by one
        for m in re.finditer(r'// keys of tr\(\)', text):
            line_start = text.rfind("\n", 0, m.start()) + 1
            for key in re.findall(LITERAL, text[line_start:m.start()]):
                used.setdefault(key, path.name)
        for m in re.finditer(r'for \(const char\* h : \{([^}]*)\}\)\s*\n\s*headers\.push_back\(tr\(h\)\)', text):
            for key in re.findall(LITERAL, m.group(1)):
                used.setdefault(key, path.name)
        for m in re.finditer(r'const char\* const kFigureHeaders\[\] = \{([^}]*)\}', text):
            for key in re.findall(LITERAL, m.group(1)):
                used.setdefault(key, path.name)
    if "--list" in sys.argv:
        for key in sorted(used):
            print(key)
        return 0
    catalogue = {}
    words = (source / "words.cpp").read_text(encoding="utf-8")
    for m in ENTRY.finditer(words):
        catalogue[m.group(1)] = joined(m.group(2))
    failures = 0
    for key, where in sorted(used.items()):
        if key not in catalogue:
            print(f"{where}: no translation of {key!r}")
            failures += 1
        elif catalogue[key].count("{}") != key.count("{}"):
            print(f"{where}: the translation of {key!r} has {catalogue[key].count('{}')} placeholders, the text {key.count('{}')}")
            failures += 1
    for key in sorted(set(catalogue) - set(used)):
        print(f"words.cpp: {key!r} is translated but never used")
        failures += 1
    print(f"crmctl words: {len(used)} texts, {len(catalogue)} translations, {failures} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
