"""Demo accounts, one per role, for a first look at a local installation. Here rather than in
accounts because the staff accounts are placed in bureaus, which this app owns."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import User
from accounts.roles import ADMIN, BUREAU_STAFF, LEADER
from targets.models import Bureau


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    bureau: str = ""
    city: str = ""


# Bureau staff: one account for every bureau that reports a quantified indicator (see
# fixtures/cities/), plus a second account in each city's coordinating bureau, because nobody
# may approve their own entry.
DEMO_STAFF = [
    ("demo-zibo-ndrc", "zibo", "市发展改革委"),
    ("demo-zibo-review", "zibo", "市发展改革委"),
    ("demo-zibo-eco", "zibo", "市生态环境局"),
    ("demo-zibo-industry", "zibo", "市工业和信息化局"),
    ("demo-zibo-housing", "zibo", "市住房城乡建设局"),
    ("demo-zibo-transport", "zibo", "市交通运输局"),
    ("demo-zibo-urban", "zibo", "市城市管理局"),
    ("demo-heze-ndrc", "heze", "市发展改革委"),
    ("demo-heze-review", "heze", "市发展改革委"),
    ("demo-heze-housing", "heze", "市住房城乡建设局"),
    ("demo-heze-transport", "heze", "市交通运输局"),
    ("demo-heze-agri", "heze", "市农业农村局"),
    ("demo-heze-urban", "heze", "市城管局"),
    ("demo-heze-forestry", "heze", "市林业局"),
    ("demo-weihai-eco", "weihai", "市生态环境局"),
    ("demo-weihai-review", "weihai", "市生态环境局"),
    ("demo-weihai-ndrc", "weihai", "市发展改革委"),
    ("demo-weihai-transport", "weihai", "市交通运输局"),
]


@transaction.atomic
def demo_accounts_create() -> list[DemoAccount]:
    """Create (or reset the password of) the demo accounts. Bureau accounts are made only for
    bureaus that exist, so run it after the plans are loaded."""
    accounts = [
        DemoAccount("demo-admin", "demo-admin-pass", ADMIN),
        DemoAccount("demo-leader", "demo-leader-pass", LEADER),
    ]
    for username, city_code, name in DEMO_STAFF:
        bureau = Bureau.objects.filter(city__code=city_code, name=name).select_related("city").first()
        if bureau:
            accounts.append(DemoAccount(username, "demo-staff-pass", BUREAU_STAFF, bureau.name, bureau.city.name))
    for account in accounts:
        bureau = Bureau.objects.filter(city__name=account.city, name=account.bureau).first() if account.bureau else None
        user, _ = User.objects.get_or_create(username=account.username)
        user.set_password(account.password)
        user.bureau = bureau
        user.is_staff = account.role == ADMIN
        user.save()
        user.groups.set([Group.objects.get(name=account.role)])
    return accounts
