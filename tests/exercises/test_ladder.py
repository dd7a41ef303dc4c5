"""Progression ladders: walked both ways from the detail page, resolved to what a clinic sees."""

from __future__ import annotations

import re

from sqlalchemy import update

from rehab.exercises.models import Exercise
from rehab.exercises.services import ladder
from rehab.extensions import db
from tests.exercises.factories import builtin
from tests.factories import make_exercise


def step_link(html: str, rel: str) -> str | None:
    """The href of the page's "easier" (rel=prev) or "harder" (rel=next) button."""
    match = re.search(rf'rel="{rel}" href="([^"]+)"', html)
    return match.group(1) if match else None


def heading(html: str) -> str:
    return re.search(r'<h1 class="h3 mb-1"[^>]*>([^<]+)</h1>', html).group(1)


def test_the_ladder_is_walked_up_and_down_from_the_detail_page(client_for, world, full_library):
    client = client_for("therapist")
    url = f"/exercises/{builtin('plank-incline').id}"
    climbed = [heading(client.get(url).text)]
    while (url := step_link(client.get(url).text, "next")) is not None:
        climbed.append(heading(client.get(url).text))
    rungs = ["plank-incline", "plank-knees", "plank-full", "plank-leg-lift", "plank-weighted"]
    assert climbed == [builtin(slug).name_nl for slug in rungs]
    url = f"/exercises/{builtin('plank-weighted').id}"
    descended = [heading(client.get(url).text)]
    while (url := step_link(client.get(url).text, "prev")) is not None:
        descended.append(heading(client.get(url).text))
    assert descended == list(reversed(climbed))


def test_the_detail_page_shows_the_whole_chain_in_order(client_for, world, mini_library):
    html = client_for("therapist").get(f"/exercises/{builtin('mini-bridge-single-leg').id}").text
    chain = html[html.index('class="ladder') :]
    positions = [chain.index(name) for name in ("Bekkenbrug", "op één been", "Hip thrust")]
    assert positions == sorted(positions)
    assert 'aria-current="step"' in chain


def test_ladder_returns_both_directions_nearest_first(app, world, mini_library):
    easier, harder = ladder(builtin("mini-hip-thrust"), world.clinic.id)
    assert [e.slug for e in easier] == ["mini-bridge-single-leg", "mini-bridge"]
    assert harder == []
    easier, harder = ladder(builtin("mini-bridge"), world.clinic.id)
    assert easier == []
    assert [e.slug for e in harder] == ["mini-bridge-single-leg", "mini-hip-thrust"]


def test_a_clinic_copy_takes_the_place_of_its_built_in_on_the_ladder(app, world, mini_library):
    single = builtin("mini-bridge-single-leg")
    copy = make_exercise(
        world.clinic, name="Onze brug op één been", source_id=single.id,
        progression_id=single.progression_id, regression_id=single.regression_id,
    )  # fmt: skip
    db.session.commit()
    _, harder = ladder(builtin("mini-bridge"), world.clinic.id)
    assert [e.id for e in harder] == [copy.id, builtin("mini-hip-thrust").id]
    # Another clinic still climbs the built-in.
    _, theirs = ladder(builtin("mini-bridge"), world.other_clinic.id)
    assert theirs[0].id == single.id


def test_a_one_way_link_is_found_from_the_other_end(app, world, mini_library):
    walk = builtin("mini-walk")
    own = make_exercise(world.clinic, name="Stevig wandelen", regression_id=walk.id)
    db.session.commit()
    _, harder = ladder(walk, world.clinic.id)
    assert [e.id for e in harder] == [own.id]
    assert [e.id for e in ladder(own, world.clinic.id)[0]] == [walk.id]
    # Other clinics do not see it.
    assert ladder(walk, world.other_clinic.id) == ([], [])


def test_a_loop_in_corrupt_data_ends_the_walk(app, world, mini_library):
    db.session.execute(
        update(Exercise)
        .where(Exercise.slug == "mini-hip-thrust")
        .values(progression_id=builtin("mini-bridge").id)
    )
    db.session.commit()
    easier, harder = ladder(builtin("mini-bridge-single-leg"), world.clinic.id)
    ids = [e.id for e in easier + harder]
    assert len(ids) == len(set(ids)) == 2


def test_the_detail_page_has_a_fixed_number_of_queries(
    client_for, world, full_library, count_queries
):
    client = client_for("therapist")
    short = f"/exercises/{builtin('mcgill-curl-up').id}"
    long = f"/exercises/{builtin('plank-full').id}"
    client.get(short)
    with count_queries() as few:
        client.get(short)
    with count_queries() as many:
        client.get(long)
    assert few.count == many.count
    assert many.count <= 14
