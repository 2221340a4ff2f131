"""Runs Optuna's FanovaImportanceEvaluator on trials exported by `RnnLab.Bench fanova`.

Usage: fanova_optuna.py TRIALS.json
Input: {"seed", "n_trees", "max_depth", "direction", "params": [{"name", "type": float|int|categorical,
        "low", "high", "log", "choices"}], "trials": [{"params": {...}, "value": float}]}
Prints one JSON object: {"optuna": version, "seconds": wall-clock evaluation time, "cpu_seconds": CPU time of the
evaluation, "importances": {name: fraction}}. Only the evaluation is timed; building the study is not.
"""

import json
import sys
import time

import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.importance import FanovaImportanceEvaluator


def distribution(param):
    if param["type"] == "float":
        return FloatDistribution(param["low"], param["high"], log=param.get("log", False))
    if param["type"] == "int":
        return IntDistribution(int(param["low"]), int(param["high"]), log=param.get("log", False))
    return CategoricalDistribution(param["choices"])


def main(path):
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    with open(path) as handle:
        spec = json.load(handle)

    distributions = {param["name"]: distribution(param) for param in spec["params"]}
    study = optuna.create_study(direction=spec.get("direction", "minimize"))
    study.add_trials(
        [
            optuna.trial.create_trial(params=trial["params"], distributions=distributions, value=trial["value"])
            for trial in spec["trials"]
        ]
    )

    evaluator = FanovaImportanceEvaluator(
        n_trees=spec.get("n_trees", 64), max_depth=spec.get("max_depth", 64), seed=spec.get("seed", 0)
    )
    start, cpu_start = time.perf_counter(), time.process_time()
    importances = optuna.importance.get_param_importances(study, evaluator=evaluator)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start

    print(
        json.dumps(
            {"optuna": optuna.__version__, "seconds": seconds, "cpu_seconds": cpu_seconds, "importances": dict(importances)}
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
