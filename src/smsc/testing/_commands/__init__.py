"""The command handlers: one module per command of the service.

Each handler is a function ``handle(state, account, request) -> Answer``: it reads the
authenticated :class:`~smsc.testing.Account`, the decoded :class:`~.._request.Request` and the
:class:`~.._state.ServiceState`, and returns an answer of :mod:`.._answers`. Authentication,
the concurrency rule and the front ends are not their business (see :mod:`.._service`); the
route table (:mod:`.._routes`) says which path reaches which handler.
"""
