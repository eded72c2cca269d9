"""Re-encrypting the secrets kept at rest under the current key (`peyvand secrets reseal`), after
`PEYVAND_SECRET_KEY` is set for the first time or changed (the earlier key in `PEYVAND_OLD_SECRET_KEYS`).

An operator's task across every workspace (the command line only): no workspace's data is read or shown,
only how many values were re-encrypted.
"""

from __future__ import annotations

from sqlalchemy import select

from peyvand.storage.db import Store
from peyvand.storage.sealed import secret_box
from peyvand.storage.tables_api import WebhookEndpoint
from peyvand.storage.tables_inbox import OutboundIntegration


def reseal_secrets(store: Store) -> int:
    """Seal every stored secret under the current key (plain ones too); returns how many were written."""
    box = secret_box(store)
    count = 0
    with store.transaction() as session:
        for endpoint in session.scalars(select(WebhookEndpoint)):
            endpoint.secret = box.reseal(endpoint.secret)
            count += 1
            if endpoint.verify_token is not None:
                endpoint.verify_token = box.reseal(endpoint.verify_token)
                count += 1
        for integration in session.scalars(select(OutboundIntegration)):
            integration.secret = box.reseal(integration.secret)
            integration.url = box.reseal(integration.url)
            count += 2
    return count
