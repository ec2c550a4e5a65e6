import { DomainError, notFound } from './errors.js';
import { newId } from './ids.js';
import type { Organization, Page } from './types.js';
import type { Store } from '../store/store.js';

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export interface OrganizationInput {
  name: string;
  domains?: string[];
}

function validate(input: OrganizationInput): { name: string; domains: string[] } {
  const name = input.name.trim();
  if (name === '') throw new DomainError('invalid', 'name must not be empty');
  const domains = [...new Set((input.domains ?? []).map((d) => d.trim().toLowerCase()))];
  const bad = domains.find((d) => !DOMAIN.test(d));
  if (bad !== undefined) throw new DomainError('invalid', `"${bad}" is not a domain name`);
  return { name, domains };
}

/** Organizations: one per customer of the host app. */
export class Organizations {
  constructor(private readonly store: Store) {}

  async create(input: OrganizationInput): Promise<Organization> {
    const { name, domains } = validate(input);
    const at = new Date().toISOString();
    const org: Organization = { id: newId('org'), name, domains, createdAt: at, updatedAt: at };
    await this.store.transaction(async (tx) => {
      await tx.organizations.insert(org);
      await tx.events.append([
        { id: newId('evt'), type: 'organization.created', organizationId: org.id, directoryId: null, occurredAt: at, data: { ...org }, previous: null },
      ]);
    });
    return org;
  }

  async get(id: string): Promise<Organization> {
    const org = await this.store.organizations.get(id);
    if (!org) throw notFound('organization');
    return org;
  }

  async update(id: string, input: Partial<OrganizationInput>): Promise<Organization> {
    const current = await this.get(id);
    const { name, domains } = validate({ name: input.name ?? current.name, domains: input.domains ?? current.domains });
    const org = { ...current, name, domains, updatedAt: new Date().toISOString() };
    await this.store.organizations.update(org);
    return org;
  }

  async delete(id: string): Promise<void> {
    if (!(await this.store.organizations.delete(id))) throw notFound('organization');
  }

  async list(limit: number, cursor?: string): Promise<Page<Organization>> {
    const page = await this.store.organizations.list(limit, cursor);
    if (!page) throw new DomainError('invalid', 'cursor is not valid');
    return { data: page.rows, next: page.next };
  }
}
