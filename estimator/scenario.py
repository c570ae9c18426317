"""Scenario (the assumptions), Estimate (the results) and estimate() (the pipeline).

``Scenario`` validates once, at construction, and carries values; ``estimate``
runs the chain of pure functions in ``power``, ``energy`` and ``compute``;
``Estimate`` carries the results. Neither object holds arithmetic of its own.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

import numpy as np

from estimator import catalog, compute, energy, power, validate

if TYPE_CHECKING:  # numpy.typing costs ~20 ms at import; annotations only
    from numpy.typing import ArrayLike

Numeric = float | np.ndarray


@dataclass(frozen=True, eq=False)
class Scenario:
    """User assumptions about a fleet, its site and its workload.

    Every field is a scalar or an array; arrays broadcast together. Values
    are validated at construction and stored as float64.

    Parameters
    ----------
    gpus : numeric
        Accelerators in the fleet [count, > 0].
    gpu_watts : numeric
        Power of one accelerator at full load [W, > 0].
    server_overhead : numeric, default 1.0
        Server wall power ÷ accelerator power [unitless, >= 1].
    network_overhead : numeric, default 1.0
        Cluster IT power ÷ server power [unitless, >= 1].
    pue : numeric, default 1.0
        Facility power ÷ IT power [unitless, >= 1].
    utilization : numeric, default 1.0
        Average IT draw ÷ full-load IT draw over the period [unitless, (0, 1]].
    hours : numeric, optional
        Length of the period [h]; without it, energy outputs are None.
    electricity_price : numeric, optional
        [currency/kWh]; without it, ``cost`` is None.
    carbon_intensity : numeric, optional
        [kg CO2e/kWh]; without it, ``emissions_kg`` is None.
    wue : numeric, optional
        Water usage effectiveness [L/kWh]; without it, ``water_l`` is None.
    peak_flop_per_s : numeric, optional
        Dense peak of one accelerator [FLOP/s]; without it, compute outputs are None.
    mfu : numeric, default 1.0
        Model FLOPs utilization [unitless, (0, 1]].

    Raises
    ------
    TypeError, ValueError
        On any invalid value, naming the field, the value and the rule.

    Examples
    --------
    >>> s = Scenario(gpus=100_000, gpu_watts=700, server_overhead=1.82,
    ...              network_overhead=1.10, pue=1.2)
    >>> round(estimate(s).facility_power_w / 1e6, 1)
    168.2
    """

    gpus: Numeric
    gpu_watts: Numeric
    server_overhead: Numeric = 1.0
    network_overhead: Numeric = 1.0
    pue: Numeric = 1.0
    utilization: Numeric = 1.0
    hours: Numeric | None = None
    electricity_price: Numeric | None = None
    carbon_intensity: Numeric | None = None
    wue: Numeric | None = None
    peak_flop_per_s: Numeric | None = None
    mfu: Numeric = 1.0

    def __post_init__(self) -> None:
        checked = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.default is None:
                checked[f.name] = validate.optional(f.name, value)
            else:
                checked[f.name] = validate.field(f.name, value)
            object.__setattr__(self, f.name, checked[f.name])
        validate.broadcast(**checked)

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        """Names of the assumptions, in declaration order."""
        return tuple(f.name for f in fields(cls))

    @classmethod
    def from_accelerator(cls, name: str, gpus: ArrayLike, methodology: str | None = None,
                         site: str | None = None, **overrides: Any) -> Scenario:
        """Build a scenario from catalogue presets, then explicit overrides.

        Parameters
        ----------
        name : str
            Accelerator key, e.g. ``"h100-sxm"`` (see :func:`estimator.accelerators`).
        gpus : numeric
            Accelerators [count].
        methodology : str, optional
            Assumption set for the overheads, PUE and utilization (see
            :func:`estimator.methodologies`); applied after the accelerator.
        site : str, optional
            Site preset for PUE, WUE, grid and price (see :func:`estimator.sites`);
            applied after the methodology.
        **overrides
            Any Scenario field; applied last.

        Returns
        -------
        Scenario

        Examples
        --------
        >>> s = Scenario.from_accelerator("h100-sxm", gpus=1000, pue=1.2)
        >>> s.gpu_watts
        700.0
        """
        return cls(**preset_assumptions(name, methodology, site), gpus=gpus, **overrides)

    def replace(self, **changes: Any) -> Scenario:
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)

    def with_methodology(self, name: str, accelerator: str) -> Scenario:
        """A copy with a methodology's overheads, PUE and utilization applied.

        Parameters
        ----------
        name : str
            Methodology key.
        accelerator : str
            Accelerator key, for methodologies whose server ratio depends on it.
        """
        return self.replace(**catalog.methodology(name).assumptions(accelerator))

    def with_site(self, name: str) -> Scenario:
        """A copy with a site's PUE (and WUE, grid, price where it has them) applied."""
        return self.replace(**catalog.site(name).assumptions())

    def to_dict(self) -> dict[str, float | list | None]:
        """Plain-Python form: floats, nested lists for arrays, None where not given."""
        out: dict[str, float | list | None] = {}
        for name in self.field_names():
            value = getattr(self, name)
            out[name] = value.tolist() if isinstance(value, np.ndarray) else value
        return out

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Scenario):
            return NotImplemented
        for name in self.field_names():
            a, b = getattr(self, name), getattr(other, name)
            if (a is None) != (b is None):
                return False
            if a is not None and (np.shape(a) != np.shape(b) or not np.array_equal(a, b)):
                return False
        return True

    __hash__ = None  # type: ignore[assignment]  # arrays are mutable


