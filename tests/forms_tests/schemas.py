"""Small ``spec``/``schema`` builders for the forms tests."""


def field(key, kind="short_text", label=None, **extra):
    spec = {"key": key, "type": kind, "label": {"sv": label or key.capitalize()}}
    spec.update(extra)
    return spec


def choices(*values):
    return {"choices": [{"value": v, "label": {"sv": v.capitalize()}} for v in values]}


def schema(*fields):
    return {"format": 1, "fields": list(fields)}
