"""Creating, editing, copying and archiving exercises; every bad input changes nothing."""

from __future__ import annotations

import io

import pytest
from flask.testing import EnvironBuilder
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from PIL import Image
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from rehab.audit.models import AuditEntry
from rehab.core.db import utcnow
from rehab.exercises.forms import ExerciseForm
from rehab.exercises.models import Exercise
from rehab.exercises.services import ExerciseProblem, save_exercise
from rehab.extensions import db
from tests.exercises.factories import builtin, form_data, png_bytes
from tests.factories import make_exercise


def exercise_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Exercise))


def audit(object_id: int) -> list[tuple[str, str, dict]]:
    return [
        (entry.action, entry.summary_code, entry.summary_values)
        for entry in db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.object_type == "exercise", AuditEntry.object_id == object_id)
            .order_by(AuditEntry.id)
        )
    ]


def post_upload(app, client, url: str, data: dict):
    """POST a multipart form and close its body afterwards (large bodies are spooled to a
    temporary file that the test client would leave open)."""
    builder = EnvironBuilder(app, path=url, method="POST", data=data)
    environ = builder.get_environ()
    try:
        return client.open(environ)
    finally:
        environ["wsgi.input"].close()
        builder.close()


# --- creating -----------------------------------------------------------------------------


def test_a_therapist_adds_an_exercise_and_finds_it_in_the_library(client_for, world, mini_library):
    client = client_for("therapist")
    easier = builtin("mini-bridge")
    response = client.post("/exercises/new", data=form_data(regression_id=str(easier.id)))
    assert response.status_code == 302
    exercise = db.session.scalar(select(Exercise).where(Exercise.name_nl == "Stapje op de trede"))
    assert exercise.clinic_id == world.clinic.id and exercise.source_id is None
    assert set(exercise.regions) == {"hip", "knee"} and list(exercise.equipment) == ["step"]
    assert (exercise.sets, exercise.reps, exercise.hold_seconds) == (3, 10, None)
    assert exercise.regression_id == easier.id
    assert response.headers["Location"].endswith(f"/exercises/{exercise.id}")
    assert audit(exercise.id) == [("create", "exercise_created", None)]
    assert (
        db.session.scalar(select(AuditEntry.patient_id).where(AuditEntry.object_id == exercise.id))
        is None
    )
    html = client.get("/exercises/?q=trede").text
    assert "Stapje op de trede" in html and "Praktijk" in html


def test_unused_dose_numbers_are_not_stored(client_for, world):
    client_for("therapist").post(
        "/exercises/new",
        data=form_data(dosage_type="time", duration_seconds="600", reps="12", hold_seconds="5"),
    )
    exercise = db.session.scalar(select(Exercise).where(Exercise.clinic_id == world.clinic.id))
    assert (exercise.duration_seconds, exercise.reps, exercise.hold_seconds) == (600, None, None)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name_nl": ""}, "Vul een naam in deze taal in."),
        ({"name_en": "   "}, "Vul een naam in deze taal in."),
        ({"reps": "0"}, "Vul een heel getal in van 1 tot en met 100."),
        ({"reps": "10000"}, "Vul een heel getal in van 1 tot en met 100."),
        ({"reps": ""}, "Nodig voor deze soort dosering."),
        ({"sets": "0"}, "Vul een heel getal in van 1 tot en met 20."),
        ({"sets": "drie"}, "Ongeldig getal."),
        ({"category": "yoga"}, "Kies een categorie uit de lijst."),
        ({"category": ""}, "Kies een categorie."),
        ({"difficulty": "6"}, "Kies een niveau van 1 tot en met 5."),
        ({"regions": []}, "Kies minstens één lichaamsregio."),
        ({"regions": ["tail"]}, "Kies lichaamsregio&#39;s uit de lijst."),
        ({"equipment": ["none", "mat"]}, "gaat niet samen met materiaal"),
        ({"dosage_type": "hold"}, "Nodig voor deze soort dosering."),
        ({"tempo": "slow"}, "Schrijf het tempo als seconden per fase"),
        ({"video_url": "http://example.org/v"}, "Alleen https://-links zijn toegestaan."),
        ({"video_url": "javascript:alert(1)"}, "Alleen https://-links zijn toegestaan."),
        ({"name_nl": "x" * 121}, "121"),
        ({"name_nl": "Brug\x1b"}, "onzichtbare"),
        ({"video_url": "https://example.org/\x07"}, "onzichtbare"),
        ({"progression_id": "abc"}, "Kies een oefening uit de bibliotheek van je praktijk."),
        ({"progression_id": "999999"}, "Kies een oefening uit de bibliotheek van je praktijk."),
    ],
)
def test_bad_input_gets_a_message_and_saves_nothing(client_for, world, overrides, message):
    before = exercise_count()
    response = client_for("therapist").post("/exercises/new", data=form_data(**overrides))
    assert response.status_code == 200
    assert message in response.text or (message == "121" and "120" in response.text)
    assert "Er is nog niets opgeslagen" in response.text
    assert exercise_count() == before


