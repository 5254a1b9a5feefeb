"""NannyML on a file churn-datagen wrote (docs/monitors.md): prints one JSON object.

  nannyml_monitor.py drift DATA MANIFEST
      Univariate drift (Kolmogorov-Smirnov) of every numeric feature, chunk by chunk.
  nannyml_monitor.py performance DATA OUTCOMES MANIFEST
      CBPE's estimated ROC AUC of the served model (predicted_churn_probability) from the records
      alone, beside the realised ROC AUC once the outcomes (OUTCOMES: --outcomes-output as JSON
      Lines) are in, chunk by chunk.

Reference: the first 20 minutes of the run; analysis: the rest, in chunks of 2,000 records.
"""

import json
import os
import sys

os.environ.setdefault("NML_DISABLE_USAGE_LOGGING", "1")  # no usage telemetry

import nannyml as nml
import pandas as pd
from nannyml.thresholds import ConstantThreshold

REFERENCE = pd.Timedelta(minutes=20)
CHUNK = 2000
KS_THRESHOLD = 0.08  # 1.5 x the KS critical value at alpha 1e-4 for 2,000 against 12,000 records


def read(path):
    return pd.read_parquet(path) if path.endswith(".parquet") else pd.read_csv(path, parse_dates=["timestamp"])


def split(frame):
    start = frame["timestamp"].iloc[0]
    return frame[frame["timestamp"] < start + REFERENCE], frame[frame["timestamp"] >= start + REFERENCE]


def chunks(table):
    """Each chunk's first and last record time (the table's columns have 2 or 3 levels)."""
    key = ("chunk",) * (table.columns.nlevels - 1)
    return [
        {"start": pd.Timestamp(s).isoformat(), "end": pd.Timestamp(e).isoformat()}
        for s, e in zip(table[(*key, "start_date")], table[(*key, "end_date")])
    ]


def drift(path, manifest):
    features = manifest["drifted_features"] + manifest["weakly_drifted_features"] + manifest["stable_features"]
    reference, analysis = split(read(path))
    calculator = nml.UnivariateDriftCalculator(
        column_names=features,
        timestamp_column_name="timestamp",
        chunk_size=CHUNK,
        continuous_methods=["kolmogorov_smirnov"],
        thresholds={"kolmogorov_smirnov": ConstantThreshold(upper=KS_THRESHOLD)},
    )
    table = calculator.fit(reference).calculate(analysis).filter(period="analysis").to_df()
    return {
        "onset": manifest["components"][0]["onset"]["time"],
        "threshold": KS_THRESHOLD,
        "chunks": chunks(table),
        "features": {
            c: {
                "statistic": [round(v, 4) for v in table[(c, "kolmogorov_smirnov", "value")]],
                "alert": [bool(a) for a in table[(c, "kolmogorov_smirnov", "alert")]],
            }
            for c in features
        },
    }


def performance(path, outcomes_path, manifest):
    records = read(path)
    outcomes = pd.read_json(outcomes_path, lines=True)[["customer_id", "churned"]]
    reference, analysis = split(records)
    reference = reference.merge(outcomes, on="customer_id")  # a period whose outcomes are all in
    columns = dict(
        y_pred_proba="predicted_churn_probability",
        y_pred="predicted_churn",
        y_true="churned",
        problem_type="classification_binary",
        timestamp_column_name="timestamp",
        chunk_size=CHUNK,
    )
    cbpe = nml.CBPE(metrics=["roc_auc"], **columns).fit(reference)
    estimated = cbpe.estimate(analysis).filter(period="analysis").to_df()  # from the records alone
    # 90 days on, the outcomes are in: the realised ROC AUC of the same chunks
    realised = nml.PerformanceCalculator(metrics=["roc_auc"], **columns).fit(reference)
    realised = realised.calculate(analysis.merge(outcomes, on="customer_id")).filter(period="analysis").to_df()
    rows = []
    for chunk, (_, e), (_, r) in zip(chunks(estimated), estimated.iterrows(), realised.iterrows()):
        rows.append(
            {
                **chunk,
                "estimated": round(e[("roc_auc", "value")], 4),
                "lower": round(e[("roc_auc", "lower_confidence_boundary")], 4),
                "upper": round(e[("roc_auc", "upper_confidence_boundary")], 4),
                "sampling_error": round(e[("roc_auc", "sampling_error")], 4),
                "estimate_alert": bool(e[("roc_auc", "alert")]),
                "realised": round(r[("roc_auc", "value")], 4),
            }
        )
    return {"onset": manifest["components"][0]["onset"]["time"], "chunks": rows}


if __name__ == "__main__":
    command, path = sys.argv[1:3]
    with open(sys.argv[-1]) as file:
        manifest = json.load(file)
    print(json.dumps(drift(path, manifest) if command == "drift" else performance(path, sys.argv[3], manifest)))
