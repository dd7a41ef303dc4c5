"""The exercise library: the built-ins from the library files, what a clinic sees, browsing,
progression ladders, and saving clinic exercises (a clinic's edit of a built-in is its copy)."""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from flask import abort
from flask_babel import get_locale
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, and_, case, delete, exists, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, undefer

from rehab.audit.services import Action, record
from rehab.audit.summaries import Summary
from rehab.auth.models import User
from rehab.core.concurrency import claim
from rehab.core.db import utcnow
from rehab.core.i18n import gettext as _
from rehab.core.vocabulary import BODY_REGIONS, DOSAGE_TYPES, EQUIPMENT, EXERCISE_CATEGORIES
from rehab.exercises.models import Exercise, ExerciseEquipment, ExerciseRegion
from rehab.exercises.pictures import Picture
from rehab.extensions import db

LIBRARY_DIR = Path(__file__).resolve().parent / "library"
PAGE_SIZE = 24
LANGUAGES = ("nl", "en")
TEXT_FIELDS = ("name", "starting_position", "execution", "common_mistakes", "feel", "caution")
TEXT_COLUMNS = tuple(f"{key}_{lang}" for lang in LANGUAGES for key in TEXT_FIELDS)
DOSE_COLUMNS = ("reps", "hold_seconds", "duration_seconds", "distance_m")
# Which dose numbers each dosage type uses; the others are stored as NULL.
DOSE_COLUMNS_BY_TYPE = {
    "reps": ("reps",),
    "hold": ("reps", "hold_seconds"),
    "time": ("duration_seconds",),
    "distance": ("distance_m",),
}
# The columns a library file sets (links and tags are handled separately).
LIBRARY_COLUMNS = (
    "category", "difficulty", "dosage_type", "sets", *DOSE_COLUMNS, "rest_seconds", "tempo",
    "unilateral", *TEXT_COLUMNS,
)  # fmt: skip
# The columns a clinic edits through the form.
# The drawn figure (issue 16): which built-in's, mirrored, or hidden by the clinic.
FIGURE_COLUMNS = ("figure_slug", "figure_mirrored", "figure_hidden")
EDITABLE_COLUMNS = (
    *LIBRARY_COLUMNS,
    "video_url",
    "progression_id",
    "regression_id",
    *FIGURE_COLUMNS,
)
# What a clinic copy takes over from its built-in besides the editable columns.
COPIED_COLUMNS = (*EDITABLE_COLUMNS, "image_data", "image_mime")
SEARCH_TEXT_FIELDS = ("starting_position", "execution")
MAX_SEARCH_WORDS = 5


# --- loading the built-in library ---------------------------------------------------------


class LibraryError(ValueError):
    """A library file breaks the schema; the message lists every problem found."""


@dataclass(frozen=True)
class LibraryEntry:
    slug: str
    columns: dict
    regions: frozenset[str]
    equipment: frozenset[str]
    progression: str | None
    regression: str | None
    # Exercises that must go well first (e.g. a loaded hinge after the dowel hinge): the
    # built-in templates place them in an earlier phase (rehab.programmes.builtin).
    requires: tuple[str, ...] = ()


def read_library(directory: Path | str | None = None) -> list[LibraryEntry]:
    """Every exercise in the library files.

    The schema is documented (and checked) in tests/exercises/test_builtin_library_data.py.
    """
    directory = Path(directory or LIBRARY_DIR)
    entries: list[LibraryEntry] = []
    problems: list[str] = []
    for path in sorted(directory.glob("*.toml")):
        try:
            with path.open("rb") as handle:
                tables = tomllib.load(handle).get("exercise", [])
        except tomllib.TOMLDecodeError as exc:
            problems.append(f"{path.name}: {exc}")
            continue
        for raw in tables:
            try:
                entries.append(_library_entry(raw))
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                problems.append(f"{path.name}: {raw.get('slug', '?')}: {exc!r}")
    slugs = Counter(entry.slug for entry in entries)
    problems += [f"duplicate slug {slug}" for slug, n in slugs.items() if n > 1]
    for entry in entries:
        for link in (entry.progression, entry.regression):
            if link is not None and (link not in slugs or link == entry.slug):
                problems.append(f"{entry.slug}: ladder link to {link!r}")
        for needed in entry.requires:
            if needed not in slugs or needed == entry.slug:
                problems.append(f"{entry.slug}: requires {needed!r}")
    if problems:
        raise LibraryError("\n".join(problems))
    return entries