def test_another_clinics_exercise_cannot_be_a_ladder_step(client_for, world):
    foreign = make_exercise(world.other_clinic, name="Van Zuid")
    db.session.commit()
    before = exercise_count()
    response = client_for("therapist").post(
        "/exercises/new", data=form_data(progression_id=str(foreign.id))
    )
    assert response.status_code == 200
    assert "Kies een oefening uit de bibliotheek van je praktijk." in response.text
    assert exercise_count() == before


def test_the_service_refuses_foreign_links_too(app, world):
    foreign = make_exercise(world.other_clinic, name="Van Zuid")
    db.session.commit()
    data = {"name_nl": "A", "name_en": "A", "category": "strength", "difficulty": 1,
            "dosage_type": "reps", "sets": 1, "reps": 5, "regions": ["hip"], "equipment": [],
            "progression_id": foreign.id, "regression_id": None}  # fmt: skip
    before = exercise_count()
    with pytest.raises(ExerciseProblem) as problem:
        save_exercise(world.therapist, None, data)
    assert problem.value.field == "progression_id"
    assert exercise_count() == before


@pytest.mark.parametrize("action", ["", "/edit", "/archive", "/restore", "/picture"])
def test_another_clinics_exercise_in_the_url_is_not_found(client_for, world, action):
    foreign = make_exercise(world.other_clinic, name="Van Zuid")
    db.session.commit()
    client = client_for("therapist")
    url = f"/exercises/{foreign.id}{action}"
    response = client.post(url) if action in ("/archive", "/restore") else client.get(url)
    assert response.status_code == 404
    db.session.refresh(foreign)
    assert foreign.archived_at is None
    assert client.post(f"/exercises/{foreign.id}/edit", data=form_data()).status_code == 404
    db.session.refresh(foreign)
    assert foreign.name_nl == "Van Zuid"


# --- ladder validation --------------------------------------------------------------------


def test_a_ladder_loop_is_refused_with_the_exercises_named(client_for, world, mini_library):
    bridge, thrust = builtin("mini-bridge"), builtin("mini-hip-thrust")
    client = client_for("therapist")
    before = exercise_count()
    # New exercise: harder than the hip thrust but easier than the bridge → a circle.
    response = client.post(
        "/exercises/new",
        data=form_data(regression_id=str(thrust.id), progression_id=str(bridge.id)),
    )
    assert response.status_code == 200
    assert "Zo loopt de ladder rond" in response.text
    assert "Stapje op de trede" in response.text and "Bekkenbrug" in response.text
    assert exercise_count() == before


def test_editing_a_link_into_a_loop_is_refused_and_nothing_changes(client_for, world):
    a = make_exercise(world.clinic, name="Alfa")
    b = make_exercise(world.clinic, name="Bravo", regression_id=a.id)
    c = make_exercise(world.clinic, name="Charlie", regression_id=b.id)
    db.session.commit()
    response = client_for("therapist").post(
        f"/exercises/{a.id}/edit",
        data=form_data(name_nl="Alfa", name_en="Alfa", regression_id=str(c.id)),
    )
    assert response.status_code == 200
    assert "Alfa → Bravo → Charlie → Alfa" in response.text
    db.session.refresh(a)
    assert a.regression_id is None and a.name_nl == "Alfa"
    assert audit(a.id) == []


