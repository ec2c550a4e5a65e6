import type { Tenant } from '../tenant/tenant.js';
import type { UserInput } from '../tenant/user-record.js';
import { withVirtualClock } from './virtual-clock.js';

/** The demo tenant's e-mail domain. */
export const DEMO_DOMAIN = 'acme.example';

/** The password the demo users have (for the SAML IdP's demo login page). */
export const DEMO_PASSWORD = 'Demo-Password-1';

interface DemoPerson {
  first: string;
  last: string;
  department: string;
  title: string;
  state?: UserInput['state'];
  extra?: Partial<UserInput>;
  groups: ('Engineering' | 'Sales' | 'Contractors')[];
  manager?: string;
}

/** 20 people: 16 ACTIVATED, 2 STAGED (new hires), 2 SUSPENDED; MFA, HR fields and contact data vary. */
const PEOPLE: DemoPerson[] = [
  { first: 'Alice', last: 'Anders', department: 'Engineering', title: 'VP Engineering', groups: ['Engineering'], extra: { totp_enabled: true, employeeType: 'Full-time' } },
  { first: 'Bruno', last: 'Brennan', department: 'Engineering', title: 'Staff Engineer', groups: ['Engineering'], manager: 'alice.anders', extra: { totp_enabled: true } },
  { first: 'Carmen', last: 'Cruz', department: 'Engineering', title: 'Senior Software Engineer', groups: ['Engineering'], manager: 'alice.anders' },
  { first: 'Dmitri', last: 'Dubois', department: 'Engineering', title: 'SRE', groups: ['Engineering'], manager: 'alice.anders', extra: { sudo: true } },
  { first: 'Emeka', last: 'Eze', department: 'Engineering', title: 'Software Engineer', groups: ['Engineering'], manager: 'bruno.brennan' },
  { first: 'Fatima', last: 'Farouk', department: 'Sales', title: 'Sales Manager', groups: ['Sales'], extra: { totp_enabled: true } },
  { first: 'Gustav', last: 'Gruber', department: 'Sales', title: 'Account Executive', groups: ['Sales'], manager: 'fatima.farouk' },
  { first: 'Hana', last: 'Hoshino', department: 'Sales', title: 'Sales Engineer', groups: ['Sales', 'Engineering'], manager: 'fatima.farouk' },
  { first: 'Ivan', last: 'Ilić', department: 'IT', title: 'IT Administrator', groups: [], extra: { employeeType: 'Full-time' } },
  { first: 'Julia', last: 'Jensen', department: 'Finance', title: 'Controller', groups: [], extra: { totp_enabled: true } },
  { first: 'Kofi', last: 'Kumah', department: 'Finance', title: 'Financial Analyst', groups: [], manager: 'julia.jensen' },
  { first: 'Lena', last: 'Lindqvist', department: 'Marketing', title: 'Product Marketer', groups: ['Sales'] },
  { first: 'Mateo', last: 'Morales', department: 'Support', title: 'Support Engineer', groups: [], extra: { account_locked: true, account_locked_date: '2024-05-02T08:15:00.000Z' } },
  { first: 'Nadia', last: 'Novak', department: 'Support', title: 'Support Lead', groups: [], extra: { password_expired: true, password_expiration_date: '2024-04-30T00:00:00.000Z' } },
  { first: 'Oscar', last: 'Olsen', department: 'Sales', title: 'Account Executive', state: 'SUSPENDED', groups: ['Sales'], manager: 'fatima.farouk' },
  { first: 'Priya', last: 'Patel', department: 'Engineering', title: 'Engineering Manager', groups: ['Engineering'], manager: 'alice.anders', extra: { totp_enabled: true } },
  { first: 'Quentin', last: 'Quinn', department: 'Engineering', title: 'Software Engineer', state: 'STAGED', groups: ['Engineering'], manager: 'priya.patel' },
  { first: 'Rosa', last: 'Rossi', department: 'Engineering', title: 'Contract Designer', groups: ['Contractors'], extra: { employeeType: 'Contractor', company: 'Rossi Design Srl' } },
  { first: 'Sven', last: 'Svensson', department: 'Engineering', title: 'Contract Engineer', state: 'SUSPENDED', groups: ['Contractors', 'Engineering'], extra: { employeeType: 'Contractor', company: 'Nordic Code AB' } },
  { first: 'Tomasz', last: 'Tkaczyk', department: 'Sales', title: 'SDR', state: 'STAGED', groups: ['Sales', 'Contractors'], extra: { employeeType: 'Contractor' } },
];

