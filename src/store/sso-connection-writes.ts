/**
 * A process-wide generation of the writes that change what the ACS reads of a connection: its row, its IdP
 * certificates, or its organization's existence (a cascade). Repositories bump it after each such statement,
 * and `Store.transaction` bumps it again after a transaction that bumped it commits, so a reader that read
 * the state from before the commit (PostgreSQL: another connection) cannot keep it. A cache of connections
 * keeps an entry only while the generation it was read under is current.
 */
let generation = 0;

export const ssoConnectionWrites = {
  get generation(): number {
    return generation;
  },
  bump(): void {
    generation++;
  },
};