def test_an_exercise_cannot_be_its_own_step_or_have_the_same_step_both_ways(
    client_for, world, mini_library
):
    own = make_exercise(world.clinic, name="Eigen")
    db.session.commit()
    client = client_for("therapist")
    response = client.post(f"/exercises/{own.id}/edit", data=form_data(progression_id=str(own.id)))
    assert "Kies een oefening uit de bibliotheek van je praktijk." in response.text
    bridge = builtin("mini-bridge")
    response = client.post(
        f"/exercises/{own.id}/edit",
        data=form_data(progression_id=str(bridge.id), regression_id=str(bridge.id)),
    )
    assert (
        "De makkelijkere en de zwaardere oefening kunnen niet dezelfde oefening zijn."
        in response.text
    )
    db.session.refresh(own)
    assert own.progression_id is None and own.regression_id is None
    with pytest.raises(ExerciseProblem, match="eigen"):
        save_exercise(world.therapist, own, {"progression_id": own.id, "regression_id": None})


# --- built-ins and clinic copies ----------------------------------------------------------


def test_editing_a_built_in_makes_a_clinic_copy_and_others_keep_the_original(
    client_for, world, mini_library
):
    single = builtin("mini-bridge-single-leg")
    client = client_for("therapist")
    page = client.get(f"/exercises/{single.id}/edit").text
    assert "Opslaan maakt een eigen versie voor je praktijk" in page
    response = client.post(
        f"/exercises/{single.id}/edit",
        data=form_data(
            name_nl="Bekkenbrug op één been (onze uitleg)", name_en="Single-leg bridge (ours)",
            regression_id=str(single.regression_id), progression_id=str(single.progression_id),
            regions=["hip"], equipment=["mat"],
        ),
    )  # fmt: skip
    assert response.status_code == 302
    db.session.expire_all()
    copy = db.session.scalar(select(Exercise).where(Exercise.source_id == single.id))
    assert copy.clinic_id == world.clinic.id and copy.slug is None
    assert copy.regression_id == single.regression_id
    assert copy.progression_id == single.progression_id
    assert builtin("mini-bridge-single-leg").name_nl == "Bekkenbrug op één been"
    assert audit(single.id) == []
    [(action, code, values)] = audit(copy.id)
    assert (action, code) == ("create", "exercise_builtin_copied")
    assert values["slug"] == "mini-bridge-single-leg"
    ours = client.get("/exercises/?q=brug").text
    assert "(onze uitleg)" in ours and "Praktijkversie" in ours
    theirs = client_for("other_therapist").get("/exercises/?q=brug").text
    assert "(onze uitleg)" not in theirs and "Bekkenbrug op één been" in theirs
    # The built-in's own page points to the copy; editing it again edits the copy.
    assert "Je praktijk gebruikt een eigen versie" in client.get(f"/exercises/{single.id}").text
    again = client.get(f"/exercises/{single.id}/edit")
    assert again.status_code == 302 and again.headers["Location"].endswith(
        f"/exercises/{copy.id}/edit"
    )
    # The ladder of the clinic now runs through its copy.
    bridge_page = client.get(f"/exercises/{builtin('mini-bridge').id}").text
    assert "(onze uitleg)" in bridge_page


def test_saving_a_built_in_unchanged_makes_no_copy(client_for, world, mini_library):
    walk = builtin("mini-walk")
    data = form_data(
        name_nl=walk.name_nl, name_en=walk.name_en, category=walk.category,
        difficulty=str(walk.difficulty), dosage_type="time", sets="1",
        duration_seconds=str(walk.duration_seconds), rest_seconds="0", tempo="",
        regions=["whole_body"], equipment=["none"], reps="",
    )  # fmt: skip
    for key in ("starting_position", "execution", "common_mistakes", "feel", "caution"):
        for lang in ("nl", "en"):
            data[f"{key}_{lang}"] = getattr(walk, f"{key}_{lang}")
    before = exercise_count()
    assert client_for("therapist").post(f"/exercises/{walk.id}/edit", data=data).status_code == 302
    assert exercise_count() == before


