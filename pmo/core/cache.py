"""A Redis cache that fails soft: when Redis is down or slow, pages still answer.

Nothing the application keeps in the cache is the only copy of anything (computed
tiles, rate counters, search suggestions), so a cache outage costs speed, not
correctness. Every operation here catches Redis's connection and timeout errors, logs
them (once a minute, not once a call) and behaves like an empty cache: reads return the
default, writes do nothing. With the short socket timeouts set in the settings a
stalled server costs a request at most a fraction of a second per call.
"""

from __future__ import annotations

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

OUTAGE = (RedisConnectionError, RedisTimeoutError, OSError)
LOG_EVERY_SECONDS = 60.0


class _Outage:
    """When the last failure was logged, so that an outage logs a line a minute."""

    last_logged = 0.0

    @classmethod
    def report(cls, operation: str, error: Exception) -> None:
        now = time.monotonic()
        if now - cls.last_logged >= LOG_EVERY_SECONDS:
            cls.last_logged = now
            log.warning("Cache unavailable (%s): %s; serving without it.", operation, error)


def _soft(fallback):
    """Run the cache operation; on a Redis outage log it and return ``fallback(args)``."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except OUTAGE as error:
                _Outage.report(method.__name__, error)
                return fallback(*args, **kwargs)

        return wrapper

    return decorate


def _default(key, default=None, *args, **kwargs):
    return default


def _nothing(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _empty(*args, **kwargs):
    return {}


def _unsaved(data, *args, **kwargs):
    return list(data)


def _missing_counter(key, *args, **kwargs):
    # incr()/decr() of a key that is not there raise ValueError, as with an empty cache.
    raise ValueError(f"Key '{key}' not found.")


class FailSoftRedisCache(RedisCache):
    """Django's Redis cache, behaving as an empty cache while Redis is unreachable."""

    get = _soft(_default)(RedisCache.get)
    set = _soft(_nothing)(RedisCache.set)
    add = _soft(_false)(RedisCache.add)
    touch = _soft(_false)(RedisCache.touch)
    delete = _soft(_false)(RedisCache.delete)
    has_key = _soft(_false)(RedisCache.has_key)
    incr = _soft(_missing_counter)(RedisCache.incr)
    get_many = _soft(_empty)(RedisCache.get_many)
    set_many = _soft(_unsaved)(RedisCache.set_many)
    delete_many = _soft(_nothing)(RedisCache.delete_many)
    clear = _soft(_false)(RedisCache.clear)