def _library_entry(raw: dict) -> LibraryEntry:
    slug = raw["slug"]
    if not isinstance(slug, str) or not slug:
        raise ValueError("slug")
    checks = (
        (raw["category"] in EXERCISE_CATEGORIES, "category"),
        (raw["dosage_type"] in DOSAGE_TYPES, "dosage_type"),
        (set(raw["regions"]) <= BODY_REGIONS.keys() and raw["regions"], "regions"),
        (set(raw["equipment"]) <= EQUIPMENT.keys(), "equipment"),
    )
    for ok, name in checks:
        if not ok:
            raise ValueError(f"unknown {name}")
    columns = {name: raw.get(name) for name in LIBRARY_COLUMNS if name in raw}
    for name in DOSE_COLUMNS:
        columns[name] = raw.get(name) if name in DOSE_COLUMNS_BY_TYPE[raw["dosage_type"]] else None
    columns["tempo"] = raw.get("tempo")
    columns["unilateral"] = bool(raw["unilateral"])
    for lang in LANGUAGES:
        for key in TEXT_FIELDS:
            columns[f"{key}_{lang}"] = raw[lang][key].strip()
    missing = set(LIBRARY_COLUMNS) - set(columns)
    if missing:
        raise KeyError(", ".join(sorted(missing)))
    return LibraryEntry(
        slug=slug,
        columns=columns,
        regions=frozenset(raw["regions"]),
        equipment=frozenset(raw["equipment"]),
        progression=raw.get("progression"),
        regression=raw.get("regression"),
        requires=tuple(raw.get("requires", ())),
    )


def load_library(directory: Path | str | None = None, *, commit: bool = True) -> tuple[int, int]:
    """Create or update the built-in exercises from the library files, matched by slug.

    Returns (created, updated); running it again on the same files changes nothing. Two
    passes: the rows (new ones in one multi-row INSERT), then the ladder links, which need
    the ids of both ends. Built-ins that left the files stay: programmes may refer to them.
    """
    entries = read_library(directory)
    builtin = Exercise.clinic_id.is_(None)
    current = {
        row.slug: row
        for row in db.session.execute(
            select(
                Exercise.id, Exercise.slug, Exercise.progression_id, Exercise.regression_id,
                *(getattr(Exercise, name) for name in LIBRARY_COLUMNS),
            ).where(builtin, Exercise.slug.is_not(None))
        )
    }  # fmt: skip
    new = [entry for entry in entries if entry.slug not in current]
    if new:
        # Core executemany: one statement for all rows (the ORM would split the batch
        # wherever the set of non-NULL columns changes).
        db.session.execute(
            insert(Exercise.__table__),
            [{"slug": entry.slug, "clinic_id": None, **entry.columns} for entry in new],
        )
    ids = dict(db.session.execute(select(Exercise.slug, Exercise.id).where(builtin)).all())
    updated: set[int] = set()

    changed_rows = []
    for entry in entries:
        row = current.get(entry.slug)
        if row is not None and any(getattr(row, k) != v for k, v in entry.columns.items()):
            changed_rows.append({"id": row.id, **entry.columns, "updated_at": utcnow()})
            updated.add(row.id)
    if changed_rows:
        db.session.execute(update(Exercise), changed_rows)

    for model, column, attribute in (
        (ExerciseRegion, ExerciseRegion.region, "regions"),
        (ExerciseEquipment, ExerciseEquipment.equipment, "equipment"),
    ):
        have: dict[int, set[str]] = {}
        for exercise_id, code in db.session.execute(
            select(model.exercise_id, column).join(Exercise).where(builtin)
        ):
            have.setdefault(exercise_id, set()).add(code)
        stale = [e for e in entries if have.get(ids[e.slug], set()) != getattr(e, attribute)]
        if stale:
            stale_ids = [ids[e.slug] for e in stale if ids[e.slug] in have]
            if stale_ids:
                db.session.execute(delete(model).where(model.exercise_id.in_(stale_ids)))
            db.session.execute(
                insert(model),
                [
                    {"exercise_id": ids[e.slug], column.key: code}
                    for e in stale
                    for code in sorted(getattr(e, attribute))
                ],
            )
            updated |= {ids[e.slug] for e in stale if e.slug in current}

    links = []
    for entry in entries:
        row = current.get(entry.slug)
        want = (ids.get(entry.progression), ids.get(entry.regression))
        have_links = (row.progression_id, row.regression_id) if row is not None else (None, None)
        if want != have_links:
            links.append(
                {"id": ids[entry.slug], "progression_id": want[0], "regression_id": want[1]}
            )
            if row is not None:
                updated.add(row.id)
    if links:
        db.session.execute(update(Exercise), links)
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    return len(new), len(updated)


