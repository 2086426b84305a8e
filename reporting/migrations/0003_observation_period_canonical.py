"""Periods are stored as canonical ASCII labels only (2022, 2022-Q1, 2022-01).

Rows written before this rule with other digits (２０２２, ٢٠٢٢) are relabelled first. Where
the canonical label is already taken for the same indicator, the migration stops and names
the rows: which of two values is right is a person's decision, not a migration's.
"""

import re
import unicodedata

from django.db import migrations, models

CANONICAL = r"^[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$"


def _ascii(text):
    folded = unicodedata.normalize("NFKC", text)
    return "".join(
        str(unicodedata.decimal(c)) if not c.isascii() and unicodedata.decimal(c, None) is not None else c
        for c in folded
    ).strip()


def _canonical(label):
    text = _ascii(label)
    if match := re.fullmatch(r"([0-9]{4})", text):
        return match[1]
    if match := re.fullmatch(r"([0-9]{4})-?[Qq]([1-4])", text):
        return f"{match[1]}-Q{match[2]}"
    if (match := re.fullmatch(r"([0-9]{4})-([0-9]{1,2})", text)) and 1 <= int(match[2]) <= 12:
        return f"{match[1]}-{int(match[2]):02d}"
    return None


def relabel_periods(apps, schema_editor):
    Observation = apps.get_model("reporting", "Observation")
    clashes = []
    for observation in Observation.objects.exclude(period__regex=CANONICAL).iterator():
        label = _canonical(observation.period)
        taken = Observation.objects.filter(indicator_id=observation.indicator_id, period=label).exists()
        if label is None or taken:
            clashes.append(f"observation {observation.pk}: indicator {observation.indicator_id}, {observation.period!r}")
            continue
        Observation.objects.filter(pk=observation.pk).update(period=label)
    if clashes:
        raise RuntimeError(
            "These observations have a period that is not a canonical label and cannot be relabelled "
            "(no such period, or the indicator already has a row for it). Correct or remove them in the "
            "admin, then migrate again:\n" + "\n".join(clashes)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0002_historicaltargetassessment_targetassessment_and_more"),
    ]

    operations = [
        migrations.RunPython(relabel_periods, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="observation",
            constraint=models.CheckConstraint(
                condition=models.Q(("period__regex", CANONICAL)), name="observation_period_canonical"
            ),
        ),
    ]