function person(p: DemoPerson, index: number, tenant: Tenant): UserInput {
  const local = `${p.first}.${p.last}`
    .normalize('NFKD')
    .replace(/[^A-Za-z.]/g, '')
    .toLowerCase();
  const n = String(index + 1).padStart(2, '0');
  const activated = p.state !== 'STAGED';
  return {
    username: local,
    email: `${local}@${DEMO_DOMAIN}`,
    firstname: p.first,
    lastname: p.last,
    displayname: `${p.first} ${p.last}`,
    state: p.state ?? 'ACTIVATED',
    activated,
    jobTitle: p.title,
    department: p.department,
    company: 'Acme Corp',
    costCenter: p.department === 'Engineering' ? 'CC-100' : p.department === 'Sales' ? 'CC-200' : 'CC-300',
    employeeIdentifier: `E10${n}`,
    employeeType: 'Full-time',
    location: index % 3 === 0 ? 'Berlin' : 'Denver HQ',
    description: '',
    manager: p.manager ? (tenant.userByUsername(p.manager)?._id ?? null) : null,
    alternateEmail: index % 4 === 0 ? `${local}@personal.example` : null,
    recoveryEmail: index % 5 === 0 ? { address: `${local}.recovery@personal.example`, verified: true, verifiedAt: '2023-03-02T10:00:00.000Z' } : null,
    phoneNumbers: index % 2 === 0 ? [{ number: `+1 303 555 01${n}`, type: 'work' }] : index % 3 === 0 ? [{ number: `+49 30 5550 1${n}`, type: 'mobile' }] : [],
    addresses:
      index % 3 === 0
        ? [{ type: 'work', streetAddress: 'Friedrichstraße 100', locality: 'Berlin', region: 'BE', postalCode: '10117', country: 'DE' }]
        : index % 2 === 0
          ? [{ type: 'work', streetAddress: '1700 Lincoln St', locality: 'Denver', region: 'CO', postalCode: '80203', country: 'US' }]
          : [],
    attributes: index % 4 === 1 ? [{ name: 'tShirtSize', value: 'M' }] : [],
    password_date: activated ? '2023-03-05T12:00:00.000Z' : null,
    password: activated ? DEMO_PASSWORD : null,
    creationSource: 'manual',
    ...p.extra,
  };
}

/**
 * The demo tenant "Acme Corp": 20 users (2 STAGED, 2 SUSPENDED, one with an expired password, one locked),
 * 4 groups, 3 SAML apps with logos and bindings (one also bound to a user directly), one LDAP and one
 * RADIUS binding, 2 admins (one without MFA) and 2 custom roles. Deterministic: the same ids every time.
 */