def preset_assumptions(accelerator: str, methodology: str | None = None,
                       site: str | None = None) -> dict[str, float]:
    """Scenario fields filled from presets: accelerator, then methodology, then site.

    Parameters
    ----------
    accelerator : str
        Accelerator key.
    methodology, site : str, optional
        Methodology and site keys.

    Returns
    -------
    dict
        Scenario field name → value, in the fields' own units.
    """
    chip = catalog.accelerator(accelerator)
    values = dict(chip.assumptions())
    if methodology is not None:
        values.update(catalog.methodology(methodology).assumptions(chip))
    if site is not None:
        values.update(catalog.site(site).assumptions())
    return values


@dataclass(frozen=True)
class Estimate:
    """Results of :func:`estimate`; every field is a float or a broadcast array.

    Outputs whose assumption was not given are None.

    Attributes
    ----------
    accelerator_power_w, server_power_w, it_power_w, facility_power_w : numeric
        The chain at full load [W].
    average_it_power_w, average_facility_power_w : numeric
        Average draw over the period (× utilization) [W].
    watts_per_gpu : numeric
        All-in facility power per accelerator [W].
    host_power_w, network_storage_power_w, cooling_conversion_power_w : numeric
        The layers between the chain's steps [W].
    energy_wh, it_energy_wh : numeric or None
        Facility and IT energy over ``hours`` [Wh].
    cost : numeric or None
        [currency].
    emissions_kg : numeric or None
        [kg CO2e].
    water_l : numeric or None
        [L].
    peak_cluster_flop_per_s, sustained_flop_per_s : numeric or None
        [FLOP/s].
    flop_in_period : numeric or None
        Sustained compute over ``hours`` [FLOP].
    """

    accelerator_power_w: Numeric
    server_power_w: Numeric
    it_power_w: Numeric
    facility_power_w: Numeric
    average_it_power_w: Numeric
    average_facility_power_w: Numeric
    watts_per_gpu: Numeric
    host_power_w: Numeric
    network_storage_power_w: Numeric
    cooling_conversion_power_w: Numeric
    energy_wh: Numeric | None = None
    it_energy_wh: Numeric | None = None
    cost: Numeric | None = None
    emissions_kg: Numeric | None = None
    water_l: Numeric | None = None
    peak_cluster_flop_per_s: Numeric | None = None
    sustained_flop_per_s: Numeric | None = None
    flop_in_period: Numeric | None = None

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        """Names of the results, in declaration order."""
        return tuple(f.name for f in fields(cls))

    def to_dict(self) -> dict[str, float | list | None]:
        """Plain-Python form: floats, nested lists for arrays, None where absent."""
        return {name: (v.tolist() if isinstance(v, np.ndarray) else v)
                for name in self.field_names() for v in [getattr(self, name)]}


