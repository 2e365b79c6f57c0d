"""Systems that call hsreg's APIs (issue 14 point 2): OAuth 2.0 client credentials
(django-oauth-toolkit), SMART v2 system scopes, one unit per client."""