# --- what a clinic sees -------------------------------------------------------------------


def visible_exercises(clinic_id: int, *, include_archived: bool = False) -> Select:
    """The clinic's library: its own exercises plus the built-ins it has not replaced by a copy.

    A clinic copy (``source_id``) hides its built-in, even while the copy is archived: that
    is how a clinic takes a built-in out of its library.
    """
    copy = aliased(Exercise)
    replaced = exists().where(copy.clinic_id == clinic_id, copy.source_id == Exercise.id)
    stmt = select(Exercise).where(
        or_(Exercise.clinic_id == clinic_id, and_(Exercise.clinic_id.is_(None), ~replaced))
    )
    if not include_archived:
        stmt = stmt.where(Exercise.archived_at.is_(None))
    return stmt


def exercise_for(actor: User, exercise_id: int, *, for_edit: bool = False) -> Exercise:
    """The exercise if ``actor``'s clinic may see it (built-in or its own), else 404.

    Archived exercises stay readable: old programmes refer to them. With ``for_edit`` a
    built-in the clinic has already copied comes back as that copy, so edits land there.
    """
    exercise = db.session.get(Exercise, exercise_id)
    if exercise is None or exercise.clinic_id not in (None, actor.clinic_id):
        abort(404)
    if for_edit and exercise.is_builtin:
        return clinic_copy(actor.clinic_id, exercise.id) or exercise
    return exercise


def clinic_copy(clinic_id: int, builtin_id: int) -> Exercise | None:
    """The clinic's own copy of a built-in, if it made one."""
    return db.session.scalar(
        select(Exercise).where(Exercise.clinic_id == clinic_id, Exercise.source_id == builtin_id)
    )


def picture_for(actor: User, exercise_id: int) -> Exercise:
    """The exercise with its picture loaded; 404 when not visible or without a picture."""
    exercise = db.session.get(Exercise, exercise_id, options=[undefer(Exercise.image_data)])
    if (
        exercise is None
        or exercise.clinic_id not in (None, actor.clinic_id)
        or not exercise.image_data
    ):
        abort(404)
    return exercise


# --- browsing -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BrowseFilters:
    """What the browse page filters on; every filter is optional and they combine (AND)."""

    q: str | None = None
    category: str | None = None
    region: str | None = None
    equipment: str | None = None
    difficulty_min: int | None = None  # min == max is an exact level
    difficulty_max: int | None = None
    show_archived: bool = False
    language: str = "nl"


def escape_like(text: str) -> str:
    """``text`` as a literal inside a LIKE pattern (escape character: backslash)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def browse_statement(clinic_id: int, filters: BrowseFilters) -> Select:
    """The browse page's exercises, before paging: name matches first, then by name."""
    language = filters.language if filters.language in LANGUAGES else LANGUAGES[0]
    name = getattr(Exercise, f"name_{language}")
    stmt = visible_exercises(clinic_id, include_archived=filters.show_archived)
    if filters.category:
        stmt = stmt.where(Exercise.category == filters.category)
    if filters.region:
        stmt = stmt.where(
            Exercise.id.in_(
                select(ExerciseRegion.exercise_id).where(ExerciseRegion.region == filters.region)
            )
        )
    if filters.equipment:
        stmt = stmt.where(
            Exercise.id.in_(
                select(ExerciseEquipment.exercise_id).where(
                    ExerciseEquipment.equipment == filters.equipment
                )
            )
        )
    if filters.difficulty_min is not None:
        stmt = stmt.where(Exercise.difficulty >= filters.difficulty_min)
    if filters.difficulty_max is not None:
        stmt = stmt.where(Exercise.difficulty <= filters.difficulty_max)
    words = (filters.q or "").split()[:MAX_SEARCH_WORDS]
    if not words:
        return stmt.order_by(func.lower(name), Exercise.id)
    texts = [getattr(Exercise, f"{key}_{language}") for key in SEARCH_TEXT_FIELDS]
    in_name = []
    for word in words:
        pattern = f"%{escape_like(word)}%"
        in_name.append(name.ilike(pattern, escape="\\"))
        stmt = stmt.where(or_(in_name[-1], *(t.ilike(pattern, escape="\\") for t in texts)))
    name_first = case((and_(*in_name), 0), else_=1)
    return stmt.order_by(name_first, func.lower(name), Exercise.id)


