"""Rehab's calculations: plain functions and dataclasses, no Flask, no database.

Every formula is written once here, cites its source in its docstring and has a worked
example in ``tests/progress``. Modules:

- ``reasons``     -- ``Reason``: a machine-readable code plus the numbers behind a verdict.
- ``load``        -- session-RPE load, daily/weekly load, monotony and strain, load spikes.
- ``acwr``        -- acute:chronic workload ratio (coupled, uncoupled, EWMA); descriptive only.
- ``volume``      -- volume load (sets × reps × kg) and time under tension for holds.
- ``adherence``   -- sessions and exercises done versus prescribed.
- ``pain``        -- the pain-monitoring traffic light (Silbernagel 2007) and its baseline.
- ``dose``        -- ``Dose``/``Rule``/``LoggedExercise`` and effort on RPE or RIR.
- ``dose_changes`` -- a load raised by the equipment's step, a dose cut 10–20 % on red.
- ``progression`` -- the progression ``suggest()``: progress, hold or regress.
- ``criteria``    -- phase exit criteria evaluated against values the caller gathers.
- ``assessment``  -- movement-analysis ratios, reference checks, PROM scoring, MCID/SDC.
"""