export function seedDemo(tenant: Tenant): void {
  tenant.reseed(
    'demo',
    () =>
      withVirtualClock(tenant, '2023-03-01T09:00:00.000Z', 60_000, () => {
        const groups = {
          all: tenant.createGroup({ name: 'All Users', description: 'Everyone at Acme' }),
          Engineering: tenant.createGroup({ name: 'Engineering', description: 'Product engineering', email: `engineering@${DEMO_DOMAIN}` }),
          Sales: tenant.createGroup({ name: 'Sales', description: 'Sales and solutions' }),
          Contractors: tenant.createGroup({ name: 'Contractors', description: 'External contractors' }),
        };
        PEOPLE.forEach((p, i) => {
          const user = tenant.createUser(person(p, i, tenant));
          tenant.addMember(groups.all.id, user._id);
          for (const g of p.groups) tenant.addMember(groups[g].id, user._id);
        });

        const aws = tenant.createApp({
          name: 'aws-sso',
          displayLabel: 'AWS SSO',
          slug: 'aws-sso',
          saml: {
            acsUrl: 'https://signin.aws.amazon.com/saml',
            spEntityId: 'urn:amazon:webservices',
            idpEntityId: 'JumpCloud',
            constantAttributes: [{ name: 'https://aws.amazon.com/SAML/Attributes/SessionDuration', value: '3600' }],
          },
        });
        const slack = tenant.createApp({
          name: 'slack',
          displayLabel: 'Slack',
          slug: 'slack-acme',
          saml: { acsUrl: 'https://acme-example.slack.com/sso/saml', spEntityId: 'https://slack.com', idpEntityId: 'https://sso.acme.example/slack', signAssertion: true, signResponse: false },
        });
        const portal = tenant.createApp({
          name: 'custom-saml-app',
          displayLabel: 'Acme Portal (Gatehouse)',
          description: 'The B2B app behind Gatehouse',
          slug: 'acme-portal',
          saml: {
            acsUrl: 'http://127.0.0.1:8080/sso/demo/acs',
            spEntityId: 'http://127.0.0.1:8080/sso/demo',
            idpEntityId: 'jumpcloud-acme-portal',
            signAssertion: true,
            signResponse: true,
            userAttributes: [
              { name: 'email', value: 'email' },
              { name: 'firstName', value: 'firstname' },
              { name: 'lastName', value: 'lastname' },
            ],
            groupAttributeName: 'groups',
          },
        });
        tenant.bindGroup(aws._id, groups.Engineering.id);
        tenant.bindGroup(slack._id, groups.all.id);
        tenant.bindGroup(portal._id, groups.Engineering.id);
        tenant.bindGroup(portal._id, groups.Sales.id);
        const rosa = tenant.userByUsername('rosa.rossi');
        if (rosa) tenant.bindUser(portal._id, rosa._id);

        const ldap = tenant.createLdapServer({ name: 'JumpCloud LDAP' });
        const radius = tenant.createRadiusServer({ name: 'Office Wi-Fi' });
        tenant.bindServer('ldap_server', ldap.id, 'user_group', groups.Engineering.id);
        tenant.bindServer('radius_server', radius._id, 'user_group', groups.all.id);

        tenant.createRole({ name: 'Helpdesk Lite', scopes: ['users.readonly', 'groups.readonly'], description: 'Read users and groups' });
        tenant.createRole({ name: 'App Auditor', scopes: ['applications.readonly', 'associations.readonly'], description: 'Review app access' });
        const owner = tenant.createAdmin({ email: `alice.anders@${DEMO_DOMAIN}`, firstname: 'Alice', lastname: 'Anders', roleName: 'Administrator With Billing', enableMultiFactor: true, totpEnrolled: true, hasApiKey: true });
        const helpdesk = tenant.createAdmin({ email: `ivan.ilic@${DEMO_DOMAIN}`, firstname: 'Ivan', lastname: 'Ilić', roleName: 'Help Desk', enableMultiFactor: false, totpEnrolled: false });
        const alice = tenant.userByUsername('alice.anders');
        const ivan = tenant.userByUsername('ivan.ilic');
        if (alice) tenant.updateUser(alice._id, { admin: { id: owner._id, roleName: owner.roleName, roleNames: [owner.roleName] } });
        if (ivan) tenant.updateUser(ivan._id, { admin: { id: helpdesk._id, roleName: helpdesk.roleName, roleNames: [helpdesk.roleName] } });
      }),
    1,
  );
}