def browse(clinic_id: int, filters: BrowseFilters, page: int) -> Pagination:
    """One page of the clinic's library; tags come with it (a fixed number of queries)."""
    return db.paginate(
        browse_statement(clinic_id, filters),
        page=max(page, 1),
        per_page=PAGE_SIZE,
        error_out=False,
    )


def ladder_choices(clinic_id: int, language: str, *, keep: tuple[int | None, ...] = ()):
    """(id, name, difficulty, category) of the exercises a ladder link may name, by name.

    Archived exercises are offered only when already linked (``keep``), so saving an old
    exercise does not fail on a link the clinic has since archived.
    """
    name = getattr(Exercise, f"name_{language if language in LANGUAGES else 'nl'}")
    base = visible_exercises(clinic_id, include_archived=True)
    wanted = [i for i in keep if i]
    stmt = (
        base.with_only_columns(Exercise.id, name, Exercise.difficulty, Exercise.category)
        .where(or_(Exercise.archived_at.is_(None), Exercise.id.in_(wanted)))
        .order_by(func.lower(name), Exercise.id)
    )
    return db.session.execute(stmt).all()


# --- ladders ------------------------------------------------------------------------------


@dataclass
class LinkGraph:
    """The progression links one clinic sees, loaded in one query.

    ``nodes`` are the visible exercises (archived ones included: old programmes step along
    them too) with their raw links; ``copy_of`` maps a built-in to the clinic's copy, which
    takes its place wherever a link names the built-in.
    """

    nodes: dict[int, tuple[int | None, int | None]]
    copy_of: dict[int, int]
    names: dict[int, tuple[str, str]] = field(default_factory=dict)
    _named_by: tuple[dict[int, int], dict[int, int]] | None = field(default=None, repr=False)

    def resolve(self, exercise_id: int | None) -> int | None:
        if exercise_id is None:
            return None
        resolved = self.copy_of.get(exercise_id, exercise_id)
        return resolved if resolved in self.nodes else None

    def name(self, exercise_id: int, language: str) -> str:
        name_nl, name_en = self.names[exercise_id]
        return (name_en if language == "en" else name_nl) or name_nl or name_en

    def harder_edges(self, replaced=None) -> dict[int, set[int]]:
        """The combined harder-than graph: A → A.progression and A.regression → A.

        ``replaced`` gives some nodes new (progression, regression) links: a save in progress.
        """
        nodes = {**self.nodes, **(replaced or {})}
        edges: dict[int, set[int]] = {node: set() for node in nodes}
        for node, (progression, regression) in nodes.items():
            up, down = self.resolve(progression), self.resolve(regression)
            if up is not None and up != node:
                edges[node].add(up)
            if down is not None and down != node:
                edges[down].add(node)
        return edges

    def step(self, node: int, *, harder: bool) -> int | None:
        """The next rung: the node's own link, else the exercise that links to it from the
        other side (a clinic exercise may name a built-in as its easier step while the
        built-in knows nothing of it); the lowest id when several do."""
        progression, regression = self.nodes[node]
        own = self.resolve(progression if harder else regression)
        if own is not None:
            return own
        if self._named_by is None:
            self._named_by = ({}, {})  # who names a node as its regression / progression
            for other in sorted(self.nodes, reverse=True):
                up, down = self.nodes[other]
                for index, target in ((0, down), (1, up)):
                    resolved = self.resolve(target)
                    if resolved is not None:
                        self._named_by[index][resolved] = other
        return self._named_by[0 if harder else 1].get(node)

    def walk(self, start: int, *, harder: bool) -> list[int]:
        """The chain from ``start`` one way, nearest first; stops at a loop in corrupt data."""
        chain: list[int] = []
        seen = {start}
        node = self.step(start, harder=harder) if start in self.nodes else None
        while node is not None and node not in seen:
            chain.append(node)
            seen.add(node)
            node = self.step(node, harder=harder)
        return chain


