"""Scenario (the assumptions), Estimate (the results) and estimate() (the pipeline).

``Scenario`` validates once, at construction, and carries values; ``estimate``
runs the chain of pure functions in ``power``, ``energy`` and ``compute``;
``Estimate`` carries the results. Neither object holds arithmetic of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from estimator import catalog, compute, display, energy, fields, footprint, money, power, resolve, serving, validate

if TYPE_CHECKING:  # numpy.typing costs ~20 ms at import; annotations only
    from numpy.typing import ArrayLike

Numeric = float | np.ndarray


class Scenario:
    """User assumptions about a fleet, its site and its workload.

    The fields are those of the registry (:data:`estimator.fields.INPUTS`).
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
        Dense peak of one accelerator at the chosen precision [FLOP/s];
        without it, compute outputs are None.
    mfu : numeric, optional
        Model FLOPs utilization, relative to that peak [unitless, (0, 1]];
        without it, sustained compute is None (no default is invented).
    goodput : numeric, optional
        Share of wall time doing useful training [unitless, (0, 1]]; None
        means 1. Scales the compute over the period and every training time
        (:func:`estimator.compute.useful_flop_per_s`), not the power drawn.

    Attributes
    ----------
    provenance : dict of str to estimator.resolve.Origin
        Where each value came from: ``"user"`` for a value given here,
        ``"default"`` for a neutral default, or the preset that set it
        (see :meth:`from_accelerator`).
    presets : dict
        The presets a preset door applied (``accelerator``, ``methodology``,
        ``site``, ``precision``, ``date``); empty for an explicit Scenario.

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
    >>> s.provenance["pue"].origin, s.provenance["utilization"].origin
    ('user', 'default')
    """

    __slots__ = ("_values", "presets", "provenance")

    def __init__(self, gpus: ArrayLike | None = None, gpu_watts: ArrayLike | None = None,
                 **values: ArrayLike | None) -> None:
        given = {"gpus": gpus, "gpu_watts": gpu_watts, **values}
        _check_names(given)
        checked: dict[str, Numeric | None] = {}
        for f in fields.INPUTS:
            value = given.get(f.name)
            if value is None:
                if f.required:
                    raise TypeError(f"{f.name} must be given (got None): {f.help} [{f.unit_text}]")
                checked[f.name] = f.default
            else:
                checked[f.name] = validate.field(f.name, value)
        validate.broadcast(**checked)
        object.__setattr__(self, "_values", checked)
        object.__setattr__(self, "provenance", resolve.explicit_provenance(
            {k: checked[k] for k, v in given.items() if v is not None}))
        object.__setattr__(self, "presets", {})

    def __getattr__(self, name: str) -> Any:
        try:
            return object.__getattribute__(self, "_values")[name]
        except KeyError:
            raise AttributeError(f"Scenario has no field {name!r}") from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"Scenario is frozen: use .replace({name}=...) for a changed copy")

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self._values.items() if v is not None)
        return f"Scenario({shown})"

    def _repr_html_(self) -> str:
        """A notebook's view: every assumption labelled, in human units, with its origin (:mod:`estimator.display`)."""
        return display.scenario_html(self)

    def to_frame(self) -> Any:
        """The presets and assumptions as a pandas DataFrame in base units, one row per case.

        Needs pandas (the ``frame`` extra); see :func:`estimator.display.scenario_frame`.
        """
        return display.scenario_frame(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self._values, self.provenance, self.presets))

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        """Names of the assumptions, in registry order."""
        return fields.inputs()

    @classmethod
    def from_accelerator(cls, name: str | None, gpus: ArrayLike, methodology: str | None = None,
                         site: str | None = None, precision: str = "bf16", date: str | None = None,
                         **overrides: Any) -> Scenario:
        """Build a scenario from catalogue presets, then explicit overrides.

        The one resolution every preset door uses (:func:`estimator.resolve.resolve`):
        accelerator (at ``precision``) → methodology (at ``date``) → site →
        ``overrides``. Without a methodology the default one,
        ``"nameplate"``, applies and its values are marked as defaults.

        Parameters
        ----------
        name : str or None
            Accelerator key, e.g. ``"h100-sxm"`` (see :func:`estimator.accelerators`);
            None for none, in which case ``server_overhead`` must be given.
        gpus : numeric
            Accelerators [count].
        methodology : str, optional
            Assumption set for the overheads, PUE and utilization (see
            :func:`estimator.methodologies`); default ``"nameplate"``.
        site : str, optional
            Site preset for PUE, WUE, grid and price (see :func:`estimator.sites`);
            its PUE overrides the methodology's.
        precision : {"bf16", "fp8"}, default "bf16"
            Which dense peak the accelerator preset gives.
        date : str, optional
            ISO date the methodology is applied at, for methods that vary by year.
        **overrides
            Any Scenario field; applied last, recorded as the user's.

        Returns
        -------
        Scenario
            With :attr:`provenance` and :attr:`presets` filled in.

        Examples
        --------
        >>> s = Scenario.from_accelerator("h100-sxm", gpus=1000, pue=1.3)
        >>> s.gpu_watts, s.pue, s.network_overhead
        (700.0, 1.3, 1.1)
        >>> s.provenance["network_overhead"].describe(), s.provenance["pue"].describe()
        ('nameplate (default)', 'user')
        """
        r = resolve.resolve(name, methodology, site, precision, date, {"gpus": gpus, **overrides})
        return cls._resolved(r)

    @classmethod
    def _resolved(cls, r: resolve.Resolution) -> Scenario:
        s = cls(**r.values)
        object.__setattr__(s, "provenance", {k: r.provenance[k] for k in r.values})
        object.__setattr__(s, "presets", dict(r.presets))
        return s

    def replace(self, **changes: Any) -> Scenario:
        """A copy with some fields changed (validated again; the changed values become the user's)."""
        _check_names(changes)
        new = Scenario(**{**self._values, **changes})
        provenance = dict(self.provenance)
        for name, value in changes.items():
            old = self.provenance.get(name)
            if value is None:
                provenance.pop(name, None)
            else:
                preset_value = None if old is None else (old.preset_value if old.is_user else old.value)
                provenance[name] = resolve.Origin("user", value=new._values[name], preset_value=preset_value)
        object.__setattr__(new, "provenance", provenance)
        object.__setattr__(new, "presets", dict(self.presets))
        return new

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
        return {name: (v.tolist() if isinstance(v, np.ndarray) else v) for name, v in self._values.items()}

    def user_values(self) -> dict[str, Any]:
        """The values the user gave (provenance ``"user"``), for files and links that keep presets by name."""
        return {k: self._values[k] for k, o in self.provenance.items() if o.is_user}

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