def _full(value: Numeric, shape: tuple[int, ...]) -> Numeric:
    """Broadcast a result to the scenario's shape (scalars stay floats)."""
    if shape == ():
        return float(value)
    return np.broadcast_to(value, shape).copy() if np.shape(value) != shape else value


def estimate(scenario: Scenario) -> Estimate:
    """Run the whole model on a scenario.

    Parameters
    ----------
    scenario : Scenario
        Validated assumptions.

    Returns
    -------
    Estimate
        Every output broadcast to the scenario's common shape; None where its
        assumption was not given.

    Notes
    -----
    The chain (DESIGN.md, docs/methodology.md)::

        accelerator = gpus × gpu_watts
        server      = accelerator × server_overhead
        it          = server × network_overhead
        facility    = it × pue
        energy      = facility × utilization × hours

    Examples
    --------
    >>> r = estimate(Scenario(gpus=16_384, gpu_watts=700, pue=1.1))
    >>> round(r.facility_power_w / 1e6, 2)
    12.62
    """
    if not isinstance(scenario, Scenario):
        raise TypeError(f"estimate() takes a Scenario (got {type(scenario).__name__})")
    shape = np.broadcast_shapes(*(np.shape(getattr(scenario, n)) for n in scenario.field_names()
                                  if getattr(scenario, n) is not None))
    with validate.trusted():  # the Scenario was validated at construction
        out = _chain(scenario)
    return Estimate(**{k: (None if v is None else _full(v, shape)) for k, v in out.items()})


def _chain(s: Scenario) -> dict[str, Numeric | None]:
    """The model's chain of pure functions, in order."""
    acc = power.accelerator_power_w(s.gpus, s.gpu_watts)
    server = power.server_power_w(acc, s.server_overhead)
    it = power.it_power_w(server, s.network_overhead)
    facility = power.facility_power_w(it, s.pue)
    average_it = power.average_power_w(it, s.utilization)
    average_facility = power.average_power_w(facility, s.utilization)
    layers = power.breakdown_w(acc, server, it, facility)
    out: dict[str, Numeric | None] = dict(
        accelerator_power_w=acc, server_power_w=server, it_power_w=it, facility_power_w=facility,
        average_it_power_w=average_it, average_facility_power_w=average_facility,
        watts_per_gpu=facility / s.gpus,
        host_power_w=layers["host"], network_storage_power_w=layers["network_storage"],
        cooling_conversion_power_w=layers["cooling_conversion"],
    )
    if s.hours is not None:
        out["energy_wh"] = energy.energy_wh(average_facility, s.hours)
        out["it_energy_wh"] = energy.energy_wh(average_it, s.hours)
        if s.electricity_price is not None:
            out["cost"] = energy.cost(out["energy_wh"], s.electricity_price)
        if s.carbon_intensity is not None:
            out["emissions_kg"] = energy.emissions_kg(out["energy_wh"], s.carbon_intensity)
        if s.wue is not None:
            out["water_l"] = energy.water_l(out["it_energy_wh"], s.wue)
    if s.peak_flop_per_s is not None:
        out["peak_cluster_flop_per_s"] = compute.peak_cluster_flop_per_s(s.gpus, s.peak_flop_per_s)
        out["sustained_flop_per_s"] = compute.sustained_flop_per_s(out["peak_cluster_flop_per_s"], s.mfu)
        if s.hours is not None:
            out["flop_in_period"] = compute.flop_in_period(out["sustained_flop_per_s"], s.hours)
    return out
