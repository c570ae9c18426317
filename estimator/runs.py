"""Ready training runs: published models with their size, data, hardware and reported cost.

Each run is a published model's training as its authors (or, where marked,
others) reported it: parameters (active and total for a mixture of experts),
training tokens, training FLOP, the accelerator (a key of
:func:`estimator.accelerators`), how many, and the GPU-hours and emissions
where they were published. Every number is a :class:`~estimator.catalog.Sourced`
value with its citation; ``confirmed = False`` marks one read only in a
secondary source, derived, or estimated. The data live in
``estimator/data/runs.toml``; the table is built once and handed out
read-only, like the rest of the catalogue.

:func:`compare_gpu_hours` sets the textbook estimate, 6 × N × D FLOP at a
given MFU (and goodput, the share of wall time doing useful training),
against the GPU-hours a run reported; the ratio gives the *effective* MFU
over the whole run, restarts, evaluation and idle time included, and the
goodput that would explain the gap alone. A run's ``goodput``, where its
authors published one (Llama 3's "higher than 90% effective training time"),
is the run-level preset a forward estimate of it uses:
:func:`estimator.tables.run_versus_report`, ``estimator train --run`` and the
dashboard's training page read it from here.

References
----------
.. [1] Llama Team, AI @ Meta, "The Llama 3 Herd of Models", arXiv:2407.21783
   (2024). https://arxiv.org/abs/2407.21783
.. [2] Meta, Llama 3.1 model card.
   https://github.com/meta-llama/llama-models/blob/main/models/llama3_1/MODEL_CARD.md
.. [3] J. Kaplan et al., "Scaling Laws for Neural Language Models",
   arXiv:2001.08361 (2020): training compute C ≈ 6 N D.

Examples
--------
>>> from estimator import runs
>>> run = runs.training_run("llama-3.1-405b")
>>> run.gpu_hours.value
30840000.0
>>> c = runs.compare_gpu_hours(run, mfu=0.41)
>>> round(c["estimated_gpu_hours"] / 1e6, 2), round(c["implied_mfu"], 3)
(25.96, 0.345)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np

from estimator import catalog, compute, validate
from estimator.catalog import Sourced

if TYPE_CHECKING:  # numpy.typing costs ~20 ms at import; annotations only
    from numpy.typing import ArrayLike

__all__ = ["TrainingRun", "compare_gpu_hours", "training_run", "training_runs"]

SECONDS_PER_HOUR = 3600

#: Training precisions a run may name (the accelerator peak MFU is taken against).
RUN_PRECISIONS = ("bf16", "fp8", "fp16")


@dataclass(frozen=True)
class TrainingRun:
    """One published training run.

    Parameters
    ----------
    key : str
        Catalogue name, e.g. ``"llama-3.1-405b"``.
    name : str
        Display name.
    developer : str
        Who trained the model.
    date : str
        Publication date, ISO ``YYYY-MM-DD`` (Epoch AI's notable-models
        method dates a run by it).
    accelerator : str or None
        Accelerator catalogue key, or None where unpublished.
    precision : str
        The precision the run trained in, as reported (``"bf16"``, ``"fp8"``;
        ``"fp16"`` for V100-era runs).
    source : str
        Citation of the run's main report.
    parameters : Sourced or None
        Total parameters [count].
    active_parameters : Sourced or None
        Parameters active per token, for a mixture of experts [count].
    tokens : Sourced or None
        Training tokens [count].
    training_flop : Sourced or None
        Training compute as reported [FLOP].
    gpus : Sourced or None
        Accelerators used [count].
    gpu_hours : Sourced or None
        Reported accelerator-hours of training [h].
    emissions_kg : Sourced or None
        Reported location-based emissions [kg CO2e].
    mfu : Sourced or None
        Reported model FLOPs utilization [unitless].
    goodput : Sourced or None
        Reported share of wall time doing useful training (effective
        training time) [unitless]; the preset a forward estimate of the run
        uses when none is given.
    note : str, optional
        Caveats.
    """

    key: str
    name: str
    developer: str
    date: str
    accelerator: str | None
    precision: str
    source: str
    parameters: Sourced | None = None
    active_parameters: Sourced | None = None
    tokens: Sourced | None = None
    training_flop: Sourced | None = None
    gpus: Sourced | None = None
    gpu_hours: Sourced | None = None
    emissions_kg: Sourced | None = None
    mfu: Sourced | None = None
    goodput: Sourced | None = None
    note: str = ""

    @property
    def flop_6nd(self) -> float | None:
        """6 × N × D, with N the active parameters of a mixture of experts [FLOP]; None if unknown."""
        n = self.active_parameters or self.parameters
        if n is None or self.tokens is None:
            return None
        return float(compute.training_flop(n.value, self.tokens.value))

    @property
    def flop(self) -> float | None:
        """The compute every estimate of the run uses: 6ND where N and D are published, else the reported FLOP.

        6ND first, so that runs compare on one count (a reported figure may
        include or leave out attention, or be rounded) [FLOP]; None if neither.
        """
        if self.flop_6nd is not None:
            return self.flop_6nd
        return None if self.training_flop is None else self.training_flop.value

    @property
    def scenario_precision(self) -> str:
        """The catalogue precision whose peak MFU is taken against: ``"fp8"`` for an FP8 run, else ``"bf16"``
        (which stands in for FP16 on parts without BF16, such as the V100)."""
        return "fp8" if self.precision == "fp8" else "bf16"


_SOURCED_FIELDS = {"parameters": "positive", "active_parameters": "positive", "tokens": "positive",
                   "training_flop": "positive", "gpus": "positive", "gpu_hours": "positive",
                   "emissions_kg": "positive", "mfu": "fraction", "goodput": "fraction"}
#: The sourced figures of a run, in the order listings show them.
SOURCED_FIELDS: tuple[str, ...] = tuple(_SOURCED_FIELDS)


def _build_runs() -> dict[str, TrainingRun]:
    filename = "runs.toml"
    fields = {"name", "developer", "date", "accelerator", "precision", "source", "note", *_SOURCED_FIELDS}
    parts = set(catalog.accelerators())
    out = {}
    for key, raw in catalog._load(filename).items():
        e = catalog._Entry(filename, key, raw, fields)
        date = raw.get("date")
        try:
            date = catalog._as_date(date, "date").isoformat()
        except ValueError as exc:
            raise ValueError(f"{e.where}.{exc}") from None
        part = raw.get("accelerator")
        if part is not None:
            e.check_accelerator(part, parts, f"{e.where}.accelerator")
            part = catalog._normalize(part)
        precision = e.text("precision")
        if precision not in RUN_PRECISIONS:
            raise ValueError(f"{e.where}.precision must be one of {', '.join(RUN_PRECISIONS)} (got {precision!r})")
        out[key] = TrainingRun(
            key=key, name=e.text("name"), developer=e.text("developer"), date=date, accelerator=part,
            precision=precision, source=e.text("source"), note=e.text("note", required=False),
            **{name: e.sourced(name, rule, required=False) for name, rule in _SOURCED_FIELDS.items()},
        )
    return out


_TABLE: dict[str, Mapping[str, TrainingRun]] = {}


def training_runs() -> Mapping[str, TrainingRun]:
    """All ready training runs.

    Returns
    -------
    mapping of str to TrainingRun
        Read-only, keyed by catalogue name, in catalogue order; built once
        and shared.

    Examples
    --------
    >>> "llama-3.1-405b" in training_runs()
    True
    """
    table = _TABLE.get("runs")
    if table is None:
        table = _TABLE["runs"] = MappingProxyType(_build_runs())
    return table


def training_run(name: str) -> TrainingRun:
    """One training run by name.

    Parameters
    ----------
    name : str
        Catalogue name, case-insensitive; ``"_"`` and spaces match ``"-"``,
        and a name without its hyphens matches where only one run fits
        (``"llama3-405b"`` is ``"llama-3-405b"``).

    Returns
    -------
    TrainingRun

    Raises
    ------
    TypeError
        If ``name`` is not a str.
    ValueError
        If no run has that name; the message lists the valid names and the
        closest one.

    Examples
    --------
    >>> training_run("llama3-405b").key
    'llama-3-405b'
    """
    table = training_runs()
    if isinstance(name, str):
        compact = catalog._normalize(name).replace("-", "")
        fits = [k for k in table if k.replace("-", "") == compact]
        if len(fits) == 1:
            return table[fits[0]]
    return catalog._lookup("training run", name, table)


def compare_gpu_hours(run: str | TrainingRun, mfu: ArrayLike, peak_flop_per_s: ArrayLike | None = None,
                      precision: str = "bf16", goodput: ArrayLike | None = None) -> dict[str, Any]:
    """The 6ND estimate of a run's GPU-hours at an MFU, against the GPU-hours it reported.

    Parameters
    ----------
    run : str or TrainingRun
        Catalogue name or a :class:`TrainingRun` with parameters, tokens and
        (for the comparison) reported GPU-hours.
    mfu : numeric
        Model FLOPs utilization assumed for the estimate, in (0, 1] [unitless].
    peak_flop_per_s : numeric, optional
        Dense peak of one accelerator; default the run's accelerator's peak
        at ``precision`` from the catalogue [FLOP/s].
    precision : {"bf16", "fp8"}, default "bf16"
        Which catalogue peak to use when ``peak_flop_per_s`` is not given;
        MFU is relative to it.
    goodput : numeric, optional
        Share of wall time doing useful training assumed for the estimate
        [unitless, (0, 1]]; None means 1 (no time lost).

    Returns
    -------
    dict
        ``training_flop`` (6 × N × D, active parameters for a mixture of
        experts; the reported FLOP where N or D is unpublished) [FLOP];
        ``peak_flop_per_s`` [FLOP/s]; ``estimated_gpu_hours`` at ``mfu`` and
        ``goodput`` [h]; ``reported_gpu_hours`` [h] or None; ``ratio``
        reported ÷ estimated [unitless] or None; ``implied_mfu``, the
        effective MFU the reported GPU-hours imply, training_flop ÷
        (reported hours × 3600 × peak) [unitless] or None;
        ``implied_goodput``, the goodput that makes the estimate at ``mfu``
        meet the report, implied_mfu ÷ mfu [unitless] or None (above 1 when
        the run did better than ``mfu``).

    Raises
    ------
    ValueError
        If the run lacks parameters or tokens (and training FLOP), has no
        accelerator and no peak is given, or ``mfu`` or ``goodput`` is
        outside (0, 1].

    Notes
    -----
    .. math::

        \\text{estimated} = \\frac{6 N D}{\\text{peak} \\cdot \\text{MFU} \\cdot \\text{goodput} \\cdot 3600},\\qquad
        \\text{MFU}_\\text{implied} = \\frac{6 N D}{\\text{reported} \\cdot 3600 \\cdot \\text{peak}}
        = \\text{MFU} \\cdot \\frac{\\text{estimated}}{\\text{reported}},\\qquad
        \\text{goodput}_\\text{implied} = \\frac{\\text{MFU}_\\text{implied}}{\\text{MFU}}

    The implied MFU is lower than the MFU measured while the run was going,
    because reported GPU-hours include restarts, evaluation, idle time and
    stages (long-context, post-training) the 6ND count leaves out. The
    implied goodput puts all of that gap on lost time.

    References
    ----------
    .. [1] Llama Team, AI @ Meta, "The Llama 3 Herd of Models",
       arXiv:2407.21783 (2024), section 3.3: BF16 MFU 38–43%.
       https://arxiv.org/abs/2407.21783
    .. [2] Meta, Llama 3.1 model card: 30.84M H100 GPU-hours for 405B.
       https://github.com/meta-llama/llama-models/blob/main/models/llama3_1/MODEL_CARD.md

    Examples
    --------
    >>> c = compare_gpu_hours("llama-3.1-405b", mfu=0.41)
    >>> round(c["ratio"], 3), round(c["implied_goodput"], 3)
    (1.188, 0.842)
    """
    if not isinstance(run, TrainingRun):
        run = training_run(run)
    flop = run.flop
    if flop is None:
        raise ValueError(f"training run {run.key!r} has no published parameters and tokens for 6ND, nor training "
                         "FLOP")
    mfu = validate.number("mfu", mfu, "fraction")
    useful = mfu if goodput is None else mfu * validate.number("goodput", goodput, "fraction")
    if peak_flop_per_s is None:
        if run.accelerator is None:
            raise ValueError(f"training run {run.key!r} names no accelerator; give peak_flop_per_s")
        peak_flop_per_s = catalog.accelerator(run.accelerator).assumptions(precision)["peak_flop_per_s"]
    peak = validate.number("peak_flop_per_s", peak_flop_per_s, "positive")
    estimated = flop / (peak * useful * SECONDS_PER_HOUR)
    reported = None if run.gpu_hours is None else run.gpu_hours.value
    implied = implied_goodput = None
    if reported is not None:
        implied = flop / (reported * SECONDS_PER_HOUR * peak)
        if np.ndim(estimated):  # same shape as the other outputs, though it does not depend on mfu
            implied = np.array(np.broadcast_to(implied, np.shape(estimated)), dtype=float)
        implied_goodput = implied / mfu
    return {
        "training_flop": flop,
        "peak_flop_per_s": peak,
        "estimated_gpu_hours": estimated,
        "reported_gpu_hours": reported,
        "ratio": None if reported is None else reported / estimated,
        "implied_mfu": implied,
        "implied_goodput": implied_goodput,
    }
