/**
 * A redelivery requested while an attempt of the same delivery is in flight is not lost: the attempt's
 * result, recorded after, must not mark the delivery done over the redelivery (found by the full suite under
 * load: the receiver had answered, the attempt was not yet recorded, the redelivery was overwritten).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createUser, scimDirectory, type ScimDirectory } from '../support/scim.js';
import { startReceiver, waitFor, type Receiver } from '../support/webhook-receiver.js';

for (const dialect of dialects) {
  describe(`redelivery during an attempt (${dialect})`, () => {
    let server: TestServer;
    let rx: Receiver;
    let d: ScimDirectory;
    before(async () => {
      rx = await startReceiver();
      server = await startTestServer(dialect, { GATEHOUSE_WEBHOOK_POLL_MS: '20' });
      d = await scimDirectory(server);
    });
    after(async () => {
      await server.close();
      await rx.close();
    });

    for (const how of ['delivery', 'event'] as const) {
      it(`a redelivery by ${how} requested while the first attempt is in flight is sent again`, async () => {
        const hook = (await d.admin.call('POST', '/webhooks', { url: rx.url, organizationId: d.orgId, events: ['user.created'] })).body;
        const before = rx.received.length;
        rx.delayMs = 400;
        await createUser(d.scim, `race-${how}@example.com`);
        await waitFor('the first attempt in flight', () => rx.received.length === before + 1);
        const eventId = rx.received[before]!.eventId;
        const delivery = (await d.admin.call('GET', `/webhooks/${hook.id}/deliveries`)).body.data[0];
        const again = how === 'delivery'
          ? await d.admin.call('POST', `/webhooks/${hook.id}/deliveries/${delivery.id}/redeliver`)
          : await d.admin.call('POST', `/webhooks/${hook.id}/redeliver`, { eventId });
        assert.equal(again.status, 202, again.text);
        rx.delayMs = 0;
        await waitFor('the redelivery', () => rx.received.slice(before).filter((r) => r.eventId === eventId && r.status === 200).length >= 2, 10_000);
        await waitFor('the delivery done', async () => (await d.admin.call('GET', `/webhooks/${hook.id}/deliveries/${delivery.id}`)).body.state === 'delivered');
        await d.admin.call('DELETE', `/webhooks/${hook.id}`);
      });
    }
  });
}
