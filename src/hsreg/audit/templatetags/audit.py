"""``{{ event.target|target_in_words }}``: an audit row's target as audit.labels says it."""

from __future__ import annotations

from django import template

from hsreg.audit.labels import describe

register = template.Library()


@register.filter
def target_in_words(target: str) -> str:
    return describe(target)
