"""The OpenAPI schema says every answer an operation can give, errors included.

drf-spectacular documents the success of each operation. ``document_errors`` (a postprocessing hook,
``SPECTACULAR_SETTINGS``) adds the refusals every operation shares:

- 400 where the request carries something to refuse: a body, or query parameters (a bad filter,
  ``limit`` or ``offset``);
- 401 (a wrong token, a session signed out after the idle timeout) and 403 (not signed in, a sign-in
  step still due, or a role that may not do this) everywhere;
- 404 where the path names a record: a record outside the user's scope is not found, the same
  answer as one that does not exist.

``tests/core/test_api_fuzz.py`` holds the schema to the answers, for every role.
"""

ERROR = {
    "type": "object",
    "description": "Why the request was refused: `detail`, or a list of messages under each field's name.",
    "properties": {"detail": {"type": "string"}},
    # Each field: a list of messages, or for a list of lines, the messages of each line by its index.
    "additionalProperties": {},
}

REFUSALS = {
    "400": "Refused: the reasons are under each field's name (or `non_field_errors`); nothing was changed.",
    "401": "The token is wrong, or the session ended (signed out after the idle timeout).",
    "403": "Not signed in, a sign-in step (second factor, new password) is still due, or your role may not do this.",
    "404": "No such record within what you may see (one outside your scope answers the same).",
}


def _response(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def document_errors(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete", "head", "options"}:
                continue
            responses = operation.setdefault("responses", {})
            parameters = operation.get("parameters", [])
            codes = ["401", "403"]
            if "requestBody" in operation or any(p.get("in") == "query" for p in parameters):
                codes.append("400")
            if "{" in path:
                codes.append("404")
            for code in codes:
                responses.setdefault(code, _response(REFUSALS[code]))
    return result
