"""Security headers every response carries: a Content-Security-Policy and a Permissions-Policy.

The policies are settings (``CONTENT_SECURITY_POLICY``, ``PERMISSIONS_POLICY`` in
``rjadmin/settings.py``). The pages hold no inline script, no inline event handler and no inline
style: their scripts are static files (``static/js/``, ``<app>/static/<app>/``), data for them goes in
``json_script`` blocks, and htmx is told not to inject its indicator style (the ``htmx-config`` meta
tag in ``templates/base.html``). ``tests/core/test_security_headers.py`` checks every page.
"""

from django.conf import settings


class SecurityHeadersMiddleware:
    """Adds the two headers to every response that has not set its own."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = settings.CONTENT_SECURITY_POLICY
        self.permissions = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.csp and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.csp
        if self.permissions and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.permissions
        return response
