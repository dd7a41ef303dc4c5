"""Programme templates: saving a programme as one, renaming and deleting it, the clinic's and
the built-in templates."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from rehab.auth.access import staff_required
from rehab.core.i18n import gettext as _
from rehab.core.pages import page_arg
from rehab.extensions import db
from rehab.programmes import (
    bp,
    builtin,
    library,
    lifecycle,
    services,
)
from rehab.programmes import templates as programme_templates
from rehab.programmes.forms import (
    RenameTemplateForm,
    TemplateForm,
    VersionForm,
)
from rehab.programmes.services import BuilderError, ProgrammeChanged
from rehab.programmes.view_support import (
    conflict_page,
    page_language,
    submitted,
    version_form,
)
from rehab.programmes.wording import dose_text, rule_text

TEMPLATES_PAGE_SIZE = 20


# --- templates -------------------------------------------------------------------------------


@bp.route("/<int:programme_id>/save-as-template", methods=["GET", "POST"])
@staff_required
def save_as_template(programme_id: int):
    programme = services.programme_for(current_user, programme_id, tree=True)
    form = TemplateForm()
    if request.method == "GET":
        form.title.data = programme.title
        form.description.data = programme.description
    if form.validate_on_submit():
        template = programme_templates.save_as_template(
            current_user, programme, title=form.title.data, description=form.description.data
        )
        flash(_("Saved as a clinic template. Colleagues can start programmes from it."), "success")
        return redirect(url_for(".show", programme_id=template.id))
    return render_template("programmes/template_form.html", form=form, programme=programme)


@bp.route("/<int:programme_id>/rename", methods=["GET", "POST"])
@staff_required
def rename_template(programme_id: int):
    template = services.programme_for(current_user, programme_id)
    if not template.is_template:
        abort(404)
    form = RenameTemplateForm()
    if request.method == "GET":
        form.title.data = template.title
        form.description.data = template.description
        form.version.data = template.version
    if submitted(form):
        try:
            programme_templates.rename_template(
                current_user, template, form.version.data,
                title=form.title.data, description=form.description.data,
            )  # fmt: skip
        except ProgrammeChanged:
            return conflict_page(None, url_for(".rename_template", programme_id=programme_id))
        flash(_("Template saved."), "success")
        return redirect(url_for(".templates"))
    return render_template("programmes/template_form.html", form=form, programme=template)


@bp.route("/<int:programme_id>/delete", methods=["POST"])
@staff_required
def delete(programme_id: int):
    programme = services.programme_for(current_user, programme_id)
    form = version_form()
    patient_id = programme.patient_id
    try:
        lifecycle.delete_programme(current_user, programme, form.version.data)
    except ProgrammeChanged:
        return conflict_page(programme_id)
    except BuilderError as error:
        flash(error.message, "danger")
        return redirect(url_for(".show", programme_id=programme_id))
    flash(_("Deleted."), "success")
    if patient_id is None:
        return redirect(url_for(".templates"))
    return redirect(url_for("patients.detail", patient_id=patient_id))


@bp.route("/templates")
@staff_required
def templates():
    pagination = db.paginate(
        programme_templates.clinic_templates_statement(current_user.clinic_id),
        page=page_arg(),
        per_page=TEMPLATES_PAGE_SIZE,
        error_out=False,
    )
    return render_template(
        "programmes/templates.html",
        builtins=list(builtin.builtin_templates().values()),
        pagination=pagination,
        language=page_language(),
        vform=VersionForm(formdata=None),
    )


@bp.route("/templates/built-in/<slug>")
@staff_required
def builtin_template(slug: str):
    template = builtin.builtin_template(slug)
    if template is None:
        abort(404)
    language = page_language()
    exercises = library.exercises_by_slug(template.slugs)
    phases = []
    for data in template.phases:
        labels = builtin.rotation_labels(data)
        prescriptions = []
        for rx in data.get("prescription", []):
            values = builtin.prescription_values(rx, language)
            exercise = exercises.get(rx["exercise"])
            name = exercise.text("name", language) if exercise else _library_name(rx, language)
            prescriptions.append((name, values))
        criteria = [builtin.text(c.get("label"), language) for c in data.get("criterion", [])]
        phases.append({"data": data, "labels": labels, "prescriptions": prescriptions,
                       "criteria": criteria})  # fmt: skip
    return render_template(
        "programmes/builtin_template.html",
        template=template,
        phases=phases,
        language=language,
        text=builtin.text,
        dose_text=dose_text,
        rule_text=rule_text,
    )


def _library_name(rx: dict, language: str) -> str:
    entry = builtin.library_index().get(rx["exercise"], {})
    return (entry.get("name") or {}).get(language) or rx["exercise"]
