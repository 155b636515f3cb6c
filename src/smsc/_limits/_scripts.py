"""The Lua scripts of the Redis limiter: each one runs atomically on the server.

Every script reads the time from the server (``TIME``), so the workers' clocks never matter.
Keys of one login share the ``{login}`` hash tag, so they live on one Redis Cluster slot; the
grant lists (``{prefix}:{login}:grant:<ticket>``), the ``want`` hash and the queued tickets'
windows are named inside the scripts and carry the same tag.

How a slot travels: ``ADMIT`` takes a free slot for its ticket or queues it (FIFO by a
sequence number). Whoever frees a slot (``RELEASE``, an ``ADMIT`` carrying releases, a lease
or a vanished waiter swept away) hands it at once to the head of the queue: the queued
ticket's window rules (left in the ``want`` hash when it queued) are counted, the ticket moves
into the slots with a full lease, and one token is pushed on its grant list, on which its
waiter blocks (``BLPOP``): ``1`` (go: slot held, request counted) or ``2:i:ms`` (window i is
full; the ticket left the queue and the slot went to the next one).
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
-- A queued ticket's windows (KEYS-style names, limits, lengths) wait in the `want` hash, so
-- the hand-over counts them itself and the woken waiter sends at once: token '1' (slot held,
-- request counted) or '2:i:ms' (window i is full for ms more; the ticket left the queue).
local function count_for(ticket, packed)
  local w = cjson.decode(packed)
  for i = 1, #w, 3 do
    redis.call('ZREMRANGEBYSCORE', w[i], '-inf', now - w[i + 2])
    local member = ticket .. ':' .. ((i - 1) / 3)
    if not redis.call('ZSCORE', w[i], member) and redis.call('ZCARD', w[i]) >= w[i + 1] then
      local oldest = redis.call('ZRANGE', w[i], 0, 0, 'WITHSCORES')
      return '2:' .. ((i - 1) / 3) .. ':' .. math.max(tonumber(oldest[2]) + w[i + 2] - now, 0)
    end
  end
  for i = 1, #w, 3 do
    redis.call('ZADD', w[i], now, ticket .. ':' .. ((i - 1) / 3))
    keep(w[i], w[i + 2])
  end
  return '1'
end
local function hand_over(slots, queue, waiters, capacity, lease, base, me)
  local free = capacity - redis.call('ZCARD', slots)
  local want = base .. 'want'
  while free > 0 do
    local head = redis.call('ZRANGE', queue, 0, 0)[1]
    if not head then break end
    redis.call('ZREM', queue, head)
    redis.call('ZREM', waiters, head)
    local token = '1'
    if head ~= me then
      local packed = redis.call('HGET', want, head)
      redis.call('HDEL', want, head)
      if packed then token = count_for(head, packed) end
    end
    if token == '1' then
      redis.call('ZADD', slots, now + lease, head)
      free = free - 1
    end
    if head ~= me then
      local list = base .. 'grant:' .. head
      redis.call('RPUSH', list, token)
      redis.call('PEXPIRE', list, lease)
    end
  end
  keep(slots, lease)
end
local function give_back(slots, queue, waiters, base, ticket)
  redis.call('ZREM', slots, ticket)
  redis.call('ZREM', queue, ticket)
  redis.call('ZREM', waiters, ticket)
  redis.call('HDEL', base .. 'want', ticket)
  redis.call('DEL', base .. 'grant:' .. ticket)
end
"""

ADMIT = (
    _NOW
    + _KEEP
    + _HANDOVER
    + """
-- KEYS: slots (holder -> lease end), queue (ticket -> number), waiters (ticket -> alive
--       until), seq, then one window per counted rule (member -> time).
-- ARGV: ticket, capacity, lease ms, waiter ms, key prefix ('{prefix}:{login}:'), n released,
--       released tickets..., then per window: limit, window ms.
-- Returns {0} when the ticket holds a slot and every window counted it, {1, ahead} when it
-- waits with `ahead` tickets before it, {2, i, ms} when window i (from 0) is full for ms more
-- (then the ticket holds nothing and counted nothing).
local slots, queue, waiters, seq = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local ticket, capacity = ARGV[1], tonumber(ARGV[2])
local lease, alive, base = tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local released = tonumber(ARGV[6])
for i = 7, 6 + released do give_back(slots, queue, waiters, base, ARGV[i]) end
local first = 7 + released
sweep(slots, queue, waiters)
if not redis.call('ZSCORE', slots, ticket) then
  if not redis.call('ZSCORE', queue, ticket) then
    redis.call('ZADD', queue, redis.call('INCR', seq), ticket)
  end
  keep(seq, alive)
  hand_over(slots, queue, waiters, capacity, lease, base, ticket)
  if not redis.call('ZSCORE', slots, ticket) then
    redis.call('ZADD', waiters, now + alive, ticket)
    local packed = {}
    for i = 5, #KEYS do
      local at = first + (i - 5) * 2
      table.insert(packed, KEYS[i])
      table.insert(packed, tonumber(ARGV[at]))
      table.insert(packed, tonumber(ARGV[at + 1]))
    end
    local want = base .. 'want'
    if #packed > 0 then redis.call('HSET', want, ticket, cjson.encode(packed)) end
    keep(want, alive)
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
      give_back(slots, queue, waiters, base, ticket)
      hand_over(slots, queue, waiters, capacity, lease, base, '')
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
-- KEYS: slots, queue, waiters. ARGV: capacity, lease ms, key prefix, tickets...
-- Gives the tickets' slots back (or takes them out of the queue) and hands the freed slots on.
local slots, queue, waiters = KEYS[1], KEYS[2], KEYS[3]
local capacity, lease, base = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
for i = 4, #ARGV do give_back(slots, queue, waiters, base, ARGV[i]) end
sweep(slots, queue, waiters)
hand_over(slots, queue, waiters, capacity, lease, base, '')
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
