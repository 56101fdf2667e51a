"""Limits on repeated sign-in attempts and reset mails.

Counted in the cache, which production shares between all app servers (database or Redis), so a
limit holds however many processes serve the site. Keyed by the email address typed: behind a
proxy the client's IP address is not known reliably.

Each entry stores its count with the end of its window and is always written with the time left
in that window: some cache backends (the database cache among them) would otherwise give an
incremented key the default timeout. Two simultaneous failures may count once; a limit on
guessing does not need more.
"""

import hashlib
import time

from django.core.cache import cache


class Throttle:
    """At most ``limit`` hits per key within ``window`` seconds of the first hit."""

    def __init__(self, scope, limit, window, clock=time.time):
        self.scope = scope
        self.limit = limit
        self.window = window
        self.clock = clock

    def _key(self, value):
        digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()
        return f"forum:throttle:{self.scope}:{digest}"

    def _current(self, value):
        count, ends = cache.get(self._key(value), (0, 0))
        return (count, ends) if ends > self.clock() else (0, 0)

    def is_blocked(self, value):
        return self._current(value)[0] >= self.limit

    def hit(self, value):
        count, ends = self._current(value)
        now = self.clock()
        if not count:
            ends = now + self.window
        cache.set(self._key(value), (count + 1, ends), timeout=max(1, round(ends - now)))

    def reset(self, value):
        cache.delete(self._key(value))


#: Five wrong passwords for one address, then a quarter of an hour's pause.
LOGIN_THROTTLE = Throttle("login", limit=5, window=15 * 60)
#: Three reset mails to one address an hour; more requests get the same answer but no mail.
PASSWORD_RESET_THROTTLE = Throttle("password-reset", limit=3, window=60 * 60)
