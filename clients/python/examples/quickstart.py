# %% [markdown]
# # RnnLab from Python: the first five minutes
#
# Submit the quickstart sweep (rnn-tanh, lstm and gru on the adding problem), follow it live, then compare
# the cells the way *LSTM: A Search Space Odyssey* does: a box plot of the objective per cell and Welch's
# t-test against lstm. Run it as a script or cell by cell (`# %%`) in Jupyter or VS Code:
#
#     rnnlab serve                                   # in another shell (or RNNLAB_SERVER=http://host:5180)
#     python3 clients/python/examples/quickstart.py [path/to/quickstart.yaml]

# %%
import sys
from pathlib import Path

import matplotlib

if "ipykernel" not in sys.modules:
    matplotlib.use("Agg")  # a script writes the figure to a file; a notebook shows it inline
import matplotlib.pyplot as plt

import rnnlab

spec = Path(sys.argv[1]) if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else \
    Path(__file__).resolve().parents[3] / "experiments" / "quickstart.yaml"
client = rnnlab.Client()  # RNNLAB_SERVER and RNNLAB_API_KEY, as the rnnlab command
sweep = client.submit(spec)
print(f"submitted {sweep.name}: {sweep.id}")

# %% Follow it: the watch resumes by itself if the connection drops.
for item in sweep.watch():
    if isinstance(item, rnnlab.Snapshot):
        print(f"{item.sweep.trials.finished}/{item.sweep.budget} trials finished so far")
    elif item.kind == "trial-finished":
        value = "—" if item.value is None else f"{item.value:.4f}"
        print(f"trial {item.trial_number:3d} {item.trial_state:<9} {sweep.status.objective} = {value}")
print(f"sweep {sweep.state}; best {sweep.status.objective} = {sweep.status.best_objective:.4f}")

# %% The trials as a DataFrame: one row per trial, one column per hyperparameter.
trials = sweep.trials(states=["completed"], order_by="objective")
print(trials[["number", "cell", "lr", "objective"]].head(10).to_string(index=False))

# %% Each cell against lstm (Welch's t-test) and what mattered (fANOVA).
analysis = sweep.analyze()
print(analysis.cells[["cell", "trials", "mean", "median", "best", "p_value"]].to_string(index=False))
print(analysis.main_effects.to_string(index=False))

# %% The per-cell box plot.
cells = sorted(trials["cell"].unique())
figure, axes = plt.subplots(figsize=(6, 4))
axes.boxplot([trials.loc[trials["cell"] == cell, "objective"] for cell in cells], labels=cells)
axes.set_ylabel(f"{sweep.status.objective} ({'higher' if sweep.status.maximize else 'lower'} is better)")
axes.set_title(f"{sweep.name}: {len(trials)} trials")
figure.tight_layout()
output = Path("quickstart-boxplot.png")
figure.savefig(output, dpi=120)
print(f"box plot written to {output.resolve()}")
