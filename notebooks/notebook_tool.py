#!/usr/bin/env python3
"""Notebook plumbing for run-all.sh (standard library only).

  prepare SRC DEST FEED VERSION   copy notebook SRC to DEST with the local-feed line (#i "nuget: ...") and the
                                  MLNetBackprop package line (#r "nuget: MLNetBackprop, ...") set to FEED and VERSION
  check EXECUTED                  print every cell error of an executed notebook; exit 1 if there is any, or if a
                                  code cell did not run
  refresh SRC EXECUTED FEED VERSION
                                  write the outputs of EXECUTED back into SRC: SRC keeps its own sources and
                                  metadata; package-restore progress is reduced to its final message, and FEED and
                                  VERSION in the outputs are replaced by SRC's placeholders
"""
import json
import re
import sys

FEED_LINE = re.compile(r'^#i\s+"nuget:\s*[^"]*"', re.MULTILINE)
PACKAGE_LINE = re.compile(r'^#r\s+"nuget:\s*MLNetBackprop\s*,\s*[^"]*"', re.MULTILINE)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def save(notebook, path):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(notebook, f, indent=1, ensure_ascii=False)
        f.write("\n")


def text(value):
    return "".join(value) if isinstance(value, list) else (value or "")


def as_lines(value):
    lines = value.split("\n")
    return [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


def placeholders(notebook):
    """The feed and version the committed notebook names (its placeholders)."""
    feed = version = None
    for cell in notebook["cells"]:
        source = text(cell["source"])
        m = re.search(r'^#i\s+"nuget:\s*([^"]*)"', source, re.MULTILINE)
        if m and feed is None:
            feed = m.group(1).strip()
        m = re.search(r'^#r\s+"nuget:\s*MLNetBackprop\s*,\s*([^"]*)"', source, re.MULTILINE)
        if m and version is None:
            version = m.group(1).strip()
    return feed, version


def prepare(src, dest, feed, version):
    notebook = load(src)
    found_feed = found_package = False
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = text(cell["source"])
        found_feed |= bool(FEED_LINE.search(source))
        found_package |= bool(PACKAGE_LINE.search(source))
        source = FEED_LINE.sub(lambda _: f'#i "nuget: {feed}"', source)
        source = PACKAGE_LINE.sub(lambda _: f'#r "nuget: MLNetBackprop, {version}"', source)
        cell["source"] = as_lines(source)
    if not (found_feed and found_package):
        print(f'{src}: no #i "nuget: ..." feed line or no #r "nuget: MLNetBackprop, ..." line to fill in')
        return 1
    save(notebook, dest)
    return 0


def check(executed):
    notebook = load(executed)
    errors = 0
    for number, cell in enumerate(notebook["cells"], start=1):
        if cell["cell_type"] != "code":
            continue
        first_line = text(cell["source"]).strip().split("\n")[0][:100]
        ran = "dotnet_repl_cellExecutionEndTime" in cell.get("metadata", {})
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                errors += 1
                print(f"  cell {number} ({first_line}):")
                message = (output.get("ename", "") + ": " + output.get("evalue", "")).strip(": ")
                traceback = [text(t) for t in output.get("traceback", [])]
                if "\n" in message:   # .NET exceptions: the message already holds the stack trace
                    traceback = []
                for line in message.splitlines() + traceback:
                    if line.strip():
                        print(f"    {line}")
        if not ran:
            errors += 1
            print(f"  cell {number} ({first_line}): did not run")
    return 1 if errors else 0


RESTORE_PROGRESS = re.compile(r"<strong>(Installing Packages|Restore sources)</strong>")


def clean_outputs(outputs, replacements):
    kept = []
    for output in outputs:
        data = output.get("data", {})
        html = text(data.get("text/html", ""))
        # Package restore redraws its progress many times; keep only the last message ("Installed Packages").
        if RESTORE_PROGRESS.search(html) and "Installed Packages" not in html:
            continue
        blob = json.dumps(output, ensure_ascii=False)
        for old, new in replacements:
            blob = blob.replace(json.dumps(old)[1:-1], json.dumps(new)[1:-1])
        kept.append(json.loads(blob))
    return kept


def refresh(src, executed, feed, version):
    original = load(src)
    result = load(executed)
    if len(original["cells"]) != len(result["cells"]):
        print(f"{executed}: {len(result['cells'])} cells, but {src} has {len(original['cells'])}")
        return 1
    feed_placeholder, version_placeholder = placeholders(original)
    replacements = [(feed, feed_placeholder or feed), (version, version_placeholder or version)]
    count = 0
    for cell, ran in zip(original["cells"], result["cells"]):
        if cell["cell_type"] != "code":
            continue
        count += 1
        cell["outputs"] = clean_outputs(ran.get("outputs", []), replacements)
        cell["execution_count"] = count
    save(original, src)
    return 0


def main(argv):
    commands = {"prepare": (prepare, 4), "check": (check, 1), "refresh": (refresh, 4)}
    if len(argv) < 2 or argv[1] not in commands or len(argv) - 2 != commands[argv[1]][1]:
        print(__doc__)
        return 2
    function, _ = commands[argv[1]]
    return function(*argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
