"""Login throttling on top of django-axes: an account and an address each have a limit.

django-axes counts failed logins per parameter (here the username and the client address) and
compares the largest count with one limit. One limit does not fit both: a city office reaches
the server from one NAT address, so an address must tolerate more failures than an account
before it locks everyone behind it out. This handler reports an address that passed its own,
higher limit as a full account-scale count, so axes' single comparison covers both.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def _failures(attempts: Any) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AccountAndAddressHandler(AxesDatabaseHandler):
    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        by_account, by_address = (_failures(attempts) for attempts in self.get_user_attempts(request, credentials))
        if by_address >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return max(by_account, settings.AXES_FAILURE_LIMIT)
        return by_account

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """A successful login clears the account's own failures only: clearing the address's
        too would let anyone with one valid account reset a guessing run from that address."""
        by_account = self.filter_user_attempts(request, credentials)[0]
        count, _ = by_account.delete()
        return count


def lockout_response(request: HttpRequest, original_response: HttpResponse | None, credentials: Any) -> HttpResponse:
    """The lockout page for the site and the admin login alike, in the page's language: 429 Too
    Many Requests, with how long the lock lasts."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
