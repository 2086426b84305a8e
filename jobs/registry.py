"""What each kind of job does, registered by the app that owns the work.

reporting registers the observation import and documents (the app) the PDF and exports, each in its
AppConfig.ready(); this app calls them by kind and so never imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol


class Progress(Protocol):
    def __call__(self, done: int, total: int, stage: str = "") -> None: ...


@dataclass
class JobResult:
    """What a finished job hands back: a message for the user, data for its page, a file."""

    message: str = ""
    outcome: dict[str, Any] = field(default_factory=dict)
    content: bytes | None = None
    file_name: str = ""
    content_type: str = ""
    total: int = 0  # units of work done in all (rows imported); 0: as last reported


class JobFailed(Exception):
    """The work could not be done for a reason the user should read (bad rows, a missing city)."""

    def __init__(self, message: str, outcome: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.outcome = outcome or {}


@dataclass(frozen=True)
class JobKind:
    # run(job, progress) -> JobResult, or raise JobFailed
    run: Callable[[Any, Progress], JobResult]
    # who may see the job's page and download its result besides its owner's own check:
    # the same rule as the page the work came from
    can_view: Callable[[Any, dict[str, Any]], bool]
    # the page heading, from the job's parameters (in the active language)
    title: Callable[[dict[str, Any]], str]
    # an ASCII file name for the download, from the job's parameters, where the file's own
    # name is not ASCII (a Chinese title): sent beside it for clients that cannot read UTF-8 names
    ascii_name: Callable[[dict[str, Any]], str] | None = None


KINDS: dict[str, JobKind] = {}


def job_kind_register(name: str, kind: JobKind) -> None:
    KINDS[name] = kind


def job_kind(name: str) -> JobKind:
    return KINDS[name]
