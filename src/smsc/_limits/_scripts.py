"""The Lua scripts of the Redis limiter: each one runs atomically on the server.

Every script reads the time from the server (``TIME``), so the workers' clocks never matter.
Keys of one login share the ``{login}`` hash tag, so they live on one Redis Cluster slot; the
grant lists (``{prefix}:{login}:grant:<ticket>``) are named inside the scripts and carry the
same tag.

How a slot travels: ``ADMIT`` takes a free slot for its ticket or queues it (FIFO by a
sequence number). Whoever frees a slot (``RELEASE``, an ``ADMIT`` carrying releases, a lease
or a vanished waiter swept away) hands it at once to the head of the queue: the ticket moves
into the slots with a short lease and one token is pushed on its grant list, on which its
waiter blocks (``BLPOP``). The waiter then confirms with ``ADMIT``, which lengthens the lease
and counts the request against its window rules in the same script.
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

# Drop ended leases and the tickets of waiters that stopped checking in; then hand every free
# slot to the head of the queue (skipping `me`, the caller, who learns it from the reply).
_HANDOVER = """
local function sweep(slots, queue, waiters)
  redis.call('ZREMRANGEBYSCORE', slots, '-inf', now)
  for _, gone in ipairs(redis.call('ZRANGEBYSCORE', waiters, '-inf', now)) do
    redis.call('ZREM', queue, gone)
    redis.call('ZREM', waiters, gone)
  end
end
local function hand_over(slots, queue, waiters, capacity, grant_ms, grants, me)
  local free = capacity - redis.call('ZCARD', slots)
  if free <= 0 then return end
  for _, next in ipairs(redis.call('ZRANGE', queue, 0, free - 1)) do
    redis.call('ZREM', queue, next)
    redis.call('ZREM', waiters, next)
    redis.call('ZADD', slots, now + grant_ms, next)
    if next ~= me then
      local list = grants .. next
      redis.call('RPUSH', list, '1')
      redis.call('PEXPIRE', list, grant_ms)
    end
  end
  keep(slots, grant_ms)
end
local function give_back(slots, queue, waiters, grants, ticket)
  redis.call('ZREM', slots, ticket)
  redis.call('ZREM', queue, ticket)
  redis.call('ZREM', waiters, ticket)
  redis.call('DEL', grants .. ticket)
end
"""

ADMIT = (
    _NOW
    + _KEEP
    + _HANDOVER
    + """
-- KEYS: slots (holder -> lease end), queue (ticket -> number), waiters (ticket -> alive
--       until), seq, then one window per counted rule (member -> time).
-- ARGV: ticket, capacity, lease ms, waiter ms, grant prefix, n released, released tickets...,
--       then per window: limit, window ms.
-- Returns {0} when the ticket holds a slot and every window counted it, {1, ahead} when it
-- waits with `ahead` tickets before it, {2, i, ms} when window i (from 0) is full for ms more
-- (then the ticket holds nothing and counted nothing).
local slots, queue, waiters, seq = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local ticket, capacity = ARGV[1], tonumber(ARGV[2])
local lease, alive, grants = tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local released = tonumber(ARGV[6])
for i = 7, 6 + released do give_back(slots, queue, waiters, grants, ARGV[i]) end
local first = 7 + released
sweep(slots, queue, waiters)
if not redis.call('ZSCORE', slots, ticket) then
  if not redis.call('ZSCORE', queue, ticket) then
    redis.call('ZADD', queue, redis.call('INCR', seq), ticket)
  end
  keep(seq, alive)
  hand_over(slots, queue, waiters, capacity, alive, grants, ticket)
  if not redis.call('ZSCORE', slots, ticket) then
    redis.call('ZADD', waiters, now + alive, ticket)
    keep(queue, alive)
    keep(waiters, alive)
    return {1, redis.call('ZRANK', queue, ticket)}
  end
end
-- The ticket holds a slot: count it against each window, all or none. A member already
-- there was counted by an earlier run of this ticket whose reply was lost.
local added = {}
for i = 5, #KEYS do
  local key = KEYS[i]
  local at = first + (i - 5) * 2
  local limit, window = tonumber(ARGV[at]), tonumber(ARGV[at + 1])
  local member = ticket .. ':' .. (i - 5)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  if not redis.call('ZSCORE', key, member) then
    if redis.call('ZCARD', key) >= limit then
      for _, undo in ipairs(added) do redis.call('ZREM', undo[1], undo[2]) end
      give_back(slots, queue, waiters, grants, ticket)
      hand_over(slots, queue, waiters, capacity, alive, grants, '')
      local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
      return {2, i - 5, math.max(tonumber(oldest[2]) + window - now, 0)}
    end
    redis.call('ZADD', key, now, member)
    table.insert(added, {key, member})
  end
  keep(key, window)
end
redis.call('ZADD', slots, now + lease, ticket)
keep(slots, lease)
return {0}
"""
)

RELEASE = (
    _NOW
    + _KEEP
    + _HANDOVER
    + """
-- KEYS: slots, queue, waiters. ARGV: capacity, waiter ms, grant prefix, tickets...
-- Gives the tickets' slots back (or takes them out of the queue) and hands the freed slots on.
local slots, queue, waiters = KEYS[1], KEYS[2], KEYS[3]
local capacity, alive, grants = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
for i = 4, #ARGV do give_back(slots, queue, waiters, grants, ARGV[i]) end
sweep(slots, queue, waiters)
hand_over(slots, queue, waiters, capacity, alive, grants, '')
return 0
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
