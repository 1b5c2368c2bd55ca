"""Schemathesis hooks for the hub's fuzzing run (scripts/api/fuzz.py): the dashboard's HTML and the
reports' CSV are read as text, so their answers are checked against the document's string schemas
(`HTMLDocument`, the CSV string) like the JSON ones, instead of being skipped."""
import re
import uuid

import schemathesis


@schemathesis.deserializer("text/html", "text/csv")
def as_text(ctx, response):
    return response.content.decode("utf-8")


UUID_SHAPE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


@schemathesis.hook
def before_call(context, case, kwargs):
    """Generated op ids are few (Hypothesis and the coverage phase favour the same simple UUIDs), and
    an id the hub has seen is answered `duplicate` without a look at the op: each well-formed id is
    made fresh before the request goes, so the ops reach validation and the merge. Ill-formed ids
    are left as generated."""
    if case.operation.path != "/v1/sync" or not isinstance(case.body, dict) or not isinstance(case.body.get("ops"), list):
        return
    for op in case.body["ops"]:
        if isinstance(op, dict) and isinstance(op.get("id"), str) and UUID_SHAPE.match(op["id"]):
            fresh = str(uuid.uuid4())
            op["id"] = fresh.upper() if op["id"].isupper() else fresh
