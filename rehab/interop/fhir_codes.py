"""Codes for the FHIR bundle: standard codes where one exists for what Rehab records,
Rehab's own code system otherwise.

Only codes whose meaning matches exactly are used: LOINC 72514-3 is "Pain severity - 0-10
verbal numeric rating [Score] - Reported", which is how NPRS is recorded. The questionnaires
(ODI, RMDQ, QBPDS, TSK-17, PSK, PSFS, GPE) and the clinical tests have no LOINC or SNOMED CT
code for Rehab's exact score or side, so they carry a local code (``code_system()``), which a
receiving system can map.
"""

from __future__ import annotations

from flask import current_app

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"

# Measure key → (system, code, display) where a standard code fits exactly.
STANDARD_CODES = {
    "nprs": (LOINC, "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported"),
}

# Measures that are questionnaire scores: a QuestionnaireResponse each, not an Observation.
QUESTIONNAIRES = ("psk", "psfs", "qbpds", "odi", "rmdq", "tsk17", "gpe")

# Rehab's units → UCUM (scores are dimensionless annotations).
UCUM_UNITS = {"cm": "cm", "°": "deg", "s": "s", "%": "%", "min": "min"}

OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"


def base_url() -> str:
    return current_app.config.get("REHAB_BASE_URL") or "https://rehab.invalid"


def code_system(name: str) -> str:
    """Rehab's own code system for ``name`` (measures, session log, exercises…)."""
    return f"{base_url().rstrip('/')}/fhir/CodeSystem/{name}"


def questionnaire_url(key: str) -> str:
    """The canonical URL of the (licensed, not included) questionnaire a score came from."""
    return f"{base_url().rstrip('/')}/fhir/Questionnaire/{key}"


def identifier_system(name: str) -> str:
    return f"{base_url().rstrip('/')}/fhir/NamingSystem/{name}"


def ucum(unit: str) -> tuple[str, str]:
    """(UCUM code, unit text): a scale like '0–10' or 'times' is the annotation {score}."""
    if unit in UCUM_UNITS:
        return UCUM_UNITS[unit], unit
    return "{score}", unit
