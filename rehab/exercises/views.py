"""The library pages: browse, detail with the ladder, create/edit/archive, and the pictures."""

from __future__ import annotations

import re
from base64 import b64encode

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from rehab.auth.access import login_required, staff_required
from rehab.auth.forms import ConfirmForm
from rehab.core.i18n import gettext as _
from rehab.core.i18n import select_locale
from rehab.core.pages import filter_args, page_arg
from rehab.core.vocabulary import BODY_REGIONS, DOSAGE_TYPES, EQUIPMENT, EXERCISE_CATEGORIES
from rehab.exercises import bp, services
from rehab.exercises.forms import DIFFICULTY_LABELS, BrowseForm, ExerciseForm
from rehab.exercises.models import Exercise
from rehab.extensions import db
from rehab.figures.library import builtin_figure, figure_data, figure_names, still_svg
from rehab.figures.render import cycle, render_animated, render_still

VOCABULARY = {
    "categories": EXERCISE_CATEGORIES,
    "regions": BODY_REGIONS,
    "equipment_names": EQUIPMENT,
    "dosage_types": DOSAGE_TYPES,
    "difficulty_labels": DIFFICULTY_LABELS,
}


def _language() -> str:
    language = select_locale()
    return language if language in services.LANGUAGES else "nl"


@bp.app_template_filter("dose")
def _dose(exercise: Exercise) -> str:
    return services.dose_summary(exercise)


@bp.app_template_global()
def exercise_picture_url(exercise: Exercise) -> str:
    """The picture's address; it changes whenever the exercise does, so it may be cached."""
    version = int(exercise.updated_at.timestamp()) if exercise.updated_at else 0
    return url_for("exercises.picture", exercise_id=exercise.id, v=version)


@bp.route("/")
@staff_required
def index():
    form = BrowseForm(request.args)
    if not form.validate():
        form = BrowseForm(formdata=None)
    language = _language()
    filters = services.BrowseFilters(
        q=form.q.data,
        category=form.category.data or None,
        region=form.region.data or None,
        equipment=form.equipment.data or None,
        difficulty_min=form.difficulty_min.data,
        difficulty_max=form.difficulty_max.data,
        show_archived=bool(form.archived.data),
        language=language,
    )
    page = page_arg()
    pagination = services.browse(current_user.clinic_id, filters, page)
    return render_template(
        "exercises/index.html",
        form=form,
        pagination=pagination,
        language=language,
        searching=bool(form.q.data),
        filters=filter_args(form),
        **VOCABULARY,
    )


@bp.route("/<int:exercise_id>")
@staff_required
def detail(exercise_id: int):
    exercise = services.exercise_for(current_user, exercise_id)
    language = _language()
    shown = request.args.get("text", language)
    shown = shown if shown in services.LANGUAGES else language
    easier, harder = services.ladder(exercise, current_user.clinic_id)
    replaced_by = (
        services.clinic_copy(current_user.clinic_id, exercise.id) if exercise.is_builtin else None
    )
    return render_template(
        "exercises/detail.html",
        exercise=exercise,
        language=language,
        shown=shown,
        other_language="en" if shown == "nl" else "nl",
        easier=list(reversed(easier)),  # easiest first, as the chain reads left to right
        harder=harder,
        replaced_by=replaced_by,
        source=_source(exercise),
        action_form=ConfirmForm(),
        **VOCABULARY,
    )


def _source(exercise: Exercise) -> Exercise | None:
    if exercise.source_id is None:
        return None
    return services.exercise_for(current_user, exercise.source_id)


def _form_page(form: ExerciseForm, exercise: Exercise | None):
    return render_template(
        "exercises/form.html", form=form, exercise=exercise, language=_language(), **VOCABULARY
    )


def _prepare(form: ExerciseForm, exercise: Exercise | None) -> None:
    """Fill the ladder pickers with this clinic's exercises (never the one being edited)."""
    keep = (form.progression_id.data, form.regression_id.data)
    rows = services.ladder_choices(current_user.clinic_id, _language(), keep=keep)
    own = {exercise.id, exercise.source_id} if exercise is not None else set()
    form.set_ladder_choices([row for row in rows if row[0] not in own])


