"""Whole-process yardstick: the original design's Python registry discovering a plugmap corpus.

The registry's code is not in this repository: it is the `lazy_plugin_registry.py` block of the
original design document, read at run time from the path in PLUGMAP_ORIGINAL_DESIGN
(yaml-plugin-registry.md). PyYAML's C loader (libyaml) is used, its fastest setting.

    PLUGMAP_ORIGINAL_DESIGN=.../yaml-plugin-registry.md python3 tests/perf/original_python.py DIR

DIR is a corpus from `deno run -A tests/perf/_corpus.ts DIR 1000`: its deno.json "plugins" map
lists the manifests in order, as entry points would. Prints one line per plugin, like
`plugins list`.
"""

import json
import os
import re
import sys
import types

import yaml


def load_registry_module(design_path):
    text = open(design_path, encoding="utf-8").read()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    code = next(b for b in blocks if "lazy_plugin_registry.py" in b and "class LazyPluginRegistry" in b)
    module = types.ModuleType("lazy_plugin_registry")
    module.__dict__["__name__"] = "lazy_plugin_registry"
    sys.modules["lazy_plugin_registry"] = module  # dataclasses look the module up by name
    exec(compile(code, design_path, "exec"), module.__dict__)
    return module


def main():
    root = sys.argv[1]
    if not yaml.__with_libyaml__:
        sys.exit("PyYAML without libyaml: install python3-yaml (Debian) for the C loader")
    # The design calls yaml.safe_load; the same, with the C loader.
    yaml.safe_load = lambda stream: yaml.load(stream, Loader=yaml.CSafeLoader)
    module = load_registry_module(os.environ["PLUGMAP_ORIGINAL_DESIGN"])
    registry = module.LazyPluginRegistry()
    plugins = json.load(open(os.path.join(root, "deno.json"), encoding="utf-8"))["plugins"]
    for name, specifier in plugins.items():
        # What _load_manifest does after locating the file: read it, parse it.
        with open(os.path.join(root, specifier), encoding="utf-8") as f:
            manifest = module.PluginManifest.from_yaml(name, f.read())
        registry._register_manifest(name, manifest)
        registry._loaded_plugins.add(name)
    counts = {name: {} for name in plugins}
    for protocol, impls in registry._implementations.items():
        for impl in impls.values():
            per = counts[impl.plugin_name]
            per[protocol] = per.get(protocol, 0) + 1
    out = [
        f"{name}\tok\t" + ", ".join(f"{k}: {n}" for k, n in counts[name].items())
        for name in plugins
    ]
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
