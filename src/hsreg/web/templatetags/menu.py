"""``{% may_open "reports:coverage" as shown %}``: whether the top bar shows a link, by the same
rule the page itself applies (accounts.access.ACCESS), so the menu offers every page a role may
open (issue 12: the exports and the NPR upload were reachable only by typing their address)
and nothing the page would refuse."""

from __future__ import annotations

from typing import Any

from django import template

from hsreg.accounts.access import ONE_FACTOR, PUBLIC, SIGNED_IN, allowed, rule_for

register = template.Library()


@register.simple_tag(takes_context=True)
def may_open(context: Any, view_name: str) -> bool:
    """True when the current user, with both factors given, may open the page ``view_name``
    at their current unit."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return False
    rule = rule_for(view_name)
    if rule is None:
        return False
    if rule in (PUBLIC, ONE_FACTOR, SIGNED_IN):
        return True
    actor = getattr(request, "actor", None)
    return allowed(rule, getattr(actor, "role", None))
