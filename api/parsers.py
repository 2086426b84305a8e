"""The API's JSON parser: DRF's, with the body bounded and hostile nesting refused as a 400."""

from __future__ import annotations

from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers, status
from rest_framework.utils import json


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("请求体过大：上限为%(limit)s字节。")
    default_code = "request_too_large"

    def __init__(self) -> None:
        super().__init__(self.default_detail % {"limit": f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,}"})


class BoundedJSONParser(parsers.JSONParser):
    """Reads at most DATA_UPLOAD_MAX_MEMORY_SIZE bytes (the limit Django applies to forms) and
    answers JSON nested deeper than Python can parse with a 400, not a RecursionError."""

    def parse(self, stream: IO[bytes] | None, media_type: str | None = None, parser_context: Any = None) -> Any:
        if stream is None:  # DRF reads a request without a body as {} and calls no parser: the same here
            return {}
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if limit is not None else stream.read()
        if limit is not None and len(raw) > limit:
            raise RequestTooLarge()
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = raw.decode(encoding)
            return json.loads(text) if self.strict else json.loads(text, parse_constant=None)
        except RecursionError:
            raise exceptions.ParseError(_("JSON嵌套层数过多，无法处理。")) from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise exceptions.ParseError(_("JSON格式错误：%(error)s") % {"error": exc}) from None
