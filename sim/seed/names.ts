/** Word lists for generated tenants (deterministic data; no real people). */

/** Given names. */
export const FIRST_NAMES = [
  'Alice', 'Bruno', 'Chiara', 'Dev', 'Elena', 'Farid', 'Greta', 'Hiro', 'Ines', 'Jonas', 'Keiko', 'Liam', 'Maya', 'Nils',
  'Olga', 'Pavel', 'Quinn', 'Rania', 'Soren', 'Tara', 'Umar', 'Vera', 'Wen', 'Ximena', 'Yusuf', 'Zoe', 'Amara', 'Bjorn',
  'Chloé', 'Dario', 'Esme', 'Felix', 'Gaia', 'Hugo', 'Ivy', 'Jakub', 'Kira', 'Luca', 'Mina', 'Noor',
] as const;

/** Family names (some with diacritics, to exercise UTF-8). */
export const LAST_NAMES = [
  'Adams', 'Berg', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'García', 'Haddad', 'Ibrahim', 'Jansen', 'Kowalski', 'Lindqvist',
  'Moreau', 'Nakamura', 'Okafor', 'Petrov', 'Quist', 'Rossi', 'Schmidt', 'Tanaka', 'Ueda', 'Varga', 'Weber', 'Xu', 'Yilmaz',
  'Zielinski', 'Andersson', 'Brennan', 'Castillo', 'Dvořák', 'Evans', 'Fontaine', 'Gruber', 'Horvat', 'Ilić', 'Jovanović',
] as const;

/** Departments (`department`). */
export const DEPARTMENTS = ['Engineering', 'Sales', 'Marketing', 'Finance', 'Operations', 'Support', 'People', 'Legal', 'IT'] as const;

/** Job titles per department (`jobTitle`). */
export const JOB_TITLES: Record<(typeof DEPARTMENTS)[number], readonly string[]> = {
  Engineering: ['Software Engineer', 'Senior Software Engineer', 'Staff Engineer', 'Engineering Manager', 'SRE'],
  Sales: ['Account Executive', 'Sales Engineer', 'Sales Manager', 'SDR'],
  Marketing: ['Product Marketer', 'Content Lead', 'Growth Analyst'],
  Finance: ['Accountant', 'Controller', 'Financial Analyst'],
  Operations: ['Operations Analyst', 'Program Manager'],
  Support: ['Support Engineer', 'Support Lead'],
  People: ['Recruiter', 'People Partner'],
  Legal: ['Counsel', 'Paralegal'],
  IT: ['IT Administrator', 'Helpdesk Technician'],
};

/** Offices: `location` and the address parts. */
export const LOCATIONS = [
  { location: 'Denver HQ', locality: 'Denver', region: 'CO', postalCode: '80202', country: 'US' },
  { location: 'Berlin', locality: 'Berlin', region: 'BE', postalCode: '10115', country: 'DE' },
  { location: 'London', locality: 'London', region: 'LND', postalCode: 'EC1A 1BB', country: 'GB' },
  { location: 'Remote', locality: 'Austin', region: 'TX', postalCode: '73301', country: 'US' },
  { location: 'Tokyo', locality: 'Tokyo', region: '13', postalCode: '100-0001', country: 'JP' },
] as const;

/** `employeeType` values. */
export const EMPLOYEE_TYPES = ['Full-time', 'Part-time', 'Contractor', 'Intern'] as const;

/** `costCenter` values. */
export const COST_CENTERS = ['CC-100', 'CC-200', 'CC-300', 'CC-400'] as const;

/** ASCII letters of a name, lowercased, for usernames and e-mail local parts. */
export function asciiName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}
