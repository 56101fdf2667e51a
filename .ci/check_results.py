"""Fail CI unless each JUnit report exists, ran tests, skipped none, and PostgreSQL ran e2e."""

import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def summary(path):
    if not path.exists():
        sys.exit(f"CI: {path} is missing: that test run did not happen.")
    cases = ET.parse(path).getroot().iter("testcase")  # noqa: S314 - our own pytest output
    ran, skipped, browser = 0, [], 0
    for case in cases:
        ran += 1
        name = f"{case.get('classname')}.{case.get('name')}"
        if case.find("skipped") is not None:
            skipped.append(name)
        if ".e2e." in f".{case.get('classname')}.":
            browser += 1
    return ran, skipped, browser


def main(sqlite_report, postgres_report):
    failed = False
    for label, path in (("SQLite", sqlite_report), ("PostgreSQL", postgres_report)):
        ran, skipped, browser = summary(Path(path))
        print(f"{label}: {ran} tests, {len(skipped)} skipped, {browser} browser tests")
        if ran == 0:
            print(f"CI: the {label} run collected no tests.")
            failed = True
        if skipped:
            print(f"CI: the {label} run skipped tests:\n  " + "\n  ".join(skipped))
            failed = True
        if label == "PostgreSQL" and browser == 0:
            print("CI: no browser test ran on PostgreSQL.")
            failed = True
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main(*sys.argv[1:])