def test_editing_a_clinic_exercise_is_audited_with_what_changed(client_for, world):
    own = make_exercise(world.clinic, name="Eigen", regions=["knee", "hip"], equipment=["step"])
    db.session.commit()
    response = client_for("admin").post(
        f"/exercises/{own.id}/edit", data=form_data(name_nl="Eigen", name_en="Eigen", sets="4")
    )
    assert response.status_code == 302
    [(action, code, values)] = audit(own.id)
    assert action == "update" and code == "exercise_changed"
    assert "sets" in values["fields"] and "name_nl" not in values["fields"]


# --- archiving ----------------------------------------------------------------------------


def test_archive_and_bring_back(client_for, world):
    own = make_exercise(world.clinic, name="Tijdelijk")
    db.session.commit()
    client = client_for("therapist")
    assert client.post(f"/exercises/{own.id}/archive").status_code == 302
    db.session.refresh(own)
    assert own.is_archived
    detail = client.get(f"/exercises/{own.id}").text
    assert "Gearchiveerd op" in detail and "Terugzetten" in detail
    assert client.post(f"/exercises/{own.id}/restore").status_code == 302
    db.session.refresh(own)
    assert not own.is_archived
    assert [(a, code) for a, code, _ in audit(own.id)] == [
        ("update", "exercise_archived"),
        ("update", "exercise_unarchived"),
    ]


def test_archiving_a_built_in_hides_it_for_this_clinic_only(client_for, world, mini_library):
    walk = builtin("mini-walk")
    client = client_for("therapist")
    response = client.post(f"/exercises/{walk.id}/archive")
    copy = db.session.scalar(select(Exercise).where(Exercise.source_id == walk.id))
    assert response.headers["Location"].endswith(f"/exercises/{copy.id}")
    assert copy.is_archived and builtin("mini-walk").archived_at is None
    assert "Wandelen" not in client.get("/exercises/").text
    assert "Wandelen" in client_for("other_therapist").get("/exercises/").text
    # The built-in's page still opens (old programmes link to it).
    assert client.get(f"/exercises/{walk.id}").status_code == 200


# --- picture and video --------------------------------------------------------------------


def test_a_picture_is_checked_cleaned_and_served_with_a_long_cache(client_for, world):
    exif = Image.Exif()
    exif[0x010F] = "Camera maker with a secret"
    jpeg = png_bytes(fmt="JPEG", exif=exif.tobytes())
    client = client_for("therapist")
    data = form_data(picture=(io.BytesIO(jpeg), "foto.jpg"))
    assert (
        client.post("/exercises/new", data=data, content_type="multipart/form-data").status_code
        == 302
    )
    exercise = db.session.scalar(select(Exercise).where(Exercise.clinic_id == world.clinic.id))
    detail = client.get(f"/exercises/{exercise.id}").text
    src = detail.split('class="img-fluid rounded border mb-3 exercise-picture" src="')[1].split(
        '"'
    )[0]
    response = client.get(src.replace("&amp;", "&"))
    assert response.status_code == 200
    assert response.mimetype == "image/jpeg"
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert "private" in response.headers["Cache-Control"]
    assert b"secret" not in response.data
    assert Image.open(io.BytesIO(response.data)).getexif().get(0x010F) is None
    # A patient of the clinic sees it (their programme shows it); another clinic does not.
    assert client_for("patient").get(src).status_code == 200
    assert client_for("other_therapist").get(src).status_code == 404


