"""exit criteria judged from recorded data; defaults that judged wrongly are corrected

New criterion kinds that recorded data answers (no red flags, baselines recorded, lumbar
mobility, single-leg squat, full load without a red response, the activity score on
either instrument) join the CHECK on kind. Criteria copied from the built-in templates
that judged wrongly are corrected in place (issue 14):
- side bridge right/left "between 0.95 and 1.05" flagged 4.9 % one way and not the
  other: it becomes the asymmetry in % "at most 5" (the same intent, symmetric);
- the default "PSFS ≥ 9" for the sport or work activity read the PSFS mean and never
  passed for a clinic using PSK: it reads the sport or work activity on either scale;
- the default "PSK improved by 2" works with PSFS too (the activities, either scale).
Criteria a therapist ticks are left as they are.

Revision ID: exit_criteria_from_data
Revises: analyses_hop_test
Create Date: 2026-12-07 00:02:11.402117

"""
from alembic import op
import sqlalchemy as sa

import rehab.core.db


# revision identifiers, used by Alembic.
revision = 'exit_criteria_from_data'
down_revision = 'analyses_hop_test'
branch_labels = None
depends_on = None

OLD_KINDS = (
    "'measure', 'ratio', 'pain_during_max', 'next_morning_baseline_days', 'adherence', "
    "'hold_time', 'therapist_check', 'outcome_change'"
)
NEW_KINDS = OLD_KINDS + (
    ", 'red_flags_clear', 'baselines_recorded', 'lumbar_mobility', 'single_leg_squat', "
    "'full_load_without_red', 'activity_score'"
)
SPORT_LABELS = {
    ("low-back-recurrent", "nl"):
        "Score van je sport- of werkactiviteit ten minste 9/10 (PSFS ≥ 9 of PSK ≤ 1)",
    ("low-back-recurrent", "en"):
        "Your sport or work activity scores at least 9/10 (PSFS ≥ 9 or PSK ≤ 1)",
    ("running-knee", "nl"): "Score voor hardlopen ten minste 9/10 (PSFS ≥ 9 of PSK ≤ 1)",
    ("running-knee", "en"): "Running scores at least 9/10 (PSFS ≥ 9 or PSK ≤ 1)",
}
IMPROVED_LABELS = {
    "nl": "PSK of PSFS ten minste 2 punten verbeterd sinds de intake (drempel van de praktijk)",
    "en": "PSK or PSFS improved by at least 2 points since intake (the clinic's threshold)",
}


def _of_programmes(where: str) -> str:
    """Criteria ids whose programme matches ``where`` (columns of p = programmes)."""
    return (
        "SELECT c.id FROM exit_criteria c JOIN phases f ON f.id = c.phase_id "
        f"JOIN programmes p ON p.id = f.programme_id WHERE {where}"
    )


def upgrade():
    with op.batch_alter_table('exit_criteria', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_exit_criteria_kind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_exit_criteria_kind'), f"kind IN ({NEW_KINDS})")
    conn = op.get_bind()
    conn.execute(sa.text(
        "UPDATE exit_criteria SET measure = 'side_bridge_asymmetry', comparison = '<=', "
        "target = 5, target_high = NULL "
        "WHERE kind = 'ratio' AND measure = 'side_bridge_balance' AND comparison = 'between' "
        "AND target = 0.95 AND target_high = 1.05"
    ))
    sport = (
        "kind = 'measure' AND measure = 'psfs' AND comparison = '>=' AND target = 9 "
        "AND is_default"
    )
    for (slug, language), label in SPORT_LABELS.items():
        ids = _of_programmes("p.source_template = :slug AND p.language = :language")
        conn.execute(
            sa.text(f"UPDATE exit_criteria SET label = :label WHERE {sport} AND id IN ({ids})"),
            {"label": label, "slug": slug, "language": language},
        )
    conn.execute(sa.text(
        f"UPDATE exit_criteria SET kind = 'activity_score', measure = 'sport_work' WHERE {sport}"
    ))
    improved = "kind = 'outcome_change' AND measure = 'psk' AND is_default"
    for language, label in IMPROVED_LABELS.items():
        ids = _of_programmes("p.language = :language")
        conn.execute(
            sa.text(f"UPDATE exit_criteria SET label = :label WHERE {improved} AND id IN ({ids})"),
            {"label": label, "language": language},
        )
    conn.execute(sa.text(f"UPDATE exit_criteria SET measure = 'activities' WHERE {improved}"))


def downgrade():
    conn = op.get_bind()
    conn.execute(sa.text(
        "DELETE FROM exit_criteria WHERE kind IN ('red_flags_clear', 'baselines_recorded', "
        "'lumbar_mobility', 'single_leg_squat', 'full_load_without_red', 'activity_score') "
        "AND NOT (kind = 'activity_score' AND measure = 'sport_work' AND is_default)"
    ))
    conn.execute(sa.text(
        "UPDATE exit_criteria SET kind = 'measure', measure = 'psfs' "
        "WHERE kind = 'activity_score' AND measure = 'sport_work' AND is_default"
    ))
    conn.execute(sa.text(
        "UPDATE exit_criteria SET measure = 'psk' "
        "WHERE kind = 'outcome_change' AND measure = 'activities' AND is_default"
    ))
    conn.execute(sa.text(
        "UPDATE exit_criteria SET measure = 'side_bridge_balance', comparison = 'between', "
        "target = 0.95, target_high = 1.05 "
        "WHERE kind = 'ratio' AND measure = 'side_bridge_asymmetry' AND comparison = '<=' "
        "AND target = 5"
    ))
    with op.batch_alter_table('exit_criteria', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_exit_criteria_kind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_exit_criteria_kind'), f"kind IN ({OLD_KINDS})")
