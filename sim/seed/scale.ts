import { APP_TEMPLATES } from '../tenant/catalog.js';
import { Random } from '../tenant/random.js';
import type { Tenant } from '../tenant/tenant.js';
import type { UserState } from '../tenant/types.js';
import { asciiName, COST_CENTERS, DEPARTMENTS, EMPLOYEE_TYPES, FIRST_NAMES, JOB_TITLES, LAST_NAMES, LOCATIONS } from './names.js';
import { withVirtualClock } from './virtual-clock.js';

/** The size of a generated tenant. */
export interface ScaleSeed {
  users: number;
  groups: number;
  apps: number;
  /** the pseudo-random seed; the same numbers always give the same tenant (default 42) */
  seed?: number;
}

/** The e-mail domain of generated users. */
export const SCALE_DOMAIN = 'scale.example';

/**
 * A generated tenant for load tests: `users` users (about 5% STAGED, 3% SUSPENDED, 2% with an expired
 * password, 40% with TOTP), `groups` groups (the first is "All Users" with everyone; every user also joins
 * one or two of the others), `apps` SAML apps (the first bound to "All Users", each other to one or two
 * groups and three users directly), plus the demo's fixed extras (one LDAP and one RADIUS binding, two
 * admins of which one has no MFA, two custom roles). Deterministic for a given `seed`.
 */
export function seedScale(tenant: Tenant, spec: ScaleSeed): void {
  const random = new Random(spec.seed ?? 42);
  const name = `scale:${spec.users}/${spec.groups}/${spec.apps}`;
  tenant.reseed(
    name,
    () =>
      withVirtualClock(tenant, '2022-01-01T00:00:00.000Z', 1_000, () => {
        const groupIds: string[] = [];
        for (let g = 0; g < spec.groups; g++) {
          const dept = DEPARTMENTS[g % DEPARTMENTS.length] as string;
          const group = tenant.createGroup(g === 0 ? { name: 'All Users', description: 'Everyone' } : { name: `${dept} ${String(g).padStart(4, '0')}`, description: `${dept} team ${g}` });
          groupIds.push(group.id);
        }
        const teams = groupIds.slice(1);
        const userIds: string[] = [];
        for (let i = 0; i < spec.users; i++) {
          const first = random.pick(FIRST_NAMES);
          const last = random.pick(LAST_NAMES);
          const dept = random.pick(DEPARTMENTS);
          const place = random.pick(LOCATIONS);
          const local = `${asciiName(first)}.${asciiName(last)}${i}`;
          const roll = random.float();
          const state: UserState = roll < 0.05 ? 'STAGED' : roll < 0.08 ? 'SUSPENDED' : 'ACTIVATED';
          const user = tenant.createUser({
            username: local,
            email: `${local}@${SCALE_DOMAIN}`,
            firstname: first,
            lastname: last,
            displayname: `${first} ${last}`,
            state,
            jobTitle: random.pick(JOB_TITLES[dept]),
            department: dept,
            company: 'Scale Corp',
            costCenter: random.pick(COST_CENTERS),
            employeeIdentifier: `E${100000 + i}`,
            employeeType: random.pick(EMPLOYEE_TYPES),
            location: place.location,
            manager: i > 0 && random.chance(0.7) ? (userIds[random.int(Math.min(i, 500))] ?? null) : null,
            password_expired: state === 'ACTIVATED' && random.chance(0.02),
            totp_enabled: state !== 'STAGED' && random.chance(0.4),
            phoneNumbers: random.chance(0.5) ? [{ number: `+1 555 ${String(1_000_000 + i).slice(1)}`, type: 'work' }] : [],
            addresses: random.chance(0.3) ? [{ type: 'work', streetAddress: `${1 + random.int(999)} Main St`, locality: place.locality, region: place.region, postalCode: place.postalCode, country: place.country }] : [],
            password_date: state === 'STAGED' ? null : '2022-01-02T00:00:00.000Z',
            creationSource: 'manual',
          });
          userIds.push(user._id);
          if (groupIds[0] !== undefined) tenant.addMember(groupIds[0], user._id);
          if (teams.length > 0) for (const g of random.sample(teams, random.between(1, 2))) tenant.addMember(g, user._id);
        }
        for (let a = 0; a < spec.apps; a++) {
          const template = APP_TEMPLATES[a % APP_TEMPLATES.length]!;
          const app = tenant.createApp({
            name: template.name,
            displayLabel: `${template.displayName} ${a + 1}`,
            slug: `${template.name}-${a + 1}`,
            saml: { acsUrl: `https://sp${a + 1}.scale.example/saml/acs`, spEntityId: `https://sp${a + 1}.scale.example` },
          });
          if (a === 0 && groupIds[0] !== undefined) tenant.bindGroup(app._id, groupIds[0]);
          else if (teams.length > 0) for (const g of random.sample(teams, random.between(1, 2))) tenant.bindGroup(app._id, g);
          for (const u of random.sample(userIds, 3)) tenant.bindUser(app._id, u);
        }
        const ldap = tenant.createLdapServer({ name: 'JumpCloud LDAP' });
        const radius = tenant.createRadiusServer({ name: 'Office Wi-Fi' });
        if (groupIds[1] !== undefined) tenant.bindServer('ldap_server', ldap.id, 'user_group', groupIds[1]);
        if (groupIds[0] !== undefined) tenant.bindServer('radius_server', radius._id, 'user_group', groupIds[0]);
        tenant.createRole({ name: 'Helpdesk Lite', scopes: ['users.readonly', 'groups.readonly'] });
        tenant.createRole({ name: 'App Auditor', scopes: ['applications.readonly', 'associations.readonly'] });
        tenant.createAdmin({ email: `owner@${SCALE_DOMAIN}`, firstname: 'Olive', lastname: 'Owner', roleName: 'Administrator With Billing', enableMultiFactor: true, totpEnrolled: true, hasApiKey: true });
        tenant.createAdmin({ email: `helpdesk@${SCALE_DOMAIN}`, firstname: 'Hal', lastname: 'Desk', roleName: 'Help Desk' });
      }),
    spec.seed ?? 42,
  );
}