def link_graph(clinic_id: int) -> LinkGraph:
    rows = db.session.execute(
        select(
            Exercise.id,
            Exercise.clinic_id,
            Exercise.source_id,
            Exercise.progression_id,
            Exercise.regression_id,
            Exercise.name_nl,
            Exercise.name_en,
        ).where(or_(Exercise.clinic_id == clinic_id, Exercise.clinic_id.is_(None)))
    ).all()
    copy_of = {row.source_id: row.id for row in rows if row.clinic_id is not None and row.source_id}
    nodes = {
        row.id: (row.progression_id, row.regression_id) for row in rows if row.id not in copy_of
    }
    names = {row.id: (row.name_nl, row.name_en) for row in rows if row.id in nodes}
    return LinkGraph(nodes=nodes, copy_of=copy_of, names=names)


def ladder(exercise: Exercise, clinic_id: int) -> tuple[list[Exercise], list[Exercise]]:
    """(easier, harder): the whole chain both ways as this clinic sees it, nearest rung first.

    A clinic copy stands in for its built-in. Three statements whatever the chain's length:
    the clinic's link graph, the exercises on the chain, and their tags.
    """
    graph = link_graph(clinic_id)
    start = graph.resolve(exercise.id) or exercise.id
    easier_ids = graph.walk(start, harder=False)
    harder_ids = [i for i in graph.walk(start, harder=True) if i not in easier_ids]
    wanted = [*easier_ids, *harder_ids]
    if not wanted:
        return [], []
    loaded = {e.id: e for e in db.session.scalars(select(Exercise).where(Exercise.id.in_(wanted)))}
    return [loaded[i] for i in easier_ids], [loaded[i] for i in harder_ids]


# --- saving -------------------------------------------------------------------------------


class ExerciseProblem(ValueError):
    """A change that cannot be saved; ``field`` names the form field it belongs to."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _language() -> str:
    language = str(get_locale() or "nl")
    return language if language in LANGUAGES else "nl"


def check_ladder_links(
    graph: LinkGraph,
    node: int,
    progression_id: int | None,
    regression_id: int | None,
    *,
    name: str,
) -> None:
    """Raise ExerciseProblem unless the links name other visible exercises without a loop.

    ``node`` is the exercise being saved as the graph knows it (a new exercise gets an id of
    its own that the graph does not have yet); ``name`` is its new name, for the message.
    """
    for field_name, target in (
        ("progression_id", progression_id),
        ("regression_id", regression_id),
    ):
        if target is None:
            continue
        if target not in graph.nodes:
            raise ExerciseProblem(field_name, _("Choose an exercise from your clinic's library."))
        if target == node:
            raise ExerciseProblem(
                field_name, _("An exercise cannot be its own easier or harder exercise.")
            )
    if progression_id is not None and progression_id == regression_id:
        raise ExerciseProblem(
            "regression_id", _("The easier and the harder exercise cannot be the same exercise.")
        )
    edges = graph.harder_edges({node: (progression_id, regression_id)})
    loop = _path_back(edges, node)
    if loop:
        language = _language()
        names = [name if n == node else graph.name(n, language) for n in loop]
        field_name = "progression_id" if loop[1] == progression_id else "regression_id"
        raise ExerciseProblem(
            field_name,
            _(
                "This would make the ladder go round in a circle: %(loop)s. "
                "Choose another easier or harder exercise.",
                loop=" → ".join(names),
            ),
        )


def _path_back(edges: dict[int, set[int]], start: int) -> list[int] | None:
    """A path start → … → start along ``edges`` (start at both ends), or None."""
    parent: dict[int, int] = {}
    stack = [start]
    seen = {start}
    while stack:
        node = stack.pop()
        for nxt in sorted(edges.get(node, ())):
            if nxt == start:
                path = [node]
                while path[-1] != start:
                    path.append(parent[path[-1]])
                return [*reversed(path), start]
            if nxt not in seen:
                seen.add(nxt)
                parent[nxt] = node
                stack.append(nxt)
    return None


def _changes(exercise: Exercise | None, data: dict, graph: LinkGraph) -> list[str]:
    """The names of what ``data`` would change on ``exercise`` (everything for a new one).

    Ladder links compare as the clinic sees them: a link to a built-in the clinic has
    copied is the same as a link to that copy.
    """

    def current(name: str):
        if name == "figure_slug":
            return exercise.figure_choice
        value = getattr(exercise, name)
        return graph.resolve(value) if name in ("progression_id", "regression_id") else value

    changed = [
        name
        for name in EDITABLE_COLUMNS
        if name in data and (exercise is None or current(name) != data[name])
    ]
    for tag in ("regions", "equipment"):
        if tag in data and (exercise is None or set(getattr(exercise, tag)) != set(data[tag])):
            changed.append(tag)
    if data.get("picture") is not None or (
        data.get("remove_picture") and exercise is not None and exercise.image_mime
    ):
        changed.append("picture")
    return changed


def _apply(exercise: Exercise, data: dict) -> None:
    for name in EDITABLE_COLUMNS:
        if name in data:
            setattr(exercise, name, data[name])
    if exercise.figure_slug == exercise.slug:
        exercise.figure_slug = None  # a built-in's own figure goes by its slug
    for name in DOSE_COLUMNS:
        if name not in DOSE_COLUMNS_BY_TYPE.get(exercise.dosage_type, ()):
            setattr(exercise, name, None)
    for tag in ("regions", "equipment"):
        if tag in data:
            # Remove and add single rows: replacing the whole collection would insert a kept
            # code before deleting its old row and break the (exercise, code) primary key.
            codes, wanted = getattr(exercise, tag), set(data[tag])
            for code in [c for c in codes if c not in wanted]:
                codes.remove(code)
            for code in sorted(wanted - set(codes)):
                codes.append(code)
    picture: Picture | None = data.get("picture")
    if picture is not None:
        exercise.image_data, exercise.image_mime = picture.data, picture.mime
    elif data.get("remove_picture"):
        exercise.image_data = exercise.image_mime = None


def _new_copy(builtin: Exercise, clinic_id: int) -> Exercise:
    """The clinic's own copy of a built-in: same text, tags, picture and ladder links."""
    copy = Exercise(clinic_id=clinic_id, source_id=builtin.id)
    for name in COPIED_COLUMNS:
        setattr(copy, name, getattr(builtin, name))
    copy.regions = list(builtin.regions)
    copy.equipment = list(builtin.equipment)
    # The copy keeps the built-in's drawn figure (issue 16).
    copy.figure_slug = builtin.figure_key
    db.session.add(copy)
    return copy


