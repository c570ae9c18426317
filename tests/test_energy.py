"""Tests of energy, cost, emissions and water."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from estimator import energy


def test_energy_wh_scalar():
    assert_allclose(energy.energy_wh(1e9, 8760), 8.76e12, rtol=1e-15)


def test_cost_scalar():
    # 1 GWh at 0.0826 $/kWh (Epoch AI, US industrial price 2025) = $82,600
    assert_allclose(energy.cost(1e9, 0.0826), 82_600.0, rtol=1e-12)


def test_emissions_kg_llama31_model_card():
    # Llama 3.1 model card: 39.3M GPU hours at 700 W; 11,390 t CO2e location-based.
    # The card gives no PUE; the implied factor is 11,390,000 kg / 27.51 GWh ≈ 0.414 kg/kWh.
    gpu_energy_wh = 39.3e6 * 700
    factor = 11_390e3 / (gpu_energy_wh / 1000)
    assert_allclose(energy.emissions_kg(gpu_energy_wh, factor), 11_390e3, rtol=1e-12)
    assert_allclose(factor, 0.414, rtol=0.01)


def test_emissions_kg_llama31_405b():
    # Llama 3.1 model card: 405B used 30.84M GPU hours -> 8,930 t; with the card-wide factor
    # (11,390 t / 27.51 GWh) the 405B figure is reproduced within the card's rounding.
    factor = 11_390e3 / (39.3e6 * 700 / 1000)
    assert_allclose(energy.emissions_kg(30.84e6 * 700, factor), 8_930e3, rtol=0.01)


def test_water_l_scalar():
    # Microsoft WUE about 0.30 L/kWh (public-figures.md): 1 GWh of IT energy -> 300,000 L
    assert_allclose(energy.water_l(1e9, 0.30), 3e5, rtol=1e-12)


def test_energy_array_equals_scalar():
    p = np.array([1e6, 5e8])
    h = np.array([24.0, 8760.0])
    assert_allclose(energy.energy_wh(p, h), [energy.energy_wh(a, b) for a, b in zip(p, h, strict=True)],
                    rtol=1e-15)


def test_zero_price_and_intensity_allowed():
    assert energy.cost(1e9, 0) == 0
    assert energy.emissions_kg(1e9, 0) == 0
    assert energy.water_l(1e9, 0) == 0


@pytest.mark.parametrize("func, args, field", [
    (energy.energy_wh, (1e6, 0), "hours"),
    (energy.cost, (1e6, -0.1), "electricity_price"),
    (energy.emissions_kg, (1e6, float("inf")), "carbon_intensity"),
    (energy.water_l, (1e6, -1), "wue"),
])
def test_energy_invalid(func, args, field):
    with pytest.raises(ValueError, match=field):
        func(*args)
