from django import template
from django.utils.html import format_html

from forms.text import localized as localized_text

register = template.Library()


@register.filter
def localized(texts, language):
    """A definition's text in ``language``, Swedish when there is none."""
    return localized_text(texts, language)


@register.simple_tag
def bound_field(form, path):
    return form[path]


@register.simple_tag
def problem_for(form, slot):
    """A draft value kept as typed because it did not validate yet, with its errors."""
    return form.problems.get(slot.id_path)


@register.simple_tag
def show_if_attrs(slot):
    """Data attributes the browser script reads to mirror a show-if condition."""
    condition = slot.spec.get("show_if")
    if not condition:
        return ""
    target = slot.condition_target
    value = condition.get("value")
    values = value if isinstance(value, list) else [value]
    return format_html(
        ' data-show-if="{}" data-show-if-op="{}" data-show-if-values="{}"',
        target,
        condition["op"],
        "|".join(str(item) for item in values if item not in (None, "")),
    )


@register.simple_tag
def described_widget(field, problem=None):
    """Render a field's widget tied to its errors (or kept-as-typed problem) and help text."""
    described_by = []
    if field.errors:
        described_by.append(f"{field.auto_id}_errors")
    if problem:
        described_by.append(f"{field.auto_id}_problem")
    if field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    attrs = {}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors or problem:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)
