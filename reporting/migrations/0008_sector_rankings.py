import hashlib
import math
from collections import Counter

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Max

# reporting.statuses.WORST_FIRST as it stands here
WORST_FIRST = {code: rank for rank, code in enumerate(
    ["missed", "deteriorating", "off_track", "needs_acceleration", "no_data", "manual", "on_track", "achieved"]
)}  # fmt: skip


def stored(position, standing):
    status, value, period, progress = standing
    return [position, status, json_number(value), period, json_number(progress)]


def json_number(number):
    return number if number is None or math.isfinite(number) else repr(number)


def rank_existing(apps, schema_editor):
    """The rankings of the snapshots already stored (reporting.sector_rankings, its plan data and
    `sector_rankings_refresh`, written against the historical models)."""
    Target = apps.get_model("targets", "Target")
    ProgressSnapshot = apps.get_model("reporting", "ProgressSnapshot")
    SectorRanking = apps.get_model("reporting", "SectorRanking")
    last = ProgressSnapshot.objects.values("target_id").annotate(last=Max("id")).values("last")
    current = {
        pk: (status, value, period, progress)
        for pk, status, value, period, progress in ProgressSnapshot.objects.filter(id__in=last).values_list(
            "target_id", "status", "latest_value", "latest_period", "progress_pct"
        )
    }
    by_sector = {}
    targets = Target.objects.order_by(
        "indicator__sector_id", "indicator__code", "plan__city__code", "target_year", "position"
    ).values_list("pk", "indicator__sector_id", "indicator__code", "target_year", "plan__city_id")
    for pk, sector_id, code, year, city_id in targets:
        by_sector.setdefault(sector_id, {}).setdefault(code, []).append((pk, year, city_id))
    rows = []
    for sector_id, by_code in by_sector.items():
        few = len({city for code_rows in by_code.values() for _pk, _year, city in code_rows}) <= 6
        for code, code_rows in by_code.items():
            year = min(row[1] for row in code_rows)
            first = {}
            for pk, target_year, city_id in code_rows:
                if target_year == year and city_id not in first:
                    first[city_id] = pk
            if few and len(first) < 2:
                continue
            pks = list(first.values())
            standings = [current.get(pk, ("no_data", None, "", None)) for pk in pks]

            def key(i, standings=standings):
                status, _value, _period, progress = standings[i]
                finite = progress is not None and math.isfinite(progress)
                return (-WORST_FIRST.get(status, 0), -progress if finite else math.inf)

            order = sorted(range(len(pks)), key=key)
            reported = [i for i in order if standings[i][1] is not None]
            leading = reported[: min(3, math.ceil(len(reported) / 2))]
            lagging = list(reversed(reported[len(leading) :][-3:]))
            rows.append(
                SectorRanking(
                    sector_id=sector_id, code=code,
                    headlines=hashlib.blake2b(",".join(map(str, pks)).encode(), digest_size=16).hexdigest(),
                    counts=dict(Counter(standing[0] for standing in standings)), best=order[0],
                    leading=[stored(i, standings[i]) for i in leading],
                    lagging=[stored(i, standings[i]) for i in lagging],
                    not_reported=[i for i, standing in enumerate(standings) if standing[1] is None],
                )
            )  # fmt: skip
    SectorRanking.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0007_city_status_counts"),
        ("targets", "0006_merge_reporting_cycle"),
    ]

    operations = [
        migrations.CreateModel(
            name="SectorRanking",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(max_length=80, verbose_name="指标代码")),
                ("headlines", models.CharField(max_length=32, verbose_name="排名目标")),
                ("counts", models.JSONField(verbose_name="各状态城市数")),
                ("best", models.PositiveIntegerField(verbose_name="排名第一")),
                ("leading", models.JSONField(verbose_name="领先")),
                ("lagging", models.JSONField(verbose_name="落后")),
                ("not_reported", models.JSONField(verbose_name="尚未报送")),
                ("sector", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                             to="targets.sector", verbose_name="领域")),
            ],
            options={
                "verbose_name": "领域指标排名",
                "verbose_name_plural": "领域指标排名",
                "constraints": [
                    models.UniqueConstraint(fields=("sector", "code"), name="one_ranking_per_sector_indicator")
                ],
            },
        ),
        migrations.RunPython(rank_existing, migrations.RunPython.noop),
    ]