def _commit_or_problem() -> None:
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        # Two people copying the same built-in at once: the unique (clinic, source) index wins.
        raise _changed_meanwhile() from exc


def _changed_meanwhile() -> ExerciseProblem:
    return ExerciseProblem(
        None, _("Someone else changed this exercise just now. Reload the page and try again.")
    )


def save_exercise(actor: User, exercise: Exercise | None, data: dict) -> Exercise:
    """Create a clinic exercise (``exercise`` None) or change one; returns what was saved.

    Changing a built-in never touches it: the clinic gets its own copy (``source_id`` set,
    tags, picture and ladder links copied) that replaces the built-in in its library. Ladder
    links must name other exercises the clinic sees and must not make a loop; otherwise
    ExerciseProblem is raised and nothing is saved. ``data`` holds the form's values: the
    editable columns, ``regions``, ``equipment``, and ``picture`` (a Picture) or
    ``remove_picture``.
    """
    if exercise is not None and exercise.clinic_id not in (None, actor.clinic_id):
        abort(404)
    if exercise is not None and exercise.is_builtin:
        exercise = clinic_copy(actor.clinic_id, exercise.id) or exercise
    graph = link_graph(actor.clinic_id)
    node = graph.resolve(exercise.id) if exercise is not None else None
    node = node if node is not None else -1  # -1: not saved yet, no link can name it
    language = _language()
    check_ladder_links(
        graph,
        node,
        data.get("progression_id"),
        data.get("regression_id"),
        name=data.get(f"name_{language}") or (exercise.text("name", language) if exercise else ""),
    )
    changed = _changes(exercise, data, graph)
    if exercise is not None and not changed:
        return exercise
    if exercise is None:
        target, action = Exercise(clinic_id=actor.clinic_id), Action.CREATE
        summary = Summary.of("exercise_created")
        db.session.add(target)
    elif exercise.is_builtin:
        target, action = _new_copy(exercise, actor.clinic_id), Action.CREATE
        summary = Summary.of("exercise_builtin_copied", slug=exercise.slug, fields=changed)
    else:
        target, action = exercise, Action.UPDATE
        summary = Summary.of("exercise_changed", fields=changed)
    _apply(target, data)
    db.session.flush()
    record(action, object_type="exercise", object_id=target.id, summary=summary, actor=actor)
    _commit_or_problem()
    return target