def _rebuild(values: dict[str, Any], provenance: dict[str, Any], presets: dict[str, Any]) -> Scenario:
    s = Scenario(**values)
    object.__setattr__(s, "provenance", provenance)
    object.__setattr__(s, "presets", presets)
    return s


def _check_names(values: dict[str, Any]) -> None:
    unknown = [k for k in values if k not in fields.FIELDS or fields.FIELDS[k].role != "input"]
    if unknown:
        close = fields.closest_input(unknown[0])
        hint = f"; did you mean {close!r}?" if close else ""
        raise TypeError(f"Scenario got an unexpected keyword argument {unknown[0]!r}{hint} "
                        f"(fields: {', '.join(fields.inputs())})")


def preset_assumptions(accelerator: str, methodology: str | None = None,
                       site: str | None = None, precision: str = "bf16") -> dict[str, float]:
    """Scenario fields filled from presets: accelerator, then methodology, then site.

    The presets' values alone, as :func:`estimator.resolve.resolve` gives
    them; without a methodology, the default one applies.

    Parameters
    ----------
    accelerator : str
        Accelerator key.
    methodology, site : str, optional
        Methodology and site keys.
    precision : {"bf16", "fp8"}, default "bf16"
        Which dense peak the accelerator gives.

    Returns
    -------
    dict
        Scenario field name → value, in the fields' own units.
    """
    layers, _ = resolve.preset_layers(accelerator, methodology, site, precision)
    return {k: o.value for k, o in layers.items()}