def _png_of(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (b"%PDF-1.4 not a picture", "Dit bestand is geen PNG-, JPEG- of WebP-afbeelding."),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "Dit bestand is geen PNG-, JPEG- of WebP-afbeelding."),
        (b"GIF89a" + b"\0" * 100, "Dit bestand is geen PNG-, JPEG- of WebP-afbeelding."),
        (b"\xff" * (2 * 1024 * 1024 + 1), "De afbeelding is groter dan 2 MB."),
        (_png_of(6300, 6300), "De afbeelding heeft te veel pixels: hoogstens 4000 × 4000."),
    ],
)
def test_a_picture_that_is_not_one_or_too_large_is_refused(app, client_for, world, upload, message):
    before = exercise_count()
    response = post_upload(
        app,
        client_for("therapist"),
        "/exercises/new",
        form_data(picture=(io.BytesIO(upload), "foto.png")),
    )
    assert response.status_code == 200
    assert message in response.text
    assert exercise_count() == before


def test_a_picture_can_be_removed(client_for, world):
    own = make_exercise(
        world.clinic, name="Met foto", image_data=png_bytes(), image_mime="image/png"
    )
    db.session.commit()
    client = client_for("therapist")
    response = client.post(
        f"/exercises/{own.id}/edit",
        data=form_data(name_nl="Met foto", name_en="Met foto", remove_picture="y"),
    )
    assert response.status_code == 302
    db.session.refresh(own)
    assert own.image_mime is None
    assert client.get(f"/exercises/{own.id}/picture").status_code == 404


def test_a_https_video_link_is_kept_and_shown(client_for, world):
    client = client_for("therapist")
    client.post("/exercises/new", data=form_data(video_url="https://video.example.org/step-up"))
    exercise = db.session.scalar(select(Exercise).where(Exercise.clinic_id == world.clinic.id))
    assert exercise.video_url == "https://video.example.org/step-up"
    html = client.get(f"/exercises/{exercise.id}").text
    assert (
        'href="https://video.example.org/step-up" target="_blank" rel="noopener noreferrer"' in html
    )


def test_the_detail_page_shows_the_other_language_on_request(client_for, world, mini_library):
    single = builtin("mini-bridge-single-leg")
    client = client_for("therapist")
    dutch = client.get(f"/exercises/{single.id}").text
    assert "Stop bij pijn in je knie." in dutch and "alert-warning" in dutch
    english = client.get(f"/exercises/{single.id}?text=en").text
    assert "Stop if your knee hurts." in english
    assert "Lift your hips on one leg." in english
    assert client.get(f"/exercises/{single.id}?text=fr").status_code == 200


# --- the form's rules as a property -------------------------------------------------------


def ints(low: int, high: int):
    return st.integers(low, high).map(str)