def set_archived(actor: User, exercise: Exercise, archived: bool) -> Exercise:
    """Archive or bring back a clinic exercise; returns the exercise that changed.

    Archiving a built-in archives the clinic's copy of it (made now if needed), which takes
    the built-in out of this clinic's library only. Built-ins themselves are never archived.
    """
    if exercise.clinic_id not in (None, actor.clinic_id):
        abort(404)
    action = Action.UPDATE
    summary = Summary.of("exercise_archived" if archived else "exercise_unarchived")
    if exercise.is_builtin:
        builtin = exercise
        exercise = clinic_copy(actor.clinic_id, builtin.id)
        if exercise is None:
            if not archived:
                return builtin
            exercise = _new_copy(builtin, actor.clinic_id)
            action = Action.CREATE
            summary = Summary.of("exercise_builtin_archived", slug=builtin.slug)
    if exercise.is_archived == archived:
        return exercise
    try:
        db.session.flush()  # a copy made just now gets its row first
    except IntegrityError as exc:  # a parallel request copied the same built-in just now
        db.session.rollback()
        raise _changed_meanwhile() from exc
    # One conditional write: of two clicks at once, one archives (and is logged).
    state = Exercise.archived_at.is_(None) if archived else Exercise.archived_at.is_not(None)
    if not claim(exercise, state, archived_at=utcnow() if archived else None):
        db.session.rollback()
        return exercise
    record(action, object_type="exercise", object_id=exercise.id, summary=summary, actor=actor)
    _commit_or_problem()
    return exercise


# --- shown on pages and on the printed exercise card --------------------------------------


def dose_summary(exercise: Exercise) -> str:
    """The default dose in words, e.g. "3 × 10", "3 × 8 × 10 s", "1 × 20 min", "2 × 20 m"."""
    parts = [str(exercise.sets)]
    if exercise.dosage_type in ("reps", "hold") and exercise.reps:
        parts.append(str(exercise.reps))
    if exercise.dosage_type == "hold" and exercise.hold_seconds:
        parts.append(_("%(n)s s", n=exercise.hold_seconds))
    if exercise.dosage_type == "time" and exercise.duration_seconds:
        parts.append(_duration(exercise.duration_seconds))
    if exercise.dosage_type == "distance" and exercise.distance_m:
        parts.append(_("%(n)s m", n=exercise.distance_m))
    text = " × ".join(parts)
    if exercise.unilateral:
        text += " " + _("each side")
    return text


def _duration(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    if not minutes:
        return _("%(n)s s", n=seconds)
    if not rest:
        return _("%(n)s min", n=minutes)
    return _("%(m)s min %(s)s s", m=minutes, s=rest)


@dataclass(frozen=True)
class ExerciseCard:
    """Everything a printed exercise card shows, in one language (for the PDF renderer)."""

    exercise_id: int
    language: str
    name: str
    category: str
    difficulty: int
    dose: str
    rest_seconds: int | None
    tempo: str | None
    starting_position: str
    execution: str
    common_mistakes: str
    feel: str
    caution: str
    regions: list[str]
    equipment: list[str]
    image_data: bytes | None
    image_mime: str | None
    video_url: str | None


def exercise_card(exercise: Exercise, language: str) -> ExerciseCard:
    """The card's content in ``language`` (labels in the current locale; use force_locale)."""
    texts = {key: exercise.text(key, language) for key in TEXT_FIELDS}
    return ExerciseCard(
        exercise_id=exercise.id,
        language=language,
        category=str(EXERCISE_CATEGORIES.get(exercise.category, exercise.category)),
        difficulty=exercise.difficulty,
        dose=dose_summary(exercise),
        rest_seconds=exercise.rest_seconds,
        tempo=exercise.tempo,
        regions=[str(BODY_REGIONS.get(code, code)) for code in exercise.regions],
        equipment=[str(EQUIPMENT.get(code, code)) for code in exercise.equipment],
        image_data=exercise.image_data,
        image_mime=exercise.image_mime,
        video_url=exercise.video_url,
        **texts,
    )
