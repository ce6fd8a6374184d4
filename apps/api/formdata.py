"""JSON bodies validated by the web pages' own forms, so every rule has one home.

The API's schemas say only what shape a body has; what a value may be (lengths, choices, whose
id it is, dates in the future…) is decided by the same Django form the page uses."""

from django.utils.datastructures import MultiValueDict


def _as_form_value(value):
    if isinstance(value, bool):
        return value
    if value is None:
        return ""
    return value


def bind(form_class, fields: dict, *, defaults: dict | None = None, **kwargs):
    """`form_class` bound to `fields` (API names already mapped to the form's), unset fields
    taken from `defaults` or else the form's initial values, exactly as a page would post."""
    unbound = form_class(**kwargs)
    data = {}
    for name, field in unbound.fields.items():
        if defaults is not None and name in defaults:
            data[name] = defaults[name]
        else:
            initial = unbound.get_initial_for_field(field, name)
            # No initial value: left out, as a browser leaves out an empty list or checkbox.
            if initial is not None:
                data[name] = initial
    data.update(fields)
    multi = MultiValueDict()
    for name, value in data.items():
        if isinstance(value, list | tuple):
            multi.setlist(name, [_as_form_value(item) for item in value])
        else:
            multi[name] = _as_form_value(value)
    return form_class(multi, **kwargs)


def current_values(form) -> dict:
    """What an unbound form for an existing row would post: the starting point of a PATCH."""
    values = {}
    for name in form.fields:
        value = form[name].value()
        values[name] = "" if value is None else value
    return values