ANY_INT = st.one_of(st.integers(-5, 200_000).map(str), st.sampled_from(["", "x", "1.5", "-0"]))
# Per field: (values the form must accept, values it may or may not accept).
FIELDS = {
    "name_nl": (
        st.text(
            st.characters(codec="utf-8", exclude_categories=["Cc"]), min_size=1, max_size=120
        ).filter(str.strip),
        st.text(max_size=130),
    ),
    "name_en": (st.just("Step-up"), st.sampled_from(["", "   ", "x" * 121])),
    "category": (st.sampled_from(["strength", "mobility"]), st.sampled_from(["", "yoga"])),
    "difficulty": (st.sampled_from(["1", "5"]), st.sampled_from(["", "0", "6", "x"])),
    "dosage_type": (
        st.sampled_from(["reps", "hold", "time", "distance"]),
        st.sampled_from(["", "sprint"]),
    ),
    "sets": (ints(1, 20), ANY_INT),
    "reps": (ints(1, 100), ANY_INT),
    "hold_seconds": (ints(1, 600), ANY_INT),
    "duration_seconds": (ints(1, 14400), ANY_INT),
    "distance_m": (ints(1, 100000), ANY_INT),
    "rest_seconds": (st.sampled_from(["", "0", "900"]), ANY_INT),
    "tempo": (
        st.sampled_from(["", "3-1-1", "2-0-X-1"]),
        st.sampled_from(["slow", "3-1", "3-1-1-1-1"]),
    ),
    "video_url": (
        st.sampled_from(["", "https://example.org/v"]),
        st.sampled_from(["http://example.org/v", "ftp://x", "https://", "javascript:x"]),
    ),
    "regions": (
        st.lists(st.sampled_from(["hip", "knee"]), min_size=1, max_size=2, unique=True),
        st.lists(st.sampled_from(["hip", "tail"]), max_size=2, unique=True),
    ),
    "equipment": (
        st.lists(st.sampled_from(["mat", "band"]), max_size=2, unique=True),
        st.lists(st.sampled_from(["none", "mat", "rope"]), max_size=2, unique=True),
    ),
}


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_exercise_form_accepts_exactly_the_valid_combinations(app, data):
    """Start from valid values, spoil up to three fields, and compare the form's verdict with
    the rules written out independently here."""
    spoiled = data.draw(st.sets(st.sampled_from(sorted(FIELDS)), max_size=3), label="spoiled")
    fields = {
        name: data.draw(bad if name in spoiled else good, label=name)
        for name, (good, bad) in FIELDS.items()
    }
    regions, equipment = fields.pop("regions"), fields.pop("equipment")
    fields.update(progression_id="", regression_id="")
    formdata = MultiDict(fields)
    for code in regions:
        formdata.add("regions", code)
    for code in equipment:
        formdata.add("equipment", code)
    with app.test_request_context(method="POST", data=formdata):
        form = ExerciseForm()
        form.set_ladder_choices([])
        valid = form.validate()
    event("valid" if valid else "refused")

    def whole(text, low, high, required):
        text = text.strip()
        if not text:
            return not required
        return text.lstrip("-").isdigit() and low <= int(text) <= high

    kind = fields["dosage_type"]
    needed = {
        "reps": {"reps"},
        "hold": {"reps", "hold_seconds"},
        "time": {"duration_seconds"},
        "distance": {"distance_m"},
    }.get(kind, set())
    limits = {"reps": (1, 100), "hold_seconds": (1, 600), "duration_seconds": (1, 14400),
              "distance_m": (1, 100000), "rest_seconds": (0, 900)}  # fmt: skip
    control = {chr(c) for c in [*range(0, 9), 11, 12, *range(14, 32), 127]}
    expected = (
        0 < len(fields["name_nl"].strip()) <= 120
        and not control & set(fields["name_nl"].strip())
        and fields["name_en"] == "Step-up"
        and fields["category"] in ("strength", "mobility")
        and fields["difficulty"] in ("1", "5")
        and kind in ("reps", "hold", "time", "distance")
        and whole(fields["sets"], 1, 20, True)
        and all(whole(fields[n], *limits[n], n in needed) for n in limits)
        and bool(regions) and "tail" not in regions
        and "rope" not in equipment and not ("none" in equipment and len(equipment) > 1)
        and fields["tempo"] in ("", "3-1-1", "2-0-X-1")
        and fields["video_url"] in ("", "https://example.org/v")
    )  # fmt: skip
    assert valid == expected, form.errors
    if valid:
        saved = form.exercise_data()
        assert saved["name_nl"] == fields["name_nl"].strip()
        assert saved["regions"] == regions
        assert all(saved[n] is not None for n in needed)


def test_archived_links_stay_selectable_when_editing(client_for, world):
    old = make_exercise(world.clinic, name="Oude stap", archived_at=utcnow())
    own = make_exercise(world.clinic, name="Nieuw", regression_id=old.id)
    db.session.commit()
    client = client_for("therapist")
    assert "Oude stap" in client.get(f"/exercises/{own.id}/edit").text
    assert "Oude stap" not in client.get("/exercises/new").text
    response = client.post(
        f"/exercises/{own.id}/edit",
        data=form_data(name_nl="Nieuw", name_en="New", regression_id=str(old.id)),
    )
    assert response.status_code == 302


def test_changing_some_tags_keeps_the_others(client_for, world):
    own = make_exercise(world.clinic, name="Tags", regions=["knee", "hip"], equipment=["mat"])
    db.session.commit()
    response = client_for("therapist").post(
        f"/exercises/{own.id}/edit",
        data=form_data(regions=["knee", "ankle_foot"], equipment=["mat", "band", "step"]),
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert sorted(own.regions) == ["ankle_foot", "knee"]
    assert sorted(own.equipment) == ["band", "mat", "step"]
