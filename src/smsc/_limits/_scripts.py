"""The Lua scripts of the Redis limiter: each one runs atomically on the server.

Every script reads the time from the server (``TIME``), so the workers' clocks never matter.
Keys of one login share the ``{login}`` hash tag, so they live on one Redis Cluster slot.
"""

from __future__ import annotations

_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
"""

# Raise a key's expiry to at least ms (never lower it: other workers may use longer ones).
_KEEP = """
local function keep(key, ms)
  if redis.call('PTTL', key) < ms then redis.call('PEXPIRE', key, ms) end
end
"""

ACQUIRE = (
    _NOW
    + _KEEP
    + """
-- KEYS: slots (holder -> lease end), queue (ticket -> number), waiters (ticket -> alive until),
--       seq. ARGV: ticket, capacity, lease ms, waiter ms.
-- Returns -1 when the ticket now holds a slot, else how many tickets must go before it.
local slots, queue, waiters, seq = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local ticket, capacity = ARGV[1], tonumber(ARGV[2])
local lease, alive = tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', slots, '-inf', now)
for _, gone in ipairs(redis.call('ZRANGEBYSCORE', waiters, '-inf', now)) do
  redis.call('ZREM', queue, gone)
  redis.call('ZREM', waiters, gone)
end
if not redis.call('ZSCORE', queue, ticket) then
  redis.call('ZADD', queue, redis.call('INCR', seq), ticket)
end
local free = capacity - redis.call('ZCARD', slots)
local rank = redis.call('ZRANK', queue, ticket)
if rank < free then
  redis.call('ZREM', queue, ticket)
  redis.call('ZREM', waiters, ticket)
  redis.call('ZADD', slots, now + lease, ticket)
  keep(slots, lease)
  return -1
end
redis.call('ZADD', waiters, now + alive, ticket)
keep(queue, alive)
keep(waiters, alive)
keep(seq, alive)
return rank - math.max(free, 0)
"""
)

RENEW = (
    _NOW
    + _KEEP
    + """
-- KEYS: slots. ARGV: lease ms, tickets... Returns the tickets whose lease had already ended.
local slots, lease = KEYS[1], tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', slots, '-inf', now)
local lost = {}
for i = 2, #ARGV do
  if redis.call('ZSCORE', slots, ARGV[i]) then
    redis.call('ZADD', slots, now + lease, ARGV[i])
  else
    table.insert(lost, ARGV[i])
  end
end
keep(slots, lease)
return lost
"""
)

FORGET = """
-- KEYS: slots, queue, waiters. ARGV: ticket. Leaves the queue or gives the slot back.
for i = 1, 3 do redis.call('ZREM', KEYS[i], ARGV[1]) end
return 0
"""

HIT = (
    _NOW
    + """
-- KEYS: the rule's window for one key (token -> time). ARGV: limit, window ms, token.
-- Returns -1 when counted, else the ms until the oldest counted request leaves the window.
local key, limit, window = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) < limit then
  redis.call('ZADD', key, now, ARGV[3])
  redis.call('PEXPIRE', key, window)
  return -1
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
return math.max(tonumber(oldest[2]) + window - now, 0)
"""
)
