"""estimator: what an AI datacenter means in power, energy and compute.

Every input is an assumption; presets are nominal public figures with sources.
See docs/methodology.md for the model and docs/fields.md for every field.

Examples
--------
>>> import estimator
>>> s = estimator.Scenario(gpus=100_000, gpu_watts=700, server_overhead=1.82,
...                        network_overhead=1.10, pue=1.2)
>>> round(estimator.estimate(s).facility_power_w / 1e6, 1)
168.2
"""

from estimator.catalog import (
    accelerator,
    accelerators,
    methodologies,
    methodology,
    reference_cluster,
    reference_clusters,
    site,
    sites,
)
from estimator.compute import (
    flop_in_period,
    gpu_hours,
    peak_cluster_flop_per_s,
    runs_in_period,
    sustained_flop_per_s,
    training_flop,
    training_time_s,
)
from estimator.energy import cost, emissions_kg, energy_wh, water_l
from estimator.power import (
    accelerator_power_w,
    average_power_w,
    facility_power_w,
    fleet_facility_power_w,
    it_power_w,
    load_swing_w,
    server_power_w,
)
from estimator.runs import compare_gpu_hours, training_run, training_runs
from estimator.scenario import Estimate, Scenario, estimate, preset_assumptions
from estimator.solve import (
    facility_power_for_training,
    gpu_watts_for_power,
    gpus_for_power,
    gpus_for_training,
    pue_for_power,
)

__version__ = "0.1.0"

__all__ = [
    "Estimate",
    "Scenario",
    "__version__",
    "accelerator",
    "accelerator_power_w",
    "accelerators",
    "average_power_w",
    "compare_gpu_hours",
    "cost",
    "emissions_kg",
    "energy_wh",
    "estimate",
    "facility_power_for_training",
    "facility_power_w",
    "fleet_facility_power_w",
    "flop_in_period",
    "gpu_hours",
    "gpu_watts_for_power",
    "gpus_for_power",
    "gpus_for_training",
    "it_power_w",
    "load_swing_w",
    "methodologies",
    "methodology",
    "peak_cluster_flop_per_s",
    "preset_assumptions",
    "pue_for_power",
    "reference_cluster",
    "reference_clusters",
    "runs_in_period",
    "server_power_w",
    "site",
    "sites",
    "sustained_flop_per_s",
    "training_flop",
    "training_run",
    "training_runs",
    "training_time_s",
    "water_l",
]
