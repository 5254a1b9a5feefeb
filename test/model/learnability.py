"""How hard the labels are to learn, measured as a data scientist would, on a CSV the CLI wrote.

Reads the CSV (with --with-outcome), prints one JSON object:
- single: the best 5-fold CV accuracy of a depth-2 tree on any one numeric feature, and which;
- gbm: 5-fold CV accuracy of gradient boosting on all features (3 classes);
- auc: ROC AUC of gradient boosting's out-of-fold probability of `churned`.
"""
import json
import sys

import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict, cross_val_score
from sklearn.tree import DecisionTreeClassifier

frame = pd.read_csv(sys.argv[1])
labels = frame["true_risk_level"]
churned = frame["churned"].astype(bool)
features = frame.drop(columns=["customer_id", "timestamp", "true_risk_level", "churned", "churn_probability"])
for column in ("favorite_category", "payment_method", "shipping_method"):
    features[column] = features[column].astype("category").cat.codes
folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)

single = max(
    (cross_val_score(DecisionTreeClassifier(max_depth=2), features[[name]], labels, cv=folds).mean(), name)
    for name in features.columns
)
boosting = HistGradientBoostingClassifier(max_iter=100, random_state=0)
gbm = cross_val_score(boosting, features, labels, cv=folds).mean()
churn_probability = cross_val_predict(boosting, features, churned, cv=folds, method="predict_proba")[:, 1]
print(
    json.dumps(
        {
            "single": {"feature": single[1], "accuracy": round(single[0], 4)},
            "gbm": round(gbm, 4),
            "auc": round(roc_auc_score(churned, churn_probability), 4),
        }
    )
)
