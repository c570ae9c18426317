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

from estimator._version import __version__
from estimator.campus import (
    Campus,
    CampusEstimate,
    Timeline,
    campus_preset,
    campus_presets,
    estimate,
    h100_equivalents,
    timeline,
)
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
from estimator.footprint import embodied_emissions_kg, equivalents, generation_water_l, market_emissions_kg, yardsticks
from estimator.limits import binding_limit
from estimator.money import (
    amortized_capex,
    capex,
    capital_recovery_factor,
    cost_per_gpu_hour,
    facility_capex,
    facility_cost_factor,
    gpus_for_capex,
    hardware_capex,
    redundancy_factor,
    total_cost,
)
from estimator.power import (
    accelerator_power_w,
    average_power_w,
    facility_power_w,
    fleet_facility_power_w,
    grid_connection_w,
    it_power_w,
    load_swing_w,
    rack_power_w,
    racks,
    server_power_w,
)
from estimator.runs import compare_gpu_hours, training_run, training_runs
from estimator.scenario import Estimate, Scenario, preset_assumptions
from estimator.serving import (
    QueryPreset,
    decode_tokens_per_s,
    energy_per_query_wh,
    energy_per_token_j,
    gpus_for_queries,
    prefill_tokens_per_s,
    queries,
    queries_per_day,
    query,
    query_seconds,
)
from estimator.solve import (
    facility_power_for_training,
    gpu_watts_for_power,
    gpus_for_power,
    gpus_for_training,
    pue_for_power,
)
from estimator.trend import projection

__all__ = [
    "Campus",
    "CampusEstimate",
    "Estimate",
    "QueryPreset",
    "Scenario",
    "Timeline",
    "__version__",
    "accelerator",
    "accelerator_power_w",
    "accelerators",
    "amortized_capex",
    "average_power_w",
    "binding_limit",
    "campus_preset",
    "campus_presets",
    "capex",
    "capital_recovery_factor",
    "compare_gpu_hours",
    "cost",
    "cost_per_gpu_hour",
    "decode_tokens_per_s",
    "embodied_emissions_kg",
    "emissions_kg",
    "energy_per_query_wh",
    "energy_per_token_j",
    "energy_wh",
    "equivalents",
    "estimate",
    "facility_capex",
    "facility_cost_factor",
    "facility_power_for_training",
    "facility_power_w",
    "fleet_facility_power_w",
    "flop_in_period",
    "generation_water_l",
    "gpu_hours",
    "gpu_watts_for_power",
    "gpus_for_capex",
    "gpus_for_power",
    "gpus_for_queries",
    "gpus_for_training",
    "grid_connection_w",
    "h100_equivalents",
    "hardware_capex",
    "it_power_w",
    "load_swing_w",
    "market_emissions_kg",
    "methodologies",
    "methodology",
    "peak_cluster_flop_per_s",
    "prefill_tokens_per_s",
    "preset_assumptions",
    "projection",
    "pue_for_power",
    "queries",
    "queries_per_day",
    "query",
    "query_seconds",
    "rack_power_w",
    "racks",
    "redundancy_factor",
    "reference_cluster",
    "reference_clusters",
    "runs_in_period",
    "server_power_w",
    "site",
    "sites",
    "sustained_flop_per_s",
    "timeline",
    "total_cost",
    "training_flop",
    "training_run",
    "training_runs",
    "training_time_s",
    "water_l",
    "yardsticks",
]
