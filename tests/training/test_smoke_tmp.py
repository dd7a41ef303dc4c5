import datetime as dt
from rehab.extensions import db
from tests.training.factories import make_plan, log_session, check_in, top_of_range, today


def test_pages_render(client_for, world):
    plan = make_plan(world.patient)
    t = today()
    for i in range(40, 0, -1):
        d = t - dt.timedelta(days=i)
        check_in(world.patient, d, pain=2)
        if i % 2 == 0:
            log_session(
                world.patient,
                d,
                rpe=5,
                minutes=30 + i % 7,
                exercises=[
                    (plan["squat"], top_of_range(plan["squat"])),
                    (plan["plank"], top_of_range(plan["plank"], pain=6)),
                ],
            )
    db.session.commit()
    from rehab.training.services import after_logging

    after_logging(world.patient, today=t)
    db.session.commit()
    for role, url in [
        ("patient", "/training/check-in"),
        ("patient", "/training/history"),
        ("patient", "/training/today"),
        ("therapist", "/training/dashboard"),
        ("therapist", f"/training/patients/{world.patient.id}/progress"),
        ("therapist", f"/training/patients/{world.patient.id}/progress?weeks=52"),
        ("therapist", f"/patients/{world.patient.id}"),
    ]:
        r = client_for(role).get(url)
        assert r.status_code == 200, (url, r.text[-2000:])
        open(f"/tmp/page{url.replace('/', '_')}.html", "w").write(r.text)
