import { randomBytes } from 'node:crypto';
import { groupCreateBody } from './group-body.js';
import { fillFilter, filterQuery } from './lookup-filter.js';
import { ScimTransportError, type ScimClient, type ScimResponse } from './scim-client.js';
import { patchMessage, resourceId } from './scim-schema.js';
import type { ConnectorSettings } from './settings.js';
import { lookupValues, userBody, type MappedUser } from './user-body.js';

/** The steps of Test Connection, in order. */
export type TestStepName = 'serviceProviderConfig' | 'lookupUser' | 'createUser' | 'createGroup' | 'deleteGroup' | 'deleteUser' | 'deactivateUser' | 'cleanup';

/** One step that was run. */
export interface TestStep {
  step: TestStepName;
  method: string;
  path: string;
  /** null when no response came */
  status: number | null;
  ok: boolean;
}

/** The outcome of Test Connection (recorded on the connector and returned by activation). */
export interface TestConnectionResult {
  ok: boolean;
  startedAt: string;
  finishedAt: string;
  steps: TestStep[];
  /** the step that failed, its status (null: no response) and why; null when ok */
  failure: { step: TestStepName; status: number | null; message: string } | null;
  /** DELETE /Users was refused (405/501): the test user was deactivated and has to be deleted by hand */
  testUserDeactivated: boolean;
}

/** The user Test Connection creates: the test e-mail as userName and e-mail, a fresh ObjectId as externalId. */
export function testUser(email: string): MappedUser {
  return {
    _id: randomBytes(12).toString('hex'),
    username: email,
    email,
    firstname: 'JumpCloud',
    lastname: 'Test User',
    displayname: 'JumpCloud Test User',
    jobTitle: '',
    department: '',
    phoneNumbers: [],
    addresses: [],
    employeeIdentifier: null,
    state: 'ACTIVATED',
    password_expired: false,
  };
}

class StepFailed extends Error {
  constructor(
    readonly step: TestStepName,
    readonly status: number | null,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Test Connection (jumpcloud-wire.md §A.2; the order and the filters are NOT confirmed, "Could NOT confirm"
 * #1): optionally `GET /ServiceProviderConfig`; `GET /Users?filter=<userLookupFilter for the test user>`
 * (its answer is only checked for a 2xx: the create follows either way, so an existing test user makes
 * the create fail, "you must use a new user as the test email"); `POST /Users` the test user (a 409 or any
 * other non-2xx fails the test); with group management, `POST /Groups` a test group (no members) and
 * `DELETE /Groups/{id}`; `DELETE /Users/{id}`, and when that answers 405 or 501 the user is deactivated
 * instead (`active:false` by PUT or PATCH per updateMethod) and the test still passes. When a step after
 * the user's creation fails, the test user is deleted as a best effort (step "cleanup").
 */
export async function runTestConnection(client: ScimClient, settings: ConnectorSettings): Promise<TestConnectionResult> {
  const startedAt = new Date().toISOString();
  const steps: TestStep[] = [];
  let testUserDeactivated = false;
  let userId: string | null = null;

  const run = async (step: TestStepName, method: string, path: string, body?: unknown): Promise<ScimResponse> => {
    let response: ScimResponse;
    try {
      response = await client.request(`test.${step}`, method, path, body);
    } catch (error) {
      if (!(error instanceof ScimTransportError)) throw error;
      steps.push({ step, method, path, status: null, ok: false });
      throw new StepFailed(step, null, error.message);
    }
    const ok = response.status >= 200 && response.status < 300;
    steps.push({ step, method, path, status: response.status, ok });
    return response;
  };
  const expect2xx = (step: TestStepName, response: ScimResponse): void => {
    if (response.status < 200 || response.status >= 300) {
      const detail = (response.body as { detail?: unknown } | null)?.detail;
      throw new StepFailed(step, response.status, `${step} answered ${response.status}${typeof detail === 'string' ? `: ${detail}` : ''}`);
    }
  };

  try {
    if (settings.testReadsServiceProviderConfig) expect2xx('serviceProviderConfig', await run('serviceProviderConfig', 'GET', '/ServiceProviderConfig'));
    const user = testUser(settings.testUserEmail);
    expect2xx('lookupUser', await run('lookupUser', 'GET', `/Users${filterQuery(fillFilter(settings.userLookupFilter, lookupValues(user, settings)))}`));
    const created = await run('createUser', 'POST', '/Users', userBody(user, settings));
    expect2xx('createUser', created);
    userId = resourceId(created.body);
    if (userId === null) throw new StepFailed('createUser', created.status, 'the created user has no id');

    if (settings.manageGroups) {
      const name = `JumpCloud Test Group ${randomBytes(3).toString('hex')}`;
      const group = await run('createGroup', 'POST', '/Groups', groupCreateBody({ name, jumpcloudId: randomBytes(12).toString('hex'), sendExternalId: settings.sendGroupExternalId }, []));
      expect2xx('createGroup', group);
      const groupId = resourceId(group.body);
      if (groupId === null) throw new StepFailed('createGroup', group.status, 'the created group has no id');
      expect2xx('deleteGroup', await run('deleteGroup', 'DELETE', `/Groups/${encodeURIComponent(groupId)}`));
    }

    const deleted = await run('deleteUser', 'DELETE', `/Users/${encodeURIComponent(userId)}`);
    if (deleted.status === 405 || deleted.status === 501) {
      const path = `/Users/${encodeURIComponent(userId)}`;
      const off =
        settings.updateMethod === 'patch'
          ? await run('deactivateUser', 'PATCH', path, patchMessage([{ op: 'replace', path: 'active', value: false }]))
          : await run('deactivateUser', 'PUT', path, userBody(user, settings, { id: userId, active: false }));
      expect2xx('deactivateUser', off);
      testUserDeactivated = true;
    } else {
      expect2xx('deleteUser', deleted);
    }
    userId = null;
    return { ok: true, startedAt, finishedAt: new Date().toISOString(), steps, failure: null, testUserDeactivated };
  } catch (error) {
    if (!(error instanceof StepFailed)) throw error;
    if (userId !== null && error.step !== 'deleteUser' && error.step !== 'deactivateUser') {
      await run('cleanup', 'DELETE', `/Users/${encodeURIComponent(userId)}`).catch(() => undefined);
    }
    return { ok: false, startedAt, finishedAt: new Date().toISOString(), steps, failure: { step: error.step, status: error.status, message: error.message }, testUserDeactivated };
  }
}
