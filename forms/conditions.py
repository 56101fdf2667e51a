"""Show-if conditions: whether a field is shown, given the answers above it.

Evaluated on the server for every save; the browser's script only mirrors them. A condition
refers to a field above it (the definition rules see to that), so evaluating fields in document
order, with hidden fields' values already dropped, also hides fields that depend on hidden ones.
"""


def _is_empty(value):
    return value in (None, "", [], {})


def _as_strings(value):
    if isinstance(value, dict) and "value" in value:  # a source choice stores value and label
        value = value["value"]
    if isinstance(value, list):
        return {str(item) for item in value}
    return {str(value)} if not _is_empty(value) else set()


def condition_met(condition, scope):
    """True when ``condition`` holds for the answers in ``scope`` (``{key: value}``)."""
    if not condition:
        return True
    value = scope.get(condition["field"])
    operator = condition["op"]
    if operator == "not_empty":
        return not _is_empty(value)
    expected = condition.get("value")
    expected = {str(item) for item in expected} if isinstance(expected, list) else {str(expected)}
    given = _as_strings(value)
    if operator == "equals":
        return bool(given) and given >= expected if isinstance(value, list) else given == expected
    if operator == "one_of":
        return bool(given & expected)
    return False
