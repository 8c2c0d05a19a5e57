"""Counting requests in Django's cache (Redis whenever REDIS_URL is set, so every process
shares the counts): how the public response form and the password-reset form refuse a
client, or an address, that asks too often."""

from django.core.cache import cache


def over_limit(key: str, *, limit: int, seconds: int) -> bool:
    """Count one more request under `key`; True once there have been more than `limit` in a
    fixed window of `seconds` from the first."""
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.set(key, 1, timeout=seconds)
        count = 1
    return count > limit
