"""Standard ways out of Rehab: a FHIR R4 bundle per patient (fhir.py) and the therapist's
CSV exports."""
