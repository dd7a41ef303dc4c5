"""The store of kept pages (rehab.core.fragments.FragmentCache): whatever is put and asked,
it holds at most its budget, answers only what it holds, and drops the least recently shown
first."""

from __future__ import annotations

from collections import OrderedDict

from hypothesis import given
from hypothesis import strategies as st

from rehab.core.fragments import FragmentCache

KEYS = st.sampled_from("abcdefgh")
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("put"), KEYS, st.text(alphabet="xyz", max_size=12)),
        st.tuples(st.just("get"), KEYS, st.just("")),
    ),
    max_size=60,
)


@given(budget=st.integers(min_value=0, max_value=40), steps=STEPS)
def test_the_store_behaves_as_a_least_recently_used_list_within_its_budget(budget, steps):
    cache = FragmentCache(budget)
    model: OrderedDict[str, str] = OrderedDict()  # the same rules, written plainly
    for action, key, part in steps:
        if action == "put":
            if len(part) > budget:
                continue  # larger than the whole budget: never kept (and nothing dropped)
            model.pop(key, None)
            model[key] = part
            while sum(map(len, model.values())) > budget:
                model.popitem(last=False)
            cache.put(key, part)
        else:
            expected = model.get(key)
            if expected is not None:
                model.move_to_end(key)
            assert cache.get(key) == expected
        assert cache.size == sum(map(len, model.values())) <= budget