def _save(form: ExerciseForm, exercise: Exercise | None):
    try:
        saved = services.save_exercise(current_user, exercise, form.exercise_data())
    except services.ExerciseProblem as problem:
        target = getattr(form, problem.field) if problem.field else None
        if target is not None:
            target.errors = [*target.errors, problem.message]
        else:
            form.form_errors.append(problem.message)
        return None
    return saved


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def new():
    form = ExerciseForm()
    if request.method == "GET":
        form.sets.data, form.rest_seconds.data, form.dosage_type.data = 3, 60, "reps"
    _prepare(form, None)
    if form.validate_on_submit():
        saved = _save(form, None)
        if saved is not None:
            flash(_("The exercise has been added to your library."), "success")
            return redirect(url_for("exercises.detail", exercise_id=saved.id))
    return _form_page(form, None)


@bp.route("/<int:exercise_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(exercise_id: int):
    exercise = services.exercise_for(current_user, exercise_id, for_edit=True)
    if exercise.id != exercise_id:  # the clinic already has its own copy of this built-in
        return redirect(url_for("exercises.edit", exercise_id=exercise.id))
    form = ExerciseForm(obj=exercise if request.method == "GET" else None)
    if request.method == "GET":
        graph = services.link_graph(current_user.clinic_id)
        form.progression_id.data = graph.resolve(exercise.progression_id)
        form.regression_id.data = graph.resolve(exercise.regression_id)
        form.regions.data = list(exercise.regions)
        form.equipment.data = list(exercise.equipment)
        form.figure_slug.data = exercise.figure_choice or ""
    _prepare(form, exercise)
    if form.validate_on_submit():
        saved = _save(form, exercise)
        if saved is not None:
            if saved.id != exercise.id:
                flash(_("Saved as your clinic's own version; the built-in exercise is unchanged."),
                      "success")  # fmt: skip
            else:
                flash(_("The exercise has been saved."), "success")
            return redirect(url_for("exercises.detail", exercise_id=saved.id))
    return _form_page(form, exercise)


@bp.route("/<int:exercise_id>/archive", methods=["POST"])
@staff_required
def archive(exercise_id: int):
    exercise = services.exercise_for(current_user, exercise_id, for_edit=True)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    saved = _archive(exercise, True)
    flash(_("The exercise has been archived. Programmes that use it keep it."), "success")
    return redirect(url_for("exercises.detail", exercise_id=saved.id))


@bp.route("/<int:exercise_id>/restore", methods=["POST"])
@staff_required
def restore(exercise_id: int):
    exercise = services.exercise_for(current_user, exercise_id, for_edit=True)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    saved = _archive(exercise, False)
    flash(_("The exercise is back in your library."), "success")
    return redirect(url_for("exercises.detail", exercise_id=saved.id))


def _archive(exercise: Exercise, archived: bool) -> Exercise:
    try:
        return services.set_archived(current_user, exercise, archived)
    except services.ExerciseProblem:
        abort(409)


@bp.route("/<int:exercise_id>/picture")
@login_required
def picture(exercise_id: int):
    """The exercise's picture for anyone of the clinic (patients see it in their programme)."""
    exercise = services.picture_for(current_user, exercise_id)
    response = make_response(exercise.image_data)
    response.mimetype = exercise.image_mime
    # The URL carries a version (exercise_picture_url), so the browser may keep it for a year;
    # private: it is behind a log-in, no shared cache may hold it.
    response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    response.headers["Content-Disposition"] = "inline"
    response.add_etag()
    return response.make_conditional(request)


FIGURE_STAGES = ("moving", "start", "end")
TEMPO = re.compile(r"^\d{1,2}(-(\d{1,2}|X)){2,3}$")


@bp.app_template_global()
def exercise_figure(exercise: Exercise, tempo: str | None = None) -> dict | None:
    """The addresses of an exercise's drawn figure (moving loop, start, end), or None."""
    slug = exercise.figure_key
    if slug is None:
        return None
    figure = builtin_figure(slug)
    args = {"slug": slug}
    if exercise.figure_mirrored:
        args["mirror"] = 1
    tempo = (tempo or exercise.tempo or "").upper()
    moving_args = args | ({"tempo": tempo} if TEMPO.match(tempo) else {})
    if exercise.hold_seconds:
        moving_args["hold"] = exercise.hold_seconds
    still = url_for("exercises.figure", stage="start", **args)
    return {
        "moving": url_for("exercises.figure", stage="moving", **moving_args)
        if figure.has_movement
        else still,
        "start": still,
        "end": url_for("exercises.figure", stage="end", **args) if figure.has_movement else None,
    }


@bp.route("/figures/<slug>/<stage>.svg")
@login_required
def figure(slug: str, stage: str):
    """A built-in figure as SVG: the moving loop (at the tempo asked) or a still pose. The
    same drawing for every clinic, so nothing of a patient is in it."""
    found = builtin_figure(slug) if slug in figure_data() else None
    if found is None or stage not in FIGURE_STAGES or (stage == "end" and not found.has_movement):
        abort(404)
    tempo = request.args.get("tempo", "").upper()
    hold = request.args.get("hold", type=int)
    mirror = request.args.get("mirror") == "1"
    if (tempo and not TEMPO.match(tempo)) or (hold is not None and not 0 < hold <= 600):
        abort(404)
    if stage == "moving" and found.has_movement:
        svg = render_animated(found, timing=cycle(tempo or None, hold), mirror=mirror)
    else:
        svg = render_still(found, "start" if stage == "moving" else stage, mirror=mirror)
    response = make_response(svg)
    response.mimetype = "image/svg+xml"
    response.headers["Cache-Control"] = "private, max-age=86400"
    response.add_etag()
    return response.make_conditional(request)


def _figure_review_rows(language: str) -> list[dict]:
    """Every drawn built-in figure with its name, its built-in's id (to edit: a clinic copy
    can hide it) and whether this clinic has hidden it, in two statements."""
    names = figure_names(language)
    slugs = [slug for slug, _name in names]
    ids = dict(
        db.session.execute(
            select(Exercise.slug, Exercise.id).where(
                Exercise.clinic_id.is_(None), Exercise.slug.in_(slugs)
            )
        ).all()
    )
    hidden = set(
        db.session.scalars(
            select(Exercise.figure_slug).where(
                Exercise.clinic_id == current_user.clinic_id, Exercise.figure_hidden.is_(True)
            )
        )
    )
    return [
        {
            "slug": slug,
            "name": name,
            "exercise_id": ids.get(slug),
            "hidden": slug in hidden,
            "stages": builtin_figure(slug).stages,
        }
        for slug, name in names
    ]


@bp.route("/figures/review")
@staff_required
def figure_review():
    """The review sheet: every drawn figure by name, so the clinic can check them."""
    language = _language()
    return render_template(
        "exercises/figure_review.html", rows=_figure_review_rows(language), language=language
    )


@bp.route("/figures/review.pdf")
@staff_required
def figure_review_pdf():
    """The review sheet printed: the same drawings as the page, to check on paper."""
    from rehab.reports.pdf import download_name, render_pdf  # reports imports the library

    language = _language()
    rows = _figure_review_rows(language)
    for row in rows:
        row["uris"] = [
            "data:image/svg+xml;base64,"
            + b64encode(still_svg(row["slug"], stage).encode()).decode()
            for stage in row["stages"]
        ]
    clinic_name = current_user.clinic.name
    pdf = render_pdf(
        "pdf/figure_review.html",
        language=language,
        title=_("Review sheet of the exercise drawings"),
        author=clinic_name,
        context={"rows": rows, "clinic_name": clinic_name},
    )
    response = make_response(pdf)
    response.mimetype = "application/pdf"
    name = download_name(_("exercise drawings"))
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    return response
