"""The SDK's result models (frozen pydantic) and the typed request of a send.

- ``messages``: sends, costs, statuses, balance, deletes, and ``SendRequest``;
- ``account``: Sender IDs, contacts, groups, templates, blacklist, sub-clients;
- ``reports``: sent history, received messages, statistics, prices, operators;
- ``jobs``: server-side mailings; ``callbacks``: parsed delivery-status callbacks.

The public names are re-exported from :mod:`smsc` (and :mod:`smsc.callbacks`).
"""
