"""Limits on repeated sign-in attempts and reset mails.

Counted in the cache, which production shares between all app servers (database or Redis), so a
limit holds however many processes serve the site. Keyed by the email address typed: behind a
proxy the client's IP address is not known reliably.
"""

import hashlib

from django.core.cache import cache


class Throttle:
    """At most ``limit`` hits per key within ``window`` seconds of the first hit."""

    def __init__(self, scope, limit, window):
        self.scope = scope
        self.limit = limit
        self.window = window

    def _key(self, value):
        digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()
        return f"forum:throttle:{self.scope}:{digest}"

    def is_blocked(self, value):
        return cache.get(self._key(value), 0) >= self.limit

    def hit(self, value):
        key = self._key(value)
        if cache.add(key, 1, self.window):
            return
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, self.window)

    def reset(self, value):
        cache.delete(self._key(value))


#: Five wrong passwords for one address, then a quarter of an hour's pause.
LOGIN_THROTTLE = Throttle("login", limit=5, window=15 * 60)
#: Three reset mails to one address an hour; more requests get the same answer but no mail.
PASSWORD_RESET_THROTTLE = Throttle("password-reset", limit=3, window=60 * 60)
