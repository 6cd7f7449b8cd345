#!/usr/bin/env python3
"""Prints "PASSED FAILED FILES" summed over the TRX files given (the test results dotnet test writes with
--logger trx). A file that cannot be read counts as one failure, so a broken run never reads as green."""
import sys
import xml.etree.ElementTree as ET

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
passed = failed = files = 0
for path in sys.argv[1:]:
    try:
        counters = ET.parse(path).getroot().find(f"{NS}ResultSummary/{NS}Counters")
        passed += int(counters.get("passed", 0))
        failed += sum(int(counters.get(k, 0)) for k in ("failed", "error", "timeout", "aborted"))
        files += 1
    except (ET.ParseError, OSError, AttributeError, ValueError) as error:
        print(f"unreadable test results {path}: {error}", file=sys.stderr)
        failed += 1
print(passed, failed, files)
