#!/usr/bin/python3
"""Parses YAML files (every document of each) and prints them as one JSON object.

    yaml_to_json.py FILE...   ->   {"FILE": [document, ...], ...}

The deploy tests use it to read the Kubernetes manifests, the compose file and
the Prometheus rules with a real YAML parser (PyYAML, python3-yaml; merge keys
`<<:` are resolved). A file that is not valid YAML exits 1 naming it.
"""
import json
import sys

import yaml

out = {}
for path in sys.argv[1:]:
    try:
        with open(path, encoding="utf-8") as f:
            out[path] = [doc for doc in yaml.safe_load_all(f) if doc is not None]
    except (OSError, yaml.YAMLError) as e:
        print(f"{path}: {e}", file=sys.stderr)
        sys.exit(1)
json.dump(out, sys.stdout)