class Estimate:
    """Results of :func:`estimate`; every field is a float or a broadcast array.

    The fields are those of the registry (:data:`estimator.fields.OUTPUTS`);
    outputs whose assumption was not given are None.

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
        Useful compute over ``hours`` (sustained × goodput) [FLOP].
    """

    __slots__ = ("_values",)

    def __init__(self, **values: Numeric | None) -> None:
        unknown = set(values) - set(fields.outputs())
        if unknown:
            raise TypeError(f"Estimate got unknown outputs {sorted(unknown)}")
        object.__setattr__(self, "_values", {name: values.get(name) for name in fields.outputs()})

    def __getattr__(self, name: str) -> Any:
        try:
            return object.__getattribute__(self, "_values")[name]
        except KeyError:
            raise AttributeError(f"Estimate has no output {name!r}") from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Estimate is frozen")

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self._values.items() if v is not None)
        return f"Estimate({shown})"

    def _repr_html_(self) -> str:
        """A notebook's view: every result labelled, in human units (:mod:`estimator.display`)."""
        return display.estimate_html(self)

    def to_frame(self) -> Any:
        """The results that are not None as a pandas DataFrame in base units, one row per case.

        Needs pandas (the ``frame`` extra); see :func:`estimator.display.estimate_frame`.
        """
        return display.estimate_frame(self)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Estimate):
            return NotImplemented
        return all((a is None and b is None) or (a is not None and b is not None and np.array_equal(a, b))
                   for a, b in zip(self._values.values(), other._values.values(), strict=True))

    __hash__ = None  # type: ignore[assignment]

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        """Names of the results, in registry order."""
        return fields.outputs()

    def to_dict(self) -> dict[str, float | list | None]:
        """Plain-Python form: floats, nested lists for arrays, None where absent."""
        return {name: (v.tolist() if isinstance(v, np.ndarray) else v) for name, v in self._values.items()}


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
    The chain (docs/methodology.md)::

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
    if s.headroom is not None:
        out["grid_connection_w"] = power.grid_connection_w(facility, s.headroom)
    if s.accelerators_per_rack is not None:
        out["racks"] = power.racks(s.gpus, s.accelerators_per_rack)
        out["rack_power_w"] = power.rack_power_w(server, s.gpus, s.accelerators_per_rack)
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
        if s.mfu is not None:  # no default MFU is invented: sustained compute needs one given
            out["sustained_flop_per_s"] = compute.sustained_flop_per_s(out["peak_cluster_flop_per_s"], s.mfu)
            if s.hours is not None:
                useful = compute.useful_flop_per_s(out["sustained_flop_per_s"], s.goodput)
                out["flop_in_period"] = compute.flop_in_period(useful, s.hours)
    if s.hours is not None:
        if s.market_carbon_intensity is not None:
            out["market_emissions_kg"] = footprint.market_emissions_kg(out["energy_wh"], s.market_carbon_intensity)
        if s.generation_wue is not None:
            out["generation_water_l"] = footprint.generation_water_l(out["energy_wh"], s.generation_wue)
    if s.embodied_kg_per_gpu is not None and s.hours is not None and s.hardware_life_years is not None:
        out["embodied_emissions_kg"] = footprint.embodied_emissions_kg(s.gpus, s.embodied_kg_per_gpu, s.hours,
                                                                       s.hardware_life_years)
    if s.tokens_per_s_per_gpu is not None:
        out.update(_serving(s, facility))
    if s.accelerator_cost is not None:
        out["hardware_capex"] = money.hardware_capex(s.gpus, s.accelerator_cost)
    if s.facility_cost_per_w is not None:
        out["facility_capex"] = money.facility_capex(it, s.facility_cost_per_w, s.redundancy, s.electrical_share)
    if s.accelerator_cost is not None and s.facility_cost_per_w is not None:
        out["capex"] = money.capex(out["hardware_capex"], out["facility_capex"])
        if s.hours is not None and s.hardware_life_years is not None and s.facility_life_years is not None:
            out["amortized_capex"] = money.amortized_capex(
                out["hardware_capex"], out["facility_capex"], s.hours, s.hardware_life_years,
                s.facility_life_years, s.discount_rate)
            if s.electricity_price is not None:
                out["total_cost"] = money.total_cost(out["amortized_capex"], out["cost"])
                out["cost_per_gpu_hour"] = money.cost_per_gpu_hour(out["total_cost"], s.gpus, s.hours)
    return out


def _serving(s: Scenario, facility: Numeric) -> dict[str, Numeric | None]:
    """Energy per token and per query and queries a day; the load factor defaults to utilization."""
    load = s.utilization if s.load_factor is None else s.load_factor
    # facility × (utilization ÷ load factor) is the average draw per unit of load: the ratio is exactly 1
    # when the load factor defaults to utilization, and a tiny utilization cannot underflow the draw first.
    # The load factor's floor (fields.py) keeps utilization ÷ load factor <= 1e6, so no output overflows.
    draw = facility * (s.utilization / load)
    return _serving_outputs(s, draw, load)


def _serving_outputs(s: Scenario, draw: Numeric, load: Numeric) -> dict[str, Numeric | None]:
    out: dict[str, Numeric | None] = {
        "energy_per_token_j": serving.energy_per_token_j(draw, s.gpus, s.tokens_per_s_per_gpu)}
    # Input tokens without a prefill throughput have no known cost: the per-query outputs are then absent.
    if s.tokens_per_query is not None and (s.input_tokens_per_query is None
                                           or s.prefill_tokens_per_s_per_gpu is not None):
        prefill = s.prefill_tokens_per_s_per_gpu if s.input_tokens_per_query is not None else None
        out["energy_per_query_wh"] = serving.energy_per_query_wh(
            draw, s.gpus, s.tokens_per_s_per_gpu, s.tokens_per_query, 1.0, s.input_tokens_per_query, prefill)
        out["queries_per_day"] = serving.queries_per_day(s.gpus, s.tokens_per_s_per_gpu, s.tokens_per_query, load,
                                                         s.input_tokens_per_query, prefill)
    return out
