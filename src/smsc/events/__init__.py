"""Events: what happens inside a client, as typed values given to your hooks.

```python
from smsc import AsyncSMSCClient
from smsc.events import FailedOver, RequestFailed

def alert(event):
    print(type(event).__name__, event.command, event)

client = AsyncSMSCClient(hooks=[print])          # every event
client.events.on(alert, RequestFailed, FailedOver)  # only these kinds
```

Hooks are plain functions called inline (keep them quick); one that raises is logged and
ignored. No event carries a phone number, a message text, a login, a password, an API key,
a message id or a callback signature. See the "Observability" guide.
"""

from ._bus import Events, Hook
from ._kinds import (
    AttemptEnded,
    AttemptStarted,
    CampaignPhase,
    CampaignProgressed,
    Event,
    FailedOver,
    FailureOutcome,
    LimiterRefused,
    LimiterWaited,
    Paused,
    PauseReason,
    RequestAnswered,
    RequestFailed,
    RequestStarted,
    Retrying,
)

__all__ = [
    "AttemptEnded",
    "AttemptStarted",
    "CampaignPhase",
    "CampaignProgressed",
    "Event",
    "Events",
    "FailedOver",
    "FailureOutcome",
    "Hook",
    "LimiterRefused",
    "LimiterWaited",
    "PauseReason",
    "Paused",
    "RequestAnswered",
    "RequestFailed",
    "RequestStarted",
    "Retrying",
]
