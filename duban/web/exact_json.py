"""Django's JSON serialisation with times to the microsecond, for portable backups.

Django's own JSON encoder cuts times to milliseconds (as JavaScript reads them); a backup
restored from that would not be the database it came from (audit events are ordered by
their time). Registered as the format "dubanjson" by duban.web.backup."""

import datetime

from django.core.serializers import json as django_json
from django.core.serializers.json import DjangoJSONEncoder


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            if isinstance(o, datetime.time) and o.utcoffset() is not None:
                raise ValueError("JSON can't represent timezone-aware times.")
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self):
        self.options["cls"] = ExactEncoder
        super()._init_options()


Deserializer = django_json.Deserializer
