#!/usr/bin/env python3
"""Prints the kernel matrix from scripts/test-matrix.sh's results: a kernel x view table from
each leg's `pathwhy doctor --json`, then a test x leg table from each leg's ctest JUnit report
(passed / FAILED / skipped with the test's own reason / not run).

    matrix_table.py RESULTS_DIR LEG [LEG...]
"""
import json
import pathlib
import re
import sys
import xml.etree.ElementTree as ElementTree


def doctor(leg_dir):
    try:
        return json.loads((leg_dir / "doctor.json").read_text())
    except (OSError, ValueError):
        return None


def short_mechanism(view):
    if not view["active"]:
        return "MISSING"
    mechanism = view.get("mechanism") or "active"
    for long, short in (("BPF netfilter links", "nf link"), ("fentry/fexit", "fentry"),
                        ("kprobe/kretprobe", "kprobe")):
        if long in mechanism:
            return short
    return mechanism.split("/")[0]


def skip_reason(case):
    text = case.findtext("system-out") or ""
    match = re.search(r"Skipped\s*\n(.+)", text)
    return match.group(1).strip() if match else "skipped"


def test_results(leg_dir):
    path = leg_dir / "ctest.xml"
    if not path.exists():
        return None
    results = {}
    for case in ElementTree.parse(path).getroot().iter("testcase"):
        status = case.get("status", "")
        # Parameterised tests' names end in "  # GetParam() = ...": the name says it already.
        name = case.get("name").split("  # GetParam()")[0]
        if case.find("failure") is not None or status == "fail":
            results[name] = "FAILED"
        elif case.find("skipped") is not None or status in ("notrun", "disabled"):
            results[name] = "skipped: " + skip_reason(case)
        else:
            results[name] = "passed"
    return results


def table(rows, header):
    widths = [max(len(str(row[i])) for row in rows + [header]) for i in range(len(header))]
    line = lambda row: "| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths)) + " |"
    print(line(header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print(line(row))


def main():
    results_dir = pathlib.Path(sys.argv[1])
    legs = sys.argv[2:]
    kernels, views, outcome = {}, {}, {}
    for leg in legs:
        leg_dir = results_dir / leg
        report = doctor(leg_dir)
        kernels[leg] = report["kernel"] if report else "?"
        views[leg] = {v["id"]: short_mechanism(v) for v in report["views"]} if report else {}
        rc = (leg_dir / "leg-rc").read_text().strip() if (leg_dir / "leg-rc").exists() else "?"
        seconds = (leg_dir / "leg-seconds").read_text().strip() if (leg_dir / "leg-seconds").exists() else "?"
        outcome[leg] = {"0": "passed", "125": "NOT RUN", "124": "TIMED OUT"}.get(rc, "FAILED") + f" ({seconds} s)"

    names = [f"{leg} ({kernels[leg]})" for leg in legs]
    view_ids = []
    for leg in legs:
        view_ids += [v for v in views[leg] if v not in view_ids]
    print("\nViews per kernel (pathwhy doctor):\n")
    table([[view] + [views[leg].get(view, "?") for leg in legs] for view in view_ids],
          ["view"] + names)

    results = {leg: test_results(results_dir / leg) for leg in legs}
    tests = []
    for leg in legs:
        tests += [t for t in (results[leg] or {}) if t not in tests]
    print("\nKernel-labelled privileged tests per kernel:\n")
    table([[test] + [(results[leg] or {}).get(test, "not run") for leg in legs] for test in tests]
          + [["leg"] + [outcome[leg] for leg in legs]], ["test"] + names)


if __name__ == "__main__":
    main()
