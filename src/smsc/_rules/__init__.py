"""The offline rules of a message: arguments checked before any request, no I/O, no ``async``.

- ``recipients``: phones, groups, sender, message id and text;
- ``segments`` and ``translit``: encodings, SMS parts, transliteration;
- ``schedule``: ``time``, ``tz``, ``valid``, ``period``, ``freq``;
- ``arguments``: timeouts, ``extra``, status keys;
- ``send_request``: the one builder of a validated send request (HTTP and SMTP).

The protocol's words stay in ``smsc._wire``; these modules speak the caller's terms.
"""
