"""Evidently's DataDriftPreset on a file churn-datagen wrote (docs/monitors.md): prints one JSON object.

  evidently_monitor.py DATA MANIFEST [REPORT.html]

Reference: the records before the manifest's onset; current: those from when the drift is at full
strength. DATA is CSV or Parquet; for a control stream pass the drifted run's manifest (same times).
"""

import json
import os
import sys

os.environ.setdefault("DO_NOT_TRACK", "1")  # no usage telemetry

import pandas as pd
from evidently import DataDefinition, Dataset, Report
from evidently.presets import DataDriftPreset

DRIFT_SHARE = 0.1  # dataset drift when at least a tenth of the columns drift


def read(path):
    return pd.read_parquet(path) if path.endswith(".parquet") else pd.read_csv(path, parse_dates=["timestamp"])


def main(path, manifest, html=None):
    features = manifest["drifted_features"] + manifest["weakly_drifted_features"] + manifest["stable_features"]
    component = manifest["components"][0]
    onset, full = pd.Timestamp(component["onset"]["time"]), pd.Timestamp(component["full"]["time"])
    frame = read(path)
    definition = DataDefinition(id_column="customer_id", timestamp="timestamp", numerical_columns=features)
    reference = Dataset.from_pandas(frame[frame["timestamp"] < onset], data_definition=definition)
    current = Dataset.from_pandas(frame[frame["timestamp"] >= full], data_definition=definition)
    report = Report([DataDriftPreset(columns=features, drift_share=DRIFT_SHARE)], include_tests=True)
    snapshot = report.run(current_data=current, reference_data=reference)
    if html:
        snapshot.save_html(html)

    result = snapshot.dict()
    tests = {(t["metric_config"]["params"]["type"], t["metric_config"]["params"].get("column")): t for t in result["tests"]}
    share_test = next(t for (kind, _), t in tests.items() if kind.endswith("DriftedColumnsCount"))
    columns = {
        column: {"score": round(m["value"], 4), "method": m["config"]["method"], "threshold": m["config"]["threshold"]}
        for m in result["metrics"]
        if m["config"]["type"].endswith("ValueDrift")
        for column in [m["config"]["column"]]
    }
    for (kind, column), test in tests.items():
        if kind.endswith("ValueDrift"):
            columns[column]["drifted"] = test["status"] == "FAIL"
    drifted = next(m["value"] for m in result["metrics"] if m["config"]["type"].endswith("DriftedColumnsCount"))
    return {
        "reference_rows": int((frame["timestamp"] < onset).sum()),
        "current_rows": int((frame["timestamp"] >= full).sum()),
        "dataset_drift": share_test["status"] == "FAIL",  # the test "share of drifted columns < 0.1" failed
        "drift_share": DRIFT_SHARE,
        "drifted_count": int(drifted["count"]),
        "drifted_share": round(drifted["share"], 4),
        "drifted_columns": sorted(c for c, v in columns.items() if v["drifted"]),
        "columns": columns,
    }


if __name__ == "__main__":
    with open(sys.argv[2]) as file:
        print(json.dumps(main(sys.argv[1], json.load(file), sys.argv[3] if len(sys.argv) > 3 else None)))
