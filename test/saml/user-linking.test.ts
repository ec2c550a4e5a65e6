/**
 * SSO logins linked to SCIM-provisioned users (issue 6, item 2): a login whose NameID or email is the
 * userName or email of a user provisioned into the same organization carries that user (id, directory,
 * roles) into the tokens; a user deactivated by provisioning is refused (configurable); another
 * organization's users are never linked.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../support/databases.js';
import { http } from '../support/server.js';
import { createGroup, createUser, patchOp, scimDirectory, type ScimDirectory } from '../support/scim.js';
import { Browser, PORTAL_USER, REDIRECT_URI, codeOf, eventsOf, failureReasons, spInitiatedLogin, startSsoWorld, tokenRequest, type SsoWorld } from './support/sso-harness.js';

for (const dialect of dialects) {
  describe(`SSO logins linked to provisioned users (${dialect})`, () => {
    let world: SsoWorld;
    let directory: ScimDirectory;
    let user: any;

    before(async () => {
      world = await startSsoWorld(dialect);
      // another organization provisions the same person: never linked to this organization's logins
      const stranger = await scimDirectory(world.server, 'jumpcloud');
      await createUser(stranger.scim, PORTAL_USER, { emails: [{ value: PORTAL_USER, primary: true }] });
      directory = await scimDirectory(world.server, 'jumpcloud', world.orgId);
      user = await createUser(directory.scim, 'bruno.brennan', { emails: [{ value: 'Bruno.Brennan@acme.example', primary: true }], name: { givenName: 'Bruno', familyName: 'Brennan' }, active: true });
      const group = await createGroup(directory.scim, 'Engineering', [user.id]);
      const mapping = await world.admin.call('PUT', `/organizations/${world.orgId}/role-mappings`, { mappings: [{ directoryGroupId: group.id, role: 'engineer' }], defaultRole: 'member' });
      assert.equal(mapping.status, 200, mapping.text);
    });
    after(async () => world.close());

    async function userinfo() {
      const login = await spInitiatedLogin(world, new Browser());
      assert.equal(login.acs.status, 302, (await failureReasons(world)).join('\n'));
      const token = await tokenRequest(world, { code: codeOf(login.acs.location).code, redirect_uri: REDIRECT_URI, code_verifier: login.verifier });
      assert.equal(token.status, 200, token.text);
      return (await http('GET', `${world.server.url}/oauth/userinfo`, { token: token.body.access_token })).body;
    }

    it('links the login to the provisioned user of the same organization (email, case-insensitive) with its roles', async () => {
      const info = await userinfo();
      assert.equal(info.directory_user_id, user.id);
      assert.equal(info.directory_id, directory.dirId);
      assert.deepEqual(info.roles, ['engineer', 'member']);
      assert.equal(info.organization, world.orgId);
      const event = (await eventsOf(world, 'sso.login.succeeded')).at(-1);
      assert.equal(event.directoryId, directory.dirId);
      assert.equal(event.data.user.directory_user_id, user.id);
    });

    it('refuses a user that provisioning deactivated (403, reason user_deactivated); allowed when the connection says so', async () => {
      const r = await directory.scim('PATCH', `/Users/${user.id}`, patchOp({ op: 'replace', path: 'active', value: false }));
      assert.equal(r.status, 200, r.text);
      const login = await spInitiatedLogin(world, new Browser());
      assert.equal(login.acs.status, 403);
      assert.equal(login.acs.location, null);
      assert.match((await failureReasons(world)).at(-1)!, /^user_deactivated/);
      assert.equal((await world.admin.call('PATCH', `/sso-connections/${world.connection.id}`, { refuseDeactivatedUsers: false })).status, 200);
      const info = await userinfo();
      assert.equal(info.directory_user_id, user.id);
      assert.deepEqual(info.roles, ['engineer'], 'an inactive user keeps only group roles');
      await world.admin.call('PATCH', `/sso-connections/${world.connection.id}`, { refuseDeactivatedUsers: true });
      await directory.scim('PATCH', `/Users/${user.id}`, patchOp({ op: 'replace', path: 'active', value: true }));
    });

    it('a user provisioning deleted is refused (user_deleted), or signs in unlinked where deactivated users are admitted', async () => {
      assert.equal((await directory.scim('DELETE', `/Users/${user.id}`)).status, 204);
      const login = await spInitiatedLogin(world, new Browser());
      assert.equal(login.acs.status, 403);
      assert.match((await failureReasons(world)).at(-1)!, /^user_deleted/);
      assert.equal((await world.admin.call('PATCH', `/sso-connections/${world.connection.id}`, { refuseDeactivatedUsers: false })).status, 200);
      const info = await userinfo();
      assert.equal(info.directory_user_id, null);
      assert.deepEqual(info.roles, []);
      await world.admin.call('PATCH', `/sso-connections/${world.connection.id}`, { refuseDeactivatedUsers: true });
    });

    it('a user nobody provisioned signs in unlinked', async () => {
      // the only match left is a purged user: nobody provisioned this person now
      assert.equal((await world.admin.call('PATCH', `/directories/${directory.dirId}`, { settings: { userDelete: 'hard' } })).status, 200);
      assert.equal((await directory.scim('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'bruno.brennan', emails: [{ value: 'Bruno.Brennan@acme.example', primary: true }] })).status, 201);
      const again = (await directory.scim('GET', `/Users?filter=${encodeURIComponent('userName eq "bruno.brennan"')}`)).body.Resources[0];
      assert.equal((await directory.scim('DELETE', `/Users/${again.id}`)).status, 204);
      const info = await userinfo();
      assert.equal(info.directory_user_id, null);
      assert.deepEqual(info.roles, []);
      assert.equal(info.email, PORTAL_USER);
    });
  });
}
