"""The e-mail gateway: ``sender`` (``AsyncSMTPSender``), ``mail`` (the e-mail's two encodings
and its size limit) and ``session`` (one SMTP conversation and how its failures are quoted).

Loaded on first use: ``import smsc`` does not import this package.
"""
