"""The programme section of a patient's page: the active programme, its current phase and
how its exit criteria stand, with earlier programmes listed below (fixed queries)."""

from __future__ import annotations

from rehab.core.clock import clinic_today
from rehab.programmes import services
from rehab.programmes.advancement import phase_status
from rehab.progress.criteria import Status


def patient_panel(actor, patient) -> dict:
    programmes = services.programmes_of(patient.id)
    active = (
        services.active_programme(patient.id)
        if any(p.status == "active" for p in programmes)
        else None
    )
    phase = services.current_phase(active) if active else None
    statuses = phase_status(active, phase, today=clinic_today(actor.clinic)) if phase else []
    return {
        "patient": patient,
        "programmes": programmes,
        "active": active,
        "phase": phase,
        "statuses": statuses,
        "met": sum(1 for s in statuses if s.status is Status.MET),
        "unknown": sum(1 for s in statuses if s.status is Status.UNKNOWN),
    }
