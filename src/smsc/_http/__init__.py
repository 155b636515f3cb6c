"""The HTTP side of the SDK: failover, sites, attempts, failures, bodies, pool, transports.

- ``failover``: the failover core (sites, sticky health, the retry loop that never repeats a
  send), shared by both ways in;
- ``transport``: ``FailoverTransport``, the httpx face of that core, and ``build_transport``;
- ``sites``: what the transport knows of its sites and reports about them (``SiteStats``,
  ``FailoverEvent``); ``attempts``: the helpers of one attempt (aim, judge, clamp, deadline);
- ``failures``: how a failed exchange reads (``NEVER_LEFT``, the one mapping onto errors);
- ``body``: answers read and decoded within bounds;
- ``pool``, ``backends``, ``aiohttp_transport``, ``warmup``: what sits under the failover
  layer (httpx's pool or aiohttp) and opening connections ahead of the first call.

Nothing here knows a command's name or the protocol's words (see ``smsc._wire``).
"""
