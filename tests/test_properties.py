"""Property-based tests of the model's invariants (hypothesis)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from estimator import Scenario, estimate, gpus_for_power

EXAMPLES = settings(max_examples=1000, deadline=None)

gpus = st.floats(1, 1e7)
watts = st.floats(10, 2e4)
ratio = st.floats(1, 5)
fraction = st.floats(1e-3, 1)
hours = st.floats(1e-3, 1e5)


@EXAMPLES
@given(g=gpus, w=watts, so=ratio, no=ratio, pue=ratio, u=fraction, h=hours)
def test_chain_ordering(g, w, so, no, pue, u, h):
    r = estimate(Scenario(gpus=g, gpu_watts=w, server_overhead=so, network_overhead=no, pue=pue,
                          utilization=u, hours=h))
    assert r.facility_power_w >= r.it_power_w >= r.server_power_w >= r.accelerator_power_w > 0
    assert r.facility_power_w >= r.average_facility_power_w > 0
    assert r.energy_wh >= r.it_energy_wh > 0
    assert np.isfinite(r.energy_wh)


@EXAMPLES
@given(g=gpus, w=watts, so=ratio, no=ratio, pue=ratio, bump=st.floats(1.001, 2),
       which=st.sampled_from(["server_overhead", "network_overhead", "pue", "gpu_watts", "gpus"]))
def test_facility_power_monotonic_in_every_factor(g, w, so, no, pue, bump, which):
    base = dict(gpus=g, gpu_watts=w, server_overhead=so, network_overhead=no, pue=pue)
    higher = dict(base, **{which: base[which] * bump})
    if which in ("server_overhead", "network_overhead", "pue"):
        higher[which] = min(higher[which], 10.0)
    assert estimate(Scenario(**higher)).facility_power_w >= estimate(Scenario(**base)).facility_power_w


@EXAMPLES
@given(g=gpus, w=watts, so=ratio, no=ratio, pue=ratio)
def test_gpus_for_power_inverts_estimate(g, w, so, no, pue):
    scenario = Scenario(gpus=g, gpu_watts=w, server_overhead=so, network_overhead=no, pue=pue)
    facility = estimate(scenario).facility_power_w
    assert_allclose(gpus_for_power(facility, w, so, no, pue), g, rtol=1e-12)


@EXAMPLES
@given(values=st.lists(st.tuples(gpus, watts, ratio, fraction), min_size=1, max_size=8))
def test_vector_equals_scalar(values):
    g, w, pue, u = (np.array(c) for c in zip(*values, strict=True))
    vector = estimate(Scenario(gpus=g, gpu_watts=w, pue=pue, utilization=u, hours=8760))
    for i in range(len(values)):
        one = estimate(Scenario(gpus=g[i], gpu_watts=w[i], pue=pue[i], utilization=u[i], hours=8760))
        assert_allclose(vector.energy_wh[i], one.energy_wh, rtol=1e-15)
        assert_allclose(vector.facility_power_w[i], one.facility_power_w, rtol=1e-15)
