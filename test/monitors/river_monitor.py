"""river on files churn-datagen wrote (docs/monitors.md): prints one JSON object.

  river_monitor.py adwin DATA FEATURE MANIFEST [ALARMS.csv]
      ADWIN over one feature, record by record: the onset (from the manifest) and every alarm;
      ALARMS.csv gets the alarms' times, for churn-datagen score.
  river_monitor.py delayed DATA OUTCOMES MANIFEST
      The served model (predicted_churn_probability) scored with delayed labels, in arrival order:
      each prediction is scored when its outcome arrives (OUTCOMES: --outcomes-output as JSON
      Lines), into the log loss and accuracy of its 5-minute cohort, final once the cohort's last
      outcome is in.

DATA is CSV or Parquet (pandas reads either).
"""

import json
import sys

import pandas as pd
from river import drift, metrics, stream

ADWIN_DELTA = 1e-5
COHORT = pd.Timedelta(minutes=5)  # predictions scored together, by the time they were made
ALERT_RATIO = 1.5  # alert when a cohort's log loss exceeds 1.5 x the first cohort's


def read(path):
    return pd.read_parquet(path) if path.endswith(".parquet") else pd.read_csv(path, parse_dates=["timestamp"])


def iso(time):
    return None if time is None else pd.Timestamp(time).isoformat()


def adwin(path, manifest, feature, alarms_csv=None):
    frame = read(path)
    onset = pd.Timestamp(manifest["components"][0]["onset"]["time"])
    detector = drift.ADWIN(delta=ADWIN_DELTA)
    alarms = []
    for index, value in enumerate(frame[feature]):
        detector.update(value)
        if detector.drift_detected:
            alarms.append({"index": index, "timestamp": iso(frame["timestamp"].iloc[index])})
    if alarms_csv:
        pd.DataFrame({"timestamp": [a["timestamp"] for a in alarms]}, dtype=str).to_csv(alarms_csv, index=False)
    return {
        "feature": feature,
        "delta": ADWIN_DELTA,
        "records": len(frame),
        "onset": iso(onset),
        "onset_index": int((frame["timestamp"] < onset).sum()),
        "alarms": alarms,
    }


def delayed(path, outcomes_path, manifest):
    records = read(path)  # what the model saw and predicted, when it did
    outcomes = pd.read_json(outcomes_path, lines=True)  # each outcome, stamped when it became known
    log = records[["customer_id", "timestamp", "predicted_churn_probability"]].merge(
        outcomes[["customer_id", "observed_at", "churned"]], on="customer_id"
    )
    onset = pd.Timestamp(manifest["components"][0]["onset"]["time"])
    start = log["timestamp"].min()

    def cohort_of(time):
        return int((time - start) // COHORT)

    size = log["timestamp"].map(cohort_of).value_counts().to_dict()
    cohorts = {}
    dataset = stream.iter_pandas(log[["timestamp", "observed_at", "predicted_churn_probability"]], log["churned"])
    for _, x, y in stream.simulate_qa(
        dataset, moment="timestamp", delay=lambda x, _: x["observed_at"] - x["timestamp"]
    ):
        if y is None:  # the record comes in and is scored (the prediction it carries)
            continue
        # its outcome arrives: only now is that prediction scored
        k = cohort_of(x["timestamp"])
        c = cohorts.setdefault(k, {"log_loss": metrics.LogLoss(), "accuracy": metrics.Accuracy(), "n": 0})
        p = x["predicted_churn_probability"]
        c["log_loss"].update(y, p)
        c["accuracy"].update(y, p >= 0.5)
        c["n"] += 1
        if c["n"] == size[k]:  # the cohort's last outcome: its figures are final now
            c["final_at"] = x["observed_at"]
    rows = [
        {
            "start": iso(start + k * COHORT),
            "after_onset": bool(start + k * COHORT >= onset),
            "records": size[k],
            "log_loss": round(c["log_loss"].get(), 4),
            "accuracy": round(c["accuracy"].get(), 4),
            "final_at": iso(c.get("final_at")),
        }
        for k, c in sorted(cohorts.items())
    ]
    first = rows[0]["log_loss"]
    alerts = sorted(r["final_at"] for r in rows if r["final_at"] and r["log_loss"] > ALERT_RATIO * first)
    return {
        "onset": iso(onset),
        "cohort_minutes": COHORT.total_seconds() / 60,
        "alert_threshold": round(ALERT_RATIO * first, 4),
        "first_alert": alerts[0] if alerts else None,
        "cohorts": rows,
    }


if __name__ == "__main__":
    command, path, extra, manifest_path = sys.argv[1:5]
    with open(manifest_path) as file:
        manifest = json.load(file)
    if command == "adwin":
        result = adwin(path, manifest, extra, sys.argv[5] if len(sys.argv) > 5 else None)
    else:
        result = delayed(path, extra, manifest)
    print(json.dumps(result))
