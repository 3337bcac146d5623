#!/usr/bin/python3
"""Validates JSON documents against a JSON Schema (Debian's python3-jsonschema).
usage: validate.py SCHEMA DOC... ; exit 1 and the first errors when one does not.

Every *.json schema in the SCHEMA's directory is registered under its $id, so
a reference to another schema ("spdx.schema.json" from CycloneDX's bom-1.5)
resolves to the local copy; any reference that is not local fails instead of
going to the network."""
import json
import os
import sys

import jsonschema


def no_network(uri):
    raise RuntimeError("schema reference %s is not in the local store" % uri)


schema_path = sys.argv[1]
schema = json.load(open(schema_path))
store = {}
folder = os.path.dirname(os.path.abspath(schema_path))
for name in sorted(os.listdir(folder)):
    if name.endswith(".json"):
        other = json.load(open(os.path.join(folder, name)))
        if isinstance(other, dict) and isinstance(other.get("$id", other.get("id")), str):
            store[other.get("$id", other.get("id"))] = other
            # The CycloneDX library's copies name their neighbours *.SNAPSHOT.schema.json.
            base = other.get("$id", other.get("id")).rsplit("/", 1)
            if len(base) == 2 and name != base[1]:
                store[base[0] + "/" + name] = other
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
resolver = jsonschema.RefResolver.from_schema(
    schema, store=store, handlers={"http": no_network, "https": no_network})
validator = cls(schema, resolver=resolver, format_checker=jsonschema.FormatChecker())
bad = 0
for path in sys.argv[2:]:
    doc = json.load(open(path))
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    for e in errors[:5]:
        print("%s: %s: %s" % (path, "/".join(str(p) for p in e.path), e.message[:300]))
    bad += bool(errors)
sys.exit(1 if bad else 0)
